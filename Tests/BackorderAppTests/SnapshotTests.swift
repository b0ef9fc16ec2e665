import BackorderApp
import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import TestSupport
import XCTest

/// Reads never build an engine: `Snapshot` works out, from a read snapshot, the figures the
/// engine works out in a write transaction — what a line may take, projected fill dates,
/// replenishment suggestions. Held here to the engine's own results on the demo desk (orders
/// in every state, open and draft POs, attachments, long queues).
final class SnapshotTests: XCTestCase {
    func testSnapshotFiguresAreTheEngines() throws {
        let dir = try TempDir(prefix: "snapshot")
        let seeds = try XCTUnwrap(Demo.seedsDirectory(explicit: nil))
        let today = Day("2026-11-21")!
        _ = try Demo.load(path: dir.file("demo.sqlite"), userName: "ada", seeds: seeds, reset: false,
                          now: Moment(day: today, secondOfDay: 10 * 3600))
        let database = try AppDatabase(path: dir.file("demo.sqlite"), create: false)
        let desk = try Desk(store: database, userName: "ada", clock: .fixed(Moment(day: today, secondOfDay: 11 * 3600)))
        // A draft, so that suggestions with and without drafts differ.
        _ = try desk.runProcess(.replenish)

        try database.read { db in
            let snapshot = Snapshot(db: db)
            let engine = Engine(db, actor: "test", now: Moment(day: today, secondOfDay: 0))
            let keys = try Row.fetchAll(db, sql: "SELECT lic_id, location_id FROM balance ORDER BY 1, 2")
                .map { StockKey(licID: $0[0], locationID: $0[1]) } + [StockKey(licID: 1, locationID: 999)]
            XCTAssertGreaterThan(keys.count, 20)
            var windows = 0, dated = 0
            for key in keys {
                for priority in 0...9 {
                    let a = try snapshot.availableToOrder(key, priority: priority)
                    let b = try engine.availableToOrder(key, priority: priority)
                    XCTAssertEqual(a.available, b.available, "available to order, \(key) at priority \(priority)")
                    XCTAssertEqual(a.free, b.free, "free stock, \(key)")
                }
                let queue = try engine.queue(key)
                XCTAssertEqual(try snapshot.queue(key), queue)
                for day in [today, today.adding(days: 30)] {
                    let whole = try snapshot.projectedDates(key, today: day)
                    XCTAssertEqual(whole, try engine.projectedDates(key, today: day), "whole queue \(key) on \(day)")
                    dated += whole.values.compactMap { $0 }.count
                    // Pages of the queue, as the drill-down asks, and lines one by one, as the Backorders list.
                    for (n, page) in stride(from: 0, to: queue.count, by: 7).map({ Array(queue[$0..<min(queue.count, $0 + 7)]) }).enumerated() {
                        XCTAssertEqual(try snapshot.projectedDates(key, today: day, window: page, windowStartsQueue: n == 0),
                                       try engine.projectedDates(key, today: day, window: page, windowStartsQueue: n == 0), "page \(n) of \(key)")
                        windows += 1
                    }
                    for line in queue where line.bo {
                        XCTAssertEqual(try snapshot.projectedDates(key, today: day, window: [line]),
                                       try engine.projectedDates(key, today: day, window: [line]), "line \(line.id) of \(key)")
                    }
                }
            }
            XCTAssertGreaterThan(windows, 20)
            XCTAssertGreaterThan(dated, 0, "the demo has lines with projected dates")
            for drafts in [true, false] {
                XCTAssertEqual(try snapshot.replenishmentSuggestions(countDrafts: drafts),
                               try engine.replenishmentSuggestions(countDrafts: drafts), "suggestions, drafts counted: \(drafts)")
            }
            XCTAssertNotEqual(try snapshot.replenishmentSuggestions(countDrafts: true), try snapshot.replenishmentSuggestions(countDrafts: false))
            XCTAssertEqual(snapshot.preferences, engine.prefs)
        }
    }
}
