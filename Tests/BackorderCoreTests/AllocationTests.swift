import XCTest
@testable import BackorderCore

final class AllocationTests: XCTestCase {
    func line(_ id: Int64, priority: Int = 0, seq: Int64, lineNo: Int = 1, remaining: Int, allotted: Int = 0,
              frozen: Int = 0, whole: Bool = false) -> QueueLine {
        QueueLine(lineID: id, key: QueueKey(priority: priority, enteredSeq: seq, orderID: seq, lineNo: lineNo),
                  remaining: remaining, allotted: allotted, frozen: frozen, wholeLine: whole)
    }

    func testQueueOrderIsPriorityThenEntryThenLine() {
        let a = QueueKey(priority: 0, enteredSeq: 1, orderID: 1, lineNo: 2)
        let b = QueueKey(priority: 0, enteredSeq: 1, orderID: 1, lineNo: 1)
        let c = QueueKey(priority: 5, enteredSeq: 9, orderID: 9, lineNo: 1)
        let d = QueueKey(priority: 0, enteredSeq: 2, orderID: 2, lineNo: 1)
        XCTAssertEqual([a, b, c, d].sorted(), [c, b, a, d])
    }

    func testCanonicalFillIsGreedyInQueueOrder() {
        let lines = [line(1, seq: 1, remaining: 10), line(2, seq: 2, remaining: 10), line(3, priority: 3, seq: 3, remaining: 4)]
        XCTAssertEqual(Allocation.canonicalFill(lines, onHand: 12), [3: 4, 1: 8, 2: 0])
    }

    func testCanonicalFillNeverMovesFrozenQuantity() {
        // Line 2 is behind but 6 of it are picked: they stay, and only 4 are left for line 1.
        let lines = [line(1, seq: 1, remaining: 10), line(2, seq: 2, remaining: 8, allotted: 6, frozen: 6)]
        XCTAssertEqual(Allocation.canonicalFill(lines, onHand: 10), [1: 4, 2: 6])
        let changes = lines.compactMap { l in Allocation.canonicalFill(lines, onHand: 10)[l.lineID].flatMap { $0 == l.allotted ? nil : Allocation.Change(lineID: l.lineID, from: l.allotted, to: $0) } }
        XCTAssertEqual(changes, [Allocation.Change(lineID: 1, from: 0, to: 4)])
    }

    func testFairQueueAvailableSubtractsNeedAhead() {
        // 20 on hand, nothing allotted yet, 5 waiting ahead (e.g. released stock not yet processed).
        XCTAssertEqual(Allocation.availableToOrder(onHand: 20, allotted: 0, fixedTotal: 0, needAhead: 5, movableBehind: 0, fairQueue: true), 15)
        // aACE behaviour: plain available, so the new order can take what the waiting line needs.
        XCTAssertEqual(Allocation.availableToOrder(onHand: 20, allotted: 0, fixedTotal: 0, needAhead: 5, movableBehind: 0, fairQueue: false), 20)
        XCTAssertEqual(Allocation.availableToOrder(onHand: 20, allotted: 20, fixedTotal: 0, needAhead: 25, movableBehind: 0, fairQueue: true), 0)
    }

    func testHigherPriorityEntryCountsMovableStockBehind() {
        // All 10 allotted to priority-0 lines; a priority-5 entry with nothing ahead may take all 10.
        XCTAssertEqual(Allocation.availableToOrder(onHand: 10, allotted: 10, fixedTotal: 0, needAhead: 0, movableBehind: 10, fairQueue: true), 10)
        XCTAssertEqual(Allocation.availableToOrder(onHand: 10, allotted: 10, fixedTotal: 3, needAhead: 0, movableBehind: 7, fairQueue: false), 7)
    }

    // The 001 example: 25 textbooks ordered, 20 available.
    func testTextbookSplitYes() {
        let d = Allocation.planEntry(quantity: 25, available: 20, answer: .yes, prompt: .ask, managementEnabled: true)
        guard case .plan(let p) = d else { return XCTFail("expected a plan") }
        XCTAssertEqual(p.lines.map(\.quantity), [20, 5])
        XCTAssertEqual(p.lines.map(\.allotted), [20, 0])
        XCTAssertEqual(p.lines.map(\.wholeLine), [false, false])
    }

