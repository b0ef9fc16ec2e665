import BackorderCore
import Foundation
import GRDB

/// Which SQL engine a connection talks to.
public enum SQLDialect: Sendable {
    case sqlite, postgres
}

/// A statement's arguments, in order (`?` and `?N` placeholders), kept as given: SQLite's
/// statement takes them as GRDB's arguments directly, PostgreSQL's session as values.
struct SQLArguments: ExpressibleByArrayLiteral {
    private(set) var given: [(any DatabaseValueConvertible)?]

    init() { given = [] }
    init(_ array: [(any DatabaseValueConvertible)?]) { given = array }
    init(_ values: [DatabaseValue]) { given = values }
    init(arrayLiteral elements: (any DatabaseValueConvertible)?...) { given = elements }

    static func + (a: SQLArguments, b: SQLArguments) -> SQLArguments { SQLArguments(a.given + b.given) }

    /// GRDB's form, for SQLite.
    var statement: StatementArguments { StatementArguments(given) }
    /// The values, for PostgreSQL.
    var values: [DatabaseValue] { given.map { $0?.databaseValue ?? .null } }
}

/// A row of a result, from either engine. SQLite's rows are GRDB's (not copied); PostgreSQL's are
/// decoded into the same `DatabaseValue`s (integers, text, reals, NULL; booleans as 0 and 1), so
/// the code that reads a row is the same for both.
struct SQLRow {
    private let row: Row?
    private let columns: [String]
    private let values: [DatabaseValue]

    init(_ row: Row) {
        self.row = row
        columns = []
        values = []
    }

    init(columns: [String], values: [DatabaseValue]) {
        row = nil
        self.columns = columns
        self.values = values
    }

    var count: Int { row?.count ?? values.count }

    /// The value as it is stored (nil for NULL).
    subscript(_ i: Int) -> (any DatabaseValueConvertible)? {
        if let row { return row[i] }
        return values[i].isNull ? nil : values[i]
    }

    subscript<V: DatabaseValueConvertible>(_ i: Int) -> V {
        if let row { return row[i] }
        return Self.decode(values[i], column: columns[i])
    }

    subscript<V: DatabaseValueConvertible & StatementColumnConvertible>(_ i: Int) -> V {
        if let row { return row[i] }
        return Self.decode(values[i], column: columns[i])
    }

    subscript<V: DatabaseValueConvertible>(_ name: String) -> V {
        if let row { return row[name] }
        return Self.decode(values[index(name)], column: name)
    }

    subscript<V: DatabaseValueConvertible & StatementColumnConvertible>(_ name: String) -> V {
        if let row { return row[name] }
        return Self.decode(values[index(name)], column: name)
    }

    /// The row as GRDB's, for the records decoded by column name (`FetchableRecord`).
    var grdbRow: Row {
        if let row { return row }
        var dictionary: [String: DatabaseValue] = [:]
        for (c, v) in zip(columns, values) { dictionary[c] = v }
        return Row(dictionary)
    }

    private func index(_ name: String) -> Int {
        guard let i = columns.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
            fatalError("no column \(name) in \(columns)")
        }
        return i
    }

    private static func decode<V: DatabaseValueConvertible>(_ value: DatabaseValue, column: String) -> V {
        guard let v = V.fromDatabaseValue(value) else {
            fatalError("could not read \(value) of column \(column) as \(V.self)")
        }
        return v
    }
}

/// One connection inside one transaction (or one read), whichever the engine: the statements
/// of the engine, the read models and the check go through it. SQLite's connection is GRDB's
/// `Database` (the hot paths drive its statements through the C API, `RawStatement`);
/// PostgreSQL's is a `PostgresSession`, and the SQL is translated as it goes (`PostgresSQL`).
public final class SQLConnection {
    let dialect: SQLDialect
    /// SQLite's connection, for what only SQLite has (the C API, pragmas, checkpoints).
    let sqlite: Database!
    let postgres: PostgresSession!

    init(_ db: Database) {
        dialect = .sqlite
        sqlite = db
        postgres = nil
    }

    init(_ session: PostgresSession) {
        dialect = .postgres
        sqlite = nil
        postgres = session
    }

    var isSQLite: Bool { dialect == .sqlite }

    func execute(sql: String, arguments: SQLArguments = SQLArguments()) throws {
        if let sqlite {
            try sqlite.execute(sql: sql, arguments: arguments.statement)
        } else {
            try postgres.execute(sql, arguments.values)
        }
    }

    /// As `execute`, through SQLite's statement cache (compiled once per connection).
    func executeCached(sql: String, arguments: SQLArguments = SQLArguments()) throws {
        if let sqlite {
            try sqlite.cachedStatement(sql: sql).execute(arguments: arguments.statement)
        } else {
            try postgres.execute(sql, arguments.values)
        }
    }

