import BackorderApp
import BackorderCore
import TerminalKit

/// 2 Backorders — aACE "Find Back Ordered Items": every line with unmet need, paged, sorted
/// by age, priority, LIC or customer, filtered by `/`; Enter opens the order. State and what
/// the actions do; the key table is in `+Keys`, the drawing in `+Drawing`.
final class BackordersScreen: Screen {
    let id = ScreenID.backorders

    var pane = ListPane<BackorderLine>(noun: "line", key: \.lineID)
    var list: PagedList<BackorderLine> { pane.list }
    private(set) var sort = BackorderSort.age
    var filter: String { pane.filterText }
    private(set) var units = 0

    var capturesText: Bool { pane.isFiltering }

    /// The lines for the sort and filter in force (the Desk reads the filter's words).
    func source(_ ctx: AppContext) -> PageSource<BackorderLine> {
        let desk = ctx.desk, f = filter, s = sort
        return PageSource(count: { try desk.backorderCount(sort: s, filter: f) },
                          page: { try desk.backorderPage(sort: s, filter: f, anchor: $0, limit: $1) },
                          position: { try desk.backorderPosition(sort: s, filter: f, lineID: $0) })
    }

    /// Selects a line by id wherever it is in the list (the bench's middle page).
    func select(lineID: Int64, ctx: AppContext) throws {
        let s = source(ctx)
        try pane.select(id: lineID, s)
    }

    func reload(_ ctx: AppContext) throws {
        let s = source(ctx)
        try pane.reload(s)
        units = try ctx.desk.backorderUnits(filter: filter)
    }

    func fit(body: Rect, ctx: AppContext) throws {
        let s = source(ctx)
        try pane.fit(table: body.inset(top: 1), s)
    }

    func willShow(_ ctx: AppContext) {
        if pane.isFiltering { pane.endFilter() }
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        if pane.isFiltering { return afterFilter(pane.typeFilter(key)) { try reload(ctx) } }
        return dispatch(keys(ctx), key) { perform($0, key: key, ctx: ctx) }
    }

    private func perform(_ action: Action, key: Key, ctx: AppContext) -> Effect {
        switch action {
        case .move(let m):
            let s = source(ctx)
            return Effect.attempt { try pane.perform(m, key: key, s); return .redraw }
        case .open:
            guard let l = list.selected else { return .redraw }
            return .openOrder(l.order, line: l.line)
        case .why:
            guard let l = list.selected else { return .redraw }
            return WhyModal.open(order: l.order, line: l.line, offersOrder: true, ctx: ctx)
        case .sort:
            sort = Self.next(after: sort)
            // A new order of rows: the cursor goes to the top, not to where its row went.
            pane.restart()
            return Effect.attempt {
                try reload(ctx)
                return .info("Sorted by \(sortTitle); s sorts by \(BackordersScreen.title(Self.next(after: sort))) next.")
            }
        case .filter:
            pane.beginFilter()
            return .redraw
        }
    }

    var sortTitle: String { Self.title(sort) }

    static func title(_ sort: BackorderSort) -> String {
        switch sort {
        case .age: return "age, oldest first"
        case .priority: return "priority, highest first"
        case .lic: return "LIC"
        case .customer: return "customer"
        }
    }

    static func next(after s: BackorderSort) -> BackorderSort {
        let all = BackorderSort.allCases
        return all[(all.firstIndex(of: s)! + 1) % all.count]
    }
}
