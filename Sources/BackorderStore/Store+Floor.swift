import Foundation
import GRDB

// The floor a process run is held to (`backorders bench`, issue 16): the exact rows the run
// committed — every inserted, updated and deleted row of every table, with its values — replayed
// on a copy of the database as it stood before the run, through statements prepared once, in one
// transaction. Whatever the run spends beyond that is the run's own overhead; the replay writes
// what the product says a run must write and nothing else. SQLite-only, like the rest of the bench.

/// What a run wrote, counted from the difference between the database before and after it.
public struct RunWrites: Sendable, Equatable {
    public struct Table: Sendable, Equatable {
        public var name: String
        public var inserted = 0, updated = 0, deleted = 0
        /// Index entries added or removed: an inserted or deleted row's entry in every index it
        /// belongs to (partial indexes by their WHERE); an updated row's entries that moved (2: out
        /// and in), entered or left (1) an index.
        public var indexEntries = 0
        public var rows: Int { inserted + updated + deleted }
    }

    /// The tables the run wrote, in schema order.
    public var tables: [Table] = []
    /// The orders whose lines the run changed.
    public var orders = 0
    public var rows: Int { tables.reduce(0) { $0 + $1.rows } }
    public var indexEntries: Int { tables.reduce(0) { $0 + $1.indexEntries } }

    public init() {}
}

/// The replay of a run's writes.
public struct FloorReplay: Sendable {
    /// The replay's transaction, from its first statement to its commit: the median of `samples`.
    public var seconds: Double
    /// Each replay's time, in the order they ran.
    public var samples: [Double]
    public var writes: RunWrites
    /// Rows in which the replayed copy still differs from the database the run left: 0 when the
    /// replay wrote exactly what the run did.
    public var mismatchedRows: Int
}

extension AppDatabase {
    /// Copies the file as it stands, after a checkpoint (for the floor's replay or profiling),
    /// and waits until the copy is on disk.
    public func copyFile(to destination: String) throws {
        try checkpoint()
        let fm = FileManager.default
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: destination + suffix) }
        try fm.copyItem(atPath: path, toPath: destination)
        // The copy's pages written out now, not while what comes next is being timed.
        sync()
    }

    /// The rows this database gained, lost or changed since `before`, as statements to replay
    /// on a copy of `before` (`RunDiff.replay`): computed once, replayed as often as asked.
    public func runDiff(since before: String) throws -> RunDiff {
        RunDiff(diff: try WriteDiff.between(after: path, before: before), before: before)
    }
}

/// A run's writes, ready to replay on the desk as it stood before the run (the bench's floor).
public struct RunDiff {
    fileprivate let diff: WriteDiff
    /// The desk before the run.
    public let before: String
    public var writes: RunWrites { diff.writes }

    /// One replay on a fresh copy of `before` made at `scratch` (removed afterwards), timed from
    /// its first statement to its commit. With `checkingAgainst`, the copy is then compared with
    /// that database (the one the run left): `mismatchedRows` 0 when the replay wrote exactly
    /// what the run did.
    public func replay(scratch: String, checkingAgainst after: String? = nil) throws -> FloorReplay {
        let fm = FileManager.default
        func removeScratch() { for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: scratch + suffix) } }
        defer { removeScratch() }
        removeScratch()
        try fm.copyItem(atPath: before, toPath: scratch)
        sync()
        let copy = try AppDatabase(path: scratch, create: false)
        let seconds = try AppDatabase.seconds {
            try copy.write { db in
                for group in diff.groups {
                    let statement = try RawStatement(db, sql: group.sql)
                    var start = 0
                    while start < group.values.count {
                        try statement.execute(values: group.values[start..<start + group.width])
                        start += group.width
                    }
                }
            }
        }
        try copy.close()
        let mismatched = try after.map { try WriteDiff.between(after: scratch, before: $0, countOnly: true).writes.rows } ?? 0
        return FloorReplay(seconds: seconds, samples: [seconds], writes: diff.writes, mismatchedRows: mismatched)
    }
}

/// The rows that differ between two databases of the same schema, as the statements that turn
/// `before` into `after`.
private struct WriteDiff {
    /// One statement and the arguments of each of its executions, flattened (`width` a row).
    struct Group {
        let sql: String
        let width: Int
        var values: [RawValue] = []
    }

    var groups: [Group] = []
    var writes = RunWrites()

    /// A table's shape: its stored columns, the key that identifies a row, its indexes.
    struct Shape {
        let name: String
        let columns: [String]
        let key: [String]
        /// The key is the implicit rowid (no INTEGER PRIMARY KEY names it): inserts give it.
        let implicitRowid: Bool
        /// Each index's columns (nil for an expression) and its partial WHERE, if any.
        let indexes: [(columns: [String?], partial: String?)]

