import BackorderApp
import BackorderCore
import TerminalKit

/// 1 Orders: the orders, newest first, paged; the selected order's lines, shipments and
/// record log; the actions on it; order entry (`n`), which takes the whole body; and the
/// shipments to pick and ship (`t`), oldest first, in place of the order list. State and what
/// the actions do; the key tables are in `+Keys`, the drawing in `+Drawing`.
final class OrdersScreen: Screen {
    let id = ScreenID.orders

    enum Focus { case list, lines, shipments }
    /// What the list pane lists: the orders, or the pending and picked shipments.
    enum Mode { case orders, toShip }

    /// The orders, with the `/` filter.
    var pane = ListPane<OrderListItem>(noun: "order", key: \.id)
    var list: PagedList<OrderListItem> { pane.list }
    /// The shipments to pick and ship (no filter of their own: `/` goes back to the orders).
    var toShipPane = ListPane<ShipmentSummary>(noun: "shipment", key: \.id)
    var toShip: PagedList<ShipmentSummary> { toShipPane.list }
    private(set) var mode = Mode.orders
    var filter: String { pane.filterText }
    private(set) var focus = Focus.list
    private(set) var detail: OrderView?
    var log: [LogEntry] = []
    var detailError: String?
    var shipmentState = TableState()
    var lineState = TableState()
    var linesArea = Rect(x: 0, y: 0, width: 0, height: 0)
    /// Line rows the detail had room for at the last render.
    var lineRowsShown = 1
    /// Log lines scrolled back from the newest.
    var logBack = 0
    /// How many lines the wrapped log took at the last render.
    var logLines = 0
    private(set) var entry: OrderEntryForm?
    var shipmentsArea = Rect(x: 0, y: 0, width: 0, height: 0)

    var capturesText: Bool { pane.isFiltering || entry != nil }

    var unsavedWork: String? { entry?.isDirty == true && entry?.isDone == false ? "the order you are typing" : nil }

    func discardUnsavedWork() { entry = nil }

    func willShow(_ ctx: AppContext) {
        // A form with nothing typed is nothing to come back to; a dirty one was asked about.
        if entry?.isDirty != true { entry = nil }
        if pane.isFiltering { pane.endFilter() }
        if mode == .toShip {
            mode = .orders
            try? reload(ctx)
        }
    }

    func source(_ ctx: AppContext) -> PageSource<OrderListItem> {
        let desk = ctx.desk, f = filter
        return PageSource(count: { try desk.orderCount(filter: f) },
                          page: { try desk.orderPage(filter: f, anchor: $0, limit: $1) },
                          position: { try desk.orderPosition(filter: f, id: $0) })
    }

    func shipmentSource(_ ctx: AppContext) -> PageSource<ShipmentSummary> {
        let desk = ctx.desk
        return PageSource(count: { try desk.shipmentQueueCount() },
                          page: { try desk.shipmentQueuePage(anchor: $0, limit: $1) },
                          position: { try desk.shipmentQueuePosition(id: $0) })
    }

    func reload(_ ctx: AppContext) throws {
        switch mode {
        case .orders:
            let s = source(ctx)
            try pane.reload(s)
        case .toShip:
            let s = shipmentSource(ctx)
            try toShipPane.reload(s)
        }
        try loadDetail(ctx, force: true)
        entry?.refreshAvailability(ctx)
    }

    /// Shows an order: closes a finished entry form, leaves the shipments list, clears a filter
    /// that hides it, selects it (and one of its lines, with the lines focused).
    func open(number: String, line: Int? = nil, ctx: AppContext) throws {
        if entry?.isDone == true || entry?.isDirty == false { entry = nil }
        mode = .orders
        let id = try ctx.desk.orderID(number: number)
        if try ctx.desk.orderPosition(filter: filter, id: id) == nil { pane.setFilter("") }
        let s = source(ctx)
        try pane.select(id: id, s)
        focus = .list
        try loadDetail(ctx, force: true)
        if let line, let i = detail?.lines.firstIndex(where: { $0.line == line }) {
            focus = .lines
            lineState.select(i, total: detail?.lines.count ?? 0, visibleRows: lineRowsShown)
        }
    }

    /// The number of the order the detail pane shows: the selected order, or the selected
    /// shipment's order.
    var shownOrderNumber: String? {
        mode == .orders ? list.selected?.number : toShip.selected?.order
    }

    func loadDetail(_ ctx: AppContext, force: Bool) throws {
        guard let number = shownOrderNumber else {
            detail = nil
            log = []
            return
        }
        guard force || detail?.number != number else { return }
        if detail?.number != number {
            shipmentState = TableState()
            lineState = TableState()
            logBack = 0
        }
        do {
            detail = try ctx.desk.order(number)
            log = try ctx.desk.orderLog(number)
            detailError = nil
        } catch {
            detail = nil
            log = []
            detailError = describe(error)
        }
    }

    // MARK: - Layout

