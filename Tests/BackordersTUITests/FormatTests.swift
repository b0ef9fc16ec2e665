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
        func s(_ enabled: Bool, _ next: String?) -> String {
            Desk.ScheduleView(process: .primary, code: 7792, enabled: enabled, intervalMinutes: 30, lastRun: nil, nextRun: next, lastResult: nil)
                .nextRunPhrase(prefs: prefs, now: now)
        }
        XCTAssertEqual(s(true, nil), "due now")
        XCTAssertEqual(s(true, "2026-11-21 09:30:00"), "due now")
        XCTAssertEqual(s(true, "2026-11-21 10:12:00"), "in 12 min")
        XCTAssertEqual(s(true, "2026-11-21 10:00:30"), "in 1 min", "a part of a minute counts as a minute")
        XCTAssertEqual(s(true, "2026-11-21 13:00:00"), "in 3 h")
        XCTAssertEqual(s(true, "2026-11-21 12:40:00"), "in 2 h 40 min")
        XCTAssertEqual(s(true, "2026-11-21 18:30:00"), "at 18:30")
        XCTAssertEqual(s(true, "2026-11-22 09:00:00"), "at 11-22 09:00")
        XCTAssertEqual(s(false, nil), "off")
        prefs.backorderManagement = false
        XCTAssertEqual(s(true, nil), "idle")
    }

    func testPromiseAndProjectionLookDifferent() {
        let today = Day("2026-11-21")!
        XCTAssertEqual(Format.promise("2026-12-24", projected: nil, today: today), "2026-12-24")
        XCTAssertEqual(Format.promise(nil, projected: "2026-12-24", today: today), "~2026-12-24")
        XCTAssertEqual(Format.promise(nil, projected: "2026-12-24", today: today, wide: false), "~12-24")
        XCTAssertEqual(Format.promise(nil, projected: nil, today: today), "")
        XCTAssertNil(Format.promiseRole("2026-12-24", projected: nil, today: today))
        XCTAssertEqual(Format.promiseRole(nil, projected: "2026-12-24", today: today), .dim)
        XCTAssertEqual(Format.promiseRole("2026-11-19", projected: nil, today: today), .warning, "a promise already past")
    }
}
