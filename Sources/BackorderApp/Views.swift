import BackorderCore
import BackorderStore

// The JSON of the store's read models: the fields and order of the command-line contract.

/// `order show`: an order with its lines and shipments.
extension OrderView: JSONConvertible {
    public var json: JSON {
        .object([
            ("number", .string(number)), ("customer", .string(customer)), ("location", .string(location)),
            ("status", .word(status)), ("policy", .word(policy)), ("priority", .int(priority)),
            ("entered_seq", .int(Int(enteredSeq))), ("parent", .opt(parent)),
            ("prepaid_cents", .int(prepaidCents)), ("handling_cents", .int(handlingCents)),
            ("min_deposit_cents", .int(minDepositCents)), ("tax_rate_ppm", .int(taxRatePPM)),
            ("customer_name", .string(customerName)), ("entered_at", .string(enteredAt)),
            ("entered_by", .string(enteredBy)), ("schedule_date", .opt(scheduleDate)),
            ("lines", .array(lines.map { l in
                .object([
                    ("line", .int(l.line)), ("lic", .string(l.lic)), ("ordered", .int(l.ordered)),
                    ("allotted", .int(l.allotted)), ("shipped", .int(l.shipped)), ("cancelled", .int(l.cancelled)),
                    ("bo", .bool(l.bo)), ("whole_line", .bool(l.wholeLine)), ("unit_cents", .int(l.unitCents)),
                    ("po", .opt(l.po)), ("promise", .opt(l.promise)),
                    ("attachments", .array(l.attachments.map { .object([("po", .string($0.po)), ("qty", .int($0.qty)), ("expected", .opt($0.expected))]) })),
                    ("projected", .opt(l.projected)), ("invoiced", .int(l.invoiced)),
                    ("inventoried", .bool(l.inventoried)), ("description", .string(l.description)),
                    ("extension_cents", .int((l.ordered - l.cancelled) * l.unitCents)),
                ])
            })),
            ("shipments", .array(shipments.map { s in
                .object([("id", .int(Int(s.id))), ("status", .word(s.status)), ("created_at", .string(s.createdAt)),
                         ("items", .array(s.items.map { .object([("line", .int($0.line)), ("qty", .int($0.qty))]) }))])
            })),
            ("invoices", .array(invoices.map { i in
                .object([("invoice", .int(i.number)), ("at", .string(i.at)), ("subtotal_cents", .int(i.subtotalCents)),
                         ("tax_cents", .int(i.taxCents)), ("handling_cents", .int(i.handlingCents)),
                         ("total_cents", .int(i.totalCents)), ("cash_applied_cents", .int(i.cashAppliedCents)),
                         ("suborder", .opt(i.suborder))])
            })),
        ])
    }
}

/// A row of `order list`.
extension OrderListItem: JSONConvertible {
    public var json: JSON {
        .object([("number", .string(number)), ("customer", .string(customer)), ("status", .word(status)),
                 ("priority", .int(priority)), ("location", .string(location)), ("entered_seq", .int(Int(enteredSeq))),
                 ("lines", .int(lines)), ("bo_lines", .int(boLines)), ("entered", .string(enteredDay))])
    }
}

extension LogEntry: JSONConvertible {
    public var json: JSON {
        .object([("at", .string(at)), ("actor", .string(actor)), ("kind", .string(kind)), ("message", .string(message))])
    }
}

/// A shipment as lists show it (`shipment list`, the pending-shipments view).
extension ShipmentSummary: JSONConvertible {
    public var json: JSON {
        .object([("id", .int(Int(id))), ("order", .string(order)), ("customer", .string(customer)),
                 ("location", .string(location)), ("status", .word(status)), ("created_at", .string(createdAt)),
                 ("items", .int(items)), ("units", .int(units)), ("customer_name", .string(customerName))])
    }
}

/// `lic show`: the balance of one (LIC, location) and its demand queue.
extension LicView: JSONConvertible {
    public var json: JSON {
        func entry(_ e: Entry) -> JSON {
            .object([("position", .int(e.position)), ("order", .string(e.order)), ("line", .int(e.line)),
                     ("priority", .int(e.priority)), ("need", .int(e.need)), ("allotted", .int(e.allotted)),
                     ("attached_po", .opt(e.attachedPO)), ("projected", .opt(e.projected)),
                     ("customer", .string(e.customer)), ("entered", .string(e.entered)),
                     ("cumulative", .int(e.cumulative)), ("state", .string(e.state)), ("promise", .opt(e.promise))])
        }
        return .object([
            ("lic", .string(lic)), ("location", .string(location)), ("on_hand", .int(balance.onHand)),
            ("allotted", .int(balance.allotted)), ("available", .int(balance.available)),
            ("demand", .int(balance.demand)), ("backordered", .int(balance.backordered)),
            ("on_order", .int(balance.onOrder)), ("frozen", .int(balance.frozen)), ("min_stock", .int(minStock)),
            ("description", .string(description)),
            ("queue", .array(queue.map(entry))),
            ("open_lines", .array(lines.map(entry))),
            ("ledger", ledger.json),
        ])
    }
}

extension LedgerEntry: JSONConvertible {
    public var json: JSON {
        .object([("id", .int(Int(id))), ("at", .string(at)), ("lic", .string(lic)), ("location", .string(location)),
                 ("kind", .word(kind)), ("qty", .int(qty)), ("order", .opt(order)), ("actor", .string(actor)),
                 ("reason", .string(reason))])
    }
}

