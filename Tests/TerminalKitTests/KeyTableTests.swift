import TerminalKit
import XCTest

enum OrdersAction: Equatable, Sendable {
    case open, filter, newOrder, invoice, quit
}

final class KeyTableTests: XCTestCase {
    func table(invoiceDisabled: String? = nil) -> KeyTable<OrdersAction> {
        KeyTable("Orders", [
            KeyBinding([.enter], .open, label: "Open", help: "Open the selected order"),
            KeyBinding([.char("/")], .filter, label: "Filter", help: "Filter the list"),
            KeyBinding([.char("n"), .f(2)], .newOrder, label: "New", help: "Enter a new order"),
            KeyBinding([.ctrl("v")], .invoice, label: "Invoice", help: "Invoice shipped lines", disabledReason: invoiceDisabled),
            KeyBinding([.char("q"), .ctrl("c")], .quit, label: "Quit", help: "Leave", showInFooter: false),
        ])
    }

    func testLookup() {
        let t = table(invoiceDisabled: "nothing shipped")
        XCTAssertEqual(t.action(for: .enter), .open)
        XCTAssertEqual(t.action(for: .f(2)), .newOrder)
        XCTAssertEqual(t.action(for: .ctrl("c")), .quit)
        XCTAssertNil(t.action(for: .ctrl("v")), "disabled binding gives no action")
        guard case .disabled(let reason) = t.lookup(.ctrl("v")) else { return XCTFail() }
        XCTAssertEqual(reason, "nothing shipped")
        guard case .unbound = t.lookup(.char("z")) else { return XCTFail() }
        XCTAssertEqual(t.bindings.first { $0.matches(.ctrl("v")) }?.isEnabled, false)
    }

    func testFooterGeneratedFromTable() {
        var buffer = ScreenBuffer(size: Size(width: 60, height: 1))
        let t = table(invoiceDisabled: "nothing shipped")
        Footer.render(items: Footer.items(t.footerBindings), in: buffer.area, buffer: &buffer, theme: .monochrome)
        XCTAssertEqual(buffer.row(0), " Enter Open  / Filter  n/F2 New  Ctrl-V Invoice")
        XCTAssertEqual(buffer[1, 0].style, Theme.monochrome.style(.footerKey))
        XCTAssertEqual(buffer[7, 0].style, Theme.monochrome.style(.footer))
        XCTAssertTrue(buffer[35, 0].style.attrs.contains(.dim), "disabled binding dimmed")
    }

    func testFooterCutsWithEllipsis() {
        var buffer = ScreenBuffer(size: Size(width: 30, height: 1))
        Footer.render(items: Footer.items(table().footerBindings), in: buffer.area, buffer: &buffer, theme: .monochrome)
        XCTAssertEqual(buffer.row(0), " Enter Open  / Filter  …")
    }

    func testHelpGeneratedFromSameTable() {
        let t = table(invoiceDisabled: "nothing shipped")
        let lines = HelpScreen.lines(sections: [t.helpSection], width: 60).map(\.text)
        XCTAssertEqual(lines, [
            "Orders",
            "  Enter     Open the selected order",
            "  /         Filter the list",
            "  n/F2      Enter a new order",
            "  Ctrl-V    Invoice shipped lines (unavailable: nothing",
            "            shipped)",
            "  q/Ctrl-C  Leave",
        ])
        var buffer = ScreenBuffer(size: Size(width: 50, height: 6))
        let offset = HelpScreen.render(sections: [t.helpSection], offset: 99, area: buffer.area, buffer: &buffer, theme: .monochrome)
        XCTAssertEqual(offset, 3, "clamped so the last page is full")
        XCTAssertEqual(buffer.text(), """
            ┌─ Keys ─────────────────────────────────────────┐
            │   n/F2      Enter a new order                  │
            │   Ctrl-V    Invoice shipped lines              │
            │             (unavailable: nothing shipped)     │
            │   q/Ctrl-C  Leave                              │
            └──────────────────────────────────────── 4-7/7 ─┘
            """)
    }

    func testKeyNames() {
        XCTAssertEqual(Key.ctrl("s").description, "Ctrl-S")
        XCTAssertEqual(Key.pageDown.description, "PgDn")
        XCTAssertEqual(Key.f(2).description, "F2")
        XCTAssertEqual(Key.char(" ").description, "Space")
        XCTAssertEqual(Key.backTab.description, "Shift-Tab")
        for key: Key in [.ctrl("s"), .pageDown, .pageUp, .f(12), .char(" "), .char("q"), .enter, .escape, .tab,
                         .backTab, .up, .down, .left, .right, .home, .end, .backspace, .delete, .insert] {
            XCTAssertEqual(Key(name: key.description), key, key.description)
        }
        XCTAssertEqual(Key(name: "C-s"), .ctrl("s"))
        XCTAssertEqual(Key(name: "^X"), .ctrl("x"))
        XCTAssertEqual(Key(name: "Ctrl-I"), .tab)
        XCTAssertNil(Key(name: "Hyper-Q"))
        XCTAssertTrue(Key.char("Y").matches(.char("y"), ignoringCase: true))
        XCTAssertFalse(Key.char("Y").matches(.char("y"), ignoringCase: false))
    }
}