    struct Parts {
        var listTitle: Rect, listTable: Rect, detail: Rect
    }

    func parts(_ body: Rect) -> Parts {
        let panes = Layout.panes(Size(width: body.maxX, height: body.maxY + 2))
        var listPane = panes[.list] ?? body
        var detailPane = panes[.detail] ?? body
        // The panes are computed for the whole screen; keep them inside this body.
        listPane = listPane.intersection(body)
        detailPane = detailPane.intersection(body)
        let (title, table) = listPane.splitHorizontally(at: 1)
        return Parts(listTitle: title, listTable: table, detail: detailPane)
    }

    func fit(body: Rect, ctx: AppContext) throws {
        if entry?.isDone == true { entry = nil }
        if entry != nil { return }
        let p = parts(body)
        switch mode {
        case .orders:
            let s = source(ctx)
            try pane.fit(table: p.listTable, s)
        case .toShip:
            let s = shipmentSource(ctx)
            try toShipPane.fit(table: p.listTable, s)
        }
        try loadDetail(ctx, force: false)
    }

    // MARK: - Keys and effects

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        if let entry {
            let effect = entry.handle(key, ctx: ctx)
            if entry.isDone, entry.saved == nil { self.entry = nil }
            return effect
        }
        if pane.isFiltering { return afterFilter(pane.typeFilter(key)) { try reload(ctx) } }
        return dispatch(keys(ctx), key) { perform($0, key: key, ctx: ctx) }
    }

    /// Moving in the focused pane: the list (orders or shipments to ship), the order's lines or
    /// its shipments; a click selects the row under it in whichever pane it falls.
    private func move(_ m: ListMove, key: Key, ctx: AppContext) throws -> Effect {
        if case .click = m { return try click(key, ctx: ctx) }
        guard case .move(let tm) = m else { return .redraw }
        switch (mode, focus) {
        case (.toShip, _):
            let s = shipmentSource(ctx)
            try toShipPane.perform(m, key: key, s)
            try loadDetail(ctx, force: false)
        case (.orders, .list):
            let s = source(ctx)
            try pane.perform(m, key: key, s)
            try loadDetail(ctx, force: false)
        case (.orders, .lines):
            lineState.apply(tm, total: detail?.lines.count ?? 0, visibleRows: lineRowsShown)
        case (.orders, .shipments):
            shipmentState.apply(tm, total: detail?.shipments.count ?? 0, visibleRows: max(1, shipmentsArea.height))
        }
        return .redraw
    }

    private func click(_ key: Key, ctx: AppContext) throws -> Effect {
        guard case .mouse(let x, let y, _) = key else { return .redraw }
        let listArea = mode == .toShip ? toShipPane.tableArea : pane.tableArea
        if listArea.contains(x: x, y: y) {
            focus = .list
            if mode == .toShip {
                let s = shipmentSource(ctx)
                try toShipPane.perform(.click, key: key, s)
            } else {
                let s = source(ctx)
                try pane.perform(.click, key: key, s)
            }
            try loadDetail(ctx, force: false)
            return .redraw
        }
        guard mode == .orders else { return .redraw }
        if linesArea.contains(x: x, y: y), let d = detail,
           let i = TerminalKit.Table.rowIndex(atY: y, area: linesArea, state: lineState, total: d.lines.count) {
            focus = .lines
            lineState.select(i, total: d.lines.count, visibleRows: lineRowsShown)
            return .redraw
        }
        if shipmentsArea.contains(x: x, y: y), let d = detail {
            let i = shipmentState.offset + (y - shipmentsArea.y)
            if i < d.shipments.count {
                focus = .shipments
                shipmentState.select(i, total: d.shipments.count, visibleRows: shipmentsArea.height)
            }
        }
        return .redraw
    }

    var selectedLine: OrderView.Line? {
        detail?.lines[safe: lineState.selected]
    }

    /// A shipment as the actions need it, from either list.
    struct ShipmentRef {
        var id: Int64
        var status: ShipmentStatus
        var order: String
        var units: Int
    }

    var selectedShipment: ShipmentRef? {
        if mode == .toShip { return toShip.selected.map { ShipmentRef(id: $0.id, status: $0.status, order: $0.order, units: $0.units) } }
        return orderShipment
    }

    /// The selected shipment of the order shown.
    var orderShipment: ShipmentRef? {
        guard let s = detail?.shipments[safe: shipmentState.selected], let o = detail else { return nil }
        return ShipmentRef(id: s.id, status: s.status, order: o.number, units: s.items.reduce(0) { $0 + $1.qty })
    }

    private func perform(_ action: Action, key: Key, ctx: AppContext) -> Effect {
        let desk = ctx.desk
        switch action {
        case .move(let m):
            return Effect.attempt { try move(m, key: key, ctx: ctx) }
        case .new:
            let form = OrderEntryForm(prefs: ctx.prefs)
            entry = form
            return .info("New order: type a customer code or name; Enter moves on, Ctrl-S saves.")
        case .filter:
            if mode == .toShip {
                mode = .orders
                do { try reload(ctx) } catch { return .error(error) }
            }
            pane.beginFilter()
            return .redraw
        case .focusLines:
            focus = .lines
            return .redraw
        case .focusShipments:
            focus = .shipments
            return .redraw
        case .why:
            guard let o = detail, let l = selectedLine else { return .redraw }
            return WhyModal.open(order: o.number, line: l.line, offersOrder: false, ctx: ctx)
        case .cancelLine:
            guard let o = detail, let l = selectedLine else { return .redraw }
            return .modal(ReasonModal(title: "Cancel the rest of line \(l.line)",
                                      message: "Cancels the \(max(0, l.remaining)) \(l.lic) not yet shipped on line \(l.line) of order \(o.number) (close it short) and releases its allotment. Pick the reason:",
                                      reasons: ctx.reasons) { code in
                Effect.attempt {
                    let n = try desk.cancelRemaining(o.number, line: l.line, reason: code)
                    return .all([.reload, .success("Cancelled \(n) \(l.lic) on line \(l.line) of order \(o.number), reason \(code).")])
                }
            })
        case .focusList:
            focus = .list
            return .redraw
        case .logOlder:
            logBack = min(max(0, logLines - 1), logBack + 5)
            return .redraw
        case .logNewer:
            logBack = max(0, logBack - 5)
            return .redraw
        case .priority:
            guard let o = list.selected else { return .redraw }
            return .modal(PriorityModal(order: o.number, current: o.priority))
        case .void:
            guard let o = list.selected else { return .redraw }
            return .modal(ConfirmModal(title: "Void order \(o.number)?",
                                       message: "Order \(o.number) for \(o.customer) is voided: its allotments are released to other orders and its pending shipments cancelled. This cannot be undone.",
                                       yesLabel: "Void") {
                Effect.attempt {
                    try desk.voidOrder(o.number)
                    return .all([.reload, .success("Order \(o.number) voided; its stock waits for the secondary process.")])
                }
            })
        case .cancelRemaining:
            guard let o = detail else { return .redraw }
            let remaining = o.lines.reduce(0) { $0 + max(0, $1.remaining) }
            return .modal(ReasonModal(title: "Cancel the rest of order \(o.number)",
                                      message: "Cancels the \(remaining) unit(s) not yet shipped on order \(o.number) (close short) and releases their allotments. Pick the reason:",
                                      reasons: ctx.reasons) { code in
                Effect.attempt {
                    let n = try desk.cancelRemaining(o.number, line: nil, reason: code)
                    return .all([.reload, .success("Cancelled \(n) unit(s) of order \(o.number), reason \(code).")])
                }
            })
        case .invoice:
            guard let o = list.selected else { return .redraw }
            return InvoiceModal.start(order: o.number, ctx: ctx)
        case .pick, .ship, .cancelShipment:
            guard let s = selectedShipment else { return .redraw }
            return shipmentAction(action, s, ctx: ctx)
        case .toShip:
            mode = .toShip
            focus = .list
            return Effect.attempt {
                let s = shipmentSource(ctx)
                try toShipPane.reload(s)
                try loadDetail(ctx, force: true)
                return .info(toShip.isEmpty ? "No shipment waits to be picked or shipped." : "Shipments to pick and ship, oldest first.")
            }
        case .backToOrders:
            mode = .orders
            return Effect.attempt { try reload(ctx); return .redraw }
        case .openShipmentOrder:
            guard let s = toShip.selected else { return .redraw }
            return .openOrder(s.order)
        }
    }

    private func shipmentAction(_ action: Action, _ s: ShipmentRef, ctx: AppContext) -> Effect {
        let desk = ctx.desk
        switch action {
        case .cancelShipment:
            return .modal(ConfirmModal(title: "Cancel shipment \(s.id)?",
                                       message: "The pending shipment of order \(s.order) is cancelled; its \(s.units) unit(s) stay allotted to the order.",
                                       yesLabel: "Cancel shipment") {
                Effect.attempt {
                    try desk.cancelShipment(s.id)
                    return .all([.reload, .success("Shipment \(s.id) cancelled; its stock stays allotted.")])
                }
            })
        case .ship:
            return .modal(ConfirmModal(title: "Ship shipment \(s.id)?",
                                       message: "Shipment \(s.id) of order \(s.order) leaves the warehouse: \(s.units) unit(s) come off on hand and are billed on the next invoice. This cannot be undone.",
                                       yesLabel: "Ship it") {
                Effect.attempt {
                    try desk.shipShipment(s.id)
                    return .all([.reload, .success("Shipment \(s.id) shipped: \(s.units) unit(s) of order \(s.order).")])
                }
            })
        default:
            return Effect.attempt {
                try desk.pickShipment(s.id)
                return .all([.reload, .success("Shipment \(s.id) picked: its quantities are frozen.")])
            }
        }
    }
}
