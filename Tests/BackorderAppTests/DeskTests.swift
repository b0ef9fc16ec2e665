@testable import BackorderApp
import TestSupport
import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// The desk's use cases on a temporary database file, one rule of product.md at a time.
final class DeskTests: XCTestCase {
    var dir: TempDir!
    var desk: Desk!

    override func setUpWithError() throws {
        dir = try TempDir(prefix: "desk")
        let path = dir.file("desk.sqlite")
        try Desk.initialize(path: path, userName: "boss")
        desk = try Desk(store: AppDatabase(path: path, create: false), userName: "boss",
                        clock: .fixed(Moment(day: Day(year: 2026, month: 3, day: 2)!, secondOfDay: 9 * 3600)))
    }

    override func tearDown() {
        desk = nil
        dir = nil
    }

    func manage(_ on: Bool = true) throws { _ = try desk.setPreference("backorder_management", on ? "true" : "false") }

    func setUpStock(_ stock: [String: Int], customers: [String: Int] = ["C1": 0]) throws {
        try manage()
        for (code, p) in customers.sorted(by: { $0.key < $1.key }) { try desk.addCustomer(code, name: nil, priority: p, terms: .ar) }
        for (code, qty) in stock.sorted(by: { $0.key < $1.key }) {
            try desk.addLIC(.init(code: code))
            if qty > 0 { _ = try desk.receive(lic: code, qty: qty) }
        }
        _ = try desk.runProcess(.primary)
    }

    @discardableResult
    func enter(_ lines: [(String, Int)], customer: String = "C1", priority: Int? = nil, policy: FulfillmentPolicy? = nil,
               split: SplitAnswer? = .yes) throws -> OrderView {
        var r = OrderRequest(customer: customer, lines: lines.map { .init(lic: $0.0, quantity: $0.1) })
        r.priority = priority
        r.policy = policy
        r.split = split
        return try desk.enterOrder(r)
    }

    func allotted(_ number: String) throws -> [Int] { try desk.order(number).lines.map(\.allotted) }

    /// Items on the order's Pending or Picked shipments, as (line, qty).
    func liveItems(_ number: String) throws -> [[Int]] {
        try desk.order(number).shipments.filter { $0.status == .pending || $0.status == .picked }
            .flatMap(\.items).map { [$0.line, $0.qty] }
    }

    func counter(_ name: String) throws -> Int {
        try desk.database.read { try Int.fetchOne($0, sql: "SELECT value FROM counter WHERE name = ?", arguments: [name])! }
    }

