import BackorderCore
import GRDB

/// The backorder processes' bulk path. A run over thousands of (LIC, location)s fills hundreds of
/// thousands of lines; written one line at a time (`setAllotment`: a line update, four cache
/// updates and a log row, then shipments order by order) that is a dozen statements per line.
/// Here the fill of every key is read into memory (only the short lines of a queue settled before
/// its supply arrived, stopping where the free stock runs out), the caches move by sums per key,
/// priority and block, and the lines that only *gain* allotment are written order by order —
/// one allotment log row, the lines, the shipment and its items, one shipment log row — through
/// statements prepared once: the same columns, caches, log sentences and shipments
/// `setAllotment`, `finish` and `buildShipments` would write, which `BulkProcessTests` and
/// `check` hold it to. Lines that lose allotment (their shipments shrink) or hold PO attachments
/// (which shrink as allotment grows) still go one by one, first. Every per-line statement binds
/// and steps through `RawStatement`.
extension Engine {
    /// A line a run fills: what the fill read of it, and its canonical allotment. Packed (64
    /// bytes a line; a run at a million lines holds half a million): quantities fit in 32 bits,
    /// as input never exceeds `DeskError.maxQuantity` (10⁹).
    struct Fill {
        var id: Int64, orderID: Int64, licID: Int64, enteredSeq: Int64
        var locationID: Int32, lineNo: Int32, priority: Int32
        var remaining: Int32, allotted: Int32, target: Int32
        var attached: Bool
        var key: StockKey { StockKey(licID: licID, locationID: Int64(locationID)) }
        var gain: Int { Int(target - allotted) }
        /// Shrinking lines (take before giving) and lines holding PO attachments go one by one.
        var isSpecial: Bool { target < allotted || attached }
    }

    /// Makes every key's allotments its canonical fill, as `canonicalize` does key by key.
    func canonicalizeInBulk(_ keys: [StockKey], source: AllotmentSource) throws {
        let columns = "id, order_id, line_no, priority, entered_seq, remaining, allotted, attached"
        let shortLines = try RawStatement(db, sql: """
            SELECT id, order_id, line_no, priority, entered_seq, ordered - cancelled - shipped AS remaining, allotted, attached
            FROM order_line INDEXED BY line_short WHERE lic_id = ?1 AND location_id = ?2 AND bo = 1
            ORDER BY priority DESC, entered_seq, order_id, line_no
            """)
        let canonical = try RawStatement(db, sql: """
            SELECT \(columns), target FROM (\(Engine.canonicalFillSQL)) WHERE target <> allotted
            """)
        // A key's stock figures and what is known of its queue, in one read.
        let stock = try RawStatement(cached: db, sql: """
            SELECT on_hand, allotted, frozen, dedicated, unsettled FROM balance WHERE lic_id = ? AND location_id = ?
            """)
        var fills: [Fill] = []
        func fill(_ r: RawRow, _ key: StockKey, target: Int) -> Fill {
            Fill(id: r.int64(0), orderID: r.int64(1), licID: key.licID, enteredSeq: r.int64(4),
                 locationID: Int32(truncatingIfNeeded: key.locationID), lineNo: Int32(truncatingIfNeeded: r.int(2)),
                 priority: Int32(truncatingIfNeeded: r.int(3)), remaining: Int32(truncatingIfNeeded: r.int(5)),
                 allotted: Int32(truncatingIfNeeded: r.int(6)), target: Int32(truncatingIfNeeded: target), attached: r.int(7) > 0)
        }
        for key in keys {
            var b = (onHand: 0, allotted: 0, frozen: 0, dedicated: 0, state: Settledness.settled)
            try stock.forEachRow([key.licID, key.locationID]) { r in
                b = (r.int(0), r.int(1), r.int(2), r.int(3), Settledness(rawValue: r.int(4)) ?? .unsettled)
                return false
            }
            if b.state == .awaitingSupply {
                // Settled before its supply arrived: the free stock goes to the short lines in
                // queue order, and reading stops where it runs out.
                var free = b.onHand - b.allotted
                if free > 0 {
                    try shortLines.forEachRow([key.licID, key.locationID]) { r in
                        let give = min(r.int(5) - r.int(6), free)
                        free -= give
                        if give > 0 { fills.append(fill(r, key, target: r.int(6) + give)) }
                        return free > 0
                    }
                }
            } else {
                try canonical.forEachRow([key.licID, key.locationID, Int64(b.onHand - b.frozen - b.dedicated)]) { r in
                    fills.append(fill(r, key, target: r.int(8)))
                    return true
                }
            }
            try setSettled(key, true)
        }
        phase("fill read: \(keys.count) keys, \(fills.count) lines")
        // One by one: what shrinks (take before giving), then what grows but holds attachments.
        let special = fills.filter(\.isSpecial).sorted { a, b in
            (a.target >= a.allotted ? 1 : 0, a.id) < (b.target >= b.allotted ? 1 : 0, b.id)
        }
        for f in special {
            try setAllotment(lineID: f.id, to: Int(f.target), source: source)
        }
        fills.removeAll(where: \.isSpecial)
        phase("one by one: \(special.count) lines")
        try growInBulk(fills, source: source)
    }

