import BackorderCore
import GRDB

/// An order line as stored. Its derived columns (`is_open`, `bo`) and the caches in `balance`,
/// `queue_need`, `bo_block`, `unmet_block`, `unmet_span` and `orders.bo_lines` are what `Derivation` says
/// they are; the engine applies its result (`Engine.apply`) for every line it writes.
public struct LineRow: Hashable, Sendable {
    public var id: Int64
    public var orderID: Int64
    public var lineNo: Int
    public var licID: Int64
    public var locationID: Int64
    public var priority: Int
    public var enteredSeq: Int64
    public var ordered: Int
    public var cancelled: Int
    public var shipped: Int
    public var invoiced: Int
    public var allotted: Int
    public var frozen: Int
    public var onShipment: Int
    public var dedicated: Int
    public var unitCents: Int
    public var wholeLine: Bool
    public var inventoried: Bool
    public var isOpen: Bool
    public var bo: Bool
    /// Quantity attached to purchase-order lines (Σ po_attachment.qty).
    public var attached: Int

    /// ordered − cancelled − shipped.
    public var remaining: Int { ordered - cancelled - shipped }
    public var fixed: Int { min(allotted, frozen + dedicated) }

    public var key: QueueKey {
        QueueKey(priority: priority, enteredSeq: enteredSeq, orderID: orderID, lineNo: lineNo)
    }

    public var stock: StockKey { StockKey(licID: licID, locationID: locationID) }

    /// The line as its derived state sees it.
    public var derivationLine: Derivation.Line {
        Derivation.Line(id: id, orderID: orderID, stock: stock, priority: priority, enteredSeq: enteredSeq,
                        remaining: remaining, allotted: allotted, frozen: frozen, dedicated: dedicated, attached: attached,
                        inventoried: inventoried, isOpen: isOpen, bo: bo)
    }

    public var queueLine: QueueLine {
        QueueLine(lineID: id, key: key, remaining: remaining, allotted: allotted,
                  frozen: frozen, dedicated: dedicated, wholeLine: wholeLine)
    }

    static let columns = """
        id, order_id, line_no, lic_id, location_id, priority, entered_seq, ordered, cancelled, shipped,
        invoiced, allotted, frozen, on_shipment, dedicated, unit_cents, whole_line, inventoried, is_open, bo, attached
        """

    init(row: SQLRow) {
        id = row[0]; orderID = row[1]; lineNo = row[2]; licID = row[3]; locationID = row[4]
        priority = row[5]; enteredSeq = row[6]; ordered = row[7]; cancelled = row[8]; shipped = row[9]
        invoiced = row[10]; allotted = row[11]; frozen = row[12]; onShipment = row[13]; dedicated = row[14]
        unitCents = row[15]; wholeLine = row[16]; inventoried = row[17]; isOpen = row[18]; bo = row[19]
        attached = row[20]
    }

    init(id: Int64 = 0, orderID: Int64, lineNo: Int, licID: Int64, locationID: Int64, priority: Int,
         enteredSeq: Int64, ordered: Int, unitCents: Int, wholeLine: Bool, inventoried: Bool) {
        self.id = id; self.orderID = orderID; self.lineNo = lineNo; self.licID = licID
        self.locationID = locationID; self.priority = priority; self.enteredSeq = enteredSeq
        self.ordered = ordered; cancelled = 0; shipped = 0; invoiced = 0; allotted = 0; frozen = 0
        onShipment = 0; dedicated = 0; self.unitCents = unitCents; self.wholeLine = wholeLine
        self.inventoried = inventoried; isOpen = false; bo = false; attached = 0
    }

    static func fetch(_ db: SQLConnection, id: Int64) throws -> LineRow? {
        try fetchAll(db, sql: "WHERE id = ?", arguments: [id]).first
    }

    /// Decoded straight from the statement's columns (a cursor), not from copied rows: lines are
    /// read on every entry, allotment and shipment.
    static func fetchAll(_ db: SQLConnection, sql whereClause: String, arguments: SQLArguments = []) throws -> [LineRow] {
        guard let sqlite = db.sqlite else {
            return try db.fetchAll(sql: "SELECT \(columns) FROM order_line \(whereClause)", arguments: arguments).map(LineRow.init)
        }
        let rows = try Row.fetchCursor(sqlite.cachedStatement(sql: "SELECT \(columns) FROM order_line \(whereClause)"), arguments: arguments.statement)
        var lines: [LineRow] = []
        while let row = try rows.next() { lines.append(LineRow(row: SQLRow(row))) }
        return lines
    }
}

/// The header of an order as the engine needs it.
public struct OrderRow: Hashable, Sendable {
    public var id: Int64
    public var number: String
    public var customerID: Int64
    public var locationID: Int64
    public var status: OrderStatus
    public var policy: FulfillmentPolicy
    public var priority: Int
    public var enteredSeq: Int64

    public var isOpen: Bool { status == .open }

    /// Read through the C API: a process run reads every order it fills.
    static func fetch(_ db: SQLConnection, id: Int64) throws -> OrderRow? {
        var order: OrderRow?
        try RawStatement(cached: db, sql: """
            SELECT id, number, customer_id, location_id, status, policy, priority, entered_seq FROM orders WHERE id = ?
            """).forEachRow([id]) { r in
            order = OrderRow(r)
            return false
        }
        return order
    }

    static func fetch(_ db: SQLConnection, number: String) throws -> OrderRow? {
        guard let id = try db.fetchOne(Int64.self, sql: "SELECT id FROM orders WHERE number = ?", arguments: [number]) else { return nil }
        return try fetch(db, id: id)
    }
}

extension OrderRow {
    /// From a row whose first eight columns are `id, number, customer_id, location_id, status,
    /// policy, priority, entered_seq`.
    init(_ r: RawRow) {
        self.init(id: r.int64(0), number: r.text(1), customerID: r.int64(2), locationID: r.int64(3), status: OrderStatus(rawValue: r.text(4)) ?? .void,
                  policy: FulfillmentPolicy(rawValue: r.text(5)) ?? .partial, priority: r.int(6), enteredSeq: r.int64(7))
    }
}

/// The preferences row is the `Preferences` record: its coding keys are the columns.
extension Preferences: FetchableRecord, EncodableRecord {
    static func load(_ db: SQLConnection) throws -> Preferences {
        try db.fetchOne(Preferences.self, sql: "SELECT * FROM preferences WHERE id = 1") ?? Preferences()
    }

    func save(_ db: SQLConnection) throws {
        let values = try databaseDictionary.sorted { $0.key < $1.key }
        try db.execute(sql: "UPDATE preferences SET \(values.map { "\($0.key) = ?" }.joined(separator: ", ")) WHERE id = 1",
                       arguments: SQLArguments(values.map(\.value)))
    }
}

// The words the schema stores (its CHECK constraints hold them to these cases) read as the
// core's enums.
extension OrderStatus: DatabaseValueConvertible {}
extension ShipmentStatus: DatabaseValueConvertible {}
extension PurchaseOrderStatus: DatabaseValueConvertible {}
extension LedgerKind: DatabaseValueConvertible {}
extension FulfillmentPolicy: DatabaseValueConvertible {}
extension ProcessKind: DatabaseValueConvertible {}
