import BackorderCore
import GRDB

public struct InvoiceResult: Hashable, Sendable {
    /// One line billed: its quantity shipped and not yet invoiced, at its unit price.
    public struct Line: Hashable, Sendable {
        public var line: Int
        public var lic: String
        public var qty: Int
        public var unitCents: Int
        public var extensionCents: Int { qty * unitCents }
    }
    public var order: String
    public var invoice: Int
    public var totals: Invoicing.Totals
    public var suborder: String?
    public var cancelledUnits: Int
    public var lines: [Line] = []
    /// Units left backordered that the suborder takes.
    public var remainderUnits = 0
}

extension Engine {
    /// Invoices an order's shipped-but-not-invoiced quantities (§5). Remaining need goes to an
    /// extended suborder (ship partial), or is cancelled or kept as the user chooses (ship partial,
    /// cancel backorders); ship-complete orders are refused until fully shipped.
    /// What invoicing would bill and create (§10: a decision shows its figures before it is
    /// taken): the invoice itself, made inside a savepoint that is rolled back.
    func previewInvoice(orderID: Int64, choice: RemainderChoice?) throws -> InvoiceResult {
        var result: InvoiceResult?
        let saved = (stats, ordersToShipSnapshot())
        try db.rolledBack { result = try invoice(orderID: orderID, choice: choice) }
        stats = saved.0
        restoreOrdersToShip(saved.1)
        orderCacheClear()
        return result!
    }

