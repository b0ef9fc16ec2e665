import BackorderCore
import BackorderStore
import Foundation

/// A lease in the database: at most one holder of a name at a time, across every process sharing
/// the file (the process runs hold their process's name; the scheduler service holds
/// "scheduler"). A lease names its holder — process id, host, the process's start time — and
/// carries a heartbeat the holder renews every few seconds while it holds it. A lease whose
/// holder is gone (a process of this host that is no longer running, or a heartbeat older than
/// `LeaseHolder.staleAfter`) is taken over at once, and a run record its holder left open is
/// closed as interrupted with what it had committed.
///
///     guard let lease = try Lease.acquire(store, name: "scheduler", wait: 0) else { … held elsewhere … }
///     defer { lease.release() }
///     … work; `try lease.renew()` between steps throws once the lease was lost …
///     try Lease.holder(store, name: "scheduler")   // who holds it now (nil: nobody alive)
public final class Lease: @unchecked Sendable {
    public let name: String
    /// Unique to this holding: host, pid and a random part.
    public let token: String
    let store: any BackorderStoring
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?
    private var lost = false
    /// A run's slice is open in this process (its transaction holds the write lock).
    private var sliceOpen = false
    /// A heartbeat fell due while the slice was open.
    private var renewalDue = false

    /// Seconds between heartbeats (the holder's own thread renews the lease).
    public static var heartbeatInterval: Double {
        ProcessInfo.processInfo.environment["BACKORDERS_LEASE_HEARTBEAT"].flatMap(Double.init) ?? 5
    }

    /// Real time (never `--today`): the lease is about processes actually running now.
    static func wallClock() -> Double { LeaseHolder.wallClock() }

    private init(name: String, token: String, store: any BackorderStoring) {
        self.name = name
        self.token = token
        self.store = store
    }

    /// This holding, as the store knows it.
    var claim: LeaseClaim { LeaseClaim(name: name, token: token) }

    deinit { timer?.cancel() }

    /// Takes the lease named `name`, waiting up to `wait` seconds while a live holder has it;
    /// nil if it is still held then. `what` describes the holder to others ("an import of
    /// orders.csv by ada"); by default the name's own description.
    public static func acquire(_ store: any BackorderStoring, name: String, wait: Double = 60, what: String? = nil) throws -> Lease? {
        let token = "\(LeaseHolder.thisHost):\(getpid()):\(UUID().uuidString.prefix(8))"
        let deadline = wallClock() + wait
        repeat {
            if try store.acquireLease(LeaseClaim(name: name, token: token), what: what) {
                let lease = Lease(name: name, token: token, store: store)
                lease.startHeartbeat()
                return lease
            }
            usleep(50_000)
        } while wallClock() < deadline
        return nil
    }

    /// The lease of a process run.
    public static func acquire(_ store: any BackorderStoring, process: ProcessKind, wait: Double = 60) throws -> Lease? {
        try acquire(store, name: process.rawValue, wait: wait)
    }

    /// The live holder of `name`, or nil when nobody alive holds it.
    public static func holder(_ store: any BackorderStoring, name: String) throws -> LeaseHolder? {
        let now = wallClock()
        return try store.leaseHolders(named: name).first { !$0.isGone(now: now) }
    }

    /// Every live lease.
    public static func holders(_ store: any BackorderStoring) throws -> [LeaseHolder] {
        let now = wallClock()
        return try store.leaseHolders().filter { !$0.isGone(now: now) }
    }

    /// Renews the heartbeat now. Throws if the lease was taken over meanwhile (its holder looked
    /// gone: stopped for longer than the stale limit): the holder must stop.
    public func renew() throws {
        let renewed = try store.renewLease(claim)
        if !renewed {
            lock.withLock { lost = true }
            throw DeskError.refused("this process lost its \(name) lease (it was taken for gone and taken over); it stopped, and what it had committed stays")
        }
    }

    /// Gives the lease up (best effort: if this fails, the lease is taken over once this process
    /// has ended).
    public func release() {
        lock.withLock {
            timer?.cancel()
            timer = nil
        }
        try? store.releaseLease(claim)
    }

    /// A run's slice opens: until it ends, the heartbeat does not write (a write waiting for the
    /// slice's lock would end the slice: at 1M lines, a cut every 5 s cost 5 % of the run) but
    /// falls due, and the run renews when the slice has committed. A slice alone is kept well
    /// under the stale limit (`RunPlan`), so the lease never looks gone meanwhile.
    public func sliceBegins() { lock.withLock { sliceOpen = true } }

    /// The slice committed or failed: true when a heartbeat fell due meanwhile.
    public func sliceEnds() -> Bool {
        lock.withLock {
            sliceOpen = false
            defer { renewalDue = false }
            return renewalDue
        }
    }

    /// A heartbeat fell due during the open slice (not yet taken by `sliceEnds`).
    var renewalFellDue: Bool { lock.withLock { renewalDue } }

    /// True once a renewal found the lease taken over.
    public var isLost: Bool { lock.withLock { lost } }

    private func startHeartbeat() {
        let interval = Lease.heartbeatInterval
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        t.schedule(deadline: .now() + interval, repeating: interval)
        t.setEventHandler { [weak self] in
            guard let self, !self.isLost else { return }
            let deferred = self.lock.withLock { () -> Bool in
                if self.sliceOpen { self.renewalDue = true }
                return self.sliceOpen
            }
            if !deferred { try? self.renew() }
        }
        lock.withLock { timer = t }
        t.resume()
    }
}
