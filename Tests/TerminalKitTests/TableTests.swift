import TerminalKit
import TestSupport
import XCTest

let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

final class TableStateTests: XCTestCase {
    func testMoveKeepsSelectionVisible() {
        var s = TableState()
        s.moveSelection(by: 1, total: 100, visibleRows: 10)
        XCTAssertEqual(s, TableState(selected: 1, offset: 0))
        s.moveSelection(by: 9, total: 100, visibleRows: 10)
        XCTAssertEqual(s, TableState(selected: 10, offset: 1), "scrolls by one when leaving the bottom")
        s.moveSelection(by: -5, total: 100, visibleRows: 10)
        XCTAssertEqual(s, TableState(selected: 5, offset: 1), "no scroll while visible")
        s.moveSelection(by: -100, total: 100, visibleRows: 10)
        XCTAssertEqual(s, TableState(selected: 0, offset: 0))
        s.moveSelection(by: 1000, total: 100, visibleRows: 10)
        XCTAssertEqual(s, TableState(selected: 99, offset: 90))
    }

    func testPaging() {
        var s = TableState(selected: 3, offset: 0)
        s.pageDown(total: 10_000, visibleRows: 20)
        XCTAssertEqual(s, TableState(selected: 23, offset: 20), "selection keeps its place on screen")
        s.pageDown(total: 10_000, visibleRows: 20)
        XCTAssertEqual(s, TableState(selected: 43, offset: 40))
        s.pageUp(total: 10_000, visibleRows: 20)
        XCTAssertEqual(s, TableState(selected: 23, offset: 20))
        s.pageUp(total: 10_000, visibleRows: 20)
        s.pageUp(total: 10_000, visibleRows: 20)
        XCTAssertEqual(s, TableState(selected: 0, offset: 0))

        var e = TableState(selected: 90, offset: 85)
        e.pageDown(total: 100, visibleRows: 10)
        XCTAssertEqual(e, TableState(selected: 99, offset: 90), "last page is full, selection clamped")
    }

    func testHomeEndAndShortLists() {
        var s = TableState()
        s.end(total: 10_000, visibleRows: 20)
        XCTAssertEqual(s, TableState(selected: 9_999, offset: 9_980))
        s.home(total: 10_000, visibleRows: 20)
        XCTAssertEqual(s, TableState(selected: 0, offset: 0))
        s.end(total: 5, visibleRows: 20)
        XCTAssertEqual(s, TableState(selected: 4, offset: 0), "short list never scrolls")
        s.end(total: 0, visibleRows: 20)
        XCTAssertEqual(s, TableState(selected: 0, offset: 0))
    }

    func testClampAfterShrinkAndResize() {
        var s = TableState(selected: 950, offset: 940)
        s.clamp(total: 100, visibleRows: 10)            // rows deleted elsewhere
        XCTAssertEqual(s, TableState(selected: 99, offset: 90))
        var r = TableState(selected: 30, offset: 25)
        r.clamp(total: 100, visibleRows: 3)             // terminal got smaller
        XCTAssertEqual(r, TableState(selected: 30, offset: 28))
        var g = TableState(selected: 95, offset: 90)
        g.clamp(total: 100, visibleRows: 40)            // terminal got taller: fill the page
        XCTAssertEqual(g, TableState(selected: 95, offset: 60))
    }

    func testApplyMoves() {
        var s = TableState()
        s.apply(.down, total: 50, visibleRows: 10)
        s.apply(.pageDown, total: 50, visibleRows: 10)
        XCTAssertEqual(s.selected, 11)
        s.apply(.wheelDown, total: 50, visibleRows: 10)
        XCTAssertEqual(s.selected, 14)
        s.apply(.end, total: 50, visibleRows: 10)
        XCTAssertEqual(s.selected, 49)
    }
}

final class TableRenderTests: XCTestCase {
    let columns = [
        TableColumn("Order", width: .fixed(7)),
        TableColumn("Customer", width: .fill),
        TableColumn("Qty", width: .fixed(5), alignment: .right),
    ]

    func page(_ range: Range<Int>) -> [[String]] {
        range.map { ["\($0 + 1001)", $0 == 2 ? "東京商事 (Tokyo Trading)" : "Customer \($0)", "\($0 * 3)"] }
    }

