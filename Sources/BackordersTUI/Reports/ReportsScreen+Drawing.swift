import BackorderApp
import BackorderCore
import TerminalKit

/// How the Reports screen looks: the report tabs, the filters in force, then the report — a
/// table (with a total for the backlog), bars for aging, a sparkline for the fill rate.
extension ReportsScreen {
    func render(body: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let p = parts(body)
        tabsRow = p.tabs.y
        tabRanges = TabBar.render(tabs: tabs.map { TerminalKit.Tab($0.title) }, selected: selectedTab, area: p.tabs, buffer: &buffer, theme: ctx.theme)
        let count = report.map { "\(Format.grouped($0.rows.count)) row(s)" } ?? ""
        Draw.rule("Filters: \(Self.describe(request))", right: count + (report?.rows.isEmpty == false ? " · " + TerminalKit.Table.positionText(state: state, total: report!.rows.count) : ""),
                  area: p.filters, focused: false, buffer: &buffer, ctx: ctx)
        if let form = filterForm, let area = p.form { form.render(area: area, buffer: &buffer, ctx: ctx) }
        guard let report else {
            Draw.centered("The report could not be made; see the status line", in: p.content, buffer: &buffer, ctx: ctx)
            return
        }
        switch request.name {
        case .aging: renderAging(report, p.content, buffer: &buffer, ctx: ctx)
        case .fillRate: renderFillRate(report, p.content, buffer: &buffer, ctx: ctx)
        default: renderTable(report, p.content, buffer: &buffer, ctx: ctx)
        }
    }

    /// The columns a report shows on screen (all of its CSV's, where they fit; numbers right).
    private func columns(_ report: Report, width: Int) -> [(index: Int, column: TableColumn)] {
        let wide = width >= 110
        func col(_ name: String, _ title: String, _ w: LayoutLength, right: Bool = true, min: Int = 0) -> (String, TableColumn) {
            (name, TableColumn(title, width: w, minWidth: min, alignment: right ? .right : .left))
        }
        var wanted: [(String, TableColumn)]
        switch request.name {
        case .backlog where request.summary:
            wanted = [col("lic", "LIC", .fixed(12), right: false), col("description", "Description", .fill, right: false, min: 8),
                      col("location", "Loc", .fixed(5), right: false), col("backordered", "Short", .fixed(6)),
                      col("on_hand", wide ? "On hand" : "OnHnd", .fixed(wide ? 7 : 5)), col("allotted", "Allot", .fixed(6)),
                      col("available", "Avail", .fixed(6)), col("on_order", wide ? "On order" : "OnOrd", .fixed(wide ? 8 : 5)),
                      col("lines_waiting", wide ? "Lines waiting" : "Lines", .fixed(wide ? 13 : 5)),
                      col("oldest_days", wide ? "Oldest (days)" : "Oldest", .fixed(wide ? 13 : 6))]
            if width < 90 { wanted.remove(at: 1) }
        case .backorders:
            wanted = [col("order", "Order", .fixed(8), right: false), col("customer", "Customer", .fill, right: false, min: 8),
                      col("lic", "LIC", .fixed(12), right: false), col("location", "Loc", .fixed(5), right: false),
                      col("ordered", "Ord", .fixed(5)), col("shipped", "Ship", .fixed(5)), col("backordered", "BO", .fixed(5)),
                      col("allotted", "Allot", .fixed(5)), col("age_days", "Age", .fixed(3)), col("priority", "Pri", .fixed(3)),
                      col("promise", "Promise", .fixed(wide ? 10 : 11), right: false)]
            if wide { wanted.append(col("projected", "Projected", .fixed(10), right: false)) }
        case .reorder:
            wanted = [col("lic", "LIC", .fixed(12), right: false), col("description", "Description", .fill, right: false, min: 8),
                      col("location", "Loc", .fixed(5), right: false), col("on_hand", wide ? "On hand" : "OnHnd", .fixed(wide ? 7 : 5)),
                      col("available", "Avail", .fixed(6)), col("min_stock", "Min", .fixed(5)), col("backordered", "BO", .fixed(5)),
                      col("on_order", wide ? "On order" : "OnOrd", .fixed(wide ? 8 : 5)), col("suggested", wide ? "Suggested" : "Sugg", .fixed(wide ? 9 : 5)),
                      col("vendor", "Vendor", .fixed(wide ? 11 : 8), right: false)]
            if width < 90 { wanted.remove(at: 1) }
        default:
            wanted = report.columns.map { col($0, $0, .fill, right: false) }
        }
        return wanted.compactMap { name, c in report.column(name).map { ($0, c) } }
    }

