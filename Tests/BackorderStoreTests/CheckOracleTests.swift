import TestSupport
import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// `check` reads the lines twice and compares in Swift; the SQL statements it replaced are the
/// oracle. On random desks, before and after a primary run, random damage to the lines, orders,
/// caches, shipments, attachments and ledger must give exactly the violations the SQL finds,
/// message for message.
final class CheckOracleTests: XCTestCase {
    let now = Moment(day: Day(year: 2026, month: 3, day: 2)!, secondOfDay: 9 * 3600)

    /// A table, the columns that name one of its rows, and the columns damage may change.
    struct Target {
        var table: String
        var key: [String]
        var columns: [String]
    }

    static let targets: [Target] = [
        Target(table: "order_line", key: ["id"], columns: ["allotted", "frozen", "dedicated", "on_shipment", "attached", "shipped",
                                                          "cancelled", "ordered", "is_open", "bo", "priority", "entered_seq", "location_id"]),
        Target(table: "balance", key: ["lic_id", "location_id"], columns: ["on_hand", "allotted", "frozen", "dedicated", "demand", "on_order", "settledness"]),
        Target(table: "orders", key: ["id"], columns: ["bo_lines", "priority", "entered_seq"]),
        Target(table: "queue_need", key: ["lic_id", "location_id", "priority"], columns: ["need", "movable", "priority"]),
        Target(table: "unmet_block", key: ["lic_id", "location_id", "priority", "block"], columns: ["unmet", "need", "block"]),
        Target(table: "unmet_span", key: ["lic_id", "location_id", "priority", "span"], columns: ["unmet", "need", "span"]),
        Target(table: "bo_block", key: ["block", "priority"], columns: ["lines", "block"]),
        Target(table: "shipment_item", key: ["id"], columns: ["qty"]),
        Target(table: "po_attachment", key: ["id"], columns: ["qty"]),
        Target(table: "po_line", key: ["id"], columns: ["attached", "received"]),
    ]

    func testCheckFindsExactlyWhatTheSQLRulesFind() throws {
        let dir = try TempDir(prefix: "oracle")
        var damaged = 0, found = 0, byInvariant: [String: Int] = [:]
        for seed in UInt64(1)...12 {
            var g = SeededRandom(seed: seed)
            let path = dir.file("desk-\(seed).sqlite")
            try BulkProcessTests.makeRandomDesk(path: path, g: &g, now: now)
            let database = try AppDatabase(path: path, create: false)
            for stage in ["before the run", "after the run"] {
                if stage == "after the run" {
                    try database.write { db in
                        let e = Engine(db, actor: "scheduler", now: now)
                        try e.runBackorderProcess(.primary, runID: try e.startRun(.primary), keys: try e.waitingWork(.primary))
                    }
                }
                try database.read { db in
                    XCTAssertEqual(try InvariantCheck.run(db), [], "seed \(seed) \(stage)")
                    XCTAssertEqual(try SQLCheck.run(SQLConnection(db)), [], "seed \(seed) \(stage)")
                }
                for trial in 0..<16 {
                    struct Rollback: Error {}
                    var damage: [String] = []
                    var fast: [String] = [], oracle: [String] = []
                    XCTAssertThrowsError(try database.write { db in
                        for _ in 0...(g.next() % 3) { damage.append(try damageOneRow(db, &g)) }
                        fast = try InvariantCheck.run(db).map(\.description).sorted()
                        oracle = try SQLCheck.run(SQLConnection(db)).map(\.description).sorted()
                        throw Rollback()
                    }) { XCTAssertTrue($0 is Rollback, "seed \(seed) trial \(trial): \($0)") }
                    XCTAssertEqual(fast, oracle, "seed \(seed) \(stage) trial \(trial) after \(damage)")
                    damaged += 1
                    if !oracle.isEmpty { found += 1 }
                    for v in oracle { byInvariant[String(v.prefix(2)), default: 0] += 1 }
                }
            }
        }
        // The damage really breaks rules, of every invariant.
        XCTAssertGreaterThan(found, damaged / 2, "\(found) of \(damaged) damaged desks had violations")
        for inv in ["I1", "I2", "I3", "I4", "I5", "I6"] { XCTAssertGreaterThan(byInvariant[inv] ?? 0, 0, "no damage broke \(inv): \(byInvariant)") }
    }

