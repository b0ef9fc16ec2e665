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

    /// A chunk of a run aims at 20 ms: it grows or shrinks halfway (geometrically) towards the
    /// size that would have taken that long, within its range; a fixed size stays.
    func testChunksAreSizedFromTheLastOnes() {
        var size = ChunkSize(environment: [:])
        XCTAssertEqual(size.lines, 1_024)
        size.observe(changed: 1_024, ms: 1.25)  // 4,096 would have taken the 5 ms aimed at
        XCTAssertEqual(size.lines, 2_048)
        size.observe(changed: 2_048, ms: 20)  // 512 would have
        XCTAssertEqual(size.lines, 1_024)
        size.observe(changed: 0, ms: 3)
        XCTAssertEqual(size.lines, 1_024, "a slice that changed nothing says nothing of the rate")
        size.observe(changed: 10, ms: 10_000)
        XCTAssertEqual(size.lines, 64, "never below the range")
        var fixed = ChunkSize(environment: ["BACKORDERS_CHUNK_LINES": "3"])
        fixed.observe(changed: 3, ms: 0.01)
        XCTAssertEqual(fixed, ChunkSize(environment: ["BACKORDERS_CHUNK_LINES": "3"]))
    }

    /// Short lines on three LICs, then supply for all of them: what a run must fill.
    func makeSupplyWait(_ d: Desk) throws -> [String] {
        _ = try d.setPreference("backorder_management", "true")
        for c in ["C1", "C2"] { try d.addCustomer(c, name: nil, priority: 0, terms: .ar) }
        for lic in ["A", "B", "C"] { _ = try d.addLIC(.init(code: lic)) }
        var numbers: [String] = []
        for i in 0..<6 {
            var r = OrderRequest(customer: i % 2 == 0 ? "C1" : "C2",
                                 lines: [.init(lic: "A", quantity: 2 + i % 3), .init(lic: "B", quantity: 1 + i % 2), .init(lic: "C", quantity: 3)])
            r.split = .yes
            numbers.append(try d.enterOrder(r).number)
        }
        for (lic, qty) in [("A", 11), ("B", 7), ("C", 10)] { _ = try d.receive(lic: lic, qty: qty) }
        return numbers
    }

    /// What the desk shows of the orders: allotments and the live shipments' items per line.
    func filled(_ d: Desk, _ numbers: [String]) throws -> [[[Int]]] {
        try numbers.map { n in
            let o = try d.order(n)
            return [o.lines.map(\.allotted), o.lines.map { $0.bo ? 1 : 0 }]
                + o.shipments.filter { $0.status == .pending }.map { $0.items.flatMap { [$0.line, $0.qty] } }
        }
    }

    /// A run commits in slices (clerks' writes go in between). Cut into slices of two lines —
    /// every queue written over several — it fills and ships what a run in one slice does; and
    /// a run killed after its first slice of fills leaves a desk that passes `check`, with those
    /// lines filled, which the next run completes the same way.
    func testARunInSlicesFillsAsOneSliceDoesAndAKilledOneIsCompletedByTheNext() throws {
        let numbers = try makeSupplyWait(desk)
        let clock = Clock.fixed(Moment(day: Day(year: 2026, month: 3, day: 2)!, secondOfDay: 9 * 3600))
        func freshDesk(_ name: String) throws -> Desk {
            let path = dir.file(name)
            try Desk.initialize(path: path, userName: "boss")
            let d = try Desk(store: AppDatabase(path: path, create: false), userName: "boss", clock: clock)
            XCTAssertEqual(try makeSupplyWait(d), numbers)
            return d
        }
        let whole = try freshDesk("whole.sqlite")
        let one = try whole.runProcess(.primary)
        let heard = Heard()
        let sliced = try desk.runProcess(.primary, chunkLines: 2) { done, total in heard.add(done, total) }
        XCTAssertEqual(heard.all.first?.0, 0, "progress starts at nothing")
        XCTAssertEqual(heard.all.last?.0, heard.all.last?.1, "and ends at every LIC")
        XCTAssertEqual(heard.all.map(\.0), heard.all.map(\.0).sorted(), "never going back")
        XCTAssertGreaterThan(heard.all.count, 6, "a word per chunk")
        XCTAssertEqual(sliced.stats.linesFilled, one.stats.linesFilled)
        XCTAssertEqual(sliced.stats.unitsAllotted, one.stats.unitsAllotted)
        XCTAssertEqual(try filled(desk, numbers), try filled(whole, numbers))
        XCTAssertGreaterThan(one.stats.linesFilled, 6, "enough lines for several slices")
        try assertChecks()

        // Killed after one slice: what it committed stays, the rest waits for the next run.
        let killed = try freshDesk("killed.sqlite")
        let lease = try XCTUnwrap(try Lease.acquire(killed.store, process: .primary, wait: 0))
        let (runID, keys) = try killed.store.startBackorderRun(.primary, lease: lease.claim, killed.stamp())
        let plan = RunPlan(process: .primary, runID: runID, keys: keys)
        var chunk = ChunkSize(environment: ["BACKORDERS_CHUNK_LINES": "2"])
        var first = RunStats()
        while first.linesFilled == 0 { first = try killed.store.runBackorderSlice(plan, chunk: &chunk, killed.stamp()) }
        lease.release()
        XCTAssertEqual(first.linesFilled, 3, "whole orders: the first order's three lines")
        XCTAssertEqual(try killed.check().violations, [])
        XCTAssertEqual(try killed.order(numbers[0]).lines.map(\.allotted), [2, 1, 3])
        XCTAssertEqual(try killed.order(numbers[1]).lines.map(\.allotted), [0, 0, 0])
        let rest = try killed.runProcess(.primary)
        XCTAssertEqual(rest.stats.linesFilled, one.stats.linesFilled - 3)
        XCTAssertEqual(try filled(killed, numbers), try filled(whole, numbers))
        XCTAssertEqual(try killed.check().violations, [])
        XCTAssertEqual(try killed.runProcess(.primary).stats.linesFilled, 0, "nothing left to do")
    }

    /// Between two slices a clerk changes a queue the run is filling — stock taken away, a line
    /// cancelled: the run leaves that queue (it never allots what is no longer there), finishes
    /// the others, and the next run fills it.
    func testAQueueChangedBetweenSlicesIsLeftToTheNextRun() throws {
        let numbers = try makeSupplyWait(desk)
        let lease = try XCTUnwrap(try Lease.acquire(desk.store, process: .primary, wait: 0))
        let (runID, keys) = try desk.store.startBackorderRun(.primary, lease: lease.claim, desk.stamp())
        let plan = RunPlan(process: .primary, runID: runID, keys: keys)
        var chunk = ChunkSize(environment: ["BACKORDERS_CHUNK_LINES": "2"])
        var filled = 0
        while filled == 0 { filled = try desk.store.runBackorderSlice(plan, chunk: &chunk, desk.stamp()).linesFilled }
        // A: 11 on hand, 2 allotted so far; 9 taken away leaves nothing free for the rest of A.
        try desk.adjust(lic: "A", delta: -9, reason: "damaged")
        _ = try desk.addReason("CUST", description: "Customer")
        _ = try desk.cancelRemaining(numbers[1], line: 2, reason: "CUST")
        XCTAssertEqual(try desk.check().violations, [])
        while !plan.isDone { _ = try desk.store.runBackorderSlice(plan, chunk: &chunk, desk.stamp()) }
        lease.release()
        XCTAssertEqual(try desk.check().violations, [])
        let a = try desk.lic("A", lineLimit: 10, ledgerLimit: 0)
        XCTAssertEqual(a.balance.allotted, 2, "A kept only what was allotted before the stock went")
        XCTAssertEqual(try desk.order(numbers[1]).lines.map(\.allotted)[1], 0, "B of the order cancelled: left too")
        XCTAssertEqual(try desk.order(numbers[2]).lines.map(\.allotted)[2], 3, "C, untouched, was filled")
        // The next run fills what was left.
        let next = try desk.runProcess(.primary)
        XCTAssertGreaterThan(next.stats.linesFilled, 0)
        XCTAssertEqual(try desk.check().violations, [])
        XCTAssertEqual(try desk.lic("A", lineLimit: 10, ledgerLimit: 0).balance.allotted, 2, "nothing free")
        XCTAssertEqual(try desk.runProcess(.primary).stats.linesFilled, 0)
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
        XCTAssertEqual(try Scheduler(store: desk.store, clock: desk.clock).due(), [])
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

        let clerk = try Desk(store: desk.store, userName: "ann", clock: desk.clock)
        XCTAssertThrowsError(try clerk.changePriority("1002", to: 5, preview: false)) {
            XCTAssertEqual($0 as? DeskError, .forbidden("changing fulfillment priority needs the supervisor role; ann is a clerk"))
        }
        let sue = try Desk(store: desk.store, userName: "sue", clock: desk.clock)
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

/// What a progress callback heard, from whichever thread.
final class Heard: @unchecked Sendable {
    private let lock = NSLock()
    private var heard: [(Int, Int)] = []
    func add(_ done: Int, _ total: Int) { lock.withLock { heard.append((done, total)) } }
    var all: [(Int, Int)] { lock.withLock { heard } }
}

/// Restoring a backup on either store: the backup is never changed, an older one included.
final class RestoreTests: XCTestCase {
    func testAnOlderBackupIsUpgradedOnACopyAndTheBackupStaysAsItWas() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        try f.lic("W", stock: 5)
        let first = try f.order("C1", [("W", 2)])
        let backup = f.dir.appendingPathComponent("old.sqlite").path
        _ = try f.admin.backup(to: backup)
        // Make it a backup an earlier version wrote: v8 and v9 undone, not recorded.
        do {
            let queue = try DatabaseQueue(path: backup)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: """
                    ALTER TABLE bo_block RENAME COLUMN block TO bucket;
                    ALTER TABLE bo_block RENAME TO bo_bucket;
                    ALTER TABLE balance RENAME COLUMN settledness TO unsettled;
                    DROP TABLE unmet_span;
                    DELETE FROM grdb_migrations WHERE identifier IN ('v8-one-name-each', 'v9-unmet-span');
                    """)
            }
            try queue.close()
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        try f.order("C1", [("W", 4)])
        XCTAssertEqual(try f.admin.orders().count, 2)

        let r = try Desk.restore(path: f.path, from: backup, userName: "boss", clock: f.clock)
        XCTAssertNotNil(r.replacedKeptAs)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: backup)), bytes, "the backup is as it was, not upgraded where it lies")
        let restored = try Desk(store: Desk.openStore(f.path), userName: "boss", clock: f.clock)
        XCTAssertEqual(try restored.orders().map(\.number), [first.number], "the desk as the backup had it")
        XCTAssertEqual(try restored.check().violations.count, 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix("backorders-restoring-\(getpid())") || $0.hasPrefix("backorders-inspecting-\(getpid())") }
        XCTAssertEqual(leftovers, [], "the working copies are removed")
    }
}
