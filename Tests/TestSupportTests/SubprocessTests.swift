import Foundation
import TestSupport
import XCTest

final class SubprocessTests: XCTestCase {
    func testCapturesStdoutStderrAndStatus() throws {
        let r = try Subprocess.run(executable: "/bin/sh", arguments: ["-c", "echo out; echo err >&2; exit 3"])
        XCTAssertEqual(r.status, 3)
        XCTAssertEqual(r.stdout, "out\n")
        XCTAssertEqual(r.stderr, "err\n")
    }

    func testSearchesPathAndPassesEnvironment() throws {
        let r = try Subprocess.run(executable: "sh", arguments: ["-c", "echo $GREETING"],
                                   environment: ["GREETING": "hello", "PATH": "/usr/bin:/bin"])
        XCTAssertEqual(r.stdout, "hello\n")
        XCTAssertThrowsError(try Subprocess.run(executable: "/no/such/program"))
    }

    func testStdinRoundTrip() throws {
        let input = (1...2000).map { "line \($0)" }.joined(separator: "\n")
        let r = try Subprocess.run(executable: "/bin/cat", stdin: input)
        XCTAssertEqual(r.stdout, input)
        let none = try Subprocess.run(executable: "/bin/cat")
        XCTAssertEqual(none.stdout, "", "no stdin means /dev/null, not a hang")
    }

    func testLargeOutputOnBothPipesDoesNotDeadlock() throws {
        let r = try Subprocess.run(executable: "/bin/sh", arguments: ["-c", "head -c 2000000 /dev/zero | tr '\\0' a; head -c 1000000 /dev/zero | tr '\\0' b >&2"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout.utf8.count, 2_000_000)
        XCTAssertEqual(r.stderr.utf8.count, 1_000_000)
    }

    func testKilledBySignalAndTimeout() throws {
        let r = try Subprocess.run(executable: "/bin/sh", arguments: ["-c", "kill -TERM $$"])
        XCTAssertEqual(r.status, 128 + SIGTERM)
        let start = Date()
        let slow = try Subprocess.run(executable: "/bin/sleep", arguments: ["30"], timeout: 0.3)
        XCTAssertEqual(slow.status, 128 + SIGKILL)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    func testChildGetsDefaultSignalHandling() throws {
        // Even if this process ignores SIGINT, the child must not inherit that.
        let old = signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, old) }
        let r = try Subprocess.run(executable: "/bin/sh", arguments: ["-c", "kill -INT $$; sleep 5; echo survived"], timeout: 10)
        XCTAssertEqual(r.status, 128 + SIGINT)
        XCTAssertEqual(r.stdout, "")
    }
}

final class GoldenTests: XCTestCase {
    func testDifferenceReport() {
        let report = goldenDifference(expected: "a\nb\nc\n", actual: "a\nx\nc\n", path: "/g/x.txt")
        XCTAssertTrue(report.contains("line 2"), report)
        XCTAssertTrue(report.contains("expected: |b|"), report)
        XCTAssertTrue(report.contains("actual:   |x|"), report)
        XCTAssertTrue(report.contains("RECORD_GOLDENS=1"), report)
    }

    func testMatchingGoldenPasses() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "hello\n".write(to: dir.appendingPathComponent("g.txt"), atomically: true, encoding: .utf8)
        assertGolden("hello", named: "g", directory: dir)
    }
}
