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
/// `a` adjust work from both. State and what the actions do; the key tables are in `+Keys`,
/// the drawing in `+Drawing`.
final class ItemsScreen: Screen {
    let id = ScreenID.items

    var pane = ListPane<LicListItem>(noun: "LIC", key: \.id)
    var list: PagedList<LicListItem> { pane.list }
    private(set) var location = DefaultLocation.code
    var filter: String { pane.filterText }
    /// The LIC being drilled into, with its balance and ledger (no lines: those are paged).
    private(set) var drill: LicView?
    /// The drill-down's open lines in allocation order (a list without a filter).
    var queuePane = ListPane<QueueRow>(noun: "line", key: \.lineID)
    var queue: PagedList<QueueRow> { queuePane.list }
    private(set) var stockForm: StockForm?

    var capturesText: Bool { pane.isFiltering || stockForm != nil }

    var unsavedWork: String? {
        guard let stockForm, stockForm.isDirty else { return nil }
        return stockForm.kind == .receive ? "the receipt you are typing" : "the adjustment you are typing"
    }

    func discardUnsavedWork() { stockForm = nil }

    /// By its key the screen comes up as the items list (a drill-down opened earlier is closed;
    /// the LIC stays selected, so Enter opens it again).
    func willShow(_ ctx: AppContext) {
        if let d = drill, let id = list.rows.first(where: { $0.code == d.lic })?.id {
            let s = source(ctx)
            try? pane.select(id: id, s)
        }
        drill = nil
        if stockForm?.isDirty != true { stockForm = nil }
        if pane.isFiltering { pane.endFilter() }
    }

    /// The LICs at the location, for the filter in force (the Desk reads its words).
    func source(_ ctx: AppContext) -> PageSource<LicListItem> {
        let desk = ctx.desk, f = filter, loc = location
        return PageSource(count: { try desk.licCount(location: loc, filter: f) },
                          page: { try desk.licPage(location: loc, filter: f, anchor: $0, limit: $1) },
                          position: { try desk.licPosition(location: loc, filter: f, id: $0) })
    }

    func queueSource(_ ctx: AppContext, lic: String) -> PageSource<QueueRow> {
        let desk = ctx.desk, loc = location
        return PageSource(count: { try desk.queueCount(lic: lic, location: loc) },
                          page: { try desk.queuePage(lic: lic, location: loc, anchor: $0, limit: $1).map { QueueRow(lineID: $0.lineID, entry: $0.entry) } },
                          position: { try desk.queuePosition(lic: lic, location: loc, lineID: $0) })
    }

    func reload(_ ctx: AppContext) throws {
        if !ctx.locations.isEmpty, !ctx.locations.contains(where: { $0.code == location }) { location = ctx.locations[0].code }
        try reloadList(ctx)
        if let d = drill {
            drill = try ctx.desk.lic(d.lic, location: location, lineLimit: 0, ledgerLimit: 50)
            let s = queueSource(ctx, lic: d.lic)
            try queuePane.reload(s)
        }
    }

    func reloadList(_ ctx: AppContext) throws {
        let s = source(ctx)
        try pane.reload(s)
    }

    /// Opens a LIC's drill-down at a location from another screen (Reports, Purchasing).
    func open(lic: String, location: String, ctx: AppContext) throws {
        if stockForm?.isDirty != true { stockForm = nil }
        if pane.isFiltering { pane.endFilter() }
        self.location = location.uppercased()
        try reloadList(ctx)
        try openDrill(lic, ctx: ctx)
    }

    /// Opens the demand drill-down of a LIC (Enter, or from another screen).
    func openDrill(_ lic: String, ctx: AppContext) throws {
        drill = try ctx.desk.lic(lic, location: location, lineLimit: 0, ledgerLimit: 50)
        queuePane.restart()
        let s = queueSource(ctx, lic: lic)
        try queuePane.reload(s)
    }

    // MARK: - Layout

    struct DrillParts { var head: Rect, queueTitle: Rect, queueTable: Rect, ledgerTitle: Rect, ledger: Rect }

    func drillParts(_ body: Rect, ledgerCount: Int) -> DrillParts {
        let ledgerRows = min(ledgerCount, max(2, body.height / 4 - 2))
        let r = body.rows([.fixed(3), .fixed(1), .fill, .fixed(1), .fixed(ledgerRows + 1)])
        return DrillParts(head: r[0], queueTitle: r[1], queueTable: r[2], ledgerTitle: r[3], ledger: r[4])
    }

    /// The body less the stock form at its foot.
    func content(_ body: Rect) -> Rect {
        stockForm == nil ? body : body.inset(bottom: StockForm.height)
    }

    func fit(body: Rect, ctx: AppContext) throws {
        if stockForm?.isDone == true { stockForm = nil }
        let area = content(body)
        if let d = drill {
            let p = drillParts(area, ledgerCount: d.ledger.count)
            let s = queueSource(ctx, lic: d.lic)
            try queuePane.fit(table: p.queueTable, s)
        } else {
            let s = source(ctx)
            try pane.fit(table: area.inset(top: 1), s)
        }
    }

    // MARK: - Keys and effects

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        if let stockForm {
            let e = stockForm.handle(key, ctx: ctx)
            if stockForm.isDone { self.stockForm = nil }
            return e
        }
        if pane.isFiltering { return afterFilter(pane.typeFilter(key)) { try reloadList(ctx) } }
        return dispatch(keys(ctx), key) { perform($0, key: key, ctx: ctx) }
    }

    private func perform(_ action: Action, key: Key, ctx: AppContext) -> Effect {
        switch action {
        case .move(let m):
            return Effect.attempt {
                if let d = drill {
                    let s = queueSource(ctx, lic: d.lic)
                    try queuePane.perform(m, key: key, s)
                } else {
                    let s = source(ctx)
                    try pane.perform(m, key: key, s)
                }
                return .redraw
            }
        case .drill:
            guard let item = list.selected else { return .redraw }
            return Effect.attempt { try openDrill(item.code, ctx: ctx); return .redraw }
        case .back:
            drill = nil
            return Effect.attempt { try reloadList(ctx); return .redraw }
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
                do { try reloadList(ctx) } catch { return .error(error) }
            }
            pane.beginFilter()
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
}
