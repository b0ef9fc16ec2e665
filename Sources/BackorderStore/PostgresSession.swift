import BackorderCore
import Foundation
import GRDB
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// Where a PostgreSQL desk is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DB`, with `?host=/dir` for
/// a Unix socket (the folder holding `.s.PGSQL.PORT`, as libpq reads it).
public struct PostgresAddress: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// The folder of the server's Unix socket, if it is reached through one.
    public var socketFolder: String?

    /// True for the addresses that name a PostgreSQL server rather than a file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws {
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw DeskError.invalid("'\(text)' is not a PostgreSQL address: write postgres://USER@HOST[:PORT]/DATABASE (or ?host=/socket/folder)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw DeskError.invalid("'\(text)' names no user: write postgres://USER@HOST/DATABASE")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw DeskError.invalid("'\(text)' names no database: write postgres://USER@HOST/DATABASE")
        }
        self.user = user.removingPercentEncoding ?? user
        password = components.password?.removingPercentEncoding
        host = components.host ?? ""
        port = components.port ?? 5432
        self.database = database
        socketFolder = components.queryItems?.first(where: { $0.name == "host" })?.value
        if host.isEmpty && socketFolder == nil {
            throw DeskError.invalid("'\(text)' names no host: write postgres://USER@HOST/DATABASE or add ?host=/socket/folder")
        }
    }

    /// The same server, another database.
    public func with(database: String) -> PostgresAddress {
        var copy = self
        copy.database = database
        return copy
    }

    /// As messages name it (no password).
    public var description: String {
        var text = "postgres://\(user)@\(host)\(port == 5432 ? "" : ":\(port)")/\(database)"
        if let socketFolder { text += "?host=\(socketFolder)" }
        return text
    }
}

/// One connection to a PostgreSQL server, used synchronously: each statement is sent and its
/// whole result awaited on the calling thread (the store's transactions are synchronous, on the
/// caller's thread, as SQLite's are). Not for use from two threads at once.
final class PostgresSession: @unchecked Sendable {
    let address: PostgresAddress
    let connection: PostgresConnection
    private let logger: Logger
    /// How many rows the last statement changed.
    private(set) var lastChanges = 0
    /// SQLite's SQL as PostgreSQL reads it, translated once per statement text.
    private var translated: [String: String] = [:]
    /// The statements this connection has prepared on the server, by text and argument types:
    /// their names, or nil for one seen once (prepared when it comes again).
    private var prepared: [PreparedKey: String?] = [:]
    private var preparedCount = 0
    /// At most this many statements are kept prepared on one connection (a statement built from
    /// a variable list would otherwise fill the server's memory); the rest go unprepared.
    static let preparedLimit = 400

    private struct PreparedKey: Hashable {
        var text: String
        var types: [UInt8]
    }

    private static let nextID = ManagedAtomicCounter()

    init(_ address: PostgresAddress) throws {
        self.address = address
        var logger = Logger(label: "backorders.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let configuration: PostgresConnection.Configuration
        if let folder = address.socketFolder {
            configuration = .init(unixSocketPath: "\(folder)/.s.PGSQL.\(address.port)", username: address.user,
                                  password: address.password, database: address.database)
        } else {
            configuration = .init(host: address.host, port: address.port, username: address.user,
                                  password: address.password, database: address.database, tls: .disable)
        }
        do {
            connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                                        id: Self.nextID.next(), logger: logger).wait()
        } catch {
            throw DeskError.refused("cannot reach the PostgreSQL desk \(address): \(PostgresSession.plain(error))")
        }
        // Prepared statements get their arguments as quoted literals: a quote is doubled and a
        // backslash is itself only with standard strings, which is PostgreSQL's default.
        try executeScript("SET standard_conforming_strings = on")
    }

    func close() {
        try? connection.close().wait()
    }

    deinit { close() }

    /// Runs one statement (SQLite's SQL, translated) and keeps its changed-row count.
    func execute(_ sql: String, _ arguments: [DatabaseValue]) throws {
        _ = try run(sql, arguments)
    }

    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [SQLRow] {
        try run(sql, arguments)
    }

