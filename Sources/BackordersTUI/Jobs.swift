import Foundation

/// A long operation (a process run, generating POs, an export) done off the UI thread,
/// bubbletea-style: the work runs on a background queue, tells its progress, and its outcome
/// comes back as a message the loop picks up.
struct BackgroundJob: Sendable {
    /// Identifies the job while it runs ("primary"), so a screen can show "running…".
    var id: String
    /// For the status line: "7792 Primary Backorder Process".
    var title: String
    /// Whether stopping it half-way is safe (an export), so Esc may cancel it; a process run
    /// commits as it goes and is never cut.
    var cancellable = false
    var work: @Sendable (JobProgress) -> JobOutcome
}

struct JobOutcome: Sendable {
    var id: String
    var message: String
    var failed: Bool
    /// A scheduled run that found nothing to do, or another runner busy: no message.
    var quiet = false
    /// What the screen does once the job is done.
    var then: FollowUp?

    enum FollowUp: Sendable { case showDraftPurchaseOrders }
}

/// What a running job has done of its work, and whether it was asked to stop.
final class JobProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: (done: Int, total: Int, unit: String)?
    private var cancelled = false

    /// `done` of `total` `unit` ("LIC(s)", "row(s)").
    func update(done: Int, total: Int, unit: String) { lock.withLock { counts = (done, total, unit) } }
    var current: (done: Int, total: Int, unit: String)? { lock.withLock { counts } }
    func cancel() { lock.withLock { cancelled = true } }
    var isCancelled: Bool { lock.withLock { cancelled } }
}

/// Runs jobs and collects their outcomes for the UI loop.
final class JobRunner: @unchecked Sendable {
    private let lock = NSLock()
    private var finished: [JobOutcome] = []
    private var active: [String: (title: String, progress: JobProgress, cancellable: Bool)] = [:]
    private let group = DispatchGroup()
    private let queue = DispatchQueue(label: "backorders.jobs", qos: .userInitiated, attributes: .concurrent)

    /// Starts `job` unless one with the same id is running; false when it was already running.
    @discardableResult
    func start(_ job: BackgroundJob) -> Bool {
        let progress = JobProgress()
        let started: Bool = lock.withLock {
            if active[job.id] != nil { return false }
            active[job.id] = (job.title, progress, job.cancellable)
            return true
        }
        guard started else { return false }
        group.enter()
        queue.async { [self] in
            let outcome = job.work(progress)
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
    var running: [String] { lock.withLock { active.values.map(\.title).sorted() } }

    /// The running jobs that tell their progress: title and counts, and whether Esc may stop them.
    var progress: [(id: String, title: String, done: Int, total: Int, unit: String, cancellable: Bool)] {
        lock.withLock {
            active.compactMap { id, a in
                a.progress.current.map { (id, a.title, $0.done, $0.total, $0.unit, a.cancellable) }
            }.sorted { $0.id < $1.id }
        }
    }

    /// Asks a cancellable job to stop; false when there is none with this id.
    @discardableResult
    func cancel(_ id: String) -> Bool {
        lock.withLock {
            guard let a = active[id], a.cancellable else { return false }
            a.progress.cancel()
            return true
        }
    }

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
