import BackorderApp
import BackorderCore
import Foundation
@testable import BackordersTUI
import TerminalKit
import TestSupport
import XCTest

/// Screens 4 Purchasing and 5 Reports, key by key on a copy of the demo database: what a
/// supervisor and a receiving clerk do without the command line.
final class PurchasingAndReportsTests: XCTestCase {
    static let small = Size(width: 80, height: 24)
    static let large = Size(width: 120, height: 40)

    private func po(_ h: Harness, _ number: String) {
        h.press(.char("4"), .char("/"))
        h.type(number)
        h.press(.enter)
        XCTAssertEqual(h.app.purchasing.list.selected?.number, number, h.screen)
    }

    // MARK: - Goldens

    func testReportsGoldens() throws {
        for size in [Self.small, Self.large] {
            let h = try Harness(size: size)
            h.press(.char("5"))
            golden(h.screen, "reports-backlog-\(size.width)x\(size.height)")
            h.press(.tab, .tab, .tab)
            golden(h.screen, "reports-aging-\(size.width)x\(size.height)")
            h.press(.tab)
            golden(h.screen, "reports-fill-rate-\(size.width)x\(size.height)")
        }
    }

    func testPurchasingGoldens() throws {
        for size in [Self.small, Self.large] {
            let h = try Harness(size: size)
            h.press(.char("4"))
            golden(h.screen, "purchasing-list-\(size.width)x\(size.height)")
            po(h, "PO-5003")
            h.press(.enter)
            golden(h.screen, "purchasing-detail-\(size.width)x\(size.height)")
            h.press(.escape, .char("s"))
            golden(h.screen, "purchasing-suggestions-\(size.width)x\(size.height)")
        }
    }

    // MARK: - Reports

    func testBacklogByProductIsSortedByUnitsShortWithATotalAndOpensTheDrillDown() throws {
        let h = try Harness(size: Self.large)
        h.press(.char("5"))
        let report = try XCTUnwrap(h.app.reports.report)
        let short = try XCTUnwrap(report.column("backordered"))
        let values = report.rows.map { Int($0[short].text) ?? 0 }
        XCTAssertEqual(values, values.sorted(by: >), "largest first")
        XCTAssertTrue(values.allSatisfy { $0 > 0 })
        XCTAssertEqual(values.reduce(0, +), try h.desk.backorderUnits(), "every unit short is in it")
        XCTAssertTrue(h.screen.contains("Total: \(report.rows.count) LIC(s)"), h.screen)
        XCTAssertTrue(Set(report.rows.map { $0[report.column("location")!].text }).count > 1, "across locations")
        let first = try XCTUnwrap(report.rows.first)
        h.press(.enter)
        XCTAssertEqual(h.app.current, .items)
        XCTAssertEqual(h.app.items.drill?.lic, first[report.column("lic")!].text)
        XCTAssertEqual(h.app.items.location, first[report.column("location")!].text)
        // The location key keeps one location's rows.
        h.press(.char("5"), .char("l"))
        let east = try XCTUnwrap(h.app.reports.report)
        XCTAssertEqual(h.app.reports.request.location, "EAST")
        XCTAssertTrue(east.rows.allSatisfy { $0[east.column("location")!].text == "EAST" })
    }

    func testBackorderReportFiltersAndEnterOpensTheOrder() throws {
        let h = try Harness(size: Self.large)
        h.press(.char("5"), .tab)
        XCTAssertEqual(h.app.reports.request.name, .backorders)
        h.press(.char("/"))
        XCTAssertTrue(h.screen.contains("partially invoiced only"), h.screen)
        h.type("HILLCREST-HS")
        h.press(.tab)
        h.type("PEN-BLK")
        h.press(.enter)
        let report = try XCTUnwrap(h.app.reports.report)
        XCTAssertGreaterThan(report.rows.count, 0)
        XCTAssertTrue(report.rows.allSatisfy { $0[report.column("customer")!].text == "HILLCREST-HS" && $0[report.column("lic")!].text == "PEN-BLK" })
        XCTAssertTrue(h.screen.contains("Filters: customer HILLCREST-HS · LIC PEN-BLK"), h.screen)
        // An unknown code is refused beside the field and changes nothing.
        h.press(.char("/"), .tab)
        h.type("NO-SUCH")
        h.press(.enter)
        XCTAssertTrue(h.screen.contains("unknown LIC NO-SUCH"), h.screen)
        h.press(.escape)
        XCTAssertEqual(h.app.reports.request.lic, "PEN-BLK")
        let order = report.rows[0][report.column("order")!].text
        h.press(.enter)
        XCTAssertEqual(h.app.current, .orders)
        XCTAssertEqual(h.app.orders.detail?.number, order)
    }