    func testTextbookSplitNoIsOneWholeLine() {
        let d = Allocation.planEntry(quantity: 25, available: 20, answer: .no, prompt: .ask, managementEnabled: true)
        guard case .plan(let p) = d else { return XCTFail("expected a plan") }
        XCTAssertEqual(p.lines.count, 1)
        XCTAssertEqual(p.lines[0].quantity, 25)
        XCTAssertTrue(p.lines[0].wholeLine)
    }

    func testShortWithoutAnswerMustAsk() {
        XCTAssertEqual(Allocation.planEntry(quantity: 25, available: 20, answer: nil, prompt: .ask, managementEnabled: true),
                       .mustAsk(available: 20, requested: 25))
    }

    func testSplitPromptPreferenceAnswersForTheClerk() {
        guard case .plan(let always) = Allocation.planEntry(quantity: 25, available: 20, answer: .no, prompt: .always, managementEnabled: true),
              case .plan(let never) = Allocation.planEntry(quantity: 25, available: 20, answer: .yes, prompt: .never, managementEnabled: true)
        else { return XCTFail() }
        XCTAssertEqual(always.lines.count, 2)
        XCTAssertEqual(never.lines.count, 1)
        XCTAssertTrue(never.lines[0].wholeLine)
    }

    /// §4.2 as corrected: with nothing available the answer still matters — Yes ships as it
    /// arrives, No waits whole — and unanswered under *ask* it must be asked.
    func testNothingAvailableAsksAndTheAnswerDecidesWholeLine() {
        let yes = Allocation.planEntry(quantity: 7, available: 0, answer: .yes, prompt: .ask, managementEnabled: true)
        let no = Allocation.planEntry(quantity: 7, available: 0, answer: .no, prompt: .ask, managementEnabled: true)
        guard case .plan(let y) = yes, case .plan(let n) = no else { return XCTFail() }
        XCTAssertEqual(y.lines, [.init(quantity: 7, allotted: 0, wholeLine: false)])
        XCTAssertEqual(n.lines, [.init(quantity: 7, allotted: 0, wholeLine: true)])
        XCTAssertEqual(Allocation.planEntry(quantity: 7, available: 0, answer: nil, prompt: .ask, managementEnabled: true),
                       .mustAsk(available: 0, requested: 7))
        XCTAssertEqual(Allocation.planEntry(quantity: 7, available: 0, answer: nil, prompt: .never, managementEnabled: true), no)
        XCTAssertEqual(Allocation.planEntry(quantity: 7, available: 0, answer: nil, prompt: .always, managementEnabled: true), yes)
    }

    func testEnoughStockNeedsNoQuestion() {
        guard case .plan(let p) = Allocation.planEntry(quantity: 5, available: 20, answer: nil, prompt: .ask, managementEnabled: true) else { return XCTFail() }
        XCTAssertFalse(p.wasShort)
        XCTAssertEqual(p.lines, [.init(quantity: 5, allotted: 5, wholeLine: false)])
    }

    func testManagementOffNeverAsksAndKeepsUnmetNeed() {
        guard case .plan(let p) = Allocation.planEntry(quantity: 25, available: 20, answer: nil, prompt: .ask, managementEnabled: false) else { return XCTFail() }
        XCTAssertEqual(p.lines, [.init(quantity: 25, allotted: 20, wholeLine: false)])
    }

    func testTakeFromEndTakesLastInQueueFirstAndNeverFrozen() {
        let fromEnd = [line(3, seq: 3, remaining: 5, allotted: 5, frozen: 5), line(2, seq: 2, remaining: 5, allotted: 4),
                       line(1, seq: 1, remaining: 5, allotted: 5)]
        let (changes, short) = Allocation.takeFromEnd(fromEnd, amount: 6)
        XCTAssertEqual(short, 0)
        XCTAssertEqual(changes, [.init(lineID: 2, from: 4, to: 0), .init(lineID: 1, from: 5, to: 3)])
        XCTAssertEqual(Allocation.takeFromEnd(fromEnd, amount: 20).shortfall, 11)
    }
}