    func invoice(orderID: Int64, choice: RemainderChoice?) throws -> InvoiceResult {
        let o = try order(orderID)
        guard o.isOpen else { throw DeskError.refused("order \(o.number) is \(o.status); only open orders are invoiced") }
        let header = try fetchRow(sql: """
            SELECT base_number, suffix, prepaid_cents, handling_cents, tax_rate_ppm FROM orders WHERE id = ?
            """, arguments: [orderID])!
        let base: Int = header[0]
        let suffix: Int = header[1]
        let prepaid: Int = header[2]
        let handling: Int = header[3]
        let taxPPM: Int = header[4]
        var lines = try LineRow.fetchAll(db, sql: "WHERE order_id = ? ORDER BY line_no", arguments: [orderID])
        let remaining = lines.reduce(0) { $0 + $1.remaining }
        if o.policy.shipsComplete && remaining > 0 {
            throw DeskError.refused("order \(o.number) ships complete (\(o.policy.label)); it cannot be invoiced until everything has shipped (\(remaining) unit(s) to go)")
        }
        var cancelled = 0
        if remaining > 0 && o.policy == .partialCancel {
            switch choice {
            case nil:
                throw DeskError.question(.remainder(order: o.number, units: remaining))
            case .cancel(let code)?:
                let frozen = lines.reduce(0) { $0 + $1.frozen }
                guard frozen == 0 else {
                    throw DeskError.refused("order \(o.number) has \(frozen) unit(s) on picked shipments; ship them before cancelling the rest")
                }
                cancelled = try cancelRemaining(orderID: orderID, lineNo: nil, reasonCode: code, closing: false)
                lines = try LineRow.fetchAll(db, sql: "WHERE order_id = ? ORDER BY line_no", arguments: [orderID])
            case .keep?:
                break
            }
        }

        let billable = lines.filter { $0.shipped > $0.invoiced }
        guard !billable.isEmpty else {
            throw DeskError.refused("order \(o.number) has nothing shipped that is not yet invoiced")
        }
        let previous = try fetchRow(sql: "SELECT count(*), coalesce(sum(cash_applied_cents), 0) FROM invoice WHERE order_id = ?",
                                        arguments: [orderID])!
        let isFirst = (previous[0] as Int) == 0
        let totals = Invoicing.totals(lines: billable.map { ($0.shipped - $0.invoiced, $0.unitCents) }, taxRatePPM: taxPPM,
                                      handlingCents: handling, chargeHandling: suffix == 0 && isFirst,
                                      prepaidRemainingCents: prepaid - (previous[1] as Int))
        let number = Int(try nextCounter("invoice_number"))
        try exec(sql: """
            INSERT INTO invoice (number, order_id, at, actor, subtotal_cents, tax_cents, handling_cents, total_cents, cash_applied_cents)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [number, orderID, at, actor, totals.subtotalCents, totals.taxCents, totals.handlingCents,
                             totals.totalCents, totals.cashAppliedCents])
        let invoiceID = try db.lastInsertedRowID
        for old in billable {
            let qty = old.shipped - old.invoiced
            try exec(sql: "INSERT INTO invoice_line (invoice_id, line_id, qty, unit_cents, extension_cents) VALUES (?, ?, ?, ?, ?)",
                           arguments: [invoiceID, old.id, qty, old.unitCents, qty * old.unitCents])
            var line = old
            line.invoiced = old.shipped
            try saveLine(line, old: old)
        }
        try log(orderID, .note("Invoice \(number): subtotal \(cents(totals.subtotalCents)), tax \(cents(totals.taxCents)), handling \(cents(totals.handlingCents)), total \(cents(totals.totalCents)); cash applied \(cents(totals.cashAppliedCents))."))

        var billed: [InvoiceResult.Line] = []
        for l in billable { billed.append(.init(line: l.lineNo, lic: try licCode(l.licID), qty: l.shipped - l.invoiced, unitCents: l.unitCents)) }
        var suborder: String?
        let stillRemaining = lines.reduce(0) { $0 + $1.remaining }
        if stillRemaining > 0 {
            let invoicedTotal = try fetchValue(Int.self, sql: "SELECT sum(total_cents) FROM invoice WHERE order_id = ?", arguments: [orderID]) ?? 0
            let cash = Invoicing.splitCash(prepaidCents: prepaid, invoicedTotalCents: invoicedTotal)
            suborder = try createSuborder(from: o, base: base, lines: lines, cash: cash)
        }
        try exec(sql: "UPDATE orders SET status = ? WHERE id = ?",
                       arguments: [(lines.contains { $0.cancelled > 0 } && suborder == nil ? OrderStatus.closed : .invoiced).rawValue, orderID])
        forgetOrder(orderID)
        for line in try LineRow.fetchAll(db, sql: "WHERE order_id = ?", arguments: [orderID]) { try saveLine(line, old: line) }
        try finish()
        return InvoiceResult(order: o.number, invoice: number, totals: totals, suborder: suborder, cancelledUnits: cancelled,
                             lines: billed, remainderUnits: suborder == nil ? 0 : stillRemaining)
    }

    /// Moves every line's remaining need — with its allotment, BO flag, shipment items and the
    /// original's queue position — to a new extended suborder. The original keeps each line's LIC
    /// with its quantity reduced to what shipped.
    private func createSuborder(from o: OrderRow, base: Int, lines: [LineRow], cash: (original: Int, suborder: Int)) throws -> String {
        let used = try fetchValues(Int.self, sql: "SELECT suffix FROM orders WHERE base_number = ?", arguments: [base])
        let (number, suffix) = Invoicing.suborderNumber(base: base, usedSuffixes: used)
        try exec(sql: """
            INSERT INTO orders (number, base_number, suffix, parent_id, customer_id, location_id, status, policy, priority,
                entered_seq, entered_at, entered_day, entered_by, schedule_date, prepaid_cents, min_deposit_cents,
                handling_cents, tax_rate_ppm)
            SELECT ?, base_number, ?, id, customer_id, location_id, 'open', policy, priority, entered_seq, ?, entered_day, ?,
                   schedule_date, ?, min_deposit_cents, 0, tax_rate_ppm
            FROM orders WHERE id = ?
            """, arguments: [number, suffix, at, actor, cash.suborder, o.id])
        let subID = try db.lastInsertedRowID
        try exec(sql: "UPDATE orders SET prepaid_cents = ? WHERE id = ?", arguments: [cash.original, o.id])
        try log(subID, .note("Extended suborder \(number) of order \(o.number): the backordered remainder, keeping its place in the queue; prepaid cash \(cents(cash.suborder))."))
        var lineNo = 0
        for old in lines where old.remaining > 0 {
            lineNo += 1
            var moved = LineRow(orderID: subID, lineNo: lineNo, licID: old.licID, locationID: old.locationID, priority: old.priority,
                                enteredSeq: old.enteredSeq, ordered: old.remaining, unitCents: old.unitCents,
                                wholeLine: old.wholeLine, inventoried: old.inventoried)
            moved.allotted = old.allotted
            moved.frozen = old.frozen
            moved.onShipment = old.onShipment
            moved.dedicated = old.dedicated
            moved.attached = old.attached
            moved = try saveLine(moved, old: nil)
            // PO attachments follow the need they were made for.
            try exec(sql: "UPDATE po_attachment SET line_id = ? WHERE line_id = ?", arguments: [moved.id, old.id])
            var kept = old
            kept.ordered = old.shipped + old.cancelled
            kept.allotted = 0
            kept.frozen = 0
            kept.onShipment = 0
            kept.dedicated = 0
            kept.attached = 0
            try saveLine(kept, old: old)
            try exec(sql: """
                UPDATE shipment_item SET line_id = ? WHERE line_id = ? AND shipment_id IN
                    (SELECT id FROM shipment WHERE status IN ('pending', 'picked'))
                """, arguments: [moved.id, old.id])
            let lic = try licCode(old.licID)
            try log(o.id, .note("Line \(old.lineNo): \(old.remaining) \(lic) moved to suborder \(number) line \(lineNo); this line keeps \(kept.ordered)."))
            try log(subID, .lineAdded(line: lineNo, lic: lic, quantity: moved.ordered, allotted: moved.allotted))
        }
        // Open shipments whose items all moved now belong to the suborder.
        try exec(sql: """
            UPDATE shipment SET order_id = ? WHERE order_id = ? AND status IN ('pending', 'picked')
              AND NOT EXISTS (SELECT 1 FROM shipment_item si JOIN order_line l ON l.id = si.line_id
                              WHERE si.shipment_id = shipment.id AND l.order_id = ?)
            """, arguments: [subID, o.id, o.id])
        try log(o.id, .note("Extended suborder \(number) created for the backordered remainder; this order keeps prepaid cash \(cents(cash.original))."))
        return number
    }

    func cents(_ c: Int) -> String {
        let f = c % 100
        return "\(c / 100).\(f < 10 ? "0" : "")\(f)"
    }
}
