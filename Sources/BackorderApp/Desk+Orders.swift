import BackorderCore
import BackorderStore
import GRDB

/// An order as typed: codes, not ids.
public struct OrderRequest: Sendable {
    public struct Line: Sendable, Equatable {
        public var lic: String
        public var quantity: Int
        public var unitCents: Int?
        /// This line's answer to "split by availability?", when it differs from the order's `split`.
        public var split: SplitAnswer?
        public init(lic: String, quantity: Int, unitCents: Int? = nil, split: SplitAnswer? = nil) {
            self.lic = lic
            self.quantity = quantity
            self.unitCents = unitCents
            self.split = split
        }

        /// Parses `LIC:QTY[@CENTS]`.
        public static func parse(_ text: String) throws -> Line {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw DeskError.invalid("a line is LIC:QTY or LIC:QTY@CENTS, not '\(text)'")
            }
            let qtyAndPrice = parts[1].split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let qty = try Input.quantity(qtyAndPrice[0], field: "quantity of \(parts[0])")
            var cents: Int?
            if qtyAndPrice.count == 2 { cents = try Input.cents(qtyAndPrice[1], field: "price of \(parts[0])") }
            return Line(lic: parts[0], quantity: qty, unitCents: cents)
        }
    }

    public var customer: String
    public var lines: [Line]
    public var location = "MAIN"
    public var priority: Int?
    public var policy: FulfillmentPolicy?
    public var split: SplitAnswer?
    public var ifShort: NewOrder.IfShort?
    public var scheduleDate: Day?
    public var depositCents = 0
    public var minDepositCents = 0
    public var handlingCents = 0
    public var taxRatePPM = 0
    /// The day the order counts as entered (imports of history); nil = today.
    public var enteredDay: Day?

    public init(customer: String, lines: [Line]) {
        self.customer = customer
        self.lines = lines
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
        let number = try write { e -> String in
            let db = e.db
            let customerID = try Desk.customerID(db, request.customer)
            let locationID = try Desk.locationID(db, request.location)
            let defaultPriority = try Int.fetchOne(db, sql: "SELECT priority FROM customer WHERE id = ?", arguments: [customerID]) ?? 0
            var lines: [NewOrder.Line] = []
            for l in request.lines {
                let licID = try Desk.licID(db, l.lic)
                let price = try l.unitCents ?? Int.fetchOne(db, sql: "SELECT price_cents FROM lic WHERE id = ?", arguments: [licID]) ?? 0
                var line = NewOrder.Line(licID: licID, quantity: l.quantity, unitCents: price)
                line.split = l.split
                lines.append(line)
            }
            var new = NewOrder(customerID: customerID, locationID: locationID,
                               priority: request.priority ?? defaultPriority,
                               policy: request.policy ?? e.prefs.defaultPolicy, lines: lines)
            new.split = request.split
            new.ifShort = request.ifShort
            new.scheduleDate = request.scheduleDate
            new.prepaidCents = request.depositCents
            new.minDepositCents = request.minDepositCents
            new.handlingCents = request.handlingCents
            new.taxRatePPM = request.taxRatePPM
            let id = try e.enterOrder(new, enteredDay: request.enteredDay)
            // Auto backorder at entry (§6 rule 5: the preference and the user's permission).
            if e.prefs.autoBackorder && e.prefs.backorderManagement && user.autoBackorder {
                for lineID in try Int64.fetchAll(db, sql: "SELECT id FROM order_line WHERE order_id = ? AND +bo = 1 ORDER BY line_no", arguments: [id]) {
                    _ = try e.attach(lineID: lineID, today: clock.today)
                }
            }
            return try String.fetchOne(db, sql: "SELECT number FROM orders WHERE id = ?", arguments: [id])!
        }
        return number
    }

    /// What a line of `lic` entered now at `priority` may take — the live figure beside the
    /// quantity field. `earlierInForm` is what lines above it in the same unsaved order take first.
    public func availableToOrder(lic: String, location: String, priority: Int, earlierInForm: Int = 0) throws -> Int {
        try read { db in
            let key = StockKey(licID: try Desk.licID(db, lic), locationID: try Desk.locationID(db, location))
            let e = Engine(db, actor: user.name, now: clock.now())
            return max(0, try e.availableToOrder(key, priority: priority).available - earlierInForm)
        }
    }

    /// Changes an order's priority, or (preview) says everything it would move — who loses and
    /// who gains what, and the shipments it touches — without writing.
    public func changePriority(_ number: String, to priority: Int, preview: Bool) throws -> PriorityResult {
        try require(.supervisor, to: "changing fulfillment priority")
        _ = try Input.priority(priority)
        // The preview is the change itself, rolled back inside the transaction: nothing is written.
        return try write { e in
            let id = try Desk.orderID(e.db, number)
            let from = try Int.fetchOne(e.db, sql: "SELECT priority FROM orders WHERE id = ?", arguments: [id])!
            let outcome = preview ? try e.previewPriority(orderID: id, to: priority) : try e.changePriority(orderID: id, to: priority)
            return PriorityResult(order: number, from: from, to: priority, outcome: outcome, applied: !preview)
        }
    }

    public func voidOrder(_ number: String) throws {
        try require(.clerk, to: "voiding orders")
        try write { e in try e.voidOrder(orderID: try Desk.orderID(e.db, number)) }
    }

    /// Cancels the remainder of a line or of the whole order, with a reason code (§5).
    @discardableResult
    public func cancelRemaining(_ number: String, line: Int?, reason: String) throws -> Int {
        try require(.supervisor, to: "cancelling remaining quantities")
        return try write { e in
            try e.cancelRemaining(orderID: try Desk.orderID(e.db, number), lineNo: line,
                                  reasonCode: reason.trimmingCharacters(in: .whitespaces).uppercased())
        }
    }

    public func recordReturn(order number: String, lic: String, qty: Int) throws {
        try require(.clerk, to: "posting customer returns")
        _ = try Input.quantity(qty)
        try write { e in
            try e.recordReturn(orderID: try Desk.orderID(e.db, number), licID: try Desk.licID(e.db, lic), qty: qty)
        }
    }
}