/// A priority change (or its preview): `moves` are the losses (the contract's field), `gains`
/// the lines that take stock, `shipments` what happens to shipments.
public struct PriorityResult: JSONConvertible, Sendable {
    public typealias Move = PriorityMove
    public var order: String
    public var from: Int
    public var to: Int
    public var moves: [PriorityMove]
    public var gains: [PriorityMove]
    public var shipments: [ShipmentEffect]
    public var applied: Bool

    init(order: String, from: Int, to: Int, outcome: PriorityOutcome, applied: Bool) {
        self.order = order
        self.from = from
        self.to = to
        moves = outcome.losses
        gains = outcome.gains
        shipments = outcome.shipments
        self.applied = applied
    }

    public var json: JSON {
        .object([("order", .string(order)), ("from", .int(from)), ("to", .int(to)),
                 ("moves", .array(moves.map { .object([("lic", .string($0.lic)), ("from_order", .string($0.fromOrder)),
                                                       ("from_line", .int($0.fromLine)), ("qty", .int($0.qty)),
                                                       ("customer", .string($0.customer)),
                                                       ("customer_name", .string($0.customerName))]) })),
                 ("gains", .array(gains.map { .object([("lic", .string($0.lic)), ("order", .string($0.fromOrder)),
                                                       ("line", .int($0.fromLine)), ("qty", .int($0.qty)),
                                                       ("customer", .string($0.customer)),
                                                       ("customer_name", .string($0.customerName))]) })),
                 ("shipments", .array(shipments.map { .object([("shipment", .int(Int($0.shipment))), ("order", .string($0.order)),
                                                               ("customer", .string($0.customer)), ("change", .string($0.kind.rawValue)),
                                                               ("units", .int($0.units))]) })),
                 ("applied", .bool(applied))])
    }
}

public struct ProcessResult: JSONConvertible, Sendable {
    public var process: ProcessKind
    public var runID: Int64?
    public var stats: RunStats
    /// The (LIC, location)s with work a backorder process went through (0 for the others).
    public var licsProcessed: Int
    /// Auto reserve: the attachments it made.
    public var attachments: [Attachment]?
    /// Replenishment: how many suggestions it had, and the drafts it made of them.
    public var suggestions: Int?
    public var purchaseOrderNumbers: [String]?
    public var purchaseOrders: [PurchaseOrderView]?
    /// The run's own time in milliseconds, measured inside the program from the start of the
    /// use case to its last commit (process start-up and output excluded); nil for a run made
    /// inside another change.
    public var elapsedMs: Double?

    public init(process: ProcessKind, runID: Int64?, stats: RunStats, licsProcessed: Int) {
        self.process = process
        self.runID = runID
        self.stats = stats
        self.licsProcessed = licsProcessed
    }

    /// A run made inside another change (a receipt with *process receipts on posting*).
    init(_ run: RunOutcome) {
        self.init(process: run.process, runID: run.runID, stats: run.stats, licsProcessed: run.licsProcessed)
    }

    /// Auto reserve: the order lines its attachments went to.
    public var linesAttached: Int { Set((attachments ?? []).map(\.lineID)).count }

    /// What the run did ("3 LIC(s) with work, 12 line(s) filled, …").
    public var summary: String {
        let s = stats
        if let a = attachments {
            return "\(a.count) attachment(s), \(a.reduce(0) { $0 + $1.qty }) unit(s) of open POs reserved for \(linesAttached) line(s)"
        }
        if let suggestions {
            return "\(suggestions) suggestion(s); \((purchaseOrderNumbers ?? []).count) draft purchase order(s)"
        }
        return "\(licsProcessed) LIC(s) with work, \(s.linesFilled) line(s) filled, \(s.unitsAllotted) unit(s) allotted, \(s.shipmentsCreated) shipment(s) created, \(s.shipmentsAppended) appended"
    }

    /// The process and what it did, in a sentence (the command's answer, the desk's message).
    public var sentence: String { "\(process.title): \(summary)." }

    public var json: JSON {
        var fields: [(String, JSON)] = [
            ("process", .string(process.rawValue)), ("lines_filled", .int(stats.linesFilled)),
            ("units_allotted", .int(stats.unitsAllotted)), ("shipments_created", .int(stats.shipmentsCreated)),
            ("shipments_appended", .int(stats.shipmentsAppended)), ("run", .opt(runID.map(Int.init))),
            ("lics_processed", .int(licsProcessed))]
        if let elapsedMs { fields.append(("elapsed_ms", .number(elapsedMs))) }
        if let attachments {
            fields.append(("attachments", .array(attachments.map {
                .object([("line_id", .int(Int($0.lineID))), ("po", .string($0.po)), ("qty", .int($0.qty)),
                         ("order", .string($0.order)), ("line", .int($0.line)), ("lic", .string($0.lic))])
            })))
            fields.append(("units_attached", .int(attachments.reduce(0) { $0 + $1.qty })))
        }
        if let purchaseOrders {
            fields.append(("purchase_orders", .array(purchaseOrders.map { po in
                .object([("number", .string(po.number)), ("vendor", .string(po.vendor)), ("location", .string(po.location)),
                         ("lines", .array(po.lines.map { .object([("lic", .string($0.lic)), ("qty", .int($0.qty))]) }))])
            })))
        }
        return .object(fields)
    }
}

public struct CheckResult: JSONConvertible, Sendable {
    public var violations: [InvariantCheck.Violation]
    public var json: JSON {
        .object([("ok", .bool(violations.isEmpty)),
                 ("violations", .array(violations.map { .object([("invariant", .string($0.invariant)), ("message", .string($0.message))]) }))])
    }
}
