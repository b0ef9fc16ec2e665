import BackorderApp
import BackorderCore
import TerminalKit

/// The Orders screen's key tables: one per pane (the list, an order's lines, its shipments),
/// the shipments to pick and ship, and the help built from them.
extension OrdersScreen {
    enum Action {
        case new, filter, priority, void, cancelRemaining, invoice, focusLines, focusShipments, focusList
        case cancelLine, why, pick, ship, cancelShipment, logOlder, logNewer
        case toShip, backToOrders, openShipmentOrder
        case move(ListMove)

        var scrollsLog: Bool {
            switch self {
            case .logOlder, .logNewer: return true
            default: return false
            }
        }
    }

    /// The table of the pane that has the focus.
    func keys(_ ctx: AppContext) -> KeyTable<Action> {
        mode == .toShip ? toShipKeys(ctx) : keys(ctx, focus: focus)
    }

    /// The table of a pane of the orders view, as it would be with that pane focused (a function
    /// of the state: the help builds every pane's table without moving the focus).
    func keys(_ ctx: AppContext, focus: Focus) -> KeyTable<Action> {
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
            b += pane.bindings(Action.move)
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
                KeyBinding(.tab, .focusShipments, label: "Shipments", help: "Move to the order's shipments"),
                KeyBinding(.escape, .focusList, label: "Back", help: "Back to the orders list"),
            ]
            b += ListMove.bindings(TableMove.withoutPaging, noun: "line", Action.move) + logKeys
        case .shipments:
            b += shipmentKeys(orderShipment, ctx)
            b += [
                KeyBinding([.tab, .escape], .focusList, label: "Back", help: "Back to the orders list"),
            ]
            b += ListMove.bindings(TableMove.withoutPaging, noun: "shipment", Action.move) + logKeys
        }
        switch focus {
        case .list: return KeyTable("Orders", b)
        case .lines: return KeyTable("Order lines", b)
        case .shipments: return KeyTable("Order shipments", b)
        }
    }

    /// In an order's lines and shipments, PgUp/PgDn scroll the record log below them (its title
    /// says so): those panes are a few rows, the log is what runs long. ↑/↓ still move the rows.
    var logKeys: [KeyBinding<Action>] {
        [KeyBinding.navigation(.pageUp, .logOlder, label: "Older log", help: "Scroll the record log back"),
         KeyBinding.navigation(.pageDown, .logNewer, label: "Newer log", help: "Scroll the record log forward")]
    }

    /// The keys of the focused pane's table that scroll the record log ("PgUp/PgDn"), or nil
    /// where none do.
    func logScrollKeys(_ ctx: AppContext) -> String? {
        let keys = keys(ctx).bindings.filter { $0.action.scrollsLog }.map(\.keyText)
        return keys.isEmpty ? nil : keys.joined(separator: "/")
    }

    /// Pick, ship and cancel for a shipment (the order's shipments pane and the to-ship list).
    func shipmentKeys(_ s: ShipmentRef?, _ ctx: AppContext) -> [KeyBinding<Action>] {
        let none = s == nil ? "no shipment is selected" : nil
        let pending = s?.status == .pending ? nil : "only a pending shipment can be picked"
        let shippable = s?.status == .pending || s?.status == .picked ? nil : "only a pending or picked shipment can be shipped"
        let cancellable = s?.status == .pending ? nil : "only a pending shipment can be cancelled"
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

    func toShipKeys(_ ctx: AppContext) -> KeyTable<Action> {
        let s = toShip.selected.map { ShipmentRef(id: $0.id, status: $0.status, order: $0.order, units: $0.units) }
        return KeyTable("Shipments to pick and ship", shipmentKeys(s, ctx) + [
            KeyBinding(.enter, .openShipmentOrder, label: "Open order", help: "Show the selected shipment's order in the orders list",
                       disabledReason: s == nil ? "no shipment is selected" : nil),
            KeyBinding(.char("/"), .filter, label: "Filter orders", help: "Back to the orders list and filter it"),
            KeyBinding([.char("t"), .escape], .backToOrders, label: "Orders", help: "Back to the orders list"),
        ] + toShipPane.bindings(Action.move))
    }

    func footer(_ ctx: AppContext) -> [FooterItem] {
        if let entry { return entry.keys(ctx).footerItems }
        if pane.isFiltering { return ListFilter.keys.footerItems }
        return keys(ctx).footerItems
    }

    /// Every table of the current mode: the entry form's, the filter's, the shipments to ship,
    /// or the three panes of the orders view.
    func keyTables(_ ctx: AppContext) -> [any AnyKeyTable] {
        if let entry { return [entry.keys(ctx)] }
        if pane.isFiltering { return [ListFilter.keys] }
        if mode == .toShip { return [toShipKeys(ctx)] }
        return [Focus.list, .lines, .shipments].map { keys(ctx, focus: $0) }
    }

    /// The list's actions, then what the lines and shipments add, then each pane's moving.
    /// Built from each pane's table as a function of the state; nothing moves.
    func help(_ ctx: AppContext) -> [HelpSection] {
        if let entry { return entry.keys(ctx).helpSections }
        if pane.isFiltering { return ListFilter.keys.helpSections }
        if mode == .toShip { return paneHelp([toShipKeys(ctx)]) }
        let tables = [Focus.list, .lines, .shipments].map { keys(ctx, focus: $0) }
        return paneHelp(tables) + [HelpSection(title: "Dates", entries: [
            HelpEntry(keys: "Promise", help: "A date is a PO promise; ~date a projection from open POs; a date before today is highlighted"),
        ])]
    }
}
