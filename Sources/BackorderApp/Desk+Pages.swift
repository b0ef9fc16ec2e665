import BackorderCore
import BackorderStore

// The paged lists of the screens. Lists page by key (keyset paging), never by loading them
// whole: a page is the `limit` rows after, from or before a row the screen already shows.
// The store reads them (`BackorderStoring`); filters are words, as the screens' filter boxes.

// MARK: - Orders

extension Desk {
    /// The Orders list, newest first. `filter` is words, all of which must match: a status
    /// (open, backorder, invoiced, closed, cancelled, void), an order number's start, or a
    /// customer's code (start) or name (anywhere).
    public func orderCount(filter: String = "") throws -> Int {
        try store.orderCount(filter: filter)
    }

    public func orderPage(filter: String = "", anchor: PageAnchor, limit: Int) throws -> [OrderListItem] {
        try store.orderPage(filter: filter, anchor: anchor, limit: limit)
    }

    /// Where the order with this id is in the filtered list (nil: not in it).
    public func orderPosition(filter: String = "", id: Int64) throws -> Int? {
        try store.orderPosition(filter: filter, id: id)
    }

    /// The id of an order by number (for selecting it in a list).
    public func orderID(number: String) throws -> Int64 {
        try store.orderID(number: number)
    }
}

// MARK: - Backordered lines

extension Desk {
    /// Every BO line. `filter` words each match an order number's start, a customer (code start
    /// or name), or a LIC (code start or description); a word that is a location's code matches
    /// the location column only (EAST is the East branch, not every customer with "east" in its name).
    public func backorderCount(sort: BackorderSort = .age, filter: String = "") throws -> Int {
        try store.backorderCount(sort: sort, filter: filter)
    }

    /// Units backordered over the whole (filtered) list, for the list's title.
    public func backorderUnits(filter: String = "") throws -> Int {
        try store.backorderUnits(filter: filter)
    }

    public func backorderPage(sort: BackorderSort = .age, filter: String = "", anchor: PageAnchor, limit: Int) throws -> [BackorderLine] {
        try store.backorderPage(sort: sort, filter: filter, anchor: anchor, limit: limit, today: clock.today)
    }

    public func backorderPosition(sort: BackorderSort = .age, filter: String = "", lineID: Int64) throws -> Int? {
        try store.backorderPosition(sort: sort, filter: filter, lineID: lineID)
    }
}

// MARK: - LICs with their balance at a location

extension Desk {
    /// LICs by code; `filter` words match a code's start or anywhere in the description.
    public func licCount(location: String = DefaultLocation.code, filter: String = "") throws -> Int {
        try store.licCount(location: location, filter: filter)
    }

    public func licPage(location: String = DefaultLocation.code, filter: String = "", anchor: PageAnchor, limit: Int) throws -> [LicListItem] {
        try store.licPage(location: location, filter: filter, anchor: anchor, limit: limit)
    }

    public func licPosition(location: String = DefaultLocation.code, filter: String = "", id: Int64) throws -> Int? {
        try store.licPosition(location: location, filter: filter, id: id)
    }
}

// MARK: - A LIC's demand queue

extension Desk {
    /// Every open line of a (LIC, location) in allocation order.
    public func queueCount(lic: String, location: String = DefaultLocation.code) throws -> Int {
        try store.queueCount(lic: lic, location: location)
    }

    /// One page of the demand drill-down, with each line's position in the queue and the
    /// cumulative need up to and including it (the same figures as `lic(_:location:)`).
    public func queuePage(lic: String, location: String = DefaultLocation.code, anchor: PageAnchor, limit: Int) throws -> [(lineID: Int64, entry: LicView.Entry)] {
        try store.queuePage(lic: lic, location: location, anchor: anchor, limit: limit, today: clock.today)
    }

    public func queuePosition(lic: String, location: String = DefaultLocation.code, lineID: Int64) throws -> Int? {
        try store.queuePosition(lic: lic, location: location, lineID: lineID)
    }
}

// MARK: - Shipments to pick and ship

extension Desk {
    /// Pending and picked shipments, oldest first: the picking floor's list.
    public func shipmentQueueCount() throws -> Int {
        try store.shipmentQueueCount()
    }

    public func shipmentQueuePage(anchor: PageAnchor, limit: Int) throws -> [ShipmentSummary] {
        try store.shipmentQueuePage(anchor: anchor, limit: limit)
    }

    public func shipmentQueuePosition(id: Int64) throws -> Int? {
        try store.shipmentQueuePosition(id: id)
    }
}

// MARK: - Purchase orders

extension Desk {
    /// Purchase orders, newest first. `filter` words each match a status (draft, open,
    /// received, closed), a PO number's start, a vendor (code start or name) or a LIC on it.
    public func purchaseOrderCount(filter: String = "") throws -> Int {
        try store.purchaseOrderCount(filter: filter)
    }

    public func purchaseOrderPage(filter: String = "", anchor: PageAnchor, limit: Int) throws -> [PurchaseOrderListItem] {
        try store.purchaseOrderPage(filter: filter, anchor: anchor, limit: limit)
    }

    public func purchaseOrderPosition(filter: String = "", id: Int64) throws -> Int? {
        try store.purchaseOrderPosition(filter: filter, id: id)
    }
}