    func assertChecks(file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try desk.check().violations, [], file: file, line: line)
    }

    // MARK: - §4.2 split

    func testSplitRefusalWritesNothingAndKeepsTheCounter() throws {
        try setUpStock(["W": 10])
        try enter([("W", 8)])
        XCTAssertThrowsError(try enter([("W", 5)], split: nil)) { error in
            guard case DeskError.question(let q)? = error as? DeskError else { return XCTFail("\(error)") }
            XCTAssertEqual(q, .split(lic: "W", requested: 5, available: 2))
        }
        XCTAssertEqual(try desk.orders().map(\.number), ["1001"])
        XCTAssertEqual(try counter("order_number"), 1001)
        XCTAssertEqual(try counter("entry_seq"), 1)
        let next = try enter([("W", 5)], split: .yes)
        XCTAssertEqual(next.number, "1002")
        XCTAssertEqual(next.enteredSeq, 2)
        XCTAssertEqual(next.lines.map { [$0.ordered, $0.allotted] }, [[2, 2], [3, 0]])
        try assertChecks()
    }

    /// A run is cut into transactions by the short lines they write, keys in order, a key never
    /// split and never left out.
    func testProcessRunsAreCutIntoTransactionsByShortLines() {
        let n = Desk.processBatchLines
        let keys = (Int64(1)...6).map { StockKey(licID: $0, locationID: 1) }
        let work = zip(keys, [n / 2, n / 2, n / 4, 2 * n, 0, 1]).map { (key: $0, shortLines: $1) }
        XCTAssertEqual(Desk.processBatches(work), [[keys[0], keys[1]], [keys[2]], [keys[3]], [keys[4], keys[5]]])
        XCTAssertEqual(Desk.processBatches([]), [])
    }

    func testManagementOffNoQuestionAndProcessesRefuse() throws {
        try desk.addCustomer("C1", name: nil, priority: 0, terms: .ar)
        try desk.addLIC(.init(code: "W"))
        _ = try desk.receive(lic: "W", qty: 2)
        let o = try enter([("W", 5)], split: nil)
        XCTAssertEqual(o.lines.map { [$0.ordered, $0.allotted] }, [[5, 2]])
        XCTAssertFalse(o.lines[0].wholeLine)
        XCTAssertTrue(o.lines[0].bo)
        XCTAssertTrue(try desk.orderLog(o.number).contains { $0.message.contains("back order management is off") })
        XCTAssertThrowsError(try desk.runProcess(.primary)) { XCTAssertTrue("\($0)".contains("back order management is off")) }
        XCTAssertEqual(try Scheduler(store: desk.database, clock: desk.clock).due(), [])
    }

    // MARK: - §4.1 fair queue, §4.3 priority

    func testFairQueueOffLetsEntryJumpTheQueueUntilTheNextProcessRun() throws {
        try setUpStock(["W": 4])
        XCTAssertEqual(try enter([("W", 10)]).lines.map(\.allotted), [4, 0])
        try desk.adjust(lic: "W", delta: 5, reason: "found")
        // Fair queue (default): 1001's unmet 6 is ahead, so none of the 5 is available.
        XCTAssertEqual(try desk.availableToOrder(lic: "W", location: "MAIN", priority: 0), 0)
        XCTAssertEqual(try enter([("W", 3)]).lines.map(\.allotted), [0])
        // aACE behaviour: plain available.
        _ = try desk.setPreference("fair_queue", "false")
        XCTAssertEqual(try desk.availableToOrder(lic: "W", location: "MAIN", priority: 0), 5)
        XCTAssertEqual(try enter([("W", 3)]).lines.map(\.allotted), [3])
        // The secondary process makes the queue canonical again: first entered first.
        let run = try desk.runProcess(.secondary)
        XCTAssertEqual(run.licsProcessed, 1)
        XCTAssertEqual(try allotted("1001"), [4, 5])
        XCTAssertEqual(try allotted("1002"), [0])
        XCTAssertEqual(try allotted("1003"), [0])
        try assertChecks()
    }

    func testHigherPriorityEntryTakesFromTheLinesBehindLastFirst() throws {
        try setUpStock(["W": 10], customers: ["C1": 0, "VIP": 5])
        try enter([("W", 5)])
        try enter([("W", 5)])
        let vip = try enter([("W", 7)], customer: "VIP")
        XCTAssertEqual(vip.priority, 5, "the customer's default priority")
        XCTAssertEqual(vip.lines.map(\.allotted), [7])
        XCTAssertEqual(try allotted("1001"), [3])
        XCTAssertEqual(try allotted("1002"), [0])
        XCTAssertEqual(try liveItems("1002"), [], "its pending shipment is emptied")
        XCTAssertEqual(try liveItems("1001"), [[1, 3]])
        XCTAssertTrue(try desk.orderLog("1002").contains { $0.message.contains("gave up 5 W to order 1003") })
        XCTAssertTrue(try desk.orderLog("1001").contains { $0.message.contains("gave up 2 W to order 1003") })
        try assertChecks()
    }

    func testHigherPriorityEntryTakesFromTheLastFilledLinesPastTheShortOnes() throws {
        // A settled queue: two full lines, one split (1 allotted + 2 short), then short lines.
        try setUpStock(["W": 11], customers: ["C1": 0, "VIP": 5])
        try enter([("W", 5)])
        try enter([("W", 5)])
        XCTAssertEqual(try enter([("W", 3)]).lines.map(\.allotted), [1, 0])
        try enter([("W", 2)])
        try enter([("W", 4)])
        let vip = try enter([("W", 7)], customer: "VIP")
        XCTAssertEqual(vip.lines.map(\.allotted), [7])
        // Last first among the lines holding stock; the short lines behind them give nothing.
        XCTAssertEqual(try allotted("1003"), [0, 0])
        XCTAssertEqual(try allotted("1002"), [0])
        XCTAssertEqual(try allotted("1001"), [4])
        XCTAssertEqual(try allotted("1004"), [0])
        XCTAssertEqual(try allotted("1005"), [0])
        try assertChecks()
    }

    func testLoweringAPriorityBehindHundredsOfLinesGivesTheStockToTheFirstShortLines() throws {
        // 400 one-unit orders over more than one block of entry sequence (`Derivation.blockShift`),
        // 300 units: the first 295 filled after the VIP order takes 5 from the end.
        try setUpStock(["W": 300], customers: ["C1": 0, "VIP": 5])
        for _ in 0..<400 { try enter([("W", 1)]) }
        let vip = try enter([("W", 5)], customer: "VIP")
        XCTAssertEqual(vip.lines.map(\.allotted), [5])
        XCTAssertEqual(try allotted("1295"), [1])
        XCTAssertEqual(try allotted("1296"), [0])
        // Lowered to 0 it queues last: the need ahead of it is all 400 units, so it keeps nothing.
        let preview = try desk.changePriority(vip.number, to: 0, preview: true)
        XCTAssertEqual(preview.moves, [PriorityMove(lic: "W", fromOrder: vip.number, fromLine: 1, qty: 5, customer: "VIP")])
        // The preview lists every move: the five first short lines gain a unit each and get a
        // shipment; the VIP order's pending shipment is emptied.
        XCTAssertEqual(preview.gains.map { "\($0.fromOrder)+\($0.qty)" }, ["1296+1", "1297+1", "1298+1", "1299+1", "1300+1"])
        XCTAssertEqual(Set(preview.shipments.filter { $0.kind == .created }.map(\.order)), ["1296", "1297", "1298", "1299", "1300"])
        XCTAssertTrue(preview.shipments.contains { $0.order == vip.number && $0.kind == .reduced && $0.units == 5 }, "\(preview.shipments)")
        XCTAssertTrue(preview.shipments.contains { $0.order == vip.number && $0.kind == .cancelled }, "\(preview.shipments)")
        let change = try desk.changePriority(vip.number, to: 0, preview: false)
        XCTAssertEqual(change.moves, preview.moves)
        XCTAssertEqual(change.gains, preview.gains)
        XCTAssertEqual(change.shipments.map(\.kind), preview.shipments.map(\.kind), "the preview is the change")
        XCTAssertEqual(try allotted(vip.number), [0])
        XCTAssertEqual(try allotted("1296"), [1])
        XCTAssertEqual(try allotted("1300"), [1])
        XCTAssertEqual(try allotted("1301"), [0])
        try assertChecks()
    }

    func testPriorityPreviewReadsOnlyAndMatchesTheChange() throws {
        try setUpStock(["W": 10])
        try desk.addUser("sue", role: .supervisor, autoBackorder: false)
        try desk.addUser("ann", role: .clerk, autoBackorder: false)
        try enter([("W", 6)])
        try enter([("W", 8)])
        let before = try desk.database.read { try Row.fetchAll($0, sql: "SELECT * FROM order_line ORDER BY id") }
        let preview = try desk.changePriority("1002", to: 5, preview: true)
        XCTAssertFalse(preview.applied)
        XCTAssertEqual(preview.moves, [PriorityMove(lic: "W", fromOrder: "1001", fromLine: 1, qty: 4, customer: "C1")])
        XCTAssertEqual(preview.gains, [PriorityMove(lic: "W", fromOrder: "1002", fromLine: 2, qty: 4, customer: "C1")])
        XCTAssertEqual(preview.shipments.map { "\($0.order) \($0.kind.rawValue) \($0.units)" }, ["1001 reduced 4", "1002 appended 4"])
        XCTAssertEqual(try desk.database.read { try Row.fetchAll($0, sql: "SELECT * FROM order_line ORDER BY id") }, before)
        XCTAssertEqual(try desk.database.read { try Row.fetchAll($0, sql: "SELECT * FROM shipment_item ORDER BY id") }.count, 2,
                       "the preview's shipments were rolled back")

        let clerk = try Desk(store: desk.database, userName: "ann", clock: desk.clock)
        XCTAssertThrowsError(try clerk.changePriority("1002", to: 5, preview: false)) {
            XCTAssertEqual($0 as? DeskError, .forbidden("changing fulfillment priority needs the supervisor role; ann is a clerk"))
        }
        let sue = try Desk(store: desk.database, userName: "sue", clock: desk.clock)
        let change = try sue.changePriority("1002", to: 5, preview: false)
        XCTAssertEqual(change.moves, preview.moves)
        XCTAssertEqual(try allotted("1001"), [2])
        XCTAssertEqual(try allotted("1002"), [4, 4])
        try assertChecks()
    }

    // MARK: - §4.5 processes

    func testReturnsAndCancellationsWaitForTheSecondaryProcess() throws {
        try setUpStock(["W": 5])
        try desk.addReason("CUST", description: "Customer request")
        let first = try enter([("W", 5)])
        try desk.shipShipment(first.shipments[0].id)
        try enter([("W", 3)])
        try enter([("W", 2)])
        try desk.recordReturn(order: "1001", lic: "W", qty: 2)
        XCTAssertEqual(try desk.lic("W").balance.onHand, 2)
        XCTAssertEqual(try desk.runProcess(.primary).stats.unitsAllotted, 0, "a return is not a receipt")
        XCTAssertEqual(try allotted("1002"), [0])
        XCTAssertEqual(try desk.runProcess(.secondary).stats.unitsAllotted, 2)
        XCTAssertEqual(try allotted("1002"), [2])
        // Cancelling 1002's remainder releases its 2 to the secondary process, for 1003.
        XCTAssertEqual(try desk.cancelRemaining("1002", line: nil, reason: "cust"), 3)
        XCTAssertEqual(try desk.order("1002").status, .cancelled)
        XCTAssertEqual(try allotted("1003"), [0])
        XCTAssertEqual(try desk.runProcess(.secondary).stats.unitsAllotted, 2)
        XCTAssertEqual(try allotted("1003"), [2])
        XCTAssertThrowsError(try desk.cancelRemaining("1003", line: nil, reason: "NOPE"))
        try assertChecks()
    }

    func testReceiptsOnPostingRunThePrimaryProcessAtOnce() throws {
        try setUpStock(["W": 0])
        try enter([("W", 4)])
        _ = try desk.setPreference("process_receipts_on_posting", "true")
        let run = try desk.receive(lic: "W", qty: 3)
        XCTAssertEqual(run?.stats.unitsAllotted, 3)
        XCTAssertEqual(try allotted("1001"), [3])
        XCTAssertEqual(try liveItems("1001"), [[1, 3]])
        try assertChecks()
    }

    // MARK: - Stock

    func testNegativeAdjustmentTakesBackFromTheEndButNeverFrozen() throws {
        try setUpStock(["W": 10])
        let first = try enter([("W", 4)])
        try desk.pickShipment(first.shipments[0].id)
        try enter([("W", 3)])
        try enter([("W", 3)])
        try desk.adjust(lic: "W", delta: -5, reason: "damaged")
        XCTAssertEqual(try allotted("1001"), [4])
        XCTAssertEqual(try allotted("1002"), [1])
        XCTAssertEqual(try allotted("1003"), [0])
        XCTAssertEqual(try liveItems("1002"), [[1, 1]])
        XCTAssertEqual(try liveItems("1003"), [])
        XCTAssertThrowsError(try desk.adjust(lic: "W", delta: -2, reason: "damaged")) {
            XCTAssertTrue("\($0)".contains("picked"), "\($0)")
        }
        XCTAssertEqual(try desk.lic("W").balance.onHand, 5)
        try assertChecks()
    }

    // MARK: - §4.6 shipments

    func testNewItemsAppendToThePendingShipmentAndCancelKeepsTheAllotment() throws {
        try setUpStock(["W": 3])
        let o = try enter([("W", 5)])
        XCTAssertEqual(o.shipments.count, 1)
        let sid = o.shipments[0].id
        _ = try desk.receive(lic: "W", qty: 2)
        let run = try desk.runProcess(.primary)
        XCTAssertEqual(run.stats.shipmentsAppended, 1)
        XCTAssertEqual(run.stats.shipmentsCreated, 0)
        let after = try desk.order("1001")
        XCTAssertEqual(after.shipments.map(\.id), [sid])
        XCTAssertEqual(after.shipments[0].items.map { [$0.line, $0.qty] }, [[1, 3], [2, 2]])
        try desk.cancelShipment(sid)
        XCTAssertEqual(try allotted("1001"), [3, 2])
        XCTAssertEqual(try desk.lic("W").balance.allotted, 5)
        XCTAssertThrowsError(try desk.pickShipment(sid))
        XCTAssertThrowsError(try desk.shipShipment(sid))
        try assertChecks()
    }

    func testShippingMovesOnHandAllottedShippedAndTheLedger() throws {
        try setUpStock(["W": 10])
        let o = try enter([("W", 4)])
        try desk.pickShipment(o.shipments[0].id)
        XCTAssertEqual(try desk.lic("W").balance.frozen, 4)
        try desk.shipShipment(o.shipments[0].id)
        let v = try desk.lic("W")
        XCTAssertEqual([v.balance.onHand, v.balance.allotted, v.balance.frozen, v.balance.demand], [6, 0, 0, 0])
        XCTAssertEqual(v.ledger.first?.kind, .shipment)
        XCTAssertEqual(v.ledger.first?.qty, -4)
        XCTAssertEqual(v.ledger.first?.order, "1001")
        let line = try desk.order("1001").lines[0]
        XCTAssertEqual([line.shipped, line.allotted], [4, 0])
        XCTAssertFalse(line.bo)
        try assertChecks()
    }

    func testCompleteOrderShipsNothingUntilFullyAllottedAndWithdrawsWhenShort() throws {
        try setUpStock(["W": 10, "X": 2], customers: ["C1": 0, "VIP": 9])
        let o = try enter([("W", 4), ("X", 3)], policy: .complete, split: .no)
        XCTAssertEqual(o.lines.map(\.allotted), [4, 2], "ship complete (answered No): one line each, no shipment")
        XCTAssertEqual(o.shipments.count, 0)
        _ = try desk.receive(lic: "X", qty: 1)
        _ = try desk.runProcess(.primary)
        XCTAssertEqual(try liveItems("1001"), [[1, 4], [2, 3]], "all of it at once")
        // A higher priority takes X: the order is short again and its pending shipment is withdrawn.
        try enter([("X", 2)], customer: "VIP")
        XCTAssertEqual(try allotted("1001"), [4, 1])
        XCTAssertEqual(try liveItems("1001"), [], "a short complete order must not keep a partial shipment")
        try assertChecks()
        _ = try desk.receive(lic: "X", qty: 2)
        _ = try desk.runProcess(.primary)
        XCTAssertEqual(try liveItems("1001"), [[1, 4], [2, 3]])
        try assertChecks()
    }

    func testWholeLineLineWithdrawsItsItemWhenItLosesAllotment() throws {
        try setUpStock(["W": 6], customers: ["C1": 0, "VIP": 9])
        let o = try enter([("W", 10)], split: .no)
        XCTAssertEqual(o.lines.map { [$0.ordered, $0.allotted] }, [[10, 6]])
        XCTAssertTrue(o.lines[0].wholeLine)
        XCTAssertEqual(try liveItems("1001"), [])
        _ = try desk.receive(lic: "W", qty: 4)
        _ = try desk.runProcess(.primary)
        XCTAssertEqual(try liveItems("1001"), [[1, 10]])
        try enter([("W", 1)], customer: "VIP")
        XCTAssertEqual(try allotted("1001"), [9])
        XCTAssertEqual(try liveItems("1001"), [], "a whole-line line ships nothing until fully allotted")
        try assertChecks()
    }

    func testCancelRemainingOfACompleteOrderLineRebuildsItsShipment() throws {
        try setUpStock(["W": 4, "X": 1])
        try desk.addReason("CUST", description: nil)
        try enter([("W", 4), ("X", 3)], policy: .complete, split: .no)
        XCTAssertEqual(try liveItems("1001"), [])
        // Cancelling the short line's remainder (its 1 allotted is released) leaves an order whose
        // every open line is fully allotted: it ships at once.
        XCTAssertEqual(try desk.cancelRemaining("1001", line: 2, reason: "CUST"), 3)
        XCTAssertEqual(try liveItems("1001"), [[1, 4]])
        try assertChecks()
    }

    func testVoidReleasesEverythingAndRefusesAfterShipping() throws {
        try setUpStock(["W": 5])
        let o = try enter([("W", 3)])
        try enter([("W", 4)])
        try desk.voidOrder(o.number)
        XCTAssertEqual(try desk.order("1001").status, .void)
        XCTAssertEqual(try allotted("1001"), [0])
        XCTAssertEqual(try desk.order("1001").shipments.map(\.status), [.cancelled])
        XCTAssertEqual(try desk.runProcess(.secondary).stats.unitsAllotted, 2)
        XCTAssertEqual(try allotted("1002"), [2, 2])
        let shipments = try desk.shipments(order: "1002", status: .pending)
        try desk.shipShipment(shipments[0].id)
        XCTAssertThrowsError(try desk.voidOrder("1002")) { XCTAssertTrue("\($0)".contains("shipped")) }
        XCTAssertThrowsError(try desk.voidOrder("1001"))
        try assertChecks()
    }
}
