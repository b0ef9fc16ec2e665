import TestSupport
import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// The store's guarantees that do not depend on the engine under it — the append-only ledger,
/// all-or-nothing writes, a refused order leaving nothing behind, the queue's settled state and
/// the invariant check finding each kind of damage — on a SQLite file, or on a new PostgreSQL
/// database when `BACKORDERS_TEST_POSTGRES` names a server (dropped after the test).
final class StoreOnEitherEngineTests: XCTestCase {
    var dir: TempDir!
    var store: (any SQLStore)!
    private var made: (server: PostgresAddress, name: String)?

    override func setUpWithError() throws {
        dir = try TempDir(prefix: "store2")
        if let text = ProcessInfo.processInfo.environment["BACKORDERS_TEST_POSTGRES"], !text.isEmpty {
            let server = try PostgresAddress(text)
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try PostgresStore.createDatabase(name, on: server)
            made = (server, name)
            store = try PostgresStore(address: server.with(database: name), create: true)
        } else {
            store = try AppDatabase(path: dir.file("desk.sqlite"), create: true)
        }
    }

    override func tearDown() {
        store = nil
        if let made { try? PostgresStore.dropDatabase(made.name, on: made.server) }
        made = nil
        dir = nil
    }

    let now = Moment(day: Day(year: 2026, month: 3, day: 2)!, secondOfDay: 9 * 3600)

    func write<T>(_ body: (SQLConnection) throws -> T) throws -> T { try store.writing(body) }
    func read<T>(_ body: (SQLConnection) throws -> T) throws -> T { try store.reading(body) }

    /// The invariant check of the engine: the Swift check on SQLite (the SQL one is its oracle,
    /// CheckOracleTests), the SQL check on PostgreSQL.
    func violations(_ db: SQLConnection) throws -> [InvariantCheck.Violation] {
        db.isSQLite ? try InvariantCheck.run(db.sqlite) : try SQLCheck.violations(db)
    }

    /// Every row of every table of the desk, as text: to compare a whole desk before and after.
    func dumpAll(_ db: SQLConnection) throws -> String {
        var out = ""
        for table in DeskCopy.tables {
            out += "## \(table)\n"
            let rows = try db.fetchAll(sql: "SELECT * FROM \(table)").map { row in
                (0..<row.count).map { i in row[i].map { "\($0)" } ?? "NULL" }.joined(separator: "|")
            }
            out += rows.sorted().joined(separator: "\n") + "\n"
        }
        return out
    }

    /// A desk with back order management on, location MAIN, LIC W, customers C1 and C2 (C2 priority 5).
    func makeDesk() throws -> (lic: Int64, loc: Int64, c1: Int64, c2: Int64) {
        try write { db in
            try db.execute(sql: "UPDATE preferences SET backorder_management = 1")
            try db.execute(sql: "INSERT INTO location (code) VALUES ('MAIN')")
            let loc = try db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO lic (code, price_cents) VALUES ('W', 250)")
            let lic = try db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO customer (code) VALUES ('C1')")
            let c1 = try db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO customer (code, priority) VALUES ('C2', 5)")
            return (lic, loc, c1, try db.lastInsertedRowID)
        }
    }

    // MARK: - The ledger (I6)

    func testLedgerIsAppendOnly() throws {
        let (lic, loc, _, _) = try makeDesk()
        let key = StockKey(licID: lic, locationID: loc)
        try write { db in try Engine(db, actor: "ann", now: now).receive(key, qty: 7) }
        let before = try read { try dumpAll($0) }

        var refused = ["UPDATE ledger SET qty = 70", "DELETE FROM ledger", "UPDATE ledger SET actor = 'mallory' WHERE id = 1"]
        if !(store is AppDatabase) { refused.append("TRUNCATE ledger") }
        for sql in refused {
            XCTAssertThrowsError(try write { try $0.execute(sql: sql) }, sql) { error in
                XCTAssertTrue("\(error)".contains("append-only"), "\(sql): \(error)")
            }
        }
        XCTAssertEqual(try read { try dumpAll($0) }, before)
        let row = try XCTUnwrap(try read { try $0.fetchOne(sql: "SELECT kind, qty, actor, at FROM ledger") })
        XCTAssertEqual(row["kind"] as String, "receipt")
        XCTAssertEqual(row["qty"] as Int, 7)
        XCTAssertEqual(row["actor"] as String, "ann")
        XCTAssertEqual(row["at"] as String, "2026-03-02 09:00:00")
        XCTAssertEqual(try read { try violations($0) }, [])
    }

