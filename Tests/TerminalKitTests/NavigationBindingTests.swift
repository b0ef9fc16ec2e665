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
        XCTAssertEqual(TableMove(key: .mouse(x: 1, y: 1, kind: .scrollUp)), .wheelUp)
        XCTAssertNil(TableMove(key: .char("j")))
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
        XCTAssertTrue(k.handle(.mouse(x: 5, y: 5, kind: .scrollDown), total: 100, visibleRows: 10))
        XCTAssertEqual(k.selected, 3)
        XCTAssertFalse(k.handle(.char("x"), total: 100, visibleRows: 10))
    }
}
