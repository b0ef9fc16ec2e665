import ArgumentParser
import BackorderApp
import BackorderCore
import BackorderStore
import Foundation

/// The load script's engine (Tests/load/run-load.sh; `LoadTests` runs a short version): many
/// `backorders` processes on one fresh database at once — clerks entering orders for a few scarce
/// LICs, receivers posting receipts and adjustments, a process runner, a supervisor changing
/// priorities and voiding, readers sampling a LIC and the Backorders page — then the checks:
/// `check` passes, every order entered exists once, allotted never exceeded on hand in any
/// sample, no output says "database is locked"; and the p50/p99 of a read and of an entry, each
/// timed inside the process doing it (the use case, not the process start-up).
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Load test (see Tests/load/run-load.sh).",
                                                    shouldDisplay: false)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Order-entry processes.") var entry = 8
    @Option(help: "Orders each entry process enters.") var orders = 200
    @Option(help: "Scarce LICs the orders are for.") var lics = 3
    @Option(help: "Processes posting receipts and adjustments.") var receivers = 2
    @Option(help: "Processes running the backorder processes in a loop.") var runners = 1
    @Option(help: "Processes changing priorities and voiding.") var supervisors = 1
    @Option(help: "Processes sampling `lic show` and the Backorders page.") var readers = 2
    @Option(help: "Internal: run as one worker of this role.") var worker: String?
    @Option(help: "Internal: the worker's number.") var index = 0
    @Option(help: "Internal: the file whose existence tells workers to stop.") var stopFile: String?

    func validate() throws {
        for (name, n, range) in [("--entry", entry, 1...64), ("--orders", orders, 1...100_000), ("--lics", lics, 1...100),
                                 ("--receivers", receivers, 0...16), ("--runners", runners, 0...4),
                                 ("--supervisors", supervisors, 0...4), ("--readers", readers, 0...16)] where !range.contains(n) {
            throw ValidationError("\(name) must be \(Input.describe(range)), not \(n)")
        }
    }

    func run() throws {
        if let worker {
            let report = try LoadWorker(global: global, role: worker, index: index, orders: orders, lics: lics,
                                        stopFile: stopFile ?? "").run()
            print(report.render())
            return
        }
        let summary = try drive()
        global.emit(summary.json) { summary.text }
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }

    struct Summary {
        var json: JSON
        var text: String
        var failures: [String]
    }

    static func licCode(_ i: Int) -> String { "SCARCE\(i + 1)" }

    /// Sets up the desk, starts every worker at once, stops the background workers when the
    /// clerks are done, then checks and reports.
    func drive() throws -> Summary {
        let path = global.databasePath
        let onServer = PostgresAddress.isPostgres(path)
        if onServer {
            guard try !PostgresStore.holdsDesk(PostgresAddress(path)) else {
                throw DeskError.refused("\(path) holds a desk; the load test makes its own (give an empty database)")
            }
        } else {
            guard !FileManager.default.fileExists(atPath: path) else {
                throw DeskError.refused("\(path) exists; the load test makes its own database (give a new --db)")
            }
        }
        // The workers' outputs and the stop file: beside the database file, or in a folder of their own.
        let work = onServer ? (NSTemporaryDirectory() as NSString).appendingPathComponent("backorders-load-\(getpid())") : path
        let admin = "loadadmin"
        try Desk.initialize(path: path, userName: admin, options: global.createOptions())
        do {
            let desk = try Desk(store: Desk.openStore(path), userName: admin, clock: try global.clock())
            _ = try desk.setPreference("backorder_management", "true")
            for i in 0..<lics { try desk.addLIC(.init(code: Self.licCode(i))) }
            for i in 0..<max(entry, 1) { try desk.addCustomer("CUST\(i + 1)", name: nil, priority: i % 3, terms: .ar) }
            for i in 0..<entry { try desk.addUser("clerk\(i + 1)", role: .clerk, autoBackorder: false) }
            try desk.addUser("sup", role: .supervisor, autoBackorder: false)
            try desk.addUser("reader", role: .clerk, autoBackorder: false)
            // Scarce: a tenth of what will be ordered is there at the start.
            for i in 0..<lics { _ = try desk.receive(lic: Self.licCode(i), qty: max(1, entry * orders * 3 / lics / 10)) }
            _ = try desk.runProcess(.primary)
        }
        let stop = work + ".stop"
        try? FileManager.default.removeItem(atPath: stop)
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let binary = FileManager.default.isExecutableFile(atPath: exe.path) ? exe : URL(fileURLWithPath: CommandLine.arguments[0])
        let outputs = work + ".load"
        try FileManager.default.createDirectory(atPath: outputs, withIntermediateDirectories: true)

        struct Started { var role: String; var index: Int; var process: Process; var out: String; var err: String }
        func start(_ role: String, _ i: Int, user: String) throws -> Started {
            let out = "\(outputs)/\(role)-\(i).out", err = "\(outputs)/\(role)-\(i).err"
            FileManager.default.createFile(atPath: out, contents: nil)
            FileManager.default.createFile(atPath: err, contents: nil)
            let p = Process()
            p.executableURL = binary
            p.arguments = ["load", "--db", path, "--user", user, "--worker", role, "--index", "\(i)", "--orders", "\(orders)",
                           "--lics", "\(lics)", "--stop-file", stop] + (global.today.map { ["--today", $0] } ?? [])
            p.standardInput = FileHandle.nullDevice
            p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
            try p.run()
            return Started(role: role, index: i, process: p, out: out, err: err)
        }
        let began = Date()
        var clerks: [Started] = []
        var others: [Started] = []
        for i in 0..<entry { clerks.append(try start("entry", i, user: "clerk\(i + 1)")) }
        for i in 0..<receivers { others.append(try start("stock", i, user: "sup")) }
        for i in 0..<runners { others.append(try start("process", i, user: "sup")) }
        for i in 0..<supervisors { others.append(try start("priority", i, user: "sup")) }
        for i in 0..<readers { others.append(try start("reader", i, user: "reader")) }

        // `lic show` as a command, all the while, from here.
        var commandSamples = 0, commandOverAllotted = 0
        var commandOutputs: [String] = []
        while clerks.contains(where: { $0.process.isRunning }) {
            let p = Process()
            p.executableURL = binary
            p.arguments = ["lic", "show", Self.licCode(commandSamples % lics), "--db", path, "--user", "reader", "--json"]
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            commandSamples += 1
            if let doc = try? JSONSerialization.jsonObject(with: o) as? [String: Any],
               let onHand = doc["on_hand"] as? Int, let allotted = doc["allotted"] as? Int {
                if allotted > onHand || allotted < 0 { commandOverAllotted += 1 }
            } else {
                commandOutputs.append(String(decoding: o + e, as: UTF8.self))
            }
            if !e.isEmpty { commandOutputs.append(String(decoding: e, as: UTF8.self)) }
            usleep(200_000)
        }
        clerks.forEach { $0.process.waitUntilExit() }
        let entryDone = Date()
        FileManager.default.createFile(atPath: stop, contents: nil)
        others.forEach { $0.process.waitUntilExit() }
        let elapsed = Date().timeIntervalSince(began)

        // Collect.
        var failures: [String] = []
        var reports: [[String: Any]] = []
        var locked = 0
        for w in clerks + others {
            let out = (try? String(contentsOfFile: w.out, encoding: .utf8)) ?? ""
            let err = (try? String(contentsOfFile: w.err, encoding: .utf8)) ?? ""
            for text in [out, err] where Self.saysLocked(text) { locked += 1 }
            if w.process.terminationStatus != 0 { failures.append("\(w.role) \(w.index) exited \(w.process.terminationStatus): \(err.prefix(300))") }
            if let line = out.split(separator: "\n").last, let doc = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
                reports.append(doc)
            } else {
                failures.append("\(w.role) \(w.index) printed no report")
            }
        }
        locked += commandOutputs.filter(Self.saysLocked).count
        if locked > 0 { failures.append("\(locked) output(s) say the database is locked") }
        if !commandOutputs.isEmpty { failures.append("`lic show` failed: \(commandOutputs.first!.prefix(300))") }

        func all(_ key: String, role: String? = nil) -> [Double] {
            reports.filter { role == nil || ($0["role"] as? String) == role }.flatMap { ($0[key] as? [Double]) ?? [] }
        }
        func sum(_ key: String, role: String? = nil) -> Int {
            reports.filter { role == nil || ($0["role"] as? String) == role }.reduce(0) { $0 + (($1[key] as? Int) ?? 0) }
        }
        let entryTimes = all("times_ms", role: "entry")
        let readTimes = all("times_ms", role: "reader")
        let entered = reports.filter { ($0["role"] as? String) == "entry" }.flatMap { ($0["numbers"] as? [String]) ?? [] }
        let overAllotted = sum("over_allotted") + commandOverAllotted
        if overAllotted > 0 { failures.append("\(overAllotted) sample(s) had allotted above on hand") }
        if entered.count != entry * orders { failures.append("\(entered.count) orders entered of \(entry * orders)") }

        let desk = try Desk(store: Desk.openStore(path), userName: admin, clock: try global.clock())
        let violations = try desk.check().violations
        if !violations.isEmpty { failures.append("check: \(violations.count) violation(s): \(violations.prefix(3).map(\.description))") }
        // Every stored order, how many times its number is stored.
        let stored = Dictionary(try desk.orders(limit: Int.max).map { ($0.number, 1) }, uniquingKeysWith: +).map { ($0.key, $0.value) }
        let storedCount = Dictionary(uniqueKeysWithValues: stored)
        let missing = entered.filter { storedCount[$0] == nil }
        let doubled = stored.filter { $0.1 > 1 }
        let unexpected = Set(stored.map(\.0)).subtracting(entered)
        if !missing.isEmpty || !doubled.isEmpty || !unexpected.isEmpty || Set(entered).count != entered.count {
            failures.append("orders: \(missing.count) missing, \(doubled.count) stored twice, \(unexpected.count) not entered by a clerk, \(entered.count - Set(entered).count) reported twice")
        }
        let commits = sum("commits")
        let processes = entry + receivers + runners + supervisors + readers

        func pct(_ xs: [Double], _ p: Double) -> Double {
            guard !xs.isEmpty else { return 0 }
            let s = xs.sorted()
            return s[min(s.count - 1, max(0, Int((p * Double(s.count)).rounded(.up)) - 1))]
        }
        func ms(_ x: Double) -> JSON { .number((x * 10).rounded() / 10) }
        var fields: [(String, JSON)] = []
        fields += [
            ("processes", .int(processes + 1)), ("entry_processes", .int(entry)), ("orders_entered", .int(entered.count)),
            ("orders_stored", .int(stored.count)), ("commits", .int(commits)),
            ("read_samples", .int(readTimes.count)), ("command_samples", .int(commandSamples)),
            ("read_p50_ms", ms(pct(readTimes, 0.5))), ("read_p99_ms", ms(pct(readTimes, 0.99))), ("read_max_ms", ms(pct(readTimes, 1))),
            ("entry_p50_ms", ms(pct(entryTimes, 0.5))), ("entry_p99_ms", ms(pct(entryTimes, 0.99))), ("entry_max_ms", ms(pct(entryTimes, 1))),
        ]
        fields += [
            ("over_allotted_samples", .int(overAllotted)), ("locked_messages", .int(locked)),
            ("busy_retries", .int(sum("busy"))), ("refusals", .int(sum("refused"))),
            ("process_runs", .int(sum("runs"))), ("priority_changes", .int(sum("changes"))), ("voids", .int(sum("voids"))),
        ]
        fields += [
            ("violations", .int(violations.count)), ("entry_seconds", .number((entryDone.timeIntervalSince(began) * 10).rounded() / 10)),
            ("seconds", .number((elapsed * 10).rounded() / 10)), ("failures", .array(failures.map { .string($0) })),
        ]
        let json = JSON.object(fields)
        let text = """
            \(processes + 1) processes (\(entry) entering \(orders) orders each for \(lics) scarce LICs, \(receivers) receiving/adjusting, \(runners) running processes, \(supervisors) changing priorities/voiding, \(readers) reading, 1 running `lic show`), \(String(format: "%.1f", elapsed)) s
            orders entered \(entered.count), stored \(stored.count); commits \(commits); process runs \(sum("runs")); priority changes \(sum("changes")); voids \(sum("voids"))
            read  p50 \(String(format: "%.1f", pct(readTimes, 0.5))) ms  p99 \(String(format: "%.1f", pct(readTimes, 0.99))) ms  (\(readTimes.count) samples, each timed inside its process)
            entry p50 \(String(format: "%.1f", pct(entryTimes, 0.5))) ms  p99 \(String(format: "%.1f", pct(entryTimes, 0.99))) ms  (\(entryTimes.count) entries)
            allotted above on hand: \(overAllotted) of \(readTimes.count / 2 + commandSamples) samples; "database is locked": \(locked); busy retries: \(sum("busy")); check: \(violations.count) violation(s)
            \(failures.isEmpty ? "PASS" : "FAIL:\n" + failures.joined(separator: "\n"))
            """
        try? FileManager.default.removeItem(atPath: stop)
        return Summary(json: json, text: text, failures: failures)
    }

    static func saysLocked(_ text: String) -> Bool {
        let t = text.lowercased()
        return t.contains("database is locked") || t.contains("sqlite error 5") || t.contains("database table is locked")
    }
}

