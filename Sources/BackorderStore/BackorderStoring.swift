import BackorderCore

/// The store as the controller layer sees it: named operations and read models, nothing else.
/// No `Database`, no SQL and no GRDB type crosses this interface; `AppDatabase` (SQLite through
/// GRDB) implements it, and a second store (PostgreSQL) is meant to implement the same.
///
/// Every write is one method and one transaction: all of it commits, or none of it. Writes carry
/// a `Stamp` (who, when) for the record log, the ledger and run records. Reads are snapshots and
/// never wait for a writer. Codes (LIC, customer, location, vendor, order and PO numbers) name
/// records; an unknown code is refused as `DeskError.notFound`. Roles are not checked here: the
/// controller (`Desk`) checks them before it calls.
///
/// What stays outside: creating, opening, backing up into a file and restoring a file are
/// SQLite's (`AppDatabase.init`, `Desk.initialize`, `Desk.restore`, `AppDatabase.replace`), and
/// so is the bench's data set (`Store+Bench.swift`). The protocol, its read models and the
/// engine's result types live in this module for now: the types it names (`RunStats`,
/// `PriorityOutcome`, `InvoiceResult`, `NewOrder` …) are defined beside the engine.
public protocol BackorderStoring: AnyObject, Sendable {
    // MARK: The store itself

    /// Where the data is, as messages name it (a file path).
    var path: String { get }
    /// Reads work, every write is refused.
    var isReadOnly: Bool { get }
    /// How long a write waits for another process's write before it is refused as busy (seconds).
    var busyTimeout: Double { get }
    /// A watcher of commits made by anyone else (another terminal, cron).
    func changeWatcher() throws -> any ChangeWatching
    /// A consistent copy, checked (integrity, I1–I6) before it takes the name `file`.
    func backup(to file: String) throws -> CopyReport
    /// I1–I6, recomputed.
    func check() throws -> [InvariantCheck.Violation]

    // MARK: Users, preferences, master data

    func user(named name: String) throws -> UserRecord?
    func userCount() throws -> Int
    /// A new desk's first rows: location MAIN and its admin.
    func setUpNewDesk(admin: String) throws
    /// False (nothing written) when a user of that name exists.
    func addUser(_ name: String, role: Role, autoBackorder: Bool) throws -> Bool
    /// False (nothing written) when the code exists.
    func add(_ record: MasterRecord) throws -> Bool
    /// The PO locations `location` may backorder from, replacing the old list.
    func restrictLocation(_ location: String, from: [String]) throws
    func preferences() throws -> Preferences
    /// Sets one preference; a change of value is logged (who, from, to) in the same transaction.
    func setPreference(_ key: Preferences.Key, to value: String, _ stamp: Stamp) throws -> Preferences
    /// Newest first.
    func preferenceLog(limit: Int) throws -> [PreferenceChange]

    // MARK: Lookups

    /// Customers whose code starts with `text` (first) or whose name contains it.
    func customerMatches(_ text: String, limit: Int) throws -> [CustomerInfo]
    /// The customer with exactly this (trimmed, upper-case) code.
    func customer(code: String) throws -> CustomerInfo?
    func licMatches(_ text: String, limit: Int) throws -> [LicInfo]
    func lic(code: String) throws -> LicInfo?
    func vendorMatches(_ text: String, limit: Int) throws -> [CodeName]
    func vendor(code: String) throws -> CodeName?
    func locations() throws -> [CodeName]
    /// The cancellation reason codes.
    func reasons() throws -> [CodeName]
    func orderID(number: String) throws -> Int64

    // MARK: Orders

    /// Enters an order and returns its number. With `userAutoBackorder`, the preference's auto
    /// backorder attaches its short lines to purchase orders in the same transaction.
    func enterOrder(_ request: OrderRequest, userAutoBackorder: Bool, today: Day, _ stamp: Stamp) throws -> String
    /// What a line entered now at `priority` may take (§4.1).
    func availableToOrder(lic: String, location: String, priority: Int) throws -> Int
    /// The change, or with `preview` the same change rolled back: everything it moves.
    func changePriority(order: String, to priority: Int, preview: Bool, _ stamp: Stamp) throws -> (from: Int, outcome: PriorityOutcome)
    func voidOrder(_ order: String, _ stamp: Stamp) throws
    /// The units cancelled.
    func cancelRemaining(order: String, line: Int?, reason: String, _ stamp: Stamp) throws -> Int
    func recordReturn(order: String, lic: String, qty: Int, _ stamp: Stamp) throws
    /// The invoice, or with `preview` what it would bill (nothing written).
    func invoice(order: String, choice: RemainderChoice?, preview: Bool, _ stamp: Stamp) throws -> InvoiceResult

