import BackorderCore
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A desk copied from one store into an empty one of either engine (`backorders copy`): every
/// row of every table, ids kept, in one write transaction on the target read from one snapshot
/// of the source — all or nothing — and `check` run on both sides after.
public enum DeskCopy {
    /// The tables, parents before children (the foreign keys hold row by row).
    static let tables = [
        "location", "location_restriction", "app_user", "vendor", "lic", "customer", "reason",
        "balance", "ledger", "supply_event", "orders", "order_line", "shipment", "shipment_item", "order_log",
        "preferences", "preference_log", "schedule", "process_run", "process_lease", "counter",
        "invoice", "invoice_line", "purchase_order", "po_line", "po_attachment",
        "queue_need", "bo_block", "unmet_block", "unmet_span",
    ]
    /// Tables whose rows are named by an `id` (read in pages of ids; PostgreSQL's identity
    /// sequences are moved past the copied ids).
    static let withID: Set<String> = [
        "location", "app_user", "vendor", "lic", "customer", "reason", "ledger", "supply_event", "orders",
        "order_line", "shipment", "shipment_item", "order_log", "preference_log", "process_run",
        "invoice", "invoice_line", "purchase_order", "po_line", "po_attachment",
    ]

    /// What a copy did: rows per table and each side's check.
    public struct Report: Sendable {
        public var counts: [(table: String, rows: Int)]
        public var sourceViolations: [InvariantCheck.Violation]
        public var targetViolations: [InvariantCheck.Violation]
    }

    /// The columns a table stores (not the generated ones), as this connection's engine has them.
    static func columns(_ db: SQLConnection, _ table: String) throws -> [String] {
        if db.isSQLite {
            return try db.fetchAll(sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table]).map { $0[0] }
        }
        return try db.fetchAll(sql: """
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position
            """, arguments: [table]).map { $0[0] }
    }

    /// Copies `source` into `target`, which must hold a new desk with nothing entered (no orders,
    /// no users, one location at most): refused otherwise, nothing written.
    /// `replacing` (a restore onto PostgreSQL): the target's desk, whatever it holds, gives way
    /// to the copy in the same transaction — its append-only ledger too, the guard lifted for
    /// that transaction alone.
    public static func copy(from source: any SQLStore, to target: any SQLStore, replacing: Bool = false) throws -> Report {
        let counts = try source.reading { src in
            try target.writing { dst -> [(String, Int)] in
                let used = try dst.fetchOne(Int.self, sql: "SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM app_user) + (SELECT count(*) FROM ledger)") ?? 0
                if used > 0 && !replacing {
                    throw DeskError.refused("\(target.path) already holds a desk with users or orders; copy into an empty database (nothing was changed)")
                }
                if replacing && !dst.isSQLite {
                    try dst.execute(sql: "ALTER TABLE ledger DISABLE TRIGGER ledger_no_update")
                    try dst.execute(sql: "DELETE FROM ledger")
                    try dst.execute(sql: "ALTER TABLE ledger ENABLE TRIGGER ledger_no_update")
                }
                // The new desk's own first rows (preferences, schedules, counters, MAIN) give way to the copied ones.
                for table in tables.reversed() where table != "ledger" {
                    try dst.execute(sql: "DELETE FROM \(table)")
                }
                var counts: [(String, Int)] = []
                for table in tables {
                    let targetColumns = Set(try columns(dst, table))
                    let cols = try columns(src, table).filter(targetColumns.contains)
                    counts.append((table, try copyRows(table, cols, from: src, to: dst)))
                    // Fresh statistics for the server's plans of the next tables' foreign-key
                    // checks against this one: without them a 1M desk's copy took 1,724 s (and
                    // 420 s were not enough again), with them 114 s; 37 s at 300k either way.
                    if !dst.isSQLite { try dst.execute(sql: "ANALYZE \(table)") }
                }
                if !dst.isSQLite {
                    for table in tables where withID.contains(table) {
                        try dst.execute(sql: "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce(max(id), 0) + 1, false) FROM \(table)")
                    }
                }
                return counts
            }
        }
        return Report(counts: counts.map { (table: $0.0, rows: $0.1) },
                      sourceViolations: try source.check(), targetViolations: try target.check())
    }

    /// Copies a table in pages (by id where it has one), a few hundred rows per INSERT.
    private static func copyRows(_ table: String, _ cols: [String], from src: SQLConnection, to dst: SQLConnection) throws -> Int {
        let list = cols.joined(separator: ", ")
        let page = 5000
        let perInsert = max(1, min(500, 30_000 / max(1, cols.count)))
        var copied = 0
        var lastID: Int64 = .min
        while true {
            let rows: [SQLRow]
            if withID.contains(table) {
                rows = try src.fetchAll(cached: true, sql: "SELECT \(list) FROM \(table) WHERE id > ? ORDER BY id LIMIT \(page)", arguments: [lastID])
            } else {
                rows = try src.fetchAll(sql: "SELECT \(list) FROM \(table)")
            }
            if rows.isEmpty { break }
            var start = 0
            while start < rows.count {
                let chunk = rows[start..<min(rows.count, start + perInsert)]
                let tuple = "(" + Array(repeating: "?", count: cols.count).joined(separator: ", ") + ")"
                let sql = "INSERT INTO \(table) (\(list)) VALUES " + Array(repeating: tuple, count: chunk.count).joined(separator: ", ")
                var values: [DatabaseValue] = []
                values.reserveCapacity(chunk.count * cols.count)
                for r in chunk { for i in 0..<cols.count { values.append(r[i]) } }
                try dst.executeCached(sql: sql, arguments: SQLArguments(values))
                start += chunk.count
            }
            copied += rows.count
            guard withID.contains(table) else { break }
            lastID = rows.last![cols.firstIndex(of: "id")!]
            if rows.count < page { break }
        }
        return copied
    }

    /// A store's desk into a new SQLite file, checked before it takes the name `file` (the
    /// PostgreSQL desk's backup, and `copy --to FILE`).
    /// `replacing`: an existing file is replaced once the copy checks out (a backup); else refused.
    public static func copy(from source: any SQLStore, toFile file: String, replacing: Bool = false) throws -> CopyReport {
        try AppDatabase.refuseDirectory(file)
        if !replacing && FileManager.default.fileExists(atPath: file) {
            throw DeskError.refused("\(file) exists; copy into a new file (nothing was changed)")
        }
        let dir = (file as NSString).deletingLastPathComponent
        if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
            throw DeskError.invalid("cannot write \(file): the folder \(dir) does not exist")
        }
        let partial = file + ".partial-\(getpid())"
        for s in ["", "-wal", "-shm", "-turn"] { try? FileManager.default.removeItem(atPath: partial + s) }
        defer { for s in ["-wal", "-shm", "-turn"] { try? FileManager.default.removeItem(atPath: partial + s) } }
        do {
            let target = try AppDatabase(path: partial, create: true)
            _ = try copy(from: source, to: target)
            try target.checkpoint()
            try target.close()
            return try AppDatabase.publishCheckedCopy(partial, as: file)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }
}
