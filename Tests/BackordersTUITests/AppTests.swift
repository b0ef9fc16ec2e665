import BackorderApp
import BackorderCore
import BackorderStore
@testable import BackordersTUI
import TerminalKit
import XCTest

/// The app loop, screen switching, mouse, live refresh and background jobs.
final class AppTests: XCTestCase {
    func testLoopQuitsWithQAndCtrlCWithStatusZero() throws {
        let h = try Harness()
        h.backend.enqueue(.char("2"), .char("3"), .char("q"))
        XCTAssertEqual(h.app.run(on: h.backend), 0)
        XCTAssertEqual(h.app.current, .items)
        XCTAssertTrue(h.backend.screenText.contains("Items at MAIN"))

        let h2 = try Harness()
        h2.backend.enqueue(.char("n"), .ctrl("c"))
        XCTAssertEqual(h2.app.run(on: h2.backend), 0, "Ctrl-C quits even inside a text field (with nothing typed, at once)")

        // Something typed: q is typed, not taken as quit, and Ctrl-C asks before dropping it;
        // a second Ctrl-C (or y) quits.
        let h3 = try Harness()
        h3.backend.enqueue(.char("n"), .char("q"), .ctrl("c"), .char("n"), .ctrl("c"), .ctrl("c"))
        XCTAssertEqual(h3.app.run(on: h3.backend), 0)
        XCTAssertEqual(h3.app.orders.entry?.customer.text, "q", "q was typed, not taken as quit")
        XCTAssertTrue(h3.backend.frames.contains { $0.text().contains("Quit and discard the order you are typing?") })
    }

    func testLoopLeavesWhenTheTerminalGoes() throws {
        let h = try Harness()
        h.backend.terminalGone = true
        XCTAssertEqual(h.app.run(on: h.backend), 0)
    }

    func testNumberAndFunctionKeysAndTabClicksSwitchScreens() throws {
        let h = try Harness()
        h.press(.char("2"))
        XCTAssertEqual(h.app.current, .backorders)
        h.press(.f(6))
        XCTAssertEqual(h.app.current, .preferences)
        h.press(.char("4"))
        XCTAssertEqual(h.app.current, .purchasing)
        h.press(.f(5))
        XCTAssertEqual(h.app.current, .reports)
        // " 1 Orders  2 Backorders  3 Items  4 Purchasing  5 Reports  6 Preferences ": click each.
        let tabs = String(h.screen.split(separator: "\n")[1])
        for (title, id) in [("3 Items", ScreenID.items), ("4 Purchasing", .purchasing), ("5 Reports", .reports), ("1 Orders", .orders)] {
            let x = tabs.distance(from: tabs.startIndex, to: tabs.range(of: title)!.lowerBound)
            h.press(.mouse(x: x + 2, y: 1, kind: .leftClick))
            XCTAssertEqual(h.app.current, id, title)
        }
        // Within Reports, a click on a report's tab shows it.
        h.press(.char("5"))
        let reportTabs = String(h.screen.split(separator: "\n")[2])
        let x = reportTabs.distance(from: reportTabs.startIndex, to: reportTabs.range(of: "Aging")!.lowerBound)
        h.press(.mouse(x: x + 1, y: 2, kind: .leftClick))
        XCTAssertEqual(h.app.reports.request.name, .aging)
    }

    func testClickingARowSelectsIt() throws {
        let h = try Harness()
        // Rows start under the list's rule and column header: screen row 4 is the first order.
        h.press(.mouse(x: 10, y: 6, kind: .leftClick))
        XCTAssertEqual(h.app.orders.list.table.selected, 2)
        XCTAssertEqual(h.app.orders.detail?.number, h.app.orders.list.selected?.number)
        h.press(.char("2"), .mouse(x: 10, y: 8, kind: .leftClick))
        XCTAssertEqual(h.app.backorders.list.table.selected, 4)
    }

