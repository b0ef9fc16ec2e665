import BackorderApp
import BackorderCore
import TerminalKit

/// How the Purchasing screen looks: the PO list beside (or above) the selected PO — its lines
/// and the order lines attached to them — or the replenishment suggestions; the new-PO form
/// takes the whole body, the receiving form its foot.
extension PurchasingScreen {
    func render(body: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        if let form {
            form.render(body: body, buffer: &buffer, ctx: ctx)
            return
        }
        if mode == .suggestions {
            renderSuggestions(content(body), buffer: &buffer, ctx: ctx)
        } else {
            let p = parts(body)
            renderList(p, buffer: &buffer, ctx: ctx)
            renderDetail(p.detail, buffer: &buffer, ctx: ctx)
        }
        if let stockForm {
            stockForm.render(area: Rect(x: body.x, y: body.maxY - StockForm.height, width: body.width, height: StockForm.height),
                             buffer: &buffer, ctx: ctx)
        }
    }

    private func renderList(_ p: Parts, buffer: inout ScreenBuffer, ctx: AppContext) {
        pane.drawTitle("Purchase orders", area: p.listTitle, focused: focus == .list, buffer: &buffer, ctx: ctx)
        let narrow = p.listTable.width < 64
        var columns = [
            TableColumn("Number", width: .fixed(8)),
            TableColumn("Vendor", width: .fill, minWidth: 8, maxWidth: 14),
        ]
        if !narrow { columns.append(TableColumn("Loc", width: .fixed(5))) }
        columns += [
            TableColumn("Status", width: .fixed(8)),
            TableColumn(narrow ? "Order" : "Ordered", width: .fixed(narrow ? 5 : 10)),
            TableColumn(narrow ? "Exp" : "Expected", width: .fixed(narrow ? 5 : 10)),
            TableColumn("Open", width: .fixed(6), alignment: .right),
            TableColumn(narrow ? "Att" : "Attached", width: .fixed(narrow ? 3 : 8), alignment: .right),
        ]
        func day(_ d: String?) -> String { d.map { narrow ? String($0.dropFirst(5)) : $0 } ?? "—" }
        let rows = list.rows.map { po -> [String] in
            var r = [po.number, po.vendor]
            if !narrow { r.append(po.location) }
            r += [po.status.rawValue, day(po.orderDate), day(po.expected), Format.nonZero(po.openUnits), Format.nonZero(po.attachedLines)]
            return r
        }
        pane.drawTable(columns: columns, rows: rows, rowStyles: list.rows.map { $0.status == .closed || $0.status == .received ? .dim : nil },
                       focused: focus == .list, area: p.listTable, empty: "No purchase orders yet: n enters one, s shows what to order",
                       noMatch: "No purchase order matches the filter", buffer: &buffer, ctx: ctx)
        let status = columns.firstIndex { $0.title == "Status" }!
        Draw.tint(column: status, roles: list.rows.map { po in
            switch po.status {
            case .draft: return .warning
            case .open: return .good
            case .received, .closed: return nil
            }
        }, columns: columns, area: p.listTable, state: list.table, buffer: &buffer, ctx: ctx)
        let expected = columns.firstIndex { $0.title.hasPrefix("Exp") }!
        Draw.tint(column: expected, roles: list.rows.map { po in
            po.status == .open && (po.expected.flatMap(Day.init).map { $0 < ctx.today } ?? false) ? .warning : nil
        }, columns: columns, area: p.listTable, state: list.table, buffer: &buffer, ctx: ctx)
    }

