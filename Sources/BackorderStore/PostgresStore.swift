import BackorderCore
import Foundation
import PostgresNIO

/// The desk on a PostgreSQL server: the same operations and read models as the SQLite store
/// (`Store+*.swift`, the engine), on connections of its own.
///
/// Writes are one at a time, as on SQLite: every write transaction first takes the desk's
/// transaction-level advisory lock (`pg_advisory_xact_lock`), waiting for it up to the busy
/// timeout, so a writer that reads quantities and then changes them never interleaves with
/// another and I1–I6 hold exactly as they do on SQLite; READ COMMITTED inside it sees every
/// commit before its own. Reads are REPEATABLE READ snapshots and never wait for a writer.
/// Waiters queue on the lock in arrival order, which is what lets clerks in between a process
/// run's slices. Every write ends with a NOTIFY on `backorders_desk`, delivered at commit: other
/// terminals' `changeWatcher` hear of it (LISTEN) instead of polling `data_version`.
public final class PostgresStore: SQLStore, @unchecked Sendable {
    public let address: PostgresAddress
    public var path: String { address.description }
    public let isReadOnly = false
    /// Read once, when the store opens, as SQLite's is (reading the environment builds a
    /// dictionary of it: ~0.4 M instructions, once per transaction before).
    public let busyTimeout = AppDatabase.busyTimeout

    /// The advisory lock every write holds ("BKOR").
    static let writeLock: Int64 = 0x424B_4F52
    /// The channel commits are announced on.
    static let channel = "backorders_desk"

    private let lock = NSLock()
    private var idle: [PostgresSession] = []
    /// Names this store's own announcements, so its watcher hears only the others'.
    let token = UUID().uuidString

    /// Opens the desk at `address`; with `create`, an empty database becomes a new desk (its
    /// migrations, nothing else). A database holding anything but a desk is refused untouched.
    public init(address: PostgresAddress, create: Bool) throws {
        self.address = address
        let session = try PostgresSession(address)
        defer { give(session) }
        try migrate(session, create: create)
    }

    deinit {
        for s in idle { s.close() }
    }

    /// Closes the connections kept for the next transaction (the next one opens a new one).
    public func closeIdleConnections() {
        for s in lock.withLock({ () -> [PostgresSession] in defer { idle = [] }; return idle }) { s.close() }
    }

    // MARK: - Migrations

    private func migrate(_ s: PostgresSession, create: Bool) throws {
        let hasTable = try s.rows("SELECT to_regclass('backorders_migration') IS NOT NULL", [])[0][0] as Int64 == 1
        if !hasTable {
            let tables = try s.rows("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", [])[0][0] as Int64
            if tables > 0 {
                throw AppDatabase.OpenError.notOurs(path)
            }
            guard create else { throw DeskError.refused("no desk at \(path) (the database is empty); create one with `backorders init --db \(path)` or `backorders demo --db \(path)`") }
        } else {
            // A current desk is opened without taking the write lock (a run's slice may hold it).
            let applied = Set(try s.rows("SELECT name FROM backorders_migration", []).map { $0[0] as String })
            let known = Set(PostgresSchema.migrations.map(\.name))
            if !applied.isSubset(of: known) { throw AppDatabase.OpenError.newer(path) }
            if applied == known { return }
        }
        try s.execute("BEGIN", [])
        do {
            try s.execute("SELECT pg_advisory_xact_lock(\(Self.writeLock))", [])
            try s.executeScript("CREATE TABLE IF NOT EXISTS backorders_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            let applied = Set(try s.rows("SELECT name FROM backorders_migration", []).map { $0[0] as String })
            let known = Set(PostgresSchema.migrations.map(\.name))
            if !applied.isSubset(of: known) { throw AppDatabase.OpenError.newer(path) }
            for m in PostgresSchema.migrations where !applied.contains(m.name) {
                try s.executeScript(m.sql)
                try s.execute("INSERT INTO backorders_migration (name, applied_at) VALUES (?, ?)", [m.name.databaseValue, Date().description.databaseValue])
            }
            try s.execute("COMMIT", [])
        } catch {
            try? s.execute("ROLLBACK", [])
            throw error
        }
    }

    /// True when the database holds a desk (its migrations table).
    public static func holdsDesk(_ address: PostgresAddress) throws -> Bool {
        let s = try PostgresSession(address)
        defer { s.close() }
        return try s.rows("SELECT to_regclass('backorders_migration') IS NOT NULL", [])[0][0] as Int64 == 1
    }

    /// Drops the desk held by the database at `address` (`demo --reset`): its tables, its
    /// migrations, the ledger's guard. Nothing else in the database is touched.
    public static func erase(_ address: PostgresAddress) throws {
        let s = try PostgresSession(address)
        defer { s.close() }
        let tables = (DeskCopy.tables + ["backorders_migration"]).joined(separator: ", ")
        try s.executeScript("""
            BEGIN; SELECT pg_advisory_xact_lock(\(writeLock));
            DROP TABLE IF EXISTS \(tables) CASCADE; DROP FUNCTION IF EXISTS ledger_append_only(); COMMIT
            """)
    }

    /// Creates an empty database `name` on the server of `address` (tests, benches: one each).
    public static func createDatabase(_ name: String, on address: PostgresAddress) throws {
        try onServer(address, "CREATE DATABASE \(plainName(name))")
    }

    /// Creates the database `name` as a copy of the database `template` on the same server (the
    /// server copies its files; nobody may be connected to `template` meanwhile).
    public static func createDatabase(_ name: String, copying template: String, on address: PostgresAddress) throws {
        try onServer(address, "CREATE DATABASE \(plainName(name)) TEMPLATE \(plainName(template))")
    }

    /// Drops the database `name` on the server of `address`, closing its connections.
    public static func dropDatabase(_ name: String, on address: PostgresAddress) throws {
        try onServer(address, "DROP DATABASE IF EXISTS \(plainName(name)) WITH (FORCE)")
    }

    private static func plainName(_ name: String) throws -> String {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw DeskError.invalid("'\(name)' is not a plain database name (letters, digits, _)")
        }
        return name
    }

