import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// `PRAGMA data_version` on a dedicated connection sees every other connection's commits.
final class ChangeWatcherTests: XCTestCase {
    func testSeesCommitsOfOtherConnectionsAndProcessesOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("w.sqlite").path
        let database = try AppDatabase(path: path, create: true)
        let watcher = try database.changeWatcher()
        XCTAssertFalse(try watcher.poll(), "nothing committed yet")

        try database.write { db in try db.execute(sql: "INSERT INTO location (code) VALUES ('EAST')") }
        XCTAssertTrue(try watcher.poll(), "a commit by this process's pool is another connection's")
        XCTAssertFalse(try watcher.poll(), "each commit is reported once")

        _ = try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM location") }
        XCTAssertFalse(try watcher.poll(), "reads change nothing")

        // Another process's connection: a second, independent pool on the same file.
        let other = try AppDatabase(path: path, create: false)
        try other.write { db in try db.execute(sql: "INSERT INTO location (code) VALUES ('WEST')") }
        XCTAssertTrue(try watcher.poll())
    }
}