    private func renderTable(_ report: Report, _ content: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let area = tableRect(content)
        tableArea = area
        let shownColumns = columns(report, width: area.width)
        let combine = request.name == .backorders && area.width < 110
        let projected = report.column("projected")
        let rows = report.rows.dropFirst(state.offset).prefix(visibleRows).map { row in
            shownColumns.map { c -> String in
                if case .int(let n) = row[c.index] { return Format.grouped(n) }
                // Narrow: one date column, a projection marked "~" as in the other lists.
                if combine, report.columns[c.index] == "promise", let p = projected {
                    let promise = row[c.index].text, projection = row[p].text
                    return Format.promise(promise.isEmpty ? nil : promise, projected: projection.isEmpty ? nil : projection, today: ctx.today)
                }
                return row[c.index].text
            }
        }
        let empty: String
        switch request.name {
        case .backlog: empty = "Nothing is short: every LIC's demand is allotted"
        case .backorders: empty = "No backordered line matches"
        default: empty = "Nothing to reorder: every LIC has its minimum available"
        }
        TerminalKit.Table.render(columns: shownColumns.map(\.column), rows: Array(rows), state: state, total: report.rows.count,
                                 focused: true, area: area, buffer: &buffer, theme: ctx.theme, showPosition: false, emptyMessage: empty)
        if let short = shownColumns.firstIndex(where: { report.columns[$0.index] == "backordered" }) {
            Draw.tint(column: short, roles: rows.map { _ in .backordered }, columns: shownColumns.map(\.column), area: area, state: state,
                      buffer: &buffer, ctx: ctx)
        }
        if request.name == .backlog && request.summary {
            // The total of the whole list, at the foot.
            func sum(_ name: String) -> Int {
                guard let i = report.column(name) else { return 0 }
                return report.rows.reduce(0) { total, row in if case .int(let n) = row[i] { return total + n } else { return total } }
            }
            let text = " Total: \(Format.grouped(report.rows.count)) LIC(s) at their locations · \(Format.grouped(sum("backordered"))) units short · "
                + "on hand \(Format.grouped(sum("on_hand"))) · allotted \(Format.grouped(sum("allotted"))) · "
                + "on order \(Format.grouped(sum("on_order"))) · \(Format.grouped(sum("lines_waiting"))) lines waiting"
            buffer.fill(Rect(x: content.x, y: content.maxY - 1, width: content.width, height: 1), style: ctx.style(.columnHeader))
            buffer.put(text, x: content.x, y: content.maxY - 1, style: ctx.style(.columnHeader), maxWidth: content.width)
        }
    }

