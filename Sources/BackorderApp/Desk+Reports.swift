import BackorderCore
import BackorderStore
import Foundation

/// The reports of product §7 and the exports, read by the store with the same code for the
/// command line and the Reports screen.
extension Desk {
    /// The reports by name (`backorders report NAME`).
    public enum ReportName: String, CaseIterable, Sendable {
        case backorders, backlog, reorder, aging
        case fillRate = "fill-rate"
    }

    /// A report and its filters, as the command line and the Reports screen ask for it: the same
    /// request gives the same rows, so an export from the screen is the command's output.
    public struct ReportRequest: Sendable, Equatable {
        public var name: ReportName
        public var customer: String?
        public var lic: String?
        public var location: String?
        /// backorders: only orders that were partially invoiced (Acctivate).
        public var partiallyInvoicedOnly = false
        /// backlog: one row per (LIC, location) with units short, largest first, instead of every open line.
        public var summary = false
        public init(_ name: ReportName) { self.name = name }

        /// Which filters the report takes.
        public var acceptsCustomer: Bool { name != .reorder && !(name == .backlog) }
        public var acceptsPartiallyInvoiced: Bool { name == .backorders }
    }

    public func report(_ r: ReportRequest) throws -> Report {
        switch r.name {
        case .backorders:
            var f = BackorderFilter()
            f.customer = r.customer
            f.lic = r.lic
            f.location = r.location
            f.partiallyInvoicedOnly = r.partiallyInvoicedOnly
            return try backorderReport(f)
        case .backlog:
            return r.summary ? try backlogSummaryReport(lic: r.lic, location: r.location)
                             : try backlogReport(lic: r.lic, location: r.location)
        case .reorder: return try reorderReport(lic: r.lic, location: r.location)
        case .aging: return try agingReport(customer: r.customer, lic: r.lic, location: r.location)
        case .fillRate: return try fillRateReport(customer: r.customer, lic: r.lic, location: r.location)
        }
    }

    /// Order backlog by product, the supervisor's view: every (LIC, location) with units short,
    /// largest first, with its figures, the lines waiting and the oldest waiting line's age.
    public func backlogSummaryReport(lic: String? = nil, location: String? = nil) throws -> Report {
        try store.backlogSummaryReport(lic: lic, location: location, today: clock.today)
    }

    /// Every backordered line: order, customer, LIC, quantities, age, priority, promise/projected.
    public func backorderReport(_ filter: BackorderFilter = BackorderFilter()) throws -> Report {
        try store.backorderReport(filter, today: clock.today)
    }

    /// Order backlog by product: each LIC's figures, then its open lines in queue order.
    public func backlogReport(lic: String? = nil, location: String? = nil) throws -> Report {
        try store.backlogReport(lic: lic, location: location)
    }

    /// LICs whose available is below minimum stock, with the replenishment suggestion.
    public func reorderReport(lic: String? = nil, location: String? = nil) throws -> Report {
        try store.reorderReport(lic: lic, location: location)
    }

    public static let agingBuckets = AgingBands.all

    /// Backordered quantity by age of the order.
    public func agingReport(customer: String? = nil, lic: String? = nil, location: String? = nil) throws -> Report {
        try store.agingReport(customer: customer, lic: lic, location: location, today: clock.today)
    }

    /// Share of lines shipped in full on their first shipment, per week (Monday) of that shipment.
    public func fillRateReport(customer: String? = nil, lic: String? = nil, location: String? = nil) throws -> Report {
        try store.fillRateReport(customer: customer, lic: lic, location: location)
    }

    /// Exports use the import column names where the kinds overlap.
    public func export(_ kind: ExportKind) throws -> Report {
        try require(.supervisor, to: "exporting")
        return try store.export(kind)
    }
}
