import BackorderCore
import Foundation
import GRDB

// The bench's data set and its SQLite measurements (`backorders bench`): SQLite-only, not part
// of `BackorderStoring` — the bench measures this store, a second store would bring its own.

extension AppDatabase {
    /// One vendor, then LICs of that vendor and customers, through prepared statements (ten
    /// thousand LICs in one transaction).
    public func insertBenchMasterData(vendor: (code: String, name: String),
                                      lics: [(code: String, description: String, priceCents: Int, minStock: Int, reorderMultiple: Int)],
                                      customers: [(code: String, name: String, priority: Int)]) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO vendor (code, name) VALUES (?, ?)", arguments: [vendor.code, vendor.name])
            let vendorID = db.lastInsertedRowID
            let insertLIC = try db.makeStatement(sql: "INSERT INTO lic (code, description, price_cents, min_stock, reorder_multiple, vendor_id) VALUES (?, ?, ?, ?, ?, ?)")
            for l in lics {
                try insertLIC.execute(arguments: [l.code, l.description, l.priceCents, l.minStock, l.reorderMultiple, vendorID])
            }
            let insertCustomer = try db.makeStatement(sql: "INSERT INTO customer (code, name, priority) VALUES (?, ?, ?)")
            for c in customers { try insertCustomer.execute(arguments: [c.code, c.name, c.priority]) }
        }
    }

    /// Every LIC's and customer's id in creation order, and location MAIN's.
    public func benchKeys() throws -> (lics: [Int64], customers: [Int64], main: Int64) {
        try read { db in
            (try Int64.fetchAll(db, sql: "SELECT id FROM lic ORDER BY id"),
             try Int64.fetchAll(db, sql: "SELECT id FROM customer ORDER BY id"),
             try Int64.fetchOne(db, sql: "SELECT id FROM location WHERE code = ?", arguments: [DefaultLocation.code])!)
        }
    }

    /// Receipts in one transaction.
    /// Bare row rewrites (issue 4's floor, now `sqlite_rewrite_s`): one prepared statement, bound
    /// and stepped through the C API, rewriting `lines` line rows in one transaction without
    /// changing them; and the same loop through GRDB's `execute(arguments:)`. Seconds each.
    public func sqliteRewrite(lines: Int) throws -> (raw: Double, grdb: Double) {
        let ids = try read { db in try Int64.fetchAll(db, sql: "SELECT id FROM order_line ORDER BY id LIMIT ?", arguments: [lines]) }
        let raw = try Self.seconds {
            try write { db in
                let update = try RawStatement(db, sql: "UPDATE order_line SET allotted = allotted WHERE id = ?")
                for id in ids { try update.execute([id]) }
            }
        }
        let grdb = try Self.seconds {
            try write { db in
                let update = try db.makeStatement(sql: "UPDATE order_line SET allotted = allotted WHERE id = ?")
                for id in ids { try update.execute(arguments: [id]) }
            }
        }
        return (raw, grdb)
    }

    /// A fixed piece of SQLite work in memory (a million rows counted and summed; the best of
    /// three), in ms: the machine's speed at the moment, so runs can be compared.
    public static func calibration() throws -> Double {
        let queue = try DatabaseQueue()
        return try (0..<3).map { _ in
            try seconds {
                _ = try queue.read { db in
                    try Int.fetchOne(db, sql: """
                        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000)
                        SELECT sum(x % 7) FROM c
                        """)
                }
            } * 1000
        }.min()!
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

// The bench's steps that run on either store (`bench --store`).
extension SQLStore {
    public func receiveInBulk(_ receipts: [(key: StockKey, qty: Int)], reason: String, _ stamp: Stamp) throws {
        try change(stamp) { e in
            for r in receipts { try e.receive(r.key, qty: r.qty, reason: reason) }
        }
    }

    /// A receipt of every (LIC, location)'s backordered quantity, in one transaction.
    public func receiveEveryBackorder(reason: String, _ stamp: Stamp) throws {
        try change(stamp) { e in
            for r in try e.db.fetchAll(sql: "SELECT lic_id, location_id, demand - allotted FROM balance WHERE demand > allotted") {
                try e.receive(StockKey(licID: r[0], locationID: r[1]), qty: r[2], reason: reason)
            }
        }
    }

    /// Orders entered in one transaction, as an import enters them.
    public func enterInBulk(_ orders: [NewOrder], _ stamp: Stamp) throws {
        try change(stamp) { e in
            for o in orders { _ = try e.enterOrder(o) }
        }
    }

    /// The (LIC, location)s with the most units short (more than one), largest first.
    public func mostShort(limit: Int) throws -> [(lic: String, short: Int)] {
        try reading { db in
            try db.fetchAll(sql: """
                SELECT li.code, b.demand - b.allotted FROM balance b JOIN lic li ON li.id = b.lic_id
                WHERE b.demand - b.allotted > 1 ORDER BY b.demand - b.allotted DESC, li.code LIMIT ?
                """, arguments: [limit]).map { (lic: $0[0] as String, short: $0[1] as Int) }
        }
    }

    /// The first LICs' codes, by id.
    public func firstLICCodes(limit: Int) throws -> [String] {
        try reading { db in try db.fetchAll(String.self, sql: "SELECT code FROM lic ORDER BY id LIMIT ?", arguments: [limit]) }
    }

    /// The LIC with the most open lines, and the orders of its latest priority-0 lines.
    public func longestQueue(lateOrders: Int) throws -> (lic: String, licID: Int64, lateOrders: [String]) {
        try reading { db in
            let r = try db.fetchOne(sql: """
                SELECT l.lic_id, li.code FROM order_line l JOIN lic li ON li.id = l.lic_id WHERE l.is_open = 1
                GROUP BY l.lic_id, li.code ORDER BY count(*) DESC, l.lic_id LIMIT 1
                """)!
            let orders = try db.fetchAll(String.self, sql: """
                SELECT o.number FROM order_line l JOIN orders o ON o.id = l.order_id WHERE l.lic_id = ? AND l.is_open = 1 AND l.priority = 0
                ORDER BY l.entered_seq DESC LIMIT ?
                """, arguments: [r[0] as Int64, lateOrders])
            return (r[1], r[0], orders)
        }
    }

    public func openLineCount(licID: Int64) throws -> Int {
        try reading { db in
            try db.fetchOne(Int.self, sql: "SELECT count(*) FROM order_line WHERE lic_id = ? AND is_open = 1", arguments: [licID]) ?? 0
        }
    }

    /// Whether the LIC's (first) queue is known to be its canonical fill.
    public func isSettled(licID: Int64) throws -> Bool {
        try reading { db in
            try db.fetchOne(Bool.self, sql: "SELECT settledness = 0 FROM balance WHERE lic_id = ? ORDER BY location_id LIMIT 1", arguments: [licID]) ?? false
        }
    }

    public func lineCount() throws -> Int {
        try reading { db in try db.fetchOne(Int.self, sql: "SELECT count(*) FROM order_line") ?? 0 }
    }
}
