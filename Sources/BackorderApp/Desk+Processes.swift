import BackorderCore
import BackorderStore
import Foundation
import GRDB

extension Desk {
    /// How many short lines one transaction of a process run re-allocates (a key with more is a
    /// transaction of its own): small enough that other terminals are never kept waiting long,
    /// large enough that a run does not sweep the same tables and indexes again and again.
    static let processBatchLines = 500_000

    /// The keys cut into transactions of about `processBatchLines` short lines, in key order.
    static func processBatches(_ work: [(key: StockKey, shortLines: Int)]) -> [[StockKey]] {
        var batches: [[StockKey]] = []
        var current: [StockKey] = [], lines = 0
        for (key, n) in work {
            if !current.isEmpty && lines + n > processBatchLines {
                batches.append(current)
                current = []
                lines = 0
            }
            current.append(key)
            lines += n
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// Runs the primary or secondary backorder process now (§4.5): re-allocates every
    /// (LIC, location) with waiting supply, in batches of transactions that each leave I1–I6
    /// true, under the process's lease, and writes a run record.
    /// `progress` hears (LICs done, LICs in all) after each transaction of a backorder run.
    public func runProcess(_ process: ProcessKind, leaseWait: Double = 60,
                           progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> ProcessResult {
        if !user.runsSchedules { try require(.supervisor, to: "running processes now") }
        let prefs = try preferences()
        guard prefs.backorderManagement || process == .replenish else {
            throw DeskError.refused("back order management is off, so the \(process.title) does not run; an admin can turn it on with `backorders prefs set backorder_management true`")
        }
        guard let lease = try Lease.acquire(database, process: process, wait: leaseWait) else {
            let who = (try? Lease.holder(database, name: process.rawValue)).flatMap { $0 }.map { " (\($0.who))" } ?? ""
            throw DeskError.refused("another runner\(who) is running the \(process.title); try again when it finishes")
        }
        defer { lease.release() }
        if process == .autoReserve || process == .replenish {
            return try runPurchasingProcess(process, prefs: prefs, lease: lease)
        }

        let (runID, work) = try write { e in
            let id = try e.startRun(process)
            try lease.noteRun(id, in: e.db)
            return (id, try e.waitingWork(process))
        }
        let keys = work.map(\.key)
        var total = RunStats()
        var done = 0
        progress?(0, keys.count)
        do {
            for (n, batch) in Desk.processBatches(work).enumerated() {
                if n > 0 { try lease.renew() }
                // Each transaction adds what it did to the run record: a run cut short by a kill
                // is closed as interrupted with what it had committed.
                let stats = try write { e -> RunStats in
                    try e.runBackorderProcess(process, runID: runID, keys: batch)
                    try e.addToRun(runID, stats: e.stats)
                    return e.stats
                }
                total.linesFilled += stats.linesFilled
                total.unitsAllotted += stats.unitsAllotted
                total.shipmentsCreated += stats.shipmentsCreated
                total.shipmentsAppended += stats.shipmentsAppended
                done += batch.count
                progress?(done, keys.count)
            }
            try write { e in
                try e.finishRun(runID, stats: RunStats())
                try Desk.recordSchedule(e.db, process: process, at: e.now, result: Desk.summary(total, keys: keys.count), prefs: prefs)
            }
        } catch {
            let message = "\(error)"
            try? write { e in
                try e.finishRun(runID, stats: RunStats(), error: message)
                try Desk.recordSchedule(e.db, process: process, at: e.now, result: "error: \(message)", prefs: prefs)
            }
            throw error
        }
        return ProcessResult(process: process, runID: runID, stats: total, keys: keys.count)
    }

    static func summary(_ s: RunStats, keys: Int) -> String {
        "\(keys) LIC(s), \(s.linesFilled) line(s) filled, \(s.unitsAllotted) unit(s) allotted, \(s.shipmentsCreated) shipment(s) created, \(s.shipmentsAppended) appended"
    }

    static func recordSchedule(_ db: Database, process: ProcessKind, at: Moment, result: String, prefs: Preferences) throws {
        let minutes = Desk.interval(process, prefs)
        try db.execute(sql: "UPDATE schedule SET last_run_at = ?, next_run_at = ?, last_result = ? WHERE process = ?",
                       arguments: [at.description, at.adding(seconds: minutes * 60).description, result, process.rawValue])
    }

    public struct RunRecord: JSONConvertible, Sendable, Hashable {
        public var id: Int64
        public var process: String
        public var startedAt: String
        public var finishedAt: String?
        public var actor: String
        public var stats: RunStats
        public var error: String?
        /// finished, failed, interrupted (its process died; the counts are what it had committed) or running.
        public var status: String
        public var interrupted: Bool { status == "interrupted" }
        public var json: JSON {
            .object([("id", .int(Int(id))), ("process", .string(process)), ("started_at", .string(startedAt)),
                     ("finished_at", .opt(finishedAt)), ("actor", .string(actor)),
                     ("status", .string(status)), ("interrupted", .bool(interrupted)),
                     ("lines_filled", .int(stats.linesFilled)), ("units_allotted", .int(stats.unitsAllotted)),
                     ("shipments_created", .int(stats.shipmentsCreated)), ("shipments_appended", .int(stats.shipmentsAppended)),
                     ("error", .opt(error))])
        }
    }

    /// Recent process runs, newest first. A run without a finish whose lease holder is gone is
    /// shown as interrupted (the next run of its process closes it so).
    public func runs(limit: Int = 50) throws -> [RunRecord] {
        let now = Lease.wallClock()
        return try read { db in
            // The leases and the runs from one snapshot: a run starts in the transaction that names it on its lease.
            let live = Set(try LeaseHolder.fetchAll(db).filter { !$0.isGone(now: now) }.compactMap(\.runID))
            return try Row.fetchAll(db, sql: """
                SELECT id, process, started_at, finished_at, actor, lines_filled, units_allotted, shipments_created,
                       shipments_appended, error, interrupted FROM process_run ORDER BY id DESC LIMIT ?
                """, arguments: [limit]).map { r in
                var s = RunStats()
                s.linesFilled = r[5]; s.unitsAllotted = r[6]; s.shipmentsCreated = r[7]; s.shipmentsAppended = r[8]
                let id: Int64 = r[0]
                let finished: String? = r[3]
                let error: String? = r[9]
                let status: String
                if r[10] as Bool { status = "interrupted" }
                else if finished == nil { status = live.contains(id) ? "running" : "interrupted" }
                else { status = error == nil ? "finished" : "failed" }
                return RunRecord(id: id, process: r[1], startedAt: r[2], finishedAt: finished, actor: r[4], stats: s,
                                 error: error, status: status)
            }
        }
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
        return try read { db in
            try ProcessKind.allCases.map { p in
                let r = try Row.fetchOne(db, sql: "SELECT last_run_at, next_run_at, last_result FROM schedule WHERE process = ?",
                                         arguments: [p.rawValue])
                // The next run is one interval after the last, with the interval in force now (an
                // admin who shortens it sees the next run move at once).
                let minutes = Desk.interval(p, prefs)
                let last: String? = r?[0]
                let next = last.flatMap(Moment.init).map { $0.adding(seconds: minutes * 60).description }
                return ScheduleView(process: p, code: p.scheduleCode, enabled: Desk.enabled(p, prefs),
                                    intervalMinutes: minutes, lastRun: last, nextRun: next, lastResult: r?[2])
            }
        }
    }
}
