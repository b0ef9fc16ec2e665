import BackorderApp
import BackorderCore
@testable import BackordersTUI
import TerminalKit
import XCTest

/// What a supervisor and an admin do on the desk (issue: decisions shown with their
/// consequences, safe edits, schedules that act on the row they show), key by key through the
/// in-memory backend, on a copy of the demo database.
final class SafeDeskTests: XCTestCase {
    static let small = Size(width: 80, height: 24)
    static let large = Size(width: 120, height: 40)

    /// Selects an order in the Orders list by filtering for its number.
    private func select(_ h: Harness, order number: String) {
        h.press(.char("1"), .char("/"))
        h.type(number)
        h.press(.enter)
        XCTAssertEqual(h.app.orders.list.selected?.number, number)
    }

    /// The row of the schedules table that starts with `text`, and whether it is drawn highlighted.
    private func row(_ h: Harness, containing text: String) -> (y: Int, highlighted: Bool)? {
        let frame = h.app.frame(size: h.backend.size)
        guard let title = (0..<frame.size.height).first(where: { frame.row($0).contains("Automation schedules") }) else { return nil }
        for y in (title + 1)..<frame.size.height where frame.row(y).hasPrefix(text) {
            return (y, frame[0, y].style == Theme.default.style(.selection))
        }
        return nil
    }

    // MARK: - The schedules table acts on the row it shows

    func testSchedulesTableMovesThroughEveryRowAndRunsExactlyTheHighlightedProcess() throws {
        for size in [Self.small, Self.large] {
            for (index, process) in ProcessKind.allCases.enumerated() {
                let h = try Harness(size: size)
                h.press(.char("6"), .tab)
                for _ in 0..<index { h.press(.down) }
                XCTAssertEqual(h.app.preferences.selectedSchedule, process, "\(size)")
                for other in ProcessKind.allCases {
                    let r = try XCTUnwrap(row(h, containing: "\(other.scheduleCode) "), "every row stays drawn at \(size): \(h.screen)")
                    XCTAssertEqual(r.highlighted, other == process, "\(other) highlighted at \(size) with \(process) selected:\n\(h.screen)")
                }
                let before = try h.desk.runs(limit: 1).first?.id ?? 0
                h.press(.char("r"))
                h.app.waitForJobs()
                let run = try XCTUnwrap(h.desk.runs(limit: 1).first)
                XCTAssertGreaterThan(run.id, before)
                XCTAssertEqual(run.process, process, "r ran the highlighted process at \(size)")
                XCTAssertTrue(h.status.contains("\(process.scheduleCode)"), h.status)
            }
        }
        // Past the last row the highlight stays on the last, and the rows stay drawn.
        let h = try Harness(size: Self.small)
        h.press(.char("6"), .tab)
        for _ in 0..<9 { h.press(.down) }
        XCTAssertEqual(h.app.preferences.selectedSchedule, .replenish)
        XCTAssertEqual(row(h, containing: "8102 ")?.highlighted, true)
        XCTAssertEqual(row(h, containing: "7792 ")?.highlighted, false)
    }

    func testTheSelectedSchedulesWholeLastResultIsReadable() throws {
        let h = try Harness(size: Self.small)
        h.press(.char("6"), .tab, .down)
        let last = try XCTUnwrap(h.desk.schedules().first { $0.process == .secondary }?.lastResult)
        XCTAssertTrue(h.screen.contains("…"), "the column cuts it with an ellipsis")
        let text = h.screen.replacingOccurrences(of: "\n ", with: " ")
        XCTAssertTrue(text.contains(last), "the line under the preferences gives it whole: \(h.screen)")
    }

    // MARK: - Safe edits

    func testThePriorityDialogReplacesTheValueItShows() throws {
        let h = try Harness(size: Self.large)
        select(h, order: "1118")
        h.press(.char("p"))
        h.type("9")
        h.press(.enter)
        XCTAssertTrue(h.screen.contains("Preview of 4 → 9"), "typing 9 over 4 gives 9, not 49: \(h.screen)")
    }

