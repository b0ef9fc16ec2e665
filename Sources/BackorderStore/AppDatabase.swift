import BackorderCore
import Foundation
import GRDB

/// The one type that owns the database: opens it, checks it is ours, migrates it, and hands out
/// read snapshots and write transactions.
///
/// Several terminals and cron jobs share one file: WAL mode, a busy timeout, and every write a
/// `BEGIN IMMEDIATE` transaction (GRDB's default for a pool's writer), so a writer that reads
/// quantities and then changes them cannot interleave with another writer.
public final class AppDatabase: Sendable {
    public let path: String
    let pool: DatabasePool

    public enum OpenError: Error, CustomStringConvertible, Equatable {
        case notOurs(String)
        case newer(String)
        case missing(String)
        case cannot(String, String)

        public var description: String {
            switch self {
            case .notOurs(let p): return "\(p) is not a Backorders database; nothing was changed"
            case .newer(let p): return "\(p) was written by a newer version of Backorders; upgrade the program to open it"
            case .missing(let p): return "no database at \(p); create one with `backorders init` or `backorders demo`"
            case .cannot(let p, let why): return "cannot open \(p): \(why)"
            }
        }
    }

    /// Opens (and, if `create`, creates) the database at `path`.
    public init(path: String, create: Bool) throws {
        self.path = path
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: path)
        if !exists && !create { throw OpenError.missing(path) }
        if exists {
            try Self.verifyIsOurs(path: path)
        } else {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty {
                do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
                catch { throw OpenError.cannot(path, error.localizedDescription) }
            }
        }
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A desk of a million lines is a few hundred MB: 32 MB of page cache per connection keeps
            // queues and indexes in memory; checkpoints every 16 MB of WAL instead of every 4 MB.
            try db.execute(sql: "PRAGMA cache_size = -32768")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 4096")
            // BACKORDERS_TRACE_SQL=ms prints every statement slower than ms milliseconds to stderr.
            if let limit = ProcessInfo.processInfo.environment["BACKORDERS_TRACE_SQL"].flatMap(Double.init) {
                db.trace(options: .profile) { event in
                    if case let .profile(statement, duration) = event, duration * 1000 >= limit {
                        FileHandle.standardError.write(Data(String(format: "sql %.1f ms: %@\n", duration * 1000, statement.sql).utf8))
                    }
                }
            }
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw OpenError.cannot(path, "\(error)")
        }
        try pool.write { db in
            if try Schema.migrator.hasBeenSuperseded(db) { throw OpenError.newer(path) }
        }
        try Schema.migrator.migrate(pool)
    }

    /// A file that exists must be a SQLite database with our application id (or empty).
    public static func verifyIsOurs(path: String) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size == 0 { return }
        do {
            var config = Configuration()
            config.readonly = true
            // Other terminals may be writing: wait for them like every other connection does.
            config.busyMode = .timeout(30)
            let queue = try DatabaseQueue(path: path, configuration: config)
            let (appID, tables) = try queue.read { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0)
            }
            try queue.close()
            if appID == Schema.applicationID { return }
            if appID == 0 && tables == 0 { return }
            throw OpenError.notOurs(path)
        } catch let e as OpenError {
            throw e
        } catch let e as DatabaseError where e.resultCode == .SQLITE_NOTADB || e.resultCode == .SQLITE_CORRUPT {
            throw OpenError.notOurs(path)
        } catch {
            // Busy, locked, unreadable…: say so, rather than call someone's database foreign.
            throw OpenError.cannot(path, "\(error)")
        }
    }

    /// A consistent snapshot for reading.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// One `BEGIN IMMEDIATE` transaction: all of it commits, or none of it.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.write(body)
    }

    /// Copies the write-ahead log into the database and truncates it: after a bulk load, so that
    /// the terminals that follow do not wade through a long log.
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }
}
