import BackorderApp
import BackorderCore
import Foundation
import TerminalKit

/// 5 Reports (§7, §10): opens on the supervisor's backlog by product — every LIC with units
/// short, largest first, across locations, with a total — and beside it the backorder report,
/// the reorder report, backlog aging as bars and the fill rate as a sparkline. Each keeps its
/// filters (`/`); Enter opens a row's order or LIC; `e` exports what is on screen as the CSV the
/// `backorders report` command writes for the same filters. State and what the actions do; the
/// key table is in `+Keys`, the drawing in `+Drawing`.
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

    // MARK: - Keys and effects

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
        return dispatch(keys(ctx), key) { perform($0, key: key, ctx: ctx) }
    }

    /// Moving in the report's rows; a click selects a row, or shows the report whose tab it hit.
    private func move(_ m: ListMove, key: Key, ctx: AppContext) -> Effect {
        let total = report?.rows.count ?? 0
        switch m {
        case .move(let tm):
            state.apply(tm, total: total, visibleRows: visibleRows)
        case .click:
            guard case .mouse(let x, let y, _) = key else { return .redraw }
            if y == tabsRow, let i = TabBar.tab(atX: x, in: tabRanges) { return Effect.attempt { try show(tab: i, ctx: ctx); return .redraw } }
            if tableArea.contains(x: x, y: y), let i = TerminalKit.Table.rowIndex(atY: y, area: tableArea, state: state, total: total) {
                state.select(i, total: total, visibleRows: visibleRows)
            }
        }
        return .redraw
    }

    static func describe(_ r: Desk.ReportRequest) -> String {
        var parts: [String] = []
        if let c = r.customer { parts.append("customer \(c)") }
        if let l = r.lic { parts.append("LIC \(l)") }
        if let l = r.location { parts.append("location \(l)") }
        if r.partiallyInvoicedOnly { parts.append("partially invoiced only") }
        return parts.isEmpty ? "none" : parts.joined(separator: " · ")
    }

    private func perform(_ action: Action, key: Key, ctx: AppContext) -> Effect {
        switch action {
        case .move(let m):
            return move(m, key: key, ctx: ctx)
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