final class ShipmentPlanningTests: XCTestCase {
    typealias L = ShipmentPlanning.Line

    func testPartialShipsEveryAllottedQuantityNotOnAShipment() {
        let lines = [L(lineID: 1, remaining: 10, allotted: 6, onShipment: 2, wholeLine: false),
                     L(lineID: 2, remaining: 5, allotted: 0, onShipment: 0, wholeLine: false)]
        XCTAssertEqual(ShipmentPlanning.newItems(lines: lines, policy: .partial), [.init(lineID: 1, quantity: 4)])
    }

    func testWholeLineWaitsUntilFullyAllotted() {
        let waiting = [L(lineID: 1, remaining: 25, allotted: 20, onShipment: 0, wholeLine: true)]
        XCTAssertEqual(ShipmentPlanning.newItems(lines: waiting, policy: .partial), [])
        let full = [L(lineID: 1, remaining: 25, allotted: 25, onShipment: 0, wholeLine: true)]
        XCTAssertEqual(ShipmentPlanning.newItems(lines: full, policy: .partial), [.init(lineID: 1, quantity: 25)])
    }

    func testCompleteWaitsForEveryLine() {
        var lines = [L(lineID: 1, remaining: 3, allotted: 3, onShipment: 0, wholeLine: false),
                     L(lineID: 2, remaining: 4, allotted: 1, onShipment: 0, wholeLine: false)]
        XCTAssertEqual(ShipmentPlanning.newItems(lines: lines, policy: .complete), [])
        lines[1].allotted = 4
        XCTAssertEqual(ShipmentPlanning.newItems(lines: lines, policy: .complete).map(\.quantity), [3, 4])
    }

    func testNonInventoriedLinesNeverShip() {
        let lines = [L(lineID: 1, remaining: 1, allotted: 0, onShipment: 0, wholeLine: false, inventoried: false)]
        XCTAssertEqual(ShipmentPlanning.newItems(lines: lines, policy: .complete), [])
    }

    func testTrimPendingTakesFromNewestShipmentFirst() {
        let items = [ShipmentPlanning.PendingItem(itemID: 1, shipmentID: 10, quantity: 4),
                     ShipmentPlanning.PendingItem(itemID: 2, shipmentID: 11, quantity: 3)]
        let result = ShipmentPlanning.trimPending(items, excess: 5)
        XCTAssertEqual(result.map(\.itemID), [2, 1])
        XCTAssertEqual(result.map(\.quantity), [0, 2])
    }
}

final class InputTests: XCTestCase {
    func testQuantityLimits() throws {
        XCTAssertEqual(try Input.quantity("25"), 25)
        XCTAssertEqual(try Input.quantity("1000000000"), 1_000_000_000)
        for bad in ["0", "-1", "abc", "1000000001", "", "2.5"] {
            XCTAssertThrowsError(try Input.quantity(bad), bad)
        }
    }

    func testDelta() throws {
        XCTAssertEqual(try Input.delta("+5"), 5)
        XCTAssertEqual(try Input.delta("-3"), -3)
        for bad in ["0", "+", "x", "++3", "+1000000001"] { XCTAssertThrowsError(try Input.delta(bad), bad) }
    }

    func testTaxRateIsExactPartsPerMillion() throws {
        XCTAssertEqual(try Input.taxRatePPM("8.25"), 82_500)
        XCTAssertEqual(try Input.taxRatePPM("7"), 70_000)
        XCTAssertEqual(try Input.taxRatePPM("0.0625"), 625)
        for bad in ["-1", "8.12345", "abc", "101", "8."] { XCTAssertThrowsError(try Input.taxRatePPM(bad), bad) }
    }

    func testDays() {
        XCTAssertEqual(Day("2026-01-01")!.adding(days: 20).description, "2026-01-21")
        XCTAssertEqual(Day("2021-10-06")!.adding(days: 20).description, "2021-10-26")
        XCTAssertEqual(Day("2024-02-28")!.adding(days: 1).description, "2024-02-29")
        XCTAssertEqual(Day("1970-01-01")!.ordinal, 0)
        for bad in ["2026-02-30", "2026-13-01", "26-01-01", "2026-1-1", "tomorrow", ""] { XCTAssertNil(Day(bad), bad) }
        XCTAssertEqual(Moment("2026-11-21 09:05:00")!.description, "2026-11-21 09:05:00")
    }

