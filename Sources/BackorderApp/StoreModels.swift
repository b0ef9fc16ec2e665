import BackorderStore

// The store's read models and requests under the names the front ends use, so that they
// import BackorderApp and never the store. (The same types: a module importing both sees one,
// though Swift refuses a key path rooted at the alias there — `\OrderListItem.id`.)

public typealias OrderRequest = BackorderStore.OrderRequest
public typealias OrderView = BackorderStore.OrderView
public typealias LogEntry = BackorderStore.LogEntry
public typealias ShipmentSummary = BackorderStore.ShipmentSummary
public typealias LicView = BackorderStore.LicView
public typealias LedgerEntry = BackorderStore.LedgerEntry
public typealias WhyView = BackorderStore.WhyView
public typealias PurchaseOrderView = BackorderStore.PurchaseOrderView
public typealias CustomerInfo = BackorderStore.CustomerInfo
public typealias LicInfo = BackorderStore.LicInfo
public typealias CodeName = BackorderStore.CodeName
public typealias Report = BackorderStore.Report
public typealias PageAnchor = BackorderStore.PageAnchor
public typealias OrderListItem = BackorderStore.OrderListItem
public typealias BackorderSort = BackorderStore.BackorderSort
public typealias BackorderLine = BackorderStore.BackorderLine
public typealias LicListItem = BackorderStore.LicListItem
public typealias PurchaseOrderListItem = BackorderStore.PurchaseOrderListItem
public typealias PriorityMove = BackorderStore.PriorityMove
public typealias ShipmentEffect = BackorderStore.ShipmentEffect
public typealias RunStats = BackorderStore.RunStats
public typealias InvoiceResult = BackorderStore.InvoiceResult
public typealias Attachment = BackorderStore.Attachment
public typealias LeaseHolder = BackorderStore.LeaseHolder
public typealias CopyReport = BackorderStore.CopyReport

extension Desk {
    public typealias PORequest = PurchaseOrderRequest
    public typealias LICSpec = BackorderStore.LICSpec
    public typealias OpenPOLine = BackorderStore.OpenPOLine
    public typealias ReplenishmentSuggestion = BackorderStore.ReplenishmentSuggestion
    public typealias RunRecord = BackorderStore.RunRecord
    public typealias PreferenceChange = BackorderStore.PreferenceChange
    public typealias BackorderFilter = BackorderStore.BackorderFilter
    public typealias ExportKind = BackorderStore.ExportKind
}
