import Foundation

/// A fresh directory under the system temporary directory, removed when the value goes away.
final class TempDir: @unchecked Sendable {
    let url: URL
    init(prefix: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("backorders-\(prefix)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    var path: String { url.path }
    func file(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit {
        if ProcessInfo.processInfo.environment["KEEP_TEST_DIRS"] == nil {
            try? FileManager.default.removeItem(at: url)
        }
    }
}
