import BackorderCore
import BackorderStore
import Foundation
import GRDB

/// A lease in the database: at most one runner of a process at a time, across every process
/// and machine sharing the file. A crashed holder's lease expires.
public struct Lease: Sendable {
    public let process: ProcessKind
    public let holder: String

    /// Real time (never `--today`): the lease is about processes actually running now.
    static func wallClock() -> Double { Date().timeIntervalSince1970 }

    /// Tries once; true if this holder now has the lease.
    static func tryAcquire(_ database: AppDatabase, process: ProcessKind, holder: String, ttl: Double) throws -> Bool {
        try database.write { db in
            let now = wallClock()
            try db.execute(sql: "DELETE FROM process_lease WHERE process = ? AND expires_at < ?", arguments: [process.rawValue, now])
            try db.execute(sql: "INSERT OR IGNORE INTO process_lease (process, holder, expires_at) VALUES (?, ?, ?)",
                           arguments: [process.rawValue, holder, now + ttl])
            let current = try String.fetchOne(db, sql: "SELECT holder FROM process_lease WHERE process = ?", arguments: [process.rawValue])
            return current == holder
        }
    }

    /// Waits up to `wait` seconds for the lease.
    public static func acquire(_ database: AppDatabase, process: ProcessKind, ttl: Double = 600, wait: Double = 60) throws -> Lease? {
        let holder = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))"
        let deadline = wallClock() + wait
        repeat {
            if try tryAcquire(database, process: process, holder: holder, ttl: ttl) { return Lease(process: process, holder: holder) }
            usleep(50_000)
        } while wallClock() < deadline
        return nil
    }

    public func renew(_ database: AppDatabase, ttl: Double = 600) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE process_lease SET expires_at = ? WHERE process = ? AND holder = ?",
                           arguments: [Lease.wallClock() + ttl, process.rawValue, holder])
        }
    }

    public func release(_ database: AppDatabase) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM process_lease WHERE process = ? AND holder = ?", arguments: [process.rawValue, holder])
        }
    }
}
