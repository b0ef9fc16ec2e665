import BackorderApp
import BackorderCore
import Foundation
import TerminalKit

/// 5 Reports (§7, §10): opens on the supervisor's backlog by product — every LIC with units
/// short, largest first, across locations, with a total — and beside it the backorder report,
/// the reorder report, backlog aging as bars and the fill rate as a sparkline. Each keeps its
/// filters (`/`); Enter opens a row's order or LIC; `e` exports what is on screen as the CSV the
/// `backorders report` command writes for the same filters.
final class ReportsScreen: Screen {
    let id = ScreenID.reports

    struct Tab {
        var title: String
        var request: Desk.ReportRequest
    }

    private(set) var tabs: [Tab] = {
        var backlog = Desk.ReportRequest(.backlog)
        backlog.summary = true
        return [Tab(title: "Backlog by product", request: backlog), Tab(title: "Backorders", request: .init(.backorders)),
                Tab(title: "Reorder", request: .init(.reorder)), Tab(title: "Aging", request: .init(.aging)),
                Tab(title: "Fill rate", request: .init(.fillRate))]
    }()
    private(set) var selectedTab = 0
    private(set) var report: Report?
    var state = TableState()
    var visibleRows = 10
    private(set) var filterForm: ReportFilterForm?
    var tableArea = Rect(x: 0, y: 0, width: 0, height: 0)
    var tabRanges: [Range<Int>] = []
    var tabsRow = 0
    /// The id of the export job while it runs.
    static let exportJob = "export"

    var request: Desk.ReportRequest { tabs[selectedTab].request }
    var capturesText: Bool { filterForm != nil }

    var unsavedWork: String? { filterForm?.isDirty == true ? "the filters you are typing" : nil }
    func discardUnsavedWork() { filterForm = nil }
    func willShow(_ ctx: AppContext) { if filterForm?.isDirty != true { filterForm = nil } }

    func reload(_ ctx: AppContext) throws {
        do {
            report = try ctx.desk.report(request)
        } catch {
            report = nil
            throw error
        }
        state.clamp(total: report?.rows.count ?? 0, visibleRows: visibleRows)
    }

    /// Shows report `i`, with its filters as they were.
    func show(tab i: Int, ctx: AppContext) throws {
        selectedTab = (i + tabs.count) % tabs.count
        state = TableState()
        filterForm = nil
        try reload(ctx)
    }

    /// Changes the filters of the report shown (the filter form, or the location key).
    func apply(_ new: Desk.ReportRequest, ctx: AppContext) throws {
        let old = tabs[selectedTab].request
        tabs[selectedTab].request = new
        do {
            state = TableState()
            try reload(ctx)
        } catch {
            tabs[selectedTab].request = old
            try? reload(ctx)
            throw error
        }
    }

    // MARK: - Layout

    struct Parts { var tabs: Rect, filters: Rect, form: Rect?, content: Rect }

    func parts(_ body: Rect) -> Parts {
        let formRows = filterForm == nil ? 0 : ReportFilterForm.height
        let r = body.rows([.fixed(1), .fixed(1), .fixed(formRows), .fill])
        return Parts(tabs: r[0], filters: r[1], form: formRows > 0 ? r[2] : nil, content: r[3])
    }

    func fit(body: Rect, ctx: AppContext) throws {
        let p = parts(body)
        visibleRows = max(1, TerminalKit.Table.visibleRows(in: tableRect(p.content)))
        state.clamp(total: report?.rows.count ?? 0, visibleRows: visibleRows)
    }

    /// Where the table goes in the content: all of it, less a total row (backlog), or under the
    /// chart (fill rate).
    func tableRect(_ content: Rect) -> Rect {
        switch request.name {
        case .backlog where request.summary: return content.inset(bottom: 1)
        case .fillRate: return content.inset(top: min(4, content.height / 2))
        case .aging: return Rect(x: content.x, y: content.maxY, width: content.width, height: 0)
        default: return content
        }
    }

    // MARK: - Keys

