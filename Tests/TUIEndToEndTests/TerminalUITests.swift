import BackorderStore
import Foundation
import TestSupport
import XCTest

/// The real `backorders` binary in a private tmux server (100×30), driven by keys, read back
/// with capture-pane. Every wait polls for text; nothing sleeps a fixed time. The desk is a
/// file, or — when `BACKORDERS_TEST_POSTGRES` names a server — a new database there holding a
/// copy of the demo (`backorders copy --to`), dropped after the test.
final class TerminalUITests: XCTestCase {
    struct DemoFailed: Error { var stderr: String }

    static let user = "tester"
    static let today = "2026-11-21"

    /// A demo database made once by the binary itself (`demo --no-tui`).
    static let template: Result<String, Error> = Result {
        guard let exe = BuildProducts.executable(named: "backorders") else {
            throw XCTSkip("the backorders binary was not built next to the tests")
        }
        let db = try TempDir.forTheRun(prefix: "tui-e2e-template").file("demo.sqlite")
        let r = try Subprocess.run(executable: exe.path, arguments: ["demo", "--no-tui", "--db", db, "--user", user, "--today", today],
                                   timeout: 120)
        guard r.status == 0 else { throw DemoFailed(stderr: r.stderr) }
        return db
    }

    var binary: String { BuildProducts.executable(named: "backorders")!.path }
    private var cleanup: [URL] = []
    private var databases: [String] = []

    /// The PostgreSQL server the tests run on, if any.
    static let server: PostgresAddress? = ProcessInfo.processInfo.environment["BACKORDERS_TEST_POSTGRES"]
        .flatMap { $0.isEmpty ? nil : try? PostgresAddress($0) }

    override func tearDown() {
        for u in cleanup { try? FileManager.default.removeItem(at: u) }
        if let server = Self.server { for name in databases { try? PostgresStore.dropDatabase(name, on: server) } }
    }

