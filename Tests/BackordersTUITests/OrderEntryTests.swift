import BackorderApp
import BackorderCore
@testable import BackordersTUI
import TerminalKit
import XCTest

/// Order entry by keys through the in-memory backend: the textbook example (20 in stock, 25
/// ordered) and every answer to "split by availability?", field errors, leaving.
final class OrderEntryTests: XCTestCase {
    /// n, customer HILLCREST-HS (completed from "hill"), Enter, TEXTBOOK, Enter, 25, Enter.
    private func enterTextbook(_ h: Harness, quantity: String = "25") {
        h.press(.char("n"))
        h.type("hill")
        h.press(.enter)
        h.type("textbook")
        h.press(.enter)
        h.type(quantity)
        h.press(.enter)
    }

    private var form: (Harness) -> OrderEntryForm? { { $0.app.orders.entry } }

    /// Tabs until `field` has the focus.
    private func tab(_ h: Harness, to field: OrderEntryForm.Field, file: StaticString = #filePath, line: UInt = #line) {
        for _ in 0..<30 where form(h)?.focus != field { h.press(.tab) }
        XCTAssertEqual(form(h)?.focus, field, file: file, line: line)
    }

    func testTextbookIsInStockWithNoOrders() throws {
        let h = try Harness()
        let view = try h.desk.lic("TEXTBOOK")
        XCTAssertEqual(view.balance.onHand, 20)
        XCTAssertEqual(view.balance.available, 20)
        XCTAssertTrue(view.lines.isEmpty)
    }

    func testFocusStartsOnCustomerAndEnterMovesCustomerLicQtyNextLic() throws {
        let h = try Harness()
        h.press(.char("n"))
        XCTAssertEqual(form(h)?.focus, .customer)
        h.type("hill")
        XCTAssertTrue(h.screen.contains("HILLCREST-HS  Hillcrest High School"), "completion as you type")
        h.press(.enter)
        XCTAssertEqual(form(h)?.customer.text, "HILLCREST-HS")
        XCTAssertEqual(form(h)?.focus, .lic(0))
        h.type("pen-b")
        h.press(.enter)
        XCTAssertEqual(form(h)?.lines[0].lic.text, "PEN-BLK")
        XCTAssertEqual(form(h)?.focus, .qty(0))
        h.type("2")
        h.press(.enter)
        // None is free for a new order (the queue waits for this morning's receipt): it asks.
        XCTAssertEqual(form(h)?.question, 0)
        h.press(.char("y"))
        XCTAssertEqual(form(h)?.focus, .lic(1), "a new line after the quantity")
        XCTAssertEqual(form(h)?.lines.count, 2)
        h.press(.tab, .tab)
        XCTAssertEqual(form(h)?.focus, .customer, "Tab wraps from the last field to the header")
        h.press(.tab)
        XCTAssertEqual(form(h)?.focus, .location)
        h.press(.tab, .tab, .tab, .tab)
        XCTAssertEqual(form(h)?.focus, .deposit)
        h.press(.backTab, .backTab, .backTab)
        XCTAssertEqual(form(h)?.focus, .policy)
        h.press(.char(" "))
        XCTAssertEqual(form(h)?.policy, .complete, "Space cycles the policy")
    }

    func testYesSavesTwoLinesTwentyAllottedAndFiveBackordered() throws {
        let h = try Harness()
        let before = try h.desk.orderCount()
        enterTextbook(h)
        let screen = h.screen
        XCTAssertTrue(screen.contains("Only 20 of 25 available. Split by availability?  [Y]es  [N]o  [Esc] back"), screen)
        XCTAssertEqual(form(h)?.question, 0)
        h.press(.char("Y"))
        XCTAssertNil(form(h)?.question)
        let shown = h.screen
        XCTAssertTrue(shown.contains("allotted now") && shown.contains("backordered"), "the two resulting lines show:\n\(shown)")
        h.press(.ctrl("s"))
        XCTAssertEqual(try h.desk.orderCount(), before + 1)
        XCTAssertNil(form(h), "the form closes after saving")
        let order = try h.desk.order(XCTUnwrap(h.app.orders.detail?.number))
        XCTAssertEqual(order.customer, "HILLCREST-HS")
        XCTAssertEqual(order.lines.map(\.ordered), [20, 5])
        XCTAssertEqual(order.lines.map(\.allotted), [20, 0])
        XCTAssertEqual(order.lines.map(\.bo), [false, true])
        XCTAssertEqual(h.app.orders.list.selected?.number, order.number, "the new order is selected in the list")
        XCTAssertTrue(h.status.contains("Order \(order.number) saved"), h.status)
        XCTAssertTrue(h.screen.contains("Order \(order.number)"))
    }