    /// Writes the growth of `lines` (open, without attachments, gaining allotment): the caches,
    /// then order by order (in number order, as `finish` does) the record log, the lines, and
    /// the shipments of their orders and of those the line-by-line changes marked.
    private func growInBulk(_ lines: [Fill], source: AllotmentSource) throws {
        stats.linesFilled += lines.count
        stats.unitsAllotted += lines.reduce(0) { $0 + $1.gain }
        try moveCachesInBulk(lines)
        phase("caches")
        let byOrder = lines.sorted { ($0.orderID, $0.lineNo) < ($1.orderID, $1.lineNo) }
        let oneByOne = takeProcessAllotments()
        var others = Array(Set(oneByOne.keys).union(ordersToShipSnapshot()))
        restoreOrdersToShip([])
        others.sort()
        phase("by order")
        let sweep = try OrderSweep(self, source: source)
        var i = 0, j = 0
        while i < byOrder.count || j < others.count {
            let orderID = min(i < byOrder.count ? byOrder[i].orderID : .max, j < others.count ? others[j] : .max)
            let first = i
            while i < byOrder.count && byOrder[i].orderID == orderID { i += 1 }
            while j < others.count && others[j] == orderID { j += 1 }
            try sweep.write(orderID, fills: byOrder[first..<i], earlier: oneByOne[orderID]?.items ?? [])
        }
        phase("orders: lines, shipments, items, log")
    }

    /// The caches, by the differences (an open line gaining allotment: its need, frozen and
    /// dedicated stay; movable grows and unmet need shrinks by the gain; BO clears when full).
    /// In queue order every row of `balance`, `queue_need` and `unmet_block` is one run of lines.
    private func moveCachesInBulk(_ lines: [Fill]) throws {
        let queued = lines.sorted { a, b in
            (a.licID, a.locationID, b.priority, a.enteredSeq) < (b.licID, b.locationID, a.priority, b.enteredSeq)
        }
        func runs(_ sql: String, same: (Fill, Fill) -> Bool, _ arguments: (Fill, Int) -> [Int64?]) throws {
            let update = try RawStatement(db, sql: sql)
            var start = 0, sum = 0
            for (n, l) in queued.enumerated() {
                if n > start && !same(queued[start], l) {
                    try update.execute(arguments(queued[start], sum))
                    start = n
                    sum = 0
                }
                sum += l.gain
            }
            if start < queued.count { try update.execute(arguments(queued[start], sum)) }
        }
        func sameKey(_ a: Fill, _ b: Fill) -> Bool { a.licID == b.licID && a.locationID == b.locationID }
        try runs("UPDATE balance SET allotted = allotted + ?3 WHERE lic_id = ?1 AND location_id = ?2", same: sameKey) {
            [$0.licID, Int64($0.locationID), Int64($1)]
        }
        try runs("UPDATE queue_need SET movable = movable + ?4 WHERE lic_id = ?1 AND location_id = ?2 AND priority = ?3",
                 same: { sameKey($0, $1) && $0.priority == $1.priority }) {
            [$0.licID, Int64($0.locationID), Int64($0.priority), Int64($1)]
        }
        try runs("""
            UPDATE unmet_block SET unmet = unmet - ?5 WHERE lic_id = ?1 AND location_id = ?2 AND priority = ?3 AND block = ?4
            """, same: { sameKey($0, $1) && $0.priority == $1.priority && $0.enteredSeq >> BOBuckets.shift == $1.enteredSeq >> BOBuckets.shift }) {
            [$0.licID, Int64($0.locationID), Int64($0.priority), $0.enteredSeq >> BOBuckets.shift, Int64($1)]
        }
        struct Bucket: Hashable { var block: Int64, priority: Int32 }
        var cleared: [Bucket: Int] = [:]
        for l in lines where l.target == l.remaining {
            cleared[Bucket(block: l.enteredSeq >> BOBuckets.shift, priority: l.priority), default: 0] += 1
        }
        let bucket = try RawStatement(db, sql: "UPDATE bo_bucket SET lines = lines - ?3 WHERE bucket = ?1 AND priority = ?2")
        for (b, n) in cleared.sorted(by: { ($0.key.block, $0.key.priority) < ($1.key.block, $1.key.priority) }) {
            try bucket.execute([b.block, Int64(b.priority), Int64(n)])
        }
    }
}

