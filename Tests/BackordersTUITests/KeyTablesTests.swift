import BackorderApp
import BackorderCore
@testable import BackordersTUI
import TerminalKit
import XCTest

/// Keys as data all the way: movement is bindings in the panes' tables (tagged navigation), the
/// help lists it from them, the footer leaves it out, no table binds a key twice, and building
/// the help moves nothing.
final class KeyTablesTests: XCTestCase {
    /// Every screen, pane, mode and form a user can reach, by the keys that reach it.
    static let places: [(name: String, keys: [Key])] = [
        ("orders", [.char("1")]), ("order lines", [.char("1"), .tab]), ("order shipments", [.char("1"), .tab, .tab]),
        ("orders filter", [.char("1"), .char("/")]), ("order entry", [.char("1"), .char("n")]),
        ("to ship", [.char("1"), .char("t")]),
        ("backorders", [.char("2")]), ("backorders filter", [.char("2"), .char("/")]),
        ("items", [.char("3")]), ("items filter", [.char("3"), .char("/")]), ("receive form", [.char("3"), .char("r")]),
        ("adjust form", [.char("3"), .char("a")]), ("drill-down", [.char("3"), .enter]),
        ("purchasing", [.char("4")]), ("PO lines", [.char("4"), .tab]), ("PO filter", [.char("4"), .char("/")]),
        ("new PO", [.char("4"), .char("n")]), ("suggestions", [.char("4"), .char("s")]),
        ("reports", [.char("5")]), ("report filters", [.char("5"), .char("/")]), ("aging", [.char("5"), .tab, .tab, .tab]),
        ("preferences", [.char("6")]), ("schedules", [.char("6"), .tab]), ("a number typed", [.char("6")] + Array(repeating: .down, count: 7) + [.char("7")]),
    ]

    func testNoTableBindsAKeyTwice() throws {
        for place in Self.places {
            let h = try Harness()
            h.press(place.keys)
            XCTAssertNil(h.app.modal, place.name)
            if place.name == "a number typed" { XCTAssertTrue(h.app.preferences.capturesText) }
            let tables = h.app.currentScreen.keyTables(h.app.ctx) + [h.app.globalKeys()]
            XCTAssertFalse(tables.isEmpty, place.name)
            for table in tables {
                XCTAssertEqual(table.duplicateKeys, [], "\(place.name): \(table.title) binds these keys twice")
            }
        }
    }

    /// Every dialog a user can open, by the keys that open it; the invoice's (reached from an
    /// order the demo has partly shipped) by the order's number typed into the filter first.
    static let dialogs: [(name: String, keys: [Key], invoice: FulfillmentPolicy?)] = [
        ("help", [.char("?")], nil), ("messages", [.char("m")], nil),
        ("why", why, nil), ("help over why", why + [.char("?")], nil),
        ("priority", [.char("p")], nil), ("priority preview", [.char("p"), .char("9"), .enter], nil),
        ("void question", [.char("v")], nil), ("cancel reason", [.char("x")], nil),
        ("discard question", [.char("n"), .char("h"), .f(3)], nil),
        ("preferences log", [.char("6"), .char("l")], nil), ("import", [.char("6"), .char("i")], nil),
        ("export", [.char("5"), .char("e")], nil),
        ("invoice", [.char("i")], .partial), ("remainder question", [.char("i")], .partialCancel),
        ("reason for the remainder", [.char("i"), .char("c")], .partialCancel),
    ]

    /// Why is line 1 of order 1118 backordered (the answer is longer than 80×24 shows).
    static let why: [Key] = [.char("2"), .char("/"), .char("1"), .char("1"), .char("1"), .char("8"), .enter, .char("w")]

    /// The dialogs whose content scrolls: each binds every move, as navigation.
    static let scrolling: Set<String> = ["help", "messages", "why", "help over why", "priority preview", "cancel reason",
                                         "preferences log", "invoice", "reason for the remainder"]

    /// Opens a dialog of `dialogs` on a fresh desk.
    private func open(_ dialog: (name: String, keys: [Key], invoice: FulfillmentPolicy?), size: Size = Size(width: 80, height: 24)) throws -> Harness {
        let h = try Harness(size: size)
        if let policy = dialog.invoice {
            let number = try XCTUnwrap(h.desk.orders(status: .backorder).first { o in
                guard let v = try? h.desk.order(o.number) else { return false }
                return v.policy == policy && v.lines.contains { $0.shipped > $0.invoiced && $0.inventoried }
            }?.number)
            h.press(.char("/"))
            h.type(number)
            h.press(.enter)
        }
        h.press(dialog.keys)
        XCTAssertNotNil(h.app.modal, "\(dialog.name): \(h.status)")
        return h
    }

