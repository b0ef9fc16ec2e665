import Foundation
import XCTest

/// Compares `text` with `<directory>/<named>.txt`. With RECORD_GOLDENS=1 in
/// the environment the file is (re)written instead and the check passes.
public func assertGolden(_ text: String, named name: String, directory: URL,
                         file: StaticString = #filePath, line: UInt = #line) {
    let url = directory.appendingPathComponent(name + ".txt")
    let actual = text.hasSuffix("\n") ? text : text + "\n"
    if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            XCTFail("could not record golden \(url.path): \(error)", file: file, line: line)
        }
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("""
            missing golden file \(url.path)
            record it with: RECORD_GOLDENS=1 swift test --filter <this test>
            actual:
            \(actual)
            """, file: file, line: line)
        return
    }
    guard expected != actual else { return }
    XCTFail(goldenDifference(expected: expected, actual: actual, path: url.path), file: file, line: line)
}

/// A readable account of where two texts first differ.
public func goldenDifference(expected: String, actual: String, path: String) -> String {
    let e = expected.components(separatedBy: "\n")
    let a = actual.components(separatedBy: "\n")
    var report = "does not match golden \(path)\n"
    for i in 0..<max(e.count, a.count) {
        let el = i < e.count ? e[i] : "<no line>"
        let al = i < a.count ? a[i] : "<no line>"
        if el != al {
            report += "first difference at line \(i + 1):\n  expected: |\(el)|\n  actual:   |\(al)|\n"
            break
        }
    }
    report += "actual text:\n\(actual)\n(re-record with RECORD_GOLDENS=1 if the change is intended)"
    return report
}

/// Where `swift build` put the executables of this package (the folder of
/// the running test bundle), for tests that run a built program.
public enum BuildProducts {
    public static var directory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The built executable `name`, or nil when it was not built.
    public static func executable(named name: String) -> URL? {
        var dir = directory
        // Bundles on macOS sit in .../debug/X.xctest/Contents/MacOS.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}