    private func renderDetail(_ area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        guard area.height >= 3 else { return }
        guard let po = detail else {
            Draw.rule("Purchase order", area: area, focused: false, buffer: &buffer, ctx: ctx)
            Draw.centered("Select a purchase order to see its lines", in: area.inset(top: 1), buffer: &buffer, ctx: ctx)
            linesArea = Rect(x: 0, y: 0, width: 0, height: 0)
            return
        }
        Draw.rule("Purchase order \(po.number)", right: po.status.rawValue, area: area, focused: focus == .lines, buffer: &buffer, ctx: ctx)
        var info: [(String, ThemeRole)] = [(po.vendor, .title), (" · \(po.location) · ordered \(po.orderDate)", .dim)]
        if let e = po.expected {
            let late = po.status == .open && (Day(e).map { $0 < ctx.today } ?? false)
            info.append((" · expected ", .dim))
            info.append((e + (late ? " (late)" : ""), late ? .warning : .dim))
        } else {
            info.append((" · no expected date", .dim))
        }
        info.append((po.allowAttach ? " · backorders may attach" : " · no backorder attach", .dim))
        Draw.spans(info, at: area, row: 1, x: 1, buffer: &buffer, ctx: ctx)

        // The PO lines, then the order lines attached to them.
        let attachedRows = po.attachments.count
        let available = area.height - 2
        var lineRows = po.lines.count
        var attachRows = attachedRows
        while 1 + lineRows + 1 + 1 + attachRows > available && attachRows > 1 { attachRows -= 1 }
        while 1 + lineRows + 1 + 1 + attachRows > available && lineRows > 1 { lineRows -= 1 }
        var y = area.y + 2
        linesArea = Rect(x: area.x, y: y, width: area.width, height: min(1 + lineRows, max(0, area.maxY - y)))
        let lineColumns = [
            TableColumn("Ln", width: .fixed(3), alignment: .right),
            TableColumn("LIC", width: .fill, minWidth: 8),
            TableColumn("Ordered", width: .fixed(7), alignment: .right),
            TableColumn("Received", width: .fixed(8), alignment: .right),
            TableColumn("Canc", width: .fixed(5), alignment: .right),
            TableColumn("Open", width: .fixed(6), alignment: .right),
            TableColumn("Attached", width: .fixed(8), alignment: .right),
        ]
        lineState.clamp(total: po.lines.count, visibleRows: max(1, lineRows))
        let state = focus == .lines ? lineState : TableState(selected: -1, offset: lineState.offset)
        let shown = po.lines.dropFirst(state.offset).prefix(lineRows)
        TerminalKit.Table.render(columns: lineColumns, rows: shown.map {
            [String($0.line), $0.lic, Format.grouped($0.qty), Format.nonZero($0.received), Format.nonZero($0.cancelled),
             Format.nonZero($0.open), Format.nonZero($0.attached)]
        }, rowStyles: shown.map { $0.open == 0 ? .dim : nil }, state: state, total: po.lines.count, focused: focus == .lines,
           area: linesArea, buffer: &buffer, theme: ctx.theme, showPosition: false, emptyMessage: "No lines")
        y = linesArea.maxY
        guard y < area.maxY else { return }
        Draw.rule("Attached order lines", right: attachedRows == 0 ? "none" : "\(attachedRows)",
                  area: Rect(x: area.x, y: y, width: area.width, height: 1), focused: false, buffer: &buffer, ctx: ctx)
        y += 1
        let attachArea = Rect(x: area.x, y: y, width: area.width, height: max(0, area.maxY - y))
        let attachColumns = [
            TableColumn("PO ln", width: .fixed(5), alignment: .right),
            TableColumn("Order", width: .fixed(8)),
            TableColumn("Ln", width: .fixed(3), alignment: .right),
            TableColumn("Customer", width: .fill, minWidth: 8),
            TableColumn("Qty", width: .fixed(6), alignment: .right),
            TableColumn("Promise", width: .fixed(10)),
        ]
        let attached = po.attachments.prefix(max(0, attachArea.height - 1)).map { a -> [String] in
            let who = a.customerName.isEmpty ? a.customer : "\(a.customer) \(a.customerName)"
            return [String(a.poLine), a.order, String(a.orderLine), who, Format.grouped(a.qty), a.promise ?? "—"]
        }
        TerminalKit.Table.render(columns: attachColumns, rows: Array(attached), state: TableState(selected: -1), total: attached.count,
                                 focused: false, area: attachArea, buffer: &buffer, theme: ctx.theme, showPosition: false,
                                 emptyMessage: po.allowAttach ? "No order line is attached yet (auto reserve: u)" : "This PO takes no attachments")
    }

    private func renderSuggestions(_ area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let (title, table) = area.splitHorizontally(at: 1)
        suggestionsArea = table
        let units = suggestions.reduce(0) { $0 + $1.qty }
        let noVendor = suggestions.filter { $0.vendor == nil }.count
        let right = "\(suggestions.count) suggestion(s) · \(Format.grouped(units)) unit(s)" + (noVendor > 0 ? " · \(noVendor) without a vendor" : "")
            + " · " + TerminalKit.Table.positionText(state: suggestionState, total: suggestions.count)
        Draw.rule("Replenishment suggestions", right: right, area: title, buffer: &buffer, ctx: ctx)
        let wide = table.width >= 110
        var columns = [TableColumn("LIC", width: .fixed(12))]
        if wide { columns.append(TableColumn("Description", width: .fill, minWidth: 10)) }
        columns += [
            TableColumn("Loc", width: .fixed(5)),
            TableColumn("Vendor", width: wide ? .fixed(11) : .fill, minWidth: 6),
            TableColumn("BO", width: .fixed(5), alignment: .right),
            TableColumn("Min", width: .fixed(4), alignment: .right),
            TableColumn("Avail", width: .fixed(5), alignment: .right),
            TableColumn(wide ? "On order" : "On ord", width: .fixed(wide ? 8 : 6), alignment: .right),
            TableColumn(wide ? "Drafted" : "Draft", width: .fixed(wide ? 7 : 5), alignment: .right),
            TableColumn(wide ? "Multiple" : "Mult", width: .fixed(wide ? 8 : 4), alignment: .right),
            TableColumn(wide ? "Suggested" : "Sugg", width: .fixed(wide ? 9 : 5), alignment: .right),
        ]
        suggestionState.clamp(total: suggestions.count, visibleRows: max(1, table.height - 1))
        let shown = suggestions.dropFirst(suggestionState.offset).prefix(max(0, table.height - 1))
        let rows = shown.map { s -> [String] in
            var r = [s.lic]
            if wide { r.append(s.description) }
            r += [s.location, s.vendor ?? "none", Format.nonZero(s.backordered), Format.nonZero(s.minStock), Format.grouped(s.available),
                  Format.nonZero(s.onOrder), Format.nonZero(s.drafted), String(s.multiple), Format.grouped(s.qty)]
            return r
        }
        TerminalKit.Table.render(columns: columns, rows: rows, rowStyles: shown.map { $0.vendor == nil ? .dim : nil },
                                 state: suggestionState, total: suggestions.count, focused: true, area: table, buffer: &buffer,
                                 theme: ctx.theme, showPosition: false,
                                 emptyMessage: "Nothing to order: stock, open POs and drafts cover every backorder and minimum")
        Draw.tint(column: columns.count - 1, roles: shown.map { _ in .title }, columns: columns, area: table, state: suggestionState,
                  buffer: &buffer, ctx: ctx)
    }
}
