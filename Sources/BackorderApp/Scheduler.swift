import BackorderCore
import BackorderStore
import Foundation

extension Desk {
    /// The name under which scheduled runs are recorded.
    public static let schedulerName = "scheduler"

    /// A desk acting as the scheduler (no user of the users table). `name` is what its runs are
    /// recorded as: "scheduler" for the service, "desk:ann" for ann's open desk.
    public static func scheduler(store: any BackorderStoring, clock: Clock, name: String = schedulerName) -> Desk {
        Desk(store: store, user: User(name: name, role: .admin, autoBackorder: true, theme: nil, runsSchedules: true), clock: clock)
    }
}

extension Desk {
    /// The runner of the schedules for this user's open desk: its runs are recorded as
    /// "desk:NAME", and it runs only while no other runner holds the schedules' lease.
    public func deskScheduler() -> Scheduler {
        Scheduler(store: store, clock: clock, actor: Scheduler.deskActor(user.name))
    }
}

/// Runs the automation schedules — 7792 Primary, 8050 Secondary, 8101 Auto Reserve, 8102
/// Replenishment — when they are due.
///
/// Whoever runs them holds the lease named `Scheduler.leaseName`: the `backorders scheduler`
/// service holds it as long as it runs; `scheduler --once` (cron) and an open desk take it just
/// for the runs that are due. So a service, a cron job and any number of desks never run the
/// schedules at the same time, and while no service runs, the desks run them themselves.
public final class Scheduler: @unchecked Sendable {
    /// The lease of the schedules as a whole (each run also holds its process's own lease).
    public static let leaseName = "scheduler"

    public let desk: Desk
    let store: any BackorderStoring

    /// `actor` names the runs: "scheduler" for the service and cron, "desk:NAME" for a desk.
    public init(store: any BackorderStoring, clock: Clock, actor: String = Desk.schedulerName) {
        self.store = store
        desk = Desk.scheduler(store: store, clock: clock, name: actor)
    }

    /// The name a desk's runs are recorded under.
    public static func deskActor(_ user: String) -> String { "desk:\(user)" }

    public struct Outcome: JSONConvertible, Sendable {
        public var process: ProcessKind
        public var result: ProcessResult?
        public var error: String?
        public var json: JSON {
            if let result { return result.json }
            return .object([("process", .string(process.rawValue)), ("error", .opt(error))])
        }
    }

    /// The processes due now: enabled, back order management on, and never run or past their next run.
    public func due() throws -> [ProcessKind] {
        let prefs = try desk.preferences()
        let now = desk.clock.now()
        return try desk.schedules().filter { s in
            // With back order management off the backorder schedules stay idle (§4.7).
            guard s.enabled, prefs.backorderManagement || s.process == .replenish else { return false }
            guard let next = s.nextRun.flatMap(Moment.init) else { return true }
            return next <= now
        }.map(\.process)
    }

    /// Who runs the schedules now, if anyone alive holds their lease.
    public func runner() throws -> LeaseHolder? {
        try Lease.holder(store, name: Scheduler.leaseName)
    }

    /// Runs whatever is due once, holding the schedules' lease meanwhile (for cron: `scheduler
    /// --once`). Nil when another runner — the service, a desk — holds it (it runs them). A
    /// process whose own lease another run holds is skipped, not waited for.
    public func runDueOnce(wait: Double = 0) throws -> [Outcome]? {
        guard let lease = try Lease.acquire(store, name: Scheduler.leaseName, wait: wait,
                                            what: "the schedules, run by \(desk.user.name)") else { return nil }
        defer { lease.release() }
        return try runDue()
    }

    /// Runs one process if it is still due, holding the schedules' lease (an open desk, one run at
    /// a time). Nil when another runner holds the lease or it is no longer due.
    public func runIfDue(_ process: ProcessKind, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Outcome? {
        guard let lease = try Lease.acquire(store, name: Scheduler.leaseName, wait: 0,
                                            what: "the schedules, run by \(desk.user.name)") else { return nil }
        defer { lease.release() }
        guard try due().contains(process) else { return nil }
        do {
            return Outcome(process: process, result: try desk.runProcess(process, leaseWait: 0, progress: progress), error: nil)
        } catch {
            return Outcome(process: process, result: nil, error: "\(error)")
        }
    }

    /// The due processes, each under its own lease; the caller holds the schedules' lease.
    func runDue() throws -> [Outcome] {
        try due().map { p in
            do {
                return Outcome(process: p, result: try desk.runProcess(p, leaseWait: 0), error: nil)
            } catch {
                return Outcome(process: p, result: nil, error: "\(error)")
            }
        }
    }

    /// The service: takes the schedules' lease (waiting while a desk or cron job finishes its
    /// runs), keeps it, and runs until `shouldStop` says so, checking the schedules every
    /// `pollSeconds`; stops only between runs, so a run is never cut in half.
    public func run(pollSeconds: Double = 1, shouldStop: () -> Bool, waiting: (LeaseHolder) -> Void = { _ in },
                    report: (Outcome) -> Void) throws {
        var lease: Lease?
        var told = false
        while lease == nil && !shouldStop() {
            lease = try Lease.acquire(store, name: Scheduler.leaseName, wait: 0, what: "the scheduler service")
            if lease == nil {
                if !told, let holder = try runner() { waiting(holder); told = true }
                usleep(200_000)
            }
        }
        guard let lease else { return }
        defer { lease.release() }
        while !shouldStop() {
            if lease.isLost { throw DeskError.refused("the scheduler lost its lease to another runner; it stopped") }
            for outcome in try runDue() {
                report(outcome)
                if shouldStop() { return }
            }
            var waited = 0.0
            while waited < pollSeconds && !shouldStop() {
                usleep(100_000)
                waited += 0.1
            }
        }
    }
}