    func fetchAll(cached: Bool = false, sql: String, arguments: SQLArguments = SQLArguments()) throws -> [SQLRow] {
        if let sqlite {
            let rows = cached ? try Row.fetchAll(sqlite.cachedStatement(sql: sql), arguments: arguments.statement)
                              : try Row.fetchAll(sqlite, sql: sql, arguments: arguments.statement)
            return rows.map(SQLRow.init)
        }
        return try postgres.rows(sql, arguments.values)
    }

    func fetchOne(cached: Bool = false, sql: String, arguments: SQLArguments = SQLArguments()) throws -> SQLRow? {
        if let sqlite {
            let row = cached ? try Row.fetchOne(sqlite.cachedStatement(sql: sql), arguments: arguments.statement)
                             : try Row.fetchOne(sqlite, sql: sql, arguments: arguments.statement)
            return row.map(SQLRow.init)
        }
        return try postgres.rows(sql, arguments.values).first
    }

    /// Every row's first column.
    func fetchAll<V: DatabaseValueConvertible & StatementColumnConvertible>(_ type: V.Type, cached: Bool = false, sql: String,
                                                                            arguments: SQLArguments = SQLArguments()) throws -> [V] {
        if let sqlite {
            return cached ? try V.fetchAll(sqlite.cachedStatement(sql: sql), arguments: arguments.statement)
                          : try V.fetchAll(sqlite, sql: sql, arguments: arguments.statement)
        }
        return try postgres.rows(sql, arguments.values).map { $0[0] }
    }

    /// The first row's first column; nil when there is no row or it is NULL.
    func fetchOne<V: DatabaseValueConvertible & StatementColumnConvertible>(_ type: V.Type, cached: Bool = false, sql: String,
                                                                            arguments: SQLArguments = SQLArguments()) throws -> V? {
        if let sqlite {
            return cached ? try V.fetchOne(sqlite.cachedStatement(sql: sql), arguments: arguments.statement)
                          : try V.fetchOne(sqlite, sql: sql, arguments: arguments.statement)
        }
        return try postgres.rows(sql, arguments.values).first.flatMap { $0[0] as V? }
    }

    /// The first row's first column, of a type read from any value (the stored words as enums).
    func fetchOne<V: DatabaseValueConvertible>(_ type: V.Type, sql: String, arguments: SQLArguments = SQLArguments()) throws -> V? {
        if let sqlite { return try V.fetchOne(sqlite, sql: sql, arguments: arguments.statement) }
        return try postgres.rows(sql, arguments.values).first.flatMap { V.fromDatabaseValue($0[0] as DatabaseValue) }
    }

    /// Records decoded by column name.
    func fetchOne<R: FetchableRecord>(_ type: R.Type, sql: String, arguments: SQLArguments = SQLArguments()) throws -> R? {
        if let sqlite { return try R.fetchOne(sqlite, sql: sql, arguments: arguments.statement) }
        return try postgres.rows(sql, arguments.values).first.map { try R(row: $0.grdbRow) }
    }

    /// Runs `body` inside a savepoint that is then rolled back: what it wrote is undone, what it
    /// returned is kept (previews).
    func rolledBack(_ body: () throws -> Void) throws {
        if let sqlite {
            try sqlite.inSavepoint {
                try body()
                return .rollback
            }
            return
        }
        try postgres.execute("SAVEPOINT preview", [])
        do {
            try body()
        } catch {
            try? postgres.execute("ROLLBACK TO SAVEPOINT preview", [])
            throw error
        }
        try postgres.execute("ROLLBACK TO SAVEPOINT preview", [])
        try postgres.execute("RELEASE SAVEPOINT preview", [])
    }

    /// The id of the row the last INSERT of this connection made.
    var lastInsertedRowID: Int64 {
        get throws {
            if let sqlite { return sqlite.lastInsertedRowID }
            return try postgres.rows("SELECT lastval()", []).first.map { $0[0] } ?? 0
        }
    }

    /// How many rows the last statement changed.
    var changesCount: Int {
        if let sqlite { return sqlite.changesCount }
        return postgres.lastChanges
    }
}

// The engine and the rows on SQLite's own connection, as code that holds one (the tests, the
// SQLite-only tools) calls them.

extension Engine {
    convenience init(_ db: Database, actor: String, now: Moment) {
        self.init(SQLConnection(db), actor: actor, now: now)
    }
}

extension Preferences {
    static func load(_ db: Database) throws -> Preferences { try load(SQLConnection(db)) }
    func save(_ db: Database) throws { try save(SQLConnection(db)) }
}

extension LineRow {
    static func fetchAll(_ db: Database, sql whereClause: String, arguments: SQLArguments = []) throws -> [LineRow] {
        try fetchAll(SQLConnection(db), sql: whereClause, arguments: arguments)
    }
}
