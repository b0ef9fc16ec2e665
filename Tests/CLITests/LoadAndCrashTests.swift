import TestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The load script's short version (Tests/load/run-load.sh runs the long one) and the crash loop:
/// SIGKILLs at random moments during a process run, an import and a suborder-creating invoice.
/// `BACKORDERS_LONG_TESTS=1` runs the long variants; docs/reliability.md has their figures.
final class LoadAndCrashTests: XCTestCase {
    var dir: TempDir!
    var cli: Backorders!
    var desk: TestDesk!
    static var long: Bool { ProcessInfo.processInfo.environment["BACKORDERS_LONG_TESTS"] == "1" }

    override func setUpWithError() throws {
        dir = try TempDir(prefix: "load")
        desk = try TestDesk(in: dir)
        cli = try Backorders(home: dir.path, db: desk.db)
    }

    override func tearDown() {
        cli = nil
        desk = nil
        dir = nil
    }

    // MARK: - Load

    func testManyProcessesAtOnceLoseNothingAndNobodySeesALock() throws {
        let args = Self.long
            ? ["--entry", "8", "--orders", "200", "--receivers", "2", "--runners", "1", "--supervisors", "1", "--readers", "2"]
            : ["--entry", "4", "--orders", "30", "--receivers", "1", "--runners", "1", "--supervisors", "1", "--readers", "1"]
        let out = try cli.run(["load", "--json"] + args)
        let doc = try out.object()
        XCTAssertEqual(out.status, 0, "\(out)")
        XCTAssertEqual(doc["failures"] as? [String], [], "\(out)")
        let entered = try XCTUnwrap(doc["orders_entered"] as? Int)
        XCTAssertEqual(entered, Self.long ? 1600 : 120)
        XCTAssertEqual(doc["locked_messages"] as? Int, 0)
        XCTAssertEqual(doc["over_allotted_samples"] as? Int, 0)
        XCTAssertGreaterThan(doc["read_samples"] as? Int ?? 0, 0)
        XCTAssertGreaterThan(doc["process_runs"] as? Int ?? 0, 0)
        // Independently of the driver's own checks: the same database, from outside.
        let admin = try Backorders(home: dir.path, db: cli.db, user: "loadadmin")
        try admin.ok("check")
        let numbers = try admin.ok("order", "list", "--json").array().compactMap { ($0 as? [String: Any])?["number"] as? String }
        XCTAssertEqual(numbers.count, entered)
        XCTAssertEqual(Set(numbers).count, entered, "every order once")
        for lic in ["SCARCE1", "SCARCE2", "SCARCE3"] {
            let b = try admin.ok("lic", "show", lic, "--json").object()
            XCTAssertLessThanOrEqual(b["allotted"] as? Int ?? .max, b["on_hand"] as? Int ?? -1)
        }
        print("load: \(out.stdout)")
    }

    // MARK: - Crash loop

    /// A desk with many backordered lines, so that a process run takes a while.
    func prepare(lines: Int) throws {
        try cli.ok("init")
        try cli.ok("prefs", "set", "backorder_management", "true")
        try cli.ok("reason", "add", "CUST")
        for c in ["C1", "C2"] { try cli.ok("customer", "add", c) }
        for l in ["A", "B", "C", "D"] { try cli.ok("lic", "add", l) }
        var csv = "order_ref,customer,lic,qty\n"
        for i in 0..<lines { csv += "R\(i),C\(i % 2 + 1),\(["A", "B", "C", "D"][i % 4]),\(i % 3 + 1)\n" }
        try csv.write(toFile: dir.file("bulk.csv"), atomically: true, encoding: .utf8)
        try cli.ok("import", "orders", dir.file("bulk.csv"), "--split", "yes")
    }

    /// Every order (`order list` shows the newest 10,000; the export has them all).
    func orderCount() throws -> Int {
        try cli.ok("export", "orders", "--format", "csv").stdout.split(separator: "\n").count - 1
    }

    func waiting(_ lic: String) throws -> Int {
        let b = try cli.ok("lic", "show", lic, "--json").object()
        return (b["on_hand"] as? Int ?? 0) - (b["allotted"] as? Int ?? 0)
    }

    /// Starts `args`, kills it with SIGKILL after a random part of `window` seconds; true if it
    /// was still running when killed.
    @discardableResult
    func killDuring(_ args: [String], window: Double, rng: inout SystemRandomNumberGenerator) throws -> Bool {
        let run = try cli.start(args)
        usleep(UInt32(Double.random(in: 0.02...max(0.03, window), using: &rng) * 1_000_000))
        let alive = run.process.isRunning
        kill(run.process.processIdentifier, SIGKILL)
        let out = run.finish()
        XCTAssertFalse(out.stderr.lowercased().contains("database is locked"), "\(out)")
        return alive && out.status != 0
    }

    func assertNextRunStartsAtOnce(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let t0 = Date()
        let out = try cli.run(args)
        XCTAssertEqual(out.status, 0, "\(out)", file: file, line: line)
        XCTAssertLessThan(Date().timeIntervalSince(t0), 30, "waited for a stale lease: \(out)", file: file, line: line)
    }

