import TestSupport
import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// Issue 14 on the database file: reads never write or wait for a writer, a newer file is left
/// byte for byte as it was, user-worded refusals, private (or group) modes, busy writes that say
/// who is writing.
final class FileReliabilityTests: XCTestCase {
    var dir: TempDir!

    override func setUpWithError() throws { dir = try TempDir(prefix: "file-reliability") }
    override func tearDown() {
        unsetenv("BACKORDERS_BUSY_TIMEOUT")
        dir = nil
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }
    func mode(_ path: String) -> mode_t {
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0, path)
        return st.st_mode & 0o7777
    }

    /// A current database, closed (checkpointed), with one location.
    func makeDatabase(_ name: String) throws -> String {
        let path = dir.file(name)
        let database = try AppDatabase(path: path, create: true)
        try database.write { try $0.execute(sql: "INSERT INTO location (code) VALUES ('MAIN')") }
        try database.close()
        return path
    }

    // MARK: - A newer file is refused without changing a byte

    func testANewerFileIsRefusedWithoutChangingAByteInWALAndRollbackModes() throws {
        for journal in ["wal", "delete"] {
            let path = try makeDatabase("newer-\(journal).sqlite")
            do {
                let queue = try DatabaseQueue(path: path)
                try queue.writeWithoutTransaction { db in
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
                    _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = \(journal.uppercased())")
                }
                try queue.close()
            }
            for s in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
            let before = try bytes(path)
            XCTAssertEqual(before[18], journal == "wal" ? 2 : 1, "header journal mode of the \(journal) file")
            for create in [false, true] {
                XCTAssertThrowsError(try AppDatabase(path: path, create: create)) { e in
                    XCTAssertEqual(e as? AppDatabase.OpenError, .newer(path), "\(e)")
                    XCTAssertTrue("\(e)".contains("nothing was changed"))
                }
            }
            XCTAssertEqual(try bytes(path), before, "the \(journal) file changed")
            if journal == "delete" {
                XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"), "a rollback-journal file was switched to WAL")
            }
        }
    }

    // MARK: - Reads never write and never wait for a writer

    func testOpeningAndReadingLeaveTheFileAsItWas() throws {
        let path = try makeDatabase("quiet.sqlite")
        let before = try bytes(path)
        let database = try AppDatabase(path: path, create: false)
        XCTAssertEqual(try database.read { try String.fetchAll($0, sql: "SELECT code FROM location") }, ["MAIN"])
        try database.close()
        XCTAssertEqual(try bytes(path), before, "opening and reading wrote to the database")
    }

    func testReadsDoNotWaitForAWriterAndSeeTheLastCommit() throws {
        let path = try makeDatabase("busy.sqlite")
        setenv("BACKORDERS_BUSY_TIMEOUT", "0.5", 1)
        // Another process's long write, held open; a process run holds its lease.
        var config = Configuration()
        config.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path, configuration: config)
        try other.writeWithoutTransaction { db in
            try db.execute(sql: "INSERT INTO location (code) VALUES ('EAST')")
            try db.execute(sql: """
                INSERT INTO process_lease (process, holder, expires_at, pid, host, heartbeat_at)
                VALUES ('primary', 'x', 1e12, ?, ?, 1e12)
                """, arguments: [getpid(), LeaseHolder.thisHost])
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "INSERT INTO location (code) VALUES ('UNCOMMITTED')")
        }
        defer { try? other.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") } }
        let t0 = Date()
        let database = try AppDatabase(path: path, create: false)
        let codes = try database.read { try String.fetchAll($0, sql: "SELECT code FROM location ORDER BY id") }
        XCTAssertEqual(codes, ["MAIN", "EAST"], "a reader sees the last commit, not the open transaction")
        XCTAssertLessThan(Date().timeIntervalSince(t0), 0.45, "opening and reading waited for the writer")

        // A write cannot get the lock within its budget: a plain refusal naming who is writing.
        XCTAssertThrowsError(try database.write { try $0.execute(sql: "INSERT INTO location (code) VALUES ('WEST')") }) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("another process kept writing"), text)
            XCTAssertTrue(text.contains("the primary backorder process (pid \(getpid()) on \(LeaseHolder.thisHost)) is running"), text)
            XCTAssertTrue(text.contains("safe to try again"), text)
            XCTAssertFalse(text.lowercased().contains("locked"), text)
            XCTAssertFalse(text.contains("SQLite error"), text)
        }
        try other.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        try database.write { try $0.execute(sql: "INSERT INTO location (code) VALUES ('WEST')") }
        XCTAssertEqual(try database.read { try String.fetchAll($0, sql: "SELECT code FROM location ORDER BY id") }, ["MAIN", "EAST", "WEST"],
                       "the refused write changed nothing, and the retry went through")
    }

    func testMigrationsRunOnlyWhenTheFileIsBehind() throws {
        let path = dir.file("behind.sqlite")
        do {
            // A file of the version before this one: every migration but the last.
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: Schema.migrator.migrations.dropLast().last!)
            try queue.close()
        }
        let database = try AppDatabase(path: path, create: false)
        XCTAssertEqual(try database.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }, Schema.migrator.migrations)
        XCTAssertTrue(try database.read { db in try Row.fetchAll(db, sql: "PRAGMA table_info(process_lease)").contains { $0["name"] == "heartbeat_at" } })
    }

    // MARK: - Refusals in a user's words

    func testADirectoryAMissingFolderAndAReadOnlyFileGetPlainMessages() throws {
        for create in [false, true] {
            XCTAssertThrowsError(try AppDatabase(path: dir.path, create: create)) { e in
                XCTAssertEqual("\(e)", "\(dir.path) is a directory, not a Backorders database; give the path of a database file")
            }
        }
        let nested = dir.file("no/such/folder/desk.sqlite")
        XCTAssertThrowsError(try AppDatabase(path: nested, create: true)) { e in
            XCTAssertTrue("\(e)".contains("the folder \(dir.file("no/such/folder")) does not exist"), "\(e)")
        }
        XCTAssertThrowsError(try AppDatabase(path: nested, create: false)) { e in
            XCTAssertTrue("\(e)".contains("does not exist"), "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("no")), "nothing was created")

        let path = try makeDatabase("readonly.sqlite")
        XCTAssertEqual(chmod(path, 0o444), 0)
        let before = try bytes(path)
        let database = try AppDatabase(path: path, create: false)
        XCTAssertTrue(database.isReadOnly)
        XCTAssertEqual(try database.read { try String.fetchAll($0, sql: "SELECT code FROM location") }, ["MAIN"], "a read-only database opens for reading")
        XCTAssertThrowsError(try database.write { try $0.execute(sql: "INSERT INTO location (code) VALUES ('X')") }) { e in
            XCTAssertEqual("\(e)", "\(path) is read-only: the desk can show it but not change it; nothing was changed")
        }
        try database.close()
        XCTAssertEqual(try bytes(path), before)
        for e in [AppDatabase.OpenError.directory("x"), .noFolder("a/b"), .readOnlyBehind("x"), .cannot("x", "y")] {
            XCTAssertFalse(e.description.contains("disk I/O"))
            XCTAssertFalse(e.description.contains("grdb_"))
        }
    }

    // MARK: - Private files

    func testANewDatabaseIsPrivateAndItsFolderToo() throws {
        let path = dir.file("data/backorders/desk.sqlite")
        let database = try AppDatabase(path: path, create: true, options: .init(createFolders: true))
        try database.write { try $0.execute(sql: "INSERT INTO location (code) VALUES ('MAIN')") }
        XCTAssertEqual(mode(path), 0o600)
        XCTAssertEqual(mode(path + "-wal"), 0o600)
        XCTAssertEqual(mode(path + "-shm"), 0o600)
        XCTAssertEqual(mode(dir.file("data/backorders")), 0o700)
        XCTAssertEqual(mode(dir.file("data")), 0o700)
    }

    func testAGroupSharedDatabase() throws {
        guard let g = getgrgid(getegid()) else { throw XCTSkip("no group entry for this process") }
        let name = String(cString: g.pointee.gr_name)
        let path = dir.file("shared/desk.sqlite")
        let database = try AppDatabase(path: path, create: true, options: .init(group: name, createFolders: true))
        try database.write { try $0.execute(sql: "INSERT INTO location (code) VALUES ('MAIN')") }
        XCTAssertEqual(mode(path), 0o660)
        XCTAssertEqual(mode(path + "-wal"), 0o660)
        XCTAssertEqual(mode(path + "-shm"), 0o660)
        XCTAssertEqual(mode(dir.file("shared")), 0o2770)
        var st = stat()
        stat(path, &st)
        XCTAssertEqual(st.st_gid, getegid())
        XCTAssertThrowsError(try AppDatabase(path: dir.file("x.sqlite"), create: true, options: .init(group: "no-such-group-\(getpid())"))) { e in
            XCTAssertTrue("\(e)".contains("there is no such group"), "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("x.sqlite")))
    }

    // MARK: - Backup

    func testBackupIsACheckedConsistentCopyAndRefusesItself() throws {
        let path = try makeDatabase("live.sqlite")
        let database = try AppDatabase(path: path, create: false)
        let copy = dir.file("copy.sqlite")
        let report = try database.backup(to: copy)
        XCTAssertTrue(report.isSound)
        XCTAssertEqual(report.counts.first { $0.name == "locations" }?.rows, 1)
        XCTAssertEqual(mode(copy), 0o600)
        XCTAssertFalse(FileManager.default.fileExists(atPath: copy + "-wal"), "a backup is one file")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: copy))[18], 1, "in rollback-journal mode")
        XCTAssertThrowsError(try database.backup(to: path)) { e in XCTAssertTrue("\(e)".contains("is the database itself"), "\(e)") }
        XCTAssertThrowsError(try database.backup(to: dir.path)) { e in XCTAssertTrue("\(e)".contains("is a directory"), "\(e)") }
        XCTAssertEqual(try AppDatabase.inspectCopy(copy), report)
    }
}