    func testRendersHeaderSelectionAndPosition() {
        var buffer = ScreenBuffer(size: Size(width: 30, height: 5))
        let state = TableState(selected: 2, offset: 1)
        Table.render(columns: columns, rows: page(1..<5), rowStyles: [nil, .backordered], state: state,
                     total: 10_000, focused: true, area: buffer.area, buffer: &buffer, theme: .monochrome)
        XCTAssertEqual(buffer.text(), """
            Order   Customer           Qty
            1002    Customer 1           3
            1003    東京商事 (Tokyo…     6
            1004    Customer 3           9
            1005    Customer 4          12
            """)
        XCTAssertEqual(buffer[0, 2].style, Theme.monochrome.style(.selection))
        XCTAssertEqual(buffer[29, 2].style, Theme.monochrome.style(.selection), "highlight spans the row")
        XCTAssertEqual(buffer[0, 3].style, Theme.monochrome.style(.normal))
        XCTAssertEqual(buffer[0, 0].style, Theme.monochrome.style(.columnHeader))

        var unfocused = ScreenBuffer(size: Size(width: 30, height: 5))
        Table.render(columns: columns, rows: page(1..<5), rowStyles: [nil, .backordered], state: TableState(selected: 1, offset: 1),
                     total: 10_000, focused: false, area: unfocused.area, buffer: &unfocused, theme: .default)
        XCTAssertEqual(unfocused[0, 1].style, Theme.default.style(.selectionUnfocused))
        XCTAssertEqual(unfocused[0, 2].style, Theme.default.style(.backordered), "row role used when not selected")
    }

    func testPositionNeverHidesATitle() {
        var buffer = ScreenBuffer(size: Size(width: 20, height: 2))
        Table.render(columns: [TableColumn("Name"), TableColumn("Backordered", width: .fixed(11), alignment: .right)],
                     rows: [["a", "1"]], state: TableState(), total: 5_000, focused: true,
                     area: buffer.area, buffer: &buffer, theme: .monochrome)
        XCTAssertEqual(buffer.row(0), "Name     Backordered")

        var roomy = ScreenBuffer(size: Size(width: 30, height: 2))
        Table.render(columns: [TableColumn("Order", width: .fixed(6)), TableColumn("Customer")],
                     rows: [["1001", "Acme"]], state: TableState(), total: 5_000, focused: true,
                     area: roomy.area, buffer: &roomy, theme: .monochrome)
        XCTAssertEqual(roomy.row(0), "Order  Customer         1/5000", "shown where no title is")
    }

    func testEmptyTable() {
        var buffer = ScreenBuffer(size: Size(width: 30, height: 4))
        Table.render(columns: columns, rows: [], state: TableState(), total: 0, focused: true,
                     area: buffer.area, buffer: &buffer, theme: .monochrome, emptyMessage: "No backorders")
        XCTAssertEqual(buffer.text(), "Order   Customer           Qty\n\n        No backorders\n")
    }

    func testRowIndexForMouse() {
        let area = Rect(x: 0, y: 3, width: 30, height: 10)
        let state = TableState(selected: 0, offset: 100)
        XCTAssertNil(Table.rowIndex(atY: 3, area: area, state: state, total: 1000), "header row")
        XCTAssertEqual(Table.rowIndex(atY: 4, area: area, state: state, total: 1000), 100)
        XCTAssertEqual(Table.rowIndex(atY: 12, area: area, state: state, total: 1000), 108)
        XCTAssertNil(Table.rowIndex(atY: 12, area: area, state: state, total: 105))
    }

    func testColumnWidths() {
        XCTAssertEqual(Table.columnWidths(columns, totalWidth: 80), [7, 66, 5])
        XCTAssertEqual(Table.columnWidths([TableColumn("a", maxWidth: 10), TableColumn("b")], totalWidth: 41), [10, 30])
    }

    func testGoldenBoxedTableAt80x24() {
        var buffer = ScreenBuffer(size: Size(width: 80, height: 24))
        let parts = buffer.area.rows([.fixed(1), .fill, .fixed(1)])
        HeaderLine.render(title: "Backorders", status: ["db: demo.sqlite", "ann (clerk)", "BO mgmt on"],
                          area: parts[0], buffer: &buffer, theme: .monochrome)
        let inner = Box.draw(parts[1], title: "Orders", buffer: &buffer, theme: .monochrome)
        var state = TableState()
        state.end(total: 10_000, visibleRows: Table.visibleRows(in: inner))
        let range = state.offset..<10_000
        Table.render(columns: [
            TableColumn("Order", width: .fixed(8)),
            TableColumn("Customer", width: .fill, minWidth: 10),
            TableColumn("Entered", width: .fixed(10)),
            TableColumn("Ordered", width: .fixed(7), alignment: .right),
            TableColumn("BO", width: .fixed(4), alignment: .right),
        ], rows: range.map { ["\($0 + 1001)", $0 % 7 == 0 ? "Café Ünïcode 🚚" : "Customer \($0 % 13)", "2025-03-14", "\($0 % 40)", "\($0 % 5)"] },
        state: state, total: 10_000, focused: true, area: inner, buffer: &buffer, theme: .monochrome, showPosition: false)
        Box.label(" " + Table.positionText(state: state, total: 10_000) + " ", on: parts[1], buffer: &buffer, theme: .monochrome)
        Footer.render(items: Footer.items([
            KeyBinding(.enter, 0, label: "Open"), KeyBinding(.char("/"), 1, label: "Filter"),
            KeyBinding(.char("n"), 2, label: "New order"), KeyBinding(.char("q"), 3, label: "Quit"),
        ]), in: parts[2], buffer: &buffer, theme: .monochrome)
        assertGolden(buffer.text(), named: "orders-table-80x24", directory: goldens)
    }
}