/// The bulk path's writes for one order at a time: the allotment log row, the filled lines, and
/// the shipment — what `setAllotment` (buffered), `finish` and `buildShipments` write for it —
/// through statements prepared once for the whole run.
private final class OrderSweep {
    let engine: Engine
    let source: AllotmentSource
    let order, clearBO, openLines, pendingOfOrder, pendingAtLocation, newShipment: RawStatement
    let itemOnShipment, growItem, newItem, fillLine, shipLine, log: RawStatement

    init(_ engine: Engine, source: AllotmentSource) throws {
        self.engine = engine
        self.source = source
        let db = engine.db
        order = try RawStatement(db, sql: "SELECT status, policy, customer_id, location_id, number FROM orders WHERE id = ?")
        clearBO = try RawStatement(db, sql: "UPDATE orders SET bo_lines = bo_lines - ?2 WHERE id = ?1")
        openLines = try RawStatement(db, sql: """
            SELECT id, line_no, ordered - cancelled - shipped, allotted, on_shipment, whole_line, inventoried
            FROM order_line WHERE order_id = ? AND +is_open = 1 ORDER BY line_no
            """)
        pendingOfOrder = try RawStatement(db, sql: "SELECT id FROM shipment WHERE order_id = ? AND status = 'pending' ORDER BY id DESC LIMIT 1")
        pendingAtLocation = try RawStatement(db, sql: """
            SELECT s.id, o.number FROM shipment s JOIN orders o ON o.id = s.order_id
            WHERE s.customer_id = ? AND s.location_id = ? AND s.status = 'pending'
            ORDER BY s.id DESC LIMIT 1
            """)
        newShipment = try RawStatement(db, sql: """
            INSERT INTO shipment (order_id, customer_id, location_id, status, created_at) VALUES (?, ?, ?, 'pending', ?)
            """)
        itemOnShipment = try RawStatement(db, sql: "SELECT id FROM shipment_item WHERE shipment_id = ? AND line_id = ?")
        growItem = try RawStatement(db, sql: "UPDATE shipment_item SET qty = qty + ?2 WHERE id = ?1")
        newItem = try RawStatement(db, sql: "INSERT INTO shipment_item (shipment_id, line_id, qty) VALUES (?, ?, ?)")
        fillLine = try RawStatement(db, sql: "UPDATE order_line SET allotted = ?2, bo = ?3, on_shipment = on_shipment + ?4 WHERE id = ?1")
        shipLine = try RawStatement(db, sql: "UPDATE order_line SET on_shipment = on_shipment + ?2 WHERE id = ?1")
        log = try RawStatement(db, sql: "INSERT INTO order_log (order_id, at, actor, kind, message) VALUES (?, ?, ?, ?, ?)")
    }

