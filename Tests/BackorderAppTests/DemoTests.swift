import BackorderApp
import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import TestSupport
import XCTest

/// The demo is dated from the day it is loaded: a newcomer on any day sees the same live desk.
final class DemoTests: XCTestCase {
    func testTheDemosDatesFollowTheDayItIsLoaded() throws {
        let dir = try TempDir(prefix: "demo-days")
        let seeds = try XCTUnwrap(Demo.seedsDirectory(explicit: nil))
        // Loaded 109 days after the day the seed files were written for, at 15:30.
        let today = Day("2027-03-10")!
        let now = Moment(day: today, secondOfDay: 15 * 3600 + 30 * 60)
        let shift = today.days(since: Demo.seedsToday)
        _ = try Demo.load(path: dir.file("demo.sqlite"), userName: "ada", seeds: seeds, reset: false, now: now)
        let database = try AppDatabase(path: dir.file("demo.sqlite"), create: false)
        let desk = try Desk(store: database, userName: "ada", clock: .fixed(now))
        try database.read { db in
            // Entries over the last three months, the newest yesterday, as on the seeds' day.
            let days = try String.fetchAll(db, sql: "SELECT DISTINCT entered_day FROM orders ORDER BY 1").compactMap(Day.init)
            XCTAssertEqual(days.last, today.adding(days: -1))
            XCTAssertEqual(days.first, Day("2026-08-15")!.adding(days: shift))
            // POs expected over the coming weeks (a few late, as on the seeds' day).
            let expected = try String.fetchAll(db, sql: "SELECT expected FROM purchase_order WHERE expected IS NOT NULL").compactMap(Day.init)
            XCTAssertGreaterThan(expected.filter { $0 > today }.count, expected.count / 2, "most POs are still to come")
            XCTAssertLessThanOrEqual(expected.max()!, today.adding(days: 45))
            // This morning's receipts and returns are today's; yesterday's history yesterday's.
            let ledgerDays = try String.fetchAll(db, sql: "SELECT DISTINCT substr(at, 1, 10) FROM ledger WHERE kind IN ('receipt', 'return')")
            XCTAssertTrue(ledgerDays.contains(today.description), "\(ledgerDays)")
        }
        // The schedules ran minutes ago, within their intervals.
        for s in try desk.schedules() where s.process != .replenish {
            let last = try XCTUnwrap(s.lastRun.flatMap(Moment.init), "\(s.process) never ran")
            XCTAssertLessThanOrEqual(now.seconds - last.seconds, 60 * 60, "\(s.process) last ran \(last)")
            XCTAssertGreaterThan(try XCTUnwrap(s.nextRun.flatMap(Moment.init)), now, "\(s.process) is not overdue")
        }
        XCTAssertEqual(try desk.check().violations, [])
    }
}
