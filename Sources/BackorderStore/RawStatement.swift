import GRDB
import GRDBSQLite
import Foundation

/// A statement driven through SQLite's C API: binding and stepping without GRDB's boxing of
/// arguments and rows, for the loops that run once per line of a process run (hundreds of
/// thousands of times) and for the benchmark's raw-SQLite floor. Integers and text bind unboxed; `RawValue` carries any storage class (the floor's replay).
/// The statement is GRDB's, prepared on the connection, so it lives inside the caller's
/// transaction; it is finalized when this value goes away (unless it is the connection's cached
/// one). GRDB's transaction observers are not told of these statements: the app has none (other
/// terminals see changes through `PRAGMA data_version`).
///
/// On PostgreSQL the same calls send the statement through the session (`PostgresSession`):
/// the engine's loops are written once.
final class RawStatement {
    private let statement: Statement!
    private let connection: OpaquePointer?
    private var handle: OpaquePointer { statement.sqliteStatement }
    /// PostgreSQL's session and the statement's SQL, when this is not SQLite's.
    private let postgres: PostgresSession?
    private let sql: String
    /// The rows of a PostgreSQL query begun with `start`, not yet read.
    private var pending: [SQLRow] = []
    private var pendingIndex = 0

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        connection = db.sqliteConnection
        postgres = nil
        self.sql = sql
    }

    /// The connection's cached statement for `sql` (compiled once per connection), driven raw.
    /// Fine for statements run one at a time (no row loop of another use of the same SQL open).
    init(cached db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        connection = db.sqliteConnection
        postgres = nil
        self.sql = sql
    }

    convenience init(_ db: SQLConnection, sql: String) throws {
        if let sqlite = db.sqlite { try self.init(sqlite, sql: sql) } else { self.init(db.postgres, sql: sql) }
    }

    convenience init(cached db: SQLConnection, sql: String) throws {
        if let sqlite = db.sqlite { try self.init(cached: sqlite, sql: sql) } else { self.init(db.postgres, sql: sql) }
    }

    private init(_ session: PostgresSession, sql: String) {
        statement = nil
        connection = nil
        postgres = session
        self.sql = sql
    }

    private static func values(_ ints: [Int64?], text: [String] = []) -> [DatabaseValue] {
        ints.map { $0?.databaseValue ?? .null } + text.map(\.databaseValue)
    }

    /// Runs the statement once with these arguments (nil binds NULL).
    func execute(_ values: [Int64?]) throws {
        if let postgres { return try postgres.execute(sql, Self.values(values)) }
        bind(values)
        try finish(sqlite3_step(handle))
    }

    /// Runs the statement once and says how many rows it changed.
    func executeCountingChanges(_ values: [Int64?]) throws -> Int {
        try execute(values)
        if let postgres { return postgres.lastChanges }
        return Int(sqlite3_changes(connection))
    }

    /// Runs the statement once with integer arguments (nil binds NULL) followed by text arguments.
    func execute(_ values: [Int64?], text: [String]) throws {
        if let postgres { return try postgres.execute(sql, Self.values(values, text: text)) }
        bind(values)
        for (i, s) in text.enumerated() { bindText(Int32(values.count + i + 1), s) }
        try finish(sqlite3_step(handle))
    }

    /// Runs the statement once with integer arguments, then text arguments, then one more text
    /// argument given as its UTF-8 bytes.
    func execute(_ values: [Int64?], text: [String], utf8: [UInt8]) throws {
        if let postgres { return try postgres.execute(sql, Self.values(values, text: text + [String(decoding: utf8, as: UTF8.self)])) }
        bind(values)
        for (i, s) in text.enumerated() { bindText(Int32(values.count + i + 1), s) }
        let n = Int32(values.count + text.count + 1)
        utf8.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { sqlite3_bind_text(handle, n, "", 0, Self.transient); return }
            sqlite3_bind_text(handle, n, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(b.count), Self.transient)
        }
        try finish(sqlite3_step(handle))
    }

    /// Runs the statement once with values of any storage class.
    func execute<Values: Collection>(values: Values) throws where Values.Element == RawValue {
        if let postgres {
            return try postgres.execute(sql, values.map { v -> DatabaseValue in
                switch v {
                case .null: return .null
                case .int(let x): return x.databaseValue
                case .real(let x): return x.databaseValue
                case .text(let x): return x.databaseValue
                case .blob(let x): return Data(x).databaseValue
                }
            })
        }
        sqlite3_reset(handle)
        for (i, v) in values.enumerated() {
            let n = Int32(i + 1)
            switch v {
            case .null: sqlite3_bind_null(handle, n)
            case .int(let x): sqlite3_bind_int64(handle, n, x)
            case .real(let x): sqlite3_bind_double(handle, n, x)
            case .text(let x): bindText(n, x)
            case .blob(let x): _ = x.withUnsafeBytes { sqlite3_bind_blob(handle, n, $0.baseAddress, Int32($0.count), Self.transient) }
            }
        }
        try finish(sqlite3_step(handle))
    }

    /// Runs a query with these arguments, calling `row` for each result row.
    func forEachRow(_ values: [Int64?] = [], _ row: (RawRow) throws -> Bool) throws {
        if let postgres {
            for r in try postgres.rows(sql, Self.values(values)) {
                guard try row(RawRow(row: r)) else { return }
            }
            return
        }
        bind(values)
        defer { sqlite3_reset(handle) }
        while true {
            let rc = sqlite3_step(handle)
            guard rc == SQLITE_ROW else {
                try check(rc)
                return
            }
            guard try row(RawRow(handle: handle)) else { return }
        }
    }

    /// Binds a query's arguments so that its rows can be read one at a time with `next()`:
    /// several ordered queries merged side by side (`InvariantCheck`).
    func start(_ values: [Int64?] = []) throws {
        if let postgres {
            pending = try postgres.rows(sql, Self.values(values))
            pendingIndex = 0
            return
        }
        bind(values)
    }

    /// The next row of a query begun with `start`, or nil at its end (the statement is reset).
    func next() throws -> RawRow? {
        if postgres != nil {
            guard pendingIndex < pending.count else {
                pending = []
                return nil
            }
            pendingIndex += 1
            return RawRow(row: pending[pendingIndex - 1])
        }
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return RawRow(handle: handle) }
        sqlite3_reset(handle)
        try check(rc)
        return nil
    }

    /// Binds text from the string's own UTF-8 storage (SQLite copies it): no C string made per
    /// value, which a run pays twice per order (its log rows' messages).
    private func bindText(_ n: Int32, _ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { sqlite3_bind_text(handle, n, "", 0, Self.transient); return }
            sqlite3_bind_text(handle, n, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(utf8.count), Self.transient)
        }
    }

    private func bind(_ values: [Int64?]) {
        sqlite3_reset(handle)
        for (i, v) in values.enumerated() {
            if let v { sqlite3_bind_int64(handle, Int32(i + 1), v) } else { sqlite3_bind_null(handle, Int32(i + 1)) }
        }
    }

    private func finish(_ rc: Int32) throws {
        sqlite3_reset(handle)
        try check(rc)
    }

    private func check(_ rc: Int32) throws {
        guard rc == SQLITE_DONE || rc == SQLITE_ROW || rc == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(connection)),
                                sql: statement.sql)
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// A value of any of SQLite's storage classes.
enum RawValue: Hashable {
    case null, int(Int64), real(Double), text(String), blob([UInt8])
}

