import BackorderApp
import BackorderCore
import TerminalKit

/// 2 Backorders — aACE "Find Back Ordered Items": every line with unmet need, paged, sorted
/// by age, priority, LIC or customer, filtered by `/`; Enter opens the order.
final class BackordersScreen: Screen {
    let id = ScreenID.backorders

    private(set) var list = PagedList<BackorderLine>(key: \.lineID)
    private(set) var sort = BackorderSort.age
    private var listFilter = ListFilter()
    var filter: String { listFilter.text }
    private var units = 0
    private var tableArea = Rect(x: 0, y: 0, width: 0, height: 0)

    var capturesText: Bool { listFilter.isEditing }

    private func source(_ ctx: AppContext) -> PageSource<BackorderLine> {
        let desk = ctx.desk, f = filter, s = sort
        return PageSource(count: { try desk.backorderCount(sort: s, filter: f) },
                          page: { try desk.backorderPage(sort: s, filter: f, anchor: $0, limit: $1) },
                          position: { try desk.backorderPosition(sort: s, filter: f, lineID: $0) })
    }

    /// Selects a line by id wherever it is in the list (the bench's middle page).
    func select(lineID: Int64, ctx: AppContext) throws {
        try list.select(id: lineID, source(ctx))
    }

    func reload(_ ctx: AppContext) throws {
        try list.reload(source(ctx))
        units = try ctx.desk.backorderUnits(filter: filter)
    }

    func fit(body: Rect, ctx: AppContext) throws {
        try list.setVisibleRows(TerminalKit.Table.visibleRows(in: body.inset(top: 1)), source(ctx))
    }

    enum Action { case open, why, sort, filter }

    func keys(_ ctx: AppContext) -> KeyTable<Action> {
        let none = list.selected == nil ? "no line is selected" : nil
        return KeyTable("Backorders", [
            KeyBinding(.enter, .open, label: "Open order", help: "Show the selected line's order on the Orders screen, with the line selected",
                       disabledReason: none),
            KeyBinding(.char("w"), .why, label: "Why BO",
                       help: "Why is the selected line backordered: its place in the queue, the units ahead, waiting stock, POs, projected date",
                       disabledReason: none),
            KeyBinding(.char("s"), .sort, label: "Sort",
                       help: "Change the sort, in turn: age (oldest first), priority (highest first), LIC, customer — the title names the one in force"),
            KeyBinding(.char("/"), .filter, label: "Filter",
                       help: "Filter by order number, customer, LIC (code or description); a location's code (MAIN, EAST…) keeps that location's lines"),
        ])
    }

    func willShow(_ ctx: AppContext) {
        if listFilter.isEditing { listFilter.end() }
    }

    func footer(_ ctx: AppContext) -> [FooterItem] {
        listFilter.isEditing ? ListFilter.keys.footerItems : keys(ctx).footerItems
    }

