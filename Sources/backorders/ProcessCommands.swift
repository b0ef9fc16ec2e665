import ArgumentParser
import BackorderApp
import BackorderCore
import Foundation

struct ProcessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "process", abstract: "Run a backorder process now (supervisor).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "primary, secondary, auto-reserve or replenish") var process: ProcessKind
    func run() throws {
        let r = try global.desk().runProcess(process)
        global.emit(r) {
            if let pos = r.purchaseOrders, !pos.isEmpty {
                return String(r.sentence.dropLast()) + ":\n\n" + pos.map(POCommand.human).joined(separator: "\n\n")
            }
            return r.sentence
        }
    }
}

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "Recent process runs, interrupted ones included.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "How many runs to show, 1–10,000.") var limit = 20
    func run() throws {
        _ = try Input.integer(limit, field: "--limit", range: 1...10_000)
        let rows = try global.desk().runs(limit: limit)
        global.emit(rows) {
            table(["run", "process", "status", "started", "finished", "by", "filled", "units", "created", "appended", "error"], rows.map {
                ["\($0.id)", $0.process.rawValue, $0.status.rawValue, $0.startedAt, $0.finishedAt ?? "-", safe($0.actor), "\($0.stats.linesFilled)",
                 "\($0.stats.unitsAllotted)", "\($0.stats.shipmentsCreated)", "\($0.stats.shipmentsAppended)", safe($0.error ?? "")]
            })
        }
    }
}

/// Set by SIGTERM/SIGINT/SIGHUP: the scheduler stops between runs.
nonisolated(unsafe) var stopRequested: sig_atomic_t = 0

struct SchedulerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scheduler",
                                                    abstract: "Run the automation schedules 7792 and 8050 (for a service manager); --once runs what is due and exits (cron).")
    @OptionGroup var global: GlobalOptions
    @Flag var once = false
    @Option(help: "Seconds between checks of the schedules, 0.1–3600.") var poll: Double = 5

    func run() throws {
        guard poll >= 0.1, poll <= 3600 else { throw DeskError.invalid("--poll must be 0.1–3600 seconds, not \(poll)") }
        let scheduler = Scheduler(store: try global.database(), clock: try global.clock())
        let report: (Scheduler.Outcome) -> Void = { o in
            if global.json { say(o.json.render()); return }
            if let r = o.result {
                say("\(Date()) \(o.process.title): \(r.licsProcessed) LIC(s), \(r.stats.unitsAllotted) unit(s) allotted, \(r.stats.shipmentsCreated) shipment(s) created")
            } else {
                say("\(Date()) \(o.process.title): \(o.error ?? "failed")")
            }
        }
        if once {
            // A desk or the service may be running the schedules: wait a little for a desk's run,
            // then leave them to whoever holds them.
            guard let outcomes = try scheduler.runDueOnce(wait: 10) else {
                let who = (try? scheduler.runner()).flatMap { $0 }.map { "\($0.title) (\($0.who))" } ?? "another runner"
                if global.json { print("[]") } else { print("Nothing run: \(who) runs the schedules.") }
                return
            }
            if global.json { print(JSON.array(outcomes.map(\.json)).render(pretty: true)) }
            else if outcomes.isEmpty { print("Nothing due.") }
            else { outcomes.forEach(report) }
            return
        }
        for s in [SIGTERM, SIGINT, SIGHUP] {
            signal(s) { _ in stopRequested = 1 }
        }
        if !global.json { say("Scheduler running on \(global.databasePath); stop with SIGTERM.") }
        try scheduler.run(pollSeconds: poll, shouldStop: { stopRequested != 0 }, waiting: { holder in
            if !global.json { say("Waiting for \(holder.title) (\(holder.who)) to finish its runs…") }
        }, report: report)
        if !global.json { say("Scheduler stopped.") }
    }
}
