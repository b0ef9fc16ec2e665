import BackorderApp
import BackorderCore
@testable import BackorderStore
import GRDB
import TestSupport
import XCTest

/// `backorders bench` scaled down: the synthetic desk it builds must be correct — invariants hold
/// and, after the primary run, every queue is its greedy fill. Timings are printed, never asserted.
final class BenchSmokeTests: XCTestCase {
    /// The Tryton workload, scaled down: every line of every order waits, then one run fills all.
    func testTrytonWorkloadFillsEveryLineOfItsOrders() throws {
        let result = try Bench.trytonWorkload(sizes: [(orders: 20, lines: 3, assignSeconds: 1...2), (orders: 40, lines: 2, assignSeconds: 3...4)],
                                              repeats: 1)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.render().utf8)) as? [String: Any])
        let sizes = try XCTUnwrap(json["tryton_workload"] as? [[String: Any]])
        XCTAssertEqual(sizes.map { $0["lines_filled"] as? Int }, [60, 80])
        for size in sizes {
            let elapsed = try XCTUnwrap(size["primary_elapsed_ms"] as? Double)
            XCTAssertGreaterThan(elapsed, 0)
            let below = try XCTUnwrap(size["times_below_tryton"] as? [Double])
            let tryton = try XCTUnwrap(size["tryton_assign_s"] as? [Double])
            XCTAssertEqual(below[0], tryton[0] * 1000 / elapsed, accuracy: 0.01 * below[0])
            // The floor at that size: the run's own writes, replayed to the same rows.
            let floor = try XCTUnwrap(size["sqlite_floor_ms"] as? Double)
            XCTAssertGreaterThan(floor, 0)
            XCTAssertEqual(try XCTUnwrap(size["primary_over_floor"] as? Double), elapsed / floor, accuracy: 0.01 * elapsed / floor)
            XCTAssertEqual(size["floor_mismatched_rows"] as? Int, 0)
            let writes = try XCTUnwrap(size["run_writes"] as? [String: Any])
            let tables = try XCTUnwrap(writes["tables"] as? [String: [String: Int]])
            XCTAssertEqual(tables["shipment_item"]?["inserted"], size["lines_filled"] as? Int, "an item for each filled line")
        }
    }

    func testScaledDownBenchBuildsACorrectDesk() throws {
        var options = Bench.Options()
        options.lines = 20_000
        options.lics = 300
        options.entryOrders = 50
        options.probeExecutable = try XCTUnwrap(Backorders.locate(), "the backorders binary is built with the tests").path
        let (result, desk) = try Bench.run(options)
        defer { try? FileManager.default.removeItem(atPath: (desk.database.path as NSString).deletingLastPathComponent) }
        for name in ["load_s", "entry_ms", "priority_ms", "priority_lower_ms", "drilldown_ms", "primary_s", "sqlite_floor_s",
                     "sqlite_rewrite_s", "check_s", "peak_rss_mb", "entry_during_run_ms", "page_during_run_ms"] {
            XCTAssertNotNil(result[name], "bench reports \(name)")
        }
        // The floor replayed exactly what the run committed: the copy it replayed on ends equal,
        // row for row, to the desk the run left; and it counted the writes the product requires.
        let facts = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.json.render().utf8)) as? [String: Any])
        XCTAssertEqual(facts["floor_mismatched_rows"] as? Int, 0)
        // The run and its floor are each timed three times (fresh copies); the figures are medians.
        for (figure, samples) in [("primary_s", "primary_samples_s"), ("sqlite_floor_s", "floor_samples_s")] {
            let all = try XCTUnwrap(facts[samples] as? [Double], samples)
            XCTAssertEqual(all.count, 3)
            XCTAssertEqual(try XCTUnwrap(facts[figure] as? Double), all.sorted()[1], accuracy: 0.0011, "\(figure) is the median of \(samples)")
        }
        // Other processes entered orders and drew the Backorders page while a run went on.
        let during = try XCTUnwrap(facts["during_run"] as? [String: Any])
        XCTAssertGreaterThan(try XCTUnwrap(during["entries"] as? Int), 0)
        XCTAssertGreaterThan(try XCTUnwrap(during["pages"] as? Int), 0)
        let filled = try XCTUnwrap(facts["lines_filled_by_primary"] as? Int)
        XCTAssertGreaterThan(filled, 1000)
        let writes = try XCTUnwrap(facts["run_writes"] as? [String: Any])
        let tables = try XCTUnwrap(writes["tables"] as? [String: [String: Int]])
        XCTAssertEqual(tables["order_line"]?["updated"], filled, "every filled line is rewritten, no other line")
        XCTAssertEqual(tables["shipment_item"]?["inserted"].map { $0 > 0 }, true, "filled lines go on shipments")
        XCTAssertEqual(tables["order_log"]?["inserted"].map { $0 > 0 }, true, "the run logs what it did")
        XCTAssertGreaterThan(try XCTUnwrap(writes["index_entries"] as? Int), filled, "filled lines leave the BO indexes")
        XCTAssertGreaterThan(try XCTUnwrap(writes["orders"] as? Int), 0)
        XCTAssertEqual(try desk.check().violations, [])

        // Independently of the engine: walk every queue in allocation order and fill it greedily.
        try desk.database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT l.lic_id, l.location_id, l.ordered - l.cancelled - l.shipped, l.allotted, l.frozen, l.dedicated, b.on_hand
                FROM order_line l JOIN balance b ON b.lic_id = l.lic_id AND b.location_id = l.location_id
                WHERE l.is_open = 1 ORDER BY l.lic_id, l.location_id, l.priority DESC, l.entered_seq, l.order_id, l.line_no
                """)
            XCTAssertGreaterThan(rows.count, 10_000)
            var pools: [String: Int] = [:]
            for r in rows {  // stock not frozen or dedicated, per queue
                let key = "\(r[0] as Int64)-\(r[1] as Int64)"
                if pools[key] == nil { pools[key] = r[6] as Int }
                pools[key]! -= (r[4] as Int) + (r[5] as Int)
            }
            var mismatches = 0
            for r in rows {
                let key = "\(r[0] as Int64)-\(r[1] as Int64)"
                let fixed = (r[4] as Int) + (r[5] as Int)
                let give = max(0, min((r[2] as Int) - fixed, pools[key]!))
                pools[key]! -= give
                if fixed + give != (r[3] as Int) { mismatches += 1 }
            }
            XCTAssertEqual(mismatches, 0, "lines whose allotment differs from the greedy fill after the primary run")
        }
        print("bench smoke: \(result.json.render())")
    }
}
