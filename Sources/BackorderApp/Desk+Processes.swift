import BackorderCore
import BackorderStore
import Foundation

extension Desk {
    /// Runs the primary or secondary backorder process now (§4.5): re-allocates every
    /// (LIC, location) with waiting supply, in slices — transactions that each leave I1–I6 true,
    /// committed when another terminal waits to write (`RunPlan`) — under the process's lease,
    /// and writes a run record.
    /// `progress` hears (LICs done, LICs in all) after each chunk of a backorder run (reading the
    /// queues counts for the first half, writing their fills for the second).
    /// The result's `elapsedMs` is the use case's own time, from here to its last commit.
    /// `chunkLines` fixes the size of a run's chunks and commits after each (tests).
    public func runProcess(_ process: ProcessKind, leaseWait: Double = 60, chunkLines: Int? = nil,
                           progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> ProcessResult {
        let started = DispatchTime.now().uptimeNanoseconds
        var result = try runProcessNow(process, leaseWait: leaseWait, chunkLines: chunkLines, progress: progress)
        result.elapsedMs = Desk.milliseconds(since: started)
        return result
    }

    /// `BACKORDERS_TRACE_PHASES=1`: how long each step of a run took, to stderr (the engine's
    /// own phases print beside them).
    struct StepTrace {
        private static let on = ProcessInfo.processInfo.environment["BACKORDERS_TRACE_PHASES"] != nil
        private var last = DispatchTime.now().uptimeNanoseconds

        mutating func step(_ name: @autoclosure () -> String) {
            guard Self.on else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            FileHandle.standardError.write(Data(String(format: "step  %8.2f ms  %@\n", Double(now - last) / 1e6, name()).utf8))
            last = now
        }
    }

    /// Milliseconds since an `uptimeNanoseconds` reading.
    static func milliseconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    private func runProcessNow(_ process: ProcessKind, leaseWait: Double, chunkLines: Int?,
                               progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?) throws -> ProcessResult {
        if !user.runsSchedules { try require(.supervisor, to: "running processes now") }
        let prefs = try preferences()
        guard prefs.backorderManagement || process == .replenish else {
            throw DeskError.refused("back order management is off, so the \(process.title) does not run; an admin can turn it on with `backorders prefs set backorder_management true`")
        }
        var trace = StepTrace()
        guard let lease = try Lease.acquire(store, process: process, wait: leaseWait) else {
            let who = (try? Lease.holder(store, name: process.rawValue)).flatMap { $0 }.map { " (\($0.who))" } ?? ""
            throw DeskError.refused("another runner\(who) is running the \(process.title); try again when it finishes")
        }
        trace.step("prefs read, lease acquired")
        defer { lease.release(); trace.step("lease released") }
        if process == .autoReserve || process == .replenish {
            return try runPurchasingProcess(process, prefs: prefs, lease: lease)
        }

        let (runID, keys) = try store.startBackorderRun(process, lease: lease.claim, stamp())
        trace.step("run started: \(keys.count) keys")
        var total = RunStats()
        let plan = RunPlan(process: process, runID: runID, keys: keys)
        var chunk = chunkLines.map { ChunkSize(environment: ["BACKORDERS_CHUNK_LINES": "\($0)"]) } ?? ChunkSize()
        var renewed = DispatchTime.now().uptimeNanoseconds
        var renewalDue = false
        progress?(0, keys.count)
        do {
            while !plan.isDone {
                // The heartbeat renews the lease, but not while a slice is open: then the run
                // renews it after the slice. Between slices the run also checks it holds it.
                if lease.isLost || renewalDue || Desk.milliseconds(since: renewed) > 1_000 {
                    try lease.renew()
                    renewed = DispatchTime.now().uptimeNanoseconds
                }
                // Each slice adds what it did to the run record: a run cut short by a kill is
                // closed as interrupted with what it had committed, and the next run goes on.
                lease.sliceBegins()
                let stats: RunStats
                do {
                    stats = try store.runBackorderSlice(plan, chunk: &chunk, stamp()) {
                        progress?(plan.progress.done, plan.progress.total)
                    }
                } catch {
                    _ = lease.sliceEnds()
                    throw error
                }
                renewalDue = lease.sliceEnds()
                total.linesFilled += stats.linesFilled
                total.unitsAllotted += stats.unitsAllotted
                total.shipmentsCreated += stats.shipmentsCreated
                total.shipmentsAppended += stats.shipmentsAppended
                trace.step("slice: \(stats.linesFilled) lines filled")
                if !plan.isDone { store.letWaitingWritesIn(plan) }
            }
            let s = stamp()
            try store.finishRun(runID, error: nil, schedule: Desk.scheduleEntry(process, ranAt: s.now, result: Desk.summary(total, keys: keys.count),
                                                                               prefs: prefs), s)
            trace.step("run finished")
        } catch {
            try? finishFailedRun(runID, process, error: error, prefs: prefs)
            throw error
        }
        return ProcessResult(process: process, runID: runID, stats: total, licsProcessed: keys.count)
    }

    static func summary(_ s: RunStats, keys: Int) -> String {
        "\(keys) LIC(s), \(s.linesFilled) line(s) filled, \(s.unitsAllotted) unit(s) allotted, \(s.shipmentsCreated) shipment(s) created, \(s.shipmentsAppended) appended"
    }

    /// Closes a run that failed, with the error as its result.
    func finishFailedRun(_ runID: Int64, _ process: ProcessKind, error: Error, prefs: Preferences) throws {
        let message = "\(error)"
        let s = stamp()
        try store.finishRun(runID, error: message, schedule: Desk.scheduleEntry(process, ranAt: s.now, result: "error: \(message)", prefs: prefs), s)
    }

    /// What a run writes on its schedule: its result, and its next run one interval after this one.
    static func scheduleEntry(_ process: ProcessKind, ranAt: Moment, result: String, prefs: Preferences) -> ScheduleEntry {
        ScheduleEntry(process: process, nextRunAt: ranAt.adding(seconds: Desk.interval(process, prefs) * 60), result: result)
    }

    /// Recent process runs, newest first. A run without a finish whose lease holder is gone is
    /// shown as interrupted (the next run of its process closes it so).
    public func runs(limit: Int = 50) throws -> [RunRecord] {
        try store.runs(limit: limit, now: Lease.wallClock())
    }

    public struct ScheduleView: JSONConvertible, Sendable, Hashable {
        public var process: ProcessKind
        public var code: Int
        public var enabled: Bool
        public var intervalMinutes: Int
        public var lastRun: String?
        public var nextRun: String?
        public var lastResult: String?
        public var json: JSON {
            .object([("code", .int(code)), ("name", .string(process.title)), ("process", .string(process.rawValue)),
                     ("enabled", .bool(enabled)), ("interval_minutes", .int(intervalMinutes)),
                     ("last_run", .opt(lastRun)), ("next_run", .opt(nextRun)), ("last_result", .opt(lastResult))])
        }
    }

    static func interval(_ p: ProcessKind, _ prefs: Preferences) -> Int {
        switch p {
        case .primary: return prefs.primaryIntervalMinutes
        case .secondary: return prefs.secondaryIntervalMinutes
        case .autoReserve: return prefs.autoReserveIntervalMinutes
        case .replenish: return prefs.replenishIntervalMinutes
        }
    }

    static func enabled(_ p: ProcessKind, _ prefs: Preferences) -> Bool {
        switch p {
        case .primary: return prefs.primaryEnabled
        case .secondary: return prefs.secondaryEnabled
        case .autoReserve: return prefs.autoBackorder
        case .replenish: return prefs.autoGeneratePOs
        }
    }

    /// The automation schedules — 7792 Primary, 8050 Secondary, the auto reserve utility and
    /// replenishment — with their state.
    public func schedules() throws -> [ScheduleView] {
        let prefs = try preferences()
        let records = try store.scheduleRecords()
        return ProcessKind.allCases.map { p in
            // The next run is one interval after the last, with the interval in force now (an
            // admin who shortens it sees the next run move at once).
            let minutes = Desk.interval(p, prefs)
            let last = records[p]?.lastRunAt
            let next = last.flatMap(Moment.init).map { $0.adding(seconds: minutes * 60).description }
            return ScheduleView(process: p, code: p.scheduleCode, enabled: Desk.enabled(p, prefs),
                                intervalMinutes: minutes, lastRun: last, nextRun: next, lastResult: records[p]?.lastResult)
        }
    }
}

extension RunRecord: JSONConvertible {
    public var json: JSON {
        .object([("id", .int(Int(id))), ("process", .word(process)), ("started_at", .string(startedAt)),
                 ("finished_at", .opt(finishedAt)), ("actor", .string(actor)),
                 ("status", .word(status)), ("interrupted", .bool(interrupted)),
                 ("lines_filled", .int(stats.linesFilled)), ("units_allotted", .int(stats.unitsAllotted)),
                 ("shipments_created", .int(stats.shipmentsCreated)), ("shipments_appended", .int(stats.shipmentsAppended)),
                 ("error", .opt(error))])
    }
}
