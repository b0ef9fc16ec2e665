import BackorderApp
import BackorderCore
import TerminalKit

/// How the Items screen looks: the items list, or the demand drill-down (figures, the open
/// lines in allocation order, the recent ledger); the stock form at the foot.
extension ItemsScreen {
    func render(body: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let area = content(body)
        if let d = drill {
            renderDrill(d, area: area, buffer: &buffer, ctx: ctx)
        } else {
            renderList(area, buffer: &buffer, ctx: ctx)
        }
        if let stockForm {
            stockForm.render(area: Rect(x: body.x, y: body.maxY - StockForm.height, width: body.width, height: StockForm.height),
                             buffer: &buffer, ctx: ctx)
        }
    }

    func renderList(_ area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let (title, table) = area.splitHorizontally(at: 1)
        let locationName = ctx.locations.first { $0.code == location }?.name ?? ""
        // While the filter is typed the title is the location's code alone: room for the field.
        pane.drawTitle(pane.isFiltering || locationName.isEmpty ? "Items at \(location)" : "Items at \(location) · \(locationName)",
                       area: title, buffer: &buffer, ctx: ctx)
        let wide = table.width >= 100
        let n = wide ? 8 : 6
        let columns = [
            TableColumn("LIC", width: .fixed(12)),
            TableColumn("Description", width: .fill, minWidth: 8),
            TableColumn("On hand", width: .fixed(7), alignment: .right),
            TableColumn("Allot", width: .fixed(n), alignment: .right),
            TableColumn("Avail", width: .fixed(n), alignment: .right),
            TableColumn("Demand", width: .fixed(n), alignment: .right),
            TableColumn("BO", width: .fixed(n), alignment: .right),
            TableColumn(wide ? "On order" : "On ord", width: .fixed(n), alignment: .right),
            TableColumn("Min", width: .fixed(5), alignment: .right),
        ]
        let rows = list.rows.map { l -> [String] in
            guard l.inventoried else { return [l.code, l.description + " (service)", "—", "", "", "", "", "", ""] }
            let b = l.balance
            return [l.code, l.description, Format.grouped(b.onHand), Format.nonZero(b.allotted), Format.grouped(b.available),
                    Format.nonZero(b.demand), Format.nonZero(b.backordered), Format.nonZero(b.onOrder), Format.nonZero(l.minStock)]
        }
        pane.drawTable(columns: columns, rows: rows, rowStyles: list.rows.map { $0.inventoried ? nil : .dim }, area: table,
                       empty: "No LICs yet", noMatch: "No LIC matches the filter", buffer: &buffer, ctx: ctx)
        Draw.tint(column: 4, roles: list.rows.map { $0.inventoried && $0.balance.available < $0.minStock ? .warning : nil },
                  columns: columns, area: table, state: list.table, buffer: &buffer, ctx: ctx)
        Draw.tint(column: 6, roles: list.rows.map { $0.balance.backordered > 0 ? .backordered : nil },
                  columns: columns, area: table, state: list.table, buffer: &buffer, ctx: ctx)
    }

