import BackorderApp
import BackorderCore
import TerminalKit

/// The Purchasing screen's key tables: the PO list's, a PO's lines', the suggestions'.
extension PurchasingScreen {
    enum Action {
        case detail, back, new, approve, receive, close, filter, statusFilter, suggestions, generate, autoReserve, openLIC, openOrder
        case move(ListMove)
    }

    /// The table of the pane that has the focus.
    func keys(_ ctx: AppContext) -> KeyTable<Action> {
        mode == .suggestions ? suggestionKeys(ctx) : keys(ctx, focus: focus)
    }

    func suggestionKeys(_ ctx: AppContext) -> KeyTable<Action> {
        let supervisor = { (what: String) in ctx.refusal(.supervisor, what) }
        let none = suggestions.isEmpty ? "replenishment suggests nothing now" : nil
        return KeyTable("Replenishment suggestions", [
            KeyBinding(.char("g"), .generate, label: "Generate POs",
                       help: "Make one draft purchase order per vendor and location from these suggestions (LICs without a vendor are left out); asks first",
                       disabledReason: none ?? supervisor("creating purchase orders")),
            KeyBinding(.enter, .openLIC, label: "Demand", help: "Open the selected LIC's demand drill-down on the Items screen",
                       disabledReason: none),
            KeyBinding([.escape, .char("s")], .back, label: "POs", help: "Back to the purchase orders"),
        ] + ListMove.bindings(noun: "suggestion", Action.move))
    }

    /// The table of a pane of the PO view as it would be with that pane focused (a function of
    /// the state: the help builds both without moving the focus).
    func keys(_ ctx: AppContext, focus: Focus) -> KeyTable<Action> {
        let supervisor = { (what: String) in ctx.refusal(.supervisor, what) }
        let receiving = receivingLine(focus: focus)
        let po = list.selected
        let none = po == nil ? "no purchase order is selected" : nil
        let notDraft = po?.status == .draft ? nil : "only a draft purchase order is approved"
        let notOpen = po?.status == .open ? nil : "only an open purchase order is received"
        let closable = po?.status == .open || po?.status == .draft ? nil : "only a draft or open purchase order is closed"
        let nothingOpen = receiving.map { $0.open > 0 ? nil : "line \($0.line) has nothing left to receive" } ?? "this purchase order has nothing left to receive"
        var b: [KeyBinding<Action>] = [
            KeyBinding(.char("n"), .new, label: "New PO", help: "Enter a new purchase order: vendor, location, dates, lines",
                       disabledReason: supervisor("creating purchase orders")),
            KeyBinding(.char("r"), .receive, label: "Receive",
                       help: "Receive against a PO line (the selected one, else the first still open), its open quantity filled in: attached backorders are served first",
                       disabledReason: none ?? notOpen ?? nothingOpen ?? ctx.refusal(.clerk, "posting receipts")),
            KeyBinding(.char("a"), .approve, label: "Approve", help: "Approve the selected draft: its quantities count as on order and may be attached to",
                       disabledReason: none ?? notDraft ?? supervisor("approving purchase orders")),
            KeyBinding(.char("x"), .close, label: "Close PO",
                       help: "Close the selected PO: what has not arrived is cancelled and its attachments released; asks first",
                       disabledReason: none ?? closable ?? supervisor("closing purchase orders")),
            KeyBinding(.char("s"), .suggestions, label: "Suggestions", help: "The replenishment suggestions (§6), and generating draft POs from them"),
            KeyBinding(.char("u"), .autoReserve, label: "Auto reserve",
                       help: "Run the auto reserve utility now: attach backordered lines to the oldest open PO lines that can fill them",
                       disabledReason: supervisor("running processes now")),
            KeyBinding(.char("/"), .filter, label: "Filter", help: "Filter by PO number, vendor, LIC, or a status: draft, open, received, closed"),
            KeyBinding(.char("f"), .statusFilter, label: "Status", help: "Show POs of one status, in turn: all, draft, open, received, closed",
                       showInFooter: false),
        ]
        switch focus {
        case .list:
            b.append(KeyBinding([.tab, .enter], .detail, label: "Lines", help: "Move into the PO's lines (receive one of them)", disabledReason: none))
            return KeyTable("Purchase orders", b + pane.bindings(Action.move))
        case .lines:
            b.append(KeyBinding(.enter, .openOrder, label: "Attached order",
                                help: "Open the first order attached to the selected PO line",
                                disabledReason: attachedOrder == nil ? "no order line is attached to this PO line" : nil))
            b.append(KeyBinding([.escape, .tab], .back, label: "Back", help: "Back to the purchase orders"))
            return KeyTable("Purchase order lines", b + ListMove.bindings(noun: "line", Action.move))
        }
    }

    var attachedOrder: String? {
        guard let l = selectedLine else { return nil }
        return detail?.attachments.first { $0.poLine == l.line }?.order
    }

    func footer(_ ctx: AppContext) -> [FooterItem] {
        if let form { return form.keys(ctx).footerItems }
        if let stockForm { return stockForm.keys.footerItems }
        if pane.isFiltering { return ListFilter.keys.footerItems }
        return keys(ctx).footerItems
    }

    /// The tables of the current mode: a form's, the filter's, the suggestions', or the PO
    /// list's and (from the list) its lines'.
    private func tables(_ ctx: AppContext) -> [KeyTable<Action>] {
        if mode == .suggestions { return [suggestionKeys(ctx)] }
        return focus == .list ? [keys(ctx, focus: .list), keys(ctx, focus: .lines)] : [keys(ctx, focus: .lines)]
    }

    func keyTables(_ ctx: AppContext) -> [any AnyKeyTable] {
        if let form { return [form.keys(ctx)] }
        if let stockForm { return [stockForm.keys] }
        if pane.isFiltering { return [ListFilter.keys] }
        return tables(ctx)
    }

    func help(_ ctx: AppContext) -> [HelpSection] {
        if let form { return form.keys(ctx).helpSections }
        if let stockForm { return stockForm.keys.helpSections }
        if pane.isFiltering { return ListFilter.keys.helpSections }
        return paneHelp(tables(ctx)) + [HelpSection(title: "Columns", entries: [
            HelpEntry(keys: "Open", help: "Ordered − received − cancelled: what is still to arrive"),
            HelpEntry(keys: "Attached", help: "Open quantity reserved for backordered order lines (auto backorder)"),
            HelpEntry(keys: "Suggested", help: "Backordered + minimum stock − available − on order − already drafted, rounded up to the reorder multiple"),
        ])]
    }
}
