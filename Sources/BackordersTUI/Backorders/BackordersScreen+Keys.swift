import BackorderApp
import TerminalKit

/// The Backorders screen's key table: its actions, then the list's moving (navigation).
extension BackordersScreen {
    enum Action { case open, why, sort, filter, move(ListMove) }

    func keys(_ ctx: AppContext) -> KeyTable<Action> {
        let none = list.selected == nil ? "no line is selected" : nil
        return KeyTable("Backorders", [
            KeyBinding(.enter, .open, label: "Open order", help: "Show the selected line's order on the Orders screen, with the line selected",
                       disabledReason: none),
            KeyBinding(.char("w"), .why, label: "Why BO",
                       help: "Why is the selected line backordered: its place in the queue, the units ahead, waiting stock, POs, projected date",
                       disabledReason: none),
            KeyBinding(.char("s"), .sort, label: "Sort",
                       help: "Change the sort, in turn: age (oldest first), priority (highest first), LIC, customer — the title names the one in force"),
            KeyBinding(.char("/"), .filter, label: "Filter",
                       help: "Filter by order number, customer, LIC (code or description); a location's code (MAIN, EAST…) keeps that location's lines"),
        ] + pane.bindings(Action.move))
    }

    func keyTables(_ ctx: AppContext) -> [any AnyKeyTable] {
        pane.isFiltering ? [ListFilter.keys] : [keys(ctx)]
    }

    func footer(_ ctx: AppContext) -> [FooterItem] {
        pane.isFiltering ? ListFilter.keys.footerItems : keys(ctx).footerItems
    }

    func help(_ ctx: AppContext) -> [HelpSection] {
        if pane.isFiltering { return ListFilter.keys.helpSections }
        return paneHelp([keys(ctx)]) + [HelpSection(title: "Columns", entries: [
            HelpEntry(keys: "BO", help: "Units backordered; W marks a whole-line backorder (ships nothing until all is allotted)"),
            HelpEntry(keys: "Age", help: "Days since the order was entered; older than 60 days shows highlighted"),
            HelpEntry(keys: "Loc", help: "The location whose stock the line waits for"),
            HelpEntry(keys: "Promise", help: "A date is the promise of the PO the line is attached to; ~date is a projection (open POs by expected date); a date before today is highlighted"),
        ])]
    }
}
