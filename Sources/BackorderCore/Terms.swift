/// The words of the order desk, as enums shared by every layer.

public enum Role: String, Sendable, CaseIterable, Codable, Comparable {
    case clerk, supervisor, admin

    var rank: Int {
        switch self {
        case .clerk: return 0
        case .supervisor: return 1
        case .admin: return 2
        }
    }

    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
}

/// How an order ships and what happens to a remainder at invoicing (product §5).
public enum FulfillmentPolicy: String, Sendable, CaseIterable, Codable {
    /// Ship partial, backorder remainder (aACE "Partial OK").
    case partial
    /// Ship complete, hold until 100% (aACE "Complete").
    case complete
    /// Ship partial, cancel backorders (asked at invoicing).
    case partialCancel = "partial-cancel"
    /// Ship complete or cancel entire order (asked at entry).
    case completeOrCancel = "complete-or-cancel"

    /// Whether shipments wait until every line of the order is fully allotted.
    public var shipsComplete: Bool { self == .complete || self == .completeOrCancel }

    public var label: String {
        switch self {
        case .partial: return "ship partial, backorder remainder"
        case .complete: return "ship complete, hold until 100%"
        case .partialCancel: return "ship partial, cancel backorders"
        case .completeOrCancel: return "ship complete or cancel entire order"
        }
    }
}

/// The `split prompt` preference.
public enum SplitPrompt: String, Sendable, CaseIterable, Codable {
    case ask, always, never
}

/// A clerk's answer to "split by availability?".
public enum SplitAnswer: String, Sendable, Codable {
    /// Two lines: the available quantity allotted now, the remainder backordered.
    case yes
    /// One whole-line backorder: ships nothing until all of it is allotted.
    case no
}

/// The location a new desk starts with ("Main warehouse"), and the one assumed wherever a
/// command, a form or an import row names none.
public enum DefaultLocation {
    public static let code = "MAIN"
    public static let name = "Main warehouse"
}

public enum Terms: String, Sendable, Codable, CaseIterable {
    case ar, cod
}

/// An order's status. Stored: open, invoiced, closed, cancelled, void; `backorder` is how an
/// open order with backordered lines shows (never stored).
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    case open, backorder, invoiced, closed, cancelled, void

    /// How an order shows: open with backordered lines is `backorder`.
    public static func shown(_ stored: OrderStatus, boLines: Int) -> OrderStatus {
        stored == .open && boLines > 0 ? .backorder : stored
    }

    /// Open or backordered: lines can still be allotted, shipped and changed.
    public var isOpen: Bool { self == .open || self == .backorder }

    /// Done with and nothing more comes of it (void, cancelled, closed): lists show it dimmed.
    public var isFinished: Bool { self == .void || self == .cancelled || self == .closed }
}

public enum PurchaseOrderStatus: String, Sendable, Codable, CaseIterable {
    /// Made by hand or by replenishment; on order counts it only once approved.
    case draft
    /// Approved: its open quantity is on order, receipts post against it.
    case open
    /// Everything on it was received.
    case received
    /// Closed before it was fully received; what was still open is no longer on order.
    case closed
}

/// How a process run ended (or that it has not).
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case running, finished, failed
    /// Its process died; its counts are what it had committed.
    case interrupted
}

public enum ShipmentStatus: String, Sendable, Codable, CaseIterable {
    case pending, picked, shipped, cancelled
}

/// Where a change of allotment came from; named in the record log.
public enum AllotmentSource: String, Sendable, Codable {
    case entry
    case primary
    case secondary
    case priorityChange = "priority change"
    case poReceipt = "PO receipt"
    case adjustment

    public var phrase: String {
        switch self {
        case .entry: return "at order entry"
        case .primary: return "by the primary backorder process"
        case .secondary: return "by the secondary backorder process"
        case .priorityChange: return "by a priority change"
        case .poReceipt: return "from a purchase-order receipt"
        case .adjustment: return "by a stock adjustment"
        }
    }
}

public enum LedgerKind: String, Sendable, Codable, CaseIterable {
    case receipt, adjustment, `return`, shipment
}

public enum ProcessKind: String, Sendable, Codable, CaseIterable {
    case primary, secondary
    case autoReserve = "auto-reserve"
    case replenish

    /// The aACE automation schedule number.
    public var scheduleCode: Int {
        switch self {
        case .primary: return 7792
        case .secondary: return 8050
        case .autoReserve: return 8101
        case .replenish: return 8102
        }
    }

    public var title: String {
        switch self {
        case .primary: return "Primary Backorder Process"
        case .secondary: return "Secondary Backorder Process"
        case .autoReserve: return "Auto Reserve Utility"
        case .replenish: return "Replenishment"
        }
    }
}

/// What a user answers when a *ship partial, cancel backorders* order is invoiced short.
public enum RemainderChoice: Sendable, Equatable {
    case cancel(reasonCode: String)
    case keep
}