    /// `fills`: the order's lines this run fills, by line number; `earlier`: what the
    /// line-by-line changes of this run allotted to it.
    func write(_ orderID: Int64, fills: ArraySlice<Engine.Fill>, earlier: [LogEvent.Allotment]) throws {
        let e = engine
        var status = "", policy = FulfillmentPolicy.partial, customerID: Int64 = 0, locationID: Int64 = 0, number = ""
        try order.forEachRow([orderID]) { r in
            (status, customerID, locationID, number) = (r.text(0), r.int64(2), r.int64(3), r.text(4))
            policy = FulfillmentPolicy(rawValue: r.text(1)) ?? .partial
            return false
        }
        // The allotment log row, the BO lines the fill clears.
        var allotments = earlier
        var cleared: Int64 = 0
        for f in fills {
            allotments.append(LogEvent.Allotment(line: Int(f.lineNo), lic: try e.licCode(f.licID), quantity: f.gain,
                                                 boCleared: f.target == f.remaining))
            if f.target == f.remaining { cleared += 1 }
        }
        if !allotments.isEmpty {
            let event = LogEvent.allottedLines(items: allotments, source: source)
            try log.execute([orderID], text: [e.at, e.actor, event.kind, event.sentence])
        }
        if cleared > 0 { try clearBO.execute([orderID, cleared]) }

        // The shipment: the order's open lines as they will be, planned as `buildShipments` does.
        var planned: [ShipmentPlanning.Item] = []
        var lineNumbers: [Int64: Int] = [:]
        if status == "open" {
            var lines: [ShipmentPlanning.Line] = []
            var next = fills.startIndex
            try openLines.forEachRow([orderID]) { r in
                let id = r.int64(0)
                var allotted = r.int(3)
                while next < fills.endIndex && fills[next].lineNo < Int32(truncatingIfNeeded: r.int(1)) { next += 1 }
                if next < fills.endIndex && fills[next].id == id { allotted = Int(fills[next].target) }
                lines.append(.init(lineID: id, remaining: r.int(2), allotted: allotted, onShipment: r.int(4),
                                   wholeLine: r.int(5) != 0, inventoried: r.int(6) != 0))
                lineNumbers[id] = r.int(1)
                return true
            }
            planned = ShipmentPlanning.newItems(lines: lines, policy: policy)
        }
        var onShipment: [Int64: Int] = [:]
        for item in planned { onShipment[item.lineID] = item.quantity }

        // The lines: filled ones take their allotment, BO flag and what goes on the shipment.
        for f in fills {
            try fillLine.execute([f.id, Int64(f.target), f.remaining > f.target ? 1 : 0, Int64(onShipment.removeValue(forKey: f.id) ?? 0)])
        }
        for item in planned where onShipment[item.lineID] != nil {
            try shipLine.execute([item.lineID, Int64(item.quantity)])
        }
        guard !planned.isEmpty else { return }

        var shipmentID: Int64?
        var otherOrder: String?
        try pendingOfOrder.forEachRow([orderID]) { r in
            shipmentID = r.int64(0)
            return false
        }
        if shipmentID == nil && e.prefs.appendByLocation {
            try pendingAtLocation.forEachRow([customerID, locationID]) { r in
                shipmentID = r.int64(0)
                otherOrder = r.text(1)
                return false
            }
        }
        let appended = shipmentID != nil
        if shipmentID == nil {
            try newShipment.execute([orderID, customerID, locationID], text: [e.at])
            shipmentID = e.db.lastInsertedRowID
        }
        let sid = shipmentID!
        for item in planned {
            var existing: Int64?
            if appended {
                try itemOnShipment.forEachRow([sid, item.lineID]) { r in
                    existing = r.int64(0)
                    return false
                }
            }
            if let existing {
                try growItem.execute([existing, Int64(item.quantity)])
            } else {
                try newItem.execute([sid, item.lineID, Int64(item.quantity)])
            }
        }
        let items = planned.map { (line: lineNumbers[$0.lineID]!, quantity: $0.quantity) }
        let event: LogEvent
        if appended {
            e.stats.shipmentsAppended += 1
            event = .shipmentAppended(shipment: sid, items: items, fromOrder: otherOrder == number ? nil : otherOrder)
        } else {
            e.stats.shipmentsCreated += 1
            event = .shipmentCreated(shipment: sid, items: items)
        }
        try log.execute([orderID], text: [e.at, e.actor, event.kind, event.sentence])
    }
}
