import TerminalKit
import XCTest

/// Movement as ordinary bindings tagged navigation: dispatched like any other, left out of the
/// footer, listed apart in the help; a key bound twice shows in `duplicateKeys`.
final class NavigationBindingTests: XCTestCase {
    enum Action: Equatable { case open, log, move(TableMove), click }

    func table(logOnPaging: Bool) -> KeyTable<Action> {
        var b: [KeyBinding<Action>] = [KeyBinding(.enter, .open, label: "Open", help: "Open the row")]
        if logOnPaging {
            b += TableMove.bindings(TableMove.withoutPaging, noun: "line") { .move($0) }
            b.append(.navigation(.pageUp, .log, label: "Older log", help: "Scroll the log back"))
        } else {
            b += TableMove.bindings(noun: "line", pageNote: "paged") { .move($0) }
        }
        b.append(.navigation(.click, .click, label: "Select", help: "Select the line clicked"))
        return KeyTable("Lines", b)
    }

    func testNavigationIsDispatchedLikeAnyBinding() {
        let t = table(logOnPaging: true)
        XCTAssertEqual(t.action(for: .down), .move(.down))
        XCTAssertEqual(t.action(for: .pageUp), .log, "the pane's own meaning, in the same table")
        XCTAssertEqual(t.action(for: .mouse(x: 12, y: 7, kind: .scrollDown)), .move(.wheelDown), "a wheel event anywhere")
        XCTAssertEqual(t.action(for: .mouse(x: 3, y: 4, kind: .leftClick)), .click)
        XCTAssertNil(t.action(for: .mouse(x: 3, y: 4, kind: .rightClick)))
        XCTAssertEqual(t.action(for: .mouse(x: 1, y: 1, kind: .scrollUp)), .move(.wheelUp))
        XCTAssertNil(t.action(for: .char("j")))
    }

    func testFooterLeavesNavigationOutAndHelpListsItApart() {
        let t = table(logOnPaging: false)
        XCTAssertEqual(t.footerBindings.map(\.keyText), ["Enter"])
        XCTAssertEqual(Footer.items(t.bindings).map(\.keys), ["Enter"])
        XCTAssertEqual(t.helpSections.map(\.title), ["Lines", "Moving"])
        XCTAssertEqual(t.helpSection.entries.map(\.keys), ["Enter"])
        XCTAssertEqual(t.navigationSection().entries.map(\.keys),
                       ["↑", "↓", "PgUp", "PgDn", "Home", "End", "Wheel↑", "Wheel↓", "Click"])
        XCTAssertEqual(t.navigationSection().entries[3].help, "Next page (paged)")
        XCTAssertEqual(t.navigationSection().entries[6].help, "Scroll up 3 rows")
        let lines = HelpScreen.lines(sections: t.helpSections, width: 50).map(\.text)
        XCTAssertEqual(lines.prefix(5), ["Lines", "  Enter   Open the row", "", "Moving", "  ↑       Previous line"])
    }

    func testDuplicateKeysShowTheConflict() {
        XCTAssertEqual(table(logOnPaging: true).duplicateKeys, [])
        var t = table(logOnPaging: false)
        XCTAssertEqual(t.duplicateKeys, [])
        t.bindings.append(.navigation(.pageUp, .log, label: "Older log"))
        t.bindings.append(KeyBinding([.enter, .tab], .open, label: "Open"))
        XCTAssertEqual(t.duplicateKeys, [.pageUp, .enter])
        XCTAssertEqual(t.action(for: .pageUp), .move(.pageUp), "the first binding wins, which the check makes visible")
    }

    func testTableStateAppliesMoves() {
        var s = TableState()
        s.apply(.pageDown, total: 100, visibleRows: 10)
        XCTAssertEqual(s, TableState(selected: 10, offset: 10))
        s.apply(.wheelUp, total: 100, visibleRows: 10)
        XCTAssertEqual(s.selected, 7)
        s.apply(.end, total: 100, visibleRows: 10)
        XCTAssertEqual(s, TableState(selected: 99, offset: 90))
        var k = TableState()
        k.apply(.wheelDown, total: 100, visibleRows: 10)
        XCTAssertEqual(k.selected, 3)
    }

    func testScrollStateMovesFreelyAndDrawingClampsIt() {
        var s = ScrollState()
        s.apply(.up)
        XCTAssertEqual(s.offset, 0, "never above the top")
        XCTAssertEqual(s.clamp(lines: 30, page: 10), 0)
        s.apply(.pageDown)
        XCTAssertEqual(s.offset, 10, "a page is the box's height")
        s.apply(.wheelDown)
        XCTAssertEqual(s.offset, 10 + TableMove.wheelRows)
        s.apply(.pageDown)
        XCTAssertEqual(s.clamp(lines: 30, page: 10), 20, "the last page stays full")
        s.apply(.home)
        XCTAssertEqual(s.offset, 0)
        s.apply(.end)
        s.apply(.down)
        XCTAssertEqual(s.clamp(lines: 30, page: 10), 20, "the end, whatever moved after it before drawing")
        var newest = ScrollState(offset: .max)
        XCTAssertEqual(newest.clamp(lines: 5, page: 10), 0, "text shorter than the box shows from the top")
        XCTAssertEqual(newest.clamp(lines: 50, page: 10), 0, "clamped once, it stays")
        newest = ScrollState(offset: .max)
        XCTAssertEqual(newest.clamp(lines: 50, page: 10), 40, "from the last page")
        newest.apply(.up)
        XCTAssertEqual(newest.offset, 39)
    }

    func testScrollBindingsAreNavigationInTheWordsOfScrolling() {
        enum Scroll: Equatable { case close, scroll(TableMove) }
        let t = KeyTable("Why", [KeyBinding(.escape, Scroll.close, label: "Close")]
                         + ScrollState.bindings(also: [.pageDown: [.char(" ")]], Scroll.scroll))
        XCTAssertEqual(t.duplicateKeys, [])
        XCTAssertEqual(t.footerBindings.map(\.keyText), ["Esc"])
        XCTAssertEqual(t.action(for: .char(" ")), .scroll(.pageDown))
        XCTAssertEqual(t.action(for: .mouse(x: 4, y: 9, kind: .scrollUp)), .scroll(.wheelUp))
        XCTAssertEqual(t.navigationSection().entries.map(\.keys),
                       ["↑", "↓", "PgUp", "PgDn/Space", "Home", "End", "Wheel↑", "Wheel↓"])
        XCTAssertEqual(t.navigationSection().entries.map(\.help)[2...5],
                       ["Scroll up a page", "Scroll down a page", "Scroll to the top", "Scroll to the bottom"])
    }

    func testAClassOfKeysIsOneBindingUnderOneName() {
        let t = KeyTable("Preference", [KeyBinding(Key.digits, "type", label: "Type", help: "Start typing a number", keyName: "0–9")])
        XCTAssertEqual(t.action(for: .char("0")), "type")
        XCTAssertEqual(t.action(for: .char("9")), "type")
        XCTAssertNil(t.action(for: .char("a")))
        XCTAssertEqual(t.helpSection.entries.map(\.keys), ["0–9"])
        XCTAssertEqual(Footer.items(t.bindings).map(\.keys), ["0–9"])
        XCTAssertEqual(Key.digits.count, 10)
    }
}
