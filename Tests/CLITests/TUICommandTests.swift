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
}
