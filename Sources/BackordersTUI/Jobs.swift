import Foundation

/// A long operation (a process run) done off the UI thread, bubbletea-style: the work runs on
/// a background queue and its outcome comes back as a message the loop picks up.
struct BackgroundJob: Sendable {
    /// Identifies the job while it runs ("primary"), so a screen can show "running…".
    var id: String
    /// For the status line: "7792 Primary Backorder Process".
    var title: String
    var work: @Sendable () -> JobOutcome
}

struct JobOutcome: Sendable {
    var id: String
    var message: String
    var failed: Bool
}

/// Runs jobs and collects their outcomes for the UI loop.
final class JobRunner: @unchecked Sendable {
    private let lock = NSLock()
    private var finished: [JobOutcome] = []
    private var active: [String: String] = [:]
    private let group = DispatchGroup()
    private let queue = DispatchQueue(label: "backorders.jobs", qos: .userInitiated, attributes: .concurrent)

    /// Starts `job` unless one with the same id is running; false when it was already running.
    @discardableResult
    func start(_ job: BackgroundJob) -> Bool {
        let started: Bool = lock.withLock {
            if active[job.id] != nil { return false }
            active[job.id] = job.title
            return true
        }
        guard started else { return false }
        group.enter()
        queue.async { [self] in
            let outcome = job.work()
            lock.withLock {
                active[job.id] = nil
                finished.append(outcome)
            }
            group.leave()
        }
        return true
    }

    func isRunning(_ id: String) -> Bool { lock.withLock { active[id] != nil } }

    /// Titles of the jobs still running.
    var running: [String] { lock.withLock { active.values.sorted() } }

    /// Outcomes that arrived since the last call.
    func drain() -> [JobOutcome] {
        lock.withLock {
            defer { finished.removeAll() }
            return finished
        }
    }

    /// Blocks until every job has finished (quitting, and tests).
    func waitForAll() { group.wait() }
}
