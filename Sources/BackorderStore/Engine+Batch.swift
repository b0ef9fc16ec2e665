import BackorderCore
import GRDB

/// The backorder processes' bulk path. A run over thousands of (LIC, location)s fills hundreds of
/// thousands of lines; written one line at a time (`setAllotment`: a line update, four cache
/// updates and a log row, then shipments order by order) that is a dozen statements per line.
/// Here the canonical fill of every key is computed into a temporary table and the lines that
/// only *gain* allotment are written by a handful of set-based statements — the same columns,
/// caches, log sentences and shipments `setAllotment` and `buildShipments` would write, which the
/// property tests and `check` hold it to. Lines that lose allotment (their shipments shrink) or
/// hold PO attachments (which shrink as allotment grows) still go one by one, first.
extension Engine {
    /// Makes every key's allotments its canonical fill, as `canonicalize` does key by key.
    func canonicalizeInBulk(_ keys: [StockKey], source: AllotmentSource) throws {
        Engine.addLogFunctions(db)
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS bulk_fill (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL,
                line_no INTEGER NOT NULL, lic_id INTEGER NOT NULL, location_id INTEGER NOT NULL,
                priority INTEGER NOT NULL, entered_seq INTEGER NOT NULL, remaining INTEGER NOT NULL,
                allotted INTEGER NOT NULL, attached INTEGER NOT NULL, target INTEGER NOT NULL);
            DELETE FROM temp.bulk_fill;
            """)
        defer { try? db.execute(sql: "DELETE FROM temp.bulk_fill") }
        for key in keys {
            let b = try balance(key)
            // A queue settled before its supply arrived needs only its short lines re-filled.
            let (fill, pool) = try settledness(key) == .awaitingSupply
                ? (Engine.shortFillSQL, b.onHand - b.allotted)
                : (Engine.canonicalFillSQL, b.onHand - b.frozen - b.dedicated)
            try exec(sql: """
                INSERT INTO temp.bulk_fill (\(Engine.fillColumns), target)
                SELECT \(Engine.fillColumns), target FROM (\(fill)) WHERE target <> allotted
                """, arguments: [key.licID, key.locationID, pool])
            try setSettled(key, true)
        }
        // One by one: what shrinks (take before giving), then what grows but holds attachments.
        let special = try fetchRows(sql: """
            SELECT id, target, target < allotted FROM temp.bulk_fill
            WHERE target < allotted OR attached > 0 ORDER BY target >= allotted, id
            """)
        for r in special {
            try exec(sql: "DELETE FROM temp.bulk_fill WHERE id = ?", arguments: [r[0] as Int64])
        }
        for r in special {
            try setAllotment(lineID: r[0], to: r[1], source: source)
        }
        try growInBulk(source: source)
    }

    /// Writes the growth in `temp.bulk_fill` (lines open, without attachments, gaining
    /// allotment), and the shipments of their orders and of those the line-by-line changes marked.
    private func growInBulk(source: AllotmentSource) throws {
        guard let totals = try fetchRow(sql: "SELECT count(*), coalesce(sum(target - allotted), 0) FROM temp.bulk_fill") else { return }
        // The record log, from the lines as they were: "Allotted 5 L1 to line 2 by the primary …".
        try exec(sql: """
            INSERT INTO order_log (order_id, at, actor, kind, message)
            SELECT f.order_id, ?1, ?2, 'allot',
                   backorders_allotted(f.line_no, li.code, f.target - f.allotted, ?3, f.remaining = f.target)
            FROM temp.bulk_fill f CROSS JOIN lic li ON li.id = f.lic_id
            ORDER BY f.id
            """, arguments: [at, actor, source.rawValue])
        // The caches, by the differences (an open line gaining allotment: its need, frozen and
        // dedicated stay; movable grows and unmet need shrinks by the gain; BO clears when full).
        try exec(sql: """
            UPDATE balance SET allotted = allotted + g.gain
            FROM (SELECT lic_id, location_id, sum(target - allotted) AS gain FROM temp.bulk_fill GROUP BY 1, 2) g
            WHERE balance.lic_id = g.lic_id AND balance.location_id = g.location_id
            """)
        try exec(sql: """
            UPDATE queue_need SET movable = movable + g.gain
            FROM (SELECT lic_id, location_id, priority, sum(target - allotted) AS gain FROM temp.bulk_fill GROUP BY 1, 2, 3) g
            WHERE queue_need.lic_id = g.lic_id AND queue_need.location_id = g.location_id AND queue_need.priority = g.priority
            """)
        try exec(sql: """
            UPDATE unmet_block SET unmet = unmet - g.gain
            FROM (SELECT lic_id, location_id, priority, entered_seq >> \(BOBuckets.shift) AS block, sum(target - allotted) AS gain
                  FROM temp.bulk_fill GROUP BY 1, 2, 3, 4) g
            WHERE unmet_block.lic_id = g.lic_id AND unmet_block.location_id = g.location_id
              AND unmet_block.priority = g.priority AND unmet_block.block = g.block
            """)
        try exec(sql: """
            UPDATE bo_bucket SET lines = lines - g.cleared
            FROM (SELECT entered_seq >> \(BOBuckets.shift) AS bucket, priority, count(*) AS cleared
                  FROM temp.bulk_fill WHERE remaining = target GROUP BY 1, 2) g
            WHERE bo_bucket.bucket = g.bucket AND bo_bucket.priority = g.priority
            """)
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS bulk_order (order_id INTEGER PRIMARY KEY, cleared INTEGER NOT NULL DEFAULT 0);
            DELETE FROM temp.bulk_order;
            INSERT INTO temp.bulk_order (order_id, cleared)
                SELECT order_id, sum(remaining = target) FROM temp.bulk_fill GROUP BY order_id;
            UPDATE orders SET bo_lines = bo_lines - (SELECT g.cleared FROM temp.bulk_order g WHERE g.order_id = orders.id)
            WHERE id IN (SELECT order_id FROM temp.bulk_order WHERE cleared > 0);
            """)
        defer { try? db.execute(sql: "DELETE FROM temp.bulk_order") }
        stats.linesFilled += totals[0]
        stats.unitsAllotted += totals[1]
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
            UPDATE order_line SET allotted = (SELECT f.target FROM temp.bulk_fill f WHERE f.id = order_line.id),
                bo = ordered - cancelled - shipped > (SELECT f.target FROM temp.bulk_fill f WHERE f.id = order_line.id),
                on_shipment = on_shipment + coalesce((SELECT i.qty FROM temp.bulk_item i WHERE i.line_id = order_line.id), 0)
            WHERE id IN (SELECT id FROM temp.bulk_fill)
            """)
        try exec(sql: """
            UPDATE order_line SET on_shipment = on_shipment + (SELECT i.qty FROM temp.bulk_item i WHERE i.line_id = order_line.id)
            WHERE id IN (SELECT line_id FROM temp.bulk_item WHERE line_id NOT IN (SELECT id FROM temp.bulk_fill))
            """)
        try exec(sql: """
            INSERT INTO order_log (order_id, at, actor, kind, message)
            SELECT p.order_id, ?, ?, CASE WHEN p.appended = 1 THEN 'append' ELSE 'shipment' END,
                   backorders_shipment(p.appended, p.shipment_id, p.other_order = o.number, p.other_order, g.items)
            FROM temp.bulk_ship p CROSS JOIN orders o ON o.id = p.order_id
            JOIN (SELECT order_id, group_concat(line_no || ':' || qty) AS items FROM temp.bulk_item GROUP BY order_id) g
              ON g.order_id = p.order_id
            ORDER BY p.order_id
            """, arguments: [at, actor])
        if let r = try fetchRow(sql: "SELECT coalesce(sum(appended = 0), 0), coalesce(sum(appended), 0) FROM temp.bulk_ship") {
            stats.shipmentsCreated += r[0]
            stats.shipmentsAppended += r[1]
        }
    }

    /// SQL functions that write the record log's sentences from `LogEvent`, so a bulk insert logs
    /// exactly what the line-by-line path logs.
    static func addLogFunctions(_ db: Database) {
        db.add(function: DatabaseFunction("backorders_allotted", argumentCount: 5, pure: true) { v in
            let source = String.fromDatabaseValue(v[3]).flatMap(AllotmentSource.init(rawValue:)) ?? .primary
            return LogEvent.allotted(line: Int.fromDatabaseValue(v[0]) ?? 0, lic: String.fromDatabaseValue(v[1]) ?? "",
                                     quantity: Int.fromDatabaseValue(v[2]) ?? 0, source: source,
                                     boCleared: Bool.fromDatabaseValue(v[4]) ?? false).sentence
        })
        db.add(function: DatabaseFunction("backorders_shipment", argumentCount: 5, pure: true) { v in
            // Items arrive as "line:qty,line:qty" in any order; the sentence lists them by line.
            let items = (String.fromDatabaseValue(v[4]) ?? "").split(separator: ",").compactMap { pair -> (line: Int, quantity: Int)? in
                let parts = pair.split(separator: ":")
                guard parts.count == 2, let line = Int(parts[0]), let qty = Int(parts[1]) else { return nil }
                return (line, qty)
            }.sorted { $0.line < $1.line }
            let shipment = Int64.fromDatabaseValue(v[1]) ?? 0
            if Bool.fromDatabaseValue(v[0]) ?? false {
                let sameOrder = Bool.fromDatabaseValue(v[2]) ?? true
                return LogEvent.shipmentAppended(shipment: shipment, items: items,
                                                 fromOrder: sameOrder ? nil : String.fromDatabaseValue(v[3])).sentence
            }
            return LogEvent.shipmentCreated(shipment: shipment, items: items).sentence
        })
    }
}
