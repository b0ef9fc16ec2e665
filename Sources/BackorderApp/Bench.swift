import BackorderCore
import BackorderStore
import Foundation

/// `backorders bench`: a synthetic desk of N open order lines over K LICs, built through the real
/// store, then timings of the operations a desk depends on (issue 4's targets).
public enum Bench {
    public struct Options: Sendable {
        public var lines = 1_000_000
        public var lics = 10_000
        public var entryOrders = 1_000
        public var seed: UInt64 = 7792
        public var directory: URL?
        /// The `backorders` executable: with it, the bench times entry and a Backorders page from
        /// other processes while a primary run goes on (`bench --probe`); without it, not.
        public var probeExecutable: String?
        /// A PostgreSQL server (`bench --store postgres://…`): the data set, built on SQLite, is
        /// copied into a new database there and every figure after the load is measured on it;
        /// the timings from other processes during a run on a second copy made by the server. The
        /// floor (the run's rows replayed through SQLite) is SQLite's and is not measured there.
        public var store: PostgresAddress?
        public init() {}
    }

    /// A figure: one number, or median and p99 of repeated measurements.
    public enum Figure: Sendable {
        case value(Double)
        case spread(median: Double, p99: Double)
        case pages(first: Double, middle: Double, last: Double)

        /// Its numbers, each with the suffix that names it (`.median`, `.middle`; none for a value).
        var parts: [(suffix: String, value: Double)] {
            switch self {
            case .value(let v): return [("", v)]
            case .spread(let m, let p): return [(".median", m), (".p99", p)]
            case .pages(let f, let m, let l): return [(".first", f), (".middle", m), (".last", l)]
            }
        }

        var json: JSON {
            func n(_ d: Double) -> JSON { .number(d) }
            switch self {
            case .value(let v): return n(v)
            case .spread(let m, let p): return .object([("median", n(m)), ("p99", n(p))])
            case .pages(let f, let m, let l): return .object([("first", n(f)), ("middle", n(m)), ("last", n(l))])
            }
        }
    }

    public struct Result: JSONConvertible, Sendable {
        public var figures: [(String, Figure)] = []
        public var facts: [(String, JSON)] = []
        public var json: JSON {
            .object(figures.map { ($0.0, $0.1.json) } + facts)
        }
        public subscript(name: String) -> Figure? { figures.first { $0.0 == name }?.1 }
    }

    /// Extra figures measured by layers above the App (the UI): name → measurement on the desk.
    public typealias Probe = @Sendable (Desk) throws -> [(String, Figure)]

    /// The primary run and its floor are each timed this many times; the figure is the median.
    static let runRepeats = 3

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func spread(_ samples: [Double]) -> Figure {
        let s = samples.sorted()
        guard !s.isEmpty else { return .value(0) }
        let p99 = s[min(s.count - 1, Int((Double(s.count) * 0.99).rounded(.up)) - 1)]
        return .spread(median: s[s.count / 2], p99: p99)
    }

    /// A fixed piece of work in memory (the store's: a million rows counted and summed; the
    /// best of three), in ms: the machine's speed at the moment, so runs can be compared. This
    /// machine's speed drifts by half within an hour; figures from runs whose calibrations
    /// differ much are not comparable.
    static func calibration() throws -> Double {
        try AppDatabase.calibration()
    }

