import BackorderCore
import BackorderStore
import Foundation
import GRDB

/// `po show`: a purchase order with its lines and the order lines attached to them.
public struct PurchaseOrderView: JSONConvertible, Sendable {
    public struct Line: Sendable {
        public var line: Int
        public var lic: String
        public var qty, received, cancelled, attached: Int
        public var open: Int { qty - received - cancelled }
    }
    public struct Attached: Sendable {
        public var poLine: Int
        public var order: String
        public var orderLine: Int
        public var qty: Int
    }
    public var number: String
    public var vendor: String
    public var location: String
    public var orderDate: String
    public var expected: String?
    public var status: String
    public var allowAttach: Bool
    public var lines: [Line]
    public var attachments: [Attached]

    public var json: JSON {
        .object([("number", .string(number)), ("vendor", .string(vendor)), ("location", .string(location)),
                 ("order_date", .string(orderDate)), ("expected", .opt(expected)), ("status", .string(status)),
                 ("allow_attach", .bool(allowAttach)),
                 ("lines", .array(lines.map { l in
                     .object([("line", .int(l.line)), ("lic", .string(l.lic)), ("qty", .int(l.qty)), ("received", .int(l.received)),
                              ("cancelled", .int(l.cancelled)), ("attached", .int(l.attached)), ("open", .int(l.open))])
                 })),
                 ("attachments", .array(attachments.map { a in
                     .object([("po_line", .int(a.poLine)), ("order", .string(a.order)), ("line", .int(a.orderLine)), ("qty", .int(a.qty))])
                 }))])
    }
}

extension Desk {
    public struct PORequest: Sendable {
        public var vendor: String
        public var lines: [(lic: String, qty: Int)]
        public var location = "MAIN"
        public var orderDate: Day?
        public var expected: Day?
        public var allowAttach = true
        public var draft = false
        public var number: String?
        public init(vendor: String, lines: [(lic: String, qty: Int)]) {
            self.vendor = vendor
            self.lines = lines
        }
    }