    func testChangesForEveryoneAskAndAreLogged() throws {
        let h = try Harness(size: Self.large)
        h.press(.char("6"))
        for _ in 0..<5 { h.press(.down) }   // Process receipts on posting
        XCTAssertEqual(h.app.preferences.selectedKey, .processReceiptsOnPosting)
        XCTAssertTrue(h.screen.contains("posting a receipt runs the primary backorder process"), "what it governs: \(h.screen)")
        h.press(.char(" "))
        XCTAssertTrue(h.screen.contains("Turn on processing receipts on posting for everyone?"), h.screen)
        h.press(.char("n"))
        XCTAssertFalse(try h.desk.preferences().processReceiptsOnPosting)
        h.press(.char(" "), .char("y"))
        XCTAssertTrue(try h.desk.preferences().processReceiptsOnPosting)
        // A change that only this admin's numbers touch does not ask.
        h.press(.down, .down, .enter)
        h.type("20")
        h.press(.enter)
        XCTAssertNil(h.app.modal)
        XCTAssertEqual(try h.desk.preferences().primaryIntervalMinutes, 20)
        // The log, on the screen and in its own view.
        XCTAssertTrue(h.screen.contains("Preference changes"), h.screen)
        XCTAssertTrue(h.screen.contains("30 → 20"), h.screen)
        h.press(.char("l"))
        let log = h.screen
        XCTAssertTrue(log.contains("Preferences log"), log)
        XCTAssertTrue(log.contains("Process receipts on posting") && log.contains("7792 interval (minutes)"), log)
        h.press(.escape)
        XCTAssertNil(h.app.modal)
    }

    func testEscapeWithATypedReceiptAsks() throws {
        let h = try Harness()
        h.press(.char("3"), .char("r"))
        h.type("12")
        h.press(.escape)
        XCTAssertTrue(h.screen.contains("Discard the receipt?"), h.screen)
        h.press(.char("n"))
        XCTAssertNil(h.app.modal)
        h.press(.f(1))
        XCTAssertTrue(h.screen.contains("Discard the receipt you are typing?"), "a screen key asks too: \(h.screen)")
        h.press(.char("y"))
        XCTAssertEqual(h.app.current, .orders)
    }

    // MARK: - Decisions shown with their consequences

    func testPriorityPreviewListsLossesGainsAndShipments() throws {
        let h = try Harness(size: Self.large)
        let preview = try h.desk.changePriority("1118", to: 9, preview: true)
        XCTAssertFalse(preview.gains.isEmpty)
        XCTAssertTrue(preview.gains.contains { $0.fromOrder == "1118" && $0.lic == "PEN-BLK" && $0.qty == 40 })
        XCTAssertGreaterThanOrEqual(preview.gains.filter { $0.fromOrder != "1118" && $0.lic == "PEN-BLK" }.reduce(0) { $0 + $1.qty }, 80)
        select(h, order: "1118")
        h.press(.char("p"))
        h.type("9")
        h.press(.enter)
        let screen = h.screen
        for text in ["Loses", "Gains", "Shipments:", "CITY-FAIRVIEW", "Riverside Unified", "created for order"] {
            XCTAssertTrue(screen.contains(text) || screen.contains(text.uppercased()), "\(text): \(screen)")
        }
        XCTAssertEqual(try h.desk.order("1118").priority, 4, "a preview writes nothing")
        golden(screen, "priority-preview-gains-120x40")
        h.press(.char("y"))
        XCTAssertEqual(try h.desk.order("1118").priority, 9)
        XCTAssertEqual(try h.desk.order("1118").lines.first { $0.lic == "PEN-BLK" }?.allotted, 40)

        let small = try Harness(size: Self.small)
        select(small, order: "1118")
        small.press(.char("p"))
        small.type("9")
        small.press(.enter)
        golden(small.screen, "priority-preview-gains-80x24")
        small.press(.down, .down, .down)
        XCTAssertTrue(small.screen.contains("↑↓ more"), "the list scrolls: \(small.screen)")
    }

