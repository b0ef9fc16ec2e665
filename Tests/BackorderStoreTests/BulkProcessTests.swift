import TestSupport
import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// The process runs' bulk path (`canonicalizeInBulk`) against the line-by-line path it replaced
/// (`canonicalize` per key, then `finish`): from the same random desk, both must leave the same
/// lines, caches, shipments, shipment items and record log, and the same run figures.
final class BulkProcessTests: XCTestCase {
    let now = Moment(day: Day(year: 2026, month: 3, day: 2)!, secondOfDay: 9 * 3600)

    func testBulkRunWritesExactlyWhatTheLineByLinePathWrites() throws {
        let dir = try TempDir(prefix: "bulk")
        var exercised: [String: Int] = [:]
        for seed in UInt64(1)...40 {
            var g = SeededRandom(seed: seed)
            let original = dir.file("desk-\(seed).sqlite")
            try Self.makeRandomDesk(path: original, g: &g, now: now)
            let bulkPath = dir.file("bulk-\(seed).sqlite"), slowPath = dir.file("slow-\(seed).sqlite")
            try FileManager.default.copyItem(atPath: original, toPath: bulkPath)
            try FileManager.default.copyItem(atPath: original, toPath: slowPath)

            let bulk = try AppDatabase(path: bulkPath, create: false)
            // Queues settled before their receipts take the short-lines-only fill.
            exercised["queues settled but for waiting supply", default: 0] += try bulk.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM balance WHERE settledness = \(Engine.Settledness.awaitingSupply.rawValue)") ?? 0
            }
            exercised["queues unsettled", default: 0] += try bulk.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM balance WHERE settledness = \(Engine.Settledness.unsettled.rawValue)") ?? 0
            }
            let bulkStats = try bulk.write { db -> RunStats in
                let e = Engine(db, actor: "scheduler", now: now)
                let run = try e.startRun(.primary)
                try e.runBackorderProcess(.primary, runID: run, keys: try e.waitingWork(.primary))
                return e.stats
            }
            let slow = try AppDatabase(path: slowPath, create: false)
            let slowStats = try slow.write { db -> RunStats in
                let e = Engine(db, actor: "scheduler", now: now)
                let run = try e.startRun(.primary)
                for key in try e.waitingWork(.primary) {
                    try e.canonicalize(key, source: .primary)
                    try db.execute(sql: "UPDATE supply_event SET run_id = ? WHERE lic_id = ? AND location_id = ? AND run_id IS NULL",
                                   arguments: [run, key.licID, key.locationID])
                }
                try e.finish()
                return e.stats
            }
            XCTAssertEqual(bulkStats, slowStats, "seed \(seed): run figures")
            let a = try bulk.read { try dump($0) }, b = try slow.read { try dump($0) }
            for (table, rows) in a where rows != b[table] {
                XCTFail("seed \(seed): \(table) differs\nbulk: \(rows)\nline by line: \(b[table] ?? [])")
            }
            XCTAssertEqual(try bulk.read { try InvariantCheck.run($0) }, [], "seed \(seed)")
            try bulk.read { db in
                let (stored, recomputed) = try storedAndRecomputedCaches(db)
                XCTAssertEqual(stored, recomputed, "seed \(seed): the caches are what Derivation derives of the lines from nothing")
            }
            // The run as the desk makes it (`RunPlan`): in one slice, and in slices of a few lines
            // (a commit after each). Lines, caches, supply and each line's quantity on live
            // shipments as line by line (its shipments and log rows may be cut differently).
            for chunkLines in [nil, 1 + Int(seed % 4)] {
                let planPath = dir.file("plan-\(seed)-\(chunkLines ?? 0).sqlite")
                try FileManager.default.copyItem(atPath: original, toPath: planPath)
                let store = try AppDatabase(path: planPath, create: false)
                let stamp = Stamp(actor: "scheduler", now: now)
                let (runID, keys) = try store.write { db -> (Int64, [StockKey]) in
                    let e = Engine(db, actor: "scheduler", now: now)
                    return (try e.startRun(.primary), try e.waitingWork(.primary))
                }
                let plan = RunPlan(process: .primary, runID: runID, keys: keys)
                var chunk = chunkLines.map { ChunkSize(environment: ["BACKORDERS_CHUNK_LINES": "\($0)"]) } ?? ChunkSize(environment: [:])
                var filled = 0
                while !plan.isDone { filled += try store.runBackorderSlice(plan, chunk: &chunk, stamp).linesFilled }
                XCTAssertEqual(filled, slowStats.linesFilled, "seed \(seed), chunks of \(chunkLines ?? 0): lines filled")
                let p = try store.read { try dump($0) }
                for table in ["order_line", "orders", "balance", "queue_need", "bo_block", "unmet_block", "unmet_span", "supply_event"] where p[table] != b[table] {
                    XCTFail("seed \(seed), chunks of \(chunkLines ?? 0): \(table) differs\nplan: \(p[table] ?? [])\nline by line: \(b[table] ?? [])")
                }
                let onShipments = "SELECT i.line_id, sum(i.qty) FROM shipment_item i JOIN shipment s ON s.id = i.shipment_id WHERE s.status = 'pending' GROUP BY 1"
                XCTAssertEqual(try store.read { db in try Row.fetchAll(db, sql: onShipments).map(\.description) },
                               try slow.read { db in try Row.fetchAll(db, sql: onShipments).map(\.description) }, "seed \(seed): shipped lines")
                XCTAssertEqual(try store.read { try InvariantCheck.run($0) }, [], "seed \(seed), chunks of \(chunkLines ?? 0)")
            }
            exercised["lines filled", default: 0] += bulkStats.linesFilled
            exercised["shipments appended", default: 0] += bulkStats.shipmentsAppended
            exercised["shipments created", default: 0] += bulkStats.shipmentsCreated
            let special = try bulk.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM order_log WHERE kind = 'preempt' AND message LIKE '%primary%'") ?? 0
            }
            exercised["lines that gave stock up", default: 0] += special
            exercised["attached lines filled", default: 0] += try bulk.read { db in
                try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM order_log WHERE kind = 'allot' AND message LIKE '%primary%'
                      AND order_id IN (SELECT l.order_id FROM order_line l JOIN po_attachment a ON a.line_id = l.id)
                    """) ?? 0
            }
        }
        // The random desks really reach the paths that differ.
        for (what, n) in exercised { XCTAssertGreaterThan(n, 0, "no run had \(what)") }
    }

    /// The cache tables as they are, and what `Derivation` derives of every line from nothing (zero entries
    /// dropped) — equal when the store applied every derived change.
    func storedAndRecomputedCaches(_ db: Database) throws -> ([[Derivation.Key: Derivation.Sums]], [[Derivation.Key: Derivation.Sums]]) {
        let lines = try LineRow.fetchAll(db, sql: "").map(\.derivationLine)
        let recomputed = Derivation.derive(lines.map { Derivation.Change(old: nil, new: $0) }).entries
        let stored = try Derivation.caches.map { c -> [Derivation.Key: Derivation.Sums] in
            var out: [Derivation.Key: Derivation.Sums] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT \((c.keyColumns + c.sumColumns).joined(separator: ", ")) FROM \(c.table)") {
                let k = (0..<4).map { $0 < c.keyColumns.count ? r[$0] as Int64 : 0 }
                let v = (0..<4).map { $0 < c.sumColumns.count ? r[c.keyColumns.count + $0] as Int : 0 }
                let sums = Derivation.Sums(v[0], v[1], v[2], v[3])
                if !sums.isZero { out[Derivation.Key(k[0], k[1], k[2], k[3])] = sums }
            }
            return out
        }
        return (stored, recomputed)
    }

    /// Three LICs, four customers, every policy, whole-line answers, priorities, picked shipments,
    /// fair queue sometimes off (queues left out of canonical order), appending by location
    /// sometimes on; then receipts on every LIC, waiting for the primary process.
    static func makeRandomDesk(path: String, g: inout SeededRandom, now: Moment) throws {
        let database = try AppDatabase(path: path, create: true)
        try database.write { db in
            try db.execute(sql: """
                UPDATE preferences SET backorder_management = 1, append_by_location = ?, fair_queue = ?;
                INSERT INTO location (code) VALUES ('MAIN');
                INSERT INTO lic (code) VALUES ('A'), ('B'), ('C');
                INSERT INTO customer (code) VALUES ('C1'), ('C2'), ('C3'), ('C4');
                """, arguments: [g.next() % 2 == 0, g.next() % 3 != 0])
            let e = Engine(db, actor: "ann", now: now)
            for lic in Int64(1)...3 { try e.receive(StockKey(licID: lic, locationID: 1), qty: 1 + Int(g.next() % 12)) }
            try e.runBackorderProcess(.primary, runID: try e.startRun(.primary), keys: try e.waitingWork(.primary))
            for _ in 0..<(6 + Int(g.next() % 10)) {
                var licIDs = Array(Int64(1)...3).shuffled(using: &g)
                licIDs = Array(licIDs.prefix(1 + Int(g.next() % 3)))
                var o = NewOrder(customerID: 1 + Int64(g.next() % 4), locationID: 1, priority: g.next() % 4 == 0 ? Int(g.next() % 9) + 1 : 0,
                                 policy: FulfillmentPolicy.allCases[Int(g.next() % UInt64(FulfillmentPolicy.allCases.count))],
                                 lines: licIDs.map { .init(licID: $0, quantity: 1 + Int(g.next() % 6), unitCents: 100) })
                o.split = g.next() % 2 == 0 ? .yes : .no
                // A refused entry (complete-or-cancel short, …) leaves nothing behind.
                try? db.inSavepoint {
                    let e = Engine(db, actor: "ann", now: now)
                    _ = try e.enterOrder(o)
                    try e.finish()
                    return .commit
                }
                // Stock arriving between entries, not yet processed: with fair queue off the next
                // entries take it ahead of the short lines queued before them.
                if g.next() % 4 == 0 { try e.receive(StockKey(licID: 1 + Int64(g.next() % 3), locationID: 1), qty: 1 + Int(g.next() % 6)) }
                let pending = try Int64.fetchAll(db, sql: "SELECT id FROM shipment WHERE status = 'pending' ORDER BY id")
                if g.next() % 4 == 0, !pending.isEmpty {
                    try e.pickShipment(id: pending[Int(g.next() % UInt64(pending.count))])
                }
            }
            // PO stock on the way, attached to some short lines (their attachments shrink as they fill).
            try db.execute(sql: "INSERT INTO vendor (code) VALUES ('V')")
            _ = try e.createPurchaseOrder(NewPurchaseOrder(vendorID: 1, locationID: 1, orderDate: now.day, expected: now.day.adding(days: 9),
                                                                lines: [(1, 20), (2, 20), (3, 20)]))
            for line in try Int64.fetchAll(db, sql: "SELECT id FROM order_line WHERE bo = 1 ORDER BY id") where g.next() % 3 == 0 {
                try? db.inSavepoint {
                    _ = try Engine(db, actor: "ann", now: now).attach(lineID: line, today: now.day)
                    return .commit
                }
            }
            // Receipts, sometimes a single unit: what a queue out of order must give up shows.
            for lic in Int64(1)...3 { try e.receive(StockKey(licID: lic, locationID: 1), qty: g.next() % 3 == 0 ? 1 : 1 + Int(g.next() % 15)) }
            try e.finish()
        }
    }

    /// Everything a run writes, as comparable rows (log rows without their ids, whose order the
    /// two paths may differ in).
    func dump(_ db: Database) throws -> [String: [String]] {
        func rows(_ sql: String) throws -> [String] {
            try Row.fetchAll(db, sql: sql).map { $0.description }.sorted()
        }
        return [
            "order_line": try rows("SELECT * FROM order_line"),
            "orders": try rows("SELECT id, status, bo_lines FROM orders"),
            "balance": try rows("SELECT * FROM balance"),
            "queue_need": try rows("SELECT * FROM queue_need WHERE need <> 0 OR movable <> 0"),
            "bo_block": try rows("SELECT * FROM bo_block WHERE lines <> 0"),
            "unmet_block": try rows("SELECT * FROM unmet_block WHERE unmet <> 0 OR need <> 0"),
            "unmet_span": try rows("SELECT * FROM unmet_span WHERE unmet <> 0 OR need <> 0"),
            "shipment": try rows("SELECT id, order_id, customer_id, location_id, status FROM shipment"),
            "shipment_item": try rows("SELECT shipment_id, line_id, qty FROM shipment_item WHERE qty > 0"),
            "order_log": try rows("SELECT order_id, actor, kind, message FROM order_log"),
            "supply_event": try rows("SELECT * FROM supply_event"),
        ]
    }
}