    /// The duplicate-key check for dialogs: no dialog's table binds a key twice, and the keys
    /// every dialog shares (`?`) are never a key the dialog's own table already takes.
    func testNoDialogTableBindsAKeyTwice() throws {
        var kinds = Set<String>()
        for dialog in Self.dialogs {
            let h = try open(dialog)
            let modal = try XCTUnwrap(h.app.modal, dialog.name)
            kinds.insert(String(describing: type(of: modal)))
            let tables = modal.keyTables(h.app.ctx)
            let shared = h.app.dialogKeys(modal)
            XCTAssertFalse(tables.isEmpty, dialog.name)
            for table in tables + [shared] {
                XCTAssertEqual(table.duplicateKeys, [], "\(dialog.name): \(table.title) binds these keys twice")
            }
            let own = Set(tables.flatMap { $0.boundKeys.joined() })
            XCTAssertEqual(shared.boundKeys.joined().filter(own.contains), [], "\(dialog.name): a shared key the dialog shadows")
        }
        XCTAssertEqual(kinds, ["HelpModal", "MessagesModal", "WhyModal", "PriorityModal", "ConfirmModal", "ReasonModal",
                               "DiscardModal", "PreferenceLogModal", "ImportModal", "ExportModal", "InvoiceModal",
                               "QuestionModal"], "every kind of dialog is checked")
    }

    /// A dialog that scrolls binds every move in its table, tagged navigation: the footer leaves
    /// them out (nothing written by hand), the help lists exactly them under "Moving".
    func testDialogsScrollWithNavigationBindingsAndListThemInTheirHelp() throws {
        for dialog in Self.dialogs {
            let h = try open(dialog)
            let modal = try XCTUnwrap(h.app.modal, dialog.name)
            let tables = modal.keyTables(h.app.ctx).map { $0 as! KeyTableKeys }
            let navigation = tables.flatMap(\.navigationKeys)
            if Self.scrolling.contains(dialog.name) {
                for key: Key in [.up, .down, .pageUp, .pageDown, .home, .end, .wheelUp, .wheelDown] {
                    XCTAssertTrue(navigation.contains(key), "\(dialog.name) moves with \(key)")
                }
            } else {
                XCTAssertEqual(navigation, [], "\(dialog.name) does not scroll")
            }
            for item in modal.footer(h.app.ctx) {
                XCTAssertFalse(["↑↓", "↑", "↓", "PgUp", "PgDn", "Home", "End", "Wheel↑", "Wheel↓"].contains(item.keys),
                               "\(dialog.name): the footer shows \(item.keys)")
            }
            let help = modal.help(h.app.ctx)
            XCTAssertEqual(help.filter { $0.title == "Moving" }.flatMap(\.entries), tables.flatMap(\.navigationEntries), dialog.name)
            XCTAssertEqual(Set(help.flatMap(\.entries)), Set(tables.flatMap(\.helpEntries)), "\(dialog.name): the help is the table")
        }
    }