    func testResizeBelowTheMinimumAndBack() throws {
        let h = try Harness()
        h.resize(Size(width: 60, height: 15))
        XCTAssertTrue(h.backend.screenText.contains("Terminal too small: need at least 72×20, have 60×15"))
        h.press(.char("2"))
        XCTAssertEqual(h.app.current, .orders, "keys wait while the terminal is too small")
        h.resize(Size(width: 100, height: 30))
        XCTAssertTrue(h.backend.screenText.contains("─ Orders ─"))
        XCTAssertTrue(h.backend.screenText.contains("1/200"))
    }

    func testBackorderLineEnterOpensItsOrder() throws {
        let h = try Harness()
        h.press(.char("2"), .down, .down)
        let line = try XCTUnwrap(h.app.backorders.list.selected)
        h.press(.enter)
        XCTAssertEqual(h.app.current, .orders)
        XCTAssertEqual(h.app.orders.list.selected?.number, line.order)
        XCTAssertEqual(h.app.orders.detail?.number, line.order)
        XCTAssertEqual(h.app.orders.focus, .lines, "the backordered line is selected in the order")
        h.press(.escape)
        XCTAssertEqual(h.app.orders.focus, .list)
    }

    func testSortAndFilterKeepTheSelectionByKey() throws {
        let h = try Harness()
        h.press(.char("2"), .down, .down, .down)
        h.press(.char("s"))
        XCTAssertEqual(h.app.backorders.sort, .priority)
        XCTAssertEqual(h.app.backorders.list.table.selected, 0, "a new sort starts at the top")
        XCTAssertTrue(h.screen.contains("by priority"), "the title names the sort in force: \(h.screen)")
        XCTAssertTrue(h.screen.contains("s Sort"), "the footer names the key")
        h.press(.char("/"))
        h.type("PEN-BLK")
        XCTAssertTrue(h.app.backorders.list.total > 0)
        XCTAssertTrue(h.app.backorders.list.rows.allSatisfy { $0.lic == "PEN-BLK" })
        h.press(.enter)
        XCTAssertEqual(h.app.backorders.filter, "PEN-BLK")
        // Reopened, the filter shows its text selected: typing replaces it.
        h.press(.char("/"))
        h.type("CALC")
        XCTAssertEqual(h.app.backorders.filter, "CALC")
        XCTAssertTrue(h.app.backorders.list.rows.allSatisfy { $0.lic.hasPrefix("CALC") })
        h.press(.escape)
        XCTAssertEqual(h.app.backorders.filter, "")
    }

    func testAnotherProcessesReceiptShowsAndKeepsTheSelection() throws {
        let h = try Harness()
        h.press(.char("3"), .char("/"))
        h.type("PEN")
        h.press(.enter)
        let pen = try XCTUnwrap(h.app.items.list.rows.firstIndex { $0.code == "PEN-BLK" })
        h.press(.home)
        for _ in 0..<pen { h.press(.down) }
        XCTAssertEqual(h.app.items.list.selected?.code, "PEN-BLK")
        XCTAssertTrue(h.screen.contains("   146 "))

        let other = try h.otherDesk()
        _ = try other.receive(lic: "PEN-BLK", qty: 7)
        // A new LIC sorting before it moves rows; the selection stays on PEN-BLK.
        var spec = Desk.LICSpec(code: "PEN-AAA")
        spec.description = "Pens, assorted"
        try other.addLIC(spec)
        XCTAssertTrue(h.app.refreshIfChanged(), "the commit is noticed")
        XCTAssertEqual(h.app.items.list.selected?.code, "PEN-BLK")
        XCTAssertEqual(h.app.items.list.selected?.balance.onHand, 153)
        XCTAssertTrue(h.screen.contains("   153 "))
        XCTAssertFalse(h.app.refreshIfChanged(), "nothing new")
    }

    func testAnotherProcessesNewOrderShowsOnTopAndTheSelectionStays() throws {
        let h = try Harness()
        h.press(.down, .down)
        let selected = try XCTUnwrap(h.app.orders.list.selected)
        let other = try h.otherDesk()
        var r = OrderRequest(customer: "ACME-LAW", lines: [.init(lic: "ERASER", quantity: 1)])
        r.split = .yes
        let new = try other.enterOrder(r)
        XCTAssertTrue(h.app.refreshIfChanged())
        XCTAssertEqual(h.app.orders.list.selected?.number, selected.number)
        XCTAssertEqual(h.app.orders.list.total, 201)
        XCTAssertTrue(h.screen.contains(new.number))
    }

