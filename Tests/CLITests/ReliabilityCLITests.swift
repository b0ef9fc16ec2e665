import TestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 14 through the command line: ranges in refusals, the database file's refusals, backup
/// and restore, interrupted runs, bounded memory on a huge CSV, the load script's short version
/// and the crash loop. `BACKORDERS_LONG_TESTS=1` runs the long variants (docs/reliability.md).
final class ReliabilityCLITests: XCTestCase {
    var dir: TempDir!
    var cli: Backorders!
    var desk: TestDesk!
    static var long: Bool { ProcessInfo.processInfo.environment["BACKORDERS_LONG_TESTS"] == "1" }

    override func setUpWithError() throws {
        dir = try TempDir(prefix: "reliability")
        desk = try TestDesk(in: dir)
        cli = try Backorders(home: dir.path, db: desk.db)
    }

    override func tearDown() {
        cli = nil
        desk = nil
        dir = nil
    }

    func initDesk() throws {
        try cli.ok("init")
        try cli.ok("prefs", "set", "backorder_management", "true")
        try cli.ok("customer", "add", "C1")
        try cli.ok("lic", "add", "W")
        try cli.ok("receive", "W", "10")
        try cli.ok("process", "primary")
    }

    // MARK: - Out-of-range values say their range

    func testOutOfRangeNumbersSayTheirRange() throws {
        try initDesk()
        let o = try cli.ok("order", "new", "--customer", "C1", "--line", "W:2", "--split", "yes", "--json")
        let number = try XCTUnwrap(try o.object()["number"] as? String)
        let cases: [([String], String)] = [
            (["customer", "add", "C2", "--priority", "-1"], "priority must be 0–9, not -1"),
            (["customer", "add", "C2", "--priority", "10"], "priority must be 0–9, not 10"),
            (["order", "new", "--customer", "C1", "--line", "W:1", "--priority", "-1"], "priority must be 0–9, not -1"),
            (["order", "priority", number, "-1"], "priority must be 0–9, not -1"),
            (["order", "priority", number, "12", "--preview"], "priority must be 0–9, not 12"),
            (["order", "new", "--customer", "C1", "--line", "W:-2"], "must be at least 1 (1–1,000,000,000), not -2"),
            (["order", "new", "--customer", "C1", "--line", "W:0"], "must be at least 1 (1–1,000,000,000), not 0"),
            (["order", "new", "--customer", "C1", "--line", "W:2000000000"], "(1–1,000,000,000), not 2000000000"),
            (["order", "new", "--customer", "C1", "--line", "W:1", "--deposit", "-5"], "0–100,000,000,000, not '-5'"),
            (["order", "new", "--customer", "C1", "--line", "W:1", "--tax-rate", "101"], "tax rate must be a percentage 0–100"),
            (["lic", "add", "X", "--price", "-5"], "price (cents) must be 0–100,000,000,000, not -5"),
            (["lic", "add", "X", "--min-stock", "-1"], "minimum stock must be 0–1,000,000,000, not -1"),
            (["lic", "add", "X", "--reorder-multiple", "0"], "reorder multiple must be 1–1,000,000,000, not 0"),
            (["receive", "W", "-4"], "quantity must be at least 1 (1–1,000,000,000), not -4"),
            (["runs", "--limit", "-1"], "--limit must be 1–10,000, not -1"),
            (["shipment", "pick", "-3"], "shipment must be 1 or more, not -3"),
            (["order", "cancel-remaining", number, "--line", "-1", "--reason", "CUST"], ""),
        ]
        for (args, message) in cases {
            let out = try cli.run(args)
            XCTAssertNotEqual(out.status, 0, "\(out)")
            XCTAssertFalse(out.stderr.contains("Missing value"), "\(out)")
            if !message.isEmpty { XCTAssertTrue(out.stderr.contains(message), "expected '\(message)': \(out)") }
        }
        try cli.ok("reason", "add", "CUST")
        try cli.refused("order", "cancel-remaining", number, "--line", "-1", "--reason", "CUST", mentions: "has no line -1 (its lines are 1–1)")
        try cli.ok("check")
    }

    // MARK: - The database file

