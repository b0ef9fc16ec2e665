import BackorderCore
import GRDB

/// The invariant check in SQL: one statement per rule, each an independent reading of I1–I6 (a
/// dozen scans of the lines). It is PostgreSQL's `check` ("recomputing everything with SQL"),
/// and on SQLite the oracle the two-read `InvariantCheck` is held to, message for message.
enum SQLCheck {
    static func violations(_ db: SQLConnection) throws -> [InvariantCheck.Violation] { try run(db) }

    static func run(_ db: SQLConnection) throws -> [InvariantCheck.Violation] {
        var out: [InvariantCheck.Violation] = []
        func add(_ inv: String, _ sql: String, _ format: (SQLRow) -> String) throws {
            for row in try db.fetchAll(sql: sql) { out.append(InvariantCheck.Violation(invariant: inv, message: format(row))) }
        }
        let keyName = "(SELECT code FROM lic WHERE id = x.lic_id) || '@' || (SELECT code FROM location WHERE id = x.location_id)"
        let lineName = "'order ' || (SELECT number FROM orders WHERE id = l.order_id) || ' line ' || l.line_no"

        // Recomputed figures per (LIC, location).
        let recomputed = """
            WITH keys AS (
                SELECT lic_id, location_id FROM balance
                UNION SELECT lic_id, location_id FROM ledger
                UNION SELECT lic_id, location_id FROM order_line WHERE inventoried = 1),
            led AS (SELECT lic_id, location_id, sum(qty) AS on_hand FROM ledger GROUP BY 1, 2),
            ln AS (SELECT lic_id, location_id, sum(allotted) AS allotted, sum(frozen) AS frozen,
                          sum(dedicated) AS dedicated,
                          sum(CASE WHEN is_open = 1 THEN ordered - cancelled - shipped ELSE 0 END) AS demand
                   FROM order_line WHERE inventoried = 1 GROUP BY 1, 2)
            SELECT k.lic_id, k.location_id,
                   coalesce(led.on_hand, 0) AS on_hand, coalesce(ln.allotted, 0) AS allotted,
                   coalesce(ln.frozen, 0) AS frozen, coalesce(ln.dedicated, 0) AS dedicated,
                   coalesce(ln.demand, 0) AS demand,
                   b.on_hand AS c_on_hand, b.allotted AS c_allotted, b.frozen AS c_frozen,
                   b.dedicated AS c_dedicated, b.demand AS c_demand
            FROM keys k
            LEFT JOIN led ON led.lic_id = k.lic_id AND led.location_id = k.location_id
            LEFT JOIN ln ON ln.lic_id = k.lic_id AND ln.location_id = k.location_id
            LEFT JOIN balance b ON b.lic_id = k.lic_id AND b.location_id = k.location_id
            """
        try add("I1", "SELECT \(keyName), on_hand, allotted FROM (\(recomputed)) x WHERE on_hand < 0 OR allotted < 0 OR allotted > on_hand") {
            "\($0[0] as String? ?? "?"): on hand \($0[1] as Int), allotted \($0[2] as Int) (need 0 ≤ allotted ≤ on hand, on hand ≥ 0)"
        }
        try add("I5", """
            SELECT \(keyName), on_hand, c_on_hand, allotted, c_allotted, frozen, c_frozen, dedicated, c_dedicated, demand, c_demand
            FROM (\(recomputed)) x
            WHERE c_on_hand IS NULL OR on_hand <> c_on_hand OR allotted <> c_allotted OR frozen <> c_frozen
               OR dedicated <> c_dedicated OR demand <> c_demand
            """) { r in
            let names = ["on hand", "allotted", "frozen", "dedicated", "demand"]
            var diffs: [String] = []
            for (i, n) in names.enumerated() {
                let real: Int = r[1 + 2 * i]
                let cached: Int? = r[2 + 2 * i]
                if cached != real { diffs.append("\(n) cached \(cached.map(String.init) ?? "missing"), recomputed \(real)") }
            }
            return "\(r[0] as String? ?? "?") balance: " + diffs.joined(separator: "; ")
        }
        try add("I2", """
            SELECT \(lineName), ordered, cancelled, shipped, allotted FROM order_line l
            WHERE cancelled < 0 OR shipped < 0 OR shipped > ordered - cancelled OR allotted < 0
               OR allotted > ordered - cancelled - shipped
            """) { "\($0[0] as String): ordered \($0[1] as Int), cancelled \($0[2] as Int), shipped \($0[3] as Int), allotted \($0[4] as Int)" }
        try add("I2", "SELECT \(lineName), allotted FROM order_line l WHERE is_open = 0 AND allotted <> 0") {
            "\($0[0] as String) is not open but holds \($0[1] as Int) allotted"
        }
        try add("I3", """
            SELECT \(lineName), bo, is_open, ordered - cancelled - shipped - allotted FROM order_line l
            WHERE bo <> CASE WHEN is_open = 1 AND ordered - cancelled - shipped - allotted > 0 THEN 1 ELSE 0 END
            """) { "\($0[0] as String): BO flag \($0[1] as Bool), open \($0[2] as Bool), unmet \($0[3] as Int)" }
        try add("I5", """
            SELECT \(lineName), is_open FROM order_line l JOIN orders o ON o.id = l.order_id
            WHERE l.is_open <> CASE WHEN o.status = 'open' AND l.inventoried = 1 AND l.ordered - l.cancelled - l.shipped > 0 THEN 1 ELSE 0 END
            """) { "\($0[0] as String): cached open flag \($0[1] as Bool) is wrong" }
        try add("I5", """
            SELECT \(lineName) FROM order_line l JOIN orders o ON o.id = l.order_id
            WHERE l.priority <> o.priority OR l.entered_seq <> o.entered_seq OR l.location_id <> o.location_id
            """) { "\($0[0] as String): cached priority, entry sequence or location differs from its order" }
        try add("I5", """
            SELECT * FROM (SELECT o.number, o.bo_lines, (SELECT count(*) FROM order_line l WHERE l.order_id = o.id AND l.bo = 1) AS n
                           FROM orders o) q WHERE bo_lines <> n
            """) { "order \($0[0] as String): cached BO line count \($0[1] as Int), recomputed \($0[2] as Int)" }
        let onShip = """
            SELECT l.id, \(lineName) AS name, l.allotted, l.on_shipment, l.frozen,
                   coalesce((SELECT sum(si.qty) FROM shipment_item si JOIN shipment s ON s.id = si.shipment_id
                             WHERE si.line_id = l.id AND s.status IN ('pending','picked')), 0) AS on_ship,
                   coalesce((SELECT sum(si.qty) FROM shipment_item si JOIN shipment s ON s.id = si.shipment_id
                             WHERE si.line_id = l.id AND s.status = 'picked'), 0) AS picked
            FROM order_line l
            """
        try add("I4", "SELECT name, on_ship, allotted FROM (\(onShip)) q WHERE on_ship > allotted") {
            "\($0[0] as String): \($0[1] as Int) on pending/picked shipments but only \($0[2] as Int) allotted"
        }
        try add("I5", "SELECT name, on_shipment, on_ship, frozen, picked FROM (\(onShip)) q WHERE on_shipment <> on_ship OR frozen <> picked") {
            "\($0[0] as String): cached on-shipment \($0[1] as Int) / frozen \($0[3] as Int), recomputed \($0[2] as Int) / \($0[4] as Int)"
        }
        try add("I5", "SELECT \(lineName), dedicated, allotted, frozen FROM order_line l WHERE dedicated < 0 OR frozen + dedicated > allotted") {
            "\($0[0] as String): dedicated \($0[1] as Int) + frozen \($0[3] as Int) exceed allotted \($0[2] as Int)"
        }
        // The queue-need cache entry uses instead of reading queues.
        try add("I5", """
            WITH real AS (
                SELECT lic_id, location_id, priority, sum(ordered - cancelled - shipped - min(allotted, frozen + dedicated)) AS need,
                       sum(allotted - min(allotted, frozen + dedicated)) AS movable
                FROM order_line WHERE is_open = 1 GROUP BY 1, 2, 3),
            all_keys AS (SELECT lic_id, location_id, priority FROM real UNION SELECT lic_id, location_id, priority FROM queue_need)
            SELECT \(keyName), x.priority, coalesce(r.need, 0), coalesce(q.need, 0), coalesce(r.movable, 0), coalesce(q.movable, 0)
            FROM all_keys x
            LEFT JOIN real r ON r.lic_id = x.lic_id AND r.location_id = x.location_id AND r.priority = x.priority
            LEFT JOIN queue_need q ON q.lic_id = x.lic_id AND q.location_id = x.location_id AND q.priority = x.priority
            WHERE coalesce(r.need, 0) <> coalesce(q.need, 0) OR coalesce(r.movable, 0) <> coalesce(q.movable, 0)
            """) { "\($0[0] as String? ?? "?") priority \($0[1] as Int): cached need \($0[3] as Int) / movable \($0[5] as Int), recomputed \($0[2] as Int) / \($0[4] as Int)" }
        // The Backorders list's length and positions.
        try add("I5", """
            WITH real AS (SELECT entered_seq >> \(Derivation.blockShift) AS block, priority, count(*) AS lines
                          FROM order_line WHERE bo = 1 GROUP BY 1, 2)
            SELECT x.block, x.priority, coalesce(r.lines, 0), coalesce(b.lines, 0)
            FROM (SELECT block, priority FROM real UNION SELECT block, priority FROM bo_block) x
            LEFT JOIN real r ON r.block = x.block AND r.priority = x.priority
            LEFT JOIN bo_block b ON b.block = x.block AND b.priority = x.priority
            WHERE coalesce(r.lines, 0) <> coalesce(b.lines, 0)
            """) { "BO lines of entries \(($0[0] as Int) << Derivation.blockShift)… at priority \($0[1] as Int): cached \($0[3] as Int), recomputed \($0[2] as Int)" }
        try add("I5", """
            WITH real AS (
                SELECT lic_id, location_id, priority, entered_seq >> \(Derivation.blockShift) AS block,
                       sum(max(0, ordered - cancelled - shipped - allotted - attached)) AS unmet,
                       sum(ordered - cancelled - shipped - min(allotted, frozen + dedicated)) AS need
                FROM order_line WHERE is_open = 1 GROUP BY 1, 2, 3, 4),
            all_keys AS (SELECT lic_id, location_id, priority, block FROM real
                     UNION SELECT lic_id, location_id, priority, block FROM unmet_block)
            SELECT \(keyName), x.priority, x.block, coalesce(r.unmet, 0), coalesce(u.unmet, 0), coalesce(r.need, 0), coalesce(u.need, 0)
            FROM all_keys x
            LEFT JOIN real r ON r.lic_id = x.lic_id AND r.location_id = x.location_id AND r.priority = x.priority AND r.block = x.block
            LEFT JOIN unmet_block u ON u.lic_id = x.lic_id AND u.location_id = x.location_id AND u.priority = x.priority AND u.block = x.block
            WHERE coalesce(r.unmet, 0) <> coalesce(u.unmet, 0) OR coalesce(r.need, 0) <> coalesce(u.need, 0)
            """) { "\($0[0] as String? ?? "?") priority \($0[1] as Int), entries \(($0[2] as Int) << Derivation.blockShift)…: cached unmet \($0[4] as Int) / need \($0[6] as Int), recomputed \($0[3] as Int) / \($0[5] as Int)" }
        try add("I5", """
            WITH real AS (
                SELECT lic_id, location_id, priority, entered_seq >> \(Derivation.blockShift + Derivation.spanShift) AS span,
                       sum(max(0, ordered - cancelled - shipped - allotted - attached)) AS unmet,
                       sum(ordered - cancelled - shipped - min(allotted, frozen + dedicated)) AS need
                FROM order_line WHERE is_open = 1 GROUP BY 1, 2, 3, 4),
            all_keys AS (SELECT lic_id, location_id, priority, span FROM real
                     UNION SELECT lic_id, location_id, priority, span FROM unmet_span)
            SELECT \(keyName), x.priority, x.span, coalesce(r.unmet, 0), coalesce(u.unmet, 0), coalesce(r.need, 0), coalesce(u.need, 0)
            FROM all_keys x
            LEFT JOIN real r ON r.lic_id = x.lic_id AND r.location_id = x.location_id AND r.priority = x.priority AND r.span = x.span
            LEFT JOIN unmet_span u ON u.lic_id = x.lic_id AND u.location_id = x.location_id AND u.priority = x.priority AND u.span = x.span
            WHERE coalesce(r.unmet, 0) <> coalesce(u.unmet, 0) OR coalesce(r.need, 0) <> coalesce(u.need, 0)
            """) { "\($0[0] as String? ?? "?") priority \($0[1] as Int), span of entries \(($0[2] as Int) << (Derivation.blockShift + Derivation.spanShift))…: cached unmet \($0[4] as Int) / need \($0[6] as Int), recomputed \($0[3] as Int) / \($0[5] as Int)" }
        // A queue marked settled must be exactly the greedy fill of its stock (§4.4): priority
        // changes on settled queues move only the lines that change, trusting this. The fill is
        // the core's (`Allocation.Fill`), walked over each such queue in queue order; a queue
        // settled but for waiting supply must be the fill of what it has allotted.
        out += try queuesMarkedSettled(db)
        // Purchasing: attachments, on order.
        try add("I5", """
            SELECT * FROM (SELECT \(lineName) AS name, l.attached, coalesce((SELECT sum(qty) FROM po_attachment a WHERE a.line_id = l.id), 0) AS real
                           FROM order_line l) q WHERE attached <> real
            """) { "\($0[0] as String): cached attached \($0[1] as Int), recomputed \($0[2] as Int)" }
        try add("I5", """
            SELECT \(lineName), l.attached, l.ordered - l.cancelled - l.shipped - l.allotted FROM order_line l
            WHERE l.attached > 0 AND (l.is_open = 0 OR l.attached > l.ordered - l.cancelled - l.shipped - l.allotted)
            """) { "\($0[0] as String): attached \($0[1] as Int) exceeds its unmet need \($0[2] as Int)" }
        try add("I5", """
            SELECT number, line_no, attached, real, open FROM (
                SELECT p.number, pl.line_no, pl.attached, coalesce((SELECT sum(qty) FROM po_attachment a WHERE a.po_line_id = pl.id), 0) AS real,
                       pl.qty - pl.received - pl.cancelled AS open, pl.received + pl.cancelled > pl.qty AS overdrawn
                FROM po_line pl JOIN purchase_order p ON p.id = pl.po_id) q
            WHERE attached <> real OR attached > open OR overdrawn
            """) { "PO \($0[0] as String) line \($0[1] as Int): attached cached \($0[2] as Int), recomputed \($0[3] as Int), open \($0[4] as Int)" }
        try add("I5", """
            WITH real AS (SELECT pl.lic_id, p.location_id, sum(pl.qty - pl.received - pl.cancelled) AS on_order
                          FROM po_line pl JOIN purchase_order p ON p.id = pl.po_id WHERE p.status = 'open' GROUP BY 1, 2)
            SELECT \(keyName), coalesce(r.on_order, 0), x.on_order FROM balance x
            LEFT JOIN real r ON r.lic_id = x.lic_id AND r.location_id = x.location_id
            WHERE coalesce(r.on_order, 0) <> x.on_order
            UNION ALL
            SELECT \(keyName), x.on_order, 0 FROM real x
            WHERE NOT EXISTS (SELECT 1 FROM balance b WHERE b.lic_id = x.lic_id AND b.location_id = x.location_id) AND x.on_order <> 0
            """) { "\($0[0] as String? ?? "?"): on order recomputed \($0[1] as Int), cached \($0[2] as Int)" }

        // I6: every shipped unit of stock is a ledger row, and the ledger cannot be rewritten.
        try add("I6", """
            SELECT 'order ' || o.number || ' ' || (SELECT code FROM lic WHERE id = x.lic_id), x.shipped, x.ledgered FROM (
                SELECT l.order_id, l.lic_id, sum(l.shipped) AS shipped,
                       coalesce((SELECT -sum(g.qty) FROM ledger g WHERE g.kind = 'shipment' AND g.order_id = l.order_id
                                 AND g.lic_id = l.lic_id), 0) AS ledgered
                FROM order_line l WHERE l.inventoried = 1 GROUP BY l.order_id, l.lic_id) x
            JOIN orders o ON o.id = x.order_id WHERE x.shipped <> x.ledgered
            """) { "\($0[0] as String): shipped \($0[1] as Int) but the ledger shows \($0[2] as Int) shipped" }
        let triggers = try db.fetchOne(Int.self, sql: db.isSQLite ? """
            SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('ledger_no_update', 'ledger_no_delete')
            """ : """
            SELECT count(DISTINCT tgname) FROM pg_trigger WHERE tgrelid = 'ledger'::regclass AND tgname IN ('ledger_no_update', 'ledger_no_truncate')
              AND tgenabled <> 'D'
            """) ?? 0
        if triggers != 2 { out.append(InvariantCheck.Violation(invariant: "I6", message: "the ledger's append-only triggers are missing")) }
        try add("I6", "SELECT id, kind, qty FROM ledger WHERE (kind = 'shipment' AND qty > 0) OR (kind IN ('receipt','return') AND qty < 0)") {
            "ledger row \($0[0] as Int64): a \($0[1] as String) of \($0[2] as Int) has the wrong sign"
        }
        return out
    }