    /// Parses `LIC:QTY`.
    public static func parsePOLine(_ text: String) throws -> (lic: String, qty: Int) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { throw DeskError.invalid("a PO line is LIC:QTY, not '\(text)'") }
        return (parts[0], try Input.quantity(parts[1], field: "quantity of \(parts[0])"))
    }

    @discardableResult
    public func createPurchaseOrder(_ r: PORequest) throws -> PurchaseOrderView {
        try require(.supervisor, to: "creating purchase orders")
        for l in r.lines { _ = try Input.quantity(l.qty) }
        let today = clock.today
        let number = try write { e -> String in
            var new = NewPurchaseOrder(vendorID: try Desk.vendorID(e.db, r.vendor), locationID: try Desk.locationID(e.db, r.location),
                                       orderDate: r.orderDate ?? today, expected: r.expected,
                                       lines: try r.lines.map { (try Desk.licID(e.db, $0.lic), $0.qty) })
            new.allowAttach = r.allowAttach
            new.draft = r.draft
            new.number = r.number
            let id = try e.createPurchaseOrder(new)
            return try String.fetchOne(e.db, sql: "SELECT number FROM purchase_order WHERE id = ?", arguments: [id])!
        }
        return try purchaseOrder(number)
    }

    static func poID(_ db: Database, _ number: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM purchase_order WHERE number = ?",
                                          arguments: [number.trimmingCharacters(in: .whitespaces)]) else {
            throw DeskError.notFound("unknown purchase order '\(number)'")
        }
        return id
    }

    public func purchaseOrder(_ number: String) throws -> PurchaseOrderView {
        try read { db in
            let id = try Desk.poID(db, number)
            let h = try Row.fetchOne(db, sql: """
                SELECT p.number, v.code, l.code, p.order_date, p.expected, p.status, p.allow_attach
                FROM purchase_order p JOIN vendor v ON v.id = p.vendor_id JOIN location l ON l.id = p.location_id WHERE p.id = ?
                """, arguments: [id])!
            let lines = try Row.fetchAll(db, sql: """
                SELECT pl.line_no, li.code, pl.qty, pl.received, pl.cancelled, pl.attached FROM po_line pl
                JOIN lic li ON li.id = pl.lic_id WHERE pl.po_id = ? ORDER BY pl.line_no
                """, arguments: [id]).map { PurchaseOrderView.Line(line: $0[0], lic: $0[1], qty: $0[2], received: $0[3], cancelled: $0[4], attached: $0[5]) }
            let attached = try Row.fetchAll(db, sql: """
                SELECT pl.line_no, o.number, ol.line_no, a.qty FROM po_attachment a JOIN po_line pl ON pl.id = a.po_line_id
                JOIN order_line ol ON ol.id = a.line_id JOIN orders o ON o.id = ol.order_id WHERE pl.po_id = ? ORDER BY a.id
                """, arguments: [id]).map { PurchaseOrderView.Attached(poLine: $0[0], order: $0[1], orderLine: $0[2], qty: $0[3]) }
            return PurchaseOrderView(number: h[0], vendor: h[1], location: h[2], orderDate: h[3], expected: h[4], status: h[5],
                                     allowAttach: h[6], lines: lines, attachments: attached)
        }
    }

    public func purchaseOrders(status: String? = nil) throws -> [PurchaseOrderView] {
        let numbers = try read { db in
            try String.fetchAll(db, sql: "SELECT number FROM purchase_order \(status == nil ? "" : "WHERE status = ?") ORDER BY order_date, number",
                                arguments: status.map { [$0] } ?? [])
        }
        return try numbers.map(purchaseOrder)
    }

    public func approvePurchaseOrder(_ number: String) throws -> PurchaseOrderView {
        try require(.supervisor, to: "approving purchase orders")
        try write { e in try e.approvePurchaseOrder(id: try Desk.poID(e.db, number)) }
        return try purchaseOrder(number)
    }

    /// Closes a purchase order (supervisor): its open remainder is cancelled and its attachments released.
    public func closePurchaseOrder(_ number: String) throws -> PurchaseOrderView {
        try require(.supervisor, to: "closing purchase orders")
        try write { e in try e.closePurchaseOrder(id: try Desk.poID(e.db, number)) }
        return try purchaseOrder(number)
    }

    /// Receives against a purchase order: attached lines first, then the queue (through the
    /// primary process, at once with *process receipts on posting*).
    public func receive(lic: String, qty: Int, po number: String, location: String? = nil) throws -> ProcessResult? {
        try require(.clerk, to: "posting receipts")
        _ = try Input.quantity(qty)
        return try write { e -> ProcessResult? in
            let poID = try Desk.poID(e.db, number)
            let licID = try Desk.licID(e.db, lic)
            let poLocation = try Int64.fetchOne(e.db, sql: "SELECT location_id FROM purchase_order WHERE id = ?", arguments: [poID])!
            if let location, try Desk.locationID(e.db, location) != poLocation {
                throw DeskError.refused("purchase order \(number) is for another location; its receipts post there")
            }
            try e.receiveAgainstPO(poID: poID, licID: licID, qty: qty)
            guard e.prefs.processReceiptsOnPosting && e.prefs.backorderManagement else { return nil }
            let key = StockKey(licID: licID, locationID: poLocation)
            let run = try e.startRun(.primary)
            try e.runBackorderProcess(.primary, runID: run, keys: [key])
            try e.finishRun(run, stats: e.stats)
            return ProcessResult(process: .primary, runID: run, stats: e.stats, keys: 1)
        }
    }

    /// The auto reserve utility and replenishment, as runs under their leases.
    func runPurchasingProcess(_ process: ProcessKind, prefs: Preferences, lease: Lease) throws -> ProcessResult {
        let today = clock.today
        let runID = try write { e in
            let id = try e.startRun(process)
            try lease.noteRun(id, in: e.db)
            return id
        }
        do {
            var result = try write { e -> ProcessResult in
                var r = ProcessResult(process: process, runID: runID, stats: RunStats(), keys: 0)
                if process == .autoReserve {
                    let made = try e.autoReserve(today: today)
                    r.attachments = made
                    r.keys = Set(made.map(\.lineID)).count
                } else {
                    var drafts: [String] = []
                    let suggestions = try e.replenishmentSuggestions(countDrafts: true)
                    let groups = Dictionary(grouping: suggestions.filter { $0.vendorID != nil }) { "\($0.vendorID!)-\($0.locationID)" }
                    for key in groups.keys.sorted() {
                        let lines = groups[key]!
                        var po = NewPurchaseOrder(vendorID: lines[0].vendorID!, locationID: lines[0].locationID, orderDate: today,
                                                  expected: nil, lines: lines.map { ($0.licID, $0.qty) })
                        po.draft = true
                        let id = try e.createPurchaseOrder(po)
                        drafts.append(try String.fetchOne(e.db, sql: "SELECT number FROM purchase_order WHERE id = ?", arguments: [id])!)
                    }
                    r.keys = suggestions.count
                    r.purchaseOrderNumbers = drafts
                }
                try e.finishRun(runID, stats: RunStats())
                let summary = process == .autoReserve
                    ? "\(r.attachments?.count ?? 0) attachment(s) made"
                    : "\(r.purchaseOrderNumbers?.count ?? 0) draft purchase order(s) made"
                try Desk.recordSchedule(e.db, process: process, at: e.now, result: summary, prefs: prefs)
                return r
            }
            if let numbers = result.purchaseOrderNumbers { result.purchaseOrders = try numbers.map(purchaseOrder) }
            return result
        } catch {
            let message = "\(error)"
            try? write { e in
                try e.finishRun(runID, stats: RunStats(), error: message)
                try Desk.recordSchedule(e.db, process: process, at: e.now, result: "error: \(message)", prefs: prefs)
            }
            throw error
        }
    }
}
