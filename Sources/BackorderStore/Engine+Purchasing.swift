import BackorderCore
import GRDB

public struct NewPurchaseOrder: Sendable {
    public var vendorID: Int64
    public var locationID: Int64
    public var orderDate: Day
    public var expected: Day?
    public var allowAttach = true
    public var draft = false
    public var lines: [(licID: Int64, qty: Int)]

    public init(vendorID: Int64, locationID: Int64, orderDate: Day, expected: Day?, lines: [(licID: Int64, qty: Int)]) {
        self.vendorID = vendorID
        self.locationID = locationID
        self.orderDate = orderDate
        self.expected = expected
        self.lines = lines
    }
}

/// One attachment made by auto backorder.
public struct Attachment: Hashable, Sendable {
    public var lineID: Int64
    public var po: String
    public var qty: Int
    /// The order and line number of the attached order line.
    public var order: String = ""
    public var line: Int = 0
    public var lic: String = ""
}

extension Engine {
    // MARK: - Purchase orders

    func createPurchaseOrder(_ new: NewPurchaseOrder) throws -> Int64 {
        guard !new.lines.isEmpty else { throw DeskError.invalid("a purchase order needs at least one line") }
        // Every PO — typed, imported or drafted by replenishment — numbers from one sequence in
        // one format (PO-5001), so numbers never clash and never read like order numbers.
        var number: String?
        repeat {
            number = Engine.poNumber(try nextCounter("po_number"))
        } while try fetchValue(Int.self, sql: "SELECT count(*) FROM purchase_order WHERE number = ?", arguments: [number!]) != 0
        for l in new.lines where !(try isInventoried(l.licID)) {
            throw DeskError.refused("\(try licCode(l.licID)) is not inventoried; it is never purchased for stock")
        }
        try exec(sql: """
            INSERT INTO purchase_order (number, vendor_id, location_id, order_date, expected, status, allow_attach, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [number!, new.vendorID, new.locationID, new.orderDate.description, new.expected?.description,
                             (new.draft ? PurchaseOrderStatus.draft : .open).rawValue, new.allowAttach, at, actor])
        let poID = try db.lastInsertedRowID
        for (i, l) in new.lines.enumerated() {
            try exec(sql: "INSERT INTO po_line (po_id, line_no, lic_id, qty) VALUES (?, ?, ?, ?)",
                           arguments: [poID, i + 1, l.licID, l.qty])
            if !new.draft { try bumpOnOrder(StockKey(licID: l.licID, locationID: new.locationID), by: l.qty) }
        }
        return poID
    }

    /// The text of PO number `n` of the sequence.
    static func poNumber(_ n: Int64) -> String { "PO-\(n)" }

    func bumpOnOrder(_ key: StockKey, by delta: Int) throws {
        try ensureBalance(key)
        try exec(sql: "UPDATE balance SET on_order = on_order + ? WHERE lic_id = ? AND location_id = ?",
                       arguments: [delta, key.licID, key.locationID])
    }

    func purchaseOrder(_ id: Int64) throws -> (number: String, status: PurchaseOrderStatus, locationID: Int64) {
        guard let r = try fetchRow(sql: "SELECT number, status, location_id FROM purchase_order WHERE id = ?", arguments: [id]) else {
            throw DeskError.notFound("no purchase order \(id)")
        }
        return (r[0], r[1], r[2])
    }

    /// Draft → open: its quantities count as on order and may be attached to.
    func approvePurchaseOrder(id: Int64) throws {
        let po = try purchaseOrder(id)
        guard po.status == .draft else { throw DeskError.refused("purchase order \(po.number) is \(po.status.rawValue); only a draft is approved") }
        try exec(sql: "UPDATE purchase_order SET status = 'open' WHERE id = ?", arguments: [id])
        for r in try fetchRows(sql: "SELECT lic_id, qty FROM po_line WHERE po_id = ?", arguments: [id]) {
            try bumpOnOrder(StockKey(licID: r[0], locationID: po.locationID), by: r[1])
        }
    }

    /// Closes a draft or open PO: what has not arrived is cancelled, so it is no longer on order,
    /// and the order lines attached to it are free to attach elsewhere (their need is unchanged).
    func closePurchaseOrder(id: Int64) throws {
        let po = try purchaseOrder(id)
        guard po.status == .open || po.status == .draft else {
            throw DeskError.refused("purchase order \(po.number) is \(po.status.rawValue); only a draft or open PO is closed")
        }
        for r in try fetchRows(sql: "SELECT id, lic_id, qty - received - cancelled FROM po_line WHERE po_id = ?", arguments: [id]) {
            let poLineID: Int64 = r[0], open: Int = r[2]
            for a in try fetchRows(sql: "SELECT id, line_id, qty FROM po_attachment WHERE po_line_id = ?", arguments: [poLineID]) {
                try exec(sql: "DELETE FROM po_attachment WHERE id = ?", arguments: [a[0] as Int64])
                if let old = try LineRow.fetch(db, id: a[1]) {
                    var line = old
                    line.attached -= a[2] as Int
                    try saveLine(line, old: old)
                    try log(old.orderID, .note("Line \(old.lineNo): attachment of \(a[2] as Int) \(try licCode(old.licID)) to purchase order \(po.number) released; the PO was closed."))
                }
            }
            try exec(sql: "UPDATE po_line SET cancelled = cancelled + ?, attached = 0 WHERE id = ?", arguments: [open, poLineID])
            if po.status == .open && open > 0 { try bumpOnOrder(StockKey(licID: r[1], locationID: po.locationID), by: -open) }
        }
        try exec(sql: "UPDATE purchase_order SET status = 'closed' WHERE id = ?", arguments: [id])
    }

    /// Receives `qty` of a LIC against an open PO: the receipt is posted at the PO's location; it
    /// goes first to the order lines attached to the PO line, oldest attachment first (moved to the
    /// order's location if that differs), and the rest waits for the primary process as any
    /// receipt does. Returns the order lines served directly.
    @discardableResult
    func receiveAgainstPO(poID: Int64, licID: Int64, qty: Int) throws -> Int {
        let po = try purchaseOrder(poID)
        let lic = try licCode(licID)
        guard po.status == .open else { throw DeskError.refused("purchase order \(po.number) is \(po.status.rawValue); only an open PO is received") }
        let lines = try fetchRows(sql: """
            SELECT id, qty - received - cancelled FROM po_line WHERE po_id = ? AND lic_id = ? AND qty - received - cancelled > 0 ORDER BY line_no
            """, arguments: [poID, licID])
        let open = lines.reduce(0) { $0 + ($1[1] as Int) }
        guard open > 0 else { throw DeskError.refused("purchase order \(po.number) has no open quantity of \(lic)") }
        guard qty <= open else { throw DeskError.refused("purchase order \(po.number) has only \(open) \(lic) open; cannot receive \(qty)") }
        let here = StockKey(licID: licID, locationID: po.locationID)
        try postLedger(.receipt, here, qty: qty, poID: poID, reason: "receipt on PO \(po.number)")
        var left = qty
        var served = 0
        var toQueue = 0
        for row in lines where left > 0 {
            let poLineID: Int64 = row[0]
            let take = min(row[1] as Int, left)
            left -= take
            try exec(sql: "UPDATE po_line SET received = received + ? WHERE id = ?", arguments: [take, poLineID])
            try bumpOnOrder(here, by: -take)
            var available = take
            let attachments = try fetchRows(sql: "SELECT id, line_id, qty FROM po_attachment WHERE po_line_id = ? ORDER BY id",
                                               arguments: [poLineID])
            for a in attachments where available > 0 {
                let attachmentID: Int64 = a[0], lineID: Int64 = a[1], attachedQty: Int = a[2]
                guard let old = try LineRow.fetch(db, id: lineID) else { continue }
                let give = min(attachedQty, available, max(0, old.remaining - old.allotted))
                // The attachment is consumed whether or not the line still needed all of it.
                let consumed = min(attachedQty, available)
                if consumed == attachedQty {
                    try exec(sql: "DELETE FROM po_attachment WHERE id = ?", arguments: [attachmentID])
                } else {
                    try exec(sql: "UPDATE po_attachment SET qty = qty - ? WHERE id = ?", arguments: [consumed, attachmentID])
                }
                try exec(sql: "UPDATE po_line SET attached = attached - ? WHERE id = ?", arguments: [consumed, poLineID])
                var line = old
                line.attached -= consumed
                if give > 0 {
                    let there = StockKey(licID: licID, locationID: old.locationID)
                    if there != here {
                        let toName = try fetchValue(String.self, sql: "SELECT code FROM location WHERE id = ?", arguments: [old.locationID]) ?? "?"
                        try postLedger(.adjustment, here, qty: -give, reason: "transfer to \(toName) for order \(try order(old.orderID).number) (PO \(po.number))")
                        try postLedger(.adjustment, there, qty: give, reason: "transfer from PO \(po.number) for order \(try order(old.orderID).number)")
                    }
                    line.allotted += give
                    line.dedicated += give
                    available -= give
                    served += 1
                    stats.unitsAllotted += give
                    stats.linesFilled += 1
                    markForShipping(old.orderID)
                }
                line = try saveLine(line, old: old)
                if give > 0 {
                    try log(old.orderID, .allotted(line: old.lineNo, lic: lic, quantity: give, source: .poReceipt, boCleared: old.bo && !line.bo))
                }
            }
            toQueue += available
        }
        if toQueue > 0 { try addSupply(.primary, here, qty: toQueue, source: "receipt on PO \(po.number)") }
        let stillOpen = try fetchValue(Int.self, sql: "SELECT count(*) FROM po_line WHERE po_id = ? AND qty - received - cancelled > 0", arguments: [poID]) ?? 0
        if stillOpen == 0 { try exec(sql: "UPDATE purchase_order SET status = 'received' WHERE id = ?", arguments: [poID]) }
        try finish()
        return served
    }

    // MARK: - Auto backorder

    /// Attaches a line's unattached unmet need to the oldest eligible open PO lines of its LIC
    /// (PO order date, then number), across several PO lines if one is not enough (§6 rules 1–4;
    /// rule 5, the user's permission, is the caller's).
    func attach(lineID: Int64, today: Day) throws -> [Attachment] {
        guard var line = try LineRow.fetch(db, id: lineID), line.isOpen else { return [] }
        var want = line.remaining - line.allotted - line.attached
        guard want > 0 else { return [] }
        let o = try fetchRow(sql: """
            SELECT o.location_id, c.terms, o.prepaid_cents, o.min_deposit_cents, o.schedule_date, o.number
            FROM orders o JOIN customer c ON c.id = o.customer_id WHERE o.id = ?
            """, arguments: [line.orderID])!
        let order = AutoBackorder.Order(locationID: o[0], terms: Terms(rawValue: o[1]) ?? .ar, prepaidCents: o[2],
                                        minDepositCents: o[3], scheduleDate: (o[4] as String?).flatMap(Day.init))
        guard AutoBackorder.orderQualifies(order, prefs: prefs, today: today) else { return [] }
        let restrictions = Set(try fetchValues(Int64.self, sql: "SELECT from_location_id FROM location_restriction WHERE location_id = ?",
                                                  arguments: [order.locationID]))
        let candidates = try fetchRows(sql: """
            SELECT pl.id, p.number, p.location_id, p.allow_attach, pl.qty - pl.received - pl.cancelled - pl.attached
            FROM po_line pl JOIN purchase_order p ON p.id = pl.po_id
            WHERE pl.lic_id = ? AND p.status = 'open' AND pl.qty - pl.received - pl.cancelled - pl.attached > 0
            ORDER BY p.order_date, p.number, pl.line_no
            """, arguments: [line.licID])
        var made: [Attachment] = []
        let old = line
        for c in candidates where want > 0 {
            let po = AutoBackorder.PurchaseOrder(locationID: c[2], allowAttach: c[3])
            guard AutoBackorder.allows(po, for: order, prefs: prefs, restrictions: restrictions) else { continue }
            let take = min(c[4] as Int, want)
            try exec(sql: "INSERT INTO po_attachment (line_id, po_line_id, qty, at) VALUES (?, ?, ?, ?)",
                           arguments: [line.id, c[0] as Int64, take, at])
            try exec(sql: "UPDATE po_line SET attached = attached + ? WHERE id = ?", arguments: [take, c[0] as Int64])
            line.attached += take
            want -= take
            made.append(Attachment(lineID: line.id, po: c[1], qty: take, order: o[5], line: line.lineNo, lic: try licCode(line.licID)))
        }
        guard !made.isEmpty else { return [] }
        try saveLine(line, old: old)
        let lic = try licCode(line.licID)
        for a in made {
            try log(line.orderID, .note("Line \(line.lineNo): \(a.qty) \(lic) attached to purchase order \(a.po) (auto backorder)."))
        }
        return made
    }

    /// The auto reserve utility: rules 1–4 applied to every backordered line with unattached need.
    func autoReserve(today: Day) throws -> [Attachment] {
        let ids = try fetchValues(Int64.self, sql: """
            SELECT id FROM order_line WHERE bo = 1 AND attached < ordered - cancelled - shipped - allotted
            ORDER BY lic_id, location_id, priority DESC, entered_seq, order_id, line_no
            """)
        var all: [Attachment] = []
        for id in ids { all += try attach(lineID: id, today: today) }
        return all
    }

    // MARK: - Projected fill dates and promises

    /// Projected fill dates for a (LIC, location)'s lines with unmet need (`Snapshot.projectedDates`).
    func projectedDates(_ key: StockKey, today: Day, window: [LineRow]? = nil, windowStartsQueue: Bool = false) throws -> [Int64: Day?] {
        try reads.projectedDates(key, today: today, window: window, windowStartsQueue: windowStartsQueue)
    }

    // MARK: - Replenishment

    struct Suggestion: Hashable, Sendable {
        public var licID: Int64
        public var locationID: Int64
        public var vendorID: Int64?
        public var qty: Int
        /// The figures of §6's arithmetic: backordered + minimum − available − on order − drafted,
        /// rounded up to the multiple.
        public var backordered = 0, minStock = 0, available = 0, onOrder = 0, drafted = 0, multiple = 1
    }

    /// Suggested purchase quantities per (LIC, location); `countDrafts` subtracts what draft POs
    /// already hold, so generating twice does not order twice (`Snapshot.replenishmentSuggestions`).
    func replenishmentSuggestions(countDrafts: Bool) throws -> [Suggestion] {
        try reads.replenishmentSuggestions(countDrafts: countDrafts)
    }
}
