import ArgumentParser
import BackorderApp
import BackorderCore
import Foundation
import TerminalKit

struct POCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "po", abstract: "Purchase orders.",
                                                    subcommands: [New.self, Show.self, List.self, Approve.self, Close.self])

    static func human(_ p: PurchaseOrderView) -> String {
        var s = "PO \(p.number)  vendor \(safe(p.vendor))  at \(p.location)  \(p.status.rawValue.uppercased())  ordered \(p.orderDate)  expected \(p.expected ?? "-")"
        s += p.allowAttach ? "" : "  (backorders may not attach)"
        s += "\n\n" + table(["line", "lic", "qty", "received", "cancelled", "attached", "open"], p.lines.map {
            ["\($0.line)", safe($0.lic), "\($0.qty)", "\($0.received)", "\($0.cancelled)", "\($0.attached)", "\($0.open)"]
        })
        if !p.attachments.isEmpty {
            s += "\n\nAttached backorders\n" + table(["po line", "order", "line", "qty"], p.attachments.map {
                ["\($0.poLine)", $0.order, "\($0.orderLine)", "\($0.qty)"]
            })
        }
        return s
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a purchase order (supervisor).")
        @OptionGroup var global: GlobalOptions
        @Option var vendor: String
        @Option(name: .customLong("line"), help: "LIC:QTY; repeat for more lines.") var lines: [String] = []
        @Option var location = DefaultLocation.code
        @Option(name: .customLong("order-date")) var orderDate: String?
        @Option var expected: String?
        @Flag(name: .customLong("no-attach"), help: "Backorders may not attach to this PO.") var noAttach = false
        @Flag(help: "Create it as a draft (not on order until approved).") var draft = false
        func validate() throws { guard !lines.isEmpty else { throw ValidationError("give at least one --line LIC:QTY") } }
        func run() throws {
            var r = Desk.PORequest(vendor: vendor, lines: try lines.map(Desk.parsePOLine))
            r.location = location
            r.orderDate = try orderDate.map { try Input.day($0, field: "order date") }
            r.expected = try expected.map { try Input.day($0, field: "expected date") }
            r.allowAttach = !noAttach
            r.draft = draft
            let po = try global.desk().createPurchaseOrder(r)
            global.emit(po) { POCommand.human(po) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a purchase order.")
        @OptionGroup var global: GlobalOptions
        @Argument var number: String
        func run() throws {
            let po = try global.desk().purchaseOrder(number)
            global.emit(po) { POCommand.human(po) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List purchase orders, oldest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "draft, open, received or closed") var status: String?
        func run() throws {
            let pos = try global.desk().purchaseOrders(status: status.map { try Input.word($0, field: "status") })
            global.emit(pos) {
                table(["number", "vendor", "location", "status", "ordered", "expected", "lines", "open units"], pos.map {
                    [$0.number, safe($0.vendor), $0.location, $0.status.rawValue, $0.orderDate, $0.expected ?? "-", "\($0.lines.count)",
                     "\($0.lines.reduce(0) { $0 + $1.open })"]
                })
            }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a draft purchase order (supervisor).")
        @OptionGroup var global: GlobalOptions
        @Argument var number: String
        func run() throws {
            let po = try global.desk().approvePurchaseOrder(number)
            global.emit(po) { POCommand.human(po) }
        }
    }
}

extension POCommand {
    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a purchase order (supervisor): cancel what has not arrived.")
        @OptionGroup var global: GlobalOptions
        @Argument var number: String
        func run() throws {
            let po = try global.desk().closePurchaseOrder(number)
            global.emit(po) { POCommand.human(po) }
        }
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Backorder reports.")
    enum Name: String, ExpressibleByArgument, CaseIterable { case backorders, backlog, reorder, aging, fillRate = "fill-rate" }
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "backorders, backlog, reorder, aging or fill-rate") var name: Name
    @Option var format: Format?
    @Option var customer: String?
    @Option var lic: String?
    @Option var location: String?
    @Flag(name: .customLong("partially-invoiced"), help: "backorders: only orders that were partially invoiced.") var partiallyInvoiced = false
    @Flag(help: "backlog: one row per LIC and location with units short, largest first (the Reports screen's first view).")
    var summary = false

    func validate() throws {
        if partiallyInvoiced && name != .backorders { throw ValidationError("--partially-invoiced is a filter of the backorders report") }
        if summary && name != .backlog { throw ValidationError("--summary is a view of the backlog report") }
        if customer != nil && [.reorder, .backlog].contains(name) { throw ValidationError("the \(name.rawValue) report has no customer filter") }
    }

    /// The request the Reports screen makes for the same report and filters.
    var request: Desk.ReportRequest {
        var r = Desk.ReportRequest(Desk.ReportName(rawValue: name.rawValue)!)
        r.customer = customer
        r.lic = lic
        r.location = location
        r.partiallyInvoicedOnly = partiallyInvoiced
        r.summary = summary
        return r
    }

    func run() throws {
        let report = try global.desk().report(request)
        print(render(report, format: format ?? (global.json ? .json : .table)), terminator: "")
    }

    func render(_ r: Report, format: Format) -> String {
        switch format {
        case .json: return r.json.render(pretty: true) + "\n"
        case .csv: return r.csv
        case .table:
            var text = table(r.columns, r.rows.map { $0.map { safe($0.text) } })
            if r.name == "aging", let units = r.column("units") {
                let values = r.rows.map { Int($0[units].text) ?? 0 }
                let top = max(1, values.max() ?? 1)
                text += "\n\n" + zip(r.rows, values).map { row, v in
                    TextWidth.pad(row[0].text, toWidth: 6, alignment: .right) + " " + BarChart.bar(value: v, maxValue: top, width: 40) + " \(v)"
                }.joined(separator: "\n")
            }
            if r.name == "fill-rate", let rate = r.column("rate_percent"), !r.rows.isEmpty {
                text += "\n\nfill rate by week: " + Sparkline.string(r.rows.map { Int($0[rate].text) ?? 0 }, width: r.rows.count, maxValue: 100)
            }
            return text + "\n"
        }
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import a CSV file, all or nothing (admin).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "lics, customers, vendors, locations, orders, purchase-orders or stock") var kind: String
    @Argument var file: String
    @Option(help: "orders: the answer for short lines, yes or no (default: the split prompt preference).") var split: SplitAnswer?
    func run() throws {
        guard let k = ImportKind(rawValue: kind) else {
            throw ValidationError("kind must be one of \(ImportKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let desk = try global.desk()
        var answer = split
        if answer == nil {
            switch try desk.preferences().splitPrompt {
            case .always: answer = .yes
            case .never: answer = .no
            case .ask: answer = nil
            }
        }
        let r = try desk.importCSV(k, url: URL(fileURLWithPath: file), split: answer)
        global.emit(r) { "Imported \(r.rows) row(s) of \(r.kind)" + (r.kind == "orders" || r.kind == "purchase-orders" ? ": \(r.created.count) created." : ".") }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export orders, lines, LICs or the ledger (supervisor).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "orders, lines, lics or ledger") var kind: String
    @Option var format: ReportCommand.Format = .csv
    func run() throws {
        guard let k = Desk.ExportKind(rawValue: kind) else {
            throw ValidationError("kind must be one of \(Desk.ExportKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let r = try global.desk().export(k)
        switch global.json ? .json : format {
        case .json: print(r.json.render(pretty: true))
        case .csv: print(r.csv, terminator: "")
        case .table: print(table(r.columns, r.rows.map { $0.map { safe($0.text) } }))
        }
    }
}