    func testTheDatabaseFilesRefusalsAndAReadOnlyDesk() throws {
        try XCTSkipIf(desk.onPostgres, "a file's own refusals and modes")
        try cli.refused("--db", dir.path, "lic", "show", "W", mentions: "is a directory, not a Backorders database")
        try cli.refused("--db", dir.path, "init", mentions: "is a directory, not a Backorders database")
        try cli.refused("--db", dir.file("nope/desk.sqlite"), "init", mentions: "the folder \(dir.file("nope")) does not exist")
        try cli.refused("--db", dir.file("nope/desk.sqlite"), "lic", "show", "W", mentions: "does not exist")
        try initDesk()
        var st = stat()
        XCTAssertEqual(stat(cli.db, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600, "a new database is private")
        XCTAssertEqual(chmod(cli.db, 0o444), 0)
        let show = try cli.ok("lic", "show", "W", "--json")
        XCTAssertEqual(try show.object()["on_hand"] as? Int, 10, "a read-only database still opens for reading")
        let refused = try cli.refused("receive", "W", "1", mentions: "is read-only: the desk can show it but not change it")
        for bad in ["disk I/O", "SQLite error", "attempt to write a readonly"] { XCTAssertFalse(refused.stderr.contains(bad), "\(refused)") }
        XCTAssertEqual(chmod(cli.db, 0o600), 0)
        try cli.ok("receive", "W", "1")
    }

    // MARK: - Backup and restore

    func testBackupWhileOthersWorkAndRestoreOnlyWhenNobodyHasItOpen() throws {
        try XCTSkipIf(desk.onPostgres, "the file's backup and restore (PostgreSQL's are in PostgresCLITests)")
        try initDesk()
        // Others keep entering while the backup is made.
        let writers = try (0..<2).map { i in
            try cli.startShell((0..<10).map { _ in "\"$BIN\" order new --customer C1 --line W:1 --split yes >/dev/null || exit 1" }.joined(separator: "\n"))
        }
        let backup = dir.file("nightly.sqlite")
        let b = try cli.ok("backup", backup, "--json")
        for w in writers { XCTAssertEqual(w.finish().status, 0) }
        let doc = try b.object()
        XCTAssertEqual(doc["check"] as? String, "ok")
        XCTAssertEqual(doc["integrity"] as? String, "ok")
        XCTAssertGreaterThan(doc["bytes"] as? Int ?? 0, 0)
        XCTAssertTrue((0...20).contains(try XCTUnwrap(doc["orders"] as? Int)), "a consistent snapshot: \(doc)")
        let again = try cli.ok("backup", backup, "--json").object()
        let ordersInBackup = try XCTUnwrap(again["orders"] as? Int)
        XCTAssertEqual(ordersInBackup, 20, "an existing backup is replaced by a checked one")

        try cli.ok("order", "new", "--customer", "C1", "--line", "W:1", "--split", "yes")
        let after = try cli.ok("order", "list", "--json").array().count
        XCTAssertEqual(after, 21)

        // Not while a scheduler has the database open.
        let scheduler = try cli.start(["scheduler", "--poll", "0.2"])
        var waited = 0
        while !FileManager.default.fileExists(atPath: cli.db + "-shm") && waited < 100 { usleep(50_000); waited += 1 }
        usleep(300_000)
        try cli.refused("restore", backup, mentions: "is open in another process (pid \(scheduler.process.processIdentifier))")
        kill(scheduler.process.processIdentifier, SIGTERM)
        _ = scheduler.finish()
        try cli.refused("restore", backup, mentions: "unknown user", env: ["BACKORDERS_USER": "nobody-\(getpid())"])
        let r = try cli.ok("restore", backup, "--json").object()
        let kept = try XCTUnwrap(r["replaced_kept_as"] as? String)
        XCTAssertTrue(FileManager.default.fileExists(atPath: kept), "the replaced database is kept beside it")
        XCTAssertEqual(try cli.ok("order", "list", "--json").array().count, ordersInBackup)
        try cli.ok("check")
        let keptCLI = try Backorders(home: dir.path, db: kept)
        XCTAssertEqual(try keptCLI.ok("order", "list", "--json").array().count, 21, "the replaced file is whole")

        // A damaged or foreign copy is refused and changes nothing.
        let junk = dir.file("junk.sqlite")
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: junk))
        try cli.refused("restore", junk, mentions: "is not a Backorders database")
        try cli.refused("restore", dir.file("missing.sqlite"), mentions: "there is no file")
        XCTAssertEqual(try cli.ok("order", "list", "--json").array().count, ordersInBackup)
    }

    // MARK: - Memory stays bounded on a huge CSV

    /// Runs the binary, returning its exit status, stderr and peak memory (kB).
    func measured(_ args: [String]) throws -> (status: Int32, stderr: String, maxRSSKB: Int) {
        let err = dir.file("measured-\(UUID().uuidString.prefix(6)).err")
        FileManager.default.createFile(atPath: err, contents: nil)
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_TRUNC, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let argv = ([cli.binary.path] + args).map { strdup($0) } + [nil]
        let env = cli.environment([:]).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + env).forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, cli.binary.path, &actions, nil, argv, env) == 0 else { throw CLIError("cannot spawn") }
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, 0, &usage) == pid else { throw CLIError("wait4 failed") }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (code, (try? String(contentsOfFile: err, encoding: .utf8)) ?? "", usage.ru_maxrss)
    }

    func testAHugeCSVIsReadInBoundedMemoryAndRefusedNamingTheBadRow() throws {
        try initDesk()
        let rows = Self.long ? 1_000_000 : 200_000
        let path = dir.file("huge.csv")
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data("order_ref,customer,lic,qty,unit_cents,location,priority,policy,schedule_date\n".utf8))
        var chunk = ""
        for i in 1...rows {
            chunk += i == rows ? "R\(i),C1,W,\"2\n" : "R\(i),C1,W,2,,MAIN,0,partial,\n"
            if chunk.utf8.count > 1 << 20 { try handle.write(contentsOf: Data(chunk.utf8)); chunk = "" }
        }
        try handle.write(contentsOf: Data(chunk.utf8))
        try handle.close()
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let r = try measured(["import", "orders", path, "--split", "yes"])
        print("huge CSV: \(rows) rows, \(size) bytes, refused; peak RSS \(r.maxRSSKB) kB")
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("huge.csv row \(rows + 1), column qty: a quoted cell is never closed (it starts '2')"), r.stderr)
        XCTAssertLessThan(r.stderr.count, 400)
        // Bounded: well under the file's own size times a small factor, and under 150 MB whatever the rows.
        XCTAssertLessThan(r.maxRSSKB, 150_000, "peak memory \(r.maxRSSKB) kB for a \(size / 1_000_000) MB file")
        XCTAssertEqual(try cli.ok("order", "list", "--json").array().count, 0, "nothing was imported")
        try cli.ok("check")
    }

    // MARK: - Interrupted runs

    func testAKilledProcessRunLocksNothingAndShowsAsInterrupted() throws {
        try initDesk()
        try cli.ok("lic", "add", "Y")
        var csv = "order_ref,customer,lic,qty\n"
        for i in 1...3000 { csv += "R\(i),C1,Y,1\n" }
        try csv.write(toFile: dir.file("y.csv"), atomically: true, encoding: .utf8)
        try cli.ok("import", "orders", dir.file("y.csv"), "--split", "yes")
        try cli.ok("receive", "Y", "3000")
        var interrupted = false
        for _ in 0..<8 {
            let run = try cli.start(["process", "primary"])
            usleep(UInt32.random(in: 150_000...900_000))
            kill(run.process.processIdentifier, SIGKILL)
            if run.finish().status == 0 { break } // it finished first: the work is done
            let runs = try cli.ok("runs", "--json").array().compactMap { $0 as? [String: Any] }
            if runs.first?["status"] as? String == "interrupted" { interrupted = true; break }
        }
        try cli.ok("check")
        let t0 = Date()
        try cli.ok("process", "primary")
        XCTAssertLessThan(Date().timeIntervalSince(t0), 30, "no stale lease to wait out")
        let runs = try cli.ok("runs", "--json").array().compactMap { $0 as? [String: Any] }
        XCTAssertEqual(runs.first?["status"] as? String, "finished")
        XCTAssertFalse(runs.contains { $0["finished_at"] is NSNull }, "every run is closed: \(runs)")
        if interrupted {
            XCTAssertTrue(runs.contains { $0["interrupted"] as? Bool == true && ($0["error"] as? String ?? "").contains("interrupted") })
            XCTAssertTrue(try cli.ok("runs").stdout.contains("interrupted"))
        }
        let y = try cli.ok("lic", "show", "Y", "--json").object()
        XCTAssertEqual(y["allotted"] as? Int, 3000, "the next run completed the work")
        try cli.ok("check")
    }
}
