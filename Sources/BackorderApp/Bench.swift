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
        public init() {}
    }

    /// A figure: one number, or median and p99 of repeated measurements.
    public enum Figure: Sendable {
        case value(Double)
        case spread(median: Double, p99: Double)
        case pages(first: Double, middle: Double, last: Double)

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

    /// Builds the data set and measures. `progress` receives one line per phase.
    public static func run(_ options: Options, probes: [Probe] = [], progress: (String) -> Void = { _ in }) throws -> (Result, Desk) {
        let dir = options.directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("backorders-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("bench.sqlite").path
        try Desk.initialize(path: path, userName: "bench")
        let database = try AppDatabase(path: path, create: false)
        let clock = Clock.fixed(Moment(day: Day("2026-11-21")!, secondOfDay: 9 * 3600))
        let desk = try Desk(store: database, userName: "bench", clock: clock)
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

        // Entering a 3-line order on the full database.
        var entry: [Double] = []
        let popular = try database.firstLICCodes(limit: 50)
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
        let (longLIC, longLICID, lateOrders) = try database.longestQueue(lateOrders: 7)
        let queueLength = try database.openLineCount(licID: longLICID)
        let settled = try database.isSettled(licID: longLICID)
        // As a supervisor's terminal does it: its own process, its own connections.
        let terminal = try Desk(store: AppDatabase(path: path, create: false), userName: "bench", clock: clock)
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
        let drill = try seconds { _ = try desk.lic(longLIC, lineLimit: 50, ledgerLimit: 10) }
        result.figures.append(("drilldown_ms", .value(drill * 1000)))
        progress("priority and drill-down measured")

        for probe in probes { result.figures += try probe(desk) }

        // Receipts covering every LIC's backorders, then one primary run.
        try database.receiveEveryBackorder(reason: "bench receipt", desk.stamp())
        if let snapshot = ProcessInfo.processInfo.environment["BACKORDERS_BENCH_SNAPSHOT"] {
            // For profiling the run alone: the desk as it stands before it, copied aside.
            try database.checkpoint()
            try? FileManager.default.removeItem(atPath: snapshot)
            try FileManager.default.copyItem(atPath: path, toPath: snapshot)
        }
        var filled = 0
        // As the scheduler runs it: its own process, its own connections (not the loading desk's).
        let scheduler = try Desk(store: AppDatabase(path: path, create: false), userName: "bench", clock: clock)
        let primary = try seconds { filled = try scheduler.runProcess(.primary).stats.linesFilled }
        result.figures.append(("primary_s", .value(primary)))
        // The floor: the store's plainest write of as many line rows in one transaction, through
        // the C API and through its library (`AppDatabase.sqliteFloor`).
        let floor = try database.sqliteFloor(lines: filled)
        result.figures.append(("sqlite_floor_s", .value(floor.raw)))
        result.figures.append(("sqlite_floor_grdb_s", .value(floor.grdb)))
        progress("primary measured: \(filled) lines filled")

        var violations = 0
        let check = try seconds { violations = try desk.check().violations.count }
        result.figures.append(("check_s", .value(check)))
        result.figures.append(("peak_rss_mb", .value(peakRSSMegabytes())))
        let total = try database.lineCount()
        // The machine's speed at the start and at the end: the same fixed work both times.
        result.facts.append(("calibration_ms", .object([("start", .number(calibrationStart)), ("end", .number(try calibration()))])))
        result.facts += [("lines", .int(total)), ("lics", .int(options.lics)), ("longest_queue", .int(queueLength)),
                        ("longest_queue_settled", .bool(settled)),
                        ("lines_filled_by_primary", .int(filled)), ("violations", .int(violations)), ("database", .string(path))]
        return (result, desk)
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