    /// Runs SQL written for PostgreSQL as it is (not translated), several statements one after
    /// the other, no arguments (DDL).
    func executeScript(_ sql: String) throws {
        for statement in Self.statements(sql) {
            do {
                let result = try connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).wait()
                lastChanges = result.metadata.rows ?? 0
            } catch {
                throw Self.mapped(error, sql: statement)
            }
        }
    }

    /// A script's statements: split at the semicolons outside quotes, `$$` bodies and comments.
    static func statements(_ sql: String) -> [String] {
        var out: [String] = []
        var current = ""
        var chars = sql.makeIterator()
        var quote: Character?
        var dollar = false
        var previous: Character = " "
        var comment = false
        while let c = chars.next() {
            if comment {
                if c == "\n" { comment = false; current.append(c) }
                previous = c
                continue
            }
            if let q = quote {
                current.append(c)
                if c == q { quote = nil }
            } else if dollar {
                current.append(c)
                if c == "$" && previous == "$" { dollar = false; previous = " "; continue }
            } else if c == "-" && previous == "-" {
                current.removeLast()
                comment = true
            } else if c == "$" && previous == "$" {
                current.append(c)
                dollar = true
                previous = " "
                continue
            } else if c == "'" || c == "\"" {
                quote = c
                current.append(c)
            } else if c == ";" {
                let s = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !s.isEmpty { out.append(s) }
                current = ""
            } else {
                current.append(c)
            }
            previous = c
        }
        let s = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !s.isEmpty { out.append(s) }
        return out
    }

    private func run(_ sql: String, _ arguments: [DatabaseValue]) throws -> [SQLRow] {
        let text: String
        if let t = translated[sql] {
            text = t
        } else {
            text = PostgresSQL.translate(sql)
            translated[sql] = text
        }
        if let name = try preparedName(text, arguments) {
            return try fetch(PostgresQuery(unsafeSQL: Self.execute(name, arguments)), sql: text)
        }
        var binds = PostgresBindings(capacity: arguments.count)
        for value in arguments {
            switch value.storage {
            case .null: binds.appendNull()
            case .int64(let i): binds.append(i)
            case .double(let d): binds.append(d)
            case .string(let s): binds.append(s)
            case .blob(let data): binds.append(ByteBuffer(bytes: data))
            }
        }
        return try fetch(PostgresQuery(unsafeSQL: text, binds: binds), sql: text)
    }

    private func fetch(_ query: PostgresQuery, sql text: String) throws -> [SQLRow] {
        do {
            let result = try connection.query(query, logger: logger).wait()
            lastChanges = result.metadata.rows ?? 0
            var out: [SQLRow] = []
            out.reserveCapacity(result.rows.count)
            var columns: [String]?
            for row in result.rows {
                var values: [DatabaseValue] = []
                values.reserveCapacity(row.count)
                if columns == nil { columns = row.map(\.columnName) }
                for cell in row { values.append(try Self.value(of: cell)) }
                out.append(SQLRow(columns: columns!, values: values))
            }
            return out
        } catch {
            throw Self.mapped(error, sql: text)
        }
    }

    /// The server's name for this statement with these argument types, preparing it the second
    /// time it is run on this connection (parsed and planned once, not on every run: a third of
    /// a simple look-up's time on the server). Nil for a statement run unprepared: one seen
    /// once, one that is not a query or a change of rows, or past the connection's limit.
    /// The parameters are declared with the types the arguments are bound with unprepared
    /// (bigint, text, double precision, bytea; NULL's inferred), so a statement means the same
    /// either way. A prepared statement outlives a rolled-back transaction (it is the session's).
    private func preparedName(_ text: String, _ arguments: [DatabaseValue]) throws -> String? {
        guard preparedCount < Self.preparedLimit else { return nil }
        let types = arguments.map { value -> UInt8 in
            switch value.storage {
            case .null: 0
            case .int64: 1
            case .double: 2
            case .string: 3
            case .blob: 4
            }
        }
        let key = PreparedKey(text: text, types: types)
        switch prepared[key] {
        case .some(.some(let name)):
            return name
        case .none:
            prepared[key] = .some(nil)
            return nil
        case .some(.none):
            break
        }
        let head = text.drop(while: { $0.isWhitespace || $0 == "(" }).prefix(6).uppercased()
        guard ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains(where: { head.hasPrefix($0) }) else { return nil }
        preparedCount += 1
        let name = "bo_\(preparedCount)"
        let declared = types.map { ["unknown", "bigint", "double precision", "text", "bytea"][Int($0)] }
        let parameters = declared.isEmpty ? "" : "(\(declared.joined(separator: ", ")))"
        do {
            _ = try connection.query(PostgresQuery(unsafeSQL: "PREPARE \(name)\(parameters) AS \(text)"), logger: logger).wait()
        } catch {
            throw Self.mapped(error, sql: text)
        }
        prepared[key] = .some(name)
        return name
    }

    /// `EXECUTE name('…', …)`: each argument a quoted literal, read as its parameter's type.
    static func execute(_ name: String, _ arguments: [DatabaseValue]) throws -> String {
        guard !arguments.isEmpty else { return "EXECUTE \(name)" }
        var out = "EXECUTE \(name)("
        for (i, value) in arguments.enumerated() {
            if i > 0 { out += ", " }
            out += try literal(value)
        }
        out += ")"
        return out
    }

    /// A value as an SQL literal of no type yet (PostgreSQL reads it as its parameter's type).
    static func literal(_ value: DatabaseValue) throws -> String {
        switch value.storage {
        case .null:
            return "NULL"
        case .int64(let i):
            return "'\(i)'"
        case .double(let d):
            if d.isNaN { return "'NaN'" }
            if d.isInfinite { return d < 0 ? "'-Infinity'" : "'Infinity'" }
            return "'\(d)'"
        case .string(let s):
            guard !s.unicodeScalars.contains("\0") else {
                throw DeskError.invalid("text with a NUL character cannot be stored")
            }
            return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .blob(let data):
            let hex = "0123456789abcdef".map { $0 }
            var out = "'\\x"
            out.reserveCapacity(data.count * 2 + 4)
            for byte in data {
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            }
            return out + "'"
        }
    }

    /// A cell as the value SQLite would have given: integers, reals, text, blobs, NULL; booleans
    /// as 0/1 and whole numerics (what SUM of integers gives) as integers.
    static func value(of cell: PostgresCell) throws -> DatabaseValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return try cell.decode(Int64.self).databaseValue
        case .bool:
            return (try cell.decode(Bool.self) ? 1 : 0 as Int64).databaseValue
        case .float4, .float8:
            return try cell.decode(Double.self).databaseValue
        case .numeric:
            var value = try cell.decode(Decimal.self)
            var whole = Decimal()
            NSDecimalRound(&whole, &value, 0, .plain)
            let number = NSDecimalNumber(decimal: value)
            return whole == value ? number.int64Value.databaseValue : number.doubleValue.databaseValue
        case .bytea:
            var buffer = cell.bytes!
            return Data(buffer.readBytes(length: buffer.readableBytes) ?? []).databaseValue
        default:
            return try cell.decode(String.self).databaseValue
        }
    }

    /// The server's own words for an error (its message, detail and SQLSTATE), or the connection's.
    static func plain(_ error: any Error) -> String {
        if let e = error as? PostgresError { return e.description }
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] { return message }
            return "\(e.code)"
        }
        return "\(error)"
    }

    /// SQLSTATE of a server error, if it is one.
    static func state(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    static func mapped(_ error: any Error, sql: String) -> any Error {
        if error is PostgresStoreError { return error }
        return PostgresStoreError(state: state(error), message: plain(error), sql: sql)
    }
}

