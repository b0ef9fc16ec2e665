import BackorderCore

// The store's read models: plain values a screen or a command shows. Their JSON and their
// sentences are the controller's (BackorderApp); what they hold is read here.

/// `order show`: an order with its lines and shipments.
public struct OrderView: Sendable {
    public struct Line: Sendable {
        public var line: Int
        public var lic: String
        public var description: String
        public var ordered, allotted, shipped, cancelled, invoiced: Int
        public var bo, wholeLine, inventoried: Bool
        public var unitCents: Int
        public var po: String?
        public var promise: String?
        public var projected: String?
        public var attachments: [(po: String, qty: Int, expected: String?)] = []
        public var remaining: Int { ordered - cancelled - shipped }
    }
    public struct Shipment: Sendable {
        public var id: Int64
        public var status: ShipmentStatus
        public var createdAt: String
        public var items: [(line: Int, qty: Int)]
    }

    public var id: Int64
    public var number: String
    public var customer: String
    public var customerName: String
    public var location: String
    public var status: OrderStatus
    public var policy: FulfillmentPolicy
    public var priority: Int
    public var enteredSeq: Int64
    public var enteredAt: String
    public var enteredDay: String
    public var enteredBy: String
    public var parent: String?
    public var scheduleDate: String?
    public var prepaidCents, minDepositCents, handlingCents, taxRatePPM: Int
    public var lines: [Line]
    public var shipments: [Shipment]
    public var invoices: [Invoice] = []

    public struct Invoice: Sendable {
        public var number: Int
        public var at: String
        public var subtotalCents, taxCents, handlingCents, totalCents, cashAppliedCents: Int
        public var suborder: String?
    }
}

/// A row of an order's record log.
public struct LogEntry: Sendable, Hashable {
    public var at: String
    public var actor: String
    public var kind: String
    public var message: String
}

/// A shipment as lists show it (`shipment list`, the pending-shipments view).
public struct ShipmentSummary: Sendable, Hashable {
    public var id: Int64
    public var order: String
    public var customer: String
    public var location: String
    public var status: ShipmentStatus
    public var createdAt: String
    public var units: Int
    public var items: Int
    public var customerName = ""
}

/// `lic show`: the balance of one (LIC, location) and its demand queue.
public struct LicView: Sendable {
    public struct Entry: Sendable, Hashable {
        public var position: Int
        public var order: String
        public var line: Int
        public var customer: String
        public var priority: Int
        public var entered: String
        public var need: Int
        public var allotted: Int
        public var cumulative: Int
        /// allotted, held (whole-line or complete order waiting), or waiting.
        public var state: String
        public var attachedPO: String?
        public var promise: String?
        public var projected: String?
    }
    public var lic: String
    public var description: String
    public var location: String
    public var balance: Balance
    public var minStock: Int
    /// Every open line, in allocation order.
    public var lines: [Entry]
    public var ledger: [LedgerEntry]

    /// The lines with unmet need, numbered in allocation order.
    public var queue: [Entry] {
        var n = 0
        return lines.filter { $0.need > $0.allotted }.map { var e = $0; n += 1; e.position = n; return e }
    }
}

/// A row of the stock ledger.
public struct LedgerEntry: Sendable, Hashable {
    public var id: Int64
    public var at: String
    public var lic: String
    public var location: String
    public var kind: LedgerKind
    public var qty: Int
    public var order: String?
    public var actor: String
    public var reason: String
}

/// "Why is this backordered?" (§10): where a BO line stands in its queue, what is ahead of it,
/// what stock waits for which process, what purchase orders it counts on, when it should fill,
/// and what happened to it lately. The sentences are the controller's.
public struct WhyView: Sendable {
    /// The lines ahead of this one that also wait, at one priority.
    public struct Band: Sendable, Hashable {
        public var priority: Int
        public var lines: Int
        public var units: Int
    }
    /// Stock on hand that no process has given out yet.
    public struct Waiting: Sendable, Hashable {
        public var process: ProcessKind
        public var qty: Int
        public var at: String
        public var source: String
    }
    public struct Attachment: Sendable, Hashable {
        public var po: String
        public var qty: Int
        public var expected: String?
    }