    /// `?` in a dialog lists the dialog's keys over it and Esc comes back to it as it was; in a
    /// dialog with a text field `?` is typed, as on a screen's form.
    func testQuestionMarkInADialogListsItsKeysAndComesBack() throws {
        let h = try Harness()
        h.press(Self.why + [.pageDown])
        let why = try XCTUnwrap(h.app.modal as? WhyModal)
        let scrolled = h.screen
        XCTAssertTrue(scrolled.contains("? Help"), "the footer offers it")
        h.press(.char("?"))
        let help = try XCTUnwrap(h.app.modal as? HelpModal)
        XCTAssertTrue(help.underneath === why)
        XCTAssertEqual(help.sections.map(\.title), ["Why is it backordered?", "Moving", "In every dialog"])
        XCTAssertEqual(help.sections[1].entries.first { $0.keys == "PgDn/Space" }?.help, "Scroll down a page")
        h.press(.escape)
        XCTAssertTrue(h.app.modal === why, "Esc comes back to the dialog")
        XCTAssertEqual(h.screen, scrolled, "as it was, scrolled where it was")
        h.press(.home)
        XCTAssertNotEqual(h.screen, scrolled, "Home scrolls it to the top")
        h.press(.end)
        XCTAssertEqual(h.screen, scrolled, "End to the bottom (one page down was the bottom)")

        h.press(.escape, .char("6"), .char("i"))
        let importing = try XCTUnwrap(h.app.modal as? ImportModal)
        XCTAssertFalse(h.screen.contains("? Help"))
        h.press(.char("?"))
        XCTAssertTrue(h.app.modal === importing, "typed into the path, not the help")
        XCTAssertTrue(h.screen.contains("/?"), h.screen)

        // The help over a screen closes with ? and offers no help of its own.
        h.press(.escape, .char("?"))
        XCTAssertNil((h.app.modal as? HelpModal)?.underneath)
        XCTAssertFalse(h.screen.contains("? Help"))
        h.press(.char("?"))
        XCTAssertNil(h.app.modal)
    }

    /// In the reason picker the first letter of a code is a navigation binding: it selects the
    /// first reason whose code starts with it, either case.
    func testTheReasonPickerJumpsByAFirstLetterBoundInItsTable() throws {
        let h = try Harness()
        let reasons = h.app.ctx.reasons
        let first = try XCTUnwrap(reasons.first?.code.first)
        let other = try XCTUnwrap(reasons.first { $0.code.first?.lowercased() != first.lowercased() })
        h.press(.down, .char("x"))   // 1199, still backordered
        let modal = try XCTUnwrap(h.app.modal as? ReasonModal)
        let jump = try XCTUnwrap(modal.keys.navigationBindings.first { $0.label == "Jump" })
        XCTAssertEqual(jump.keyText, "A–Z")
        XCTAssertTrue(modal.help(h.app.ctx).contains { $0.title == "Moving" && $0.entries.contains(jump.helpEntry) })
        h.press(.char(Character(String(other.code.first!).lowercased())), .enter)
        XCTAssertNil(h.app.modal)
        XCTAssertTrue(h.status.contains("reason \(other.code)"), h.status)
    }

    /// On a number preference a digit starts typing the new value: a binding of the class 0–9,
    /// so the help lists it; for someone who may not change preferences the digits stay the
    /// screens' keys.
    func testADigitOnANumberPreferenceIsABindingOfItsTable() throws {
        let toANumber: [Key] = [.char("6")] + Array(repeating: .down, count: 7)
        let h = try Harness()
        h.press(toANumber)
        let preferences = h.app.preferences
        guard case .number = preferences.selectedKey.kind else { return XCTFail("\(preferences.selectedKey) is not a number") }
        let table = preferences.keys(h.app.ctx)
        XCTAssertEqual(table.bindings.first { $0.matches(.char("7")) }?.keyText, "0–9")
        XCTAssertTrue(preferences.help(h.app.ctx).flatMap(\.entries).contains { $0.keys == "0–9" }, "the help lists it")
        XCTAssertFalse(preferences.footer(h.app.ctx).contains { $0.keys == "0–9" }, "the footer keeps to Edit")
        h.press(.char("4"), .char("2"))
        XCTAssertEqual(preferences.editing?.text, "42")
        XCTAssertEqual(h.app.current, .preferences)

        let clerk = try Harness(user: "ann")
        clerk.press(toANumber)
        XCTAssertFalse(clerk.app.preferences.keys(clerk.app.ctx).bindings.contains { $0.matches(.char("3")) })
        clerk.press(.char("3"))
        XCTAssertEqual(clerk.app.current, .items, "3 still shows Items")
    }

    /// A pane's movement keys are in its own table, so a key that means something else there
    /// (PgUp in an order's lines) is one binding, not a movement handled before the table.
    func testMovementIsBindingsInTheTablesTaggedNavigation() throws {
        for place in Self.places where !["order entry", "receive form", "adjust form", "new PO", "report filters",
                                          "a number typed"].contains(place.name) && !place.name.hasSuffix("filter") {
            let h = try Harness()
            h.press(place.keys)
            for table in h.app.currentScreen.keyTables(h.app.ctx) {
                let moving = table as! KeyTableKeys
                for key: Key in [.up, .down, .home, .end, .wheelUp, .wheelDown, .click] {
                    XCTAssertTrue(moving.navigationKeys.contains(key), "\(place.name): \(table.title) moves with \(key)")
                }
                XCTAssertTrue(moving.navigationKeys.contains(.pageUp) || moving.boundKeys.joined().contains(.pageUp),
                              "\(place.name): \(table.title) binds PgUp")
            }
        }
    }

