import Foundation
import TestSupport
import XCTest

/// The terminal UI refuses politely without a terminal.
final class TUICommandTests: XCTestCase {
    func testTheUIRefusesWithoutATerminal() throws {
        guard let exe = BuildProducts.executable(named: "backorders") else { throw XCTSkip("backorders was not built") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tui-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("x.sqlite").path
        for arguments in [["--db", db], ["tui", "--db", db], ["demo", "--db", db]] {
            let r = try Subprocess.run(executable: exe.path, arguments: arguments + ["--user", "tester"], timeout: 30)
            XCTAssertEqual(r.status, 1, "\(arguments)")
            XCTAssertTrue(r.stderr.contains("the terminal UI needs a terminal on stdin and stdout"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: db), "nothing was created")
    }

    func testHelpStillListsTheSubcommandsWithTuiAsTheDefault() throws {
        guard let exe = BuildProducts.executable(named: "backorders") else { throw XCTSkip("backorders was not built") }
        let root = try Subprocess.run(executable: exe.path, arguments: ["--help"], timeout: 30)
        XCTAssertEqual(root.status, 0)
        XCTAssertTrue(root.stdout.contains("SUBCOMMANDS:") && root.stdout.contains("tui"), root.stdout)
        let tui = try Subprocess.run(executable: exe.path, arguments: ["tui", "--help"], timeout: 30)
        XCTAssertEqual(tui.status, 0)
        XCTAssertTrue(tui.stdout.contains("--theme"), tui.stdout)
        let bad = try Subprocess.run(executable: exe.path, arguments: ["--bogus"], timeout: 30)
        XCTAssertEqual(bad.status, 64, "usage errors keep their status")
    }
}
