import BackorderCore
import BackorderStore
import Foundation
import GRDB

extension Desk {
    /// The name under which scheduled runs are recorded.
    public static let schedulerName = "scheduler"

    /// A desk acting as the scheduler (no user of the users table).
    public static func scheduler(database: AppDatabase, clock: Clock) -> Desk {
        Desk(database: database, user: User(name: schedulerName, role: .admin, autoBackorder: true, theme: nil), clock: clock)
    }
}

/// Runs the enabled automation schedules (7792 Primary, 8050 Secondary) when they are due.
public final class Scheduler: @unchecked Sendable {
    public let desk: Desk
    public init(database: AppDatabase, clock: Clock) {
        desk = Desk.scheduler(database: database, clock: clock)
    }

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

    /// Runs whatever is due once (for cron: `scheduler --once`). A process another runner holds
    /// is skipped, not waited for.
    public func runDue() throws -> [Outcome] {
        try due().map { p in
            do {
                return Outcome(process: p, result: try desk.runProcess(p, leaseWait: 0), error: nil)
            } catch {
                return Outcome(process: p, result: nil, error: "\(error)")
            }
        }
    }

    /// Runs until `shouldStop` says so, checking the schedules every `pollSeconds`; stops only
    /// between runs, so a run is never cut in half.
    public func run(pollSeconds: Double = 1, shouldStop: () -> Bool, report: (Outcome) -> Void) throws {
        while !shouldStop() {
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
