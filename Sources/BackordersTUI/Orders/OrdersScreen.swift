import BackorderApp
import BackorderCore
import TerminalKit

/// 1 Orders: the orders, newest first, paged; the selected order's lines, shipments and
/// record log; the actions on it; order entry (`n`), which takes the whole body; and the
/// shipments to pick and ship (`t`), oldest first, in place of the order list.
final class OrdersScreen: Screen {
    let id = ScreenID.orders

    enum Focus { case list, lines, shipments }
    /// What the list pane lists: the orders, or the pending and picked shipments.
    enum Mode { case orders, toShip }

    private(set) var list = PagedList<OrderListItem>(key: \.id)
    private(set) var toShip = PagedList<ShipmentSummary>(key: \.id)
    private(set) var mode = Mode.orders
    var listFilter = ListFilter()
    var filter: String { listFilter.text }
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
    var listTableArea = Rect(x: 0, y: 0, width: 0, height: 0)
    var shipmentsArea = Rect(x: 0, y: 0, width: 0, height: 0)

    var capturesText: Bool { listFilter.isEditing || entry != nil }

    var unsavedWork: String? { entry?.isDirty == true && entry?.isDone == false ? "the order you are typing" : nil }

    func discardUnsavedWork() { entry = nil }

    func willShow(_ ctx: AppContext) {
        // A form with nothing typed is nothing to come back to; a dirty one was asked about.
        if entry?.isDirty != true { entry = nil }
        if listFilter.isEditing { listFilter.end() }
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
        case .orders: try list.reload(source(ctx))
        case .toShip: try toShip.reload(shipmentSource(ctx))
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
        if try ctx.desk.orderPosition(filter: filter, id: id) == nil { listFilter = ListFilter() }
        try list.select(id: id, source(ctx))
        focus = .list
        try loadDetail(ctx, force: true)
        if let line, let i = detail?.lines.firstIndex(where: { $0.line == line }) {
            focus = .lines
            lineState.select(i, total: detail?.lines.count ?? 0, visibleRows: lineRowsShown)
        }
    }

    /// The number of the order the detail pane shows: the selected order, or the selected
    /// shipment's order.
    private var shownOrderNumber: String? {
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
        let rows = TerminalKit.Table.visibleRows(in: p.listTable)
        switch mode {
        case .orders: try list.setVisibleRows(rows, source(ctx))
        case .toShip: try toShip.setVisibleRows(rows, shipmentSource(ctx))
        }
        try loadDetail(ctx, force: false)
    }

    // MARK: - Keys

    enum Action {
        case new, filter, priority, void, cancelRemaining, invoice, focusLines, focusShipments, focusList
        case cancelLine, why, pick, ship, cancelShipment, logOlder, logNewer
        case toShip, backToOrders, openShipmentOrder
    }

