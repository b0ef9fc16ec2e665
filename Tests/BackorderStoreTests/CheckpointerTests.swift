import TestSupport
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// The write-ahead log is copied into the file off the writers' commits.
final class CheckpointerTests: XCTestCase {
    func testTheLogIsCopiedInTheBackgroundAndStartedOver() throws {
        let dir = try TempDir(prefix: "ckpt")
        let path = dir.file("ckpt.sqlite")
        let database = try AppDatabase(path: path, create: true)
        try database.write { db in try db.execute(sql: "CREATE TABLE blob (b BLOB NOT NULL)") }
        func size(_ p: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0 }
        let before = size(path)
        database.checkpointer.drain()
        // 20 MB in one commit: past the 16 MB limit.
        try database.write { db in
            for _ in 0..<20 { try db.execute(sql: "INSERT INTO blob (b) VALUES (zeroblob(1048576))") }
        }
        database.checkpointer.drain()
        XCTAssertGreaterThan(database.checkpointer.completed, 0, "no checkpoint ran")
        XCTAssertGreaterThan(size(path), before + 16 << 20, "the pages reached the file without the writer closing it")
        // All of it copied, the next writer starts the log over: its commit is at the beginning.
        try database.write { db in try db.execute(sql: "INSERT INTO blob (b) VALUES (x'00')") }
        let frames = try DatabaseQueue(path: path).writeWithoutTransaction { db in
            try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")![1] as Int
        }
        XCTAssertLessThan(frames, 100, "the log goes on growing")
    }

    /// A checkpoint asked for (after a bulk load) while the background one runs waits for it:
    /// SQLite refuses a second checkpointer at once instead of waiting.
    func testAnAskedForCheckpointWaitsForTheBackgroundOne() throws {
        let dir = try TempDir(prefix: "ckpt")
        let path = dir.file("ckpt.sqlite")
        let database = try AppDatabase(path: path, create: true)
        try database.write { db in try db.execute(sql: "CREATE TABLE blob (b BLOB NOT NULL)") }
        // A long log, copied in the background while more commits come.
        for i in 0..<6 {
            try database.write { db in
                for _ in 0..<(i == 0 ? 70 : 5) { try db.execute(sql: "INSERT INTO blob (b) VALUES (zeroblob(1048576))") }
            }
        }
        try database.checkpoint()
        func size(_ p: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0 }
        XCTAssertEqual(size(path + "-wal"), 0, "the log was truncated")
    }

    /// When a commit schedules a checkpoint: by the frames not yet copied, so that a long run's
    /// commits (its log cannot start over) do not each ask.
    func testACheckpointIsDueForEvery16MBNotYetCopied() throws {
        let dir = try TempDir(prefix: "ckpt")
        let checkpointer = Checkpointer(path: dir.file("none.sqlite")) // never opens: no such file
        let limit = Checkpointer.frames
        XCTAssertEqual(checkpointer.schedulesAfter(commitLeaving: limit - 1), .nothing)
        XCTAssertEqual(checkpointer.schedulesAfter(commitLeaving: limit), .background)
        checkpointer.copied(upTo: limit + 10)
        XCTAssertEqual(checkpointer.schedulesAfter(commitLeaving: limit + 500), .nothing, "copied up to here already")
        XCTAssertEqual(checkpointer.schedulesAfter(commitLeaving: 2 * limit + 10), .background)
        checkpointer.copied(upTo: 2 * limit + 10)
        XCTAssertEqual(checkpointer.schedulesAfter(commitLeaving: 2 * limit + 100), .nothing)
        XCTAssertEqual(checkpointer.schedulesAfter(commitLeaving: 5 * limit), .background, "far behind: still not in the commit")
        XCTAssertEqual(checkpointer.schedulesAfter(commitLeaving: 20), .nothing, "the log started over")
        XCTAssertEqual(checkpointer.schedulesAfter(commitLeaving: limit + 20), .background)
    }
}

extension Checkpointer {
    enum Due { case nothing, background }
    /// What a commit leaving `frames` in the log does, once any checkpoint it scheduled has run.
    func schedulesAfter(commitLeaving frames: Int32) -> Due {
        let before = checkpointsBegun
        committed(frames: frames)
        drain()
        return checkpointsBegun > before ? .background : .nothing
    }
}
