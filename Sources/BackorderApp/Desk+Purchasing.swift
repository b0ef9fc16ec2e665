import BackorderCore
import BackorderStore
import Foundation

/// `po show`: a purchase order with its lines and the order lines attached to them.
extension PurchaseOrderView: JSONConvertible {
    public var json: JSON {
        .object([("number", .string(number)), ("vendor", .string(vendor)), ("location", .string(location)),
                 ("order_date", .string(orderDate)), ("expected", .opt(expected)), ("status", .word(status)),
                 ("allow_attach", .bool(allowAttach)),
                 ("lines", .array(lines.map { l in
                     .object([("line", .int(l.line)), ("lic", .string(l.lic)), ("qty", .int(l.qty)), ("received", .int(l.received)),
                              ("cancelled", .int(l.cancelled)), ("attached", .int(l.attached)), ("open", .int(l.open))])
                 })),
                 ("attachments", .array(attachments.map { a in
                     .object([("po_line", .int(a.poLine)), ("order", .string(a.order)), ("line", .int(a.orderLine)), ("qty", .int(a.qty)),
                              ("customer", .string(a.customer)), ("promise", .opt(a.promise))])
                 }))])
    }
}

extension Desk {
    /// Parses `LIC:QTY`.
    public static func parsePOLine(_ text: String) throws -> (lic: String, qty: Int) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { throw DeskError.invalid("a PO line is LIC:QTY, not '\(text)'") }
        return (parts[0], try Input.quantity(parts[1], field: "quantity of \(parts[0])"))
    }

    @discardableResult
    public func createPurchaseOrder(_ r: PORequest) throws -> PurchaseOrderView {
        try require(.supervisor, to: "creating purchase orders")
        for l in r.lines { _ = try Input.quantity(l.qty) }
        let today = clock.today
        let number = try store.createPurchaseOrder(r, today: today, stamp())
        return try purchaseOrder(number)
    }

    public func purchaseOrder(_ number: String) throws -> PurchaseOrderView {
        try store.purchaseOrder(number)
    }

    public func purchaseOrders(status: PurchaseOrderStatus? = nil) throws -> [PurchaseOrderView] {
        try store.purchaseOrderNumbers(status: status).map(purchaseOrder)
    }

    public func approvePurchaseOrder(_ number: String) throws -> PurchaseOrderView {
        try require(.supervisor, to: "approving purchase orders")
        try store.approvePurchaseOrder(number, stamp())
        return try purchaseOrder(number)
    }

    /// Closes a purchase order (supervisor): its open remainder is cancelled and its attachments released.
    public func closePurchaseOrder(_ number: String) throws -> PurchaseOrderView {
        try require(.supervisor, to: "closing purchase orders")
        try store.closePurchaseOrder(number, stamp())
        return try purchaseOrder(number)
    }

    /// The open PO lines of a LIC at a location, oldest first (PO order date, then number):
    /// what a receipt of it can be posted against.
    public func openPOLines(lic: String, location: String) throws -> [OpenPOLine] {
        try store.openPOLines(lic: lic, location: location)
    }

    /// Receives against a purchase order: attached lines first, then the queue (through the
    /// primary process, at once with *process receipts on posting*). More than the PO has open
    /// is asked about (`DeskQuestion.excessOverPO`); with `excessAsUnplanned` the rest is posted
    /// as an unplanned receipt in the same transaction.
    public func receive(lic: String, qty: Int, po number: String, location: String? = nil,
                        excessAsUnplanned: Bool = false) throws -> ProcessResult? {
        try require(.clerk, to: "posting receipts")
        _ = try Input.quantity(qty)
        return try store.receive(lic: lic, qty: qty, po: number, location: location, excessAsUnplanned: excessAsUnplanned,
                                 stamp()).map(ProcessResult.init)
    }

    /// What replenishment would order now, per (LIC, location), by LIC code: the suggestions
    /// "generate purchase orders" turns into drafts (those without a vendor are left out there).
    public func replenishmentSuggestions() throws -> [ReplenishmentSuggestion] {
        try store.replenishmentSuggestions()
    }

    /// The auto reserve utility and replenishment, as runs under their leases.
    func runPurchasingProcess(_ process: ProcessKind, prefs: Preferences, lease: Lease) throws -> ProcessResult {
        let today = clock.today
        let runID = try store.startRun(process, lease: lease.claim, stamp())
        do {
            var result = ProcessResult(process: process, runID: runID, stats: RunStats(), licsProcessed: 0)
            let s = stamp()
            if process == .autoReserve {
                let made = try store.runAutoReserve(runID: runID, today: today, s) { made in
                    Desk.scheduleEntry(process, ranAt: s.now, result: "\(made.count) attachment(s) made", prefs: prefs)
                }
                result.attachments = made
            } else {
                let (suggestions, drafts) = try store.runReplenishment(runID: runID, today: today, s) { drafts in
                    Desk.scheduleEntry(process, ranAt: s.now, result: "\(drafts.count) draft purchase order(s) made", prefs: prefs)
                }
                result.suggestions = suggestions
                result.purchaseOrderNumbers = drafts
            }
            if let numbers = result.purchaseOrderNumbers { result.purchaseOrders = try numbers.map(purchaseOrder) }
            return result
        } catch {
            try? finishFailedRun(runID, process, error: error, prefs: prefs)
            throw error
        }
    }
}