/// One worker of the load test: does its role's work, timing each use case, and prints a report.
struct LoadWorker {
    var global: GlobalOptions
    var role: String
    var index: Int
    var orders: Int
    var lics: Int
    var stopFile: String

    struct Report {
        var role: String
        var times: [Double] = []
        var numbers: [String] = []
        var commits = 0, busy = 0, refused = 0, overAllotted = 0, runs = 0, changes = 0, voids = 0
        var errors: [String] = []
        func render() -> String {
            JSON.object([("role", .string(role)), ("times_ms", .array(times.map { .number(($0 * 100).rounded() / 100) })),
                         ("numbers", .array(numbers.map { .string($0) })), ("commits", .int(commits)), ("busy", .int(busy)),
                         ("refused", .int(refused)), ("over_allotted", .int(overAllotted)), ("runs", .int(runs)),
                         ("changes", .int(changes)), ("voids", .int(voids)), ("errors", .array(errors.prefix(20).map { .string($0) }))]).render()
        }
    }

    var stopped: Bool { FileManager.default.fileExists(atPath: stopFile) }

    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let r = try body()
        return (r, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000)
    }

    /// Runs a write, retrying while the desk says it is busy (such a refusal changed nothing).
    @discardableResult
    func write<T>(_ report: inout Report, _ body: () throws -> T) -> T? {
        for _ in 0..<20 {
            do {
                let r = try body()
                report.commits += 1
                return r
            } catch let e as DeskError {
                if e.description.contains("the database is busy") { report.busy += 1; continue }
                report.refused += 1
                if report.errors.count < 20 { report.errors.append(e.description) }
                return nil
            } catch {
                report.errors.append("\(error)")
                return nil
            }
        }
        return nil
    }

    func run() throws -> Report {
        let desk = try global.desk()
        var report = Report(role: role)
        var rng = SystemRandomNumberGenerator()
        let lic = { (i: Int) in LoadCommand.licCode(i % lics) }
        switch role {
        case "entry":
            for k in 0..<orders {
                var request = OrderRequest(customer: "CUST\(index + 1)",
                                           lines: [.init(lic: lic(Int.random(in: 0..<lics, using: &rng)), quantity: Int.random(in: 1...5, using: &rng))])
                if k % 4 == 0 { request.lines.append(.init(lic: lic(k + index), quantity: Int.random(in: 1...3, using: &rng))) }
                request.split = k % 2 == 0 ? .yes : .no
                if let (order, ms) = write(&report, { try Self.timed { try desk.enterOrder(request) } }) {
                    report.times.append(ms)
                    report.numbers.append(order.number)
                }
            }
        case "stock":
            while !stopped {
                let code = lic(Int.random(in: 0..<lics, using: &rng))
                let kind = Int.random(in: 0..<4, using: &rng), qty = Int.random(in: 1...6, using: &rng)
                write(&report) {
                    switch kind {
                    case 0, 1: _ = try desk.receive(lic: code, qty: qty)
                    case 2: try desk.adjust(lic: code, delta: 2, reason: "load: found")
                    default: try desk.adjust(lic: code, delta: -1, reason: "load: damaged")
                    }
                }
                usleep(50_000)
            }
        case "process":
            while !stopped {
                for p in [ProcessKind.primary, .secondary] {
                    if write(&report, { try desk.runProcess(p, leaseWait: 5) }) != nil { report.runs += 1 }
                }
                usleep(100_000)
            }
        case "priority":
            while !stopped {
                let open = (try? desk.orders(status: .backorder, limit: 200)) ?? []
                if let target = open.randomElement(using: &rng) {
                    if Int.random(in: 0..<6, using: &rng) == 0 {
                        if write(&report, { try desk.voidOrder(target.number) }) != nil { report.voids += 1 }
                    } else {
                        let to = Int.random(in: 0...9, using: &rng)
                        if write(&report, { try desk.changePriority(target.number, to: to, preview: false) }) != nil { report.changes += 1 }
                    }
                }
                usleep(100_000)
            }
        case "reader":
            var n = 0
            while !stopped {
                do {
                    let (view, ms) = try Self.timed { try desk.lic(lic(n), lineLimit: 50, ledgerLimit: 10) }
                    report.times.append(ms)
                    if view.balance.allotted > view.balance.onHand || view.balance.allotted < 0 { report.overAllotted += 1 }
                    let (_, pageMs) = try Self.timed { () -> Int in
                        let page = try desk.backorderPage(anchor: .first, limit: 30)
                        return try desk.backorderCount() + page.count
                    }
                    report.times.append(pageMs)
                } catch {
                    report.errors.append("\(error)")
                }
                n += 1
                usleep(20_000)
            }
        default:
            throw DeskError.invalid("unknown load worker role \(Input.quote(role))")
        }
        return report
    }
}