/// The current row of a `RawStatement` query.
struct RawRow {
    fileprivate let handle: OpaquePointer!
    /// PostgreSQL's row, when this is not SQLite's.
    private let row: SQLRow?

    fileprivate init(handle: OpaquePointer) {
        self.handle = handle
        row = nil
    }

    fileprivate init(row: SQLRow) {
        handle = nil
        self.row = row
    }

    func int(_ column: Int32) -> Int {
        if let row { return (row[Int(column)] as Int?) ?? 0 }
        return Int(sqlite3_column_int64(handle, column))
    }
    func int64(_ column: Int32) -> Int64 {
        if let row { return (row[Int(column)] as Int64?) ?? 0 }
        return sqlite3_column_int64(handle, column)
    }
    func text(_ column: Int32) -> String {
        if let row { return (row[Int(column)] as String?) ?? "" }
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: p)
    }
    /// The column's value in its own storage class.
    func value(_ column: Int32) -> RawValue {
        if let row {
            switch (row[Int(column)] as DatabaseValue).storage {
            case .null: return .null
            case .int64(let x): return .int(x)
            case .double(let x): return .real(x)
            case .string(let x): return .text(x)
            case .blob(let x): return .blob([UInt8](x))
            }
        }
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .int(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_BLOB:
            let n = Int(sqlite3_column_bytes(handle, column))
            guard n > 0, let p = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: p, count: n)))
        default: return .text(text(column))
        }
    }
}
