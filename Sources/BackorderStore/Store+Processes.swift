import BackorderCore
import Foundation
import GRDB

// Process runs, their records and the schedules' last runs.

/// `BACKORDERS_TRACE_SLICES`: each slice of a run on standard error — when it started, its
/// chunks (r/w, lines, ms), the pending caches applied, the commit.
/// `SQLStore.aloneSliceMs`, read once: `staleAfter` reads the environment, ~0.4 M instructions
/// a time (read after every chunk it was 6 % of a 100k run).
private let aloneSliceLimitMs: Double = min(20_000, LeaseHolder.staleAfter * 1000 / 3)
private let tracesRunSlices = ProcessInfo.processInfo.environment["BACKORDERS_TRACE_SLICES"] != nil

extension SQLStore {
    public func startRun(_ process: ProcessKind, lease: LeaseClaim, _ stamp: Stamp) throws -> Int64 {
        try change(stamp) { e in
            let id = try e.startRun(process)
            try Self.noteRun(e.db, id, lease: lease)
            return id
        }
    }

    public func startBackorderRun(_ process: ProcessKind, lease: LeaseClaim, _ stamp: Stamp) throws -> (runID: Int64, keys: [StockKey]) {
        try change(stamp) { e in
            let id = try e.startRun(process)
            try Self.noteRun(e.db, id, lease: lease)
            return (id, try e.waitingWork(process))
        }
    }

    /// Records on the lease the run its holder is making, so a takeover can close it.
    static func noteRun(_ db: SQLConnection, _ runID: Int64, lease: LeaseClaim) throws {
        try db.execute(sql: "UPDATE process_lease SET run_id = ? WHERE process = ? AND holder = ?", arguments: [runID, lease.name, lease.token])
    }

    public func runBackorderSlice(_ plan: RunPlan, chunk: inout ChunkSize, _ stamp: Stamp, afterChunk: () -> Void) throws -> RunStats {
        // Each slice adds what it did to the run record: a run cut short by a kill is closed as
        // interrupted with what it had committed. The run's own write does not count as waiting.
        var size = chunk
        defer { chunk = size }
        plan.beginSlice()
        let sliceStarted = DispatchTime.now().uptimeNanoseconds
        var trace = tracesRunSlices ? String(format: "slice at %.3f:", Date().timeIntervalSince1970) : ""
        var bodyDone: UInt64 = 0
        defer {
            if tracesRunSlices {
                let end = DispatchTime.now().uptimeNanoseconds
                trace += String(format: " | commit %.1f ms, slice %.1f ms\n", Double(end - bodyDone) / 1e6, Double(end - sliceStarted) / 1e6)
                FileHandle.standardError.write(Data(trace.utf8))
            }
        }
        let clerksActive = plan.clerksActiveUntil > sliceStarted
        return try change(stamp, waitsInTurn: false) { e in
            /// After a chunk: whether the slice goes on (a clerk waiting ends it, and marks clerks active).
            func goesOn() -> Bool {
                guard !plan.isDone, !size.fixed, e.stats.linesFilled < Self.sliceLines else { return false }
                let now = DispatchTime.now().uptimeNanoseconds
                if othersWaitToWrite(e.db) {
                    // A heartbeat of a lease of this process (the scheduler's; the run's own
                    // waits for the slice) is let through like any write, but is no clerk: it
                    // does not make the next slices short. (It did: a 1M run was cut into ~100
                    // slices instead of 2, 10.3 s instead of 9.5.)
                    if !LeaseRenewals.waiting { plan.clerksActiveUntil = now + RunPlan.clerksActiveFor }
                    return false
                }
                let ms = Double(now - sliceStarted) / 1e6
                return ms < Self.aloneSliceMs && (!clerksActive || ms < Self.busySliceMs)
            }
            repeat {
                let started = DispatchTime.now().uptimeNanoseconds
                let reading = plan.read < plan.keys.count
                if !reading, !plan.writingBegun {
                    // A run reads its queues several times faster than it writes their fills, and
                    // its first writes find every page cold: the first write chunk starts small,
                    // not from the read chunks' size (it was 2,236 lines, 84 ms and a 100 ms commit
                    // at 1M, a clerk waiting behind it), and grows from there.
                    plan.writingBegun = true
                    if !size.fixed { size.lines = Self.firstWriteChunkLines }
                }
                let n = reading ? try e.planChunk(plan, lines: size.lines) : try e.writeChunk(plan, lines: size.lines)
                let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
                size.observe(changed: n, ms: ms)
                if tracesRunSlices { trace += String(format: " %@%d %.1f", reading ? "r" : "w", n, ms) }
                afterChunk()
            } while goesOn()
            let applying = DispatchTime.now().uptimeNanoseconds
            try e.applyPending(plan)
            if plan.isDone { e.phase("plan \(plan.spent.map { String(format: "%.0f", Double($0) / 1e6) }.joined(separator: " / ")) ms (read, check, sweep, apply)") }
            try e.addToRun(plan.runID, stats: e.stats)
            bodyDone = DispatchTime.now().uptimeNanoseconds
            if tracesRunSlices { trace += String(format: " | apply %.1f ms", Double(bodyDone - applying) / 1e6) }
            return e.stats
        }
    }