    /// The file an export writes is byte for byte the command's CSV for the same report and filters.
    func testExportWritesTheCommandsCSVAndAsksBeforeOverwriting() throws {
        let h = try Harness(size: Self.large)
        h.press(.char("5"), .tab, .char("l"))   // the backorder report at EAST
        let path = h.directory + "/backorders-\(DemoDatabase.today).csv"
        h.press(.char("e"))
        XCTAssertTrue(h.screen.contains(path) || h.screen.contains("backorders-2026-11-21.csv"), h.screen)
        h.press(.enter)
        h.app.waitForJobs()
        XCTAssertTrue(h.status.contains("Exported") && h.status.contains(path), h.status)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        let cli = try Backorders(home: h.directory, db: h.url.path)
        let command = try cli.ok("report", "backorders", "--location", "EAST", "--format", "csv", "--user", DemoDatabase.admin,
                                 "--today", DemoDatabase.today.description)
        XCTAssertEqual(written, command.stdout, "the export is the command's CSV")
        XCTAssertEqual(written.split(separator: "\n").count - 1, h.app.reports.report?.rows.count)

        // Again: the file exists, so it asks; No writes nothing.
        try "keep me".write(toFile: path, atomically: true, encoding: .utf8)
        h.press(.char("e"), .enter)
        XCTAssertTrue(h.screen.contains("Replace backorders-2026-11-21.csv?"), h.screen)
        h.press(.char("n"))
        h.app.waitForJobs()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "keep me")
        h.press(.char("e"), .enter, .char("y"))
        h.app.waitForJobs()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), command.stdout)
        // A path typed over the one shown; a folder that does not exist is refused.
        h.press(.char("e"))
        h.type("/no/such/folder/x.csv")
        h.press(.enter)
        XCTAssertTrue(h.screen.contains("there is no folder /no/such/folder"), h.screen)
        h.press(.escape)
    }

    /// From 110 columns the PO list and the detail stand side by side: a click hits the pane
    /// under it by x and y, so one in the detail never selects the PO on the list row beside it.
    func testAClickInTheDetailBesideTheListLeavesThePOSelected() throws {
        let h = try Harness(size: Self.large)
        h.press(.char("4"), .down)
        let purchasing = h.app.purchasing
        let selected = try XCTUnwrap(purchasing.list.selected?.number)
        let list = purchasing.pane.tableArea
        let detail = purchasing.parts(try XCTUnwrap(Layout.panes(Self.large)[.body])).detail
        XCTAssertGreaterThanOrEqual(detail.x, list.maxX, "side by side")
        let lines = purchasing.linesArea
        for y in (list.y + 1)..<list.maxY {
            for x in [detail.x + 2, detail.maxX - 2] {
                h.press(.mouse(x: x, y: y, kind: .leftClick))
                XCTAssertEqual(purchasing.list.selected?.number, selected, "a click at \(x),\(y) in the detail")
                XCTAssertEqual(purchasing.detail?.number, selected)
                let onALine = lines.contains(x: x, y: y) && y > lines.y && y - lines.y - 1 < (purchasing.detail?.lines.count ?? 0)
                XCTAssertEqual(purchasing.focus, onALine ? .lines : .list, "\(x),\(y)")
                h.press(.escape)
                if purchasing.focus != .list { h.press(.escape) }
            }
        }
        // A click in the list still selects the row under it.
        h.press(.mouse(x: list.x + 2, y: list.y + 3, kind: .leftClick))
        XCTAssertEqual(purchasing.list.table.selected, 2)
        XCTAssertEqual(purchasing.focus, .list)
    }

    func testAClerkReadsTheReportsAndPurchasingButIsRefusedTheRest() throws {
        let h = try Harness(size: Self.large, user: "ann")
        h.press(.char("5"))
        XCTAssertNotNil(h.app.reports.report, "a clerk reads every report")
        h.press(.char("e"))
        XCTAssertNil(h.app.modal)
        XCTAssertEqual(h.status, "exporting needs the supervisor role; ann is a clerk")
        h.press(.char("4"))
        for (key, action) in [("n", "creating purchase orders"), ("u", "running processes now"), ("x", "closing purchase orders")] {
            h.press(.char(Character(key)))
            XCTAssertTrue(h.status.contains("\(action) needs the supervisor role; ann is a clerk"), "\(key): \(h.status)")
        }
        h.press(.char("?"))
        XCTAssertTrue(h.screen.contains("needs the supervisor role"), "the help says why: \(h.screen)")
        h.press(.escape)
        // Receiving is a clerk's work.
        po(h, "PO-5003")
        h.press(.char("r"))
        XCTAssertNotNil(h.app.purchasing.stockForm)
    }

    // MARK: - Purchasing

    func testANewPurchaseOrderWithCompletionDatesAndLines() throws {
        let h = try Harness(size: Self.large)
        h.press(.char("4"), .char("n"))
        XCTAssertNotNil(h.app.purchasing.form)
        h.type("kel")
        XCTAssertTrue(h.screen.contains("Keller, Boyd & Sons Furniture"), "vendor completion: \(h.screen)")
        h.press(.enter)
        XCTAssertEqual(h.app.purchasing.form?.vendor.text, "KELLER")
        h.type("desk-s")
        h.press(.enter)
        h.type("0")
        h.press(.enter)
        XCTAssertTrue(h.screen.contains("Qty 1–1,000,000,000"), h.screen)
        h.press(.backspace)
        h.type("12")
        h.press(.enter)
        // The header fields: the order date shown is replaced by typing; expected must not be before it.
        for _ in 0..<20 where h.app.purchasing.form?.focus != .expected { h.press(.tab) }
        h.type("2026-11-01")
        h.press(.enter)
        XCTAssertTrue(h.screen.contains("Expected before it was ordered"), h.screen)
        h.press(.backTab)
        XCTAssertEqual(h.app.purchasing.form?.focus, .orderDate)
        h.type("2026-10-25")
        XCTAssertEqual(h.app.purchasing.form?.orderDate.text, "2026-10-25", "typing replaced the date shown")
        h.press(.ctrl("s"))
        let made = try XCTUnwrap(h.app.purchasing.list.selected)
        XCTAssertTrue(made.number.hasPrefix("PO-"))
        let view = try h.desk.purchaseOrder(made.number)
        XCTAssertEqual(view.vendor, "KELLER")
        XCTAssertEqual(view.lines.map { "\($0.lic):\($0.qty)" }, ["DESK-STU:12"])
        XCTAssertEqual(view.orderDate, "2026-10-25")
        XCTAssertEqual(view.expected, "2026-11-01")
        XCTAssertEqual(view.status, .open)
        // Leaving a half-typed PO asks.
        h.press(.char("n"))
        h.type("kel")
        h.press(.escape, .escape)
        XCTAssertTrue(h.screen.contains("Leave the new purchase order?"), h.screen)
        h.press(.char("y"))
        XCTAssertNil(h.app.purchasing.form)
    }

    func testReceiveAgainstAPOLineWithTheOpenQuantityFilledIn() throws {
        let h = try Harness(size: Self.large)
        po(h, "PO-5003")
        let before = try h.desk.purchaseOrder("PO-5003")
        let line = try XCTUnwrap(before.lines.first { $0.open > 0 })
        let attached = try XCTUnwrap(before.attachments.first { $0.poLine == line.line })
        h.press(.enter, .char("r"))
        XCTAssertEqual(h.app.purchasing.stockForm?.quantity.text, String(line.open), "the open quantity is filled in")
        XCTAssertEqual(h.app.purchasing.stockForm?.quantity.isSelected, true)
        h.type("10")   // typed over it
        h.press(.enter)
        let after = try h.desk.purchaseOrder("PO-5003")
        XCTAssertEqual(after.lines.first { $0.line == line.line }?.received, line.received + 10)
        XCTAssertTrue(h.status.contains("Received 10 \(line.lic)"), h.status)
        // The oldest attachment was served first.
        XCTAssertGreaterThan(try h.desk.order(attached.order).lines.first { $0.line == attached.orderLine }?.allotted ?? 0, 0)
    }

    func testApproveADraftAndGenerateDraftsFromTheSuggestions() throws {
        let h = try Harness(size: Self.large)
        h.press(.char("4"), .char("s"))
        XCTAssertEqual(h.app.purchasing.mode, .suggestions)
        let suggestions = h.app.purchasing.suggestions
        XCTAssertFalse(suggestions.isEmpty)
        XCTAssertTrue(suggestions.allSatisfy { $0.qty > 0 && $0.qty % max(1, $0.multiple) == 0 }, "rounded up to the multiple")
        let first = suggestions[0]
        XCTAssertEqual(first.qty, max(0, (first.backordered + first.minStock - first.available - first.onOrder - first.drafted + first.multiple - 1) / first.multiple * first.multiple))
        h.press(.char("g"))
        XCTAssertTrue(h.screen.contains("draft purchase order(s)?"), h.screen)
        h.press(.char("y"))
        h.app.waitForJobs()
        XCTAssertEqual(h.app.purchasing.mode, .orders, "the drafts it made are shown")
        XCTAssertEqual(h.app.purchasing.filter, "draft")
        XCTAssertTrue(h.app.purchasing.list.rows.allSatisfy { $0.status == .draft })
        XCTAssertTrue(h.status.contains("draft purchase order(s) made"), h.status)
        let draft = try XCTUnwrap(h.app.purchasing.list.selected)
        let onOrder = try h.desk.purchaseOrder(draft.number).lines.first.map { try h.desk.lic($0.lic, location: draft.location).balance.onOrder } ?? 0
        h.press(.char("a"))
        XCTAssertEqual(try h.desk.purchaseOrder(draft.number).status, .open)
        let line = try XCTUnwrap(h.desk.purchaseOrder(draft.number).lines.first)
        XCTAssertEqual(try h.desk.lic(line.lic, location: draft.location).balance.onOrder, onOrder + line.qty, "approved: on order")
        // Running it again orders nothing twice.
        h.press(.char("s"))
        XCTAssertLessThan(h.app.purchasing.suggestions.count, suggestions.count)
    }

    func testAutoReserveReportsWhatItAttachedAndClosingAPOAsks() throws {
        let h = try Harness(size: Self.large)
        h.press(.char("4"), .char("u"))
        h.app.waitForJobs()
        XCTAssertTrue(h.status.contains("8101 Auto Reserve Utility"), h.status)
        po(h, "PO-5012")
        h.press(.char("x"))
        XCTAssertTrue(h.screen.contains("Close purchase order PO-5012?"), h.screen)
        h.press(.enter)
        XCTAssertEqual(try h.desk.purchaseOrder("PO-5012").status, .open, "Enter is No")
        h.press(.char("x"), .char("y"))
        XCTAssertEqual(try h.desk.purchaseOrder("PO-5012").status, .closed)
        XCTAssertTrue(try h.desk.purchaseOrder("PO-5012").attachments.isEmpty, "its attachments were released")
    }

    func testLongJobsShowTheirProgress() throws {
        let progress = JobProgress()
        progress.update(done: 3, total: 12, unit: "LIC(s)")
        let runner = JobRunner()
        let gate = DispatchSemaphore(value: 0)
        runner.start(BackgroundJob(id: "x", title: "A long job", cancellable: true) { p in
            p.update(done: 1, total: 4, unit: "row(s)")
            gate.wait()
            return JobOutcome(id: "x", message: p.isCancelled ? "cancelled" : "done", failed: false)
        })
        var seen: [(id: String, title: String, done: Int, total: Int, unit: String, cancellable: Bool)] = []
        for _ in 0..<200 where seen.isEmpty {
            seen = runner.progress
            if seen.isEmpty { usleep(5_000) }
        }
        XCTAssertEqual(seen.first?.done, 1)
        XCTAssertEqual(seen.first?.total, 4)
        XCTAssertTrue(runner.cancel("x"))
        gate.signal()
        runner.waitForAll()
        XCTAssertEqual(runner.drain().first?.message, "cancelled")
    }
}

