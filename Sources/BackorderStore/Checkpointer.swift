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
/// reader) on a utility queue; the next one is due when another 16 MB are not yet copied. A
/// one-shot command runs the checkpoint it scheduled as its store closes (`AppDatabase`'s
/// deinit), as SQLite's would have in its commit; and the first commit of any other process past
/// the limit schedules one of its own.
final class Checkpointer: @unchecked Sendable {
    /// Frames in the log (pages of 4 KB) after which a checkpoint is due: 16 MB.
    static let frames: Int32 = 4096

    private let path: String
    private let queue = DispatchQueue(label: "backorders.checkpoint", qos: .utility)
    private let state = NSLock()
    private var scheduled = false
    private var attempts = 0
    /// Checkpoints scheduled and begun (for the tests).
    var checkpointsBegun: Int {
        state.lock()
        defer { state.unlock() }
        return attempts
    }
    /// How much of the log the last checkpoint copied (0 once it starts over).
    private var copiedUpTo: Int32 = 0
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
        sqlite3_wal_hook(db.sqliteConnection, { context, _, _, frames in
            guard let context else { return SQLITE_OK }
            Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().committed(frames: frames)
            return SQLITE_OK
        }, context)
    }

    /// A commit left `frames` in the log: schedules a checkpoint once `frames` of them are not
    /// yet copied as far as this process knows (not on every commit of a long run, whose log
    /// cannot start over while it writes). Never in the commit itself: a clerk committing while
    /// another process's run has made the log long would pay for copying all of it.
    func committed(frames: Int32) {
        state.lock()
        defer { state.unlock() }
        if frames < copiedUpTo { copiedUpTo = 0 } // the log started over
        guard frames - copiedUpTo >= Self.frames, !scheduled, !stopped else { return }
        scheduled = true
        queue.async { self.run() }
    }

    func copied(upTo frame: Int32) {
        state.lock()
        defer { state.unlock() }
        copiedUpTo = max(0, frame)
    }

    private func run() {
        state.lock()
        scheduled = false
        attempts += 1
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
        // next commit past the limit asks again. Never RESTART or TRUNCATE here: they take the
        // write lock, and a run's slice commits exactly when a clerk waits for that lock — the
        // clerk would then wait for the copy (entry p99 during a run 59 → 74–129 ms when this
        // restarted the log). A writer starts the log over itself when it begins with the log
        // wholly copied, which a checkpoint here makes so whenever the desk pauses.
        var log: Int32 = 0, copied: Int32 = 0
        if sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) == SQLITE_OK {
            runs += 1
            self.copied(upTo: copied)
        }
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

    /// Runs whatever is scheduled and waits for it.
    func drain() {
        queue.sync {}
    }
}