    // MARK: Stock and shipments

    /// An unplanned receipt; with *process receipts on posting* the primary process runs for
    /// that (LIC, location) in the same transaction.
    func receive(lic: String, qty: Int, location: String, _ stamp: Stamp) throws -> RunOutcome?
    func adjust(lic: String, delta: Int, reason: String, location: String, _ stamp: Stamp) throws
    func pickShipment(_ id: Int64, _ stamp: Stamp) throws
    func shipShipment(_ id: Int64, _ stamp: Stamp) throws
    func cancelShipment(_ id: Int64, _ stamp: Stamp) throws

    // MARK: Views

    func order(_ number: String, today: Day) throws -> OrderView
    /// Newest first; `beforeID` pages.
    func orders(status: OrderStatus?, customer: String?, limit: Int, beforeID: Int64?) throws -> [OrderListItem]
    func orderLog(_ number: String) throws -> [LogEntry]
    func shipments(order: String?, status: ShipmentStatus?) throws -> [ShipmentSummary]
    /// A LIC's balance at a location, its first `lineLimit` open lines in allocation order, recent ledger rows.
    func lic(_ code: String, location: String, lineLimit: Int, ledgerLimit: Int, today: Day) throws -> LicView
    /// The facts of "why is this backordered" (`line` nil: the first backordered line); the
    /// schedules' next runs are the controller's to add.
    func why(order: String, line: Int?, today: Day) throws -> WhyView

    // MARK: Paged lists (keyset paging: a page is the rows after, from or before one shown)

    func orderCount(filter: String) throws -> Int
    func orderPage(filter: String, anchor: PageAnchor, limit: Int) throws -> [OrderListItem]
    func orderPosition(filter: String, id: Int64) throws -> Int?
    func backorderCount(sort: BackorderSort, filter: String) throws -> Int
    func backorderUnits(filter: String) throws -> Int
    func backorderPage(sort: BackorderSort, filter: String, anchor: PageAnchor, limit: Int, today: Day) throws -> [BackorderLine]
    func backorderPosition(sort: BackorderSort, filter: String, lineID: Int64) throws -> Int?
    func licCount(location: String, filter: String) throws -> Int
    func licPage(location: String, filter: String, anchor: PageAnchor, limit: Int) throws -> [LicListItem]
    func licPosition(location: String, filter: String, id: Int64) throws -> Int?
    func queueCount(lic: String, location: String) throws -> Int
    func queuePage(lic: String, location: String, anchor: PageAnchor, limit: Int, today: Day) throws -> [(lineID: Int64, entry: LicView.Entry)]
    func queuePosition(lic: String, location: String, lineID: Int64) throws -> Int?
    func shipmentQueueCount() throws -> Int
    func shipmentQueuePage(anchor: PageAnchor, limit: Int) throws -> [ShipmentSummary]
    func shipmentQueuePosition(id: Int64) throws -> Int?
    func purchaseOrderCount(filter: String) throws -> Int
    func purchaseOrderPage(filter: String, anchor: PageAnchor, limit: Int) throws -> [PurchaseOrderListItem]
    func purchaseOrderPosition(filter: String, id: Int64) throws -> Int?

    // MARK: Purchasing

    /// Creates a purchase order and returns its number.
    func createPurchaseOrder(_ request: PurchaseOrderRequest, today: Day, _ stamp: Stamp) throws -> String
    func purchaseOrder(_ number: String) throws -> PurchaseOrderView
    /// By order date, then number.
    func purchaseOrderNumbers(status: PurchaseOrderStatus?) throws -> [String]
    func approvePurchaseOrder(_ number: String, _ stamp: Stamp) throws
    func closePurchaseOrder(_ number: String, _ stamp: Stamp) throws
    func openPOLines(lic: String, location: String) throws -> [OpenPOLine]
    /// A receipt against a PO: more than it has open is asked about (`DeskQuestion.excessOverPO`)
    /// unless `excessAsUnplanned`; the primary process as for any receipt.
    func receive(lic: String, qty: Int, po: String, location: String?, excessAsUnplanned: Bool, _ stamp: Stamp) throws -> RunOutcome?
    func replenishmentSuggestions() throws -> [ReplenishmentSuggestion]

