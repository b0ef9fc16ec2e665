import BackorderApp
import BackorderCore
import TerminalKit

/// How the Orders screen looks: the list (orders or shipments to ship), then the selected
/// order's header, lines, shipments and record log.
extension OrdersScreen {

    func render(body: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        if let entry {
            entry.render(body: body, buffer: &buffer, ctx: ctx)
            return
        }
        let p = parts(body)
        if mode == .toShip { renderToShip(p, buffer: &buffer, ctx: ctx) } else { renderList(p, buffer: &buffer, ctx: ctx) }
        renderDetail(p.detail, buffer: &buffer, ctx: ctx)
    }

    func renderList(_ p: Parts, buffer: inout ScreenBuffer, ctx: AppContext) {
        pane.drawTitle("Orders", area: p.listTitle, focused: focus == .list, buffer: &buffer, ctx: ctx)
        // Narrow (side by side at 120 columns): fewer, shorter columns; the customer keeps room.
        let narrow = p.listTable.width < 64
        var columns = [
            TableColumn("Number", width: .fixed(8)),
            TableColumn("Status", width: .fixed(9)),
            TableColumn("Customer", width: .fill, minWidth: 10),
            TableColumn("Pri", width: .fixed(3), alignment: .right),
        ]
        if !narrow { columns.append(TableColumn("Lines", width: .fixed(5), alignment: .right)) }
        columns += [
            TableColumn("BO", width: .fixed(3), alignment: .right),
            TableColumn(narrow ? "Date" : "Entered", width: .fixed(narrow ? 5 : 10)),
        ]
        if !narrow { columns.append(TableColumn("Loc", width: .fixed(5))) }
        let customerWidth = TerminalKit.Table.columnWidths(columns, totalWidth: p.listTable.width)[2]
        let rows = list.rows.map { o -> [String] in
            // The code, and the name when there is room for it.
            let customer = customerWidth >= 24 ? TextWidth.pad(o.customer, toWidth: 14) + " " + o.customerName : o.customer
            var r = [o.number, o.status.rawValue, customer, String(o.priority)]
            if !narrow { r.append(String(o.lines)) }
            r += [Format.nonZero(o.boLines), narrow ? String(o.enteredDay.dropFirst(5)) : o.enteredDay]
            if !narrow { r.append(o.location) }
            return r
        }
        let styles: [ThemeRole?] = list.rows.map { $0.status.isFinished ? .dim : nil }
        pane.drawTable(columns: columns, rows: rows, rowStyles: styles, focused: focus == .list, area: p.listTable,
                       empty: "No orders yet: press n to enter one", noMatch: "No orders match the filter", buffer: &buffer, ctx: ctx)
        let statusRoles: [ThemeRole?] = list.rows.map { o in
            switch o.status {
            case .backorder: return .backordered
            case .open: return .good
            case .invoiced: return .title
            case .closed, .cancelled, .void: return nil
            }
        }
        Draw.tint(column: 1, roles: statusRoles, columns: columns, area: p.listTable, state: list.table, buffer: &buffer, ctx: ctx)
        let boColumn = columns.firstIndex { $0.title == "BO" }!
        Draw.tint(column: boColumn, roles: list.rows.map { $0.boLines > 0 ? .backordered : nil }, columns: columns,
                  area: p.listTable, state: list.table, buffer: &buffer, ctx: ctx)
    }

