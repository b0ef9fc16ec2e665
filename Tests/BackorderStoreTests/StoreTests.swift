import TestSupport
import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// The SQLite store against a temporary database FILE (not in memory): schema and migration,
/// reopening, refusing files that are not ours, the migrations of an existing desk, the C-API
/// statement. What holds on either engine (the ledger, all or nothing, the check) is in
/// StoreOnEitherEngineTests.
final class StoreTests: XCTestCase {
    var dir: TempDir!

    override func setUpWithError() throws { dir = try TempDir(prefix: "store") }
    override func tearDown() { dir = nil }

    let now = Moment(day: Day(year: 2026, month: 3, day: 2)!, secondOfDay: 9 * 3600)

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func assertOpenError(_ expected: AppDatabase.OpenError, _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? AppDatabase.OpenError, expected, "\(error)", file: file, line: line)
        }
    }

    /// A database with back order management on, location MAIN, LIC W, customers C1 and C2 (C2 priority 5).
    func makeDesk() throws -> (AppDatabase, lic: Int64, loc: Int64, c1: Int64, c2: Int64) {
        let database = try AppDatabase(path: dir.file("desk.sqlite"), create: true)
        let ids = try database.write { db -> (Int64, Int64, Int64, Int64) in
            try db.execute(sql: "UPDATE preferences SET backorder_management = 1")
            try db.execute(sql: "INSERT INTO location (code) VALUES ('MAIN')")
            let loc = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO lic (code, price_cents) VALUES ('W', 250)")
            let lic = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO customer (code) VALUES ('C1')")
            let c1 = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO customer (code, priority) VALUES ('C2', 5)")
            return (lic, loc, c1, db.lastInsertedRowID)
        }
        return (database, ids.0, ids.1, ids.2, ids.3)
    }

    // MARK: - Schema and migration

    func testMigrationCreatesTheSchemaInAFile() throws {
        let path = dir.file("new.sqlite")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let database = try AppDatabase(path: path, create: true)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        try database.read { db in
            XCTAssertEqual(try Int32.fetchOne(db, sql: "PRAGMA application_id"), 0x424B_4F52)
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "wal")
            let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            for t in ["location", "location_restriction", "app_user", "vendor", "lic", "customer", "reason", "balance", "ledger",
                      "supply_event", "orders", "order_line", "shipment", "shipment_item", "order_log", "preferences",
                      "schedule", "process_run", "process_lease", "counter", "invoice", "invoice_line", "purchase_order", "po_line",
                      "po_attachment", "queue_need", "bo_block", "unmet_block", "unmet_span"] {
                XCTAssertTrue(tables.contains(t), "table \(t) missing")
            }
            let triggers = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            XCTAssertEqual(triggers, ["ledger_no_update", "ledger_no_delete"])
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"), Schema.migrator.migrations)
            XCTAssertEqual(Array(Schema.migrator.migrations.prefix(5)), ["v1-desk", "v2-invoicing", "v3-purchasing", "v4-scale", "v5-fewer-line-indexes"])
            XCTAssertEqual(Schema.migrator.migrations.last, "v11-line-short-covers-the-fill")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM preferences"), 1)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT value FROM counter WHERE name = 'order_number'"), 1000)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT value FROM counter WHERE name = 'entry_seq'"), 0)
            XCTAssertEqual(try Int.fetchAll(db, sql: "SELECT code FROM schedule ORDER BY code"), [7792, 8050, 8101, 8102])
        }
    }

    func testPreferencesDefaultsOfAnEmptyDatabase() throws {
        let database = try AppDatabase(path: dir.file("p.sqlite"), create: true)
        let prefs = try database.read { try Preferences.load($0) }
        XCTAssertEqual(prefs, Preferences())
        XCTAssertFalse(prefs.backorderManagement, "§8: back order management starts off in an empty database")
        XCTAssertTrue(prefs.fairQueue)
        XCTAssertEqual(prefs.splitPrompt, .ask)
        XCTAssertEqual(prefs.defaultPolicy, .partial)
    }

    /// The record's keys are the table's columns, and every preference set and saved reads back.
    func testThePreferencesRecordIsTheRow() throws {
        let database = try AppDatabase(path: dir.file("p.sqlite"), create: true)
        let columns = try database.read { db in try db.columns(in: "preferences").map(\.name) }
        XCTAssertEqual(Set(columns), Set(Preferences.Key.allCases.map(\.rawValue) + ["id"]))
        var changed = Preferences()
        for key in Preferences.Key.allCases {
            switch key.kind {
            case .toggle: try changed.set(key, to: changed.value(key) == "true" ? "false" : "true")
            case .number(let range): try changed.set(key, to: String(range.upperBound))
            case .choice(let words): try changed.set(key, to: words.last!)
            }
        }
        try database.write { try changed.save($0) }
        let read = try database.read { try Preferences.load($0) }
        XCTAssertEqual(read, changed)
        for key in Preferences.Key.allCases { XCTAssertNotEqual(read.value(key), Preferences().value(key), key.rawValue) }
    }

    func testMissingFileWithoutCreateIsRefusedAndNotCreated() throws {
        let path = dir.file("missing.sqlite")
        assertOpenError(.missing(path)) { _ = try AppDatabase(path: path, create: false) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testReopeningKeepsTheDataAndDoesNotMigrateAgain() throws {
        let path = dir.file("reopen.sqlite")
        do {
            let database = try AppDatabase(path: path, create: true)
            try database.write { try $0.execute(sql: "INSERT INTO location (code, name) VALUES ('MAIN', 'Main')") }
        }
        // A second process or terminal opens the same file while the first still has it open.
        let first = try AppDatabase(path: path, create: false)
        let second = try AppDatabase(path: path, create: false)
        try second.write { try $0.execute(sql: "INSERT INTO location (code) VALUES ('EAST')") }
        XCTAssertEqual(try first.read { try String.fetchAll($0, sql: "SELECT code FROM location ORDER BY id") }, ["MAIN", "EAST"])
        XCTAssertEqual(try first.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM grdb_migrations") }, Schema.migrator.migrations.count)
    }

    func testEmptyFileIsTakenAsANewDatabase() throws {
        let path = dir.file("empty.sqlite")
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        let database = try AppDatabase(path: path, create: false)
        XCTAssertEqual(try database.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") }, 0x424B_4F52)
    }

    // MARK: - Files that are not ours

    func testNonSQLiteFileIsRefusedAndLeftUnchanged() throws {
        let path = dir.file("notes.txt")
        let text = Data(String(repeating: "This is a shopping list, not a database.\n", count: 200).utf8)
        try text.write(to: URL(fileURLWithPath: path))
        for create in [false, true] {
            assertOpenError(.notOurs(path)) { _ = try AppDatabase(path: path, create: create) }
        }
        XCTAssertEqual(try bytes(path), text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-shm"))
        XCTAssertTrue(AppDatabase.OpenError.notOurs(path).description.contains("nothing was changed"))
    }

    func testSomeoneElsesSQLiteFileIsRefusedAndLeftUnchanged() throws {
        let path = dir.file("other.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
                try db.execute(sql: "INSERT INTO notes (body) VALUES ('keep me')")
            }
            try queue.close()
        }
        let before = try bytes(path)
        for create in [false, true] {
            assertOpenError(.notOurs(path)) { _ = try AppDatabase(path: path, create: create) }
        }
        XCTAssertEqual(try bytes(path), before, "the other program's database was modified")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))

        // Another application's id, even without tables, is not ours either.
        let tagged = dir.file("tagged.sqlite")
        do {
            let queue = try DatabaseQueue(path: tagged)
            try queue.write { try $0.execute(sql: "PRAGMA application_id = 1234") }
            try queue.close()
        }
        let taggedBefore = try bytes(tagged)
        assertOpenError(.notOurs(tagged)) { _ = try AppDatabase(path: tagged, create: true) }
        XCTAssertEqual(try bytes(tagged), taggedBefore)
    }

    func testDatabaseFromANewerVersionIsRefused() throws {
        let path = dir.file("newer.sqlite")
        do {
            let database = try AppDatabase(path: path, create: true)
            try database.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        }
        assertOpenError(.newer(path)) { _ = try AppDatabase(path: path, create: false) }
    }

    // MARK: - Migrations of an existing desk

    func testTheV4V5AndV9MigrationsFillTheBacklogCachesOfAnExistingDesk() throws {
        let (database, lic, loc, c1, _) = try makeDesk()
        try database.write { db in
            let e = Engine(db, actor: "ann", now: now)
            try e.receive(StockKey(licID: lic, locationID: loc), qty: 5)
            for qty in [3, 4, 6] {
                var o = NewOrder(customerID: c1, locationID: loc, priority: 0, policy: .partial,
                                 lines: [.init(licID: lic, quantity: qty, unitCents: 1)])
                o.split = .no
                _ = try e.enterOrder(o)
            }
        }
        // Make it the desk a v3 version left: no v4 caches, the old indexes, v4 and v5 not applied.
        try database.write { db in
            try db.execute(sql: """
                ALTER TABLE balance RENAME COLUMN settledness TO unsettled;
                DROP TABLE bo_block; DROP TABLE unmet_block; DROP TABLE unmet_span;
                DROP INDEX line_bo_priority; ALTER TABLE order_line DROP COLUMN neg_priority;
                CREATE INDEX line_unattached ON order_line(lic_id, location_id) WHERE bo = 1;
                CREATE INDEX line_movable ON order_line(lic_id, location_id, priority, entered_seq DESC, order_id DESC, line_no DESC)
                    WHERE is_open = 1 AND allotted > frozen + dedicated;
                DELETE FROM grdb_migrations WHERE identifier IN ('v4-scale', 'v5-fewer-line-indexes', 'v8-one-name-each', 'v9-unmet-span');
                """)
        }
        let reopened = try AppDatabase(path: dir.file("desk.sqlite"), create: false)
        try reopened.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT sum(lines) FROM bo_block"), 2)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT sum(unmet) FROM unmet_block"), 3 + 4 + 6 - 5)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT sum(need) FROM unmet_block"), 3 + 4 + 6)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT sum(unmet) FROM unmet_span"), 3 + 4 + 6 - 5)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT sum(need) FROM unmet_span"), 3 + 4 + 6)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'line_movable'"), 0)
            XCTAssertEqual(try InvariantCheck.run(db), [])
        }
    }

    /// v10: a desk from before it keeps its rows and its rules, and its list CHECKs no longer
    /// build an ephemeral table on every insert.
    func testListChecksBecomeComparisonsOnADeskFromBefore() throws {
        let path = dir.file("v9.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "v9-unmet-span")
            try queue.write { db in
                XCTAssertEqual(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'shipment'")?
                    .contains("status IN ('pending','picked','shipped','cancelled')"), true)
                try db.execute(sql: "INSERT INTO app_user (name, role) VALUES ('old', 'supervisor')")
            }
            try queue.close()
        }
        let database = try AppDatabase(path: path, create: false)
        try database.write { db in
            let creates = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'table'")
            XCTAssertEqual(creates.filter { $0.contains(" IN ('") }, [], "no list CHECK left")
            XCTAssertTrue(creates.contains { $0.contains("status = 'pending' OR status = 'picked' OR status = 'shipped' OR status = 'cancelled'") })
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT role FROM app_user WHERE name = 'old'"), "supervisor")
            // The rule still holds, and an insert checks it without an ephemeral table.
            XCTAssertThrowsError(try db.execute(sql: "INSERT INTO app_user (name, role) VALUES ('x', 'owner')"))
            try db.execute(sql: "INSERT INTO app_user (name, role) VALUES ('y', 'admin')")
            let program = try Row.fetchAll(db, sql: "EXPLAIN INSERT INTO shipment (order_id, customer_id, location_id, status, created_at) VALUES (1, 1, 1, 'pending', 'x')")
                .map { $0["opcode"] as String }
            XCTAssertTrue(program.contains("Insert"), "\(program)")
            XCTAssertFalse(program.contains("OpenEphemeral"), "\(program)")
            XCTAssertEqual(try String.fetchAll(db, sql: "PRAGMA integrity_check"), ["ok"])
        }
        XCTAssertEqual(try database.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }, Schema.migrator.migrations)
    }

    /// v11: a desk from before it gets the wider `line_short`, and a run's read of a queue's
    /// short lines is answered by the index alone (no seek into the table per line).
    func testTheFillReadIsCoveredByLineShortOnADeskFromBefore() throws {
        let path = dir.file("v10.sqlite")
        let fillRead = "EXPLAIN QUERY PLAN \(Engine.fillColumns) INDEXED BY line_short WHERE lic_id = 1 AND location_id = 1 AND bo = 1 \(Engine.queueOrder)"
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "v10-checks-as-comparisons")
            try queue.read { db in
                let plan = try Row.fetchAll(db, sql: fillRead).map { $0["detail"] as String }.joined(separator: " | ")
                XCTAssertTrue(plan.contains("USING INDEX line_short"), plan)
                XCTAssertFalse(plan.contains("COVERING"), plan)
            }
            try queue.close()
        }
        let database = try AppDatabase(path: path, create: false)
        try database.read { db in
            let plan = try Row.fetchAll(db, sql: fillRead).map { $0["detail"] as String }.joined(separator: " | ")
            XCTAssertTrue(plan.contains("USING COVERING INDEX line_short"), plan)
            XCTAssertFalse(plan.contains("TEMP B-TREE"), "read in queue order as stored: \(plan)")
            XCTAssertEqual(try String.fetchAll(db, sql: "PRAGMA integrity_check"), ["ok"])
        }
        XCTAssertEqual(try database.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }, Schema.migrator.migrations)
    }

    func testAListCheckIsRewrittenWordForWordAndAnythingElseIsLeft() {
        XCTAssertEqual(Schema.listChecksAsComparisons("a TEXT CHECK (a IN ('x','y', 'z')), b INTEGER CHECK (b >= 0), c TEXT CHECK (c IN ('p'))"),
                       "a TEXT CHECK (a = 'x' OR a = 'y' OR a = 'z'), b INTEGER CHECK (b >= 0), c TEXT CHECK (c IN ('p'))")
        XCTAssertEqual(Schema.listChecksAsComparisons("k TEXT CHECK (k IN ('a''b','c'))"), "k TEXT CHECK (k IN ('a''b','c'))",
                       "a quote inside a word is not taken apart")
        XCTAssertEqual(Schema.listChecksAsComparisons("n INTEGER CHECK (n IN (1, 2, 3))"), "n INTEGER CHECK (n IN (1, 2, 3))")
        XCTAssertEqual(Schema.listChecksAsComparisons("no checks here"), "no checks here")
    }

    // MARK: - SQLite's C API

    /// The C-API statement the bulk path and the bench floor use: binds integers, text and NULL,
    /// reads rows, stops early when asked, and turns SQLite's errors into thrown `DatabaseError`s
    /// that roll the transaction back like any other.
    func testRawStatementBindsReadsAndThrows() throws {
        let database = try AppDatabase(path: dir.file("raw.sqlite"), create: true)
        try database.write { db in
            try db.execute(sql: "CREATE TABLE t (a INTEGER NOT NULL, b TEXT, c INTEGER)")
            let insert = try RawStatement(db, sql: "INSERT INTO t (a, c, b) VALUES (?, ?, ?)")
            try insert.execute([1, nil], text: ["one"])
            try insert.execute([2, 20], text: ["twö"])
            var seen: [String] = []
            try RawStatement(db, sql: "SELECT a, b, coalesce(c, -1) FROM t WHERE a >= ? ORDER BY a").forEachRow([1]) { r in
                seen.append("\(r.int(0)) \(r.text(1)) \(r.int(2))")
                return true
            }
            XCTAssertEqual(seen, ["1 one -1", "2 twö 20"])
            var first: [Int64] = []
            try RawStatement(db, sql: "SELECT a FROM t ORDER BY a").forEachRow { r in
                first.append(r.int64(0))
                return false
            }
            XCTAssertEqual(first, [1])
        }
        struct Expected: Error {}
        XCTAssertThrowsError(try database.write { db in
            try RawStatement(db, sql: "INSERT INTO t (a) VALUES (?)").execute([3])
            try RawStatement(db, sql: "INSERT INTO t (a) VALUES (?)").execute([nil])
        }) { error in
            XCTAssertEqual((error as? DatabaseError)?.resultCode, .SQLITE_CONSTRAINT, "\(error)")
        }
        XCTAssertEqual(try database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") }, 2, "the failed write left nothing")
    }
}
