import Foundation
import GRDB
import GRDBSQLite

/// Copies the write-ahead log back into the database file on a thread of its own, so that no
/// clerk's commit pays for it.
///
/// SQLite's automatic checkpoint runs inside the commit that takes the log past its limit: that
/// commit — an order entry, a priority change, a slice of a process run a clerk is waiting for —
/// then copies 16 MB into the file (20–60 ms here, the p99 of entry and of priority changes).
/// Instead the writing connection's log hook only notes that the log is long, and a connection
/// of this object's own runs a passive checkpoint (it never waits for nor blocks a writer or a
/// reader) on a utility queue, then starts the log over if nobody is in the way. A process that
/// leaves before its checkpoint ran (a one-shot command) leaves it to the next commit; should
/// the log still reach four times the limit, that commit checkpoints inline as SQLite would have.
final class Checkpointer: @unchecked Sendable {
    /// Frames in the log (pages of 4 KB) after which a checkpoint is due: 16 MB.
    static let frames: Int32 = 4096

    private let path: String
    private let queue = DispatchQueue(label: "backorders.checkpoint", qos: .utility)
    private let state = NSLock()
    private var scheduled = false
    private var stopped = false
    /// Guards the checkpoint connection; never held by a writer.
    private let connectionLock = NSLock()
    private var connection: OpaquePointer?
    private var runs = 0
    /// Checkpoints that ran to the end (for the tests).
    var completed: Int {
        connectionLock.lock()
        defer { connectionLock.unlock() }
        return runs
    }

    init(path: String) {
        self.path = path
    }

    /// Puts the hook on a writing connection, in place of SQLite's automatic checkpoint. The hook
    /// holds this object for the connection's whole life.
    func install(on db: Database) {
        let context = Unmanaged.passRetained(self).toOpaque()
        sqlite3_wal_hook(db.sqliteConnection, { context, connection, _, frames in
            if frames >= Checkpointer.frames * 4 {
                sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            } else if frames >= Checkpointer.frames, let context {
                Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().schedule()
            }
            return SQLITE_OK
        }, context)
    }

    private func schedule() {
        state.lock()
        defer { state.unlock() }
        guard !scheduled, !stopped else { return }
        scheduled = true
        queue.async { self.run() }
    }

    private func run() {
        state.lock()
        scheduled = false
        let stop = stopped
        state.unlock()
        guard !stop else { return }
        connectionLock.lock()
        defer { connectionLock.unlock() }
        if connection == nil {
            var handle: OpaquePointer?
            guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
                sqlite3_close_v2(handle)
                return
            }
            // A new connection opens the log only when it first reads.
            guard sqlite3_exec(handle, "PRAGMA schema_version", nil, nil, nil) == SQLITE_OK else {
                sqlite3_close_v2(handle)
                return
            }
            connection = handle
        }
        // Busy (another process checkpointing) or partial (a reader on an older snapshot): the
        // next commit past the limit asks again.
        var log: Int32 = 0, copied: Int32 = 0
        var rc = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
        if rc == SQLITE_OK && log > 0 && log == copied {
            // All of it is in the file; now start the log over. A writer does that only when it
            // begins with the log wholly copied, which never happens while commits keep coming
            // during the copy: the log would grow on. No waiting (no busy handler): with a writer
            // or a reader of the log in the way it gives up at once, and the next commit past
            // the limit asks again.
            rc = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_RESTART, &log, &copied)
        }
        if rc == SQLITE_OK { runs += 1 }
    }

    /// Waits for a checkpoint under way, and closes the connection (`AppDatabase.close`, deinit).
    /// With `forGood`, later commits schedule nothing.
    func stop(forGood: Bool) {
        state.lock()
        if forGood { stopped = true }
        state.unlock()
        connectionLock.lock()
        defer { connectionLock.unlock() }
        if let connection { sqlite3_close_v2(connection) }
        connection = nil
    }

    /// Runs whatever is scheduled and waits for it (for the tests).
    func drain() {
        queue.sync {}
    }
}