    func keys(_ ctx: AppContext) -> KeyTable<Action> {
        if mode == .toShip { return toShipKeys(ctx) }
        let none = list.selected == nil ? "no order is selected" : nil
        let inList = focus == .list
        var b: [KeyBinding<Action>] = [
            KeyBinding(.char("n"), .new, label: "New", help: "Enter a new order", disabledReason: ctx.refusal(.clerk, "entering orders")),
            KeyBinding(.char("/"), .filter, label: "Filter",
                       help: "Filter by order number, customer (code or name) or status: open, backorder, invoiced, closed, cancelled, void"),
            KeyBinding(.char("p"), .priority, label: "Priority",
                       help: "Change the order's fulfillment priority, with a preview of every order that loses or gains stock",
                       disabledReason: none ?? ctx.refusal(.supervisor, "changing fulfillment priority"), showInFooter: inList),
            KeyBinding(.char("v"), .void, label: "Void", help: "Void the order (it must have shipped nothing); asks first",
                       disabledReason: none ?? ctx.refusal(.clerk, "voiding orders"), showInFooter: inList),
            KeyBinding(.char("x"), .cancelRemaining, label: "Cancel rest",
                       help: "Cancel what remains of the order (close short), with a reason code; asks first",
                       disabledReason: none ?? ctx.refusal(.supervisor, "cancelling remaining quantities"), showInFooter: inList),
            KeyBinding(.char("i"), .invoice, label: "Invoice",
                       help: "Invoice what has shipped: shows the lines billed, the totals and the suborder that takes the remainder, then asks",
                       disabledReason: none ?? ctx.refusal(.supervisor, "invoicing"), showInFooter: inList),
        ]
        switch focus {
        case .list:
            b.append(KeyBinding([.tab, .enter], .focusLines, label: "Detail",
                                help: "Move into the order: its lines (why is one backordered, cancel one line's rest), then its shipments",
                                disabledReason: none))
            b.append(KeyBinding(.char("t"), .toShip, label: "To ship",
                                help: "The pending and picked shipments of every order, oldest first: pick and ship from there"))
        case .lines:
            let line = selectedLine
            let notBO = line?.bo == true ? nil : "the selected line is not backordered"
            b += [
                KeyBinding([.char("w"), .enter], .why, label: "Why BO",
                           help: "Why is the selected line backordered: its place in the queue, the units ahead, waiting stock, POs, projected date",
                           disabledReason: (line == nil ? "this order has no lines" : nil) ?? notBO),
                KeyBinding(.char("c"), .cancelLine, label: "Cancel line",
                           help: "Cancel what remains of the selected line (close it short), with a reason code",
                           disabledReason: (line == nil ? "this order has no lines" : nil)
                               ?? ctx.refusal(.supervisor, "cancelling remaining quantities")),
                KeyBinding(.pageUp, .logOlder, label: "Older log", help: "Scroll the record log back", showInFooter: false),
                KeyBinding(.pageDown, .logNewer, label: "Newer log", help: "Scroll the record log forward", showInFooter: false),
                KeyBinding(.tab, .focusShipments, label: "Shipments", help: "Move to the order's shipments"),
                KeyBinding(.escape, .focusList, label: "Back", help: "Back to the orders list"),
            ]
        case .shipments:
            b += shipmentKeys(selectedShipment, ctx)
            b += [
                KeyBinding(.pageUp, .logOlder, label: "Older log", help: "Scroll the record log back", showInFooter: false),
                KeyBinding(.pageDown, .logNewer, label: "Newer log", help: "Scroll the record log forward", showInFooter: false),
                KeyBinding([.tab, .escape], .focusList, label: "Back", help: "Back to the orders list"),
            ]
        }
        switch focus {
        case .list: return KeyTable("Orders", b)
        case .lines: return KeyTable("Order lines", b)
        case .shipments: return KeyTable("Order shipments", b)
        }
    }

    /// Pick, ship and cancel for a shipment (the order's shipments pane and the to-ship list).
    private func shipmentKeys(_ s: ShipmentRef?, _ ctx: AppContext) -> [KeyBinding<Action>] {
        let none = s == nil ? "no shipment is selected" : nil
        let pending = s?.status == "pending" ? nil : "only a pending shipment can be picked"
        let shippable = s?.status == "pending" || s?.status == "picked" ? nil : "only a pending or picked shipment can be shipped"
        let cancellable = s?.status == "pending" ? nil : "only a pending shipment can be cancelled"
        return [
            KeyBinding(.char("k"), .pick, label: "Pick", help: "Mark the selected pending shipment picked (its stock freezes)",
                       disabledReason: none ?? pending ?? ctx.refusal(.clerk, "picking shipments")),
            KeyBinding(.char("s"), .ship, label: "Ship", help: "Ship the selected pending or picked shipment; asks first",
                       disabledReason: none ?? shippable ?? ctx.refusal(.clerk, "shipping")),
            KeyBinding(.char("c"), .cancelShipment, label: "Cancel shipment",
                       help: "Cancel the selected pending shipment (its stock stays allotted); asks first",
                       disabledReason: none ?? cancellable ?? ctx.refusal(.clerk, "cancelling shipments")),
        ]
    }

    private func toShipKeys(_ ctx: AppContext) -> KeyTable<Action> {
        let s = toShip.selected.map { ShipmentRef(id: $0.id, status: $0.status, order: $0.order, units: $0.units) }
        return KeyTable("Shipments to pick and ship", shipmentKeys(s, ctx) + [
            KeyBinding(.enter, .openShipmentOrder, label: "Open order", help: "Show the selected shipment's order in the orders list",
                       disabledReason: s == nil ? "no shipment is selected" : nil),
            KeyBinding(.char("/"), .filter, label: "Filter orders", help: "Back to the orders list and filter it"),
            KeyBinding([.char("t"), .escape], .backToOrders, label: "Orders", help: "Back to the orders list"),
        ])
    }

    func footer(_ ctx: AppContext) -> [FooterItem] {
        if let entry { return entry.keys(ctx).footerItems }
        if listFilter.isEditing { return ListFilter.keys.footerItems }
        return keys(ctx).footerItems
    }