    /// Changes one column of one random row by a small amount (or inserts a stray ledger or cache
    /// row), and says what it did.
    func damageOneRow(_ db: Database, _ g: inout SeededRandom) throws -> String {
        switch g.next() % 12 {
        case 0:
            // A shipment movement the lines do not show (I6), or a receipt of the wrong sign.
            let line = try pick(db, "SELECT order_id, lic_id, location_id FROM order_line", &g)!
            let kind = g.next() % 2 == 0 ? "shipment" : "receipt"
            let qty = Int(g.next() % 5) - 2
            try db.execute(sql: "INSERT OR IGNORE INTO ledger (at, lic_id, location_id, kind, qty, order_id, actor) VALUES ('x', ?, ?, ?, ?, ?, 'x')",
                           arguments: [line[1], line[2], kind, qty, line[0]])
            return "ledger \(kind) \(qty)"
        case 1:
            // A stray cache row for a queue or block no line is in.
            let table = ["queue_need", "unmet_block", "unmet_span", "bo_block"][Int(g.next() % 4)]
            let sql = switch table {
            case "queue_need": "INSERT OR REPLACE INTO queue_need (lic_id, location_id, priority, need, movable) VALUES (?, 1, 7, 2, 0)"
            case "unmet_block": "INSERT OR REPLACE INTO unmet_block (lic_id, location_id, priority, block, unmet, need) VALUES (?, 1, 0, 999, 1, 1)"
            case "unmet_span": "INSERT OR REPLACE INTO unmet_span (lic_id, location_id, priority, span, unmet, need) VALUES (?, 1, 0, 99, 0, 1)"
            default: "INSERT OR REPLACE INTO bo_block (block, priority, lines) VALUES (999, ?, 1)"
            }
            try db.execute(sql: sql, arguments: [1 + Int(g.next() % 4)])
            return "stray \(table) row"
        case 2:
            let status = ["open", "closed", "cancelled"][Int(g.next() % 3)]
            try db.execute(sql: "UPDATE orders SET status = ? WHERE id = ?", arguments: [status, try pick(db, "SELECT id FROM orders", &g)?[0]])
            return "an order \(status)"
        case 3:
            let status = ["pending", "picked", "shipped", "cancelled"][Int(g.next() % 4)]
            try db.execute(sql: "UPDATE shipment SET status = ? WHERE id = ?", arguments: [status, try pick(db, "SELECT id FROM shipment", &g)?[0]])
            return "a shipment \(status)"
        default:
            let target = Self.targets[Int(g.next() % UInt64(Self.targets.count))]
            let column = target.columns[Int(g.next() % UInt64(target.columns.count))]
            let keys = target.key.joined(separator: ", ")
            guard let row = try pick(db, "SELECT \(keys) FROM \(target.table)", &g) else {
                return "\(target.table) empty"
            }
            let delta = [-2, -1, 1, 2, 3][Int(g.next() % 5)]
            let match = target.key.map { "\($0) = ?" }.joined(separator: " AND ")
            try db.execute(sql: "UPDATE OR IGNORE \(target.table) SET \(column) = \(column) + ? WHERE \(match)",
                           arguments: StatementArguments([delta] + target.key.indices.map { row[$0] as DatabaseValue }))
            return "\(target.table).\(column) \(delta > 0 ? "+" : "")\(delta) at \(row)"
        }
    }

    /// One row of a query, chosen by the seeded generator (nil when there is none).
    func pick(_ db: Database, _ sql: String, _ g: inout SeededRandom) throws -> Row? {
        let rows = try Row.fetchAll(db, sql: sql)
        return rows.isEmpty ? nil : rows[Int(g.next() % UInt64(rows.count))]
    }
}