    // MARK: - All or nothing

    func testRefusedEntryLeavesNothingWritten() throws {
        let (lic, loc, c1, c2) = try makeDesk()
        let key = StockKey(licID: lic, locationID: loc)
        try write { db in
            let e = Engine(db, actor: "ann", now: now)
            try e.receive(key, qty: 10)
            _ = try e.enterOrder(NewOrder(customerID: c1, locationID: loc, priority: 0, policy: .partial,
                                          lines: [.init(licID: lic, quantity: 6, unitCents: 250)]))
        }
        let before = try read { try dumpAll($0) }

        // Short, split prompt "ask" and no answer: refused before anything is decided.
        var short = NewOrder(customerID: c1, locationID: loc, priority: 0, policy: .partial,
                             lines: [.init(licID: lic, quantity: 5, unitCents: 250)])
        XCTAssertThrowsError(try write { db in _ = try Engine(db, actor: "ann", now: now).enterOrder(short) }) {
            guard case DeskError.question(.split(_, 5, 4))? = $0 as? DeskError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(try read { try dumpAll($0) }, before)

        // A higher priority first line takes 6 from order 1001 (preemption, shipment trimmed, log rows),
        // then the second line is short and unanswered: the whole transaction rolls back.
        short = NewOrder(customerID: c2, locationID: loc, priority: 5, policy: .partial,
                         lines: [.init(licID: lic, quantity: 10, unitCents: 250), .init(licID: lic, quantity: 3, unitCents: 250)])
        XCTAssertThrowsError(try write { db in _ = try Engine(db, actor: "ann", now: now).enterOrder(short) }) {
            guard case DeskError.question(.split)? = $0 as? DeskError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(try read { try dumpAll($0) }, before, "a refused order left something behind")
        try read { db in
            XCTAssertEqual(try db.fetchOne(Int.self, sql: "SELECT value FROM counter WHERE name = 'order_number'"), 1001)
            XCTAssertEqual(try db.fetchOne(Int.self, sql: "SELECT count(*) FROM orders"), 1)
        }

        // The next accepted order takes the next number: the refusals consumed none.
        let next = try write { db -> String? in
            let id = try Engine(db, actor: "ann", now: now).enterOrder(NewOrder(
                customerID: c1, locationID: loc, priority: 0, policy: .partial, lines: [.init(licID: lic, quantity: 1, unitCents: 250)]))
            return try db.fetchOne(String.self, sql: "SELECT number FROM orders WHERE id = ?", arguments: [id])
        }
        XCTAssertEqual(next, "1002")
    }

    func testAnErrorInsideAWriteRollsEverythingBack() throws {
        let (lic, loc, _, _) = try makeDesk()
        let before = try read { try dumpAll($0) }
        struct Boom: Error {}
        XCTAssertThrowsError(try write { db in
            try Engine(db, actor: "ann", now: now).receive(StockKey(licID: lic, locationID: loc), qty: 5)
            throw Boom()
        })
        XCTAssertEqual(try read { try dumpAll($0) }, before)
        // The connection that rolled back is fit for the next write.
        try write { db in try Engine(db, actor: "ann", now: now).receive(StockKey(licID: lic, locationID: loc), qty: 2) }
        XCTAssertEqual(try read { try $0.fetchOne(Int.self, sql: "SELECT on_hand FROM balance") }, 2)
    }

    // MARK: - The invariant check finds what breaks I1–I6

    /// A receipt on a settled queue leaves it settled but for the waiting supply (the process
    /// then re-fills only its short lines); any other change to its lines makes it unsettled;
    /// and `check` holds a queue in that state to its shape — full lines first, in queue order.
    func testSupplyOnASettledQueueKeepsItsShapeKnownUntilSomethingElseChanges() throws {
        let (lic, loc, c1, c2) = try makeDesk()
        let key = StockKey(licID: lic, locationID: loc)
        func state() throws -> Int? { try read { try $0.fetchOne(Int.self, sql: "SELECT settledness FROM balance") } }
        try write { db in
            let e = Engine(db, actor: "ann", now: now)
            try e.receive(key, qty: 10)
            try e.runBackorderProcess(.primary, runID: try e.startRun(.primary), keys: [key])
            for (customer, qty) in [(c1, 14), (c2, 5)] {
                var order = NewOrder(customerID: customer, locationID: loc, priority: 0, policy: .partial,
                                     lines: [.init(licID: lic, quantity: qty, unitCents: 250)])
                order.split = .yes
                _ = try e.enterOrder(order)
            }
            try e.receive(key, qty: 6)
        }
        XCTAssertEqual(try state(), Engine.Settledness.awaitingSupply.rawValue)
        XCTAssertEqual(try read { try violations($0) }, [])

        // One unit moved from the full line to the last short line: caches agree, the shape does not.
        struct Rollback: Error {}
        var found: [InvariantCheck.Violation] = []
        XCTAssertThrowsError(try write { db in
            try db.execute(sql: "UPDATE order_line SET allotted = allotted - 1, bo = 1 WHERE line_no = 1 AND order_id = 1")
            try db.execute(sql: "UPDATE order_line SET allotted = allotted + 1 WHERE order_id = 2")
            found = try violations(db)
            throw Rollback()
        })
        XCTAssertTrue(found.contains { $0.message.contains("marked settled") }, "\(found)")

        // An entry on the queue while the supply waits: only a full re-fill is trusted now.
        try write { db in
            var order = NewOrder(customerID: c1, locationID: loc, priority: 0, policy: .partial,
                                 lines: [.init(licID: lic, quantity: 1, unitCents: 250)])
            order.split = .yes
            _ = try Engine(db, actor: "ann", now: now).enterOrder(order)
        }
        XCTAssertEqual(try state(), Engine.Settledness.unsettled.rawValue)
        try write { db in
            let e = Engine(db, actor: "ann", now: now)
            try e.runBackorderProcess(.primary, runID: try e.startRun(.primary), keys: [key])
        }
        XCTAssertEqual(try state(), Engine.Settledness.settled.rawValue)
        XCTAssertEqual(try read { try $0.fetchAll(Int.self, sql: "SELECT allotted FROM order_line ORDER BY id") }, [10, 4, 2, 0])
        XCTAssertEqual(try read { try violations($0) }, [])
    }

    func testCheckReportsEveryKindOfViolation() throws {
        let (lic, loc, c1, _) = try makeDesk()
        let key = StockKey(licID: lic, locationID: loc)
        try write { db in
            let e = Engine(db, actor: "ann", now: now)
            try e.receive(key, qty: 10)
            var order = NewOrder(customerID: c1, locationID: loc, priority: 0, policy: .partial,
                                 lines: [.init(licID: lic, quantity: 14, unitCents: 250)])
            order.split = .yes
            _ = try e.enterOrder(order)
        }
        XCTAssertEqual(try read { try violations($0) }, [])

        struct Rollback: Error {}
        let sqlite = store is AppDatabase
        let cases: [(sql: String, expects: String)] = [
            ("UPDATE balance SET on_hand = on_hand + 1", "I5"),
            ("UPDATE balance SET allotted = allotted - 1", "I5"),
            ("UPDATE order_line SET allotted = allotted + 1 WHERE line_no = 2", "I1"),
            ("UPDATE order_line SET allotted = allotted + 20 WHERE line_no = 1", "I2"),
            ("UPDATE order_line SET bo = 1 - bo", "I3"),
            ("UPDATE shipment_item SET qty = qty + 1", "I4"),
            ("UPDATE orders SET bo_lines = bo_lines + 1", "I5"),
            ("UPDATE bo_block SET lines = lines + 1", "I5"),
            ("UPDATE unmet_block SET unmet = unmet - 1", "I5"),
            ("UPDATE unmet_block SET need = need + 2", "I5"),
            ("UPDATE unmet_span SET unmet = unmet + 1", "I5"),
            ("UPDATE unmet_span SET need = need - 2", "I5"),
            ("UPDATE order_line SET is_open = 0", "I5"),
            (sqlite ? "DROP TRIGGER ledger_no_update" : "ALTER TABLE ledger DISABLE TRIGGER ledger_no_update", "I6"),
            ("UPDATE order_line SET shipped = 1, allotted = allotted - 1, on_shipment = on_shipment - 1 WHERE line_no = 1", "I6"),
            ("INSERT INTO ledger (at, lic_id, location_id, kind, qty, actor) VALUES ('x', \(lic), \(loc), 'receipt', -3, 'x')", "I6"),
        ]
        for c in cases {
            var found: [InvariantCheck.Violation] = []
            XCTAssertThrowsError(try write { db in
                try db.execute(sql: c.sql)
                found = try violations(db)
                throw Rollback()
            })
            XCTAssertTrue(found.contains { $0.invariant == c.expects }, "\(c.sql): expected \(c.expects), got \(found)")
        }
        XCTAssertEqual(try read { try violations($0) }, [], "the rollbacks left damage")
    }
}
