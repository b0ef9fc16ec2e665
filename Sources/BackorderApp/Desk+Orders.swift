import BackorderCore
import BackorderStore

extension OrderRequest.Line {
    /// Parses `LIC:QTY[@CENTS]`.
    public static func parse(_ text: String) throws -> OrderRequest.Line {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw DeskError.invalid("a line is LIC:QTY or LIC:QTY@CENTS, not '\(text)'")
        }
        let qtyAndPrice = parts[1].split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let qty = try Input.quantity(qtyAndPrice[0], field: "quantity of \(parts[0])")
        var cents: Int?
        if qtyAndPrice.count == 2 { cents = try Input.cents(qtyAndPrice[1], field: "price of \(parts[0])") }
        return OrderRequest.Line(lic: parts[0], quantity: qty, unitCents: cents)
    }
}

extension Desk {
    /// Enters an order. A short line with the split prompt at *ask* and no answer is refused
    /// with `DeskError.splitNeeded` naming the numbers; nothing is written.
    @discardableResult
    public func enterOrder(_ request: OrderRequest) throws -> OrderView {
        try order(try placeOrder(request))
    }

    /// Enters an order and returns its number (the write alone, without building its view).
    public func placeOrder(_ request: OrderRequest) throws -> String {
        try require(.clerk, to: "entering orders")
        guard !request.lines.isEmpty else { throw DeskError.invalid("an order needs at least one line") }
        for line in request.lines { _ = try Input.quantity(line.quantity, field: "quantity of \(line.lic)") }
        if let p = request.priority { _ = try Input.priority(p) }
        return try store.enterOrder(request, userAutoBackorder: user.autoBackorder, today: clock.today, stamp())
    }

    /// What a line of `lic` entered now at `priority` may take — the live figure beside the
    /// quantity field. `earlierInForm` is what lines above it in the same unsaved order take first.
    public func availableToOrder(lic: String, location: String, priority: Int, earlierInForm: Int = 0) throws -> Int {
        max(0, try store.availableToOrder(lic: lic, location: location, priority: priority) - earlierInForm)
    }

    /// Changes an order's priority, or (preview) says everything it would move — who loses and
    /// who gains what, and the shipments it touches — without writing.
    public func changePriority(_ number: String, to priority: Int, preview: Bool) throws -> PriorityResult {
        try require(.supervisor, to: "changing fulfillment priority")
        _ = try Input.priority(priority)
        let change = try store.changePriority(order: number, to: priority, preview: preview, stamp())
        return PriorityResult(order: number, from: change.from, to: priority, outcome: change.outcome, applied: !preview)
    }

    public func voidOrder(_ number: String) throws {
        try require(.clerk, to: "voiding orders")
        try store.voidOrder(number, stamp())
    }

    /// Cancels the remainder of a line or of the whole order, with a reason code (§5).
    @discardableResult
    public func cancelRemaining(_ number: String, line: Int?, reason: String) throws -> Int {
        try require(.supervisor, to: "cancelling remaining quantities")
        return try store.cancelRemaining(order: number, line: line, reason: reason.trimmingCharacters(in: .whitespaces).uppercased(),
                                         stamp())
    }

    public func recordReturn(order number: String, lic: String, qty: Int) throws {
        try require(.clerk, to: "posting customer returns")
        _ = try Input.quantity(qty)
        try store.recordReturn(order: number, lic: lic, qty: qty, stamp())
    }
}