    public static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // KiB on Linux
    }

    /// Entry and the Backorders page timed in processes of their own (`bench --probe`, each
    /// figure inside the process doing it) while a primary run goes on over `store`, a copy of the
    /// pre-run desk (a file, or a database on a PostgreSQL server); only the samples taken while it
    /// ran count. The probes' files are kept in `dir`.
    static func duringRun(store: String, dir: URL, executable: String, clock: Clock) throws -> (entry: [Double], page: [Double], seconds: Double) {
        let base = dir.appendingPathComponent("during").path
        let stop = base + ".stop"
        defer { for s in [".stop", ".entry", ".page", ".entry.ready", ".page.ready"] { try? FileManager.default.removeItem(atPath: base + s) } }
        var probes: [(Process, String)] = []
        for kind in ["entry", "page"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: executable)
            p.arguments = ["bench", "--probe", kind, "--db", store, "--user", "bench", "--stop-file", stop, "--probe-out", base + "." + kind]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            probes.append((p, base + "." + kind))
        }
        // Both probes take a first sample before the run starts.
        let ready = Date().addingTimeInterval(10)
        while Date() < ready && !probes.allSatisfy({ FileManager.default.fileExists(atPath: $0.1 + ".ready") }) { usleep(10_000) }
        let start = Date().timeIntervalSince1970
        do {
            let runner = try Desk(store: Desk.openStore(store), userName: "bench", clock: clock)
            _ = try runner.runProcess(.primary)
        } catch {
            // The probes stop with the bench, whatever happened.
            _ = FileManager.default.createFile(atPath: stop, contents: nil)
            for (p, _) in probes { p.waitUntilExit() }
            throw error
        }
        let end = Date().timeIntervalSince1970
        _ = FileManager.default.createFile(atPath: stop, contents: nil)
        var samples: [[Double]] = []
        for (p, out) in probes {
            p.waitUntilExit()
            // Lines of "started-at(s) ms"; a sample counts if it started while the run went on.
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            samples.append(text.split(separator: "\n").compactMap { line in
                let f = line.split(separator: " ").compactMap { Double($0) }
                return f.count == 2 && f[0] >= start && f[0] <= end ? f[1] : nil
            })
        }
        guard samples.allSatisfy({ !$0.isEmpty }) else { throw DeskError.refused("bench --probe took no sample while the run went on") }
        return (samples[0], samples[1], end - start)
    }

    static func appendDuringRun(_ during: (entry: [Double], page: [Double], seconds: Double), to result: inout Result) {
        result.figures.append(("entry_during_run_ms", spread(during.entry)))
        result.figures.append(("page_during_run_ms", spread(during.page)))
        result.facts.append(("during_run", .object([("seconds", .number(during.seconds)), ("entries", .int(during.entry.count)),
                                                    ("pages", .int(during.page.count))])))
    }

    /// A probe (`bench --probe entry|page`): until `stopFile` exists, one sample every 20 ms — a
    /// 1-line order for one of the 50 most popular LICs (the longest queues), or the Backorders
    /// page `page` draws — each written to `out` as "started-at(s) ms" lines.
    public static func probe(_ kind: String, desk: Desk, stopFile: String, out: String, page: (() throws -> Double)?) throws {
        var lines = ""
        var i = 0
        while !FileManager.default.fileExists(atPath: stopFile) {
            let started = Date().timeIntervalSince1970
            let ms: Double
            if let page {
                ms = try page()
            } else {
                var r = OrderRequest(customer: "C\(i % 1000)", lines: [.init(lic: "L\((i * 7) % 50)", quantity: 1)])
                r.split = .yes
                ms = try seconds { _ = try desk.placeOrder(r) } * 1000
            }
            lines += String(format: "%.6f %.3f\n", started, ms)
            if i == 0 { _ = FileManager.default.createFile(atPath: out + ".ready", contents: nil) }
            i += 1
            usleep(20_000)
        }
        try lines.write(toFile: out, atomically: true, encoding: .utf8)
    }

    /// Builds the data set and measures. `progress` receives one line per phase.
    public static func run(_ options: Options, probes: [Probe] = [], progress: (String) -> Void = { _ in }) throws -> (Result, Desk) {
        let dir = options.directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("backorders-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("bench.sqlite").path
        try Desk.initialize(path: path, userName: "bench")
        let database = try AppDatabase(path: path, create: false)
        let clock = Clock.fixed(Moment(day: Day("2026-11-21")!, secondOfDay: 9 * 3600))
        var desk = try Desk(store: database, userName: "bench", clock: clock)
        var result = Result()
        var g = SeededRandom(seed: options.seed)

        let calibrationStart = try calibration()

        // The data set: orders of 1–5 lines, LIC popularity skewed (a few very long queues),
        // most priorities 0, stock covering about half the demand.
        let load = try seconds {
            _ = try desk.setPreference("backorder_management", "true")
            try database.insertBenchMasterData(
                vendor: ("V1", "Bench vendor"),
                lics: (0..<options.lics).map { i in ("L\(i)", "Bench item \(i)", 100 + i % 5000, i % 7 == 0 ? 10 : 0, [1, 6, 12][i % 3]) },
                customers: (0..<1000).map { i in ("C\(i)", "Customer \(i)", i % 50 == 0 ? 1 + i % 9 : 0) })
            let (licIDs, customerIDs, mainID) = try database.benchKeys()
            // Plan every order first, so receipts can cover about half of each LIC's demand.
            var orders: [NewOrder] = []
            var demand = [Int](repeating: 0, count: licIDs.count)
            var planned = 0
            let zipf = ZipfSampler(count: licIDs.count, exponent: 1.0)
            while planned < options.lines {
                let n = min(options.lines - planned, 1 + Int(g.next() % 5))
                var seen = Set<Int>()
                var lines: [NewOrder.Line] = []
                while lines.count < n {
                    let lic = zipf.sample(&g)
                    guard seen.insert(lic).inserted else { continue }
                    let qty = 1 + Int(g.next() % 10)
                    demand[lic] += qty
                    lines.append(.init(licID: licIDs[lic], quantity: qty, unitCents: 100))
                }
                let priority = g.next() % 20 == 0 ? 1 + Int(g.next() % 9) : 0
                orders.append(NewOrder(customerID: customerIDs[Int(g.next() % UInt64(customerIDs.count))], locationID: mainID,
                                       priority: priority, policy: .partial, lines: lines))
                planned += n
            }
            progress("planned \(orders.count) orders, \(planned) lines")
            try database.receiveInBulk(demand.enumerated().filter { $0.element / 2 > 0 }.map {
                (StockKey(licID: licIDs[$0.offset], locationID: mainID), $0.element / 2)
            }, reason: "bench stock", desk.stamp())
            _ = try desk.runProcess(.primary)
            var done = 0
            for batch in stride(from: 0, to: orders.count, by: 5_000) {
                try database.enterInBulk(orders[batch..<min(orders.count, batch + 5_000)].map { o in
                    var o = o
                    o.split = .yes
                    return o
                }, desk.stamp())
                done = min(orders.count, batch + 5_000)
                if done % 50_000 == 0 || done == orders.count { progress("entered \(done) orders") }
            }
        }
        // Purchasing on the way for the busiest items: an open PO for each of the 20 LICs with the
        // most units short, bringing half of what they lack in two weeks — projected fill dates
        // on the Backorders screen and the drill-down then have supply to spread over long queues.
        let short = try database.mostShort(limit: 20).map { (lic: $0.lic, qty: $0.short / 2) }
        var po = Desk.PORequest(vendor: "V1", lines: short)
        po.expected = clock.today.adding(days: 14)
        if !short.isEmpty { _ = try desk.createPurchaseOrder(po) }
        try database.checkpoint()
        result.figures.append(("load_s", .value(load)))
        result.facts.append(("open_po_units", .int(short.reduce(0) { $0 + $1.qty })))

        // Where the rest is measured: the SQLite file, or its copy on PostgreSQL.
        var measured: any SQLStore = database
        var measuredPath = path
        // On PostgreSQL, the copy the timings during a run are taken on (the desk as copied there).
        var duringDatabase: PostgresAddress?
        defer { if let d = duringDatabase, let server = options.store { try? PostgresStore.dropDatabase(d.database, on: server) } }
        if let server = options.store {
            let name = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            try PostgresStore.createDatabase(name, on: server)
            measuredPath = server.with(database: name).description
            let pg = try PostgresStore(address: server.with(database: name), create: true)
            let copy = try seconds { _ = try DeskCopy.copy(from: database, to: pg) }
            result.figures.append(("copy_s", .value(copy)))
            result.facts.append(("store", .string(measuredPath)))
            measured = pg
            if options.probeExecutable != nil {
                // The server copies the database's files; nothing may be connected to it meanwhile.
                pg.closeIdleConnections()
                try PostgresStore.createDatabase(name + "_during", copying: name, on: server)
                duringDatabase = server.with(database: name + "_during")
            }
            desk = try Desk(store: pg, userName: "bench", clock: clock)
            progress("copied to \(measuredPath) in \(String(format: "%.1f", copy)) s")
        }

        // Entering a 3-line order on the full database.
        var entry: [Double] = []
        let popular = try measured.firstLICCodes(limit: 50)
        for i in 0..<options.entryOrders {
            var r = OrderRequest(customer: "C\(i % 1000)", lines: (0..<3).map { j in
                .init(lic: popular[(i * 3 + j * 7) % popular.count], quantity: 1 + (i + j) % 4)
            })
            r.lines = Array(Dictionary(grouping: r.lines, by: \.lic).values.map { $0[0] })
            r.split = .yes
            entry.append(try seconds { _ = try desk.placeOrder(r) } * 1000)
        }
        result.figures.append(("entry_ms", spread(entry)))
        progress("entry measured")

        // The longest queue: its LIC, and orders late in it, raised to the top one after another.
        let (longLIC, longLICID, lateOrders) = try measured.longestQueue(lateOrders: 7)
        let queueLength = try measured.openLineCount(licID: longLICID)
        let settled = try measured.isSettled(licID: longLICID)
        // As a supervisor's terminal does it: its own process, its own connections.
        let terminal = try Desk(store: Desk.openStore(measuredPath), userName: "bench", clock: clock)
        var priorities: [Double] = [], previews: [Double] = []
        for order in lateOrders {
            let preview = try seconds { _ = try terminal.changePriority(order, to: 9, preview: true) }
            let apply = try seconds { _ = try terminal.changePriority(order, to: 9, preview: false) }
            previews.append(preview * 1000)
            priorities.append((preview + apply) * 1000)
        }
        result.figures.append(("priority_ms", spread(priorities)))
        result.figures.append(("priority_preview_ms", spread(previews)))
        // And back down: each goes to the end of priority 0, behind the whole queue.
        var lowerings: [Double] = []
        for order in lateOrders {
            let preview = try seconds { _ = try terminal.changePriority(order, to: 0, preview: true) }
            let apply = try seconds { _ = try terminal.changePriority(order, to: 0, preview: false) }
            lowerings.append((preview + apply) * 1000)
        }
        result.figures.append(("priority_lower_ms", spread(lowerings)))
        // The median of nine, as every other figure is one of many samples (one sample moved
        // with whatever else the machine did in those 2–3 ms).
        var drills: [Double] = []
        for _ in 0..<9 { drills.append(try seconds { _ = try desk.lic(longLIC, lineLimit: 50, ledgerLimit: 10) } * 1000) }
        result.figures.append(("drilldown_ms", .value(drills.sorted()[drills.count / 2])))
        progress("priority and drill-down measured")

        for probe in probes { result.figures += try probe(desk) }

        // Receipts covering every LIC's backorders, then one primary run. The desk as it stands
        // before the run is copied aside: the floor replays the run's writes on it.
        try measured.receiveEveryBackorder(reason: "bench receipt", desk.stamp())
        let preRun = dir.appendingPathComponent("pre-run.sqlite").path
        if options.store == nil { try database.copyFile(to: preRun) }
        defer { try? FileManager.default.removeItem(atPath: preRun) }
        if let snapshot = ProcessInfo.processInfo.environment["BACKORDERS_BENCH_SNAPSHOT"] {
            // For profiling the run alone: the same copy, kept.
            try? FileManager.default.removeItem(atPath: snapshot)
            try FileManager.default.copyItem(atPath: preRun, toPath: snapshot)
        }
        var filled = 0
        // As the scheduler runs it: its own process, its own connections (not the loading desk's).
        let scheduler = try Desk(store: Desk.openStore(measuredPath), userName: "bench", clock: clock)
        var primaries = [try seconds { filled = try scheduler.runProcess(.primary).stats.linesFilled }]
        var violations = 0
        if options.store != nil {
            let primary = primaries[0]
            result.figures.append(("primary_s", .value(primary)))
            progress("primary measured: \(filled) lines filled")
            let check = try seconds { violations = try desk.check().violations.count }
            result.figures.append(("check_s", .value(check)))
            result.figures.append(("peak_rss_mb", .value(peakRSSMegabytes())))
            if let exe = options.probeExecutable, let during = duringDatabase {
                // The desk as it was copied, with the same receipts as the measured one before its run
                // (without the entries and priority changes measured on that one since).
                let store = try PostgresStore(address: during, create: false)
                try store.receiveEveryBackorder(reason: "bench receipt", desk.stamp())
                store.closeIdleConnections()
                appendDuringRun(try duringRun(store: during.description, dir: dir, executable: exe, clock: clock), to: &result)
                progress("entry and page during a run measured")
            }
            result.facts.append(("calibration_ms", .object([("start", .number(calibrationStart)), ("end", .number(try calibration()))])))
            result.facts += [("lines", .int(try measured.lineCount())), ("lics", .int(options.lics)), ("longest_queue", .int(queueLength)),
                            ("longest_queue_settled", .bool(settled)),
                            ("lines_filled_by_primary", .int(filled)), ("violations", .int(violations)), ("database", .string(measuredPath))]
            return (result, desk)
        }
        progress("primary run: \(filled) lines filled")
        // Bare row rewrites of as many lines, through the C API and through the SQLite library the store uses
        // (`AppDatabase.sqliteRewrite`; issue 4's floor). They change no value.
        let rewrite = try database.sqliteRewrite(lines: filled)
        result.figures.append(("sqlite_rewrite_s", .value(rewrite.raw)))
        result.figures.append(("sqlite_rewrite_grdb_s", .value(rewrite.grdb)))

        let check = try seconds { violations = try desk.check().violations.count }
        result.figures.append(("check_s", .value(check)))
        // Before the floor, whose replay holds the run's rows in memory.
        result.figures.append(("peak_rss_mb", .value(peakRSSMegabytes())))

        // The floor: exactly the rows the run committed, replayed on the pre-run copy through
        // statements prepared once, in one transaction (`RunDiff.replay`). Runs and replays
        // alternate — run, floor, run, floor, run, floor — each run on a fresh copy of the desk
        // before it: the machine's speed drifts by a third within minutes here, and three runs
        // then three replays had put the drift into the ratio.
        let diff = try database.runDiff(since: preRun)
        let scratch = dir.appendingPathComponent("floor.sqlite").path
        var floor = try diff.replay(scratch: scratch, checkingAgainst: database.path)
        var ratios = [primaries[0] / max(floor.seconds, 1e-9)]
        let copy = dir.appendingPathComponent("again.sqlite").path
        func removeAgain() { for s in ["", "-wal", "-shm", "-turn"] { try? FileManager.default.removeItem(atPath: copy + s) } }
        defer { removeAgain() }
        for _ in 1..<Self.runRepeats {
            removeAgain()
            try FileManager.default.copyItem(atPath: preRun, toPath: copy)
            sync()
            let store = try AppDatabase(path: copy, create: false)
            let repeated = try Desk(store: store, userName: "bench", clock: clock)
            var again = 0
            primaries.append(try seconds { again = try repeated.runProcess(.primary).stats.linesFilled })
            try store.close()
            // The same desk, the same run: a repeat that filled otherwise timed other work.
            guard again == filled else { throw DeskError.refused("bench: a repeated primary run filled \(again) lines, the first \(filled)") }
            let replayed = try diff.replay(scratch: scratch).seconds
            floor.samples.append(replayed)
            ratios.append(primaries[primaries.count - 1] / max(replayed, 1e-9))
        }
        floor.seconds = floor.samples.sorted()[floor.samples.count / 2]
        let primary = primaries.sorted()[primaries.count / 2]
        result.figures.append(("primary_s", .value(primary)))
        result.facts.append(("primary_samples_s", .array(primaries.map { .number($0) })))
        progress("primary measured: \(filled) lines filled")
        result.figures.append(("sqlite_floor_s", .value(floor.seconds)))
        result.facts.append(("floor_samples_s", .array(floor.samples.map { .number($0) })))
        result.facts.append(("primary_over_floor", .number(floor.seconds > 0 ? primary / floor.seconds : 0)))
        // Each run over the replay right after it: what the drift does to the ratio shows.
        result.facts.append(("primary_over_floor_pairs", .array(ratios.map { .number($0) })))
        result.facts.append(("run_writes", Self.json(floor.writes, filled: filled)))
        result.facts.append(("floor_mismatched_rows", .int(floor.mismatchedRows)))
        progress("floor measured: \(floor.writes.rows) rows replayed")
        if let exe = options.probeExecutable {
            let copy = dir.appendingPathComponent("during.sqlite").path
            try FileManager.default.copyItem(atPath: preRun, toPath: copy)
            defer { for s in ["", "-wal", "-shm", "-turn"] { try? FileManager.default.removeItem(atPath: copy + s) } }
            appendDuringRun(try duringRun(store: copy, dir: dir, executable: exe, clock: clock), to: &result)
            progress("entry and page during a run measured")
        }
        let total = try database.lineCount()
        // The machine's speed at the start and at the end: the same fixed work both times.
        result.facts.append(("calibration_ms", .object([("start", .number(calibrationStart)), ("end", .number(try calibration()))])))
        // SQLite without connection mutexes and allocation counting (`AppDatabase.leanSQLite`).
        result.facts.append(("sqlite_lean", .bool(AppDatabase.sqliteIsLean)))
        result.facts += [("lines", .int(total)), ("lics", .int(options.lics)), ("longest_queue", .int(queueLength)),
                        ("longest_queue_settled", .bool(settled)),
                        ("lines_filled_by_primary", .int(filled)), ("violations", .int(violations)), ("database", .string(path))]
        return (result, desk)
    }
}