    func testNoSavesOneWholeLineBackorder() throws {
        let h = try Harness()
        enterTextbook(h)
        h.press(.char("n"))
        XCTAssertTrue(h.screen.contains("whole line BO"))
        h.press(.f(2))
        let order = try h.desk.order(XCTUnwrap(h.app.orders.detail?.number))
        XCTAssertEqual(order.lines.count, 1)
        XCTAssertEqual(order.lines[0].ordered, 25)
        XCTAssertTrue(order.lines[0].wholeLine)
        XCTAssertTrue(order.lines[0].bo)
        XCTAssertTrue(order.shipments.isEmpty, "nothing ships until all 25 are allotted")
    }

    func testEscapeGoesBackToTheQuantityWithNothingChanged() throws {
        let h = try Harness()
        let before = try h.desk.orderCount()
        enterTextbook(h)
        XCTAssertEqual(form(h)?.question, 0)
        h.press(.escape)
        let f = try XCTUnwrap(form(h))
        XCTAssertNil(f.question)
        XCTAssertEqual(f.focus, .qty(0))
        XCTAssertEqual(f.lines[0].qty.text, "25")
        XCTAssertNil(f.lines[0].answer)
        XCTAssertEqual(f.lines.count, 1, "no new line")
        XCTAssertEqual(try h.desk.orderCount(), before)
        XCTAssertFalse(h.screen.contains("Split by availability?"))
        // Changing the quantity to what is available needs no question.
        h.press(.backspace, .backspace)
        h.type("20")
        h.press(.enter)
        XCTAssertNil(form(h)?.question)
        XCTAssertEqual(form(h)?.focus, .lic(1))
    }

    func testSavingWithAShortUnansweredLineAsksFirst() throws {
        let h = try Harness()
        h.press(.char("n"))
        h.type("hill")
        h.press(.enter)
        h.type("TEXTBOOK")
        h.press(.tab)
        h.type("25")
        h.press(.ctrl("s"))
        XCTAssertEqual(form(h)?.question, 0, "the question comes before anything is saved")
        XCTAssertTrue(h.status.contains("answer the split question"))
        h.press(.char("y"), .ctrl("s"))
        XCTAssertNil(form(h))
    }

    func testDifferentAnswersPerLine() throws {
        let h = try Harness()
        // RULER-12 gets a short quantity too: 5 more than is available.
        let rulerAvailable = try h.desk.availableToOrder(lic: "CALC-SCI", location: "MAIN", priority: 9)
        enterTextbook(h)
        h.press(.char("y"))
        h.type("CALC-SCI")
        h.press(.enter)
        tab(h, to: .priority)
        h.press(.backspace)
        h.type("9")
        tab(h, to: .qty(1))
        h.type(String(rulerAvailable + 5))
        h.press(.enter)
        XCTAssertEqual(form(h)?.question, 1)
        h.press(.char("n"), .ctrl("s"))
        let order = try h.desk.order(XCTUnwrap(h.app.orders.detail?.number))
        XCTAssertEqual(order.priority, 9)
        XCTAssertEqual(order.lines.map(\.lic), ["TEXTBOOK", "TEXTBOOK", "CALC-SCI"])
        XCTAssertEqual(order.lines.map(\.wholeLine), [false, false, true])
        XCTAssertEqual(order.lines.map(\.ordered), [20, 5, rulerAvailable + 5])
    }

    func testAvailableToOrderIsLiveAndCountsEarlierLinesAndPriority() throws {
        let h = try Harness()
        h.press(.char("n"))
        h.type("hill")
        h.press(.enter)
        h.type("TEXTBOOK")
        h.press(.enter)
        XCTAssertEqual(form(h)?.lines[0].available, 20, "shown once the LIC is known")
        h.type("8")
        h.press(.enter)
        h.type("TEXTBOOK")
        h.press(.enter)
        XCTAssertEqual(form(h)?.lines[1].available, 12, "the line above takes its 8 first")
        XCTAssertTrue(h.screen.contains("12"))
        // Priority: PEN-BLK has a queue; a higher priority sees more of the stock.
        h.press(.enter)   // empty qty on line 2 → stays
        let low = try h.desk.availableToOrder(lic: "PEN-BLK", location: "MAIN", priority: 0)
        let high = try h.desk.availableToOrder(lic: "PEN-BLK", location: "MAIN", priority: 9)
        XCTAssertLessThan(low, high)
        h.press(.ctrl("x"))   // remove line 2
        h.press(.ctrl("x"))   // line 1 again: the form keeps one blank line
        XCTAssertEqual(form(h)?.lines.count, 1)
        h.type("PEN-BLK")
        h.press(.enter)
        XCTAssertEqual(form(h)?.lines[0].available, low)
        tab(h, to: .priority)
        h.press(.backspace)
        h.type("9")
        XCTAssertEqual(form(h)?.lines[0].available, high, "the priority field changes the figure")
    }