    func renderDrill(_ d: LicView, area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let p = drillParts(area, ledgerCount: d.ledger.count)
        let b = d.balance
        Draw.rule("Demand for \(d.lic) · \(d.description) at \(d.location)", right: "Esc back", area: p.head, buffer: &buffer, ctx: ctx)
        // The figures of §3 as a small two-row table: labels over values.
        var x = 1
        for (label, value, role) in [("On hand", b.onHand, ThemeRole.normal), ("Allotted", b.allotted, .allotted),
                                     ("Available", b.available, b.available > 0 ? .good : .normal), ("Demand", b.demand, .normal),
                                     ("Backordered", b.backordered, b.backordered > 0 ? .backordered : .normal),
                                     ("On order", b.onOrder, .normal), ("Frozen", b.frozen, .frozen), ("Min stock", d.minStock, .normal)] {
            let w = max(TextWidth.width(of: label), Format.grouped(value).count)
            guard x + w <= p.head.width else { break }
            Draw.text(TextWidth.pad(label, toWidth: w, alignment: .right), at: p.head, row: 1, x: x, role: .dim, buffer: &buffer, ctx: ctx)
            Draw.text(TextWidth.pad(Format.grouped(value), toWidth: w, alignment: .right), at: p.head, row: 2, x: x, role: role,
                      buffer: &buffer, ctx: ctx)
            x += w + 2
        }

        let position = TerminalKit.Table.positionText(state: queue.table, total: queue.total)
        Draw.rule("Open lines in allocation order", right: position, area: p.queueTitle, buffer: &buffer, ctx: ctx)
        let wide = p.queueTable.width >= 100
        var columns = [
            TableColumn("Pos", width: .fixed(4), alignment: .right),
            TableColumn("Order", width: .fixed(8)),
            TableColumn("Ln", width: .fixed(2), alignment: .right),
            TableColumn("Customer", width: .fill, minWidth: 8, maxWidth: 16),
            TableColumn("Pri", width: .fixed(3), alignment: .right),
            TableColumn("Entered", width: .fixed(wide ? 10 : 5)),
            TableColumn("Need", width: .fixed(wide ? 7 : 5), alignment: .right),
            TableColumn("Allot", width: .fixed(wide ? 7 : 5), alignment: .right),
            TableColumn("Cum", width: .fixed(wide ? 8 : 6), alignment: .right),
            TableColumn("State", width: .fixed(8)),
        ]
        columns.append(TableColumn("Promise", width: wide ? .fill : .fixed(11), minWidth: 7))
        let rows = queue.rows.map { r -> [String] in
            let e = r.entry
            return [String(e.position), e.order, String(e.line), e.customer, String(e.priority),
                    wide ? e.entered : String(e.entered.dropFirst(5)), Format.grouped(e.need),
                    Format.nonZero(e.allotted), Format.grouped(e.cumulative), e.state,
                    Format.promise(e.promise, projected: e.projected, today: ctx.today)]
        }
        let none = "No open lines: nothing is waiting for \(d.lic) here"
        queuePane.drawTable(columns: columns, rows: rows, area: p.queueTable, empty: none, noMatch: none, buffer: &buffer, ctx: ctx)
        let stateRoles: [ThemeRole?] = queue.rows.map { r in
            switch r.entry.state {
            case "allotted": return .allotted
            case "held": return .warning
            default: return .backordered
            }
        }
        Draw.tint(column: 9, roles: stateRoles, columns: columns, area: p.queueTable, state: queue.table, buffer: &buffer, ctx: ctx)
        Draw.tint(column: 7, roles: queue.rows.map { $0.entry.allotted > 0 ? .allotted : nil }, columns: columns,
                  area: p.queueTable, state: queue.table, buffer: &buffer, ctx: ctx)
        Draw.tint(column: columns.count - 1, roles: queue.rows.map { Format.promiseRole($0.entry.promise, projected: $0.entry.projected, today: ctx.today) },
                  columns: columns, area: p.queueTable, state: queue.table, buffer: &buffer, ctx: ctx)

        Draw.rule("Recent ledger", right: d.ledger.isEmpty ? "none" : "newest first", area: p.ledgerTitle, focused: false,
                  buffer: &buffer, ctx: ctx)
        let ledgerColumns = [
            TableColumn("At", width: .fixed(16)),
            TableColumn("Kind", width: .fixed(10)),
            TableColumn("Qty", width: .fixed(7), alignment: .right),
            TableColumn("Order", width: .fixed(8)),
            TableColumn("Who", width: .fixed(9)),
            TableColumn("Reason", width: .fill),
        ]
        let ledgerRows = d.ledger.prefix(max(0, p.ledger.height - 1)).map { g in
            [Format.minute(g.at), g.kind.rawValue, (g.qty > 0 ? "+" : "") + Format.grouped(g.qty), g.order ?? "", g.actor, g.reason]
        }
        TerminalKit.Table.render(columns: ledgerColumns, rows: Array(ledgerRows), state: TableState(selected: -1),
                                 total: ledgerRows.count, focused: false, area: p.ledger, buffer: &buffer, theme: ctx.theme,
                                 showPosition: false, emptyMessage: "No stock movements")
    }
}