    func testPreferencesRejectBadValuesWithTheirChoices() {
        var p = Preferences()
        XCTAssertThrowsError(try p.set(.splitPrompt, to: "maybe")) { e in
            XCTAssertTrue("\(e)".contains("ask, always, never"))
        }
        XCTAssertThrowsError(try p.set(.primaryIntervalMinutes, to: "0"))
        XCTAssertNoThrow(try p.set(.defaultPolicy, to: "complete-or-cancel"))
        XCTAssertEqual(p.defaultPolicy, .completeOrCancel)
    }

    func testRecordLogSentencesCarryTheNumbers() {
        XCTAssertEqual(LogEvent.splitYes(lic: "TEXTBOOK", requested: 25, available: 20, firstLine: 1, secondLine: 2).sentence,
                       "Only 20 of 25 TEXTBOOK available: split by availability — line 1 for 20 allotted now, line 2 for 5 backordered.")
        XCTAssertTrue(LogEvent.preempted(line: 1, lic: "WIDGET", quantity: 4, toOrder: "1002", source: .priorityChange).sentence
            .contains("gave up 4 WIDGET to order 1002 by a priority change"))
        // A process run's allotments to an order: one sentence, by line, a line's parts summed.
        let items = [LogEvent.Allotment(line: 4, lic: "L7", quantity: 3, boCleared: false),
                     LogEvent.Allotment(line: 2, lic: "L1", quantity: 2, boCleared: false),
                     LogEvent.Allotment(line: 2, lic: "L1", quantity: 3, boCleared: true),
                     LogEvent.Allotment(line: 5, lic: "L9", quantity: 1, boCleared: true)]
        XCTAssertEqual(LogEvent.allottedLines(items: items, source: .primary).sentence,
                       "Allotted 5 L1 to line 2 (backorder flag cleared), 3 L7 to line 4 and 1 L9 to line 5 (backorder flag cleared) by the primary backorder process.")
        XCTAssertEqual(LogEvent.allottedLines(items: [items[0]], source: .secondary).sentence,
                       LogEvent.allotted(line: 4, lic: "L7", quantity: 3, source: .secondary, boCleared: false).sentence)
        XCTAssertEqual(LogEvent.allottedLines(items: [items[0], items[3]], source: .primary).sentence,
                       "Allotted 3 L7 to line 4 and 1 L9 to line 5 (backorder flag cleared) by the primary backorder process.")
        XCTAssertEqual(LogEvent.shipmentCreated(shipment: 12, items: [(1, 3), (2, 5)]).sentence, "Shipment 12 created: line 1 × 3, line 2 × 5.")
        XCTAssertEqual(LogEvent.shipmentAppended(shipment: 7, items: [(3, 1)], fromOrder: "1004").sentence,
                       "Added line 3 × 1 to pending shipment 7 (of order 1004, same customer and location).")
        XCTAssertEqual(LogEvent.shipmentAppended(shipment: 1_000_000, items: [(10, 1_234_567), (11, 0)], fromOrder: nil).sentence,
                       "Added line 10 × 1234567, line 11 × 0 to pending shipment 1000000.")
        XCTAssertEqual(LogEvent.allotted(line: 9, lic: "TÉLÉ-Ω", quantity: -3, source: .poReceipt, boCleared: true).sentence,
                       "Allotted -3 TÉLÉ-Ω to line 9 from a purchase-order receipt; backorder flag cleared.")
        // What a run binds (UTF-8 written straight into a reused buffer) is the sentence itself.
        var bytes = SentenceBytes()
        for event in [LogEvent.allottedLines(items: items, source: .primary), .shipmentCreated(shipment: 12, items: [(1, 3)]),
                      .allotted(line: 1, lic: "Ü", quantity: 10, source: .entry, boCleared: false)] {
            bytes.removeAll()
            XCTAssertTrue(event.writeSentence(into: &bytes))
            XCTAssertEqual(bytes.string, event.sentence)
        }
        XCTAssertFalse(LogEvent.voided.writeSentence(into: &bytes), "other events are left to `sentence`")
    }
}