    private func renderAging(_ report: Report, _ content: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        tableArea = Rect(x: 0, y: 0, width: 0, height: 0)
        guard let age = report.column("age_days"), let lines = report.column("lines"), let units = report.column("units") else { return }
        let totalUnits = report.rows.reduce(0) { $0 + (Int($1[units].text) ?? 0) }
        let totalLines = report.rows.reduce(0) { $0 + (Int($1[lines].text) ?? 0) }
        Draw.text("Units backordered by age of the order, in days", at: content, row: 1, x: 2, role: .title, buffer: &buffer, ctx: ctx)
        let labels = report.rows.map { $0[age].text == ">60" ? "over 60 days" : "\($0[age].text) days" }
        let labelWidth = labels.map { TextWidth.width(of: $0) }.max() ?? 0
        let items = report.rows.enumerated().map { i, row -> BarItem in
            BarItem(TextWidth.pad(labels[i], toWidth: labelWidth), Int(row[units].text) ?? 0, role: row[age].text == ">60" ? .warning : nil)
        }
        let chart = Rect(x: content.x + 2, y: content.y + 3, width: max(0, content.width - 4), height: min(items.count * 2, max(0, content.height - 5)))
        // A bar and a blank row each, the figures beside the bar.
        let figures = report.rows.map { "\(Format.grouped(Int($0[units].text) ?? 0)) units · \(Format.grouped(Int($0[lines].text) ?? 0)) lines" }
        let figureWidth = figures.map { TextWidth.width(of: $0) }.max() ?? 0
        for (i, item) in items.enumerated() where i * 2 < chart.height {
            BarChart.render(items: [item], area: Rect(x: chart.x, y: chart.y + i * 2, width: chart.width, height: 1), buffer: &buffer,
                            theme: ctx.theme, maxValue: max(1, items.map(\.value).max() ?? 1),
                            format: { _ in TextWidth.pad(figures[i], toWidth: figureWidth, alignment: .right) })
        }
        Draw.text("Total: \(Format.grouped(totalUnits)) units short on \(Format.grouped(totalLines)) lines", at: content,
                  row: min(content.height - 1, 3 + items.count * 2), x: 2, role: .dim, buffer: &buffer, ctx: ctx)
    }

    private func renderFillRate(_ report: Report, _ content: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        guard let rate = report.column("rate_percent"), let week = report.column("week"),
              let lines = report.column("lines"), let full = report.column("shipped_in_full") else { return }
        let head = Rect(x: content.x, y: content.y, width: content.width, height: min(4, content.height / 2))
        if let last = report.rows.last {
            let latest = "Latest week \(last[week].text): \(last[rate].text)% of lines shipped in full on their first shipment (\(last[full].text) of \(last[lines].text))"
            Draw.text(latest, at: head, row: 0, x: 2, role: .title, buffer: &buffer, ctx: ctx)
            let values = report.rows.map { Int($0[rate].text) ?? 0 }
            let spark = Rect(x: head.x + 2, y: head.y + 2, width: max(0, min(values.count, head.width - 20)), height: 1)
            Sparkline.render(values, area: spark, buffer: &buffer, theme: ctx.theme, maxValue: 100)
            Draw.text("\(values.count) week(s), 0–100%", at: head, row: 2, x: 3 + spark.width, role: .dim, buffer: &buffer, ctx: ctx)
        } else {
            Draw.text("Nothing has shipped yet: no week to show.", at: head, row: 0, x: 2, role: .dim, buffer: &buffer, ctx: ctx)
        }
        let area = tableRect(content)
        tableArea = area
        let columns = [TableColumn("Week of", width: .fixed(10)), TableColumn("Lines", width: .fixed(7), alignment: .right),
                       TableColumn("In full", width: .fixed(7), alignment: .right), TableColumn("Rate", width: .fixed(6), alignment: .right),
                       TableColumn("", width: .fill)]
        // Newest week first in the table.
        let ordered = Array(report.rows.reversed())
        let rows = ordered.dropFirst(state.offset).prefix(visibleRows).map { r -> [String] in
            let pct = Int(r[rate].text) ?? 0
            return [r[week].text, r[lines].text, r[full].text, "\(pct)%", BarChart.bar(value: pct, maxValue: 100, width: 20)]
        }
        TerminalKit.Table.render(columns: columns, rows: Array(rows), state: state, total: ordered.count, focused: true, area: area,
                                 buffer: &buffer, theme: ctx.theme, showPosition: false, emptyMessage: "")
    }
}
