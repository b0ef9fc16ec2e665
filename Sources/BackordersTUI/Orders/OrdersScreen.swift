import BackorderApp
import BackorderCore
import TerminalKit

/// 1 Orders: the orders, newest first, paged; the selected order's lines, shipments and
/// record log; the actions on it; and order entry (`n`), which takes the whole body.
final class OrdersScreen: Screen {
    let id = ScreenID.orders

    enum Focus { case list, lines, shipments }

    private(set) var list = PagedList<OrderListItem>(key: \.id)
    private var listFilter = ListFilter()
    var filter: String { listFilter.text }
    /// The filter while it is being typed.
    private(set) var focus = Focus.list
    private(set) var detail: OrderView?
    private var log: [LogEntry] = []
    private var detailError: String?
    private var shipmentState = TableState()
    private var lineState = TableState()
    private var linesArea = Rect(x: 0, y: 0, width: 0, height: 0)
    /// Line rows the detail had room for at the last render.
    private var lineRowsShown = 1
    /// Log lines scrolled back from the newest.
    private var logBack = 0
    /// How many lines the wrapped log took at the last render.
    private var logLines = 0
    private(set) var entry: OrderEntryForm?
    private var listTableArea = Rect(x: 0, y: 0, width: 0, height: 0)
    private var shipmentsArea = Rect(x: 0, y: 0, width: 0, height: 0)

    var capturesText: Bool { listFilter.isEditing || entry != nil }

    private func source(_ ctx: AppContext) -> PageSource<OrderListItem> {
        let desk = ctx.desk, f = filter
        return PageSource(count: { try desk.orderCount(filter: f) },
                          page: { try desk.orderPage(filter: f, anchor: $0, limit: $1) },
                          position: { try desk.orderPosition(filter: f, id: $0) })
    }

    func reload(_ ctx: AppContext) throws {
        try list.reload(source(ctx))
        try loadDetail(ctx, force: true)
        entry?.refreshAvailability(ctx)
    }