    func renderDetail(_ area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        guard area.height >= 3 else { return }
        guard let o = detail else {
            Draw.rule("Order", area: area, focused: false, buffer: &buffer, ctx: ctx)
            Draw.centered(detailError ?? "Select an order to see its lines, shipments and log", in: area.inset(top: 1), buffer: &buffer, ctx: ctx)
            shipmentsArea = Rect(x: 0, y: 0, width: 0, height: 0)
            return
        }
        let statusRole: ThemeRole = o.status == .backorder ? .backordered : (o.status.isFinished ? .dim : .good)
        Draw.rule("Order \(o.number)", right: o.policy.label, area: area, focused: focus != .list,
                  buffer: &buffer, ctx: ctx)
        var info: [(String, ThemeRole)] = [(o.customer, .title), (" " + o.customerName, .normal)]
        info.append((" · ", .dim))
        info.append((o.status.rawValue, statusRole))
        info.append((" · pri \(o.priority) · \(o.policy.rawValue) · \(o.location) · \(o.enteredDay) by \(o.enteredBy)", .dim))
        if let parent = o.parent { info.append((" · suborder of \(parent)", .dim)) }
        if let s = o.scheduleDate { info.append((" · schedule \(s)", .dim)) }
        if o.prepaidCents > 0 { info.append((" · prepaid \(Format.money(o.prepaidCents))", .dim)) }
        Draw.spans(info, at: area, row: 1, x: 1, buffer: &buffer, ctx: ctx)

        // Share the rows: lines first, then shipments, then the log gets what is left.
        let avail = area.height - 2
        let lineCount = o.lines.count, shipCount = o.shipments.count
        var lineRows = lineCount
        var shipRows = shipCount
        // Lines first; shipments down to one row, then the lines, before the log goes below one row.
        func used() -> Int { 1 + lineRows + 1 + shipRows + 2 }
        while used() > avail && shipRows > 1 { shipRows -= 1 }
        while used() > avail && lineRows > 1 { lineRows -= 1 }
        var y = area.y + 2

        let linesArea = Rect(x: area.x, y: y, width: area.width, height: min(1 + lineRows, area.maxY - y))
        renderLines(o, area: linesArea, rows: lineRows, buffer: &buffer, ctx: ctx)
        y = linesArea.maxY
        guard y < area.maxY else { return }

        let shipRight = shipCount == 0 ? "none" : "\(shipCount)"
        Draw.rule("Shipments", right: shipRight, area: Rect(x: area.x, y: y, width: area.width, height: 1),
                  focused: focus == .shipments, buffer: &buffer, ctx: ctx)
        y += 1
        shipmentsArea = Rect(x: area.x, y: y, width: area.width, height: min(shipRows, max(0, area.maxY - y)))
        renderShipments(o, buffer: &buffer, ctx: ctx)
        y = shipmentsArea.maxY
        guard y < area.maxY else { return }

        // The log, newest at the bottom, long sentences wrapped under themselves.
        let logArea = Rect(x: area.x, y: y + 1, width: area.width, height: max(0, area.maxY - y - 1))
        let prefixWidth = 11 + 2 + 10
        let messageWidth = max(12, logArea.width - 1 - prefixWidth)
        var lines: [(prefix: String, text: String, role: ThemeRole)] = []
        for e in log {
            let when = String(e.at.dropFirst(5).prefix(11))
            for (i, text) in TextWidth.wrap(e.message, width: messageWidth).enumerated() {
                lines.append((i == 0 ? when + "  " + TextWidth.pad(e.actor, toWidth: 9) + " " : "", text, logRole(e.kind)))
            }
        }
        logLines = lines.count
        logBack = min(logBack, max(0, lines.count - 1))
        let end = lines.count - logBack
        var first = max(0, end - logArea.height)
        // Start at a whole entry, not the tail of one.
        while first > 0 && first < end && lines[first].prefix.isEmpty { first += 1 }
        // The keys that scroll it, when it runs long, from the focused pane's table: none in the
        // list, where PgUp/PgDn page the orders.
        let scrollKeys = first > 0 || logBack > 0 ? logScrollKeys(ctx) : nil
        let right = log.isEmpty ? "empty" : (scrollKeys.map { "\($0) · " } ?? "") + "\(log.count) entries"
        Draw.rule("Record log", right: right, area: Rect(x: area.x, y: y, width: area.width, height: 1), focused: false,
                  buffer: &buffer, ctx: ctx)
        for (row, line) in lines[first..<max(first, end)].enumerated() where row < logArea.height {
            Draw.text(line.prefix, at: logArea, row: row, x: 1, role: .dim, buffer: &buffer, ctx: ctx)
            Draw.text(line.text, at: logArea, row: row, x: 1 + prefixWidth, role: line.role, buffer: &buffer, ctx: ctx)
        }
    }

    func logRole(_ kind: String) -> ThemeRole {
        switch kind {
        case "preempt", "cancel", "void", "shipment-reduced": return .warning
        case "allot", "ship": return .good
        default: return .normal
        }
    }

