import BackorderCore
import GRDB

/// The backorder processes' bulk path. A run over thousands of (LIC, location)s fills hundreds of
/// thousands of lines; written one line at a time (`setAllotment`: a line update, four cache
/// updates and a log row, then shipments order by order) that is a dozen statements per line.
/// Here the fill of every key is read into memory (only the short lines of a queue settled before
/// its supply arrived, stopping where the free stock runs out), the caches move by sums per key,
/// priority and block, the record log gets one row per order, and the lines that only *gain*
/// allotment, their shipments and items are written by a handful of set-based statements — the
/// same columns, caches, log sentences and shipments `setAllotment`, `finish` and
/// `buildShipments` would write, which `BulkProcessTests` and `check` hold it to. Lines that lose
/// allotment (their shipments shrink) or hold PO attachments (which shrink as allotment grows)
/// still go one by one, first. The per-line loops bind and step through `RawStatement`.
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
        // One by one: what shrinks (take before giving), then what grows but holds attachments.
        let special = fills.filter(\.isSpecial).sorted { a, b in
            (a.target >= a.allotted ? 1 : 0, a.id) < (b.target >= b.allotted ? 1 : 0, b.id)
        }
        for f in special {
            try setAllotment(lineID: f.id, to: Int(f.target), source: source)
        }
        fills.removeAll(where: \.isSpecial)
        fills.sort { $0.id < $1.id }
        try growInBulk(fills, source: source)
    }

    /// Writes the growth of `lines` (open, without attachments, gaining allotment, by id): the
    /// record log, the caches, then the shipments of their orders and of those the line-by-line
    /// changes marked, and the lines themselves.
    private func growInBulk(_ lines: [Fill], source: AllotmentSource) throws {
        stats.linesFilled += lines.count
        stats.unitsAllotted += lines.reduce(0) { $0 + $1.gain }

        // The record log: one row per order for all this run allotted to it, the lines filled one
        // by one above included — "Allotted 5 L1 to line 2 and 3 L7 to line 4 by the primary …".
        // Orders in number order, walked through an index of the lines rather than a copy.
        let oneByOne = takeProcessAllotments()
        let byOrder = lines.indices.sorted { (lines[$0].orderID, lines[$0].lineNo) < (lines[$1].orderID, lines[$1].lineNo) }
        let oneByOneOrders = oneByOne.keys.sorted()
        let log = try RawStatement(db, sql: "INSERT INTO order_log (order_id, at, actor, kind, message) VALUES (?, ?, ?, 'allot', ?)")
        var i = 0, j = 0
        while i < byOrder.count || j < oneByOneOrders.count {
            let orderID = min(i < byOrder.count ? lines[byOrder[i]].orderID : .max, j < oneByOneOrders.count ? oneByOneOrders[j] : .max)
            var items: [LogEvent.Allotment] = []
            if j < oneByOneOrders.count && oneByOneOrders[j] == orderID {
                items = oneByOne[orderID]!.items
                j += 1
            }
            while i < byOrder.count && lines[byOrder[i]].orderID == orderID {
                let l = lines[byOrder[i]]
                items.append(LogEvent.Allotment(line: Int(l.lineNo), lic: try licCode(l.licID), quantity: l.gain,
                                                boCleared: l.target == l.remaining))
                i += 1
            }
            try log.execute([orderID], text: [at, actor, LogEvent.allottedLines(items: items, source: source).sentence])
        }

        // The caches, by the differences (an open line gaining allotment: its need, frozen and
        // dedicated stay; movable grows and unmet need shrinks by the gain; BO clears when full).
        struct Priority: Hashable, Comparable {
            var lic: Int64, location: Int64, priority: Int, block: Int64
            static func < (a: Self, b: Self) -> Bool {
                (a.lic, a.location, a.priority, a.block) < (b.lic, b.location, b.priority, b.block)
            }
        }
        var balance: [Priority: Int] = [:], need: [Priority: Int] = [:], unmet: [Priority: Int] = [:]
        var buckets: [Priority: Int] = [:], orders: [Int64: Int] = [:]
        for l in lines {
            let gain = l.gain, block = l.enteredSeq >> BOBuckets.shift, location = Int64(l.locationID), priority = Int(l.priority)
            balance[Priority(lic: l.licID, location: location, priority: 0, block: 0), default: 0] += gain
            need[Priority(lic: l.licID, location: location, priority: priority, block: 0), default: 0] += gain
            unmet[Priority(lic: l.licID, location: location, priority: priority, block: block), default: 0] += gain
            orders[l.orderID, default: 0] += 0
            if l.target == l.remaining {
                buckets[Priority(lic: 0, location: 0, priority: priority, block: block), default: 0] += 1
                orders[l.orderID, default: 0] += 1
            }
        }
        func write(_ sql: String, _ rows: [Priority: Int], _ arguments: (Priority, Int) -> [Int64]) throws {
            let update = try RawStatement(db, sql: sql)
            for (k, v) in rows.sorted(by: { $0.key < $1.key }) { try update.execute(arguments(k, v)) }
        }
        try write("UPDATE balance SET allotted = allotted + ?3 WHERE lic_id = ?1 AND location_id = ?2", balance) {
            [$0.lic, $0.location, Int64($1)]
        }
        try write("UPDATE queue_need SET movable = movable + ?4 WHERE lic_id = ?1 AND location_id = ?2 AND priority = ?3", need) {
            [$0.lic, $0.location, Int64($0.priority), Int64($1)]
        }
        try write("""
            UPDATE unmet_block SET unmet = unmet - ?5 WHERE lic_id = ?1 AND location_id = ?2 AND priority = ?3 AND block = ?4
            """, unmet) { [$0.lic, $0.location, Int64($0.priority), $0.block, Int64($1)] }
        try write("UPDATE bo_bucket SET lines = lines - ?3 WHERE bucket = ?1 AND priority = ?2", buckets) {
            [$0.block, Int64($0.priority), Int64($1)]
        }
        let clearOrder = try RawStatement(db, sql: "UPDATE orders SET bo_lines = bo_lines - ?2 WHERE id = ?1")
        for (id, cleared) in orders.sorted(by: { $0.key < $1.key }) where cleared > 0 {
            try clearOrder.execute([id, Int64(cleared)])
        }

        // The lines and their orders, for the shipments and the line update.
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS bulk_fill (id INTEGER PRIMARY KEY, target INTEGER NOT NULL, bo INTEGER NOT NULL);
            CREATE TEMP TABLE IF NOT EXISTS bulk_order (order_id INTEGER PRIMARY KEY);
            DELETE FROM temp.bulk_fill;
            DELETE FROM temp.bulk_order;
            """)
        defer { try? db.execute(sql: "DELETE FROM temp.bulk_fill; DELETE FROM temp.bulk_order") }
        let addLine = try RawStatement(db, sql: "INSERT INTO temp.bulk_fill (id, target, bo) VALUES (?, ?, ?)")
        for l in lines { try addLine.execute([l.id, Int64(l.target), l.remaining > l.target ? 1 : 0]) }
        let addOrder = try RawStatement(db, sql: "INSERT INTO temp.bulk_order (order_id) VALUES (?)")
        for id in orders.keys.sorted() { try addOrder.execute([id]) }
        try shipInBulk()
    }

    /// Builds the shipments of the orders in `temp.bulk_order` (those of `temp.bulk_fill`) and of
    /// those the line-by-line changes marked, as `buildShipments` would once the lines hold their
    /// targets, in order number order: items for allotted quantity not yet on a shipment
    /// (whole-line lines when full, ship-complete orders when nothing is short), onto the order's
    /// Pending shipment, else (preference) one of the same customer and location, else a new one.
    /// Then writes the filled lines — allotment, BO flag and quantity on shipment in one update.
    private func shipInBulk() throws {
        let complete = FulfillmentPolicy.allCases.filter(\.shipsComplete).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS bulk_item (line_id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL,
                line_no INTEGER NOT NULL, qty INTEGER NOT NULL);
            CREATE TEMP TABLE IF NOT EXISTS bulk_ship (order_id INTEGER PRIMARY KEY, shipment_id INTEGER,
                appended INTEGER NOT NULL DEFAULT 0, other_order TEXT);
            DELETE FROM temp.bulk_item;
            DELETE FROM temp.bulk_ship;
            """)
        defer { try? db.execute(sql: "DELETE FROM temp.bulk_item; DELETE FROM temp.bulk_ship") }
        for id in ordersToShipSnapshot() {
            try exec(sql: "INSERT OR IGNORE INTO temp.bulk_order (order_id) VALUES (?)", arguments: [id])
        }
        restoreOrdersToShip([])
        // A line's allotment as it will be: its target if it is being filled.
        try exec(sql: """
            INSERT INTO temp.bulk_item (line_id, order_id, line_no, qty)
            SELECT l.id, l.order_id, l.line_no, coalesce(f.target, l.allotted) - l.on_shipment
            FROM temp.bulk_order s CROSS JOIN orders o ON o.id = s.order_id
            CROSS JOIN order_line l ON l.order_id = o.id
            LEFT JOIN temp.bulk_fill f ON f.id = l.id
            WHERE o.status = 'open' AND +l.is_open = 1 AND +l.inventoried = 1 AND coalesce(f.target, l.allotted) > l.on_shipment
              AND NOT (l.whole_line = 1 AND coalesce(f.target, l.allotted) < l.ordered - l.cancelled - l.shipped)
              AND (o.policy NOT IN (\(complete)) OR o.bo_lines = 0)
            """)
        try exec(sql: """
            INSERT INTO temp.bulk_ship (order_id, shipment_id)
            SELECT DISTINCT i.order_id, (SELECT max(s.id) FROM shipment s WHERE s.order_id = i.order_id AND s.status = 'pending')
            FROM temp.bulk_item i
            """)
        try exec(sql: "UPDATE temp.bulk_ship SET appended = 1 WHERE shipment_id IS NOT NULL")
        if prefs.appendByLocation {
            // Order by order, as each new shipment may take the next order's items.
            for orderID in try fetchValues(Int64.self, sql: "SELECT order_id FROM temp.bulk_ship WHERE shipment_id IS NULL ORDER BY order_id") {
                let order = try self.order(orderID)
                if let r = try fetchRow(sql: """
                    SELECT s.id, o.number FROM shipment s JOIN orders o ON o.id = s.order_id
                    WHERE s.customer_id = ? AND s.location_id = ? AND s.status = 'pending'
                    ORDER BY s.id DESC LIMIT 1
                    """, arguments: [order.customerID, order.locationID]) {
                    try exec(sql: "UPDATE temp.bulk_ship SET shipment_id = ?, appended = 1, other_order = ? WHERE order_id = ?",
                             arguments: [r[0] as Int64, r[1] as String, orderID])
                } else {
                    try exec(sql: """
                        INSERT INTO shipment (order_id, customer_id, location_id, status, created_at) VALUES (?, ?, ?, 'pending', ?)
                        """, arguments: [orderID, order.customerID, order.locationID, at])
                    try exec(sql: "UPDATE temp.bulk_ship SET shipment_id = ? WHERE order_id = ?", arguments: [db.lastInsertedRowID, orderID])
                }
            }
        } else {
            try exec(sql: """
                INSERT INTO shipment (order_id, customer_id, location_id, status, created_at)
                SELECT p.order_id, o.customer_id, o.location_id, 'pending', ? FROM temp.bulk_ship p CROSS JOIN orders o ON o.id = p.order_id
                WHERE p.shipment_id IS NULL ORDER BY p.order_id
                """, arguments: [at])
            try exec(sql: """
                UPDATE temp.bulk_ship SET shipment_id = (SELECT max(s.id) FROM shipment s WHERE s.order_id = bulk_ship.order_id AND s.status = 'pending')
                WHERE shipment_id IS NULL
                """)
        }
        // Items: added to the line's item on that shipment if it has one, else new.
        try exec(sql: """
            UPDATE shipment_item SET qty = qty + (SELECT i.qty FROM temp.bulk_item i WHERE i.line_id = shipment_item.line_id)
            WHERE id IN (SELECT x.id FROM temp.bulk_item i CROSS JOIN temp.bulk_ship p ON p.order_id = i.order_id
                         CROSS JOIN shipment_item x ON x.line_id = i.line_id AND x.shipment_id = p.shipment_id
                         WHERE p.appended = 1)
            """)
        try exec(sql: """
            INSERT INTO shipment_item (shipment_id, line_id, qty)
            SELECT p.shipment_id, i.line_id, i.qty FROM temp.bulk_item i CROSS JOIN temp.bulk_ship p ON p.order_id = i.order_id
            WHERE p.appended = 0 OR NOT EXISTS (SELECT 1 FROM shipment_item x WHERE x.line_id = i.line_id AND x.shipment_id = p.shipment_id)
            ORDER BY i.line_id
            """)
        try exec(sql: """
            UPDATE order_line SET (allotted, bo, on_shipment) = (
                SELECT f.target, f.bo, order_line.on_shipment + coalesce((SELECT i.qty FROM temp.bulk_item i WHERE i.line_id = f.id), 0)
                FROM temp.bulk_fill f WHERE f.id = order_line.id)
            WHERE id IN (SELECT id FROM temp.bulk_fill)
            """)
        try exec(sql: """
            UPDATE order_line SET on_shipment = on_shipment + (SELECT i.qty FROM temp.bulk_item i WHERE i.line_id = order_line.id)
            WHERE id IN (SELECT line_id FROM temp.bulk_item WHERE line_id NOT IN (SELECT id FROM temp.bulk_fill))
            """)
        // The record log: "Shipment 12 created: line 1 × 5, …" or "Added … to pending shipment 12".
        // Both lists are in order order: the items are walked alongside their shipments.
        let items = try RawStatement(db, sql: "SELECT order_id, line_no, qty FROM temp.bulk_item ORDER BY order_id, line_no")
        var itemsByOrder: [(order: Int64, line: Int, quantity: Int)] = []
        try items.forEachRow { r in
            itemsByOrder.append((r.int64(0), r.int(1), r.int(2)))
            return true
        }
        let log = try RawStatement(db, sql: "INSERT INTO order_log (order_id, at, actor, kind, message) VALUES (?, ?, ?, ?, ?)")
        var next = 0
        try RawStatement(db, sql: """
            SELECT p.order_id, p.shipment_id, p.appended, coalesce(p.other_order, ''), coalesce(p.other_order <> o.number, 0)
            FROM temp.bulk_ship p CROSS JOIN orders o ON o.id = p.order_id ORDER BY p.order_id
            """).forEachRow { r in
            let orderID = r.int64(0)
            while next < itemsByOrder.count && itemsByOrder[next].order < orderID { next += 1 }
            var list: [(line: Int, quantity: Int)] = []
            while next < itemsByOrder.count && itemsByOrder[next].order == orderID {
                list.append((itemsByOrder[next].line, itemsByOrder[next].quantity))
                next += 1
            }
            let event: LogEvent = r.int(2) == 1
                ? .shipmentAppended(shipment: r.int64(1), items: list, fromOrder: r.int(4) == 1 ? r.text(3) : nil)
                : .shipmentCreated(shipment: r.int64(1), items: list)
            try log.execute([orderID], text: [at, actor, event.kind, event.sentence])
            return true
        }
        if let r = try fetchRow(sql: "SELECT coalesce(sum(appended = 0), 0), coalesce(sum(appended), 0) FROM temp.bulk_ship") {
            stats.shipmentsCreated += r[0]
            stats.shipmentsAppended += r[1]
        }
    }
}
