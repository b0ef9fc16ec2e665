import BackorderApp
import BackorderCore
import TerminalKit

/// 4 Purchasing: the purchase orders (newest first, paged, filtered by status) with the selected
/// PO's lines and the order lines attached to each; a new PO (`n`), approve a draft, receive
/// against a PO line, close a PO; the replenishment suggestions (`s`) and generating drafts from
/// them (`g`); the auto reserve utility (`u`). Clerks see it all and may receive; the rest needs a
/// supervisor, and says so. State and what the actions do; the key tables are in `+Keys`, the
/// drawing in `+Drawing`.
final class PurchasingScreen: Screen {
    let id = ScreenID.purchasing

    enum Focus { case list, lines }
    enum Mode { case orders, suggestions }

    /// The purchase orders, with the `/` filter (and `f`'s statuses).
    var pane = ListPane<PurchaseOrderListItem>(noun: "purchase order", key: \.id)
    var list: PagedList<PurchaseOrderListItem> { pane.list }
    var filter: String { pane.filterText }
    private(set) var mode = Mode.orders
    private(set) var focus = Focus.list
    private(set) var detail: PurchaseOrderView?
    var lineState = TableState()
    private(set) var suggestions: [Desk.ReplenishmentSuggestion] = []
    var suggestionState = TableState()
    private(set) var form: PurchaseOrderForm?
    private(set) var stockForm: StockForm?
    var linesArea = Rect(x: 0, y: 0, width: 0, height: 0)
    var suggestionsArea = Rect(x: 0, y: 0, width: 0, height: 0)
    var visibleSuggestions = 10

    /// The statuses `f` steps through.
    static let statusFilters = [""] + PurchaseOrderStatus.allCases.map(\.rawValue)

    var capturesText: Bool { pane.isFiltering || form != nil || stockForm != nil }

    var unsavedWork: String? {
        if let form, form.isDirty { return "the purchase order you are typing" }
        if let stockForm, stockForm.isDirty { return "the receipt you are typing" }
        return nil
    }

    func discardUnsavedWork() {
        form = nil
        stockForm = nil
    }

    func willShow(_ ctx: AppContext) {
        if form?.isDirty != true { form = nil }
        if stockForm?.isDirty != true { stockForm = nil }
        if pane.isFiltering { pane.endFilter() }
        if mode == .suggestions { mode = .orders }
        focus = .list
    }

    func source(_ ctx: AppContext) -> PageSource<PurchaseOrderListItem> {
        let desk = ctx.desk, f = filter
        return PageSource(count: { try desk.purchaseOrderCount(filter: f) },
                          page: { try desk.purchaseOrderPage(filter: f, anchor: $0, limit: $1) },
                          position: { try desk.purchaseOrderPosition(filter: f, id: $0) })
    }

    func reload(_ ctx: AppContext) throws {
        let s = source(ctx)
        try pane.reload(s)
        try loadDetail(ctx, force: true)
        if mode == .suggestions { suggestions = try ctx.desk.replenishmentSuggestions() }
    }

    /// Shows a PO (after it was made, or from another screen).
    func open(po number: String, ctx: AppContext) throws {
        if form?.isDirty != true { form = nil }
        mode = .orders
        guard let item = try ctx.desk.purchaseOrderPage(filter: number, anchor: .first, limit: 50).first(where: { $0.number == number }) else { return }
        if try ctx.desk.purchaseOrderPosition(filter: filter, id: item.id) == nil { pane.setFilter("") }
        let s = source(ctx)
        try pane.select(id: item.id, s)
        focus = .list
        try loadDetail(ctx, force: true)
    }

    func loadDetail(_ ctx: AppContext, force: Bool) throws {
        guard let selected = list.selected else { detail = nil; return }
        guard force || detail?.number != selected.number else { return }
        if detail?.number != selected.number { lineState = TableState() }
        detail = try ctx.desk.purchaseOrder(selected.number)
    }

    // MARK: - Layout

    struct Parts { var listTitle: Rect, listTable: Rect, detail: Rect }

    func parts(_ body: Rect) -> Parts {
        let area = content(body)
        let panes = Layout.panes(Size(width: area.maxX, height: area.maxY + 2))
        let listPane = (panes[.list] ?? area).intersection(area)
        let detailPane = (panes[.detail] ?? area).intersection(area)
        let (title, table) = listPane.splitHorizontally(at: 1)
        return Parts(listTitle: title, listTable: table, detail: detailPane)
    }

    /// The body less the receiving form at its foot.
    func content(_ body: Rect) -> Rect { stockForm == nil ? body : body.inset(bottom: StockForm.height) }

