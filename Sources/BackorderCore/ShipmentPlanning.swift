/// Building shipments from allotted stock (product §4.6).
public enum ShipmentPlanning {
    /// An order line as shipment building sees it.
    public struct Line: Hashable, Sendable {
        public var lineID: Int64
        public var remaining: Int
        public var allotted: Int
        /// Quantity already on Pending or Picked shipments.
        public var onShipment: Int
        public var wholeLine: Bool
        public var inventoried: Bool

        public init(lineID: Int64, remaining: Int, allotted: Int, onShipment: Int,
                    wholeLine: Bool, inventoried: Bool = true) {
            self.lineID = lineID
            self.remaining = remaining
            self.allotted = allotted
            self.onShipment = onShipment
            self.wholeLine = wholeLine
            self.inventoried = inventoried
        }
    }

    public struct Item: Hashable, Sendable {
        public var lineID: Int64
        public var quantity: Int
    }

    /// The allotted quantity not yet on a shipment that may ship now.
    /// - partial: every such quantity, except whole-line lines that are not yet fully allotted;
    /// - complete: nothing until every line of the order is fully allotted, then all of it.
    public static func newItems(lines: [Line], policy: FulfillmentPolicy) -> [Item] {
        let stocked = lines.filter(\.inventoried)
        if policy.shipsComplete {
            guard stocked.allSatisfy({ $0.allotted >= $0.remaining }) else { return [] }
        }
        return stocked.compactMap { line in
            let free = line.allotted - line.onShipment
            guard free > 0 else { return nil }
            if line.wholeLine && line.allotted < line.remaining { return nil }
            return Item(lineID: line.lineID, quantity: free)
        }
    }

    /// A quantity sitting on a Pending shipment.
    public struct PendingItem: Hashable, Sendable {
        public var itemID: Int64
        public var shipmentID: Int64
        public var quantity: Int
        public init(itemID: Int64, shipmentID: Int64, quantity: Int) {
            self.itemID = itemID
            self.shipmentID = shipmentID
            self.quantity = quantity
        }
    }

    /// When a line loses allotment, its Pending items shrink (newest shipment first) so that
    /// what is on shipments never exceeds what is allotted (I4). Picked items are frozen and are
    /// never passed here. Returns (itemID, new quantity) pairs; 0 means remove the item.
    public static func trimPending(_ items: [PendingItem], excess: Int) -> [(itemID: Int64, quantity: Int)] {
        var left = excess
        var result: [(Int64, Int)] = []
        for item in items.sorted(by: { ($0.shipmentID, $0.itemID) > ($1.shipmentID, $1.itemID) }) where left > 0 {
            let cut = min(item.quantity, left)
            result.append((item.itemID, item.quantity - cut))
            left -= cut
        }
        return result
    }
}