    func help(_ ctx: AppContext) -> [HelpSection] {
        listFilter.isEditing ? [ListFilter.keys.helpSection] : [keys(ctx).helpSection, HelpSection(title: "Moving", entries: [
            HelpEntry(keys: "↑/↓", help: "Previous / next line"),
            HelpEntry(keys: "PgUp/PgDn", help: "Previous / next page (only the visible page is loaded)"),
            HelpEntry(keys: "Home/End", help: "First / last line"),
            HelpEntry(keys: "Mouse", help: "Click a line to select it; the wheel scrolls"),
        ]), HelpSection(title: "Columns", entries: [
            HelpEntry(keys: "BO", help: "Units backordered; W marks a whole-line backorder (ships nothing until all is allotted)"),
            HelpEntry(keys: "Age", help: "Days since the order was entered; older than 60 days shows highlighted"),
            HelpEntry(keys: "Loc", help: "The location whose stock the line waits for"),
            HelpEntry(keys: "Promise", help: "A date is the promise of the PO the line is attached to; ~date is a projection (open POs by expected date); a date before today is highlighted"),
        ])]
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        if listFilter.isEditing { return handleFilter(key, ctx: ctx) }
        if case .mouse(_, let y, .leftClick) = key, tableArea.contains(x: tableArea.x, y: y) {
            return Effect.attempt { _ = try list.click(y: y, area: tableArea, source(ctx)); return .redraw }
        }
        do {
            if try list.handle(key, source(ctx)) { return .redraw }
        } catch { return .error(error) }
        return dispatch(keys(ctx), key) { action in
            switch action {
            case .open:
                guard let l = list.selected else { return .redraw }
                return .openOrder(l.order, line: l.line)
            case .why:
                guard let l = list.selected else { return .redraw }
                return WhyModal.open(order: l.order, line: l.line, offersOrder: true, ctx: ctx)
            case .sort:
                let all = BackorderSort.allCases
                sort = all[(all.firstIndex(of: sort)! + 1) % all.count]
                // A new order of rows: the cursor goes to the top, not to where its row went.
                list = PagedList<BackorderLine>(key: \.lineID)
                return Effect.attempt {
                    try reload(ctx)
                    return .info("Sorted by \(sortTitle); s sorts by \(BackordersScreen.title(next(after: sort))) next.")
                }
            case .filter:
                listFilter.begin()
                return .redraw
            }
        }
    }

    private func handleFilter(_ key: Key, ctx: AppContext) -> Effect? {
        let (effect, mustReload) = listFilter.handle(key)
        guard mustReload else { return effect }
        return Effect.attempt { try reload(ctx); return effect ?? .redraw }
    }

    private var sortTitle: String { Self.title(sort) }

    static func title(_ sort: BackorderSort) -> String {
        switch sort {
        case .age: return "age, oldest first"
        case .priority: return "priority, highest first"
        case .lic: return "LIC"
        case .customer: return "customer"
        }
    }

    private func next(after s: BackorderSort) -> BackorderSort {
        let all = BackorderSort.allCases
        return all[(all.firstIndex(of: s)! + 1) % all.count]
    }

    func render(body: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let (title, table) = body.splitHorizontally(at: 1)
        tableArea = table
        let position = TerminalKit.Table.positionText(state: list.table, total: list.total)
        let filterNote = filter.isEmpty ? "" : "filter: \(filter) · "
        let room = title.width - 24
        let summary = [
            "\(filterNote)\(Format.grouped(list.total)) lines · \(Format.grouped(units)) units short · by \(sortTitle) · \(position)",
            "\(filterNote)\(Format.grouped(list.total)) lines · \(Format.grouped(units)) short · by \(sort.rawValue) · \(position)",
            "\(filterNote)\(Format.grouped(units)) short · \(position)",
        ].first { TextWidth.width(of: $0) <= room } ?? position
        if let field = listFilter.field {
            Draw.filterRule("Backordered items", field: field, right: position, area: title, buffer: &buffer, ctx: ctx)
        } else {
            Draw.rule("Backordered items", right: summary, area: title, buffer: &buffer, ctx: ctx)
        }
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
        TerminalKit.Table.render(columns: columns, rows: rows, state: list.table, total: list.total,
                                 focused: true, area: table, buffer: &buffer, theme: ctx.theme, showPosition: false,
                                 emptyMessage: filter.isEmpty ? "Nothing is backordered" : "No backordered line matches the filter")
        let bo = columns.firstIndex { $0.title == "BO" }!
        Draw.tint(column: bo, roles: list.rows.map { _ in .backordered }, columns: columns, area: table, state: list.table,
                  buffer: &buffer, ctx: ctx)
        Draw.tint(column: bo + 1, roles: list.rows.map { Format.age($0.enteredDay, today: today) > 60 ? .warning : nil },
                  columns: columns, area: table, state: list.table, buffer: &buffer, ctx: ctx)
        Draw.tint(column: columns.count - 1, roles: list.rows.map { Format.promiseRole($0.promise, projected: $0.projected, today: today) },
                  columns: columns, area: table, state: list.table, buffer: &buffer, ctx: ctx)
    }
}
