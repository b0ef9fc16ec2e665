import BackorderApp
import BackorderCore
@testable import BackordersTUI
import TerminalKit
import XCTest

/// The actions of every screen, through keys: each write goes through the Desk; refusals show
/// the Desk's message and change nothing.
final class ActionTests: XCTestCase {
    /// Selects an order in the list by filtering for its number.
    private func select(_ h: Harness, order number: String) {
        h.press(.char("1"), .char("/"))
        h.type(number)
        h.press(.enter)
        XCTAssertEqual(h.app.orders.list.selected?.number, number)
    }

    func testPriorityShowsThePreviewThenApplies() throws {
        let h = try Harness()
        // 1192 waits behind others for CALC-SCI and PEN-BLK; at 9 it takes from orders behind it.
        let target = "1195"
        let preview = try h.desk.changePriority(target, to: 9, preview: true)
        select(h, order: target)
        h.press(.char("p"))
        XCTAssertTrue(h.screen.contains("Priority of order \(target)"))
        h.press(.backspace)
        h.type("9")
        h.press(.enter)
        let screen = h.screen
        XCTAssertTrue(screen.contains("Preview"), screen)
        for move in preview.moves.prefix(3) { XCTAssertTrue(screen.contains(move.fromOrder), screen) }
        XCTAssertEqual(try h.desk.order(target).priority, 8, "a preview writes nothing")
        h.press(.escape)
        XCTAssertFalse(h.screen.contains("Preview:"), "Esc goes back to the number")
        h.press(.enter, .char("y"))
        XCTAssertEqual(try h.desk.order(target).priority, 9)
        XCTAssertTrue(h.status.contains("Order \(target) priority 8 → 9"), h.status)
        XCTAssertEqual(h.app.orders.list.selected?.priority, 9, "the list reloads")
    }

    func testPriorityOutOfRangeIsRefusedBesideTheField() throws {
        let h = try Harness()
        h.press(.char("p"), .backspace)
        h.press(.enter)
        XCTAssertTrue(h.screen.contains("Priority is a whole number from 0 to 9"))
    }

    func testAClerkIsRefusedWithTheDesksMessage() throws {
        let h = try Harness(user: "ann")
        for key in ["p", "x", "i"] {
            h.press(.char(Character(key)))
            XCTAssertNil(h.app.modal, key)
            XCTAssertTrue(h.status.contains("needs the supervisor role; ann is a clerk"), h.status)
        }
        h.press(.char("3"), .char("a"))
        XCTAssertEqual(h.status, "adjusting stock needs the supervisor role; ann is a clerk")
        h.press(.char("6"), .char(" "))
        XCTAssertEqual(h.status, "changing preferences needs the admin role; ann is a clerk")
        XCTAssertEqual(try h.desk.preferences().backorderManagement, true, "nothing changed")
    }

    func testVoidAsksFirst() throws {
        let h = try Harness()
        let open = try XCTUnwrap(h.desk.orders(status: .open).first { $0.lines > 0 && (try? h.desk.order($0.number).lines.allSatisfy { $0.shipped == 0 }) == true })
        select(h, order: open.number)
        h.press(.char("v"))
        XCTAssertTrue(h.screen.contains("Void order \(open.number)?"))
        h.press(.char("n"))
        XCTAssertEqual(try h.desk.order(open.number).status, open.status)
        h.press(.char("v"), .char("y"))
        XCTAssertEqual(try h.desk.order(open.number).status, .void)
        XCTAssertTrue(h.status.contains("voided"))
        XCTAssertTrue(h.screen.contains("void"))
    }

    func testRefusedVoidShowsWhy() throws {
        let h = try Harness()
        select(h, order: "1001")
        h.press(.char("v"), .char("y"))
        XCTAssertTrue(h.status.contains("only open orders can be voided") || h.status.contains("cannot be voided"), h.status)
    }

    func testCancelRemainingTakesAReasonFromTheTable() throws {
        let h = try Harness()
        let bo = try XCTUnwrap(h.desk.orders(status: .backorder).first)
        select(h, order: bo.number)
        h.press(.char("x"))
        let screen = h.screen
        for code in ["CUST", "DISC", "DUP", "LATE"] { XCTAssertTrue(screen.contains(code), screen) }
        h.press(.char("l"))   // jumps to LATE
        h.press(.enter)
        let after = try h.desk.order(bo.number)
        XCTAssertTrue(after.lines.allSatisfy { $0.remaining == 0 || $0.cancelled > 0 || $0.shipped == $0.ordered })
        XCTAssertTrue(try h.desk.orderLog(bo.number).contains { $0.message.contains("LATE") })
        XCTAssertTrue(h.status.contains("reason LATE"), h.status)
    }

