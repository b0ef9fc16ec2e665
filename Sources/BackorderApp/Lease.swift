import BackorderCore
import BackorderStore
import Foundation
import GRDB

/// A lease in the database: at most one holder of a name at a time, across every process sharing
/// the file (the process runs hold their process's name; the scheduler service holds
/// "scheduler"). A lease names its holder — process id, host, the process's start time — and
/// carries a heartbeat the holder renews every few seconds while it holds it. A lease whose
/// holder is gone (a process of this host that is no longer running, or a heartbeat older than
/// `LeaseHolder.staleAfter`) is taken over at once, and a run record its holder left open is
/// closed as interrupted with what it had committed.
///
///     guard let lease = try Lease.acquire(database, name: "scheduler", wait: 0) else { … held elsewhere … }
///     defer { lease.release() }
///     … work; `try lease.renew()` between steps throws once the lease was lost …
///     try Lease.holder(database, name: "scheduler")   // who holds it now (nil: nobody alive)
public final class Lease: @unchecked Sendable {
    public let name: String
    /// Unique to this holding: host, pid and a random part.
    public let token: String
    let database: AppDatabase
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?
    private var lost = false

    /// Seconds between heartbeats (the holder's own thread renews the lease).
    public static var heartbeatInterval: Double {
        ProcessInfo.processInfo.environment["BACKORDERS_LEASE_HEARTBEAT"].flatMap(Double.init) ?? 5
    }

    /// Real time (never `--today`): the lease is about processes actually running now.
    static func wallClock() -> Double { Date().timeIntervalSince1970 }

    private init(name: String, token: String, database: AppDatabase) {
        self.name = name
        self.token = token
        self.database = database
    }

    deinit { timer?.cancel() }

    /// Takes the lease named `name`, waiting up to `wait` seconds while a live holder has it;
    /// nil if it is still held then. `what` describes the holder to others ("an import of
    /// orders.csv by ada"); by default the name's own description.
    public static func acquire(_ database: AppDatabase, name: String, wait: Double = 60, what: String? = nil) throws -> Lease? {
        let token = "\(LeaseHolder.thisHost):\(getpid()):\(UUID().uuidString.prefix(8))"
        let deadline = wallClock() + wait
        repeat {
            if try tryAcquire(database, name: name, token: token, what: what) {
                let lease = Lease(name: name, token: token, database: database)
                lease.startHeartbeat()
                return lease
            }
            usleep(50_000)
        } while wallClock() < deadline
        return nil
    }

    /// The lease of a process run.
    public static func acquire(_ database: AppDatabase, process: ProcessKind, wait: Double = 60) throws -> Lease? {
        try acquire(database, name: process.rawValue, wait: wait)
    }

    /// The live holder of `name`, or nil when nobody alive holds it.
    public static func holder(_ database: AppDatabase, name: String) throws -> LeaseHolder? {
        let now = wallClock()
        return try database.read { db in try LeaseHolder.fetchAll(db, name: name).first { !$0.isGone(now: now) } }
    }

    /// Every live lease.
    public static func holders(_ database: AppDatabase) throws -> [LeaseHolder] {
        let now = wallClock()
        return try database.leaseHolders().filter { !$0.isGone(now: now) }
    }

    static func tryAcquire(_ database: AppDatabase, name: String, token: String, what: String?) throws -> Bool {
        try database.write { db in
            let now = wallClock()
            var gone: LeaseHolder?
            if let current = try LeaseHolder.fetchAll(db, name: name).first {
                guard current.isGone(now: now) else { return current.token == token }
                try db.execute(sql: "DELETE FROM process_lease WHERE process = ?", arguments: [name])
                gone = current
            }
            try db.execute(sql: """
                INSERT INTO process_lease (process, holder, expires_at, pid, host, started, acquired_at, heartbeat_at, what)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [name, token, now + LeaseHolder.staleAfter, getpid(), LeaseHolder.thisHost,
                                 LeaseHolder.startTime(of: getpid()), now, now, what])
            // Holding the name, nobody else runs under it: a run it left unfinished was interrupted.
            try closeInterrupted(db, process: name, at: now, holder: gone?.who)
            return true
        }
    }

    /// Closes the runs of `process` left without a finish by a holder that died, keeping the
    /// counts of what their committed transactions did.
    static func closeInterrupted(_ db: Database, process: String, at now: Double, holder: String?) throws {
        let stamp = Moment(seconds: Int(now) + TimeZone.current.secondsFromGMT()).description
        let who = holder.map { "its process (\($0))" } ?? "its process"
        try db.execute(sql: """
            UPDATE process_run SET finished_at = ?, interrupted = 1, error = ?
            WHERE process = ? AND finished_at IS NULL
            """, arguments: [stamp, "interrupted: \(who) ended before the run finished; the counts are what it had committed", process])
    }

    /// Renews the heartbeat now. Throws if the lease was taken over meanwhile (its holder looked
    /// gone: stopped for longer than the stale limit): the holder must stop.
    public func renew() throws {
        let changed = try database.write { db -> Int in
            let now = Lease.wallClock()
            try db.execute(sql: "UPDATE process_lease SET heartbeat_at = ?, expires_at = ? WHERE process = ? AND holder = ?",
                           arguments: [now, now + LeaseHolder.staleAfter, name, token])
            return db.changesCount
        }
        if changed == 0 {
            lock.withLock { lost = true }
            throw DeskError.refused("this process lost its \(name) lease (it was taken for gone and taken over); it stopped, and what it had committed stays")
        }
    }

    /// Records the run this lease's holder is making, so a takeover can close it.
    func noteRun(_ runID: Int64, in db: Database) throws {
        try db.execute(sql: "UPDATE process_lease SET run_id = ? WHERE process = ? AND holder = ?", arguments: [runID, name, token])
    }

    /// Gives the lease up (best effort: if this fails, the lease is taken over once this process
    /// has ended).
    public func release() {
        lock.withLock {
            timer?.cancel()
            timer = nil
        }
        try? database.write { db in
            try db.execute(sql: "DELETE FROM process_lease WHERE process = ? AND holder = ?", arguments: [name, token])
        }
    }

    /// True once a renewal found the lease taken over.
    public var isLost: Bool { lock.withLock { lost } }

    private func startHeartbeat() {
        let interval = Lease.heartbeatInterval
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        t.schedule(deadline: .now() + interval, repeating: interval)
        t.setEventHandler { [weak self] in
            guard let self, !self.isLost else { return }
            try? self.renew()
        }
        lock.withLock { timer = t }
        t.resume()
    }
}
