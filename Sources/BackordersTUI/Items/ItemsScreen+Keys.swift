import BackorderApp
import BackorderCore
import TerminalKit

/// The Items screen's key tables (the list's, the drill-down's): actions, then moving.
extension ItemsScreen {
    enum Action: Equatable { case drill, back, openOrder, why, location, filter, receive, adjust, move(ListMove) }

    func keys(_ ctx: AppContext) -> KeyTable<Action> {
        let noLIC = (drill == nil && list.selected == nil) ? "no LIC is selected" : nil
        let receive = KeyBinding<Action>(.char("r"), .receive, label: "Receive", help: "Post a receipt of this LIC at this location",
                                         disabledReason: noLIC ?? ctx.refusal(.clerk, "posting receipts"))
        let adjust = KeyBinding<Action>(.char("a"), .adjust, label: "Adjust", help: "Adjust stock by +N or −N with a reason",
                                        disabledReason: noLIC ?? ctx.refusal(.supervisor, "adjusting stock"))
        if drill != nil {
            let line = queue.selected
            return KeyTable("Demand drill-down", [
                KeyBinding(.enter, .openOrder, label: "Open order", help: "Show the selected line's order on the Orders screen",
                           disabledReason: line == nil ? "no line is selected" : nil),
                KeyBinding(.char("w"), .why, label: "Why BO",
                           help: "Why is the selected line backordered: its place in the queue, the units ahead, waiting stock, POs, projected date",
                           disabledReason: line == nil ? "no line is selected" : (line!.entry.allotted >= line!.entry.need ? "the selected line is fully allotted" : nil)),
                receive, adjust,
                KeyBinding(.char("/"), .filter, label: "Filter items", help: "Back to the items list and filter it by LIC code or description"),
                KeyBinding([.escape, .backspace], .back, label: "Back", help: "Back to the items list"),
            ] + queuePane.bindings(Action.move))
        }
        return KeyTable("Items", [
            KeyBinding(.enter, .drill, label: "Demand", help: "Open the demand drill-down: every open line in allocation order, and the ledger",
                       disabledReason: noLIC),
            KeyBinding(.char("l"), .location, label: "Location", help: "Show the figures at the next location",
                       disabledReason: ctx.locations.count < 2 ? "there is only one location" : nil),
            KeyBinding(.char("/"), .filter, label: "Filter", help: "Filter by LIC code or description"),
            receive, adjust,
        ] + pane.bindings(Action.move))
    }

    func keyTables(_ ctx: AppContext) -> [any AnyKeyTable] {
        if let stockForm { return [stockForm.keys] }
        if pane.isFiltering { return [ListFilter.keys] }
        return [keys(ctx)]
    }

    func footer(_ ctx: AppContext) -> [FooterItem] {
        if let stockForm { return stockForm.keys.footerItems }
        if pane.isFiltering { return ListFilter.keys.footerItems }
        return keys(ctx).footerItems
    }

    func help(_ ctx: AppContext) -> [HelpSection] {
        if let stockForm { return stockForm.keys.helpSections }
        if pane.isFiltering { return ListFilter.keys.helpSections }
        return paneHelp([keys(ctx)]) + [HelpSection(title: "Columns", entries: [
            HelpEntry(keys: "Avail", help: "On hand − allotted"),
            HelpEntry(keys: "Demand", help: "What open lines still need (ordered − cancelled − shipped)"),
            HelpEntry(keys: "BO", help: "Backordered: demand − allotted"),
            HelpEntry(keys: "State", help: "allotted: fully allotted; held: allotted but waiting for the rest (whole-line or ship-complete); waiting: needs stock"),
            HelpEntry(keys: "Cum", help: "Cumulative need up to this line, in allocation order"),
        ])]
    }
}