    func testCancelTheRestOfOneLine() throws {
        let h = try Harness()
        select(h, order: "1193")
        let before = try h.desk.order("1193")
        let line = try XCTUnwrap(before.lines.first { $0.bo })
        h.press(.tab)
        XCTAssertEqual(h.app.orders.focus, .lines)
        for _ in 0..<(line.line - 1) { h.press(.down) }
        h.press(.char("c"))
        XCTAssertTrue(h.screen.contains("Cancel the rest of line \(line.line)"), h.screen)
        h.press(.enter)
        let after = try h.desk.order("1193")
        XCTAssertEqual(after.lines[line.line - 1].cancelled, line.remaining)
        XCTAssertEqual(after.lines.filter { $0.line != line.line }.map(\.cancelled), before.lines.filter { $0.line != line.line }.map(\.cancelled),
                       "only that line")
        XCTAssertTrue(h.status.contains("on line \(line.line) of order 1193, reason CUST"), h.status)
    }

    func testInvoiceOfAPartlyShippedOrderMakesASuborder() throws {
        let h = try Harness()
        // An order with something shipped and something backordered.
        let number = try XCTUnwrap(h.desk.orders(status: .backorder).first { o in
            (try? h.desk.order(o.number).lines.contains { $0.shipped > 0 && $0.inventoried }) == true
        }?.number)
        select(h, order: number)
        h.press(.char("i"), .char("y"))
        XCTAssertTrue(h.status.contains("Invoice "), h.status)
        XCTAssertTrue(h.status.contains("suborder \(number).01"), h.status)
        XCTAssertEqual(try h.desk.order(number).status, .invoiced)
    }

    func testShipmentsPickShipAndCancel() throws {
        let h = try Harness()
        let pending = try h.desk.shipments(status: .pending)
        let first = try XCTUnwrap(pending.first)
        select(h, order: first.order)
        h.press(.tab)
        XCTAssertEqual(h.app.orders.focus, .lines)
        h.press(.tab)
        XCTAssertEqual(h.app.orders.focus, .shipments)
        let shipments = try XCTUnwrap(h.app.orders.detail?.shipments)
        let index = try XCTUnwrap(shipments.firstIndex { $0.id == first.id })
        for _ in 0..<index { h.press(.down) }
        h.press(.char("k"))
        XCTAssertEqual(try h.desk.shipments(order: first.order).first { $0.id == first.id }?.status, .picked)
        h.press(.char("c"))
        XCTAssertTrue(h.status.contains("only a pending shipment can be cancelled"), h.status)
        XCTAssertNil(h.app.modal)
        h.press(.char("s"))
        XCTAssertTrue(h.screen.contains("Ship shipment \(first.id)?"), "shipping asks first")
        h.press(.char("n"))
        XCTAssertEqual(try h.desk.shipments(order: first.order).first { $0.id == first.id }?.status, .picked)
        h.press(.char("s"), .char("y"))
        XCTAssertEqual(try h.desk.shipments(order: first.order).first { $0.id == first.id }?.status, .shipped)
        XCTAssertTrue(h.status.contains("Shipment \(first.id) shipped"))
        h.press(.escape)
        XCTAssertEqual(h.app.orders.focus, .list)
    }

    func testReceiveAndAdjustFromTheListAndTheDrillDown() throws {
        let h = try Harness()
        h.press(.char("3"), .char("/"))
        h.type("ERASER")
        h.press(.enter)
        XCTAssertEqual(h.app.items.list.selected?.code, "ERASER")
        h.press(.char("r"))
        XCTAssertTrue(h.screen.contains("Receive ERASER at MAIN"))
        h.type("0")
        h.press(.enter)
        XCTAssertTrue(h.screen.contains("quantity must be at least 1"), h.screen)
        h.press(.backspace)
        h.type("5")
        h.press(.enter)
        XCTAssertTrue(h.status.contains("Received 5 ERASER at MAIN"), h.status)
        XCTAssertEqual(h.app.items.list.selected?.balance.onHand, 130)

        h.press(.enter)   // the drill-down
        XCTAssertEqual(h.app.items.drill?.lic, "ERASER")
        h.press(.char("a"))
        h.type("-2")
        h.press(.enter)
        h.press(.enter)
        XCTAssertTrue(h.screen.contains("an adjustment needs a reason"), h.screen)
        h.type("cycle count")
        h.press(.enter)
        XCTAssertTrue(h.status.contains("Adjusted ERASER at MAIN by -2"), h.status)
        XCTAssertEqual(h.app.items.drill?.balance.onHand, 128)
        XCTAssertTrue(h.screen.contains("cycle count"), "the ledger row shows")
        h.press(.escape)
        XCTAssertNil(h.app.items.drill)
    }