    /// A partly shipped order of the demo with something still backordered.
    private func partlyShipped(_ h: Harness, policy: FulfillmentPolicy) throws -> String {
        try XCTUnwrap(h.desk.orders(status: .backorder).first { o in
            guard let v = try? h.desk.order(o.number) else { return false }
            return v.policy == policy && v.lines.contains { $0.shipped > $0.invoiced && $0.inventoried }
        }?.number)
    }

    func testInvoicingShowsItsFiguresBeforeItIsConfirmed() throws {
        for size in [Self.small, Self.large] {
            let h = try Harness(size: size)
            let number = try partlyShipped(h, policy: .partial)
            let preview = try h.desk.invoice(number, choice: nil, preview: true).result
            select(h, order: number)
            h.press(.char("i"))
            let screen = h.screen
            for text in ["Subtotal", "Tax", "Handling", "Total", "Cash applied", Format.money(preview.totals.totalCents),
                         "extended suborder \(number).01"] {
                XCTAssertTrue(screen.contains(text), "\(text) at \(size): \(screen)")
            }
            XCTAssertEqual(try h.desk.order(number).invoices.count, 0, "the dialog writes nothing")
            golden(screen, "invoice-dialog-\(size.width)x\(size.height)")
            h.press(.enter)
            XCTAssertEqual(try h.desk.order(number).invoices.count, 0, "Enter is No")
            h.press(.char("i"), .char("y"))
            XCTAssertEqual(try h.desk.order(number).invoices.map(\.totalCents), [preview.totals.totalCents])
            XCTAssertTrue(h.status.contains("suborder \(number).01"), h.status)
        }
    }

    func testInvoicingAShipPartialCancelBackordersOrderAsksThePolicysQuestionFirst() throws {
        let h = try Harness(size: Self.large)
        let number = try partlyShipped(h, policy: .partialCancel)
        select(h, order: number)
        h.press(.char("i"))
        XCTAssertTrue(h.screen.contains("ships partial and cancels backorders"), h.screen)
        h.press(.char("c"))
        XCTAssertTrue(h.screen.contains("Reason for cancelling"), h.screen)
        h.press(.enter)   // CUST, the first reason
        let screen = h.screen
        XCTAssertTrue(screen.contains("backordered unit(s) are cancelled (reason CUST)"), screen)
        XCTAssertEqual(try h.desk.order(number).invoices.count, 0, "nothing yet")
        h.press(.char("y"))
        XCTAssertEqual(try h.desk.order(number).invoices.count, 1)
        XCTAssertEqual(try h.desk.order(number).status, .closed)
    }

    // MARK: - Why is this backordered?

    func testWhyFromTheBackordersListTheOrderAndTheDrillDown() throws {
        for size in [Self.small, Self.large] {
            let h = try Harness(size: size)
            h.press(.char("2"), .char("/"))
            h.type("1118")
            h.press(.enter)
            XCTAssertEqual(h.app.backorders.list.selected?.order, "1118")
            h.press(.char("w"))
            let screen = h.screen
            for text in ["Why is it backordered?", "lacks 40 of 40 PEN-BLK", "number 9 of", "wait for 7792 Primary",
                         "PO-5003", "Promise date 2026-12-08"] + (size == Self.large ? ["Record log of this line"] : []) {
                XCTAssertTrue(screen.replacingOccurrences(of: "\n│ ", with: " ").contains(text) || screen.contains(text),
                              "\(text) at \(size): \(screen)")
            }
            golden(screen, "why-1118-\(size.width)x\(size.height)")
            if size == Self.small {
                h.press(.pageDown)
                XCTAssertTrue(h.screen.contains("Record log of this line"), "the rest scrolls into view: \(h.screen)")
            }
            h.press(.enter)
            XCTAssertEqual(h.app.current, .orders, "Enter opens the order")
            XCTAssertEqual(h.app.orders.selectedLine?.line, 1)
            // In the order's lines, Enter on a BO line answers at once.
            h.press(.enter)
            XCTAssertTrue(h.app.modal is WhyModal)
            h.press(.escape)
            XCTAssertNil(h.app.modal)
        }
        // The drill-down: w on a waiting line.
        let h = try Harness()
        h.press(.char("3"), .char("/"))
        h.type("PEN-BLK")
        h.press(.enter, .enter, .down)
        h.press(.char("w"))
        XCTAssertTrue(h.app.modal is WhyModal, h.status)
        XCTAssertTrue(h.screen.contains("PEN-BLK"))
    }

