import ArgumentParser
import BackorderApp
import BackorderCore
import Foundation

struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order", abstract: "Orders.",
        subcommands: [New.self, Show.self, List.self, Priority.self, Void.self, CancelRemaining.self, Invoice.self, Log.self, Why.self])

    static func human(_ o: OrderView) -> String {
        let who = o.customerName.isEmpty ? safe(o.customer) : "\(safe(o.customer)) \(safe(o.customerName))"
        var out = "Order \(o.number)  \(who)  at \(o.location)  \(o.status.rawValue.uppercased())\n"
        out += "priority \(o.priority)  policy \(o.policy)  entered \(o.enteredDay) by \(safe(o.enteredBy))  seq \(o.enteredSeq)  prepaid \(money(o.prepaidCents))"
        if let p = o.parent { out += "  suborder of \(p)" }
        if let s = o.scheduleDate { out += "  schedule \(s)" }
        out += "\n\n" + table(["line", "lic", "ordered", "allotted", "shipped", "cancelled", "bo", "unit", "promise"],
                              o.lines.map { l in
            ["\(l.line)", safe(l.lic), "\(l.ordered)", "\(l.allotted)", "\(l.shipped)", "\(l.cancelled)",
             l.bo ? (l.wholeLine ? "BO whole" : "BO") : "", money(l.unitCents), l.promise ?? l.projected ?? ""]
        })
        if !o.invoices.isEmpty {
            out += "\n\nInvoices\n" + table(["invoice", "at", "subtotal", "tax", "handling", "total", "cash applied", "suborder"], o.invoices.map { i in
                ["\(i.number)", i.at, money(i.subtotalCents), money(i.taxCents), money(i.handlingCents), money(i.totalCents),
                 money(i.cashAppliedCents), i.suborder ?? ""]
            })
        }
        if !o.shipments.isEmpty {
            out += "\n\nShipments\n" + table(["id", "status", "created", "items"], o.shipments.map { s in
                ["\(s.id)", s.status.rawValue, s.createdAt, s.items.map { "line \($0.line) × \($0.qty)" }.joined(separator: ", ")]
            })
        }
        return out
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enter an order.")
        @OptionGroup var global: GlobalOptions
        @Option var customer: String
        @Option(name: .customLong("line"), help: "LIC:QTY or LIC:QTY@CENTS; repeat for more lines.") var lines: [String] = []
        @Option var location = DefaultLocation.code
        @Option(help: "Fulfillment priority 0–9 (default: the customer's).") var priority: Int?
        @Option(help: "partial, complete, partial-cancel or complete-or-cancel") var policy: FulfillmentPolicy?
        @Option(help: "ask, yes or no: the answer to 'split by availability?' for short lines.") var split = "ask"
        @Option(name: .customLong("cancel-if-short"), help: "complete-or-cancel: cancel the order with this reason if short.") var cancelIfShort: String?
        @Flag(name: .customLong("keep-if-short"), help: "complete-or-cancel: keep the order until complete if short.") var keepIfShort = false
        @Option(name: .customLong("schedule-date")) var scheduleDate: String?
        @Option(help: "Prepaid cash in cents.") var deposit: String?
        @Option(name: .customLong("min-deposit")) var minDeposit: String?
        @Option var handling: String?
        @Option(name: .customLong("tax-rate"), help: "Percent, e.g. 8.25") var taxRate: String?

        func validate() throws {
            guard !lines.isEmpty else { throw ValidationError("give at least one --line LIC:QTY") }
            guard ["ask", "yes", "no"].contains(split.lowercased()) else { throw ValidationError("--split takes ask, yes or no") }
            if cancelIfShort != nil && keepIfShort { throw ValidationError("give --cancel-if-short or --keep-if-short, not both") }
        }

        func run() throws {
            var request = OrderRequest(customer: customer, lines: try lines.map(OrderRequest.Line.parse))
            request.location = location
            request.priority = priority
            request.policy = policy
            request.split = SplitAnswer(rawValue: split.lowercased())
            if let r = cancelIfShort { request.ifShort = .cancel(reasonCode: r.uppercased()) }
            if keepIfShort { request.ifShort = .keep }
            if let d = scheduleDate { request.scheduleDate = try Input.day(d, field: "schedule date") }
            if let d = deposit { request.depositCents = try Input.cents(d, field: "deposit") }
            if let d = minDeposit { request.minDepositCents = try Input.cents(d, field: "minimum deposit") }
            if let h = handling { request.handlingCents = try Input.cents(h, field: "handling") }
            if let t = taxRate { request.taxRatePPM = try Input.taxRatePPM(t) }
            let order = try global.desk().enterOrder(request)
            global.emit(order) { OrderCommand.human(order) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an order with its lines and shipments.")
        @OptionGroup var global: GlobalOptions
        @Argument var number: String
        func run() throws {
            let o = try global.desk().order(number)
            global.emit(o) { OrderCommand.human(o) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List orders, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "open, backorder, invoiced, closed, cancelled or void") var status: String?
        @Option var customer: String?
        func run() throws {
            let rows = try global.desk().orders(status: status.map { try Input.word($0, field: "status") }, customer: customer)
            global.emit(rows) {
                table(["number", "customer", "status", "pri", "location", "entered", "lines", "bo lines"], rows.map {
                    [$0.number, safe($0.customer), $0.status.rawValue, "\($0.priority)", $0.location, $0.enteredDay, "\($0.lines)", "\($0.boLines)"]
                })
            }
        }
    }

    struct Priority: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an order's fulfillment priority (supervisor); --preview shows who would lose what.")
        @OptionGroup var global: GlobalOptions
        @Argument var number: String
        @Argument(help: "The new priority, 0–9.") var priority: Int
        @Flag var preview = false
        func run() throws {
            let r = try global.desk().changePriority(number, to: priority, preview: preview)
            global.emit(r) { OrderCommand.human(r, preview: preview) }
        }
    }

    /// Every move of a priority change: what each order loses and gains, and its shipments.
    static func human(_ r: PriorityResult, preview: Bool) -> String {
        var out = preview ? "Preview: order \(r.order) priority \(r.from) → \(r.to) (nothing changed)"
                          : "Order \(r.order) priority \(r.from) → \(r.to)"
        if r.moves.isEmpty && r.gains.isEmpty { return out + "\nNothing moves." }
        if !r.moves.isEmpty {
            out += "\n\nLoses\n" + table(["lic", "order", "line", "customer", "qty"], r.moves.map {
                [safe($0.lic), $0.fromOrder, "\($0.fromLine)", safe($0.customer), "\($0.qty)"]
            })
        }
        if !r.gains.isEmpty {
            out += "\n\nGains\n" + table(["lic", "order", "line", "customer", "qty"], r.gains.map {
                [safe($0.lic), $0.fromOrder, "\($0.fromLine)", safe($0.customer), "\($0.qty)"]
            })
        }
        if !r.shipments.isEmpty {
            out += "\n\nShipments\n" + table(["shipment", "order", "customer", "change", "units"], r.shipments.map {
                ["\($0.shipment)", $0.order, safe($0.customer), $0.kind.rawValue, "\($0.units)"]
            })
        }
        return out
    }

    struct Void: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Void an order that has shipped nothing.")
        @OptionGroup var global: GlobalOptions
        @Argument var number: String
        func run() throws {
            let desk = try global.desk()
            try desk.voidOrder(number)
            let o = try desk.order(number)
            global.emit(o) { "Order \(number) voided." }
        }
    }

    struct CancelRemaining: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel-remaining",
                                                        abstract: "Cancel what remains of an order or one line, with a reason code (supervisor).")
        @OptionGroup var global: GlobalOptions
        @Argument var number: String
        @Option var line: Int?
        @Option var reason: String
        func run() throws {
            let desk = try global.desk()
            let n = try desk.cancelRemaining(number, line: line, reason: reason)
            let o = try desk.order(number)
            global.emit(o) { "Cancelled \(n) unit(s) of order \(number)." }
        }
    }

    struct Invoice: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Invoice shipped quantities (supervisor); a remainder goes to an extended suborder.")
        @OptionGroup var global: GlobalOptions
        @Argument var number: String
        @Option(name: .customLong("cancel-backorders"), help: "ship partial, cancel backorders: cancel the remainder with this reason.") var cancelBackorders: String?
        @Flag(name: .customLong("keep-backorders"), help: "ship partial, cancel backorders: keep the remainder on a suborder.") var keepBackorders = false
        @Flag(help: "Show what the invoice would bill and which suborder would take the remainder; write nothing.") var preview = false
        func validate() throws {
            if cancelBackorders != nil && keepBackorders { throw ValidationError("give --cancel-backorders or --keep-backorders, not both") }
        }
        func run() throws {
            let choice: RemainderChoice? = cancelBackorders.map { .cancel(reasonCode: $0) } ?? (keepBackorders ? .keep : nil)
            let v = try global.desk().invoice(number, choice: choice, preview: preview)
            let t = v.result.totals
            global.emit(v) {
                var s = preview ? "Preview (nothing changed): " : ""
                s += "Invoice \(v.result.invoice) for order \(v.result.order): subtotal \(money(t.subtotalCents)), tax \(money(t.taxCents)), handling \(money(t.handlingCents)), total \(money(t.totalCents)), cash applied \(money(t.cashAppliedCents))."
                if let sub = v.result.suborder {
                    s += "\nThe backordered remainder (\(v.result.remainderUnits) unit(s)) \(preview ? "would go" : "is") on extended suborder \(sub)."
                }
                if v.result.cancelledUnits > 0 { s += "\n\(preview ? "Would cancel" : "Cancelled") \(v.result.cancelledUnits) backordered unit(s)." }
                return s + "\n\n" + table(["line", "lic", "qty", "unit", "extension"], v.result.lines.map {
                    ["\($0.line)", safe($0.lic), "\($0.qty)", money($0.unitCents), money($0.extensionCents)]
                })
            }
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The order's record log.")
        @OptionGroup var global: GlobalOptions
        @Argument var number: String
        func run() throws {
            let rows = try global.desk().orderLog(number)
            global.emit(rows) { table(["at", "who", "what"], rows.map { [$0.at, safe($0.actor), safe($0.message)] }) }
        }
    }
}

extension OrderCommand {
    struct Why: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Why a line is backordered: queue position, units ahead, stock waiting for a process, POs, projected date.")
        @OptionGroup var global: GlobalOptions
        @Argument var number: String
        @Option(help: "The line (default: the order's first backordered line).") var line: Int?
        func run() throws {
            let w = try global.desk().why(order: number, line: line)
            global.emit(w) {
                var out = "Order \(w.order) line \(w.line): \(safe(w.lic)) for \(safe(w.customer)) at \(w.location)\n\n"
                out += w.sentences.map { "- " + safe($0) }.joined(separator: "\n")
                if !w.log.isEmpty {
                    out += "\n\nRecord log (this line)\n" + table(["at", "who", "what"], w.log.map { [$0.at, safe($0.actor), safe($0.message)] })
                }
                return out
            }
        }
    }
}
