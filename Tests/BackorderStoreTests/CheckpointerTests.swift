import TestSupport
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// The write-ahead log is copied into the file off the writer's commits, and started over.
final class CheckpointerTests: XCTestCase {
    func testTheLogIsCopiedInTheBackgroundAndStartedOver() throws {
        let dir = try TempDir(prefix: "ckpt")
        let path = dir.file("ckpt.sqlite")
        let database = try AppDatabase(path: path, create: true)
        try database.write { db in try db.execute(sql: "CREATE TABLE blob (b BLOB NOT NULL)") }
        func size(_ p: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0 }
        let before = size(path)
        // 24 MB in commits of 1 MB: past the 16 MB limit, short of the inline fallback (64 MB).
        for _ in 0..<24 {
            try database.write { db in
                try db.execute(sql: "INSERT INTO blob (b) VALUES (zeroblob(1048576))")
            }
        }
        database.checkpointer.drain()
        XCTAssertGreaterThan(database.checkpointer.completed, 0, "no checkpoint ran")
        XCTAssertGreaterThan(size(path), before + 16 << 20, "the pages reached the file without the writer closing it")
        // The log was started over: the next commit writes at its beginning.
        try database.write { db in try db.execute(sql: "INSERT INTO blob (b) VALUES (x'00')") }
        let frames = try DatabaseQueue(path: path).writeWithoutTransaction { db in
            try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")![1] as Int
        }
        XCTAssertLessThan(frames, 100, "the log goes on growing")
    }
}