    /// A folder of the test's own, removed after it.
    func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tui-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        cleanup.append(dir)
        return dir.path
    }

    /// Where a new desk named `name` goes: a file in a scratch folder, or a new, empty database
    /// on the test server.
    func newDesk(_ name: String) throws -> String {
        guard let server = Self.server else { return try scratch() + "/\(name).sqlite" }
        let database = "t_\(name)_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try PostgresStore.createDatabase(database, on: server)
        databases.append(database)
        return server.with(database: database).description
    }

    /// A copy of the demo database for one test.
    func database() throws -> String {
        let template = try Self.template.get()
        let db = try newDesk("demo")
        if Self.server != nil {
            let r = try Subprocess.run(executable: binary, arguments: ["copy", "--to", db, "--db", template, "--user", Self.user], timeout: 120)
            guard r.status == 0 else { throw DemoFailed(stderr: r.stderr) }
            return db
        }
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: template + suffix) {
            try FileManager.default.copyItem(atPath: template + suffix, toPath: db + suffix)
        }
        return db
    }

    func session(_ arguments: String, db: String, width: Int = 100, height: Int = 30) throws -> TmuxSession {
        try TmuxSession(command: "'\(binary)' \(arguments) --db '\(db)' --user \(Self.user) --today \(Self.today)",
                        width: width, height: height)
    }

    func testSwitchScreensEnterTheTextbookOrderAnswerYesResizeAndQuit() throws {
        let db = try database()
        let s = try session("", db: db)   // no subcommand: the terminal UI
        try s.waitUntil(description: "first frame") { $0.contains("1 Orders  2 Backorders  3 Items  4 Purchasing  5 Reports  6 Preferences") && $0.contains("1/200") }
        try s.sendKeys("2")
        try s.waitFor("Backordered items")
        try s.sendKeys("3")
        try s.waitFor("Items at MAIN")
        try s.sendKeys("6")
        try s.waitFor("Automation schedules")
        try s.sendKeys("1")
        try s.waitFor("Record log")

        try s.sendKeys("n")
        try s.waitFor("New order")
        try s.sendText("hill")
        try s.waitFor("Hillcrest High School")
        try s.sendKeys("Enter")
        try s.sendText("TEXTBOOK")
        try s.waitFor("Algebra I textbook")
        try s.sendKeys("Enter")
        try s.sendText("25")
        try s.sendKeys("Enter")
        try s.waitFor("Only 20 of 25 available. Split by availability?  [Y]es  [N]o  [Esc] back")
        try s.sendKeys("y")
        try s.waitUntil(description: "the two lines") { $0.contains("allotted now") && $0.contains("backordered") }
        try s.sendKeys("C-s")
        let saved = try s.waitFor("Order 1201 saved for HILLCREST-HS: 2 line(s), 1 backordered.")
        XCTAssertTrue(saved.contains("1201     backorder"), saved)

        try s.resize(width: 60, height: 15)
        try s.waitFor("Terminal too small")
        try s.resize(width: 100, height: 30)
        try s.waitUntil(description: "recovered") { $0.contains("Order 1201") && $0.contains("Record log") }

        try s.sendKeys("q")
        let end = try s.waitFor("[exit:0]")
        XCTAssertFalse(end.contains("Record log"), "the terminal is restored")
    }

    func testAnotherProcessesReceiptAppearsWithinASecond() throws {
        let db = try database()
        let s = try session("tui", db: db)
        try s.waitFor("1/200")
        try s.sendKeys("3", "/")
        try s.sendText("PEN-BLK")
        try s.sendKeys("Enter")
        try s.waitUntil(description: "PEN-BLK at 146") { $0.contains("PEN-BLK") && $0.contains("    146 ") }
        let started = Date()
        let r = try Subprocess.run(executable: binary, arguments: ["receive", "PEN-BLK", "7", "--db", db, "--user", Self.user], timeout: 30)
        XCTAssertEqual(r.status, 0, r.stderr)
        let posted = Date()
        try s.waitUntil(timeout: 3, description: "the receipt on screen") { $0.contains("    153 ") }
        let seen = Date().timeIntervalSince(posted)
        print("timing: another process's receipt on screen \(Int(seen * 1000)) ms after it committed")
        XCTAssertLessThan(seen, 1.2, "shown \(seen) s after the other process committed (\(posted.timeIntervalSince(started)) s to post)")
        try s.sendKeys("C-c")
        try s.waitFor("[exit:0]")
    }

    func testSigtermAndSighupRestoreTheTerminal() throws {
        for (signal, name) in [(SIGTERM, "TERM"), (SIGHUP, "HUP")] {
            let db = try database()
            let pidFile = URL(fileURLWithPath: try scratch() + "/app.pid")
            let command = "sh -c 'echo $$ > \(pidFile.path); exec \(binary) --db \(db) --user \(Self.user) --today \(Self.today)'"
            let s = try TmuxSession(command: command, width: 100, height: 30)
            try s.waitFor("1/200")
            let pid = try XCTUnwrap(pid_t(String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
            XCTAssertEqual(kill(pid, signal), 0)
            let screen = try s.waitFor("[exit:\(128 + signal)]")
            XCTAssertFalse(screen.contains("Record log"), "SIG\(name): the terminal is restored")
        }
    }

    func testDemoLoadsThenOpensTheUI() throws {
        let db = try newDesk("fresh")
        // The title bar names the file, or the server's database.
        let title = Self.server == nil ? "fresh.sqlite" : try PostgresAddress(db).database
        let s = try session("demo", db: db)
        try s.waitUntil(timeout: 60, description: "the UI on the demo data") { $0.contains("Demo loaded") && $0.contains(title) }
        try s.sendKeys("q")
        try s.waitFor("[exit:0]")
    }

    func testQuittingWithAHalfTypedOrderAsksFirst() throws {
        let db = try database()
        let s = try session("", db: db)
        try s.waitFor("1/200")
        try s.sendKeys("n")
        try s.waitFor("New order")
        try s.sendText("hillq")
        try s.waitFor("hillq")
        try s.sendKeys("C-c")
        try s.waitFor("Quit and discard the order you are typing?")
        try s.sendKeys("n")
        try s.waitUntil(description: "back in the form") { !$0.contains("Quit and discard") && $0.contains("hillq") }
        try s.sendKeys("C-c")
        try s.waitFor("Quit and discard the order you are typing?")
        try s.sendKeys("y")
        try s.waitFor("[exit:0]")
    }

    /// A receiving clerk receives a PO on screen 4; its attached backorders fill at once, the rest
    /// of the receipt goes to the queue (processed on posting here), and screen 2 shows it.
    func testReceivingAPOOnScreen4FillsItsBackordersOnScreen2() throws {
        let db = try database()
        let cli = ["--db", db, "--user", Self.user, "--today", Self.today]
        XCTAssertEqual(try Subprocess.run(executable: binary, arguments: ["prefs", "set", "process_receipts_on_posting", "true"] + cli, timeout: 30).status, 0)
        func short() throws -> Int {
            let r = try Subprocess.run(executable: binary, arguments: ["report", "backorders", "--lic", "PEN-BLK", "--location", "MAIN", "--format", "json"] + cli, timeout: 30)
            return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [Any])?.count ?? -1
        }
        let before = try short()
        XCTAssertGreaterThan(before, 0)
        let s = try session("", db: db)
        try s.waitFor("1/200")
        try s.sendKeys("2", "/")
        try s.sendText("PEN-BLK MAIN")
        try s.sendKeys("Enter")
        try s.waitFor("\(before) lines")
        try s.sendKeys("4", "/")
        try s.sendText("PO-5003")
        try s.sendKeys("Enter")
        try s.waitFor("Purchase order PO-5003")
        try s.sendKeys("Enter", "r")
        try s.waitFor("against PO-5003")
        try s.sendKeys("Enter")
        try s.waitFor("Received 408 PEN-BLK")
        let after = try short()
        XCTAssertLessThan(after, before, "the PO's receipt filled backorders")
        try s.sendKeys("2")
        try s.waitFor(after == 0 ? "No backordered line matches the filter" : "\(after) lines")
        try s.sendKeys("q")
        try s.waitFor("[exit:0]")
    }

    func testExportTheBackorderReportAndReadItBack() throws {
        let db = try database()
        let out = try scratch() + "/backorder-report.csv"
        let s = try session("", db: db)
        try s.waitFor("1/200")
        try s.sendKeys("5")
        try s.waitFor("Backlog by product")
        try s.sendKeys("Tab", "e")
        try s.waitFor("Export")
        try s.sendText(out)
        try s.sendKeys("Enter")
        try s.waitFor("Exported")
        try s.sendKeys("q")
        try s.waitFor("[exit:0]")
        let written = try String(contentsOfFile: out, encoding: .utf8)
        let r = try Subprocess.run(executable: binary, arguments: ["report", "backorders", "--format", "csv", "--db", db, "--user", Self.user,
                                                                   "--today", Self.today], timeout: 30)
        XCTAssertEqual(written, r.stdout, "the file is the command's CSV")
        XCTAssertTrue(written.hasPrefix("order,customer,lic,location,ordered,shipped,backordered"), written)
    }

    /// No scheduler service runs: the open desk runs 7792 when it is due, in the background, and
    /// the run is recorded as the desk's.
    func testADeskOpenedWith7792DueRunsItAndRecordsItAsTheDesks() throws {
        let db = try database()
        // The demo's 7792 last ran minutes before it was made; a day later it is long due.
        let nextDay = "2026-11-22"
        let s = try TmuxSession(command: "'\(binary)' --db '\(db)' --user \(Self.user) --today \(nextDay)", width: 100, height: 30)
        try s.waitFor("1/200")
        let screen = try s.waitFor("ran on schedule (by this desk)", timeout: 30)
        XCTAssertTrue(screen.contains("7792 Primary Backorder Process"), screen)
        // The title bar shortens its schedule to "30m" when the desk's name is long (a server's database).
        try s.waitUntil(description: "7792 next due in 30 minutes") { $0.contains("7792 in 30 min") || $0.contains("7792 in 30m ·") }
        let r = try Subprocess.run(executable: binary, arguments: ["runs", "--json", "--db", db, "--user", Self.user], timeout: 30)
        let runs = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? []
        let primary = try XCTUnwrap(runs.first { $0["process"] as? String == "primary" }, r.stdout)
        XCTAssertEqual(primary["actor"] as? String, "desk:\(Self.user)", "the run is the desk's")
        XCTAssertNotNil(primary["finished_at"] as? String)
        try s.sendKeys("q")
        try s.waitFor("[exit:0]")
    }
}
