import BackorderCore

/// Where a page of a list starts. Lists page by key (keyset paging), never by loading them
/// whole: a page is the `limit` rows after, from or before a row the screen already shows.
public enum PageAnchor: Sendable, Hashable {
    /// The start of the list.
    case first
    /// The end of the list: the last `limit` rows, in list order.
    case last
    /// The rows after the row with this id, in list order.
    case after(Int64)
    /// The row with this id and the rows after it.
    case from(Int64)
    /// The rows just before the row with this id, in list order.
    case before(Int64)
    /// Skip this many rows (a fallback for a selection that has left the list).
    case offset(Int)
}

/// A row of an order list: `order list` and the Orders screen.
public struct OrderListItem: Sendable, Hashable {
    public var id: Int64
    public var number: String
    public var customer: String
    public var customerName: String
    public var status: OrderStatus
    public var priority: Int
    public var location: String
    public var enteredSeq: Int64
    public var enteredDay: String
    public var policy: FulfillmentPolicy
    public var lines: Int
    public var boLines: Int
}

/// How the backordered-lines list is sorted.
public enum BackorderSort: String, Sendable, CaseIterable {
    /// Oldest first (entry order): the order of the `line_bo` index.
    case age
    /// Highest priority first, then oldest.
    case priority
    /// By LIC code, then oldest.
    case lic
    /// By customer code, then oldest.
    case customer
}

/// A row of aACE's "Find Back Ordered Items": one open line with unmet need.
public struct BackorderLine: Sendable, Hashable {
    public var lineID: Int64
    public var order: String
    public var line: Int
    public var customer: String
    public var customerName: String
    public var lic: String
    public var description: String
    public var location: String
    public var ordered: Int
    public var shipped: Int
    public var cancelled: Int
    public var allotted: Int
    public var wholeLine: Bool
    public var priority: Int
    public var enteredDay: String
    /// The promise date from the purchase orders the line is attached to, if any.
    public var promise: String?
    /// The projected fill date (open POs by expected date), when there is no promise.
    public var projected: String?
    public var backordered: Int { ordered - cancelled - shipped - allotted }
}

/// A row of the Items list: a LIC and its figures at one location (product §3).
public struct LicListItem: Sendable, Hashable {
    public var id: Int64
    public var code: String
    public var description: String
    public var inventoried: Bool
    public var minStock: Int
    public var balance: Balance
}

/// A row of the Purchasing screen's PO list.
public struct PurchaseOrderListItem: Sendable, Hashable {
    public var id: Int64
    public var number: String
    public var vendor: String
    public var vendorName: String
    public var location: String
    public var status: PurchaseOrderStatus
    public var orderDate: String
    public var expected: String?
    public var lines: Int
    /// ordered − received − cancelled over its lines.
    public var openUnits: Int
    /// Order lines attached to it.
    public var attachedLines: Int
}