    // MARK: - Lists

    func testTheBackordersListShowsTheLocationAndAFilterOnALocationMatchesOnlyIt() throws {
        let h = try Harness(size: Self.large)
        h.press(.char("2"))
        XCTAssertTrue(h.screen.contains(" Loc "), h.screen)
        h.press(.char("/"))
        h.type("WEST")
        h.press(.enter)
        XCTAssertGreaterThan(h.app.backorders.list.total, 0)
        XCTAssertTrue(h.app.backorders.list.rows.allSatisfy { $0.location == "WEST" },
                      "WESTSIDE-ES's lines at MAIN do not match WEST: \(h.app.backorders.list.rows.map(\.location))")
        let westside = try h.desk.backorderPage(filter: "WESTSIDE", anchor: .first, limit: 100)
        XCTAssertTrue(westside.contains { $0.location != "WEST" }, "a customer word still matches customers")
    }

    // MARK: - Screen keys

    func testAScreenKeyComesBackToTheListNotAStaleDrillDown() throws {
        let h = try Harness()
        h.press(.char("3"), .char("/"))
        h.type("PEN-BLK")
        h.press(.enter, .enter)
        XCTAssertNotNil(h.app.items.drill)
        h.press(.char("1"), .char("3"))
        XCTAssertNil(h.app.items.drill, "the screen key shows the Items list")
        XCTAssertTrue(h.screen.contains("Items at MAIN"), h.screen)
        h.press(.char("/"))
        h.type("WORKBOOK")
        h.press(.enter)
        XCTAssertEqual(h.app.items.filter, "WORKBOOK")
        XCTAssertTrue(h.app.items.list.rows.allSatisfy { $0.code.hasPrefix("WORKBOOK") }, "\(h.app.items.list.rows.map(\.code))")
        // In a drill-down, / goes back to the list and filters it.
        h.press(.enter)
        XCTAssertNotNil(h.app.items.drill)
        h.press(.char("/"))
        XCTAssertNil(h.app.items.drill)
        XCTAssertTrue(h.app.items.capturesText, "the filter field is open")
    }

    // MARK: - Shipments to pick and ship

    func testThePendingShipmentsViewPicksAndShipsOldestFirst() throws {
        let h = try Harness(size: Self.large)
        h.press(.char("t"))
        XCTAssertEqual(h.app.orders.mode, .toShip)
        XCTAssertTrue(h.screen.contains("Shipments to pick and ship"), h.screen)
        let rows = h.app.orders.toShip.rows
        XCTAssertEqual(rows.map(\.id), rows.map(\.id).sorted(), "oldest first")
        XCTAssertTrue(rows.allSatisfy { $0.status == .pending || $0.status == .picked })
        let pendingIndex = try XCTUnwrap(rows.firstIndex { $0.status == .pending })
        for _ in 0..<pendingIndex { h.press(.down) }
        let s = try XCTUnwrap(h.app.orders.toShip.selected)
        XCTAssertEqual(h.app.orders.detail?.number, s.order, "the detail shows the shipment's order")
        h.press(.char("k"))
        XCTAssertEqual(try h.desk.shipments(order: s.order).first { $0.id == s.id }?.status, .picked)
        h.press(.char("s"))
        XCTAssertTrue(h.screen.contains("Ship shipment \(s.id)?"), "shipping asks first")
        h.press(.char("y"))
        XCTAssertEqual(try h.desk.shipments(order: s.order).first { $0.id == s.id }?.status, .shipped)
        XCTAssertFalse(h.app.orders.toShip.rows.contains { $0.id == s.id }, "a shipped shipment leaves the list")
        h.press(.enter)
        XCTAssertEqual(h.app.orders.mode, .orders)
        XCTAssertEqual(h.app.orders.list.selected?.number, h.app.orders.detail?.number)
        h.press(.char("t"), .escape)
        XCTAssertEqual(h.app.orders.mode, .orders)
    }

