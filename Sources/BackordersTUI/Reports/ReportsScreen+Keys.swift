import BackorderApp
import BackorderCore
import TerminalKit

/// The Reports screen's key table: the reports, their filters and export, then the moving.
extension ReportsScreen {
    enum Action: Equatable { case nextReport, previousReport, filter, location, clearFilters, export, open, cancelExport, move(ListMove) }

    func keys(_ ctx: AppContext) -> KeyTable<Action> {
        let row = selectedRow
        let openable: String? = {
            switch request.name {
            case .aging, .fillRate: return "this report's rows open nothing; the backorder report lists the lines"
            default: return row == nil ? "no row is selected" : nil
            }
        }()
        var b: [KeyBinding<Action>] = [
            KeyBinding([.tab, .right], .nextReport, label: "Next report", help: "The next report: backlog by product, backorders, reorder, aging, fill rate"),
            KeyBinding([.backTab, .left], .previousReport, label: "Previous", help: "The previous report", showInFooter: false),
            KeyBinding(.enter, .open, label: request.name == .backorders ? "Open order" : "Demand",
                       help: "Open the selected row: an order (backorder report) or a LIC's demand drill-down", disabledReason: openable),
            KeyBinding(.char("/"), .filter, label: "Filters",
                       help: "Filter this report: " + filterWords + "; Enter applies, Esc keeps the filters as they were"),
            KeyBinding(.char("l"), .location, label: "Location", help: "Show one location, in turn, then all of them",
                       disabledReason: ctx.locations.count < 2 ? "there is only one location" : nil),
            KeyBinding(.char("c"), .clearFilters, label: "Clear", help: "Clear this report's filters", showInFooter: false),
            KeyBinding(.char("e"), .export, label: "Export",
                       help: "Export this report as CSV (the `backorders report` command's CSV for the same filters) to a file you name",
                       disabledReason: ctx.jobs.isRunning(Self.exportJob) ? "an export is running" : ctx.refusal(.supervisor, "exporting")),
        ]
        if ctx.jobs.isRunning(Self.exportJob) {
            b.insert(KeyBinding(.escape, .cancelExport, label: "Cancel export", help: "Stop the export: nothing is written"), at: 0)
        }
        b += TableMove.bindings(noun: "row") { Action.move(.move($0)) }
        b.append(KeyBinding.navigation(.click, .move(.click), label: "Select",
                                       help: "Select the row clicked; a click on a report's name shows that report"))
        return KeyTable(tabs[selectedTab].title, b)
    }

    var filterWords: String {
        var words: [String] = []
        if request.acceptsCustomer { words.append("customer") }
        words += ["LIC", "location"]
        if request.acceptsPartiallyInvoiced { words.append("partially invoiced only") }
        return words.joined(separator: ", ")
    }

    var selectedRow: [Report.Value]? { report?.rows[safe: state.selected] }

    func footer(_ ctx: AppContext) -> [FooterItem] {
        if let filterForm { return filterForm.keys.footerItems }
        return keys(ctx).footerItems
    }

    func keyTables(_ ctx: AppContext) -> [any AnyKeyTable] {
        if let filterForm { return [filterForm.keys] }
        return [keys(ctx)]
    }

    func help(_ ctx: AppContext) -> [HelpSection] {
        if let filterForm { return filterForm.keys.helpSections }
        return paneHelp([keys(ctx)]) + [HelpSection(title: "The reports", entries: [
            HelpEntry(keys: "Backlog", help: "Every LIC and location with units short, largest first; the total at the foot"),
            HelpEntry(keys: "Backorders", help: "Every backordered line: ordered, shipped, backordered, allotted, age, priority, promise or projection"),
            HelpEntry(keys: "Reorder", help: "LICs whose available is below minimum stock, with the replenishment suggestion"),
            HelpEntry(keys: "Aging", help: "Units backordered by age of the order: 0–7, 8–14, 15–30, 31–60, over 60 days"),
            HelpEntry(keys: "Fill rate", help: "Share of lines shipped in full on their first shipment, per week"),
        ])]
    }
}