extension Bench {
    /// `bench --series`: the same bench at growing sizes, and how each figure grows.
    public struct Series: JSONConvertible, Sendable {
        public struct Growth: Sendable {
            /// The figure (`entry_ms.p99`, `page_ms.middle`, `primary_s`).
            public var name: String
            /// log(f₂ / f₁) / log(n₂ / n₁) between each size and the next (n the lines built).
            public var exponents: [Double]
            /// The exponent it should stay within (flat ≤ 0.1, linear ≤ 1.1), if it has one.
            public var limit: Double?
            public var withinLimit: Bool? { limit.map { l in exponents.allSatisfy { $0 <= l } } }
        }

        public var sizes: [Int]
        public var runs: [Result]
        public var growth: [Growth]

        public var json: JSON {
            .object([("sizes", .array(sizes.map(JSON.int))),
                     ("growth", .object(growth.map { g in
                         (g.name, .object([("exponents", .array(g.exponents.map(JSON.number))),
                                           ("limit", g.limit.map(JSON.number) ?? .null),
                                           ("within_limit", g.withinLimit.map(JSON.bool) ?? .null)]))
                     })),
                     ("runs", .array(runs.map(\.json)))])
        }

        public var text: String {
            var out = "figure                      " + zip(sizes, sizes.dropFirst()).map { "\($0.0 / 1000)k→\($0.1 / 1000)k".padding(toLength: 12, withPad: " ", startingAt: 0) }.joined() + "limit\n"
            for g in growth {
                out += g.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                out += g.exponents.map { String(format: "%-12.2f", $0) }.joined()
                if let l = g.limit { out += String(format: "≤ %.1f %@", l, g.withinLimit == true ? "ok" : "MISSED") }
                out += "\n"
            }
            return out
        }
    }

