import TestSupport
import BackorderApp
import BackorderCore
import BackorderStore
import XCTest

/// The rules of product §4, through the use cases the command line and the UI call.
final class RuleTests: XCTestCase {
    func testTextbookYesSplitsAndShipsTheAvailable() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        try f.lic("TEXTBOOK", stock: 20)
        let o = try f.order("C1", [("TEXTBOOK", 25)], split: .yes)
        XCTAssertEqual(o.lines.map(\.ordered), [20, 5])
        XCTAssertEqual(o.lines.map(\.allotted), [20, 0])
        XCTAssertEqual(o.lines.map(\.bo), [false, true])
        XCTAssertEqual(o.shipments.count, 1)
        XCTAssertEqual(o.shipments[0].items.map(\.qty), [20])
        XCTAssertEqual(o.status, .backorder)
        XCTAssertTrue(try f.admin.orderLog(o.number).contains { $0.message.contains("Only 20 of 25 TEXTBOOK available: split") })
        try f.assertInvariants()
    }

    func testTextbookNoShipsNothingUntilAllAllotted() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        try f.lic("TEXTBOOK", stock: 20)
        let o = try f.order("C1", [("TEXTBOOK", 25)], split: .no)
        XCTAssertEqual(o.lines.count, 1)
        XCTAssertEqual(o.lines[0].ordered, 25)
        XCTAssertTrue(o.lines[0].bo)
        XCTAssertTrue(o.lines[0].wholeLine)
        XCTAssertTrue(o.shipments.isEmpty)
        _ = try f.admin.receive(lic: "TEXTBOOK", qty: 5)
        _ = try f.admin.runProcess(.primary)
        let after = try f.admin.order(o.number)
        XCTAssertFalse(after.lines[0].bo)
        XCTAssertEqual(after.shipments.map { $0.items.map(\.qty) }, [[25]])
        try f.assertInvariants()
    }

    func testShortWithoutAnAnswerIsRefusedAndWritesNothing() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        try f.lic("TEXTBOOK", stock: 20)
        XCTAssertThrowsError(try f.order("C1", [("TEXTBOOK", 25)], split: nil)) { e in
            XCTAssertEqual(e as? DeskError, .question(.split(lic: "TEXTBOOK", requested: 25, available: 20)))
            XCTAssertEqual("\(e)", "Only 20 of 25 TEXTBOOK available. Split by availability?")
        }
        XCTAssertTrue(try f.admin.orders().isEmpty)
        // The order number was not used up.
        XCTAssertEqual(try f.order("C1", [("TEXTBOOK", 2)]).number, "1001")
    }

    func testFirstEnteredWinsAndFairQueueKeepsLaterOrdersBehind() throws {
        let f = try DeskFixture()
        try f.customers("C1", "C2", "C3")
        try f.lic("W", stock: 10)
        let a = try f.order("C1", [("W", 8)])
        let b = try f.order("C2", [("W", 6)])     // 2 available, 4 backordered
        XCTAssertEqual(b.lines.map(\.allotted), [2, 0])
        // A return frees 3 units; they wait for the secondary process, and a new order may not take
        // them ahead of B's waiting line.
        try f.admin.shipShipment(a.shipments[0].id)
        try f.admin.recordReturn(order: a.number, lic: "W", qty: 3)
        XCTAssertEqual(try f.admin.availableToOrder(lic: "W", location: "MAIN", priority: 0), 0)
        let c = try f.order("C3", [("W", 2)])
        XCTAssertEqual(c.lines[0].allotted, 0)
        let run = try f.admin.runProcess(.secondary)
        XCTAssertEqual(run.stats.unitsAllotted, 3)
        XCTAssertEqual(try f.admin.order(b.number).lines.map(\.allotted), [2, 3])
        XCTAssertEqual(try f.admin.order(c.number).lines[0].allotted, 0)
        try f.assertInvariants()
    }

    func testFairQueueOffLetsANewOrderTakeReleasedStock() throws {
        let f = try DeskFixture()
        _ = try f.admin.setPreference("fair_queue", "false")
        try f.customers("C1", "C2", "C3")
        try f.lic("W", stock: 10)
        let a = try f.order("C1", [("W", 10)])
        _ = try f.order("C2", [("W", 4)])
        try f.admin.voidOrder(a.number)
        let c = try f.order("C3", [("W", 5)])
        XCTAssertEqual(c.lines[0].allotted, 5, "aACE behaviour: stock released since the last run goes to the next order entered")
        // The next process run restores queue order.
        _ = try f.admin.runProcess(.secondary)
        XCTAssertEqual(try f.admin.lic("W").lines.map(\.allotted), [4, 5])
        try f.assertInvariants()
    }

    func testPriorityPreviewMatchesTheChangeAndLogsBothOrders() throws {
        let f = try DeskFixture()
        try f.customers("C1", "C2", "C3")
        try f.lic("WIDGET", stock: 10)
        let first = try f.order("C1", [("WIDGET", 6)])
        let second = try f.order("C2", [("WIDGET", 4)])
        let third = try f.order("C3", [("WIDGET", 7)])
        XCTAssertEqual(third.lines.map(\.allotted), [0])
        let preview = try f.admin.changePriority(third.number, to: 5, preview: true)
        XCTAssertEqual(preview.moves, [PriorityMove(lic: "WIDGET", fromOrder: first.number, fromLine: 1, qty: 3, customer: "C1"),
                                       PriorityMove(lic: "WIDGET", fromOrder: second.number, fromLine: 1, qty: 4, customer: "C2")])
        XCTAssertEqual(preview.gains, [PriorityMove(lic: "WIDGET", fromOrder: third.number, fromLine: 1, qty: 7, customer: "C3")])
        XCTAssertEqual(try f.admin.order(third.number).priority, 0, "a preview writes nothing")
        let applied = try f.admin.changePriority(third.number, to: 5, preview: false)
        XCTAssertEqual(applied.moves, preview.moves)
        XCTAssertEqual(try f.admin.order(third.number).lines[0].allotted, 7)
        XCTAssertEqual(try f.admin.order(first.number).lines[0].allotted, 3)
        XCTAssertEqual(try f.admin.order(second.number).lines[0].allotted, 0)
        // The bumped orders' pending shipments shrank or went away.
        XCTAssertEqual(try f.admin.order(second.number).shipments.first?.status, .cancelled)
        XCTAssertEqual(try f.admin.order(first.number).shipments.first?.items.map(\.qty), [3])
        XCTAssertTrue(try f.admin.orderLog(second.number).contains { $0.message == "Line 1 gave up 4 WIDGET to order \(third.number) by a priority change; backorder flag set." })
        XCTAssertTrue(try f.admin.orderLog(third.number).contains { $0.message == "Fulfillment priority changed from 0 to 5." })
        try f.assertInvariants()
    }

    func testEntryAtHigherPriorityTakesFromTheEndOfTheQueue() throws {
        let f = try DeskFixture()
        try f.customers("C1", "C2")
        try f.admin.addCustomer("VIP", name: "Important", priority: 7, terms: .ar)
        try f.lic("W", stock: 10)
        let a = try f.order("C1", [("W", 6)])
        let b = try f.order("C2", [("W", 4)])
        let vip = try f.order("VIP", [("W", 5)])
        XCTAssertEqual(vip.priority, 7, "the customer's default priority")
        XCTAssertEqual(vip.lines[0].allotted, 5)
        XCTAssertEqual(try f.admin.order(b.number).lines[0].allotted, 0)
        XCTAssertEqual(try f.admin.order(a.number).lines[0].allotted, 5)
        try f.assertInvariants()
    }

    func testPickedQuantitiesAreFrozen() throws {
        let f = try DeskFixture()
        try f.customers("C1", "C2")
        try f.lic("W", stock: 10)
        let a = try f.order("C1", [("W", 10)])
        try f.admin.pickShipment(a.shipments[0].id)
        let b = try f.order("C2", [("W", 5)], priority: 9)
        XCTAssertEqual(b.lines[0].allotted, 0, "nothing movable: all 10 are picked")
        XCTAssertTrue(try f.admin.changePriority(b.number, to: 9, preview: true).moves.isEmpty)
        XCTAssertThrowsError(try f.admin.adjust(lic: "W", delta: -1, reason: "damaged")) { e in
            XCTAssertTrue("\(e)".contains("picked"))
        }
        try f.admin.shipShipment(a.shipments[0].id)
        let lic = try f.admin.lic("W")
        XCTAssertEqual(lic.balance.onHand, 0)
        XCTAssertEqual(lic.balance.allotted, 0)
        try f.assertInvariants()
    }

    func testNewAllotmentsAppendToTheOrdersPendingShipment() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        try f.lic("A", stock: 2)
        let o = try f.order("C1", [("A", 5)])
        XCTAssertEqual(o.shipments.count, 1)
        _ = try f.admin.receive(lic: "A", qty: 3)
        let run = try f.admin.runProcess(.primary)
        XCTAssertEqual(run.stats.shipmentsAppended, 1)
        XCTAssertEqual(run.stats.shipmentsCreated, 0)
        let after = try f.admin.order(o.number)
        XCTAssertEqual(after.shipments.count, 1)
        XCTAssertEqual(after.shipments[0].items.map(\.qty), [2, 3])
        try f.assertInvariants()
    }

    func testAppendByLocationUsesTheCustomersPendingShipment() throws {
        let f = try DeskFixture()
        _ = try f.admin.setPreference("append_by_location", "true")
        try f.customers("C1")
        try f.lic("A", stock: 5)
        try f.lic("B")
        let first = try f.order("C1", [("A", 5)])
        let second = try f.order("C1", [("B", 2)])
        XCTAssertTrue(second.shipments.isEmpty)
        _ = try f.admin.receive(lic: "B", qty: 2)
        _ = try f.admin.runProcess(.primary)
        let shipments = try f.admin.shipments(status: .pending)
        XCTAssertEqual(shipments.count, 1)
        XCTAssertEqual(shipments[0].order, first.number)
        XCTAssertEqual(shipments[0].units, 7)
        XCTAssertTrue(try f.admin.orderLog(second.number).contains { $0.message.contains("of order \(first.number), same customer and location") })
        try f.assertInvariants()
    }

    func testCompletePolicyShipsNothingUntilEveryLineIsAllotted() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        try f.lic("A", stock: 5)
        try f.lic("B", stock: 1)
        XCTAssertThrowsError(try f.order("C1", [("A", 5), ("B", 3)], split: nil, policy: .complete),
                             "§4.2: a short line asks the split question whatever the policy")
        let o = try f.order("C1", [("A", 5), ("B", 3)], split: .no, policy: .complete)
        XCTAssertEqual(o.lines.count, 2)
        XCTAssertTrue(o.shipments.isEmpty)
        _ = try f.admin.receive(lic: "B", qty: 2)
        _ = try f.admin.runProcess(.primary)
        XCTAssertEqual(try f.admin.order(o.number).shipments.first?.items.map(\.qty), [5, 3])
        try f.assertInvariants()
    }

    func testNegativeAdjustmentTakesBackFromTheQueueEnd() throws {
        let f = try DeskFixture()
        try f.customers("C1", "C2")
        try f.lic("W", stock: 10)
        let a = try f.order("C1", [("W", 6)])
        let b = try f.order("C2", [("W", 4)])
        try f.admin.adjust(lic: "W", delta: -5, reason: "water damage")
        XCTAssertEqual(try f.admin.order(b.number).lines[0].allotted, 0)
        XCTAssertEqual(try f.admin.order(a.number).lines[0].allotted, 5)
        XCTAssertTrue(try f.admin.order(b.number).lines[0].bo)
        try f.assertInvariants()
    }

    func testManagementOffNoQuestionAndProcessesRefuse() throws {
        let f = try DeskFixture(managed: false)
        try f.customers("C1")
        try f.lic("W")
        _ = try f.admin.receive(lic: "W", qty: 3)
        let o = try f.order("C1", [("W", 5)], split: nil)
        XCTAssertEqual(o.lines.map(\.ordered), [5])
        XCTAssertEqual(o.lines.map(\.allotted), [3])
        XCTAssertThrowsError(try f.admin.runProcess(.primary)) { e in
            XCTAssertTrue("\(e)".contains("back order management is off"))
        }
        try f.assertInvariants()
    }

    func testProcessRunsAreIdempotentAndRecorded() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        try f.lic("W")
        _ = try f.order("C1", [("W", 4)])
        _ = try f.admin.receive(lic: "W", qty: 4)
        let first = try f.admin.runProcess(.primary)
        XCTAssertEqual(first.stats.unitsAllotted, 4)
        let second = try f.admin.runProcess(.primary)
        XCTAssertEqual(second.licsProcessed, 0)
        XCTAssertEqual(second.stats.unitsAllotted, 0)
        let runs = try f.admin.runs()
        XCTAssertEqual(runs.prefix(2).map(\.stats.unitsAllotted), [0, 4])
        XCTAssertTrue(runs.allSatisfy { $0.finishedAt != nil && $0.actor == "boss" })
    }

    func testReceiptsOnPostingRunThePrimaryProcessAtOnce() throws {
        let f = try DeskFixture()
        _ = try f.admin.setPreference("process_receipts_on_posting", "true")
        try f.customers("C1")
        try f.lic("W")
        let o = try f.order("C1", [("W", 4)])
        let run = try f.admin.receive(lic: "W", qty: 3)
        XCTAssertEqual(run?.stats.unitsAllotted, 3)
        XCTAssertEqual(try f.admin.order(o.number).lines[0].allotted, 3)
        XCTAssertTrue(try f.admin.orderLog(o.number).contains { $0.message == "Allotted 3 W to line 1 by the primary backorder process." })
    }

    func testRolesAreEnforcedWithTheRoleNamed() throws {
        let f = try DeskFixture()
        try f.admin.addUser("ann", role: .clerk, autoBackorder: false)
        try f.customers("C1")
        try f.lic("W", stock: 1)
        let ann = try f.desk("ann")
        let o = try ann.enterOrder(OrderRequest(customer: "C1", lines: [.init(lic: "W", quantity: 1)]))
        XCTAssertThrowsError(try ann.changePriority(o.number, to: 3, preview: false)) { e in
            XCTAssertEqual(e as? DeskError, .forbidden("changing fulfillment priority needs the supervisor role; ann is a clerk"))
        }
        XCTAssertThrowsError(try ann.setPreference("fair_queue", "false"))
        XCTAssertThrowsError(try f.desk("nobody")) { e in XCTAssertTrue("\(e)".contains("unknown user 'nobody'")) }
    }

    func testVoidReleasesToTheSecondaryProcess() throws {
        let f = try DeskFixture()
        try f.customers("C1", "C2")
        try f.lic("W", stock: 5)
        let a = try f.order("C1", [("W", 5)])
        let b = try f.order("C2", [("W", 5)])
        try f.admin.voidOrder(a.number)
        XCTAssertEqual(try f.admin.order(a.number).status, .void)
        XCTAssertEqual(try f.admin.order(b.number).lines.map(\.allotted), [0], "released stock waits for 8050")
        _ = try f.admin.runProcess(.secondary)
        XCTAssertEqual(try f.admin.order(b.number).lines.map(\.allotted), [5])
        try f.assertInvariants()
    }
}
