import Foundation
import GRDB

/// Notices commits made through any other connection to the database file — another terminal,
/// a cron job, or this process's own pool — by polling `PRAGMA data_version`.
///
/// `data_version` is per connection: it changes when *another* connection commits. So the
/// watcher keeps one dedicated read-only connection of its own (a pool would answer from a
/// random reader, whose number means nothing to the next poll).
public final class ChangeWatcher {
    private let queue: DatabaseQueue
    private var last: Int

    /// Opens a read-only connection to the database at `path`.
    public init(path: String) throws {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(1)
        queue = try DatabaseQueue(path: path, configuration: config)
        last = 0
        last = try current()
    }

    private func current() throws -> Int {
        try queue.inDatabase { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    /// True when some other connection committed since the previous call (or since opening).
    public func poll() throws -> Bool {
        let now = try current()
        defer { last = now }
        return now != last
    }
}

extension AppDatabase {
    /// A watcher of commits to this database's file (see `ChangeWatcher`).
    public func changeWatcher() throws -> any ChangeWatching {
        try ChangeWatcher(path: path)
    }
}
