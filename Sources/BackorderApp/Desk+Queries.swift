import BackorderCore
import BackorderStore

/// Read-only views for screens and commands.
extension Desk {
    public func order(_ number: String) throws -> OrderView {
        try store.order(number, today: clock.today)
    }

    /// Orders, newest first, filtered by status (including `backorder`) and customer.
    public func orders(status: OrderStatus? = nil, customer: String? = nil, limit: Int = 10_000, beforeID: Int64? = nil) throws -> [OrderListItem] {
        try store.orders(status: status, customer: customer, limit: limit, beforeID: beforeID)
    }

    public func orderLog(_ number: String) throws -> [LogEntry] {
        try store.orderLog(number)
    }

    public func shipments(order: String? = nil, status: ShipmentStatus? = nil) throws -> [ShipmentSummary] {
        try store.shipments(order: order, status: status)
    }

    /// A LIC's balance at a location, every open line in allocation order, and recent ledger rows.
    public func lic(_ code: String, location: String = DefaultLocation.code, lineLimit: Int = 100_000, ledgerLimit: Int = 20) throws -> LicView {
        try store.lic(code, location: location, lineLimit: lineLimit, ledgerLimit: ledgerLimit, today: clock.today)
    }
}
