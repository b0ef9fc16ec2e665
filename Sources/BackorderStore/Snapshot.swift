import BackorderCore
import GRDB

/// The figures the engine works out inside a write transaction — what a line entered now may
/// take, projected fill dates, replenishment suggestions — worked out from a read snapshot, so
/// that a screen or a command never builds a write transaction's worth of work to read.
///
/// The engine asks the same questions inside its transaction through this type: these are the
/// only copies of those queries.
struct Snapshot {
    let db: SQLConnection

    /// The preferences as the engine reads them (the defaults when the row cannot be read).
    var preferences: Preferences { (try? Preferences.load(db)) ?? Preferences() }

    /// Every open line of a (LIC, location), in queue order.
    func queue(_ key: StockKey) throws -> [LineRow] {
        try LineRow.fetchAll(db, sql: """
            WHERE lic_id = ? AND location_id = ? AND is_open = 1
            ORDER BY priority DESC, entered_seq, order_id, line_no
            """, arguments: [key.licID, key.locationID])
    }

    /// What a line entered now at `priority` may take from a (LIC, location) (§4.1), and how
    /// much of that is free stock (the rest comes from lines behind it). `fairQueue`: the
    /// preference, if the caller has it (the engine reads it once per transaction).
    func availableToOrder(_ key: StockKey, priority: Int, fairQueue: Bool? = nil) throws -> (available: Int, free: Int) {
        // The per-priority cache answers "how much do the lines ahead need, how much can be taken
        // from the lines behind" in a handful of rows, however long the queue. One read with the
        // balance, through the C API: entry asks this for every line.
        var b = (onHand: 0, allotted: 0, fixed: 0, needAhead: 0, movableBehind: 0)
        try RawStatement(cached: db, sql: """
            SELECT coalesce(b.on_hand, 0), coalesce(b.allotted, 0), coalesce(b.frozen + b.dedicated, 0),
                   (SELECT coalesce(sum(CASE WHEN priority >= ?1 THEN need END), 0) FROM queue_need WHERE lic_id = ?2 AND location_id = ?3),
                   (SELECT coalesce(sum(CASE WHEN priority < ?1 THEN movable END), 0) FROM queue_need WHERE lic_id = ?2 AND location_id = ?3)
            FROM (SELECT 1) AS one LEFT JOIN balance b ON b.lic_id = ?2 AND b.location_id = ?3
            """).forEachRow([Int64(priority), key.licID, key.locationID]) { r in
            b = (r.int(0), r.int(1), r.int(2), r.int(3), r.int(4))
            return false
        }
        let available = Allocation.availableToOrder(
            onHand: b.onHand, allotted: b.allotted, fixedTotal: b.fixed,
            needAhead: b.needAhead, movableBehind: b.movableBehind, fairQueue: fairQueue ?? preferences.fairQueue)
        return (available, max(0, b.onHand - b.allotted))
    }

    /// Projected fill dates for a (LIC, location)'s lines with unmet need: every line, or only
    /// `window` (lines of the queue in queue order, e.g. one page or one order's lines), in which
    /// case what the lines ahead of it consume comes from the `unmet_block` cache instead of the queue.
    func projectedDates(_ key: StockKey, today: Day, window: [LineRow]? = nil, windowStartsQueue: Bool = false) throws -> [Int64: Day?] {
        var consumedAhead = 0
        let lines: [LineRow]
        if let window {
            lines = window.filter { $0.isOpen && $0.remaining > $0.allotted }.sorted { $0.key < $1.key }
            guard !lines.isEmpty else { return [:] }
        } else {
            lines = try queue(key).filter { $0.remaining > $0.allotted }
        }
        let supplies = try db.fetchAll(cached: true, sql: """
            SELECT p.expected, pl.qty - pl.received - pl.cancelled - pl.attached FROM po_line pl
            JOIN purchase_order p ON p.id = pl.po_id
            WHERE pl.lic_id = ? AND p.location_id = ? AND p.status = 'open' AND pl.qty - pl.received - pl.cancelled - pl.attached > 0
            """, arguments: [key.licID, key.locationID]).map { Projection.Supply(expected: ($0[0] as String?).flatMap(Day.init), free: $0[1]) }
        if let first = lines.first, window != nil, !windowStartsQueue {
            // Nothing free on open POs: what the lines ahead need cannot change any date.
            if supplies.contains(where: { $0.free > 0 }) { consumedAhead = try unattachedNeedAhead(key, of: first) }
        }
        var byLine: [Int64: [(expected: Day?, qty: Int)]] = [:]
        for line in lines where line.attached > 0 {
            for a in try db.fetchAll(cached: true, sql: """
                SELECT p.expected, a.qty FROM po_attachment a JOIN po_line pl ON pl.id = a.po_line_id
                JOIN purchase_order p ON p.id = pl.po_id WHERE a.line_id = ?
                """, arguments: [line.id]) {
                byLine[line.id, default: []].append(((a[0] as String?).flatMap(Day.init), a[1]))
            }
        }
        return Projection.fillDates(
            queue: lines.map { Projection.Line(lineID: $0.id, unmet: $0.remaining - $0.allotted, attachments: byLine[$0.id] ?? []) },
            supplies: supplies, today: today, consumedAhead: consumedAhead)
    }