        func join(_ a: String, _ b: String) -> String { key.map { "\(a).\(q($0)) = \(b).\(q($0))" }.joined(separator: " AND ") }
        var differs: String { columns.map { "m.\(q($0)) IS NOT p.\(q($0))" }.joined(separator: " OR ") }
        var inserted: [String] { (implicitRowid ? ["rowid"] : []) + columns }
    }

    static func between(after: String, before: String, countOnly: Bool = false) throws -> WriteDiff {
        let queue = try DatabaseQueue(path: after)
        defer { try? queue.close() }
        return try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS pre", arguments: [before])
            defer { try? db.execute(sql: "DETACH DATABASE pre") }
            var diff = WriteDiff()
            let shapes = try shapes(db)
            // Children's rows go before their parents', parents' rows come before their
            // children's; updates last (a key is never updated: rows are matched by key).
            for shape in shapes.reversed() { try diff.oneSided(db, shape, inserted: false, countOnly: countOnly) }
            for shape in shapes { try diff.oneSided(db, shape, inserted: true, countOnly: countOnly) }
            for shape in shapes { try diff.updates(db, shape, countOnly: countOnly) }
            // Tables in schema order, each once.
            var merged: [String: RunWrites.Table] = [:]
            for t in diff.writes.tables {
                var m = merged[t.name] ?? RunWrites.Table(name: t.name)
                m.inserted += t.inserted
                m.updated += t.updated
                m.deleted += t.deleted
                m.indexEntries += t.indexEntries
                merged[t.name] = m
            }
            diff.writes.tables = shapes.compactMap { merged[$0.name] }.filter { $0.rows > 0 }
            if !countOnly, shapes.contains(where: { $0.name == "order_line" }) {
                diff.writes.orders = try Int.fetchOne(db, sql: """
                    SELECT count(DISTINCT m.order_id) FROM main.order_line m JOIN pre.order_line p ON m.id = p.id
                    WHERE \(shapes.first { $0.name == "order_line" }!.differs)
                    """) ?? 0
            }
            return diff
        }
    }

    static func shapes(_ db: Database) throws -> [Shape] {
        let tables = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM main.sqlite_schema
            WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY rowid
            """)
        return try tables.map { t in
            let name: String = t["name"]
            let sql: String = t["sql"]
            let info = try Row.fetchAll(db, sql: "SELECT name, type, pk FROM pragma_table_info(?)", arguments: [name])
            let columns = info.map { $0["name"] as String }
            let pk = info.filter { ($0["pk"] as Int) > 0 }.sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }
            let withoutRowid = sql.uppercased().contains("WITHOUT ROWID")
            let alias = pk.count == 1 && (pk[0]["type"] as String).uppercased() == "INTEGER"
            let key = withoutRowid || alias ? pk.map { $0["name"] as String } : ["rowid"]
            let indexRows = try Row.fetchAll(db, sql: "SELECT name, origin FROM pragma_index_list(?)", arguments: [name])
            let indexes: [(columns: [String?], partial: String?)] = try indexRows.compactMap { ix in
                let indexName: String = ix["name"]
                if withoutRowid && (ix["origin"] as String) == "pk" { return nil }  // the table's own tree
                let cols = try Row.fetchAll(db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [indexName])
                    .map { $0["name"] as String? }
                let create = try String.fetchOne(db, sql: "SELECT sql FROM main.sqlite_schema WHERE name = ?", arguments: [indexName])
                let partial = create.flatMap { s in s.range(of: " WHERE ", options: [.caseInsensitive, .backwards]).map { String(s[$0.upperBound...]) } }
                return (cols, partial)
            }
            return Shape(name: name, columns: columns, key: key, implicitRowid: !withoutRowid && !alias, indexes: indexes)
        }
    }

    /// Rows one side has and the other lacks: inserted (only in `after`) or deleted (only in
    /// `before`), as the statements that insert or delete them.
    mutating func oneSided(_ db: Database, _ s: Shape, inserted: Bool, countOnly: Bool) throws {
        let (has, lacks, alias) = inserted ? ("main", "pre", "m") : ("pre", "main", "p")
        let from = "FROM \(has).\(q(s.name)) \(alias) WHERE NOT EXISTS (SELECT 1 FROM \(lacks).\(q(s.name)) \(alias == "m" ? "p" : "m") WHERE \(s.join("m", "p")))"
        var table = RunWrites.Table(name: s.name)
        var rows = 0
        if countOnly {
            rows = try Int.fetchOne(db, sql: "SELECT count(*) \(from)") ?? 0
        } else {
            let cols = inserted ? s.inserted : s.key
            let sql = inserted
                ? "INSERT INTO \(q(s.name)) (\(cols.map(q).joined(separator: ", "))) VALUES (\(cols.map { _ in "?" }.joined(separator: ", ")))"
                : "DELETE FROM \(q(s.name)) WHERE \(cols.map { "\(q($0)) = ?" }.joined(separator: " AND "))"
            var group = Group(sql: sql, width: cols.count)
            try collect(db, "SELECT \(cols.map { "\(alias).\(q($0))" }.joined(separator: ", ")) \(from)", into: &group)
            rows = group.values.count / group.width
            table.indexEntries = try memberships(db, s, from: from, alias: alias)
            if rows > 0 { groups.append(group) }
        }
        if inserted { table.inserted = rows } else { table.deleted = rows }
        writes.tables.append(table)
    }

    /// Rows in both whose values differ: one UPDATE per set of changed columns, assigning only those.
    mutating func updates(_ db: Database, _ s: Shape, countOnly: Bool) throws {
        let from = "FROM main.\(q(s.name)) m JOIN pre.\(q(s.name)) p ON \(s.join("m", "p")) WHERE \(s.differs)"
        var table = RunWrites.Table(name: s.name)
        if countOnly {
            table.updated = try Int.fetchOne(db, sql: "SELECT count(*) \(from)") ?? 0
            writes.tables.append(table)
            return
        }
        let select = s.key.map { "m.\(q($0))" } + s.columns.flatMap { ["m.\(q($0))", "p.\(q($0))"] }
        let statement = try RawStatement(db, sql: "SELECT \(select.joined(separator: ", ")) \(from)")
        var bySet: [[Int]: Group] = [:]
        var order: [[Int]] = []
        try statement.forEachRow { row in
            let k = Int32(s.key.count)
            let changed = s.columns.indices.filter { row.value(k + Int32(2 * $0)) != row.value(k + Int32(2 * $0 + 1)) }
            guard !changed.isEmpty else { return true }  // equal to SQL's IS, unequal in storage class only
            if bySet[changed] == nil {
                let set = changed.map { "\(q(s.columns[$0])) = ?" }.joined(separator: ", ")
                let match = s.key.map { "\(q($0)) = ?" }.joined(separator: " AND ")
                bySet[changed] = Group(sql: "UPDATE \(q(s.name)) SET \(set) WHERE \(match)", width: changed.count + s.key.count)
                order.append(changed)
            }
            for c in changed { bySet[changed]!.values.append(row.value(k + Int32(2 * c))) }
            for i in 0..<k { bySet[changed]!.values.append(row.value(i)) }
            table.updated += 1
            return true
        }
        groups += order.map { bySet[$0]! }
        if table.updated > 0 {
            // Per index: an entry that moved is one out and one in; one that entered or left, one.
            let sums = s.indexes.map { ix -> String in
                let inM = ix.partial.map { "EXISTS (SELECT 1 FROM main.\(q(s.name)) x WHERE \(s.join("x", "m")) AND (\($0)))" } ?? "1"
                let inP = ix.partial.map { "EXISTS (SELECT 1 FROM pre.\(q(s.name)) x WHERE \(s.join("x", "p")) AND (\($0)))" } ?? "1"
                let named = ix.columns.compactMap { $0 }
                let moved = named.isEmpty ? "0" : named.map { "m.\(q($0)) IS NOT p.\(q($0))" }.joined(separator: " OR ")
                return "coalesce(sum(CASE WHEN (\(inM)) AND (\(inP)) THEN (CASE WHEN \(moved) THEN 2 ELSE 0 END) WHEN (\(inM)) OR (\(inP)) THEN 1 ELSE 0 END), 0)"
            }
            if !sums.isEmpty {
                let row = try Row.fetchOne(db, sql: "SELECT \(sums.joined(separator: ", ")) \(from)")
                table.indexEntries = (0..<sums.count).reduce(0) { $0 + ((row?[$1] as Int?) ?? 0) }
            }
        }
        writes.tables.append(table)
    }

    /// The index entries of the rows `from` selects (under `alias`): one per index each belongs to.
    func memberships(_ db: Database, _ s: Shape, from: String, alias: String) throws -> Int {
        guard !s.indexes.isEmpty else { return 0 }
        let sums = s.indexes.map { ix in
            ix.partial.map { "coalesce(sum(EXISTS (SELECT 1 FROM \(alias == "m" ? "main" : "pre").\(q(s.name)) x WHERE \(s.join("x", alias)) AND (\($0)))), 0)" }
                ?? "count(*)"
        }
        let row = try Row.fetchOne(db, sql: "SELECT \(sums.joined(separator: ", ")) \(from)")
        return (0..<sums.count).reduce(0) { $0 + ((row?[$1] as Int?) ?? 0) }
    }

    func collect(_ db: Database, _ sql: String, into group: inout Group) throws {
        let statement = try RawStatement(db, sql: sql)
        try statement.forEachRow { row in
            for i in 0..<Int32(group.width) { group.values.append(row.value(i)) }
            return true
        }
    }
}

/// A quoted identifier (the rowid stays a keyword).
private func q(_ name: String) -> String {
    name == "rowid" ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
