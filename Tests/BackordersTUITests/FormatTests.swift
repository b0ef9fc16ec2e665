@testable import BackordersTUI
@testable import BackorderApp
import BackorderCore
import XCTest

final class FormatTests: XCTestCase {
    func testMoneyTypedInDollars() {
        XCTAssertEqual(Format.cents(""), 0)
        XCTAssertEqual(Format.cents("12"), 1200)
        XCTAssertEqual(Format.cents("12.5"), 1250)
        XCTAssertEqual(Format.cents("1,234.05"), 123_405)
        XCTAssertEqual(Format.cents(".99"), 99)
        for bad in ["12.345", "-3", "1e3", "abc", "١٢", "12.٣", "1.2.3", "99999999999"] { XCTAssertNil(Format.cents(bad), bad) }
    }

    func testFigures() {
        XCTAssertEqual(Format.grouped(1_234_567), "1,234,567")
        XCTAssertEqual(Format.grouped(-1000), "-1,000")
        XCTAssertEqual(Format.money(123_405), "1,234.05")
        XCTAssertEqual(Format.nonZero(0), "")
        XCTAssertEqual(Format.age("2026-11-01", today: Day("2026-11-21")!), 20)
        XCTAssertEqual(Format.age("not a day", today: Day("2026-11-21")!), 0)
        XCTAssertEqual(Format.minute("2026-11-16 09:00:00"), "2026-11-16 09:00")
        XCTAssertEqual(Format.minute(nil), "—")
    }

    func testNextRunAsTheHeaderSaysIt() {
        var prefs = Preferences()
        prefs.backorderManagement = true
        let now = Moment(day: Day("2026-11-21")!, secondOfDay: 10 * 3600)
        func s(_ enabled: Bool, _ next: String?) -> Desk.ScheduleView {
            Desk.ScheduleView(process: .primary, code: 7792, enabled: enabled, intervalMinutes: 30, lastRun: nil, nextRun: next, lastResult: nil)
        }
        XCTAssertEqual(Format.nextRun(s(true, nil), prefs: prefs, now: now), "due")
        XCTAssertEqual(Format.nextRun(s(true, "2026-11-21 09:30:00"), prefs: prefs, now: now), "due")
        XCTAssertEqual(Format.nextRun(s(true, "2026-11-21 14:30:00"), prefs: prefs, now: now), "14:30")
        XCTAssertEqual(Format.nextRun(s(true, "2026-11-22 09:00:00"), prefs: prefs, now: now), "11-22 09:00")
        XCTAssertEqual(Format.nextRun(s(false, nil), prefs: prefs, now: now), "off")
        prefs.backorderManagement = false
        XCTAssertEqual(Format.nextRun(s(true, nil), prefs: prefs, now: now), "idle")
    }
}
