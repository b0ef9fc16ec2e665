import BackorderCore

// What the controller asks the store to write, in codes (never ids).

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
    }

    /// What a complete-or-cancel order does when it is short.
    public typealias IfShort = NewOrder.IfShort

    public var customer: String
    public var lines: [Line]
    public var location = DefaultLocation.code
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

/// A purchase order as typed.
public struct PurchaseOrderRequest: Sendable {
    public var vendor: String
    public var lines: [(lic: String, qty: Int)]
    public var location = DefaultLocation.code
    /// Nil: today.
    public var orderDate: Day?
    public var expected: Day?
    public var allowAttach = true
    public var draft = false
    public init(vendor: String, lines: [(lic: String, qty: Int)]) {
        self.vendor = vendor
        self.lines = lines
    }
}

/// A LIC as an admin or an import describes it.
public struct LICSpec: Sendable {
    public var code: String
    public var description = ""
    public var priceCents = 0
    public var minStock = 0
    public var reorderMultiple = 1
    /// The vendor's code.
    public var vendor: String?
    public var inventoried = true
    public init(code: String) { self.code = code }
}

/// The filters of the backorders report.
public struct BackorderFilter: Sendable {
    public var customer: String?
    public var lic: String?
    public var location: String?
    public var partiallyInvoicedOnly = false
    public init() {}
}

/// What `export` writes.
public enum ExportKind: String, CaseIterable, Sendable { case orders, lines, lics, ledger }