    // MARK: Process runs and schedules

    /// Opens the run record of a purchasing run (auto reserve, replenishment) under `lease`.
    func startRun(_ process: ProcessKind, lease: LeaseClaim, _ stamp: Stamp) throws -> Int64
    /// Opens a backorder run's record under `lease` and says which (LIC, location)s wait, from
    /// the same transaction.
    func startBackorderRun(_ process: ProcessKind, lease: LeaseClaim, _ stamp: Stamp) throws -> (runID: Int64, keys: [StockKey])
    /// One slice of a backorder run, one transaction: goes on with `plan` chunk by chunk
    /// (`RunPlan`) until another terminal waits to write or the plan is done (or, with a fixed
    /// chunk size, for one chunk), and adds what it did to the run record.
    /// `afterChunk` hears of every chunk done (progress: `plan.progress`).
    func runBackorderSlice(_ plan: RunPlan, chunk: inout ChunkSize, _ stamp: Stamp, afterChunk: () -> Void) throws -> RunStats
    /// Between two slices of a run: lets in the writes other terminals are waiting with (up to a
    /// second); a clerk let in counts as writing for the plan's next slices (`RunPlan`).
    func letWaitingWritesIn(_ plan: RunPlan)
    /// Closes a run record and writes its schedule's last run.
    func finishRun(_ runID: Int64, error: String?, schedule: ScheduleEntry, _ stamp: Stamp) throws
    /// The auto reserve utility in one transaction, closed and scheduled as `schedule` says of its attachments.
    func runAutoReserve(runID: Int64, today: Day, _ stamp: Stamp, schedule: ([Attachment]) -> ScheduleEntry) throws -> [Attachment]
    /// Replenishment in one transaction: draft POs for the suggestions with a vendor; returns the
    /// number of suggestions and the drafts' numbers.
    func runReplenishment(runID: Int64, today: Day, _ stamp: Stamp, schedule: (_ drafts: [String]) -> ScheduleEntry) throws -> (suggestions: Int, drafts: [String])
    /// Newest first; a run without a finish whose lease holder is gone (at `now`, wall clock) is interrupted.
    func runs(limit: Int, now: Double) throws -> [RunRecord]
    /// Each schedule's last run and result.
    func scheduleRecords() throws -> [ProcessKind: ScheduleRecord]

    // MARK: Leases

    /// Every lease row, live or not.
    func leaseHolders() throws -> [LeaseHolder]
    func leaseHolders(named name: String) throws -> [LeaseHolder]
    /// Takes the lease unless a live holder has it (true also when `claim` holds it already); a
    /// holder found gone is replaced and its unfinished runs are closed as interrupted.
    func acquireLease(_ claim: LeaseClaim, what: String?) throws -> Bool
    /// Renews the heartbeat; false when the lease is no longer `claim`'s.
    func renewLease(_ claim: LeaseClaim) throws -> Bool
    func releaseLease(_ claim: LeaseClaim) throws

    // MARK: Reports and exports

    func backorderReport(_ filter: BackorderFilter, today: Day) throws -> Report
    func backlogReport(lic: String?, location: String?) throws -> Report
    func backlogSummaryReport(lic: String?, location: String?, today: Day) throws -> Report
    func reorderReport(lic: String?, location: String?) throws -> Report
    func agingReport(customer: String?, lic: String?, location: String?, today: Day) throws -> Report
    func fillRateReport(customer: String?, lic: String?, location: String?) throws -> Report
    func export(_ kind: ExportKind) throws -> Report

    // MARK: Imports

    /// One import: `body` reads its file and hands each record to the session; everything
    /// commits when it returns, nothing if it throws. The one transaction whose body the
    /// controller supplies, because the file is streamed (never held whole) and a row's
    /// refusal is worded with its row and column.
    func importing<T>(_ stamp: Stamp, _ body: (any ImportSession) throws -> T) throws -> T

    // MARK: The demo's history