    /// Figures that must not grow with the desk (queues grow with it), and those that grow with it.
    static let flat = ["entry_ms", "priority_ms", "priority_lower_ms", "drilldown_ms", "page_ms"]
    static let linear = ["primary_s", "check_s"]

    /// Runs the bench at each size (ascending), removing each desk unless `keep`.
    public static func series(_ sizes: [Int], options: Options, probes: [Probe] = [], keep: Bool = false,
                              progress: (String) -> Void = { _ in }) throws -> Series {
        var runs: [Result] = []
        var built: [Int] = []
        for n in sizes {
            var o = options
            o.lines = n
            let (result, desk) = try run(o, probes: probes) { progress("\(n) lines: \($0)") }
            if !keep { try? FileManager.default.removeItem(atPath: (desk.databasePath as NSString).deletingLastPathComponent) }
            runs.append(result)
            if case .int(let lines)? = result.facts.first(where: { $0.0 == "lines" })?.1 { built.append(lines) } else { built.append(n) }
        }
        var growth: [Series.Growth] = []
        for (name, figure) in runs.first?.figures ?? [] {
            for (i, part) in figure.parts.enumerated() {
                let values = runs.map { $0[name]?.parts[i].value ?? 0 }
                let exponents = (1..<max(1, values.count)).map { k -> Double in
                    guard values[k - 1] > 0, values[k] > 0, built[k] > built[k - 1] else { return 0 }
                    return log(values[k] / values[k - 1]) / log(Double(built[k]) / Double(built[k - 1]))
                }
                let limit: Double? = flat.contains(name) ? 0.1 : linear.contains(name) ? 1.1 : nil
                growth.append(.init(name: name + part.suffix, exponents: exponents, limit: limit))
            }
        }
        return Series(sizes: built, runs: runs, growth: growth)
    }