    /// The unattached unmet need of the open lines queued ahead of `line` in a (LIC, location):
    /// from the caches, the priorities above and the spans of blocks before its own
    /// (`unmet_span`), then the blocks before its own in its span (`unmet_block`); plus the short
    /// lines ahead of it in its own block.
    func unattachedNeedAhead(_ key: StockKey, of line: LineRow) throws -> Int {
        let block = line.enteredSeq >> Derivation.blockShift, span = Derivation.span(ofBlock: block)
        let blocks = try db.fetchOne(Int.self, cached: true, sql: """
            SELECT (SELECT coalesce(sum(unmet), 0) FROM unmet_span WHERE lic_id = ?1 AND location_id = ?2 AND priority > ?3)
                 + (SELECT coalesce(sum(unmet), 0) FROM unmet_span WHERE lic_id = ?1 AND location_id = ?2 AND priority = ?3 AND span < ?4)
                 + (SELECT coalesce(sum(unmet), 0) FROM unmet_block
                    WHERE lic_id = ?1 AND location_id = ?2 AND priority = ?3 AND block >= ?5 AND block < ?6)
            """, arguments: [key.licID, key.locationID, line.priority, span, span << Derivation.spanShift, block]) ?? 0
        let inBlock = try db.fetchOne(Int.self, cached: true, sql: """
            SELECT coalesce(sum(max(0, ordered - cancelled - shipped - allotted - attached)), 0) FROM order_line
            WHERE lic_id = ?1 AND location_id = ?2 AND bo = 1 AND priority = ?3 AND entered_seq >= ?4
              AND (entered_seq, order_id, line_no) < (?5, ?6, ?7)
            """, arguments: [key.licID, key.locationID, line.priority, block << Derivation.blockShift,
                              line.enteredSeq, line.orderID, line.lineNo]) ?? 0
        return blocks + inBlock
    }

    /// Suggested purchase quantities per (LIC, location); `countDrafts` subtracts what draft POs
    /// already hold.
    func replenishmentSuggestions(countDrafts: Bool) throws -> [Engine.Suggestion] {
        try db.fetchAll(cached: true, sql: """
            WITH drafts AS (SELECT pl.lic_id, p.location_id, sum(pl.qty) AS qty FROM po_line pl
                            JOIN purchase_order p ON p.id = pl.po_id WHERE p.status = 'draft' GROUP BY 1, 2),
                 keys AS (SELECT l.id AS lic_id, loc.id AS location_id FROM lic l, location loc WHERE l.inventoried = 1)
            SELECT k.lic_id, k.location_id, l.vendor_id, coalesce(b.demand - b.allotted, 0), l.min_stock,
                   coalesce(b.on_hand - b.allotted, 0), coalesce(b.on_order, 0), coalesce(d.qty, 0), l.reorder_multiple
            FROM keys k JOIN lic l ON l.id = k.lic_id
            LEFT JOIN balance b ON b.lic_id = k.lic_id AND b.location_id = k.location_id
            LEFT JOIN drafts d ON d.lic_id = k.lic_id AND d.location_id = k.location_id
            WHERE coalesce(b.demand - b.allotted, 0) > 0 OR (l.min_stock > 0 AND (b.lic_id IS NOT NULL OR k.location_id = (SELECT min(id) FROM location)))
            ORDER BY l.code, k.location_id
            """).compactMap { r in
            let q = Replenishment.suggestion(backordered: r[3], minStock: r[4], available: r[5], onOrder: r[6],
                                             drafted: countDrafts ? r[7] : 0, multiple: r[8])
            return q > 0 ? Engine.Suggestion(licID: r[0], locationID: r[1], vendorID: r[2], qty: q, backordered: r[3], minStock: r[4],
                                             available: r[5], onOrder: r[6], drafted: countDrafts ? r[7] : 0, multiple: r[8]) : nil
        }
    }
}