    func help(_ ctx: AppContext) -> [HelpSection] {
        if let entry { return [entry.keys(ctx).helpSection] }
        if listFilter.isEditing { return [ListFilter.keys.helpSection] }
        if mode == .toShip { return [toShipKeys(ctx).helpSection, Self.movementHelp] }
        let saved = focus
        focus = .list
        var sections = [keys(ctx).helpSection]
        for f in [Focus.lines, .shipments] {
            focus = f
            var table = keys(ctx)
            table.bindings.removeAll { sections[0].entries.map(\.keys).contains($0.keyText) }
            sections.append(table.helpSection)
        }
        focus = saved
        return sections + [Self.movementHelp, HelpSection(title: "Dates", entries: [
            HelpEntry(keys: "Promise", help: "A date is a PO promise; ~date a projection from open POs; a date before today is highlighted"),
        ])]
    }

    static let movementHelp = HelpSection(title: "Moving", entries: [
        HelpEntry(keys: "↑/↓", help: "Previous / next row"),
        HelpEntry(keys: "PgUp/PgDn", help: "Previous / next page (only the visible page is loaded)"),
        HelpEntry(keys: "Home/End", help: "First / last row"),
        HelpEntry(keys: "Mouse", help: "Click a row to select it; the wheel scrolls"),
    ])

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        if let entry {
            let effect = entry.handle(key, ctx: ctx)
            if entry.isDone, entry.saved == nil { self.entry = nil }
            return effect
        }
        if listFilter.isEditing { return handleFilter(key, ctx: ctx) }
        if case .mouse(let x, let y, .leftClick) = key { return click(x: x, y: y, ctx: ctx) }
        do {
            if mode == .toShip {
                if try toShip.handle(key, shipmentSource(ctx)) {
                    try loadDetail(ctx, force: false)
                    return .redraw
                }
            } else if focus == .list {
                if try list.handle(key, source(ctx)) {
                    try loadDetail(ctx, force: false)
                    return .redraw
                }
            } else if focus == .lines {
                if lineState.handle(key, total: detail?.lines.count ?? 0, visibleRows: lineRowsShown) { return .redraw }
            } else {
                let count = detail?.shipments.count ?? 0
                if shipmentState.handle(key, total: count, visibleRows: max(1, shipmentsArea.height)) { return .redraw }
            }
        } catch { return .error(error) }
        return dispatch(keys(ctx), key) { perform($0, ctx: ctx) }
    }

    private func click(x: Int, y: Int, ctx: AppContext) -> Effect? {
        if listTableArea.contains(x: x, y: y) {
            return Effect.attempt {
                focus = .list
                if mode == .toShip { _ = try toShip.click(y: y, area: listTableArea, shipmentSource(ctx)) }
                else { _ = try list.click(y: y, area: listTableArea, source(ctx)) }
                try loadDetail(ctx, force: false)
                return .redraw
            }
        }
        guard mode == .orders else { return nil }
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
            return .redraw
        }
        return nil
    }

    private func handleFilter(_ key: Key, ctx: AppContext) -> Effect? {
        let (effect, mustReload) = listFilter.handle(key)
        guard mustReload else { return effect }
        return Effect.attempt { try reload(ctx); return effect ?? .redraw }
    }

    var selectedLine: OrderView.Line? {
        detail?.lines[safe: lineState.selected]
    }

    /// A shipment as the actions need it, from either list.
    struct ShipmentRef {
        var id: Int64
        var status: String
        var order: String
        var units: Int
    }

    private var selectedShipment: ShipmentRef? {
        if mode == .toShip { return toShip.selected.map { ShipmentRef(id: $0.id, status: $0.status, order: $0.order, units: $0.units) } }
        guard let s = detail?.shipments[safe: shipmentState.selected], let o = detail else { return nil }
        return ShipmentRef(id: s.id, status: s.status, order: o.number, units: s.items.reduce(0) { $0 + $1.qty })
    }

    private func perform(_ action: Action, ctx: AppContext) -> Effect {
        let desk = ctx.desk
        switch action {
        case .new:
            let form = OrderEntryForm(prefs: ctx.prefs)
            entry = form
            return .info("New order: type a customer code or name; Enter moves on, Ctrl-S saves.")
        case .filter:
            if mode == .toShip {
                mode = .orders
                do { try reload(ctx) } catch { return .error(error) }
            }
            listFilter.begin()
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
                try toShip.reload(shipmentSource(ctx))
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
