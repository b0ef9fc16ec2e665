import BackorderCore
import BackorderStore
import GRDB

public struct InvoiceView: JSONConvertible, Sendable {
    public var result: InvoiceResult
    public var json: JSON {
        .object([("order", .string(result.order)), ("invoice", .int(result.invoice)),
                 ("subtotal_cents", .int(result.totals.subtotalCents)), ("tax_cents", .int(result.totals.taxCents)),
                 ("handling_cents", .int(result.totals.handlingCents)), ("total_cents", .int(result.totals.totalCents)),
                 ("cash_applied_cents", .int(result.totals.cashAppliedCents)), ("suborder", .opt(result.suborder)),
                 ("cancelled_units", .int(result.cancelledUnits))])
    }
}

extension Desk {
    /// Invoices an order (supervisor). `choice` answers the *ship partial, cancel backorders* question.
    public func invoice(_ number: String, choice: RemainderChoice?) throws -> InvoiceView {
        try require(.supervisor, to: "invoicing")
        var c = choice
        if case .cancel(let code)? = choice { c = .cancel(reasonCode: code.trimmingCharacters(in: .whitespaces).uppercased()) }
        let choice = c
        return InvoiceView(result: try write { e in try e.invoice(orderID: try Desk.orderID(e.db, number), choice: choice) })
    }
}
