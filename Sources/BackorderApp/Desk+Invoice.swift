import BackorderCore
import BackorderStore

public struct InvoiceView: JSONConvertible, Sendable {
    public var result: InvoiceResult
    /// False for a preview: nothing was written.
    public var applied = true
    public var json: JSON {
        .object([("order", .string(result.order)), ("invoice", .int(result.invoice)), ("applied", .bool(applied)),
                 ("lines", .array(result.lines.map { .object([("line", .int($0.line)), ("lic", .string($0.lic)), ("qty", .int($0.qty)),
                                                              ("unit_cents", .int($0.unitCents)), ("extension_cents", .int($0.extensionCents))]) })),
                 ("remainder_units", .int(result.remainderUnits)),
                 ("subtotal_cents", .int(result.totals.subtotalCents)), ("tax_cents", .int(result.totals.taxCents)),
                 ("handling_cents", .int(result.totals.handlingCents)), ("total_cents", .int(result.totals.totalCents)),
                 ("cash_applied_cents", .int(result.totals.cashAppliedCents)), ("suborder", .opt(result.suborder)),
                 ("cancelled_units", .int(result.cancelledUnits))])
    }
}

extension Desk {
    /// Invoices an order (supervisor). `choice` answers the *ship partial, cancel backorders*
    /// question. With `preview`, says what the invoice would bill and which suborder would take
    /// the remainder, and writes nothing.
    public func invoice(_ number: String, choice: RemainderChoice?, preview: Bool = false) throws -> InvoiceView {
        try require(.supervisor, to: "invoicing")
        var c = choice
        if case .cancel(let code)? = choice { c = .cancel(reasonCode: code.trimmingCharacters(in: .whitespaces).uppercased()) }
        let choice = c
        return InvoiceView(result: try store.invoice(order: number, choice: choice, preview: preview, stamp()), applied: !preview)
    }
}