/// A statement PostgreSQL refused: its SQLSTATE (40001 serialization failure, 40P01 deadlock,
/// 23505 unique violation …), its message and the statement.
struct PostgresStoreError: Error, CustomStringConvertible {
    var state: String?
    var message: String
    var sql: String

    var isRetryable: Bool { state == "40001" || state == "40P01" }
    var description: String { "PostgreSQL: \(message) [\(state ?? "-")] in: \(sql)" }
}

/// A counter shared by threads (connection ids for the driver's logs).
public final class ManagedAtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { add(1) }
    @discardableResult
    func add(_ n: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += n
        return value
    }
    public var count: Int { lock.withLock { value } }
}

/// SQLite's SQL as PostgreSQL reads it: the store's statements are written once, for both.
/// Placeholders `?` and `?N` become `$N` (a bare `?` numbered after the largest so far, as
/// SQLite numbers it); SQLite's index hints (`INDEXED BY`, `NOT INDEXED`) go;
/// `INSERT OR IGNORE` becomes `ON CONFLICT DO NOTHING`; `LIKE` becomes `ILIKE` (SQLite's LIKE
/// ignores the case of ASCII letters); SQLite's scalar `max(a, b)` and
/// `min(a, b)` become `GREATEST` and `LEAST` (the one-argument aggregates stay). Quoted text is
/// left alone.
enum PostgresSQL {
    /// `max(…, …)` → `GREATEST(…, …)`, `min(…, …)` → `LEAST(…, …)`.
    static func scalarMinMax(_ sql: String) -> String {
        var chars = Array(sql)
        var i = 0
        var quote: Character?
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == q { quote = nil }
                i += 1
                continue
            }
            if c == "'" || c == "\"" { quote = c; i += 1; continue }
            if i + 4 <= chars.count, chars[i + 3] == "(",
               ["max", "min"].contains(String(chars[i..<i + 3]).lowercased()),
               i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber || chars[i - 1] == "_") {
                var depth = 0
                var j = i + 3
                var comma = false
                var q: Character?
                while j < chars.count {
                    let d = chars[j]
                    if let open = q { if d == open { q = nil } }
                    else if d == "'" || d == "\"" { q = d }
                    else if d == "(" { depth += 1 }
                    else if d == ")" { depth -= 1; if depth == 0 { break } }
                    else if d == "," && depth == 1 { comma = true }
                    j += 1
                }
                if comma {
                    let name = String(chars[i..<i + 3]).lowercased() == "max" ? "GREATEST" : "LEAST"
                    chars.replaceSubrange(i..<i + 3, with: Array(name))
                    i += name.count
                    continue
                }
            }
            i += 1
        }
        return String(chars)
    }

    static func translate(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.count + 16)
        var highest = 0
        var chars = Array(sql.unicodeScalars)
        var i = 0
        var quote: Unicode.Scalar?
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                out.unicodeScalars.append(c)
                if c == q { quote = nil }
                i += 1
                continue
            }
            if c == "'" || c == "\"" {
                quote = c
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            if c == "?" {
                var j = i + 1
                var digits = ""
                while j < chars.count, ("0"..."9").contains(chars[j]) {
                    digits.unicodeScalars.append(chars[j])
                    j += 1
                }
                let n: Int
                if let d = Int(digits) {
                    n = d
                } else {
                    n = highest + 1
                }
                highest = max(highest, n)
                out += "$\(n)"
                i = j
                continue
            }
            out.unicodeScalars.append(c)
            i += 1
        }
        chars = []
        var text = scalarMinMax(out)
        if let r = text.range(of: #"\s+INDEXED BY\s+\w+"#, options: [.regularExpression, .caseInsensitive]) {
            text.replaceSubrange(r, with: "")
            while let r = text.range(of: #"\s+INDEXED BY\s+\w+"#, options: [.regularExpression, .caseInsensitive]) {
                text.replaceSubrange(r, with: "")
            }
        }
        text = text.replacingOccurrences(of: " NOT INDEXED", with: "")
        // SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's ILIKE does the same.
        text = text.replacingOccurrences(of: " LIKE ", with: " ILIKE ")
        if let r = text.range(of: "INSERT OR IGNORE INTO", options: .caseInsensitive) {
            text.replaceSubrange(r, with: "INSERT INTO")
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.hasSuffix(";") { text.removeLast() }
            text += " ON CONFLICT DO NOTHING"
        }
        return text
    }
}
