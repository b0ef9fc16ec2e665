import BackorderCore
import XCTest

/// The pure rules, on the examples of product.md.
final class CoreTests: XCTestCase {
    func key(_ p: Int, _ seq: Int64, _ order: Int64 = 1, _ line: Int = 1) -> QueueKey {
        QueueKey(priority: p, enteredSeq: seq, orderID: order, lineNo: line)
    }

    func testQueueOrderIsPriorityThenEntryThenOrderThenLine() {
        let keys = [key(0, 1, 1, 2), key(5, 9), key(0, 1, 1, 1), key(0, 2), key(5, 3), key(0, 1, 0, 7)]
        XCTAssertEqual(keys.sorted(), [key(5, 3), key(5, 9), key(0, 1, 0, 7), key(0, 1, 1, 1), key(0, 1, 1, 2), key(0, 2)])
    }

    func testCanonicalFillKeepsFrozenAndFillsInQueueOrder() {
        let lines = [
            QueueLine(lineID: 1, key: key(0, 2), remaining: 5, allotted: 5),
            QueueLine(lineID: 2, key: key(0, 1), remaining: 4, allotted: 0),
            QueueLine(lineID: 3, key: key(0, 3), remaining: 6, allotted: 3, frozen: 3),
        ]
        // 10 on hand, 3 frozen: 7 to fill in order seq 1 (4), seq 2 (5 → 3), seq 3 keeps its 3.
        XCTAssertEqual(Allocation.canonicalFill(lines, onHand: 10), [2: 4, 1: 3, 3: 3])
        XCTAssertEqual(lines.compactMap { l in Allocation.canonicalFill(lines, onHand: 10)[l.lineID].map { $0 - l.allotted } }.filter { $0 != 0 }.sorted(), [-2, 4])
    }

    func testTextbookSplit() {
        XCTAssertEqual(Allocation.planEntry(quantity: 25, available: 20, answer: .yes, prompt: .ask, managementEnabled: true),
                       .plan(.init(lines: [.init(quantity: 20, allotted: 20, wholeLine: false), .init(quantity: 5, allotted: 0, wholeLine: false)],
                                   wasShort: true, answer: .yes)))
        XCTAssertEqual(Allocation.planEntry(quantity: 25, available: 20, answer: .no, prompt: .ask, managementEnabled: true),
                       .plan(.init(lines: [.init(quantity: 25, allotted: 20, wholeLine: true)], wasShort: true, answer: .no)))
        XCTAssertEqual(Allocation.planEntry(quantity: 25, available: 20, answer: nil, prompt: .ask, managementEnabled: true),
                       .mustAsk(available: 20, requested: 25))
        XCTAssertEqual(Allocation.planEntry(quantity: 25, available: 20, answer: nil, prompt: .always, managementEnabled: true),
                       Allocation.planEntry(quantity: 25, available: 20, answer: .yes, prompt: .ask, managementEnabled: true))
        XCTAssertEqual(Allocation.planEntry(quantity: 25, available: 20, answer: .yes, prompt: .never, managementEnabled: true),
                       Allocation.planEntry(quantity: 25, available: 20, answer: .no, prompt: .ask, managementEnabled: true))
        // Nothing available: one backordered line either way, never a line of 0; No makes it whole-line.
        for answer in [SplitAnswer.yes, .no] {
            XCTAssertEqual(Allocation.planEntry(quantity: 3, available: 0, answer: answer, prompt: .ask, managementEnabled: true),
                           .plan(.init(lines: [.init(quantity: 3, allotted: 0, wholeLine: answer == .no)], wasShort: true, answer: answer)))
        }
        // Management off: no question, the unmet need stays on the one line.
        XCTAssertEqual(Allocation.planEntry(quantity: 25, available: 20, answer: nil, prompt: .ask, managementEnabled: false),
                       .plan(.init(lines: [.init(quantity: 25, allotted: 20, wholeLine: false)], wasShort: true, answer: nil)))
    }

    func testShipmentPlanning() {
        let partial = [ShipmentPlanning.Line(lineID: 1, remaining: 5, allotted: 3, onShipment: 1, wholeLine: false),
                       ShipmentPlanning.Line(lineID: 2, remaining: 5, allotted: 4, onShipment: 0, wholeLine: true)]
        XCTAssertEqual(ShipmentPlanning.newItems(lines: partial, policy: .partial).map(\.quantity), [2])
        XCTAssertEqual(ShipmentPlanning.newItems(lines: partial, policy: .complete), [])
        let full = partial.map { var l = $0; l.allotted = 5; return l }
        XCTAssertEqual(ShipmentPlanning.newItems(lines: full, policy: .complete).map(\.quantity), [4, 5])
    }

    func testInputLimits() throws {
        XCTAssertEqual(try Input.quantity("1000000000"), 1_000_000_000)
        for bad in ["0", "-1", "abc", "1000000001", "2.5", ""] { XCTAssertThrowsError(try Input.quantity(bad), bad) }
        XCTAssertEqual(try Input.delta("+5"), 5)
        XCTAssertEqual(try Input.delta("-3"), -3)
        for bad in ["0", "++5", "x", "+"] { XCTAssertThrowsError(try Input.delta(bad), bad) }
        XCTAssertEqual(try Input.taxRatePPM("8.25"), 82_500)
        XCTAssertEqual(Day("2026-01-31")?.adding(days: 1).description, "2026-02-01")
        XCTAssertNil(Day("2026-02-30"))
        XCTAssertEqual(Day("2026-01-01")!.adding(days: 20), Day("2026-01-21"), "002_*: Jan 1 + 20 days = Jan 21")
    }

    func testEveryPreferenceReadsAsTextAndSetsFromIt() throws {
        var p = Preferences()
        for key in Preferences.Key.allCases {
            let before = p
            try p.set(key, to: p.value(key))
            XCTAssertEqual(p, before, key.rawValue)
        }
        XCTAssertThrowsError(try p.set(.fairQueue, to: "maybe")) {
            XCTAssertEqual("\($0)", "fair_queue takes true or false, not 'maybe'")
        }
        XCTAssertThrowsError(try p.set(.primaryIntervalMinutes, to: "0")) {
            XCTAssertEqual("\($0)", "primary_interval_minutes takes a whole number from 1 to 10080, not '0'")
        }
        XCTAssertThrowsError(try p.set(.splitPrompt, to: "sometimes")) {
            XCTAssertEqual("\($0)", "split_prompt takes one of ask, always, never, not 'sometimes'")
        }
        try p.set(.defaultPolicy, to: " Complete ")
        XCTAssertEqual(p.defaultPolicy, .complete)
        // The record's coding keys are the preference names (the store's columns).
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(p)) as? [String: Any]
        XCTAssertEqual(Set(json?.keys.map { $0 } ?? []), Set(Preferences.Key.allCases.map(\.rawValue)))
    }
}
