import BackorderCore
import BackorderStore
import Foundation

extension Bench {
    /// Tryton 8.2's own figures for assigning backorders (seconds, in process), at its two sizes:
    /// orders × lines, and the range it measured.
    public static let trytonSizes: [(orders: Int, lines: Int, assignSeconds: ClosedRange<Double>)] = [
        (500, 3, 11...13.5),
        (2_000, 3, 105...152),
    ]

    /// The primary run at Tryton's sizes (`bench --tryton-workload`): a fresh desk of `orders`
    /// orders of `lines` lines over 100 LICs, entered with no stock at all (every line waits),
    /// then a receipt covering every LIC's backorders and one primary run, timed in process
    /// (`elapsed_ms`, as `process primary --json` reports it) like Tryton's figure. Each size is
    /// built and run `repeats` times; the median counts.
    public static func trytonWorkload(sizes trytonSizes: [(orders: Int, lines: Int, assignSeconds: ClosedRange<Double>)] = trytonSizes,
                                      repeats: Int = 3, directory: URL? = nil,
                                      progress: (String) -> Void = { _ in }) throws -> JSON {
        let calibrationStart = try calibration()
        var sizes: [JSON] = []
        for size in trytonSizes {
            var runs: [Double] = []
            var floors: [Double] = []
            var mismatched = 0
            var writes = RunWrites()
            var filled = 0
            for repeatIndex in 0..<max(1, repeats) {
                let dir = (directory ?? FileManager.default.temporaryDirectory)
                    .appendingPathComponent("backorders-tryton-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: dir) }
                let one = try trytonRun(orders: size.orders, lines: size.lines, path: dir.appendingPathComponent("desk.sqlite").path,
                                        seed: UInt64(repeatIndex + 1))
                runs.append(one.run)
                floors.append(one.floor)
                mismatched += one.mismatched
                writes = one.writes
                filled = one.filled
            }
            let median = runs.sorted()[runs.count / 2]
            let floor = floors.sorted()[floors.count / 2]
            progress("\(size.orders) × \(size.lines): primary run \(String(format: "%.1f", median)) ms, floor \(String(format: "%.1f", floor)) ms")
            let below = (low: size.assignSeconds.lowerBound * 1000 / median, high: size.assignSeconds.upperBound * 1000 / median)
            sizes.append(.object([
                ("orders", .int(size.orders)),
                ("lines_per_order", .int(size.lines)),
                ("lines_filled", .int(filled)),
                ("primary_elapsed_ms", .number(median)),
                ("primary_elapsed_ms_runs", .array(runs.map(JSON.number))),
                ("sqlite_floor_ms", .number(floor)),
                ("sqlite_floor_ms_runs", .array(floors.map(JSON.number))),
                ("primary_over_floor", .number(floor > 0 ? median / floor : 0)),
                ("floor_mismatched_rows", .int(mismatched)),
                ("run_writes", json(writes, filled: filled)),
                ("tryton_assign_s", .array([.number(size.assignSeconds.lowerBound), .number(size.assignSeconds.upperBound)])),
                ("times_below_tryton", .array([.number(below.low), .number(below.high)])),
            ]))
        }
        return .object([
            ("tryton_workload", .array(sizes)),
            ("target_times_below", .int(1_000)),
            ("calibration_ms", .object([("start", .number(calibrationStart)), ("end", .number(try calibration()))])),
        ])
    }

    /// One desk at one size: its primary run's `elapsed_ms`, the floor's (the run's writes
    /// replayed on the desk as it stood before, as `bench` measures `sqlite_floor_s`), lines filled.
    private static func trytonRun(orders: Int, lines: Int, path: String, seed: UInt64) throws -> (run: Double, floor: Double, mismatched: Int, writes: RunWrites, filled: Int) {
        try Desk.initialize(path: path, userName: "bench")
        let database = try AppDatabase(path: path, create: false)
        let clock = Clock.fixed(Moment(day: Day("2026-11-21")!, secondOfDay: 9 * 3600))
        let desk = try Desk(store: database, userName: "bench", clock: clock)
        _ = try desk.setPreference("backorder_management", "true")
        try database.insertBenchMasterData(
            vendor: ("V1", "Bench vendor"),
            lics: (0..<100).map { i in ("L\(i)", "Item \(i)", 100 + i, 0, 1) },
            customers: (0..<100).map { i in ("C\(i)", "Customer \(i)", 0) })
        let (licIDs, customerIDs, mainID) = try database.benchKeys()
        var g = SeededRandom(seed: seed)
        var planned: [NewOrder] = []
        for _ in 0..<orders {
            var chosen = Set<Int>()
            while chosen.count < min(lines, licIDs.count) { chosen.insert(Int(g.next() % UInt64(licIDs.count))) }
            var o = NewOrder(customerID: customerIDs[Int(g.next() % UInt64(customerIDs.count))], locationID: mainID, priority: 0,
                             policy: .partial, lines: chosen.sorted().map { .init(licID: licIDs[$0], quantity: 1 + Int(g.next() % 10), unitCents: 100) })
            o.split = .yes
            planned.append(o)
        }
        try database.enterInBulk(planned, desk.stamp())
        try database.receiveEveryBackorder(reason: "bench receipt", desk.stamp())
        if seed == 1, let snapshot = ProcessInfo.processInfo.environment["BACKORDERS_BENCH_SNAPSHOT"] {
            // For profiling the run alone: the first desk of each size as it stands before the
            // run, kept as SNAPSHOT-<orders>x<lines>.sqlite.
            let kept = "\(snapshot)-\(orders)x\(lines).sqlite"
            try? FileManager.default.removeItem(atPath: kept)
            try database.copyFile(to: kept)
        }
        // The desk before the run, for the floor: the run's writes replayed on it.
        let preRun = path + ".pre-run"
        try database.copyFile(to: preRun)
        defer { try? FileManager.default.removeItem(atPath: preRun) }
        // As the scheduler runs it: its own connections.
        let schedulerStore = try AppDatabase(path: path, create: false)
        let scheduler = try Desk(store: schedulerStore, userName: "bench", clock: clock)
        let result = try scheduler.runProcess(.primary)
        let floor = try schedulerStore.runDiff(since: preRun).replay(scratch: path + ".floor", checkingAgainst: path)
        return (result.elapsedMs ?? 0, floor.seconds * 1000, floor.mismatchedRows, floor.writes, result.stats.linesFilled)
    }
}