    private static func queuesMarkedSettled(_ db: SQLConnection) throws -> [InvariantCheck.Violation] {
        let queues = try db.fetchAll(sql: """
            SELECT b.lic_id, b.location_id, b.settledness, b.on_hand, b.allotted, b.frozen, b.dedicated,
                   (SELECT code FROM lic WHERE id = b.lic_id) || '@' || (SELECT code FROM location WHERE id = b.location_id)
            FROM balance b WHERE b.settledness IN (\(Engine.Settledness.settled.rawValue), \(Engine.Settledness.awaitingSupply.rawValue))
            ORDER BY 1, 2
            """)
        let lines = try RawStatement(db, sql: """
            SELECT ordered - cancelled - shipped, allotted, min(allotted, frozen + dedicated)
            FROM order_line INDEXED BY line_queue WHERE lic_id = ? AND location_id = ? AND is_open = 1
            ORDER BY priority DESC, entered_seq, order_id, line_no
            """)
        var out: [InvariantCheck.Violation] = []
        for q in queues {
            let state = Engine.Settledness(rawValue: q[2]) ?? .unsettled
            let stock: Int = state == .settled ? q[3] : q[4]
            var fill = Allocation.Fill(pool: stock - (q[5] as Int) - (q[6] as Int))
            var differ = 0
            try lines.forEachRow([q[0], q[1]]) { r in
                if fill.target(fixed: r.int(2), remaining: r.int(0)) != r.int(1) { differ += 1 }
                return true
            }
            if differ > 0 {
                out.append(InvariantCheck.Violation(invariant: "I5", message: "\(q[7] as String? ?? "?"): marked settled but \(differ) line(s) differ from the canonical fill"))
            }
        }
        return out
    }
}