    func testKilledAtRandomMomentsTheDeskIsWhole() throws {
        let rounds = Self.long ? 20 : 2
        try prepare(lines: Self.long ? 20_000 : 3_000)
        var rng = SystemRandomNumberGenerator()
        var kills = 0, hits = 0

        // How long each job takes here, unkilled, to aim the kills inside it.
        func timed(_ args: [String]) throws -> Double {
            let t0 = Date()
            let out = try cli.run(args)
            XCTAssertEqual(out.status, 0, "\(out)")
            return Date().timeIntervalSince(t0)
        }
        let supply = Self.long ? 3_000 : 500
        for l in ["A", "B", "C", "D"] { try cli.ok("receive", l, "\(supply)") }
        var processWindow = try timed(["process", "primary"])

        let importRows = Self.long ? 5_000 : 800
        var csv = "order_ref,customer,lic,qty\n"
        for i in 0..<importRows { csv += "K\(i),C1,\(["A", "B", "C", "D"][i % 4]),1\n" }
        try csv.write(toFile: dir.file("kill.csv"), atomically: true, encoding: .utf8)
        var importWindow = try timed(["import", "orders", dir.file("kill.csv"), "--split", "yes"])

        func invoiceable(_ round: Int) throws -> String {
            let inv = "INV\(round)"
            try cli.ok("lic", "add", inv)
            try cli.ok("receive", inv, "2")
            try cli.ok("process", "primary")
            let o = try cli.ok("order", "new", "--customer", "C2", "--line", "\(inv):5", "--split", "yes", "--json").object()
            let number = try XCTUnwrap(o["number"] as? String)
            let shipments = try cli.ok("shipment", "list", "--order", number, "--json").array().compactMap { $0 as? [String: Any] }
            for s in shipments where (s["status"] as? String) != "shipped" { try cli.ok("shipment", "ship", "\(s["id"] as! Int)") }
            return number
        }
        var invoiceWindow = try timed(["order", "invoice", try invoiceable(-1)])

        for round in 0..<rounds {
            // 1. A large process run: supply for every key, then killed.
            for l in ["A", "B", "C", "D"] { try cli.ok("receive", l, "\(supply)") }
            let before = try waiting("A") + waiting("B") + waiting("C") + waiting("D")
            kills += 1
            if try killDuring(["process", "primary"], window: processWindow * 0.95, rng: &rng) { hits += 1 }
            try cli.ok("check")
            let runs = try cli.ok("runs", "--json").array().compactMap { $0 as? [String: Any] }
            XCTAssertNotEqual(runs.first?["status"] as? String, "running", "round \(round): a dead run shows as running")
            let t0 = Date()
            try assertNextRunStartsAtOnce(["process", "primary"])
            processWindow = (processWindow + Date().timeIntervalSince(t0)) / 2
            try cli.ok("check")
            let after = try waiting("A") + waiting("B") + waiting("C") + waiting("D")
            XCTAssertLessThanOrEqual(after, before, "round \(round)")
            let pending = try cli.ok("runs", "--json").array().compactMap { $0 as? [String: Any] }
            XCTAssertFalse(pending.contains { $0["finished_at"] is NSNull }, "round \(round): a run left open")

            // 2. An import: wholly there or wholly absent.
            let n0 = try orderCount()
            kills += 1
            if try killDuring(["import", "orders", dir.file("kill.csv"), "--split", "yes"], window: importWindow * 0.95, rng: &rng) { hits += 1 }
            try cli.ok("check")
            let n1 = try orderCount()
            XCTAssertTrue(n1 == n0 || n1 == n0 + importRows, "round \(round): the import is half there (\(n0) → \(n1))")
            if n1 == n0 {
                let t1 = Date()
                try assertNextRunStartsAtOnce(["import", "orders", dir.file("kill.csv"), "--split", "yes"])
                importWindow = (importWindow + Date().timeIntervalSince(t1)) / 2
            }
            XCTAssertEqual(try orderCount(), n0 + importRows, "round \(round): the import completes")
            try cli.ok("check")

            // 3. An invoice that creates a suborder.
            let number = try invoiceable(round)
            kills += 1
            if try killDuring(["order", "invoice", number], window: invoiceWindow * 0.95, rng: &rng) { hits += 1 }
            try cli.ok("check")
            let shown = try cli.ok("order", "show", number, "--json").object()
            let invoiced = (shown["invoices"] as? [Any])?.isEmpty == false
            let suborder = try cli.run(["order", "show", "\(number).01", "--json"])
            XCTAssertEqual(invoiced, suborder.status == 0, "round \(round): invoice and suborder must come together: \(shown) / \(suborder)")
            if !invoiced {
                let t2 = Date()
                try assertNextRunStartsAtOnce(["order", "invoice", number])
                invoiceWindow = (invoiceWindow + Date().timeIntervalSince(t2)) / 2
            }
            try cli.ok("order", "show", "\(number).01")
            try cli.ok("check")
        }
        print("crash loop: \(kills) SIGKILLs, \(hits) while the job was running; check passed after every one")
        XCTAssertEqual(kills, rounds * 3)
    }
}