    // MARK: - Receiving names a PO

    func testReceivingOnItemsOffersTheOpenPOLinesAndAsksAboutAnExcess() throws {
        let h = try Harness(size: Self.large)
        let lines = try h.desk.openPOLines(lic: "CHAIR-STK", location: "MAIN")
        let oldest = try XCTUnwrap(lines.first)
        let onOrder = try h.desk.lic("CHAIR-STK").balance.onOrder
        h.press(.char("3"), .char("/"))
        h.type("CHAIR-STK")
        h.press(.enter, .char("r"))
        XCTAssertTrue(h.screen.contains("against \(oldest.po) line \(oldest.line)"), h.screen)
        h.type("10")
        h.press(.enter)
        XCTAssertEqual(try h.desk.lic("CHAIR-STK").balance.onOrder, onOrder - 10, "on order goes down")
        XCTAssertEqual(try h.desk.purchaseOrder(oldest.po).lines.first { $0.line == oldest.line }?.received, oldest.received + 10)
        XCTAssertTrue(h.status.contains("on \(oldest.po)"), h.status)

        // More than the PO line has open: asked, then the excess is an unplanned receipt.
        let open = oldest.open - 10
        h.press(.char("r"))
        h.type(String(open + 5))
        h.press(.enter)
        XCTAssertTrue(h.screen.contains("Receive more than \(oldest.po) has open?"), h.screen)
        h.press(.char("y"))
        let ledger = try h.desk.lic("CHAIR-STK").ledger
        XCTAssertTrue(ledger.contains { $0.reason.contains("unplanned receipt: 5 over purchase order \(oldest.po)") }, "\(ledger.map(\.reason))")

        // Tab goes round the open PO lines to none: an unplanned receipt.
        h.press(.char("r"))
        for _ in 0..<(try h.desk.openPOLines(lic: "CHAIR-STK", location: "MAIN").count) { h.press(.tab) }
        XCTAssertTrue(h.screen.contains("unplanned receipt (no PO)"), h.screen)
        h.press(.escape)
    }

    // MARK: - Purchase order numbers

    func testEveryPOIsNumberedFromOneSequenceInOneFormat() throws {
        let h = try Harness()
        let before = try h.desk.purchaseOrders().map(\.number)
        XCTAssertTrue(before.allSatisfy { $0.hasPrefix("PO-") }, "\(before)")
        let run = try h.desk.runProcess(.replenish)
        let drafts = try XCTUnwrap(run.purchaseOrderNumbers)
        XCTAssertFalse(drafts.isEmpty)
        XCTAssertTrue(drafts.allSatisfy { $0.hasPrefix("PO-") })
        XCTAssertTrue(Set(drafts).isDisjoint(with: before), "\(drafts) clash with \(before)")
        let highest = before.compactMap { Int($0.dropFirst(3)) }.max() ?? 0
        XCTAssertEqual(drafts.compactMap { Int($0.dropFirst(3)) }.min(), highest + 1, "the sequence goes on")
    }

    // MARK: - Cut text