    func testFieldErrorsShowBesideTheirFieldAndNothingIsSaved() throws {
        let h = try Harness()
        let before = try h.desk.orderCount()
        h.press(.char("n"))
        h.type("NOPE")
        h.press(.enter)
        XCTAssertEqual(form(h)?.focus, .customer, "an unknown customer keeps the focus")
        XCTAssertTrue(h.screen.contains("Customer  NOPE") && h.screen.contains("Unknown customer 'NOPE'"), h.screen)
        h.press(.ctrl("u"))
        h.type("ACME-LAW")
        h.press(.enter)
        h.type("NO-SUCH-LIC")
        h.press(.enter)
        XCTAssertEqual(form(h)?.focus, .lic(0))
        XCTAssertTrue(h.screen.contains("NO-SUCH-LIC") && h.screen.contains("Unknown LIC"), h.screen)
        h.press(.ctrl("u"))
        h.type("ERASER")
        h.press(.enter)
        h.type("0")
        h.press(.enter)
        XCTAssertEqual(form(h)?.focus, .qty(0))
        XCTAssertTrue(h.screen.contains("Qty 1–1,000,000,000"), h.screen)
        h.press(.backspace)
        h.type("2000000000")
        h.press(.enter)
        XCTAssertEqual(form(h)?.focus, .qty(0), "more than 1,000,000,000 is refused")
        h.press(.ctrl("u"))
        h.type("3")
        // Bad schedule date and deposit: errors beside them; saving refuses and points there.
        tab(h, to: .schedule)
        h.type("2026-13-45")
        h.press(.tab)
        h.type("12.345")
        h.press(.ctrl("s"))
        XCTAssertNotNil(form(h))
        XCTAssertEqual(form(h)?.focus, .schedule, "focus goes to the first field to fix")
        let screen = h.screen
        XCTAssertTrue(screen.contains("Schedule date is a date like 2026-12-31"), screen)
        XCTAssertTrue(screen.contains("Deposit is an amount like 125.50"), screen)
        XCTAssertTrue(h.status.contains("Not saved"))
        XCTAssertEqual(try h.desk.orderCount(), before)
        h.press(.ctrl("u"))
        h.type("2026-12-31")
        h.press(.tab, .ctrl("u"))
        h.type("12.50")
        h.press(.ctrl("s"))
        XCTAssertNil(form(h))
        let order = try h.desk.order(XCTUnwrap(h.app.orders.detail?.number))
        XCTAssertEqual(order.scheduleDate, "2026-12-31")
        XCTAssertEqual(order.prepaidCents, 1250)
        XCTAssertEqual(order.lines.map(\.ordered), [3])
    }

    func testEscapeAsksBeforeLeavingWhatWasTyped() throws {
        let h = try Harness()
        h.press(.char("n"))
        h.press(.escape)
        XCTAssertNil(form(h), "an empty form leaves at once")
        h.press(.char("n"))
        h.type("ACME")
        h.press(.escape)   // closes the suggestions first
        XCTAssertNotNil(form(h))
        h.press(.escape)
        XCTAssertTrue(h.screen.contains("Leave order entry?"))
        h.press(.char("n"))
        XCTAssertNotNil(form(h), "No keeps the form")
        XCTAssertEqual(form(h)?.customer.text, "ACME")
        h.press(.escape, .char("y"))
        XCTAssertNil(form(h))
        XCTAssertTrue(h.status.contains("nothing was saved"))
    }

    func testQAndDigitsAreTypedNotGlobalKeys() throws {
        let h = try Harness()
        h.press(.char("n"))
        h.type("q2?")
        XCTAssertFalse(h.app.quitRequested)
        XCTAssertEqual(h.app.current, .orders)
        XCTAssertEqual(form(h)?.customer.text, "q2?")
        // A screen key with a half-typed order asks before dropping it.
        h.press(.f(3))
        XCTAssertEqual(h.app.current, .orders)
        XCTAssertTrue(h.screen.contains("Discard the order you are typing?"), h.screen)
        h.press(.char("n"))
        XCTAssertEqual(h.app.current, .orders)
        XCTAssertEqual(form(h)?.customer.text, "q2?", "No keeps the form as it was")
        h.press(.f(3), .char("y"))
        XCTAssertEqual(h.app.current, .items, "function keys still switch screens")
        XCTAssertNil(form(h), "the discarded order is gone")
        XCTAssertTrue(h.status.contains("Discarded the order you are typing"), h.status)
    }