/// An import run from the desk: in the background with its progress, all or nothing.
final class DeskImportTests: XCTestCase {
    func testAnAdminImportsACSVFromTheDeskAndABadFileWritesNothing() throws {
        let h = try Harness(size: Size(width: 120, height: 40))
        let good = h.directory + "/customers.csv"
        try "code,name,priority,terms\nNEW-SCHOOL,New School,3,ar\nNEW-LIBRARY,New Library,1,cod\n".write(toFile: good, atomically: true, encoding: .utf8)
        h.press(.char("6"), .char("i"))
        XCTAssertTrue(h.screen.contains("Import a CSV file"), h.screen)
        h.press(.tab, .tab)   // orders → purchase-orders → … the kinds go round
        for _ in 0..<10 where !h.screen.contains("◂ customers ▸") { h.press(.tab) }
        XCTAssertTrue(h.screen.contains("◂ customers ▸"), h.screen)
        h.type("customers.csv")
        h.press(.enter)
        h.app.waitForJobs()
        XCTAssertTrue(h.status.contains("Imported customers.csv: 2 row(s)"), h.status)
        XCTAssertEqual(try h.desk.customerInfo("NEW-SCHOOL")?.priority, 3)

        let bad = h.directory + "/bad.csv"
        try "code,name,priority,terms\nOK-ONE,Fine,1,ar\nBROKEN,\"never closed,2,ar\n".write(toFile: bad, atomically: true, encoding: .utf8)
        h.press(.char("i"))
        for _ in 0..<10 where !h.screen.contains("◂ customers ▸") { h.press(.tab) }
        h.type("bad.csv")
        h.press(.enter)
        h.app.waitForJobs()
        XCTAssertTrue(h.status.contains("Nothing imported from bad.csv") && h.status.contains("row 3"), h.status)
        XCTAssertNil(try h.desk.customerInfo("OK-ONE"), "nothing of a bad file is written")

        // Importing is an admin's; a clerk is told so.
        let clerk = try Harness(user: "ann")
        clerk.press(.char("6"), .char("i"))
        XCTAssertNil(clerk.app.modal)
        XCTAssertEqual(clerk.status, "importing needs the admin role; ann is a clerk")
    }
}