    func testTheRecordLogScrollsWithPgUpPgDnInTheLinesAndShipmentsPanes() throws {
        let h = try Harness()
        XCTAssertTrue(h.screen.contains("─ 10 entries ─"), "in the list, where PgUp/PgDn page the orders, the log's title names no keys")
        XCTAssertFalse(h.screen.contains("PgUp/PgDn"))
        let orders = h.app.orders
        let order = try XCTUnwrap(orders.detail?.number)
        let newest = h.screen
        h.press(.tab)
        XCTAssertEqual(orders.focus, .lines)
        XCTAssertTrue(h.screen.contains("PgUp/PgDn · 10 entries"), "in the lines they scroll the log, and its title says so")
        let line = orders.lineState.selected
        h.press(.pageUp)
        XCTAssertEqual(orders.logBack, 5, "PgUp scrolls the log back")
        XCTAssertEqual(orders.lineState.selected, line, "and leaves the line selected")
        XCTAssertEqual(orders.detail?.number, order)
        XCTAssertNotEqual(logRows(h.screen), logRows(newest), "older entries show")
        h.press(.pageDown)
        XCTAssertEqual(orders.logBack, 0, "PgDn scrolls it forward")
        XCTAssertEqual(logRows(h.screen), logRows(newest))
        // ↓ still moves the lines.
        h.press(.down)
        XCTAssertEqual(orders.lineState.selected, line + 1)
        XCTAssertEqual(orders.logBack, 0)

        h.press(.tab)
        XCTAssertEqual(orders.focus, .shipments)
        XCTAssertTrue(h.screen.contains("PgUp/PgDn · 10 entries"), "the shipments too")
        h.press(.pageUp)
        XCTAssertEqual(orders.logBack, 5, "the shipments pane too")
        h.press(.pageDown)
        XCTAssertEqual(orders.logBack, 0)

        // In the list PgDn still pages the orders.
        h.press(.escape)
        XCTAssertEqual(orders.focus, .list)
        XCTAssertFalse(h.screen.contains("PgUp/PgDn"))
        let before = orders.list.table.selected
        h.press(.pageDown)
        XCTAssertGreaterThan(orders.list.table.selected, before + 1)
        XCTAssertEqual(orders.logBack, 0)
    }

    /// The record log's rows on the 80×24 screen (its last lines, above the status line).
    private func logRows(_ screen: String) -> [Substring] {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
        guard let title = rows.firstIndex(where: { $0.contains("Record log") }) else { return [] }
        return Array(rows[(title + 1)...].prefix(3))
    }

    func testHelpListsTheMovementKeysFromTheTables() throws {
        for place in Self.places {
            let h = try Harness()
            h.press(place.keys)
            let screen = h.app.currentScreen
            let help = screen.help(h.app.ctx)
            let tables = screen.keyTables(h.app.ctx).map { $0 as! KeyTableKeys }
            let moving = help.filter { $0.title.hasPrefix("Moving") }
            // What the Moving sections say is exactly the tables' navigation bindings…
            XCTAssertEqual(moving.flatMap(\.entries), tables.flatMap(\.navigationEntries), place.name)
            // …and no entry written by hand (columns, dates) is a movement key.
            let bound = Set(tables.flatMap(\.helpEntries))
            for section in help where !section.title.hasPrefix("Moving") {
                for e in section.entries where !bound.contains(e) {
                    XCTAssertFalse(["↑/↓", "↑", "↓", "PgUp/PgDn", "PgUp", "PgDn", "Home/End", "Mouse", "Click", "Wheel↑"].contains(e.keys),
                                   "\(place.name): \(section.title) lists \(e.keys) by hand")
                }
            }
            // The footer leaves the moving out.
            for item in screen.footer(h.app.ctx) {
                XCTAssertFalse(["↑", "↓", "PgUp", "PgDn", "Home", "End", "Wheel↑", "Wheel↓", "Click"].contains(item.keys),
                               "\(place.name): the footer shows \(item.keys)")
            }
        }

        // The Orders help, through `?`: each pane's moving, the lines' PgUp being the log's.
        let h = try Harness()
        h.press(.char("?"))
        let sections = try XCTUnwrap(h.app.modal as? HelpModal).sections
        let list = try XCTUnwrap(sections.first { $0.title == "Moving in orders" })
        XCTAssertEqual(list.entries.map(\.keys), ["↑", "↓", "PgUp", "PgDn", "Home", "End", "Wheel↑", "Wheel↓", "Click"])
        XCTAssertEqual(list.entries.map(\.help)[0...3], ["Previous order", "Next order",
                                                          "Previous page (only the visible page is loaded)",
                                                          "Next page (only the visible page is loaded)"])
        let lines = try XCTUnwrap(sections.first { $0.title == "Moving in order lines" })
        XCTAssertEqual(lines.entries.first { $0.keys == "PgUp" }?.help, "Scroll the record log back")
        XCTAssertEqual(lines.entries.first { $0.keys == "↓" }?.help, "Next line")
        XCTAssertNotNil(sections.first { $0.title == "Moving in order shipments" })
        let text = HelpScreen.lines(sections: sections, width: 78).map(\.text)
        XCTAssertTrue(text.contains { $0.contains("PgDn") && $0.contains("Scroll the record log forward") })
    }