    func testQuittingWithAHalfTypedOrderAsksFirst() throws {
        let h = try Harness()
        h.press(.char("n"))
        h.type("hill")
        h.press(.ctrl("c"))
        XCTAssertFalse(h.app.quitRequested)
        XCTAssertTrue(h.screen.contains("Quit and discard the order you are typing?"), h.screen)
        h.press(.escape)
        XCTAssertFalse(h.app.quitRequested, "Esc is No")
        XCTAssertEqual(form(h)?.customer.text, "hill")
        h.press(.ctrl("c"), .char("y"))
        XCTAssertTrue(h.app.quitRequested)
        // An empty form is nothing to lose.
        let h2 = try Harness()
        h2.press(.char("n"), .ctrl("c"))
        XCTAssertTrue(h2.app.quitRequested)
    }

    func testRefusedForAUserWhoCannotEnterOrders() throws {
        // Every role may enter orders; a clerk sees the form like anyone.
        let h = try Harness(user: "ann")
        h.press(.char("n"))
        XCTAssertNotNil(form(h))
    }

    func testNothingAvailableAsksShipAsItArrivesOrWaitForAll() throws {
        for (answer, whole) in [(Key.char("y"), false), (.char("n"), true)] {
            let h = try Harness()
            h.press(.char("n"))
            h.type("hill")
            h.press(.enter)
            h.type("CALC-GRAPH")   // 0 on hand, a queue waiting
            h.press(.enter)
            h.type("4")
            h.press(.enter)
            XCTAssertEqual(form(h)?.question, 0, "the question matters even with nothing available (§4.2)")
            XCTAssertTrue(h.screen.contains("None of 4 available. Ship as it arrives?  [Y]es  [N]o, wait for all 4"), h.screen)
            h.press(answer)
            XCTAssertTrue(h.screen.contains(whole ? "whole line BO" : "BO, ships as it comes"), h.screen)
            h.press(.ctrl("s"))
            let order = try h.desk.order(XCTUnwrap(h.app.orders.detail?.number))
            XCTAssertEqual(order.lines.map(\.ordered), [4])
            XCTAssertEqual(order.lines.map(\.bo), [true])
            XCTAssertEqual(order.lines.map(\.wholeLine), [whole])
        }
    }

    func testTypingOverAPrefilledFieldReplacesIt() throws {
        let h = try Harness()
        h.press(.char("n"))
        h.type("hill")
        h.press(.enter)          // HILLCREST-HS, its default priority 0 filled in
        tab(h, to: .priority)
        XCTAssertEqual(form(h)?.priority.text, "0")
        XCTAssertEqual(form(h)?.priority.isSelected, true, "a field showing a value gets focus selected")
        h.type("7")
        XCTAssertEqual(form(h)?.priority.text, "7", "typing 7 over 0 gives 7, not 07")
        tab(h, to: .location)
        h.type("E")
        XCTAssertEqual(form(h)?.location.text, "E", "typing over MAIN replaces it")
        h.press(.backspace)
        h.type("WEST")
        tab(h, to: .location)
        h.press(.backspace)
        XCTAssertEqual(form(h)?.location.text, "WES", "Backspace edits the value instead of replacing it")
        tab(h, to: .lic(0))
        h.type("TEXTBOOK")
        h.press(.enter)
        h.type("5")
        h.press(.tab)
        tab(h, to: .qty(0))
        h.type("12")
        XCTAssertEqual(form(h)?.lines[0].qty.text, "12", "a quantity is replaced too")
    }

    func testShipCompleteOrCancelAsksKeepOrCancel() throws {
        let h = try Harness()
        h.press(.char("n"))
        h.type("hill")
        h.press(.enter)
        tab(h, to: .policy)
        h.press(.char(" "), .char(" "), .char(" "))
        XCTAssertEqual(form(h)?.policy, .completeOrCancel)
        tab(h, to: .lic(0))
        h.type("TEXTBOOK")
        h.press(.enter)
        h.type("25")
        h.press(.enter)
        XCTAssertNotNil(form(h)?.question, "§4.2: the split question is asked under every policy")
        h.press(.char("y"))
        h.press(.ctrl("s"))
        XCTAssertTrue(h.screen.contains("Keep until complete"), h.screen)
        h.press(.char("c"))
        XCTAssertTrue(h.screen.contains("Reason"))
        h.press(.enter)
        let order = try h.desk.order(XCTUnwrap(h.app.orders.detail?.number))
        XCTAssertEqual(order.status, .cancelled)
    }
}