    enum Action { case nextReport, previousReport, filter, location, clearFilters, export, open, cancelExport }

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
        return KeyTable(tabs[selectedTab].title, b)
    }

    private var filterWords: String {
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

    func help(_ ctx: AppContext) -> [HelpSection] {
        if let filterForm { return [filterForm.keys.helpSection] }
        return [keys(ctx).helpSection, OrdersScreen.movementHelp, HelpSection(title: "The reports", entries: [
            HelpEntry(keys: "Backlog", help: "Every LIC and location with units short, largest first; the total at the foot"),
            HelpEntry(keys: "Backorders", help: "Every backordered line: ordered, shipped, backordered, allotted, age, priority, promise or projection"),
            HelpEntry(keys: "Reorder", help: "LICs whose available is below minimum stock, with the replenishment suggestion"),
            HelpEntry(keys: "Aging", help: "Units backordered by age of the order: 0–7, 8–14, 15–30, 31–60, over 60 days"),
            HelpEntry(keys: "Fill rate", help: "Share of lines shipped in full on their first shipment, per week"),
        ])]
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        if let form = filterForm {
            switch form.handle(key, ctx: ctx) {
            case .keep: return .redraw
            case .pass: return nil
            case .cancel:
                filterForm = nil
                return .info("Filters unchanged.")
            case .apply(let r):
                return Effect.attempt {
                    try apply(r, ctx: ctx)
                    filterForm = nil
                    return .info("Filters: \(Self.describe(r)).")
                }
            }
        }
        if case .mouse(let x, let y, .leftClick) = key {
            if y == tabsRow, let i = TabBar.tab(atX: x, in: tabRanges) { return Effect.attempt { try show(tab: i, ctx: ctx); return .redraw } }
            if let i = TerminalKit.Table.rowIndex(atY: y, area: tableArea, state: state, total: report?.rows.count ?? 0) {
                state.select(i, total: report?.rows.count ?? 0, visibleRows: visibleRows)
                return .redraw
            }
            return nil
        }
        if state.handle(key, total: report?.rows.count ?? 0, visibleRows: visibleRows) { return .redraw }
        return dispatch(keys(ctx), key) { perform($0, ctx: ctx) }
    }

    static func describe(_ r: Desk.ReportRequest) -> String {
        var parts: [String] = []
        if let c = r.customer { parts.append("customer \(c)") }
        if let l = r.lic { parts.append("LIC \(l)") }
        if let l = r.location { parts.append("location \(l)") }
        if r.partiallyInvoicedOnly { parts.append("partially invoiced only") }
        return parts.isEmpty ? "none" : parts.joined(separator: " · ")
    }

    private func perform(_ action: Action, ctx: AppContext) -> Effect {
        switch action {
        case .nextReport, .previousReport:
            return Effect.attempt {
                try show(tab: selectedTab + (action == .nextReport ? 1 : -1), ctx: ctx)
                return .redraw
            }
        case .filter:
            filterForm = ReportFilterForm(request, ctx: ctx)
            return .redraw
        case .clearFilters:
            var r = Desk.ReportRequest(request.name)
            r.summary = request.summary
            return Effect.attempt { try apply(r, ctx: ctx); return .info("Filters cleared.") }
        case .location:
            let codes = [String?.none] + ctx.locations.map { Optional($0.code) }
            let i = codes.firstIndex(of: request.location) ?? 0
            var r = request
            r.location = codes[(i + 1) % codes.count]
            return Effect.attempt { try apply(r, ctx: ctx); return .info(r.location.map { "Location \($0)." } ?? "All locations.") }
        case .open:
            guard let row = selectedRow, let report else { return .redraw }
            func text(_ column: String) -> String? { report.column(column).map { row[$0].text } }
            if request.name == .backorders, let order = text("order") { return .openOrder(order) }
            if let lic = text("lic"), let location = text("location") { return .openLIC(lic, location: location) }
            return .redraw
        case .export:
            guard let report else { return .redraw }
            return .modal(ExportModal(request: request, rows: report.rows.count, today: ctx.today, directory: ctx.exportDirectory))
        case .cancelExport:
            ctx.jobs.cancel(Self.exportJob)
            return .info("Cancelling the export…")
        }
    }
}
