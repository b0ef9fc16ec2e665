import XCTest
@testable import BackorderCore

final class PurchasingRuleTests: XCTestCase {
    let order = AutoBackorder.Order(locationID: 1, terms: .ar, prepaidCents: 0, minDepositCents: 5000, scheduleDate: nil)

    /// ePASS: the current date is Jan 1, max days out 20: Jan 21 is the max date; on or before qualifies.
    func testMaxDaysOutJanuaryExample() {
        var prefs = Preferences()
        prefs.maxDaysOut = 20
        let today = Day("2026-01-01")!
        XCTAssertEqual(AutoBackorder.maxScheduleDate(today: today, maxDaysOut: 20)?.description, "2026-01-21")
        var o = order
        o.scheduleDate = Day("2026-01-21")
        XCTAssertTrue(AutoBackorder.orderQualifies(o, prefs: prefs, today: today))
        o.scheduleDate = Day("2026-01-22")
        XCTAssertFalse(AutoBackorder.orderQualifies(o, prefs: prefs, today: today))
        o.scheduleDate = nil
        XCTAssertTrue(AutoBackorder.orderQualifies(o, prefs: prefs, today: today), "no schedule date: no restriction")
        prefs.maxDaysOut = 0
        o.scheduleDate = Day("2027-06-01")
        XCTAssertTrue(AutoBackorder.orderQualifies(o, prefs: prefs, today: today), "0 = no restriction")
    }

    /// ePASS: Oct 6/21 + 20 days = Oct 26/21; a Sep 4/21 schedule date falls within.
    func testMaxDaysOutOctoberExample() {
        var prefs = Preferences()
        prefs.maxDaysOut = 20
        let today = Day("2021-10-06")!
        XCTAssertEqual(AutoBackorder.maxScheduleDate(today: today, maxDaysOut: 20)?.description, "2021-10-26")
        var o = order
        o.scheduleDate = Day("2021-09-04")
        XCTAssertTrue(AutoBackorder.orderQualifies(o, prefs: prefs, today: today))
    }

    func testMinimumDepositAppliesToARNotCOD() {
        var prefs = Preferences()
        prefs.requireMinDeposit = true
        let today = Day("2026-01-01")!
        XCTAssertFalse(AutoBackorder.orderQualifies(order, prefs: prefs, today: today))
        var paid = order
        paid.prepaidCents = 5000
        XCTAssertTrue(AutoBackorder.orderQualifies(paid, prefs: prefs, today: today))
        var cod = order
        cod.terms = .cod
        XCTAssertTrue(AutoBackorder.orderQualifies(cod, prefs: prefs, today: today))
        prefs.requireMinDeposit = false
        XCTAssertTrue(AutoBackorder.orderQualifies(order, prefs: prefs, today: today))
    }

    func testPOFlagSameBranchAndRestrictions() {
        var prefs = Preferences()
        let here = AutoBackorder.PurchaseOrder(locationID: 1, allowAttach: true)
        let there = AutoBackorder.PurchaseOrder(locationID: 2, allowAttach: true)
        XCTAssertFalse(AutoBackorder.allows(.init(locationID: 1, allowAttach: false), for: order, prefs: prefs, restrictions: []))
        XCTAssertTrue(AutoBackorder.allows(there, for: order, prefs: prefs, restrictions: []))
        XCTAssertFalse(AutoBackorder.allows(there, for: order, prefs: prefs, restrictions: [1, 3]))
        XCTAssertTrue(AutoBackorder.allows(there, for: order, prefs: prefs, restrictions: [2]))
        prefs.autoBackorderSameBranch = true
        XCTAssertFalse(AutoBackorder.allows(there, for: order, prefs: prefs, restrictions: []))
        XCTAssertTrue(AutoBackorder.allows(here, for: order, prefs: prefs, restrictions: []))
    }

    func testReplenishmentArithmetic() {
        // 8 backordered + 10 minimum − 3 available − 6 on order = 9 → rounded up to 12.
        XCTAssertEqual(Replenishment.suggestion(backordered: 8, minStock: 10, available: 3, onOrder: 6, multiple: 12), 12)
        XCTAssertEqual(Replenishment.suggestion(backordered: 8, minStock: 10, available: 3, onOrder: 6, multiple: 1), 9)
        XCTAssertEqual(Replenishment.suggestion(backordered: 0, minStock: 5, available: 5, onOrder: 0, multiple: 6), 0)
        XCTAssertEqual(Replenishment.suggestion(backordered: 2, minStock: 0, available: 0, onOrder: 0, drafted: 2, multiple: 1), 0)
    }

    /// Hand computation: POs Dec 1 (free 5) and Dec 10 (free 10). Queue: A needs 3, B needs 4
    /// (2 of them attached to a Dec 20 PO), C needs 9, D needs 1.
    /// A ← Dec 1 (3, 2 left); B: 2 attached (Dec 20) + 2 from Dec 1 → Dec 20; C: 9 from Dec 10 → Dec 10 (1 left);
    /// D: 1 from Dec 10 → Dec 10. A line beyond all supply has no date.
    func testProjectedFillDates() {
        let d = { Day($0)! }
        let queue = [Projection.Line(lineID: 1, unmet: 3, attachments: []),
                     Projection.Line(lineID: 2, unmet: 4, attachments: [(d("2026-12-20"), 2)]),
                     Projection.Line(lineID: 3, unmet: 9, attachments: []),
                     Projection.Line(lineID: 4, unmet: 1, attachments: []),
                     Projection.Line(lineID: 5, unmet: 1, attachments: [])]
        let supplies = [Projection.Supply(expected: d("2026-12-10"), free: 10), Projection.Supply(expected: d("2026-12-01"), free: 5)]
        let dates = Projection.fillDates(queue: queue, supplies: supplies, today: d("2026-11-21"))
        XCTAssertEqual(dates[1] ?? nil, d("2026-12-01"))
        XCTAssertEqual(dates[2] ?? nil, d("2026-12-20"))
        XCTAssertEqual(dates[3] ?? nil, d("2026-12-10"))
        XCTAssertEqual(dates[4] ?? nil, d("2026-12-10"))
        XCTAssertEqual(dates[5] ?? nil, nil)
        // A late PO projects today, not the past.
        let late = Projection.fillDates(queue: [queue[0]], supplies: [.init(expected: d("2026-11-01"), free: 5)], today: d("2026-11-21"))
        XCTAssertEqual(late[1] ?? nil, d("2026-11-21"))
    }
}