    /// How long a slice works while clerks are writing (one ended for a clerk in the last two
    /// seconds) before it commits unasked: a clerk then waits for at most about this much work,
    /// its cache changes and its commit.
    static var busySliceMs: Double { 5 }

    /// The longest a slice works with nobody waiting: well under the lease's stale limit, since
    /// the run's heartbeat waits for its slice to commit (20 s, or a third of the limit).
    static var aloneSliceMs: Double { aloneSliceLimitMs }

    /// The first write chunk of a run (`ChunkSize` grows it toward 5 ms from there).
    static var firstWriteChunkLines: Int { 256 }

    /// The most lines one slice of a run fills, whether or not anyone waits: a backstop; what
    /// ends a slice alone is `aloneSliceMs`. (It was 500,000, which cut a 1M run alone in two:
    /// every slice sweeps the order-keyed tables again, 8.1–8.6 s against 7.7–7.8 in one.)
    static var sliceLines: Int { 2_000_000 }

    public func finishRun(_ runID: Int64, error: String?, schedule: ScheduleEntry, _ stamp: Stamp) throws {
        try change(stamp) { e in
            try e.finishRun(runID, stats: RunStats(), error: error)
            try Self.record(e.db, schedule, at: e.now)
        }
    }

    public func runAutoReserve(runID: Int64, today: Day, _ stamp: Stamp, schedule: ([Attachment]) -> ScheduleEntry) throws -> [Attachment] {
        try change(stamp) { e in
            let made = try e.autoReserve(today: today)
            try e.finishRun(runID, stats: RunStats())
            try Self.record(e.db, schedule(made), at: e.now)
            return made
        }
    }

    public func runReplenishment(runID: Int64, today: Day, _ stamp: Stamp,
                                 schedule: (_ drafts: [String]) -> ScheduleEntry) throws -> (suggestions: Int, drafts: [String]) {
        try change(stamp) { e in
            var drafts: [String] = []
            let suggestions = try e.replenishmentSuggestions(countDrafts: true)
            let groups = Dictionary(grouping: suggestions.filter { $0.vendorID != nil }) { "\($0.vendorID!)-\($0.locationID)" }
            for key in groups.keys.sorted() {
                let lines = groups[key]!
                var po = NewPurchaseOrder(vendorID: lines[0].vendorID!, locationID: lines[0].locationID, orderDate: today,
                                          expected: nil, lines: lines.map { ($0.licID, $0.qty) })
                po.draft = true
                drafts.append(try e.number(ofPurchaseOrder: try e.createPurchaseOrder(po)))
            }
            try e.finishRun(runID, stats: RunStats())
            try Self.record(e.db, schedule(drafts), at: e.now)
            return (suggestions.count, drafts)
        }
    }

    static func record(_ db: SQLConnection, _ entry: ScheduleEntry, at: Moment) throws {
        try db.execute(sql: "UPDATE schedule SET last_run_at = ?, next_run_at = ?, last_result = ? WHERE process = ?",
                       arguments: [at.description, entry.nextRunAt.description, entry.result, entry.process.rawValue])
    }