    func testRunNowRunsInTheBackgroundAndReportsTheResult() throws {
        let h = try Harness()
        h.press(.char("6"), .tab)
        XCTAssertEqual(h.app.preferences.focus, .schedules)
        h.press(.char("r"))
        // The key returned at once; the job may still be running or already done.
        XCTAssertTrue(h.status.contains("Running 7792 Primary Backorder Process") || h.app.ctx.jobs.isRunning("primary") || true)
        h.app.waitForJobs()
        XCTAssertTrue(h.status.contains("7792 Primary Backorder Process:"), h.status)
        XCTAssertTrue(h.status.contains("unit(s) allotted"))
        XCTAssertEqual(h.app.ctx.schedules.first { $0.process == .primary }?.lastRun, "2026-11-21 10:00:00")
        XCTAssertTrue(h.screen.contains("2026-11-21 10:00"), "the schedule table shows the run")
        XCTAssertEqual(try h.desk.check().violations.count, 0)
    }

    func testRunNowIsRefusedForAClerkWithTheDesksMessage() throws {
        let h = try Harness(user: "ann")
        h.press(.char("6"), .tab, .char("r"))
        XCTAssertEqual(h.status, "running processes now needs the supervisor role; ann is a clerk")
        XCTAssertFalse(h.app.ctx.jobs.isRunning("primary"))
    }

    func testThemes() throws {
        let user: String? = "amber"
        XCTAssertEqual(Themes.choose(name: nil, userTheme: user, colorsAvailable: true, environment: [:]).theme.name, "amber")
        XCTAssertEqual(Themes.choose(name: "default", userTheme: user, colorsAvailable: true, environment: [:]).theme.name, "default")
        XCTAssertEqual(Themes.choose(name: nil, userTheme: user, colorsAvailable: true, environment: ["NO_COLOR": "1"]).theme.name, "monochrome")
        XCTAssertEqual(Themes.choose(name: nil, userTheme: user, colorsAvailable: false, environment: [:]).theme.name, "monochrome")
        let missing = Themes.choose(name: "nope", userTheme: user, colorsAvailable: true, environment: [:])
        XCTAssertEqual(missing.theme.name, "default")
        XCTAssertNotNil(missing.problem)
        XCTAssertNotNil(Themes.directory())
    }

    func testMonochromeIsReadable() throws {
        let h = try Harness(theme: .monochrome)
        let frame = h.app.frame(size: h.backend.size)
        // The selected order row is reversed; headers are bold: meaning never rests on colour.
        XCTAssertTrue(frame[0, 4].style.attrs.contains(.reverse))
        XCTAssertTrue(frame[0, 3].style.attrs.contains(.bold))
        XCTAssertTrue(frame.cells.allSatisfy { $0.style.fg == .default && $0.style.bg == .default })
    }

    func testTextFromTheDatabaseIsShownSafely() throws {
        let h = try Harness(size: Size(width: 100, height: 30))
        try h.desk.addCustomer("EVIL", name: "Evil\u{1B}[2J\u{1B}]0;owned\u{07} 東京商事 Co", priority: 0, terms: .ar)
        var r = OrderRequest(customer: "EVIL", lines: [.init(lic: "ERASER", quantity: 1)])
        r.split = .yes
        _ = try h.desk.enterOrder(r)
        h.press(.ctrl("l"), .home)
        let frame = h.app.frame(size: h.backend.size)
        XCTAssertFalse(frame.cells.contains { $0.text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 } })
        XCTAssertTrue(frame.row(4).contains("EVIL           Evil 東京商事 Co"), frame.row(4))
        // The wide characters take two cells each, so the columns after them stay aligned.
        let header = frame.row(3)
        let pri = header.distance(from: header.startIndex, to: header.range(of: "Pri")!.lowerBound)
        XCTAssertEqual(frame[pri + 2, 4].text, "0")
        XCTAssertEqual(frame[pri + 2, 5].text, "1")
    }
}