    /// Pending shipments of orders entered on or before `day`, by id.
    func pendingShipments(enteredOnOrBefore day: Day) throws -> [Int64]
    /// The first `limit` inventoried lines with at least `minimum` shipped.
    func shippedLines(minimum: Int, limit: Int) throws -> [(order: String, lic: String, shipped: Int)]
    /// Orders by status, the backlog, the longest queues, the supply waiting for the processes.
    func deskSummary() throws -> DeskSummary
}

/// Who makes a change and when.
public struct Stamp: Sendable {
    public var actor: String
    public var now: Moment
    public init(actor: String, now: Moment) {
        self.actor = actor
        self.now = now
    }
}

/// A user as stored.
public struct UserRecord: Sendable, Hashable {
    public var name: String
    public var role: Role
    public var autoBackorder: Bool
    public var theme: String?
}

/// A record of master data, named by its code.
public enum MasterRecord: Sendable {
    case location(code: String, name: String)
    case vendor(code: String, name: String)
    case customer(code: String, name: String, priority: Int, terms: Terms)
    /// The vendor, if any, by code.
    case lic(LICSpec)
    case reason(code: String, description: String)
}

/// The kinds of record an import looks up by code.
public enum MasterKind: Sendable {
    case lic, location, vendor, customer
}

/// A backorder process run made inside another change (a receipt with *process receipts on posting*).
public struct RunOutcome: Sendable {
    public var process: ProcessKind
    public var runID: Int64
    public var stats: RunStats
    /// (LIC, location)s processed.
    public var licsProcessed: Int
}

/// One holding of a lease: its name and the holder's token.
public struct LeaseClaim: Sendable, Hashable {
    public var name: String
    public var token: String
    public init(name: String, token: String) {
        self.name = name
        self.token = token
    }
}

/// A schedule's last run as recorded.
public struct ScheduleRecord: Sendable, Hashable {
    public var lastRunAt: String?
    public var lastResult: String?
}

/// What a run writes on its schedule as it ends (its last run is the stamp's time).
public struct ScheduleEntry: Sendable {
    public var process: ProcessKind
    public var nextRunAt: Moment
    public var result: String
    public init(process: ProcessKind, nextRunAt: Moment, result: String) {
        self.process = process
        self.nextRunAt = nextRunAt
        self.result = result
    }
}

/// The desk in figures: what the demo reports after loading.
public struct DeskSummary: Sendable {
    /// Orders by displayed status (open orders with BO lines count as backorder).
    public var orders: [String: Int]
    public var boLines: Int
    public var unitsBackordered: Int
    /// The five LICs with the most units short.
    public var topLICs: [(lic: String, backordered: Int, lines: Int)]
    /// Supply events waiting for 7792 Primary and for 8050 Secondary.
    public var waitingPrimary: Int
    public var waitingSecondary: Int
}

/// Notices commits made by anyone else.
public protocol ChangeWatching: AnyObject {
    /// True when someone else committed since the previous call (or since the watcher was made).
    func poll() throws -> Bool
}

extension ChangeWatcher: ChangeWatching {}

/// One import's transaction as the controller reading the file sees it: lookups by code and the
/// writes of each kind of row. Valid only inside `BackorderStoring.importing`.
public protocol ImportSession: AnyObject {
    /// The preferences as of this transaction.
    var preferences: Preferences { get }
    /// The id of the record with exactly this code, or nil.
    func id(of kind: MasterKind, code: String) throws -> Int64?
    /// A customer's default fulfillment priority.
    func customerPriority(_ customerID: Int64) throws -> Int
    func licPrice(_ licID: Int64) throws -> Int
    /// Inserts the record, or updates the one with its code (the file is the master list).
    func save(_ record: MasterRecord) throws
    func receive(_ key: StockKey, qty: Int, reason: String) throws
    /// Builds the shipments of the orders the receipts so far gave stock to.
    func finish() throws
    /// Returns the new PO's number.
    func createPurchaseOrder(_ po: NewPurchaseOrder) throws -> String
    /// Returns the new order's number.
    func enterOrder(_ order: NewOrder, enteredDay: Day?) throws -> String
    /// The index of the line the last `enterOrder` was working on (to name a failing row).
    var entryLineIndex: Int { get }
}

extension BackorderStoring {
    /// One slice of a backorder run, without hearing of its chunks.
    public func runBackorderSlice(_ plan: RunPlan, chunk: inout ChunkSize, _ stamp: Stamp) throws -> RunStats {
        try runBackorderSlice(plan, chunk: &chunk, stamp, afterChunk: {})
    }
}