    func testDrillDownEnterOpensTheOrderAndLocationsSwitch() throws {
        let h = try Harness()
        h.press(.char("3"), .char("/"))
        h.type("PEN-BLK")
        h.press(.enter, .enter, .down)
        let line = try XCTUnwrap(h.app.items.queue.selected)
        XCTAssertEqual(line.entry.position, 2)
        h.press(.enter)
        XCTAssertEqual(h.app.current, .orders)
        XCTAssertEqual(h.app.orders.detail?.number, line.entry.order)
        h.press(.char("3"), .escape, .char("l"))
        XCTAssertEqual(h.app.items.location, "WEST", "locations in code order: EAST, MAIN, WEST")
        XCTAssertTrue(h.screen.contains("Items at WEST"))
    }

    func testPreferencesToggleChoiceAndNumbersWithLimits() throws {
        let h = try Harness()
        h.press(.char("6"), .down)   // Fair queue at entry: it changes the desk for everyone, so it asks.
        h.press(.char(" "))
        XCTAssertTrue(h.screen.contains("Turn off the fair queue at entry for everyone?"), h.screen)
        XCTAssertEqual(try h.desk.preferences().fairQueue, true, "nothing changes before the answer")
        h.press(.enter)
        XCTAssertEqual(try h.desk.preferences().fairQueue, true, "Enter is No")
        h.press(.char(" "), .char("y"))
        XCTAssertEqual(try h.desk.preferences().fairQueue, false)
        XCTAssertTrue(h.status.contains("Fair queue at entry: [ ] off"), h.status)
        h.press(.down, .right)   // Split prompt: ask → always
        XCTAssertTrue(h.screen.contains("Change the split prompt from ask to always for everyone?"), h.screen)
        h.press(.char("y"))
        XCTAssertEqual(try h.desk.preferences().splitPrompt, .always)
        h.press(.left, .char("y"))
        XCTAssertEqual(try h.desk.preferences().splitPrompt, .ask)
        // Each change is in the preferences log, with who changed it from what to what.
        let log = try h.desk.preferenceLog()
        XCTAssertEqual(log.prefix(3).map { "\($0.key.rawValue) \($0.from)→\($0.to) \($0.actor)" },
                       ["split_prompt always→ask admin", "split_prompt ask→always admin", "fair_queue true→false admin"])
        for _ in 0..<5 { h.press(.down) }   // 7792 interval
        XCTAssertEqual(h.app.preferences.selectedKey, .primaryIntervalMinutes)
        h.press(.enter, .ctrl("u"))
        h.type("0")
        h.press(.enter)
        XCTAssertTrue(h.screen.contains("✗ 1–10,080"), h.screen)
        XCTAssertEqual(h.status, "7792 interval (minutes) takes a whole number from 1–10,080; nothing changed.")
        XCTAssertEqual(try h.desk.preferences().primaryIntervalMinutes, 30)
        h.press(.backspace)
        h.type("15")
        h.press(.enter)
        XCTAssertEqual(try h.desk.preferences().primaryIntervalMinutes, 15)
        h.press(.char("7"), .escape)
        XCTAssertEqual(try h.desk.preferences().primaryIntervalMinutes, 15, "Esc keeps the old value")
        // A field that shows a value is replaced by typing, not appended to.
        h.press(.enter)
        XCTAssertTrue(h.screen.contains("15"), h.screen)
        h.type("45")
        h.press(.enter)
        XCTAssertEqual(try h.desk.preferences().primaryIntervalMinutes, 45, "typing over 15 gives 45, not 1545")
        h.press(.tab, .down, .char(" "))
        XCTAssertTrue(h.screen.contains("Turn off schedule 8050 Secondary Backorder Process for everyone?"), h.screen)
        h.press(.char("y"))
        XCTAssertEqual(try h.desk.preferences().secondaryEnabled, false, "Space on a schedule turns it off")
        XCTAssertTrue(h.screen.contains("8050 off"), "the header follows")
    }

    func testTurningBackorderManagementOffIdlesTheSchedules() throws {
        let h = try Harness()
        h.press(.char("6"), .char(" "))
        XCTAssertTrue(h.screen.contains("Turn off back order management for everyone?"), h.screen)
        h.press(.char("y"))
        XCTAssertEqual(try h.desk.preferences().backorderManagement, false)
        let screen = h.screen
        XCTAssertTrue(screen.contains("BO mgmt off") && screen.contains("7792 idle"), screen)
        XCTAssertTrue(screen.contains("idle: back order management is off"))
        h.press(.tab, .char("r"))
        h.app.waitForJobs()
        XCTAssertTrue(h.status.contains("did not run: back order management is off"), h.status)
    }
}
