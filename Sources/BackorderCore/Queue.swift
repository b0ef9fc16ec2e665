/// The place of a line in the queue of its (LIC, location): fulfillment priority
/// (higher first), then entry sequence (earlier first), then order and line number.
public struct QueueKey: Comparable, Hashable, Sendable {
    public var priority: Int
    public var enteredSeq: Int64
    public var orderID: Int64
    public var lineNo: Int

    public init(priority: Int, enteredSeq: Int64, orderID: Int64, lineNo: Int) {
        self.priority = priority
        self.enteredSeq = enteredSeq
        self.orderID = orderID
        self.lineNo = lineNo
    }

    public static func < (a: QueueKey, b: QueueKey) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.enteredSeq != b.enteredSeq { return a.enteredSeq < b.enteredSeq }
        if a.orderID != b.orderID { return a.orderID < b.orderID }
        return a.lineNo < b.lineNo
    }
}

/// One open order line as allocation sees it.
public struct QueueLine: Hashable, Sendable {
    public var lineID: Int64
    public var key: QueueKey
    /// ordered − cancelled − shipped: what the line still needs in all.
    public var remaining: Int
    public var allotted: Int
    /// Allotted quantity on Picked shipments: never taken away.
    public var frozen: Int
    /// Allotted quantity reserved for this line by a purchase-order receipt (§6): not re-allocated.
    public var dedicated: Int
    public var wholeLine: Bool

    public init(lineID: Int64, key: QueueKey, remaining: Int, allotted: Int,
                frozen: Int = 0, dedicated: Int = 0, wholeLine: Bool = false) {
        self.lineID = lineID
        self.key = key
        self.remaining = remaining
        self.allotted = allotted
        self.frozen = frozen
        self.dedicated = dedicated
        self.wholeLine = wholeLine
    }

    /// The part of the allotment that allocation may not move.
    public var fixed: Int { min(allotted, frozen + dedicated) }
    /// The part of the allotment that a priority change or process run may move.
    public var movable: Int { allotted - fixed }
    /// What the line still lacks.
    public var unmet: Int { remaining - allotted }
    public var isBackordered: Bool { remaining - allotted > 0 }
}