    public func runs(limit: Int, now: Double) throws -> [RunRecord] {
        try reading { db in
            // The leases and the runs from one snapshot: a run starts in the transaction that names it on its lease.
            let live = Set(try LeaseHolder.fetchAll(db).filter { !$0.isGone(now: now) }.compactMap(\.runID))
            return try db.fetchAll(sql: """
                SELECT id, process, started_at, finished_at, actor, lines_filled, units_allotted, shipments_created,
                       shipments_appended, error, interrupted FROM process_run ORDER BY id DESC LIMIT ?
                """, arguments: [limit]).map { r in
                var s = RunStats()
                s.linesFilled = r[5]; s.unitsAllotted = r[6]; s.shipmentsCreated = r[7]; s.shipmentsAppended = r[8]
                let id: Int64 = r[0]
                let finished: String? = r[3]
                let error: String? = r[9]
                let status: RunStatus
                if r[10] as Bool { status = .interrupted }
                else if finished == nil { status = live.contains(id) ? .running : .interrupted }
                else { status = error == nil ? .finished : .failed }
                return RunRecord(id: id, process: r[1], startedAt: r[2], finishedAt: finished, actor: r[4], stats: s,
                                 error: error, status: status)
            }
        }
    }

    public func scheduleRecords() throws -> [ProcessKind: ScheduleRecord] {
        try reading { db in
            var out: [ProcessKind: ScheduleRecord] = [:]
            for p in ProcessKind.allCases {
                let r = try db.fetchOne(sql: "SELECT last_run_at, next_run_at, last_result FROM schedule WHERE process = ?",
                                         arguments: [p.rawValue])
                out[p] = ScheduleRecord(lastRunAt: r?[0], lastResult: r?[2])
            }
            return out
        }
    }
}

// MARK: - Leases

extension SQLStore {
    public func leaseHolders(named name: String) throws -> [LeaseHolder] {
        try reading { db in try LeaseHolder.fetchAll(db, name: name) }
    }

    public func acquireLease(_ claim: LeaseClaim, what: String?) throws -> Bool {
        try writing { db in
            let now = LeaseHolder.wallClock()
            var gone: LeaseHolder?
            if let current = try LeaseHolder.fetchAll(db, name: claim.name).first {
                guard current.isGone(now: now) else { return current.token == claim.token }
                try db.execute(sql: "DELETE FROM process_lease WHERE process = ?", arguments: [claim.name])
                gone = current
            }
            try db.execute(sql: """
                INSERT INTO process_lease (process, holder, expires_at, pid, host, started, acquired_at, heartbeat_at, what)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [claim.name, claim.token, now + LeaseHolder.staleAfter, getpid(), LeaseHolder.thisHost,
                                 LeaseHolder.startTime(of: getpid()), now, now, what])
            // Holding the name, nobody else runs under it: a run it left unfinished was interrupted.
            try Self.closeInterrupted(db, process: claim.name, at: now, holder: gone?.who)
            return true
        }
    }

    /// Closes the runs of `process` left without a finish by a holder that died, keeping the
    /// counts of what their committed transactions did.
    static func closeInterrupted(_ db: SQLConnection, process: String, at now: Double, holder: String?) throws {
        let stamp = Moment(seconds: Int(now) + TimeZone.current.secondsFromGMT()).description
        let who = holder.map { "its process (\($0))" } ?? "its process"
        try db.execute(sql: """
            UPDATE process_run SET finished_at = ?, interrupted = 1, error = ?
            WHERE process = ? AND finished_at IS NULL
            """, arguments: [stamp, "interrupted: \(who) ended before the run finished; the counts are what it had committed", process])
    }

    public func renewLease(_ claim: LeaseClaim) throws -> Bool {
        LeaseRenewals.begin()
        defer { LeaseRenewals.end() }
        return try writing { db -> Bool in
            let now = LeaseHolder.wallClock()
            try db.execute(sql: "UPDATE process_lease SET heartbeat_at = ?, expires_at = ? WHERE process = ? AND holder = ?",
                           arguments: [now, now + LeaseHolder.staleAfter, claim.name, claim.token])
            return db.changesCount > 0
        }
    }

    public func releaseLease(_ claim: LeaseClaim) throws {
        try writing { db in
            try db.execute(sql: "DELETE FROM process_lease WHERE process = ? AND holder = ?", arguments: [claim.name, claim.token])
        }
    }
}

/// The lease renewals of this process under way (each one a write that waits for a run's
/// slice like any other): while one is, a run's slice that finds a write waiting takes it for
/// the heartbeat rather than for a clerk.
enum LeaseRenewals {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var count = 0

    static func begin() { lock.withLock { count += 1 } }
    static func end() { lock.withLock { count -= 1 } }
    static var waiting: Bool { lock.withLock { count > 0 } }
}
