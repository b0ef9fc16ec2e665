import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells a process run that a clerk waits to write, and lets the clerk in.
///
/// Every write holds a shared `flock` on the file `<database>-turn` while it waits for and runs
/// its transaction. A run, after each chunk of its work, asks whether the exclusive lock is
/// free: if not, someone waits, and the run commits. SQLite hands its write lock to whoever asks
/// first once it is free, and a run that began its next slice within microseconds would keep it
/// against a clerk who tries again every millisecond or two; so between two slices the run waits
/// for the exclusive lock — until the writers that were there have finished — and goes on.
/// `flock` locks are separate from SQLite's own (POSIX) locks and vanish with a process that dies.
final class Turnstile: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var fd: Int32 = -1
    private var holders = 0

    init(databasePath: String) {
        path = databasePath + "-turn"
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// The file, opened once (with the database file's mode and group); -1 if it cannot be.
    private func descriptor() -> Int32 {
        if fd < 0 { fd = Self.openFile(path) }
        return fd
    }

    static func openFile(_ path: String) -> Int32 {
        let database = String(path.dropLast("-turn".count))
        var st = stat()
        let mode = stat(database, &st) == 0 ? st.st_mode & 0o666 : 0o600
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        if fd >= 0, fstat(fd, &st) == 0, st.st_uid == geteuid() {
            var db = stat()
            if stat(database, &db) == 0, st.st_gid != db.st_gid { fchown(fd, uid_t.max, db.st_gid) }
        }
        return fd
    }

    /// Runs a write, holding the shared lock meanwhile if `waiting` (writes of one process share it).
    func passing<T>(_ waiting: Bool, _ body: () throws -> T) rethrows -> T {
        guard waiting else { return try body() }
        lock.withLock {
            let fd = descriptor()
            if holders == 0 && fd >= 0 { _ = flock(fd, LOCK_SH) }
            holders += 1
        }
        defer {
            lock.withLock {
                holders -= 1
                if holders == 0 && fd >= 0 { _ = flock(fd, LOCK_UN) }
            }
        }
        return try body()
    }

    /// Is another write waiting or writing (a run asks between two chunks)?
    static func isAnyoneWaiting(databasePath: String) -> Bool {
        let fd = openFile(databasePath + "-turn")
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return flock(fd, LOCK_EX | LOCK_NB) != 0
    }

    /// Between two slices of a run: waits (up to `limit` seconds) until no other write is
    /// waiting or writing. The run's own descriptor, so that the writes of its own process count.
    /// Returns whether anyone was let through.
    @discardableResult
    static func letThrough(databasePath: String, limit: Double = 1) -> Bool {
        let fd = openFile(databasePath + "-turn")
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return false }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(limit * 1e9)
        while DispatchTime.now().uptimeNanoseconds < deadline {
            usleep(250)
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { break }
        }
        return true
    }
}