    func testALongStatusIsCutWithAnEllipsisAndShownWholeByM() throws {
        let h = try Harness(size: Self.small)
        h.press(.char("6"), .tab, .down, .char("r"))
        h.app.waitForJobs()
        let message = h.status
        XCTAssertGreaterThan(message.count, 80)
        let statusRow = h.screen.split(separator: "\n", omittingEmptySubsequences: false)[22]
        XCTAssertTrue(statusRow.contains("…") && statusRow.contains("m: all of it"), String(statusRow))
        h.press(.char("m"))
        let all = h.screen
        XCTAssertTrue(all.contains("Messages"), all)
        let words = message.split(separator: " ").suffix(4).joined(separator: " ")
        XCTAssertTrue(all.replacingOccurrences(of: "\n", with: " ").contains(words) || all.contains(String(message.suffix(20))),
                      "the whole message: \(all)")
    }
}

/// Schedules that run: while no scheduler service holds the schedules' lease, the open desk runs
/// what is due itself, in the background, and the run is recorded as the desk's.
final class DeskRunsSchedulesTests: XCTestCase {
    /// 10:15 on the demo's day: 7792 ran at 09:40 every 30 minutes, so it is due.
    static let later = Clock.fixed(Moment(day: DemoDatabase.today, secondOfDay: 10 * 3600 + 15 * 60))

    func testAnOpenDeskRunsADueScheduleAndRecordsItAsTheDesks() throws {
        let h = try Harness(size: Size(width: 120, height: 40), clock: Self.later, runsSchedules: true)
        XCTAssertTrue(h.screen.contains("7792 due"), h.screen)
        let before = try h.desk.runs(limit: 1).first?.id ?? 0
        XCTAssertTrue(h.app.runDueSchedules(), "a due schedule starts")
        h.app.waitForJobs()
        let run = try XCTUnwrap(h.desk.runs(limit: 1).first)
        XCTAssertGreaterThan(run.id, before)
        XCTAssertEqual(run.process, .primary)
        XCTAssertEqual(run.actor, "desk:admin", "recorded as the desk's")
        XCTAssertTrue(h.status.contains("7792 Primary Backorder Process ran on schedule (by this desk)"), h.status)
        XCTAssertTrue(h.screen.contains("7792 in 30 min"), "the header says when it runs next: \(h.screen)")
        XCTAssertTrue(try h.desk.why(order: "1118", line: 1).waiting.isEmpty, "this morning's receipt went to the queue")
        // Nothing else is due now: no second run.
        XCTAssertFalse(h.app.runDueSchedules())
    }

    func testAScheduleIsLeftToTheServiceThatHoldsTheLease() throws {
        let h = try Harness(size: Size(width: 120, height: 40), clock: Self.later, runsSchedules: true)
        let service = try XCTUnwrap(Lease.acquire(h.database, name: Scheduler.leaseName, wait: 0, what: "the scheduler service"))
        XCTAssertFalse(h.app.runDueSchedules(), "the service runs them")
        h.app.refreshIfChanged()
        h.press(.char("6"))
        XCTAssertTrue(h.screen.contains("run by the scheduler service"), h.screen)
        XCTAssertEqual(try h.desk.runs(limit: 1).first?.actor, "scheduler", "no run by the desk")
        service.release()
        XCTAssertTrue(h.app.runDueSchedules(), "with the service gone the desk runs them")
        h.app.waitForJobs()
        XCTAssertEqual(try h.desk.runs(limit: 1).first?.actor, "desk:admin")
    }

    func testAClerksDeskRunsTheSchedulesToo() throws {
        let h = try Harness(user: "ann", clock: Self.later, runsSchedules: true)
        XCTAssertTrue(h.app.runDueSchedules(), "a clerk may not run a process by hand, but the desk runs the schedules")
        h.app.waitForJobs()
        XCTAssertEqual(try h.desk.runs(limit: 1).first?.actor, "desk:ann")
    }
}
