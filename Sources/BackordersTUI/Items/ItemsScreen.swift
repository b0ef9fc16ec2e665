import BackorderApp
import BackorderCore
import TerminalKit

/// One open line of a LIC's queue, as the drill-down pages it.
struct QueueRow {
    var lineID: Int64
    var entry: LicView.Entry
}

/// 3 Items: every LIC with its figures at a location (switchable); Enter opens the demand
/// drill-down — every open line in allocation order, and the recent ledger. `r` receive and
/// `a` adjust work from both.
final class ItemsScreen: Screen {
    let id = ScreenID.items

    private(set) var list = PagedList<LicListItem>(key: \.id)
    private(set) var location = "MAIN"
    private var listFilter = ListFilter()
    var filter: String { listFilter.text }
    /// The LIC being drilled into, with its balance and ledger (no lines: those are paged).
    private(set) var drill: LicView?
    private(set) var queue = PagedList<QueueRow>(key: \.lineID)
    private var stockForm: StockForm?
    private var tableArea = Rect(x: 0, y: 0, width: 0, height: 0)

    var capturesText: Bool { listFilter.isEditing || stockForm != nil }

    var unsavedWork: String? {
        guard let stockForm, stockForm.isDirty else { return nil }
        return stockForm.kind == .receive ? "the receipt you are typing" : "the adjustment you are typing"
    }

    func discardUnsavedWork() { stockForm = nil }

    /// By its key the screen comes up as the items list (a drill-down opened earlier is closed;
    /// the LIC stays selected, so Enter opens it again).
    func willShow(_ ctx: AppContext) {
        if let d = drill, let id = list.rows.first(where: { $0.code == d.lic })?.id {
            try? list.select(id: id, source(ctx))
        }
        drill = nil
        if stockForm?.isDirty != true { stockForm = nil }
        if listFilter.isEditing { listFilter.end() }
    }

    private func source(_ ctx: AppContext) -> PageSource<LicListItem> {
        let desk = ctx.desk, f = filter, loc = location
        return PageSource(count: { try desk.licCount(location: loc, filter: f) },
                          page: { try desk.licPage(location: loc, filter: f, anchor: $0, limit: $1) },
                          position: { try desk.licPosition(location: loc, filter: f, id: $0) })
    }

    private func queueSource(_ ctx: AppContext, lic: String) -> PageSource<QueueRow> {
        let desk = ctx.desk, loc = location
        return PageSource(count: { try desk.queueCount(lic: lic, location: loc) },
                          page: { try desk.queuePage(lic: lic, location: loc, anchor: $0, limit: $1).map { QueueRow(lineID: $0.lineID, entry: $0.entry) } },
                          position: { try desk.queuePosition(lic: lic, location: loc, lineID: $0) })
    }

    func reload(_ ctx: AppContext) throws {
        if !ctx.locations.isEmpty, !ctx.locations.contains(where: { $0.code == location }) { location = ctx.locations[0].code }
        try list.reload(source(ctx))
        if let d = drill {
            drill = try ctx.desk.lic(d.lic, location: location, lineLimit: 0, ledgerLimit: 50)
            try queue.reload(queueSource(ctx, lic: d.lic))
        }
    }

    /// Opens the demand drill-down of a LIC (Enter, or from another screen).
    /// Opens a LIC's drill-down at a location from another screen (Reports, Purchasing).
    func open(lic: String, location: String, ctx: AppContext) throws {
        if stockForm?.isDirty != true { stockForm = nil }
        if listFilter.isEditing { listFilter.end() }
        self.location = location.uppercased()
        try list.reload(source(ctx))
        try openDrill(lic, ctx: ctx)
    }

    func openDrill(_ lic: String, ctx: AppContext) throws {
        drill = try ctx.desk.lic(lic, location: location, lineLimit: 0, ledgerLimit: 50)
        queue = PagedList<QueueRow>(key: \.lineID)
        try queue.reload(queueSource(ctx, lic: lic))
    }