    /// Shows an order: closes a finished entry form, clears a filter that hides it, selects it
    /// (and one of its lines, with the lines focused).
    func open(number: String, line: Int? = nil, ctx: AppContext) throws {
        if entry?.isDone == true { entry = nil }
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

    private func loadDetail(_ ctx: AppContext, force: Bool) throws {
        guard let selected = list.selected else {
            detail = nil
            log = []
            return
        }
        guard force || detail?.id != selected.id else { return }
        if detail?.id != selected.id {
            shipmentState = TableState()
            lineState = TableState()
            logBack = 0
        }
        do {
            detail = try ctx.desk.order(selected.number)
            log = try ctx.desk.orderLog(selected.number)
            detailError = nil
        } catch {
            detail = nil
            log = []
            detailError = describe(error)
        }
    }

    // MARK: - Layout

    private struct Parts {
        var listTitle: Rect, listTable: Rect, detail: Rect
    }

    private func parts(_ body: Rect) -> Parts {
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
        try list.setVisibleRows(TerminalKit.Table.visibleRows(in: p.listTable), source(ctx))
        try loadDetail(ctx, force: false)
    }

    // MARK: - Keys

    enum Action {
        case new, filter, priority, void, cancelRemaining, invoice, focusLines, focusShipments, focusList
        case cancelLine, pick, ship, cancelShipment, logOlder, logNewer
    }

    func keys(_ ctx: AppContext) -> KeyTable<Action> {
        let none = list.selected == nil ? "no order is selected" : nil
        let inList = focus == .list
        var b: [KeyBinding<Action>] = [
            KeyBinding(.char("n"), .new, label: "New", help: "Enter a new order", disabledReason: ctx.refusal(.clerk, "entering orders")),
            KeyBinding(.char("/"), .filter, label: "Filter",
                       help: "Filter by order number, customer (code or name) or status: open, backorder, invoiced, closed, cancelled, void"),
            KeyBinding(.char("p"), .priority, label: "Priority",
                       help: "Change the order's fulfillment priority, with a preview of who loses what",
                       disabledReason: none ?? ctx.refusal(.supervisor, "changing fulfillment priority"), showInFooter: inList),
            KeyBinding(.char("v"), .void, label: "Void", help: "Void the order (it must have shipped nothing); asks first",
                       disabledReason: none ?? ctx.refusal(.clerk, "voiding orders"), showInFooter: inList),
            KeyBinding(.char("x"), .cancelRemaining, label: "Cancel rest",
                       help: "Cancel what remains of the order (close short), with a reason code; asks first",
                       disabledReason: none ?? ctx.refusal(.supervisor, "cancelling remaining quantities"), showInFooter: inList),
            KeyBinding(.char("i"), .invoice, label: "Invoice",
                       help: "Invoice what has shipped; a backordered remainder moves to an extended suborder; asks first",
                       disabledReason: none ?? ctx.refusal(.supervisor, "invoicing"), showInFooter: inList),
        ]
        switch focus {
        case .list:
            b.append(KeyBinding([.tab, .enter], .focusLines, label: "Detail",
                                help: "Move into the order: its lines (cancel one line's rest), then its shipments",
                                disabledReason: none))
        case .lines:
            let line = selectedLine
            b += [
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
            let s = selectedShipment
            let noShipment = s == nil ? "this order has no shipments" : nil
            b += [
                KeyBinding(.char("k"), .pick, label: "Pick", help: "Mark the selected pending shipment picked (its stock freezes)",
                           disabledReason: noShipment ?? ctx.refusal(.clerk, "picking shipments")),
                KeyBinding(.char("s"), .ship, label: "Ship", help: "Ship the selected pending or picked shipment",
                           disabledReason: noShipment ?? ctx.refusal(.clerk, "shipping")),
                KeyBinding(.char("c"), .cancelShipment, label: "Cancel shipment",
                           help: "Cancel the selected pending shipment (its stock stays allotted); asks first",
                           disabledReason: noShipment ?? ctx.refusal(.clerk, "cancelling shipments")),
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

    private var movementHelp: HelpSection {
        HelpSection(title: "Moving", entries: [
            HelpEntry(keys: "↑/↓", help: "Previous / next row"),
            HelpEntry(keys: "PgUp/PgDn", help: "Previous / next page (only the visible page is loaded)"),
            HelpEntry(keys: "Home/End", help: "First / last row"),
            HelpEntry(keys: "Mouse", help: "Click a row to select it; the wheel scrolls"),
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
        return sections + [movementHelp]
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        if let entry {
            let effect = entry.handle(key, ctx: ctx)
            if entry.isDone, entry.saved == nil { self.entry = nil }
            return effect
        }
        if listFilter.isEditing { return handleFilter(key, ctx: ctx) }
        if case .mouse(let x, let y, .leftClick) = key { return click(x: x, y: y, ctx: ctx) }
        if focus == .list {
            do {
                if try list.handle(key, source(ctx)) {
                    try loadDetail(ctx, force: false)
                    return Effect.redraw
                }
            } catch { return .error(error) }
        } else if focus == .lines {
            if lineState.handle(key, total: detail?.lines.count ?? 0, visibleRows: lineRowsShown) { return Effect.redraw }
        } else {
            let count = detail?.shipments.count ?? 0
            if shipmentState.handle(key, total: count, visibleRows: max(1, shipmentsArea.height)) { return Effect.redraw }
        }
        return dispatch(keys(ctx), key) { perform($0, ctx: ctx) }
    }

    private func click(x: Int, y: Int, ctx: AppContext) -> Effect? {
        if listTableArea.contains(x: x, y: y) {
            return Effect.attempt {
                focus = .list
                _ = try list.click(y: y, area: listTableArea, source(ctx))
                try loadDetail(ctx, force: false)
                return .redraw
            }
        }
        if linesArea.contains(x: x, y: y), let d = detail,
           let i = TerminalKit.Table.rowIndex(atY: y, area: linesArea, state: lineState, total: d.lines.count) {
            focus = .lines
            lineState.select(i, total: d.lines.count, visibleRows: lineRowsShown)
            return Effect.redraw
        }
        if shipmentsArea.contains(x: x, y: y), let d = detail {
            let i = shipmentState.offset + (y - shipmentsArea.y)
            if i < d.shipments.count {
                focus = .shipments
                shipmentState.select(i, total: d.shipments.count, visibleRows: shipmentsArea.height)
            }
            return Effect.redraw
        }
        return nil
    }

    private func handleFilter(_ key: Key, ctx: AppContext) -> Effect? {
        let (effect, mustReload) = listFilter.handle(key)
        guard mustReload else { return effect }
        return Effect.attempt { try reload(ctx); return effect ?? .redraw }
    }

    private var selectedLine: OrderView.Line? {
        detail?.lines[safe: lineState.selected]
    }

    private var selectedShipment: OrderView.Shipment? {
        detail?.shipments[safe: shipmentState.selected]
    }

    private func perform(_ action: Action, ctx: AppContext) -> Effect {
        let desk = ctx.desk
        switch action {
        case .new:
            let form = OrderEntryForm(prefs: ctx.prefs)
            entry = form
            return .info("New order: type a customer code or name; Enter moves on, Ctrl-S saves.")
        case .filter:
            listFilter.begin()
            return .redraw
        case .focusLines:
            focus = .lines
            return .redraw
        case .focusShipments:
            focus = .shipments
            return .redraw
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
            return .modal(ConfirmModal(title: "Invoice order \(o.number)?",
                                       message: "Bills what has shipped and is not yet invoiced. A backordered remainder moves to an extended suborder (\(o.number.split(separator: ".").first ?? "").01, …).",
                                       yesLabel: "Invoice") { [self] in
                invoice(o.number, choice: nil, ctx: ctx)
            })
        case .pick, .ship, .cancelShipment:
            guard let s = selectedShipment else { return .redraw }
            if action == .cancelShipment {
                return .modal(ConfirmModal(title: "Cancel shipment \(s.id)?",
                                           message: "The pending shipment is cancelled; its quantities stay allotted to the order.",
                                           yesLabel: "Cancel shipment") {
                    Effect.attempt {
                        try desk.cancelShipment(s.id)
                        return .all([.reload, .success("Shipment \(s.id) cancelled; its stock stays allotted.")])
                    }
                })
            }
            return Effect.attempt {
                if action == .pick {
                    try desk.pickShipment(s.id)
                    return .all([.reload, .success("Shipment \(s.id) picked: its quantities are frozen.")])
                }
                try desk.shipShipment(s.id)
                return .all([.reload, .success("Shipment \(s.id) shipped.")])
            }
        }
    }

    /// Invoices; a *ship partial, cancel backorders* order with a remainder asks what to do.
    private func invoice(_ number: String, choice: RemainderChoice?, ctx: AppContext) -> Effect {
        do {
            let v = try ctx.desk.invoice(number, choice: choice)
            let t = v.result.totals
            var text = "Invoice \(v.result.invoice) for order \(number): total \(Format.money(t.totalCents))"
            if t.cashAppliedCents > 0 { text += ", \(Format.money(t.cashAppliedCents)) prepaid applied" }
            if let sub = v.result.suborder { text += "; the remainder is on suborder \(sub)" }
            if v.result.cancelledUnits > 0 { text += "; \(v.result.cancelledUnits) backordered unit(s) cancelled" }
            return .all([.reload, .success(text + ".")])
        } catch DeskError.splitNeeded(let message) {
            return .modal(QuestionModal(title: "Backordered remainder", message: message.replacingOccurrences(of: " (--cancel-backorders REASON)", with: "").replacingOccurrences(of: " (--keep-backorders)", with: ""), choices: [
                .init(key: .char("k"), label: "Keep on suborder", help: "Invoice and move the remainder to an extended suborder") { [self] in
                    invoice(number, choice: .keep, ctx: ctx)
                },
                .init(key: .char("c"), label: "Cancel them", help: "Invoice and cancel the backordered remainder, with a reason") { [self] in
                    .modal(ReasonModal(title: "Cancel the backorders", message: "Reason for cancelling the backordered remainder of order \(number):",
                                       reasons: ctx.reasons) { code in self.invoice(number, choice: .cancel(reasonCode: code), ctx: ctx) })
                },
            ]))
        } catch {
            return .error(error)
        }
    }

    // MARK: - Drawing

    func render(body: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        if let entry {
            entry.render(body: body, buffer: &buffer, ctx: ctx)
            return
        }
        let p = parts(body)
        renderList(p, buffer: &buffer, ctx: ctx)
        renderDetail(p.detail, buffer: &buffer, ctx: ctx)
    }

    private func renderList(_ p: Parts, buffer: inout ScreenBuffer, ctx: AppContext) {
        let position = TerminalKit.Table.positionText(state: list.table, total: list.total)
        if let field = listFilter.field {
            Draw.filterRule("Orders", field: field, right: position, area: p.listTitle, buffer: &buffer, ctx: ctx)
        } else {
            let right = (filter.isEmpty ? "" : "filter: \(filter) · ") + position
            Draw.rule("Orders", right: right, area: p.listTitle, focused: focus == .list, buffer: &buffer, ctx: ctx)
        }
        listTableArea = p.listTable
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
            var r = [o.number, o.status, customer, String(o.priority)]
            if !narrow { r.append(String(o.lines)) }
            r += [Format.nonZero(o.boLines), narrow ? String(o.enteredDay.dropFirst(5)) : o.enteredDay]
            if !narrow { r.append(o.location) }
            return r
        }
        let styles: [ThemeRole?] = list.rows.map { ["void", "cancelled", "closed"].contains($0.status) ? .dim : nil }
        TerminalKit.Table.render(columns: columns, rows: rows, rowStyles: styles, state: list.table, total: list.total,
                                 focused: focus == .list, area: p.listTable, buffer: &buffer, theme: ctx.theme,
                                 showPosition: false,
                                 emptyMessage: filter.isEmpty ? "No orders yet: press n to enter one" : "No orders match the filter")
        let statusRoles: [ThemeRole?] = list.rows.map { o in
            switch o.status {
            case "backorder": return .backordered
            case "open": return .good
            case "invoiced": return .title
            default: return nil
            }
        }
        Draw.tint(column: 1, roles: statusRoles, columns: columns, area: p.listTable, state: list.table, buffer: &buffer, ctx: ctx)
        let boColumn = columns.firstIndex { $0.title == "BO" }!
        Draw.tint(column: boColumn, roles: list.rows.map { $0.boLines > 0 ? .backordered : nil }, columns: columns,
                  area: p.listTable, state: list.table, buffer: &buffer, ctx: ctx)
    }

    private func renderDetail(_ area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        guard area.height >= 3 else { return }
        guard let o = detail else {
            Draw.rule("Order", area: area, focused: false, buffer: &buffer, ctx: ctx)
            Draw.centered(detailError ?? "Select an order to see its lines, shipments and log", in: area.inset(top: 1), buffer: &buffer, ctx: ctx)
            shipmentsArea = Rect(x: 0, y: 0, width: 0, height: 0)
            return
        }
        let statusRole: ThemeRole = o.status == "backorder" ? .backordered : (["void", "cancelled", "closed"].contains(o.status) ? .dim : .good)
        Draw.rule("Order \(o.number)", right: FulfillmentPolicy(rawValue: o.policy)?.label, area: area, focused: focus != .list,
                  buffer: &buffer, ctx: ctx)
        var info: [(String, ThemeRole)] = [(o.customer, .title), (" " + o.customerName, .normal)]
        info.append((" · ", .dim))
        info.append((o.status, statusRole))
        info.append((" · pri \(o.priority) · \(o.policy) · \(o.location) · \(o.enteredDay) by \(o.enteredBy)", .dim))
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
        let right = log.isEmpty ? "empty" : (first > 0 || logBack > 0 ? "PgUp/PgDn · \(log.count) entries" : "\(log.count) entries")
        Draw.rule("Record log", right: right, area: Rect(x: area.x, y: y, width: area.width, height: 1), focused: false,
                  buffer: &buffer, ctx: ctx)
        for (row, line) in lines[first..<max(first, end)].enumerated() where row < logArea.height {
            Draw.text(line.prefix, at: logArea, row: row, x: 1, role: .dim, buffer: &buffer, ctx: ctx)
            Draw.text(line.text, at: logArea, row: row, x: 1 + prefixWidth, role: line.role, buffer: &buffer, ctx: ctx)
        }
    }

    private func policyWord(_ raw: String) -> String {
        FulfillmentPolicy(rawValue: raw)?.label ?? raw
    }

    private func logRole(_ kind: String) -> ThemeRole {
        switch kind {
        case "preempt", "cancel", "void", "shipment-reduced": return .warning
        case "allot", "ship": return .good
        default: return .normal
        }
    }

    private func renderLines(_ o: OrderView, area: Rect, rows: Int, buffer: inout ScreenBuffer, ctx: AppContext) {
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
            TableColumn("Promise", width: wide ? .fixed(10) : .fill, minWidth: 7),
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
                  bo, l.promise ?? l.projected ?? ""]
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
        if o.lines.count > rows, area.height > 0 {
            let more = focus == .lines ? " \(lineState.selected + 1)/\(o.lines.count) " : " +\(o.lines.count - rows) more (Tab) "
            buffer.put(more, x: area.maxX - TextWidth.width(of: more) - 1, y: area.y, style: ctx.style(.columnHeader))
        }
    }

    private func renderShipments(_ o: OrderView, buffer: inout ScreenBuffer, ctx: AppContext) {
        let area = shipmentsArea
        guard !area.isEmpty else { return }
        shipmentState.clamp(total: o.shipments.count, visibleRows: area.height)
        for (row, s) in o.shipments.dropFirst(shipmentState.offset).prefix(area.height).enumerated() {
            let index = shipmentState.offset + row
            let selected = focus == .shipments && index == shipmentState.selected
            let role: ThemeRole
            switch s.status {
            case "picked": role = .frozen
            case "shipped", "cancelled": role = .dim
            default: role = .normal
            }
            let y = area.y + row
            let style = selected ? ctx.style(.selection) : ctx.style(role)
            buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style)
            let items = s.items.map { "line \($0.line) × \(Format.grouped($0.qty))" }.joined(separator: ", ")
            let text = " #" + TextWidth.pad(String(s.id), toWidth: 6) + TextWidth.pad(s.status, toWidth: 10)
                + TextWidth.pad(Format.minute(s.createdAt), toWidth: 18) + items
            buffer.put(text, x: area.x, y: y, style: style, maxWidth: area.width)
        }
    }
}