final class InvoicingTests: XCTestCase {
    func testTaxRoundsHalfUpToTheCent() {
        XCTAssertEqual(Invoicing.tax(onCents: 1000, ratePPM: 82_500), 83)      // 82.5 → 83
        XCTAssertEqual(Invoicing.tax(onCents: 999, ratePPM: 82_500), 82)       // 82.4175 → 82
        XCTAssertEqual(Invoicing.tax(onCents: 200, ratePPM: 62_500), 13)       // 12.5 → 13
        XCTAssertEqual(Invoicing.tax(onCents: 0, ratePPM: 82_500), 0)
        XCTAssertEqual(Invoicing.tax(onCents: 123_456_789, ratePPM: 70_000), 8_641_975) // 8641975.23
    }

    func testHandlingOnlyWhenChargedAndCashIsTheLesser() {
        let t = Invoicing.totals(lines: [(3, 1000), (1, 250)], taxRatePPM: 100_000, handlingCents: 500,
                                 chargeHandling: true, prepaidRemainingCents: 10_000)
        XCTAssertEqual(t, .init(subtotalCents: 3250, taxCents: 325, handlingCents: 500, totalCents: 4075, cashAppliedCents: 4075))
        let small = Invoicing.totals(lines: [(1, 1000)], taxRatePPM: 0, handlingCents: 500, chargeHandling: false, prepaidRemainingCents: 300)
        XCTAssertEqual(small.handlingCents, 0)
        XCTAssertEqual(small.cashAppliedCents, 300)
    }

    func testCashSplitAndSuborderNumbers() {
        XCTAssertEqual(Invoicing.splitCash(prepaidCents: 10_000, invoicedTotalCents: 4_075).original, 4_075)
        XCTAssertEqual(Invoicing.splitCash(prepaidCents: 10_000, invoicedTotalCents: 4_075).suborder, 5_925)
        XCTAssertEqual(Invoicing.splitCash(prepaidCents: 3_000, invoicedTotalCents: 4_075).suborder, 0)
        XCTAssertEqual(Invoicing.suborderNumber(base: 208, usedSuffixes: []).number, "208.01")
        XCTAssertEqual(Invoicing.suborderNumber(base: 208, usedSuffixes: [1]).number, "208.02")
        XCTAssertEqual(Invoicing.suborderNumber(base: 208, usedSuffixes: [1, 2, 9]).number, "208.10")
    }

    /// The fill the desk runs (`Allocation.Fill`, walked line by line) against the closed form the
    /// store used to compute in SQL: each line's target is its fixed part plus what is left of
    /// the pool after the need of every line up to it, capped by its own need.
    func testTheFillMatchesTheRunningSumFormulaOnRandomQueues() {
        for seed in UInt64(1)...500 {
            var g = SeededRandom(seed: seed)
            let lines = (1...Int.random(in: 1...30, using: &g)).map { i -> QueueLine in
                let remaining = Int.random(in: 0...20, using: &g)
                let allotted = Int.random(in: 0...remaining, using: &g)
                let frozen = Int.random(in: 0...allotted, using: &g)
                return QueueLine(lineID: Int64(i), key: QueueKey(priority: Int.random(in: 0...3, using: &g), enteredSeq: Int64.random(in: 1...50, using: &g),
                                                                 orderID: Int64(i), lineNo: 1),
                                 remaining: remaining, allotted: allotted, frozen: frozen,
                                 dedicated: Int.random(in: 0...(allotted - frozen), using: &g))
            }
            let onHand = Int.random(in: 0...200, using: &g)
            let pool = onHand - lines.reduce(0) { $0 + $1.fixed }
            var cum = 0
            var expected: [Int64: Int] = [:]
            for l in lines.sorted(by: { $0.key < $1.key }) {
                let need = l.remaining - l.fixed
                cum += need
                expected[l.lineID] = l.fixed + max(0, min(need, pool - (cum - need)))
            }
            XCTAssertEqual(Allocation.canonicalFill(lines, onHand: onHand), expected, "seed \(seed)")
        }
    }
}