    /// What the run wrote: rows and index entries in all, per filled line and per order touched,
    /// and by table.
    static func json(_ w: RunWrites, filled: Int) -> JSON {
        func per(_ n: Int) -> JSON {
            .object([("rows", .number(n > 0 ? Double(w.rows) / Double(n) : 0)),
                     ("index_entries", .number(n > 0 ? Double(w.indexEntries) / Double(n) : 0))])
        }
        return .object([("rows", .int(w.rows)), ("index_entries", .int(w.indexEntries)), ("orders", .int(w.orders)),
                        ("per_filled_line", per(filled)), ("per_order", per(w.orders)),
                        ("tables", .object(w.tables.map { t in
                            (t.name, .object([("inserted", .int(t.inserted)), ("updated", .int(t.updated)),
                                              ("deleted", .int(t.deleted)), ("index_entries", .int(t.indexEntries))]))
                        }))])
    }
}

/// Samples ranks 0..<count with probability ∝ 1 / (rank + 1)^exponent.
struct ZipfSampler {
    let cumulative: [Double]
    init(count: Int, exponent: Double) {
        var c: [Double] = []
        c.reserveCapacity(count)
        var sum = 0.0
        for i in 0..<count {
            sum += 1 / pow(Double(i + 1), exponent)
            c.append(sum)
        }
        cumulative = c.map { $0 / sum }
    }
    func sample(_ g: inout SeededRandom) -> Int {
        let u = g.unit()
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] < u { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
