/// The figures of one (LIC, location) (product §3).
public struct Balance: Hashable, Sendable, Codable {
    public var onHand: Int
    public var allotted: Int
    public var demand: Int
    public var onOrder: Int
    /// Allotted quantity on Picked shipments.
    public var frozen: Int
    /// Allotted quantity dedicated to PO-attached lines.
    public var dedicated: Int

    public init(onHand: Int = 0, allotted: Int = 0, demand: Int = 0, onOrder: Int = 0, frozen: Int = 0, dedicated: Int = 0) {
        self.onHand = onHand
        self.allotted = allotted
        self.demand = demand
        self.onOrder = onOrder
        self.frozen = frozen
        self.dedicated = dedicated
    }

    public var available: Int { onHand - allotted }
    public var backordered: Int { demand - allotted }
}