    func fit(body: Rect, ctx: AppContext) throws {
        if form?.isDone == true {
            let made = form?.saved
            form = nil
            if let made { try open(po: made, ctx: ctx) }
        }
        if stockForm?.isDone == true { stockForm = nil }
        if form != nil { return }
        let p = parts(body)
        let s = source(ctx)
        try pane.fit(table: p.listTable, s)
        try loadDetail(ctx, force: false)
        visibleSuggestions = max(1, TerminalKit.Table.visibleRows(in: content(body).inset(top: 1)))
        suggestionState.clamp(total: suggestions.count, visibleRows: visibleSuggestions)
    }

    var selectedLine: PurchaseOrderView.Line? { detail?.lines[safe: lineState.selected] }

    /// The PO line a receipt goes against: the selected one in the lines, else the first still open.
    func receivingLine(focus: Focus) -> PurchaseOrderView.Line? {
        if focus == .lines, let l = selectedLine { return l }
        return detail?.lines.first { $0.open > 0 }
    }

    // MARK: - Keys and effects

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        if let form {
            let e = form.handle(key, ctx: ctx)
            if form.isDone && form.saved == nil { self.form = nil }
            return e
        }
        if let stockForm {
            let e = stockForm.handle(key, ctx: ctx)
            if stockForm.isDone { self.stockForm = nil }
            return e
        }
        if pane.isFiltering { return afterFilter(pane.typeFilter(key)) { try reload(ctx) } }
        return dispatch(keys(ctx), key) { perform($0, key: key, ctx: ctx) }
    }

    /// Moving in the suggestions, the PO list or a PO's lines; a click selects the row under it.
    private func move(_ m: ListMove, key: Key, ctx: AppContext) throws -> Effect {
        let linesPage = max(1, linesArea.height - 1)
        switch m {
        case .click:
            // A click hits the pane under it by x and y: from 110 columns the list and the
            // detail stand side by side, on the same rows.
            guard case .mouse(let x, let y, _) = key else { return .redraw }
            if mode == .suggestions {
                if suggestionsArea.contains(x: x, y: y),
                   let i = TerminalKit.Table.rowIndex(atY: y, area: suggestionsArea, state: suggestionState, total: suggestions.count) {
                    suggestionState.select(i, total: suggestions.count, visibleRows: visibleSuggestions)
                }
                return .redraw
            }
            if pane.tableArea.contains(x: x, y: y) {
                focus = .list
                let s = source(ctx)
                try pane.perform(.click, key: key, s)
                try loadDetail(ctx, force: false)
            } else if linesArea.contains(x: x, y: y), let d = detail,
                      let i = TerminalKit.Table.rowIndex(atY: y, area: linesArea, state: lineState, total: d.lines.count) {
                focus = .lines
                lineState.select(i, total: d.lines.count, visibleRows: linesPage)
            }
        case .move(let tm):
            switch (mode, focus) {
            case (.suggestions, _):
                suggestionState.apply(tm, total: suggestions.count, visibleRows: visibleSuggestions)
            case (.orders, .list):
                let s = source(ctx)
                try pane.perform(m, key: key, s)
                try loadDetail(ctx, force: false)
            case (.orders, .lines):
                lineState.apply(tm, total: detail?.lines.count ?? 0, visibleRows: linesPage)
            }
        }
        return .redraw
    }

    private func perform(_ action: Action, key: Key, ctx: AppContext) -> Effect {
        let desk = ctx.desk
        switch action {
        case .move(let m):
            return Effect.attempt { try move(m, key: key, ctx: ctx) }
        case .detail:
            focus = .lines
            lineState = TableState()
            return .redraw
        case .back:
            if mode == .suggestions { mode = .orders } else { focus = .list }
            return .redraw
        case .new:
            form = PurchaseOrderForm(today: ctx.today)
            return .info("New purchase order: type a vendor code or name; Enter moves on, Ctrl-S saves.")
        case .approve:
            guard let po = list.selected else { return .redraw }
            return Effect.attempt {
                _ = try desk.approvePurchaseOrder(po.number)
                return .all([.reload, .success("Purchase order \(po.number) approved: its \(Format.grouped(po.openUnits)) unit(s) are on order and may be attached to.")])
            }
        case .close:
            guard let po = list.selected else { return .redraw }
            return .modal(ConfirmModal(
                title: "Close purchase order \(po.number)?",
                message: "The \(Format.grouped(po.openUnits)) unit(s) not yet received are cancelled, so they are no longer on order; the \(po.attachedLines) order line(s) attached to it are released to attach elsewhere. This cannot be undone.",
                yesLabel: "Close it") {
                Effect.attempt {
                    _ = try desk.closePurchaseOrder(po.number)
                    return .all([.reload, .success("Purchase order \(po.number) closed.")])
                }
            })
        case .receive:
            guard let po = detail, let line = receivingLine(focus: focus) else { return .redraw }
            let lines = (try? desk.openPOLines(lic: line.lic, location: po.location)) ?? []
            let onHand = (try? desk.lic(line.lic, location: po.location, lineLimit: 0, ledgerLimit: 0).balance.onHand) ?? 0
            stockForm = StockForm(kind: .receive, lic: line.lic, location: po.location, onHand: onHand, poLines: lines, po: po.number,
                                  prefill: line.open)
            return .info("Receive \(line.lic) on \(po.number): the open \(Format.grouped(line.open)) is filled in; type over it to change it.")
        case .filter:
            pane.beginFilter()
            return .redraw
        case .statusFilter:
            let words = Self.statusFilters
            let next = words[((words.firstIndex(of: filter) ?? 0) + 1) % words.count]
            pane.setFilter(next)
            return Effect.attempt { try reload(ctx); return .info(next.isEmpty ? "All purchase orders." : "Purchase orders: \(next).") }
        case .suggestions:
            mode = .suggestions
            suggestionState = TableState()
            return Effect.attempt {
                suggestions = try desk.replenishmentSuggestions()
                return .info(suggestions.isEmpty ? "Replenishment suggests nothing now." : "\(suggestions.count) replenishment suggestion(s).")
            }
        case .generate:
            let count = Set(suggestions.filter { $0.vendor != nil }.map { "\($0.vendor!)-\($0.location)" }).count
            return .modal(ConfirmModal(
                title: "Generate \(count) draft purchase order(s)?",
                message: "One draft per vendor and location from the \(suggestions.count) suggestion(s) (LICs without a vendor are left out). Drafts are not on order until approved.",
                yesLabel: "Generate them") { [self] in
                generateJob(ctx)
            })
        case .autoReserve:
            let title = "\(ProcessKind.autoReserve.scheduleCode) \(ProcessKind.autoReserve.title)"
            return .all([.run(BackgroundJob(id: ProcessKind.autoReserve.rawValue, title: title) { progress in
                progress.update(done: 0, total: 1, unit: "run")
                do {
                    let r = try desk.runProcess(.autoReserve)
                    let a = r.attachments ?? []
                    let pos = Set(a.map(\.po)).sorted()
                    let text = a.isEmpty ? "\(title): no backordered line could be attached."
                        : "\(title): \(a.count) attachment(s), \(a.reduce(0) { $0 + $1.qty }) unit(s) for \(Set(a.map(\.lineID)).count) line(s), to \(pos.joined(separator: ", ")): "
                          + a.prefix(8).map { "\($0.order) line \($0.line) \($0.qty) \($0.lic) → \($0.po)" }.joined(separator: "; ") + (a.count > 8 ? "; …" : ".")
                    return JobOutcome(id: ProcessKind.autoReserve.rawValue, message: text, failed: false)
                } catch {
                    return JobOutcome(id: ProcessKind.autoReserve.rawValue, message: "\(title) did not run: \(describe(error))", failed: true)
                }
            }), .info("Running the auto reserve utility… the screen stays usable.")])
        case .openLIC:
            guard let s = suggestions[safe: suggestionState.selected] else { return .redraw }
            return .openLIC(s.lic, location: s.location)
        case .openOrder:
            guard let order = attachedOrder else { return .redraw }
            return .openOrder(order)
        }
    }

    /// Generating drafts runs in the background with its progress; the drafts made are shown
    /// in the PO list afterwards.
    private func generateJob(_ ctx: AppContext) -> Effect {
        let desk = ctx.desk
        let title = "Generating purchase orders"
        return .all([.run(BackgroundJob(id: ProcessKind.replenish.rawValue, title: title) { progress in
            progress.update(done: 0, total: 1, unit: "run")
            do {
                let r = try desk.runProcess(.replenish)
                progress.update(done: 1, total: 1, unit: "run")
                let numbers = r.purchaseOrderNumbers ?? []
                let text = numbers.isEmpty ? "No draft purchase order was needed."
                    : "\(numbers.count) draft purchase order(s) made: \(numbers.joined(separator: ", ")). f shows the drafts; a approves one."
                return JobOutcome(id: ProcessKind.replenish.rawValue, message: text, failed: false,
                                  then: numbers.isEmpty ? nil : .showDraftPurchaseOrders)
            } catch {
                return JobOutcome(id: ProcessKind.replenish.rawValue, message: "Generating purchase orders failed: \(describe(error))", failed: true)
            }
        }), .info("Generating draft purchase orders…")])
    }

    /// After the generate job: show the drafts.
    func showDrafts(_ ctx: AppContext) throws {
        mode = .orders
        pane.setFilter("draft")
        pane.restart()
        try reload(ctx)
    }
}