    func renderLines(_ o: OrderView, area: Rect, rows: Int, buffer: inout ScreenBuffer, ctx: AppContext) {
        let wide = area.width >= 78
        var columns = [
            TableColumn("Ln", width: .fixed(3), alignment: .right),
            TableColumn("LIC", width: .fixed(12)),
        ]
        if wide { columns.append(TableColumn("Description", width: .fill, minWidth: 8)) }
        columns += [
            TableColumn("Ordered", width: .fixed(7), alignment: .right),
            TableColumn("Allot", width: .fixed(6), alignment: .right),
            TableColumn("Ship", width: .fixed(6), alignment: .right),
            TableColumn("Canc", width: .fixed(5), alignment: .right),
            TableColumn("BO", width: .fixed(9), alignment: .right),
            TableColumn("Promise", width: wide ? .fixed(11) : .fill, minWidth: 7),
        ]
        linesArea = area
        lineRowsShown = max(1, rows)
        lineState.clamp(total: o.lines.count, visibleRows: lineRowsShown)
        let state = focus == .lines ? lineState : TableState(selected: -1, offset: lineState.offset)
        let shown = Array(o.lines.dropFirst(state.offset).prefix(rows))
        let cells = shown.map { l -> [String] in
            var r = [String(l.line), l.lic]
            if wide { r.append(l.inventoried ? l.description : l.description + " (service)") }
            let bo = l.bo ? Format.grouped(l.remaining - l.allotted) + (l.wholeLine ? " whole" : "") : ""
            r += [Format.grouped(l.ordered), Format.nonZero(l.allotted), Format.nonZero(l.shipped), Format.nonZero(l.cancelled),
                  bo, Format.promise(l.promise, projected: l.projected, today: ctx.today, wide: wide)]
            return r
        }
        let styles: [ThemeRole?] = shown.map { $0.remaining == 0 && $0.allotted == 0 ? .dim : nil }
        TerminalKit.Table.render(columns: columns, rows: cells, rowStyles: styles, state: state,
                                 total: o.lines.count, focused: focus == .lines, area: area, buffer: &buffer, theme: ctx.theme,
                                 showPosition: false, emptyMessage: "No lines")
        let allot = columns.firstIndex { $0.title == "Allot" }!
        Draw.tint(column: allot, roles: shown.map { $0.allotted > 0 ? .allotted : nil }, columns: columns, area: area, state: state,
                  buffer: &buffer, ctx: ctx)
        let bo = columns.firstIndex { $0.title == "BO" }!
        Draw.tint(column: bo, roles: shown.map { $0.bo ? .backordered : nil }, columns: columns, area: area, state: state,
                  buffer: &buffer, ctx: ctx)
        Draw.tint(column: columns.count - 1, roles: shown.map { Format.promiseRole($0.promise, projected: $0.projected, today: ctx.today) },
                  columns: columns, area: area, state: state, buffer: &buffer, ctx: ctx)
        if o.lines.count > rows, area.height > 0 {
            let more = focus == .lines ? " \(lineState.selected + 1)/\(o.lines.count) " : " +\(o.lines.count - rows) more (Tab) "
            buffer.put(more, x: area.maxX - TextWidth.width(of: more) - 1, y: area.y, style: ctx.style(.columnHeader))
        }
    }

    func renderShipments(_ o: OrderView, buffer: inout ScreenBuffer, ctx: AppContext) {
        let area = shipmentsArea
        guard !area.isEmpty else { return }
        shipmentState.clamp(total: o.shipments.count, visibleRows: area.height)
        for (row, s) in o.shipments.dropFirst(shipmentState.offset).prefix(area.height).enumerated() {
            let index = shipmentState.offset + row
            let selected = focus == .shipments && index == shipmentState.selected
            let role: ThemeRole
            switch s.status {
            case .picked: role = .frozen
            case .shipped, .cancelled: role = .dim
            case .pending: role = .normal
            }
            let y = area.y + row
            let style = selected ? ctx.style(.selection) : ctx.style(role)
            buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style)
            let items = s.items.map { "line \($0.line) × \(Format.grouped($0.qty))" }.joined(separator: ", ")
            let text = " #" + TextWidth.pad(String(s.id), toWidth: 6) + TextWidth.pad(s.status.rawValue, toWidth: 10)
                + TextWidth.pad(Format.minute(s.createdAt), toWidth: 18) + items
            buffer.put(text, x: area.x, y: y, style: style, maxWidth: area.width)
        }
    }

    /// The pending and picked shipments, oldest first, in place of the order list.
    func renderToShip(_ p: Parts, buffer: inout ScreenBuffer, ctx: AppContext) {
        let position = TerminalKit.Table.positionText(state: toShip.table, total: toShip.total)
        Draw.rule("Shipments to pick and ship", right: "oldest first · " + position, area: p.listTitle, focused: true,
                  buffer: &buffer, ctx: ctx)
        let narrow = p.listTable.width < 64
        var columns = [
            TableColumn("Ship", width: .fixed(6), alignment: .right),
            TableColumn("Status", width: .fixed(7)),
            TableColumn("Order", width: .fixed(8)),
            TableColumn("Customer", width: .fill, minWidth: 8),
        ]
        if !narrow { columns.append(TableColumn("Loc", width: .fixed(5))) }
        columns += [
            TableColumn("Units", width: .fixed(6), alignment: .right),
            TableColumn(narrow ? "Made" : "Created", width: .fixed(narrow ? 5 : 11)),
        ]
        let customerWidth = TerminalKit.Table.columnWidths(columns, totalWidth: p.listTable.width)[3]
        let rows = toShip.rows.map { s -> [String] in
            let customer = customerWidth >= 24 ? TextWidth.pad(s.customer, toWidth: 14) + " " + s.customerName : s.customer
            var r = [String(s.id), s.status.rawValue, s.order, customer]
            if !narrow { r.append(s.location) }
            r += [Format.grouped(s.units), narrow ? String(s.createdAt.dropFirst(5).prefix(5)) : String(s.createdAt.dropFirst(5).prefix(11))]
            return r
        }
        let none = "No shipment waits to be picked or shipped"
        toShipPane.drawTable(columns: columns, rows: rows, area: p.listTable, empty: none, noMatch: none, buffer: &buffer, ctx: ctx)
        Draw.tint(column: 1, roles: toShip.rows.map { $0.status == .picked ? .frozen : nil }, columns: columns,
                  area: p.listTable, state: toShip.table, buffer: &buffer, ctx: ctx)
    }
}