    public var order: String
    public var line: Int
    public var lic: String
    public var description: String
    public var location: String
    public var customer: String
    public var customerName: String
    public var priority: Int
    public var enteredDay: String
    public var policy: FulfillmentPolicy
    public var remaining: Int
    public var allotted: Int
    public var wholeLine: Bool
    public var backordered: Int { remaining - allotted }
    /// 1-based place among the lines of the queue that still lack stock; nil when this one does not.
    public var position: Int?
    public var waitingLines: Int
    public var ahead: [Band]
    public var unitsAhead: Int { ahead.reduce(0) { $0 + $1.units } }
    public var linesAhead: Int { ahead.reduce(0) { $0 + $1.lines } }
    public var balance: Balance
    public var waiting: [Waiting]
    /// When each backorder process runs next, as a phrase ("due now", "in 12 min", "off"): the
    /// controller fills it in from the schedules.
    public var nextRuns: [ProcessKind: String]
    public var attachments: [Attachment]
    public var promise: String?
    public var projected: String?
    public var log: [LogEntry]
    /// The desk's today, for "received today 08:00".
    public var today: Day

    /// Whether a record-log sentence is about line `n` ("line 3", "Line 3:", "line 3 × 2"), not line 30.
    static func mentions(_ message: String, line n: Int) -> Bool {
        let words = Array(message.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "(" }))
        for (i, w) in words.enumerated() where i + 1 < words.count && w.lowercased() == "line" {
            let next = words[i + 1].prefix { $0.isNumber }
            if Int(next) == n { return true }
        }
        return false
    }
}

/// `po show`: a purchase order with its lines and the order lines attached to them.
public struct PurchaseOrderView: Sendable {
    public struct Line: Sendable {
        public var line: Int
        public var lic: String
        public var qty, received, cancelled, attached: Int
        public var open: Int { qty - received - cancelled }
    }
    public struct Attached: Sendable {
        public var poLine: Int
        public var order: String
        public var orderLine: Int
        public var qty: Int
        public var customer = ""
        public var customerName = ""
        /// The order line's promise: the latest expected date among all its attachments.
        public var promise: String?
    }
    public var number: String
    public var vendor: String
    public var location: String
    public var orderDate: String
    public var expected: String?
    public var status: PurchaseOrderStatus
    public var allowAttach: Bool
    public var lines: [Line]
    public var attachments: [Attached]
}

/// One open line of a purchase order, as receiving picks it.
public struct OpenPOLine: Sendable, Hashable {
    public var po: String
    public var line: Int
    public var vendor: String
    public var orderDate: String
    public var expected: String?
    public var qty: Int
    public var received: Int
    public var open: Int
    public var attached: Int
}

/// One replenishment suggestion (§6), with the figures it comes from.
public struct ReplenishmentSuggestion: Sendable, Hashable {
    public var lic: String
    public var description: String
    public var location: String
    public var vendor: String?
    public var backordered, minStock, available, onOrder, drafted, multiple: Int
    /// backordered + minimum stock − available − on order − already drafted, rounded up to the multiple.
    public var qty: Int
}

/// A process run's record.
public struct RunRecord: Sendable, Hashable {
    public var id: Int64
    public var process: ProcessKind
    public var startedAt: String
    public var finishedAt: String?
    public var actor: String
    public var stats: RunStats
    public var error: String?
    public var status: RunStatus
    public var interrupted: Bool { status == .interrupted }
}

/// One change in the preferences log.
public struct PreferenceChange: Sendable, Hashable {
    public var at: String
    public var actor: String
    public var key: Preferences.Key
    public var from: String
    public var to: String
}

/// A customer as order entry needs it.
public struct CustomerInfo: Sendable, Hashable {
    public var code: String
    public var name: String
    /// The default fulfillment priority of the customer's orders.
    public var priority: Int
    public var terms: String
}

/// A LIC as order entry needs it.
public struct LicInfo: Sendable, Hashable {
    public var code: String
    public var description: String
    public var priceCents: Int
    public var inventoried: Bool
}

/// A code and its name or description (locations, reason codes).
public struct CodeName: Sendable, Hashable {
    public var code: String
    public var name: String
}

/// A report or export as rows of named columns: printed as an aligned table, CSV (header = the
/// column names) or JSON (an array of objects keyed by the same names).
public struct Report: Sendable {
    public enum Value: Sendable, Equatable {
        case int(Int)
        case text(String)
        case null

        public var text: String {
            switch self {
            case .int(let n): return String(n)
            case .text(let s): return s
            case .null: return ""
            }
        }
    }

    public var name: String
    public var columns: [String]
    public var rows: [[Value]]

    public init(name: String, columns: [String], rows: [[Value]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
}

/// The age bands of the aging report, in days.
public enum AgingBands {
    public static let all: [(label: String, range: ClosedRange<Int>)] = [
        ("0-7", 0...7), ("8-14", 8...14), ("15-30", 15...30), ("31-60", 31...60), (">60", 61...Int.max / 2),
    ]
}