    private struct DrillParts { var head: Rect, queueTitle: Rect, queueTable: Rect, ledgerTitle: Rect, ledger: Rect }

    private func drillParts(_ body: Rect, ledgerCount: Int) -> DrillParts {
        let ledgerRows = min(ledgerCount, max(2, body.height / 4 - 2))
        let r = body.rows([.fixed(3), .fixed(1), .fill, .fixed(1), .fixed(ledgerRows + 1)])
        return DrillParts(head: r[0], queueTitle: r[1], queueTable: r[2], ledgerTitle: r[3], ledger: r[4])
    }

    private func content(_ body: Rect) -> Rect {
        stockForm == nil ? body : body.inset(bottom: StockForm.height)
    }

    func fit(body: Rect, ctx: AppContext) throws {
        if stockForm?.isDone == true { stockForm = nil }
        let area = content(body)
        if let d = drill {
            let p = drillParts(area, ledgerCount: d.ledger.count)
            try queue.setVisibleRows(TerminalKit.Table.visibleRows(in: p.queueTable), queueSource(ctx, lic: d.lic))
        } else {
            try list.setVisibleRows(TerminalKit.Table.visibleRows(in: area.inset(top: 1)), source(ctx))
        }
    }

    // MARK: - Keys

    enum Action { case drill, back, openOrder, why, location, filter, receive, adjust }

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
            ])
        }
        return KeyTable("Items", [
            KeyBinding(.enter, .drill, label: "Demand", help: "Open the demand drill-down: every open line in allocation order, and the ledger",
                       disabledReason: noLIC),
            KeyBinding(.char("l"), .location, label: "Location", help: "Show the figures at the next location",
                       disabledReason: ctx.locations.count < 2 ? "there is only one location" : nil),
            KeyBinding(.char("/"), .filter, label: "Filter", help: "Filter by LIC code or description"),
            receive, adjust,
        ])
    }

    func footer(_ ctx: AppContext) -> [FooterItem] {
        if let stockForm { return stockForm.keys.footerItems }
        if listFilter.isEditing { return ListFilter.keys.footerItems }
        return keys(ctx).footerItems
    }

    func help(_ ctx: AppContext) -> [HelpSection] {
        if let stockForm { return [stockForm.keys.helpSection] }
        if listFilter.isEditing { return [ListFilter.keys.helpSection] }
        return [keys(ctx).helpSection, HelpSection(title: "Columns", entries: [
            HelpEntry(keys: "Avail", help: "On hand − allotted"),
            HelpEntry(keys: "Demand", help: "What open lines still need (ordered − cancelled − shipped)"),
            HelpEntry(keys: "BO", help: "Backordered: demand − allotted"),
            HelpEntry(keys: "State", help: "allotted: fully allotted; held: allotted but waiting for the rest (whole-line or ship-complete); waiting: needs stock"),
            HelpEntry(keys: "Cum", help: "Cumulative need up to this line, in allocation order"),
        ])]
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        if let stockForm {
            let e = stockForm.handle(key, ctx: ctx)
            if stockForm.isDone { self.stockForm = nil }
            return e
        }
        if listFilter.isEditing { return handleFilter(key, ctx: ctx) }
        do {
            if let d = drill {
                if case .mouse(_, let y, .leftClick) = key, try queue.click(y: y, area: tableArea, queueSource(ctx, lic: d.lic)) { return .redraw }
                if try queue.handle(key, queueSource(ctx, lic: d.lic)) { return .redraw }
            } else {
                if case .mouse(_, let y, .leftClick) = key, try list.click(y: y, area: tableArea, source(ctx)) { return .redraw }
                if try list.handle(key, source(ctx)) { return .redraw }
            }
        } catch { return .error(error) }
        return dispatch(keys(ctx), key) { perform($0, ctx: ctx) }
    }

    private func perform(_ action: Action, ctx: AppContext) -> Effect {
        switch action {
        case .drill:
            guard let item = list.selected else { return .redraw }
            return Effect.attempt { try openDrill(item.code, ctx: ctx); return .redraw }
        case .back:
            drill = nil
            return Effect.attempt { try list.reload(source(ctx)); return .redraw }
        case .openOrder:
            guard let row = queue.selected else { return .redraw }
            return .openOrder(row.entry.order, line: row.entry.line)
        case .why:
            guard let row = queue.selected else { return .redraw }
            return WhyModal.open(order: row.entry.order, line: row.entry.line, offersOrder: true, ctx: ctx)
        case .location:
            let codes = ctx.locations.map(\.code)
            let i = codes.firstIndex(of: location) ?? 0
            location = codes[(i + 1) % codes.count]
            return Effect.attempt { try reload(ctx); return .info("Figures at \(location).") }
        case .filter:
            if drill != nil {
                drill = nil
                do { try list.reload(source(ctx)) } catch { return .error(error) }
            }
            listFilter.begin()
            return .redraw
        case .receive, .adjust:
            let lic = drill?.lic ?? list.selected?.code ?? ""
            let onHand = drill?.balance.onHand ?? list.selected?.balance.onHand ?? 0
            let poLines = action == .receive ? ((try? ctx.desk.openPOLines(lic: lic, location: location)) ?? []) : []
            stockForm = StockForm(kind: action == .receive ? .receive : .adjust, lic: lic, location: location, onHand: onHand,
                                  poLines: poLines)
            return .redraw
        }
    }

    private func handleFilter(_ key: Key, ctx: AppContext) -> Effect? {
        let (effect, mustReload) = listFilter.handle(key)
        guard mustReload else { return effect }
        return Effect.attempt { try list.reload(source(ctx)); return effect ?? .redraw }
    }

    // MARK: - Drawing

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

    private func renderList(_ area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let (title, table) = area.splitHorizontally(at: 1)
        tableArea = table
        let position = TerminalKit.Table.positionText(state: list.table, total: list.total)
        let locationName = ctx.locations.first { $0.code == location }?.name ?? ""
        if let field = listFilter.field {
            Draw.filterRule("Items at \(location)", field: field, right: position, area: title, buffer: &buffer, ctx: ctx)
        } else {
            let right = (filter.isEmpty ? "" : "filter: \(filter) · ") + position
            Draw.rule("Items at \(location)" + (locationName.isEmpty ? "" : " · \(locationName)"), right: right, area: title,
                      buffer: &buffer, ctx: ctx)
        }
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
        TerminalKit.Table.render(columns: columns, rows: rows, rowStyles: list.rows.map { $0.inventoried ? nil : .dim },
                                 state: list.table, total: list.total,
                                 focused: true, area: table, buffer: &buffer, theme: ctx.theme, showPosition: false,
                                 emptyMessage: filter.isEmpty ? "No LICs yet" : "No LIC matches the filter")
        Draw.tint(column: 4, roles: list.rows.map { $0.inventoried && $0.balance.available < $0.minStock ? .warning : nil },
                  columns: columns, area: table, state: list.table, buffer: &buffer, ctx: ctx)
        Draw.tint(column: 6, roles: list.rows.map { $0.balance.backordered > 0 ? .backordered : nil },
                  columns: columns, area: table, state: list.table, buffer: &buffer, ctx: ctx)
    }

    private func renderDrill(_ d: LicView, area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
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
        tableArea = p.queueTable
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
        TerminalKit.Table.render(columns: columns, rows: rows, state: queue.table, total: queue.total,
                                 focused: true, area: p.queueTable, buffer: &buffer, theme: ctx.theme, showPosition: false,
                                 emptyMessage: "No open lines: nothing is waiting for \(d.lic) here")
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
            [Format.minute(g.at), g.kind, (g.qty > 0 ? "+" : "") + Format.grouped(g.qty), g.order ?? "", g.actor, g.reason]
        }
        TerminalKit.Table.render(columns: ledgerColumns, rows: Array(ledgerRows), state: TableState(selected: -1),
                                 total: ledgerRows.count, focused: false, area: p.ledger, buffer: &buffer, theme: ctx.theme,
                                 showPosition: false, emptyMessage: "No stock movements")
    }
}
