import BackorderCore
import GRDB

// What the demo's history and its summary read.

extension SQLStore {
    public func pendingShipments(enteredOnOrBefore day: Day) throws -> [Int64] {
        try reading { db in
            try db.fetchAll(Int64.self, sql: """
                SELECT s.id FROM shipment s JOIN orders o ON o.id = s.order_id
                WHERE s.status = 'pending' AND o.entered_day <= ? ORDER BY s.id
                """, arguments: [day.description])
        }
    }

    public func shippedLines(minimum: Int, limit: Int) throws -> [(order: String, lic: String, shipped: Int)] {
        try reading { db in
            try db.fetchAll(sql: """
                SELECT o.number, li.code, ol.shipped FROM order_line ol JOIN orders o ON o.id = ol.order_id
                JOIN lic li ON li.id = ol.lic_id WHERE ol.shipped >= ? AND ol.inventoried = 1 ORDER BY ol.id LIMIT ?
                """, arguments: [minimum, limit]).map { (order: $0[0] as String, lic: $0[1] as String, shipped: $0[2] as Int) }
        }
    }

    public func deskSummary() throws -> DeskSummary {
        try reading { db in
            var orders: [String: Int] = [:]
            for r in try db.fetchAll(sql: "SELECT status, bo_lines > 0, count(*) FROM orders GROUP BY 1, 2") {
                orders[OrderStatus.shown(r[0], boLines: r[1]).rawValue, default: 0] += r[2] as Int
            }
            let bo = try db.fetchOne(sql: "SELECT count(*), coalesce(sum(ordered - cancelled - shipped - allotted), 0) FROM order_line WHERE bo = 1")!
            let top = try db.fetchAll(sql: """
                SELECT li.code, sum(ol.ordered - ol.cancelled - ol.shipped - ol.allotted) AS short, count(*)
                FROM order_line ol JOIN lic li ON li.id = ol.lic_id WHERE ol.bo = 1 GROUP BY li.code ORDER BY short DESC LIMIT 5
                """).map { (lic: $0[0] as String, backordered: $0[1] as Int, lines: $0[2] as Int) }
            let waiting = { (p: String) in try db.fetchOne(Int.self, sql: "SELECT count(*) FROM supply_event WHERE process = ? AND run_id IS NULL", arguments: [p]) ?? 0 }
            return DeskSummary(orders: orders, boLines: bo[0], unitsBackordered: bo[1], topLICs: top,
                               waitingPrimary: try waiting("primary"), waitingSecondary: try waiting("secondary"))
        }
    }
}