    func testHelpLeavesFocusAndStateUnchanged() throws {
        let h = try Harness()
        let ctx = h.app.ctx
        let orders = h.app.orders
        h.press(.tab, .down)
        let before = (orders.focus, orders.lineState, orders.list.table, h.screen)
        _ = orders.help(ctx)
        _ = orders.keyTables(ctx)
        XCTAssertEqual(orders.focus, before.0)
        XCTAssertEqual(orders.lineState, before.1)
        XCTAssertEqual(orders.list.table, before.2)
        XCTAssertEqual(h.screen, before.3, "nothing on screen moved")
        h.press(.char("?"), .escape)
        XCTAssertEqual(orders.focus, .lines, "the help dialog leaves the lines focused")
        XCTAssertEqual(h.screen, before.3)

        h.press(.char("4"))
        let purchasing = h.app.purchasing
        XCTAssertEqual(purchasing.focus, .list)
        let footer = purchasing.footer(ctx)
        let help = purchasing.help(ctx)
        XCTAssertEqual(purchasing.focus, .list)
        XCTAssertEqual(purchasing.footer(ctx), footer)
        XCTAssertTrue(help.contains { $0.title == "Purchase order lines" }, "the lines' table without focusing them")

        h.press(.char("6"), .tab)
        let preferences = h.app.preferences
        XCTAssertEqual(preferences.focus, .schedules)
        let sections = preferences.help(ctx).map(\.title)
        XCTAssertEqual(preferences.focus, .schedules)
        XCTAssertEqual(Array(sections.prefix(2)), ["Preferences", "Automation schedules"])
    }

    /// A click is bound by its kind and carries its place: clicking a row still selects it, on
    /// every list, and the wheel scrolls the list under focus.
    func testClicksAndTheWheelAreBindings() throws {
        let h = try Harness()
        h.press(.mouse(x: 10, y: 7, kind: .leftClick))
        XCTAssertEqual(h.app.orders.list.table.selected, 3)
        h.press(.mouse(x: 10, y: 7, kind: .scrollDown))
        XCTAssertEqual(h.app.orders.list.table.selected, 3 + TableMove.wheelRows)
        h.press(.char("3"), .mouse(x: 10, y: 6, kind: .leftClick))
        XCTAssertEqual(h.app.items.list.table.selected, 2)
        h.press(.char("4"), .mouse(x: 3, y: 5, kind: .leftClick))
        XCTAssertEqual(h.app.purchasing.list.table.selected, 1)
    }
}

/// What these tests read from a table without its action type.
protocol KeyTableKeys: AnyKeyTable {
    var navigationKeys: [Key] { get }
    var navigationEntries: [HelpEntry] { get }
    var helpEntries: [HelpEntry] { get }
}

extension KeyTable: KeyTableKeys {
    var navigationKeys: [Key] { navigationBindings.flatMap(\.keys) }
    var navigationEntries: [HelpEntry] { navigationBindings.map(\.helpEntry) }
    var helpEntries: [HelpEntry] { bindings.map(\.helpEntry) }
}
