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
        public var customer = ""
        public var customerName = ""
        /// The order line's promise: the latest expected date among all its attachments.
        public var promise: String?
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
                     .object([("po_line", .int(a.poLine)), ("order", .string(a.order)), ("line", .int(a.orderLine)), ("qty", .int(a.qty)),
                              ("customer", .string(a.customer)), ("promise", .opt(a.promise))])
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
                SELECT pl.line_no, o.number, ol.line_no, a.qty, c.code, c.name,
                       (SELECT max(p2.expected) FROM po_attachment a2 JOIN po_line pl2 ON pl2.id = a2.po_line_id
                        JOIN purchase_order p2 ON p2.id = pl2.po_id WHERE a2.line_id = a.line_id)
                FROM po_attachment a JOIN po_line pl ON pl.id = a.po_line_id
                JOIN order_line ol ON ol.id = a.line_id JOIN orders o ON o.id = ol.order_id JOIN customer c ON c.id = o.customer_id
                WHERE pl.po_id = ? ORDER BY pl.line_no, a.id
                """, arguments: [id]).map {
                PurchaseOrderView.Attached(poLine: $0[0], order: $0[1], orderLine: $0[2], qty: $0[3], customer: $0[4], customerName: $0[5],
                                           promise: $0[6])
            }
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

    /// One open line of a purchase order, as receiving picks it.
    public struct OpenPOLine: Sendable, Hashable {
        public var po: String
        public var line: Int
        public var vendor: String
        public var orderDate: String
        public var expected: String?
        public var qty: Int
        public var received: Int
        public var open: Int
        public var attached: Int
    }

    /// The open PO lines of a LIC at a location, oldest first (PO order date, then number):
    /// what a receipt of it can be posted against.
    public func openPOLines(lic: String, location: String) throws -> [OpenPOLine] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.number, pl.line_no, v.code, p.order_date, p.expected, pl.qty, pl.received,
                       pl.qty - pl.received - pl.cancelled, pl.attached
                FROM po_line pl JOIN purchase_order p ON p.id = pl.po_id JOIN vendor v ON v.id = p.vendor_id
                WHERE pl.lic_id = ? AND p.location_id = ? AND p.status = 'open' AND pl.qty - pl.received - pl.cancelled > 0
                ORDER BY p.order_date, p.number, pl.line_no
                """, arguments: [try Desk.licID(db, lic), try Desk.locationID(db, location)]).map {
                OpenPOLine(po: $0[0], line: $0[1], vendor: $0[2], orderDate: $0[3], expected: $0[4], qty: $0[5], received: $0[6],
                           open: $0[7], attached: $0[8])
            }
        }
    }

    /// Receives against a purchase order: attached lines first, then the queue (through the
    /// primary process, at once with *process receipts on posting*). More than the PO has open
    /// is asked about (`DeskQuestion.excessOverPO`); with `excessAsUnplanned` the rest is posted
    /// as an unplanned receipt in the same transaction.
    public func receive(lic: String, qty: Int, po number: String, location: String? = nil,
                        excessAsUnplanned: Bool = false) throws -> ProcessResult? {
        try require(.clerk, to: "posting receipts")
        _ = try Input.quantity(qty)
        return try write { e -> ProcessResult? in
            let poID = try Desk.poID(e.db, number)
            let licID = try Desk.licID(e.db, lic)
            let poLocation = try Int64.fetchOne(e.db, sql: "SELECT location_id FROM purchase_order WHERE id = ?", arguments: [poID])!
            if let location, try Desk.locationID(e.db, location) != poLocation {
                throw DeskError.refused("purchase order \(number) is for another location; its receipts post there")
            }
            let status = try String.fetchOne(e.db, sql: "SELECT status FROM purchase_order WHERE id = ?", arguments: [poID]) ?? ""
            let open = try Int.fetchOne(e.db, sql: """
                SELECT coalesce(sum(qty - received - cancelled), 0) FROM po_line WHERE po_id = ? AND lic_id = ?
                """, arguments: [poID, licID]) ?? 0
            let licCode = try String.fetchOne(e.db, sql: "SELECT code FROM lic WHERE id = ?", arguments: [licID]) ?? lic
            if status == "open", open > 0, qty > open {
                guard excessAsUnplanned else {
                    throw DeskError.question(.excessOverPO(po: number, lic: licCode, open: open, qty: qty))
                }
                try e.receiveAgainstPO(poID: poID, licID: licID, qty: open)
                try e.receive(StockKey(licID: licID, locationID: poLocation), qty: qty - open,
                              reason: "unplanned receipt: \(qty - open) over purchase order \(number)")
            } else {
                try e.receiveAgainstPO(poID: poID, licID: licID, qty: qty)
            }
            guard e.prefs.processReceiptsOnPosting && e.prefs.backorderManagement else { return nil }
            let key = StockKey(licID: licID, locationID: poLocation)
            let run = try e.startRun(.primary)
            try e.runBackorderProcess(.primary, runID: run, keys: [key])
            try e.finishRun(run, stats: e.stats)
            return ProcessResult(process: .primary, runID: run, stats: e.stats, keys: 1)
        }
    }

    /// One replenishment suggestion (§6), with the figures it comes from.
    public struct ReplenishmentSuggestion: Sendable, Hashable {
        public var lic: String
        public var description: String
        public var location: String
        public var vendor: String?
        public var backordered, minStock, available, onOrder, drafted, multiple: Int
        /// backordered + minimum stock − available − on order − already drafted, rounded up to the multiple.
        public var qty: Int
    }

    /// What replenishment would order now, per (LIC, location), by LIC code: the suggestions
    /// "generate purchase orders" turns into drafts (those without a vendor are left out there).
    public func replenishmentSuggestions() throws -> [ReplenishmentSuggestion] {
        try read { db in
            let e = Engine(db, actor: user.name, now: clock.now())
            let lics = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, code, description FROM lic").map {
                ($0[0] as Int64, (code: $0[1] as String, description: $0[2] as String))
            })
            let locations = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, code FROM location").map { ($0[0] as Int64, $0[1] as String) })
            let vendors = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, code FROM vendor").map { ($0[0] as Int64, $0[1] as String) })
            return try e.replenishmentSuggestions(countDrafts: true).map { s in
                ReplenishmentSuggestion(lic: lics[s.licID]?.code ?? "?", description: lics[s.licID]?.description ?? "",
                                        location: locations[s.locationID] ?? "?", vendor: s.vendorID.flatMap { vendors[$0] },
                                        backordered: s.backordered, minStock: s.minStock, available: s.available, onOrder: s.onOrder,
                                        drafted: s.drafted, multiple: s.multiple, qty: s.qty)
            }
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
