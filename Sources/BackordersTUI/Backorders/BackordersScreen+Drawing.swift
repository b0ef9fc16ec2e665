import BackorderApp
import BackorderCore
import TerminalKit

/// How the Backorders screen looks: the title with its figures, the lines, cells tinted.
extension BackordersScreen {
    func render(body: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let (title, table) = body.splitHorizontally(at: 1)
        let position = TerminalKit.Table.positionText(state: list.table, total: list.total)
        let filterNote = filter.isEmpty ? "" : "filter: \(filter) · "
        let room = title.width - 24
        let summary = [
            "\(filterNote)\(Format.grouped(list.total)) lines · \(Format.grouped(units)) units short · by \(sortTitle) · \(position)",
            "\(filterNote)\(Format.grouped(list.total)) lines · \(Format.grouped(units)) short · by \(sort.rawValue) · \(position)",
            "\(filterNote)\(Format.grouped(units)) short · \(position)",
        ].first { TextWidth.width(of: $0) <= room } ?? position
        pane.drawTitle("Backordered items", right: summary, area: title, buffer: &buffer, ctx: ctx)
        let wide = table.width >= 110
        var columns = [
            TableColumn("Order", width: .fixed(7)),
            TableColumn("Ln", width: .fixed(2), alignment: .right),
            TableColumn("Customer", width: wide ? .fixed(13) : .fill, minWidth: 8, maxWidth: 16),
        ]
        if wide { columns.append(TableColumn("Name", width: .fill, minWidth: 10)) }
        columns.append(TableColumn("LIC", width: wide ? .fixed(12) : .fill, minWidth: 8, maxWidth: 14))
        if wide { columns.append(TableColumn("Description", width: .fill, minWidth: 10)) }
        columns += [
            TableColumn("Loc", width: .fixed(wide ? 5 : 4)),
            TableColumn(wide ? "Ordered" : "Ord", width: .fixed(wide ? 7 : 5), alignment: .right),
            TableColumn(wide ? "Shipped" : "Ship", width: .fixed(wide ? 7 : 4), alignment: .right),
            TableColumn("Allot", width: .fixed(5), alignment: .right),
            TableColumn("BO", width: .fixed(6), alignment: .right),
            TableColumn("Age", width: .fixed(3), alignment: .right),
            TableColumn("Pri", width: .fixed(3), alignment: .right),
            TableColumn("Promise", width: .fixed(wide ? 11 : 7)),
        ]
        let today = ctx.today
        let rows = list.rows.map { l -> [String] in
            var r = [l.order, String(l.line), l.customer]
            if wide { r.append(l.customerName) }
            r.append(l.lic)
            if wide { r.append(l.description) }
            r += [l.location, Format.grouped(l.ordered - l.cancelled), Format.nonZero(l.shipped), Format.nonZero(l.allotted),
                  Format.grouped(l.backordered) + (l.wholeLine ? " W" : ""), String(Format.age(l.enteredDay, today: today)),
                  String(l.priority), Format.promise(l.promise, projected: l.projected, today: today, wide: wide)]
            return r
        }
        pane.drawTable(columns: columns, rows: rows, area: table, empty: "Nothing is backordered",
                       noMatch: "No backordered line matches the filter", buffer: &buffer, ctx: ctx)
        let bo = columns.firstIndex { $0.title == "BO" }!
        Draw.tint(column: bo, roles: list.rows.map { _ in .backordered }, columns: columns, area: table, state: list.table,
                  buffer: &buffer, ctx: ctx)
        Draw.tint(column: bo + 1, roles: list.rows.map { Format.age($0.enteredDay, today: today) > 60 ? .warning : nil },
                  columns: columns, area: table, state: list.table, buffer: &buffer, ctx: ctx)
        Draw.tint(column: columns.count - 1, roles: list.rows.map { Format.promiseRole($0.promise, projected: $0.projected, today: today) },
                  columns: columns, area: table, state: list.table, buffer: &buffer, ctx: ctx)
    }
}