    /// One statement outside any transaction, on a connection of its own.
    private static func onServer(_ address: PostgresAddress, _ sql: String) throws {
        let s = try PostgresSession(address)
        defer { s.close() }
        try s.executeScript(sql)
    }

    // MARK: - Connections

    private func take() throws -> PostgresSession {
        if let s = lock.withLock({ idle.popLast() }) { return s }
        return try PostgresSession(address)
    }

    private func give(_ s: PostgresSession) {
        lock.withLock {
            if idle.count < 4 { idle.append(s) } else { s.close() }
        }
    }

    /// A session after an error: kept if the server answered (the transaction is rolled back),
    /// dropped if the connection itself failed.
    private func settle(_ s: PostgresSession, after error: any Error) {
        if let e = error as? PostgresStoreError, e.state == nil {
            s.close()
            return
        }
        do {
            try s.execute("ROLLBACK", [])
            give(s)
        } catch {
            s.close()
        }
    }

    // MARK: - Transactions

    public func reading<T>(_ body: (SQLConnection) throws -> T) throws -> T {
        try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { s in try body(SQLConnection(s)) }
    }

    public func writing<T>(waitsInTurn: Bool, _ body: (SQLConnection) throws -> T) throws -> T {
        try transaction("BEGIN") { s in
            try s.execute("SET LOCAL lock_timeout = '\(Int(busyTimeout * 1000))ms'", [])
            do {
                try s.execute("SELECT pg_advisory_xact_lock(\(Self.writeLock))", [])
            } catch let e as PostgresStoreError where e.state == "55P03" {
                throw DeskError.refused(AppDatabase.busyMessage(path: path, holders: (try? leaseHolders()) ?? []))
            }
            try s.execute("SET LOCAL lock_timeout = 0", [])
            let result = try body(SQLConnection(s))
            try s.execute("SELECT pg_notify('\(Self.channel)', ?)", [token.databaseValue])
            return result
        }
    }

    /// One transaction on a pooled session: `begin`, `body`, COMMIT; on an error, rolled back
    /// (or the session dropped if the connection failed) and the error passed on.
    private func transaction<T>(_ begin: String, _ body: (PostgresSession) throws -> T) throws -> T {
        let s = try take()
        do {
            try s.execute(begin, [])
            let result = try body(s)
            try s.execute("COMMIT", [])
            give(s)
            return result
        } catch {
            settle(s, after: error)
            throw error
        }
    }

    public func othersWaitToWrite(_ db: SQLConnection) -> Bool {
        let waiting = try? db.fetchOne(Int.self, sql: """
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = \(Self.writeLock)
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """)
        return (waiting ?? 0) > 0
    }

    /// Waiters on the write lock queue in arrival order: the next slice's lock request waits
    /// behind every clerk who waited while this one ran. Nothing to do between slices.
    public func letWaitingWritesIn(_ plan: RunPlan) {}

    // MARK: - What only this engine has

    public func changeWatcher() throws -> any ChangeWatching {
        try PostgresChangeWatcher(address: address, ignoring: token)
    }

    public func check() throws -> [InvariantCheck.Violation] {
        try reading { db in try SQLCheck.violations(db) }
    }

    /// A PostgreSQL desk's copy is a SQLite file (`backorders copy --to FILE`).
    public func backup(to file: String) throws -> CopyReport {
        try DeskCopy.copy(from: self, toFile: file, replacing: true)
    }
}

/// Hears of commits by other terminals on the desk's channel (LISTEN/NOTIFY).
final class PostgresChangeWatcher: ChangeWatching, @unchecked Sendable {
    private let session: PostgresSession
    private let lock = NSLock()
    private var heard = false
    private var context: PostgresListenContext?

    init(address: PostgresAddress, ignoring token: String) throws {
        session = try PostgresSession(address)
        context = session.connection.addListener(channel: PostgresStore.channel) { [weak self] _, note in
            guard note.payload != token, let self else { return }
            self.lock.withLock { self.heard = true }
        }
        // A round trip after LISTEN: from here on, no commit is missed.
        _ = try session.rows("SELECT 1", [])
    }

    deinit {
        context?.stop()
        session.close()
    }

    func poll() throws -> Bool {
        lock.withLock {
            defer { heard = false }
            return heard
        }
    }
}
