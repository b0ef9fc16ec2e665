import BackorderCore
import Foundation
import GRDB

/// Counts a process run (or any operation) reports.
public struct RunStats: Hashable, Sendable, Codable {
    public var linesFilled = 0
    public var unitsAllotted = 0
    public var shipmentsCreated = 0
    public var shipmentsAppended = 0
    public init() {}
}

/// The work of one write transaction: loads what the allocation core needs, runs it, and saves
/// its result — lines, the caches in `balance` and `orders.bo_lines`, shipments, the record log.
///
/// The core decides, the engine applies: every change to a line is a `Derivation.Change` (old →
/// new), and what follows from a batch of them — the lines' flags, every cache — is
/// `Derivation.derive`'s, written by `apply` alone. `saveLine` is a batch of one; a process run's
/// bulk path (`Engine+Batch.swift`) a batch of many. Fills are the core's `Allocation.Fill`,
/// shipments are planned by `ShipmentPlanning` and placed by `ShipmentBuilder`. `finish()` builds
/// the shipments of every order whose allotments grew; call it before the transaction commits.
final class Engine {
    let db: SQLConnection
    let actor: String
    let now: Moment
    internal(set) var stats = RunStats()
    /// The index of the line `enterOrder` was working on, so an import can name the row that failed.
    internal(set) var entryLineIndex = 0
    private(set) lazy var prefs: Preferences = (try? Preferences.load(db)) ?? Preferences()

    private var ordersToShip: Set<Int64> = []
    private var orderCache: [Int64: OrderRow] = [:]
    private var licCodeCache: [Int64: String] = [:]
    /// Whether a LIC is inventoried, per LIC this engine (one transaction) asked about.
    var inventoriedCache: [Int64: Bool] = [:]
    private var filledLines: Set<Int64> = []
    private var shipmentBuilder: ShipmentBuilder?
    private var sweep: OrderSweep?
    /// The record log's insert, prepared once per engine (a run writes two rows per order).
    private var logStatement: RawStatement?
    private var licCodeStatement: RawStatement?
    /// The record log's sentence being written (`LogEvent.writeSentence`), reused.
    private var sentence = SentenceBytes()
    /// A process run's allotments in this transaction, per order: `finish` logs one row per order.
    private var processAllotments: [Int64: (source: AllotmentSource, items: [LogEvent.Allotment])] = [:]

    /// When on, every allotment change and shipment change is kept (`recorded`), so that a
    /// decision can show all of its consequences (the priority preview). Off in process runs.
    var recordsChanges = false
    /// On in a process run's slices: `apply` leaves the queues being filled as they are.
    var writesRunPlan = false
    private(set) var recorded = RecordedChanges()

    /// What a transaction did to allotments and shipments, as far as `recordsChanges` saw.
    struct RecordedChanges {
        /// Line id → (allotment before the first change, after the last).
        var allotments: [Int64: (from: Int, to: Int)] = [:]
        var allotmentOrder: [Int64] = []
        var shipments: [ShipmentEffect] = []
    }

    func forgetRecorded() { recorded = RecordedChanges() }

    private func recordAllotment(_ lineID: Int64, from: Int, to: Int) {
        guard recordsChanges else { return }
        if let first = recorded.allotments[lineID] {
            recorded.allotments[lineID] = (first.from, to)
        } else {
            recorded.allotments[lineID] = (from, to)
            recorded.allotmentOrder.append(lineID)
        }
    }

    func recordShipment(_ shipment: Int64, orderID: Int64, _ kind: ShipmentEffect.Kind, units: Int) throws {
        guard recordsChanges else { return }
        if let i = recorded.shipments.firstIndex(where: { $0.shipment == shipment && $0.kind == kind && $0.orderID == orderID }) {
            recorded.shipments[i].units += units
            return
        }
        let who = try fetchRow(sql: """
            SELECT o.number, c.code, c.name FROM orders o JOIN customer c ON c.id = o.customer_id WHERE o.id = ?
            """, arguments: [orderID])
        recorded.shipments.append(ShipmentEffect(shipment: shipment, orderID: orderID, order: who?[0] ?? "?", customer: who?[1] ?? "",
                                                 customerName: who?[2] ?? "", kind: kind, units: units))
    }

    init(_ db: SQLConnection, actor: String, now: Moment) {
        self.db = db
        self.actor = actor
        self.now = now
    }

    /// `now` as stored in the database (computed once: every log row and ledger row carries it).
    private(set) lazy var at: String = now.description

    /// `BACKORDERS_TRACE_PHASES=1` prints how long each step of a bulk run took, to stderr.
    private static let tracesPhases = ProcessInfo.processInfo.environment["BACKORDERS_TRACE_PHASES"] != nil
    private var phaseStart = DispatchTime.now().uptimeNanoseconds

    /// Ends the step that began at the previous call (or when the engine was made), named `name`.
    func phase(_ name: @autoclosure () -> String) {
        guard Engine.tracesPhases else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        FileHandle.standardError.write(Data(String(format: "phase %8.1f ms  %@\n", Double(now - phaseStart) / 1e6, name()).utf8))
        phaseStart = now
    }

    // MARK: - Prepared statements

    // Every statement goes through GRDB's statement cache: compiled once per transaction's
    // connection, not once per call (compiling dominated entry and process runs).

    func exec(sql: String, arguments: SQLArguments = SQLArguments()) throws {
        try db.executeCached(sql: sql, arguments: arguments)
    }

    /// The hot writes of every line change (the line, its caches, the record log), bound and
    /// stepped through the C API on the cached statement: GRDB's boxing of arguments cost more
    /// than the statements themselves.
    func execRaw(sql: String, _ values: [Int64?], text: [String] = []) throws {
        try RawStatement(cached: db, sql: sql).execute(values, text: text)
    }

    func fetchRow(sql: String, arguments: SQLArguments = SQLArguments()) throws -> SQLRow? {
        try db.fetchOne(cached: true, sql: sql, arguments: arguments)
    }

    func fetchRows(sql: String, arguments: SQLArguments = SQLArguments()) throws -> [SQLRow] {
        try db.fetchAll(cached: true, sql: sql, arguments: arguments)
    }

    func fetchValue<T: DatabaseValueConvertible & StatementColumnConvertible>(_ type: T.Type, sql: String, arguments: SQLArguments = SQLArguments()) throws -> T? {
        try db.fetchOne(T.self, cached: true, sql: sql, arguments: arguments)
    }

    func fetchValues<T: DatabaseValueConvertible & StatementColumnConvertible>(_ type: T.Type, sql: String, arguments: SQLArguments = SQLArguments()) throws -> [T] {
        try db.fetchAll(T.self, cached: true, sql: sql, arguments: arguments)
    }

    // MARK: - Lookups

    func order(_ id: Int64) throws -> OrderRow {
        if let o = orderCache[id] { return o }
        let o = try orderOnce(id)
        orderCache[id] = o
        return o
    }

    /// The order as `order(_:)` gives it, without keeping it: for a run's sweep over every order
    /// with work (hundreds of thousands), which reads each once.
    func orderOnce(_ id: Int64) throws -> OrderRow {
        if let o = orderCache[id] { return o }
        guard let o = try OrderRow.fetch(db, id: id) else { throw DeskError.notFound("order id \(id) not found") }
        return o
    }

    func forgetOrder(_ id: Int64) { orderCache[id] = nil }

    func licCode(_ id: Int64) throws -> String {
        if let c = licCodeCache[id] { return c }
        if licCodeStatement == nil { licCodeStatement = try RawStatement(db, sql: "SELECT code FROM lic WHERE id = ?") }
        var c = "#\(id)"
        try licCodeStatement!.forEachRow([id]) { r in
            c = r.text(0)
            return false
        }
        licCodeCache[id] = c
        return c
    }

    /// The cached figures of a (LIC, location); zero if it never had stock or demand. Never writes,
    /// so previews and live figures can use it in read transactions.
    func balance(_ key: StockKey) throws -> Balance {
        guard let r = try fetchRow(sql: """
            SELECT on_hand, allotted, demand, on_order, frozen, dedicated FROM balance
            WHERE lic_id = ? AND location_id = ?
            """, arguments: [key.licID, key.locationID]) else { return Balance() }
        return Balance(onHand: r[0], allotted: r[1], demand: r[2], onOrder: r[3], frozen: r[4], dedicated: r[5])
    }

    func ensureBalance(_ key: StockKey) throws {
        try execRaw(sql: "INSERT OR IGNORE INTO balance (lic_id, location_id) VALUES (?, ?)", [key.licID, key.locationID])
    }

    /// The read-only questions (availability, projected dates, suggestions, a queue), asked in
    /// this transaction: the same code a screen's read uses.
    var reads: Snapshot { Snapshot(db: db) }

    /// Every open line of a (LIC, location), in queue order.
    func queue(_ key: StockKey) throws -> [LineRow] { try reads.queue(key) }

    // MARK: - The one writer of lines

    /// Inserts (id 0) or updates a line, with the flags `Derivation.flags` gives it, and applies
    /// the derived changes (`Derivation`) of the change: a batch of one. Returns the saved line.
    @discardableResult
    func saveLine(_ newValue: LineRow, old: LineRow?) throws -> LineRow {
        var line = newValue
        (line.isOpen, line.bo) = Derivation.flags(remaining: line.remaining, allotted: line.allotted,
                                                  inventoried: line.inventoried, orderOpen: try order(line.orderID).isOpen)
        // A breach here is a bug; throwing rolls the whole transaction back instead of saving it.
        guard line.shipped >= 0, line.cancelled >= 0, line.remaining >= 0,
              line.allotted >= 0, line.allotted <= line.remaining else {
            throw DeskError.refused("internal error: line \(line.lineNo) would break I2 (allotted \(line.allotted), remaining \(line.remaining)); nothing was changed")
        }
        guard line.frozen >= 0, line.frozen <= line.onShipment, line.onShipment <= line.allotted,
              line.dedicated >= 0, line.frozen + line.dedicated <= line.allotted else {
            throw DeskError.refused("internal error: line \(line.lineNo) would break I4 (on shipment \(line.onShipment), allotted \(line.allotted)); nothing was changed")
        }

        // A line never claims more incoming PO stock than it still lacks.
        let claimable = line.isOpen ? max(0, line.remaining - line.allotted) : 0
        if line.attached > claimable && line.id != 0 {
            try trimAttachments(&line, to: claimable)
        }

        if line.id == 0 {
            try execRaw(sql: """
                INSERT INTO order_line (order_id, line_no, lic_id, location_id, priority, entered_seq, ordered,
                    cancelled, shipped, invoiced, allotted, frozen, on_shipment, dedicated, unit_cents,
                    whole_line, inventoried, is_open, bo, attached)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [line.orderID, Int64(line.lineNo), line.licID, line.locationID, Int64(line.priority),
                      line.enteredSeq, Int64(line.ordered), Int64(line.cancelled), Int64(line.shipped), Int64(line.invoiced),
                      Int64(line.allotted), Int64(line.frozen), Int64(line.onShipment), Int64(line.dedicated), Int64(line.unitCents),
                      line.wholeLine ? 1 : 0, line.inventoried ? 1 : 0, line.isOpen ? 1 : 0, line.bo ? 1 : 0, Int64(line.attached)])
            line.id = try db.lastInsertedRowID
        } else {
            // SQLite rewrites an index entry whenever the UPDATE assigns one of its columns (or one
            // its WHERE reads), changed or not: priority, is_open and bo — the queue and BO
            // indexes — are set only when they change (337,000 lines: 0.3 s against 2.2 s).
            var values: [Int64?] = [Int64(line.ordered), Int64(line.cancelled), Int64(line.shipped), Int64(line.invoiced),
                                    Int64(line.allotted), Int64(line.frozen), Int64(line.onShipment), Int64(line.dedicated),
                                    Int64(line.unitCents), line.wholeLine ? 1 : 0, Int64(line.attached)]
            var variant = 0
            if old?.priority != line.priority { variant |= 1; values.append(Int64(line.priority)) }
            if old?.isOpen != line.isOpen { variant |= 2; values.append(line.isOpen ? 1 : 0) }
            if old?.bo != line.bo { variant |= 4; values.append(line.bo ? 1 : 0) }
            values.append(line.id)
            try execRaw(sql: Engine.lineUpdates[variant], values)
        }
        var derived = Derivation.Result()
        derived.add(Derivation.Change(old: old?.derivationLine, new: line.derivationLine))
        try apply(derived)
        return line
    }

    /// `saveLine`'s updates: the unindexed columns always, then priority (bit 1), is_open (bit 2)
    /// and bo (bit 4) only in the variants that change them.
    private static let lineUpdates: [String] = (0..<8).map { variant in
        var set = """
            ordered = ?, cancelled = ?, shipped = ?, invoiced = ?, allotted = ?, frozen = ?, on_shipment = ?,
                dedicated = ?, unit_cents = ?, whole_line = ?, attached = ?
            """
        if variant & 1 != 0 { set += ", priority = ?" }
        if variant & 2 != 0 { set += ", is_open = ?" }
        if variant & 4 != 0 { set += ", bo = ?" }
        return "UPDATE order_line SET \(set) WHERE id = ?"
    }

    /// Applies derived changes: each cache's entries in key order, through statements made from
    /// its description (`Derivation.Cache`) — the only writer of the cached sums — then the
    /// queues whose lines changed lose "canonical but for waiting supply"
    /// (`Settledness.awaitingSupply` becomes `.unsettled`).
    func apply(_ derived: Derivation.Result) throws {
        for (i, entries) in derived.tables.enumerated() where !entries.isEmpty {
            let cache = Derivation.caches[i], sql = Engine.cacheStatements[i]
            let update = try RawStatement(cached: db, sql: sql.update)
            let insert = try sql.insert.map { try RawStatement(cached: db, sql: $0) }
            let sorted = entries.sorted()
            let keyCount = cache.keyColumns.count, sumCount = cache.sumColumns.count
            var arguments = [Int64?](repeating: nil, count: sumCount + keyCount)
            for (key, sums) in sorted where !sums.isZero {
                for v in 0..<sumCount { arguments[v] = Int64(sums[v]) }
                for k in 0..<keyCount { arguments[sumCount + k] = key[k] }
                // Nearly every entry adds to a row that exists (a plain UPDATE costs about half an
                // upsert); a new one is inserted.
                if try update.executeCountingChanges(arguments) == 0, let insert {
                    try insert.execute(arguments)
                }
            }
        }
        // A process run's own fills touch only queues it is filling (`beingFilled`), which this
        // never matches: 25,000 statements that changed nothing in a 100k run.
        for key in derived.touchedQueues.sorted() where !writesRunPlan {
            try execRaw(sql: """
                UPDATE balance SET settledness = \(Settledness.unsettled.rawValue)
                WHERE lic_id = ? AND location_id = ? AND settledness = \(Settledness.awaitingSupply.rawValue)
                """, [key.licID, key.locationID])
        }
        // Any change to a queue a process run is filling leaves it to the next run (but the
        // run's own writes).
        guard !writesRunPlan else { return }
        for key in derived.changedQueues.sorted() {
            try execRaw(sql: """
                UPDATE balance SET settledness = \(Settledness.unsettled.rawValue)
                WHERE lic_id = ? AND location_id = ? AND settledness = \(Settledness.beingFilled.rawValue)
                """, [key.licID, key.locationID])
        }
    }

    /// Per cache: add its sums to the entry's row; insert the row if there is none (never for
    /// rows that always exist). Both take the sums, then the key (`?1…`).
    static let cacheStatements: [(update: String, insert: String?)] = Derivation.caches.map { c in
        let n = c.sumColumns.count
        let update = "UPDATE \(c.table) SET \(c.sumColumns.enumerated().map { "\($1) = \($1) + ?\($0 + 1)" }.joined(separator: ", ")) WHERE "
            + c.keyColumns.enumerated().map { "\($1) = ?\(n + $0 + 1)" }.joined(separator: " AND ")
        let insert = c.rowsExist ? nil : """
            INSERT INTO \(c.table) (\((c.sumColumns + c.keyColumns).joined(separator: ", ")))
            VALUES (\((0..<(n + c.keyColumns.count)).map { "?\($0 + 1)" }.joined(separator: ", ")))
            """
        return (update, insert)
    }

    /// Releases a line's PO attachments beyond `limit`, newest first, giving the quantity back to
    /// the PO lines.
    func trimAttachments(_ line: inout LineRow, to limit: Int) throws {
        var excess = line.attached - limit
        let rows = try fetchRows(sql: "SELECT id, po_line_id, qty FROM po_attachment WHERE line_id = ? ORDER BY id DESC",
                                    arguments: [line.id])
        for r in rows where excess > 0 {
            let id: Int64 = r[0], poLine: Int64 = r[1], qty: Int = r[2]
            let cut = min(qty, excess)
            if cut == qty {
                try exec(sql: "DELETE FROM po_attachment WHERE id = ?", arguments: [id])
            } else {
                try exec(sql: "UPDATE po_attachment SET qty = qty - ? WHERE id = ?", arguments: [cut, id])
            }
            try exec(sql: "UPDATE po_line SET attached = attached - ? WHERE id = ?", arguments: [cut, poLine])
            excess -= cut
            line.attached -= cut
        }
    }

    // MARK: - Allotment

    /// Sets a line's allotment, trimming its Pending shipment items if it shrinks, and logs the
    /// change on the order. `beneficiary` names the order that took the stock, if one did.
    @discardableResult
    func setAllotment(lineID: Int64, to newValue: Int, source: AllotmentSource, beneficiary: String? = nil,
                             logged: Bool = true) throws -> LineRow {
        guard let old = try LineRow.fetch(db, id: lineID) else { throw DeskError.notFound("line \(lineID) not found") }
        if newValue == old.allotted { return old }
        var line = old
        // A whole-line line, or any line of an order that ships complete, ships nothing while it is
        // short (§4.2, §4.6): when it becomes short, its Pending items — and for a complete order
        // those of every line — are withdrawn, to be rebuilt once everything is allotted again.
        let policy = try order(line.orderID).policy
        let withdraw = newValue < old.allotted && newValue < line.remaining && (line.wholeLine || policy.shipsComplete)
        if withdraw && line.onShipment > line.frozen {
            try trimPending(&line, excess: line.onShipment - line.frozen)
        } else if newValue < line.onShipment {
            try trimPending(&line, excess: line.onShipment - newValue)
        }
        line.allotted = newValue
        line.dedicated = min(line.dedicated, max(0, newValue - line.frozen))
        line = try saveLine(line, old: old)
        recordAllotment(line.id, from: old.allotted, to: newValue)
        if withdraw && policy.shipsComplete {
            for other in try LineRow.fetchAll(db, sql: "WHERE order_id = ? AND id <> ? AND on_shipment > frozen",
                                              arguments: [line.orderID, line.id]) {
                var o = other
                try trimPending(&o, excess: o.onShipment - o.frozen)
                try saveLine(o, old: other)
            }
        }
        if withdraw { ordersToShip.insert(line.orderID) }
        let lic = try licCode(line.licID)
        guard logged else { return line }
        if newValue > old.allotted {
            let units = newValue - old.allotted
            stats.unitsAllotted += units
            if filledLines.insert(line.id).inserted { stats.linesFilled += 1 }
            if source == .primary || source == .secondary {
                processAllotments[line.orderID, default: (source, [])].items
                    .append(LogEvent.Allotment(line: line.lineNo, lic: lic, quantity: units, boCleared: old.bo && !line.bo))
            } else {
                try log(line.orderID, .allotted(line: line.lineNo, lic: lic, quantity: units, source: source,
                                               boCleared: old.bo && !line.bo))
            }
            ordersToShip.insert(line.orderID)
        } else {
            try log(line.orderID, .preempted(line: line.lineNo, lic: lic, quantity: old.allotted - newValue,
                                            toOrder: beneficiary, source: source))
        }
        return line
    }

    /// Shrinks a line's Pending shipment items, newest shipment first.
    func trimPending(_ line: inout LineRow, excess: Int) throws {
        let rows = try fetchRows(sql: """
            SELECT si.id, si.shipment_id, si.qty FROM shipment_item si JOIN shipment s ON s.id = si.shipment_id
            WHERE si.line_id = ? AND s.status = 'pending'
            """, arguments: [line.id])
        let items = rows.map { ShipmentPlanning.PendingItem(itemID: $0[0], shipmentID: $0[1], quantity: $0[2]) }
        let byID = Dictionary(uniqueKeysWithValues: items.map { ($0.itemID, $0) })
        for (itemID, quantity) in ShipmentPlanning.trimPending(items, excess: excess) {
            let item = byID[itemID]!
            if quantity == 0 {
                try exec(sql: "DELETE FROM shipment_item WHERE id = ?", arguments: [itemID])
            } else {
                try exec(sql: "UPDATE shipment_item SET qty = ? WHERE id = ?", arguments: [quantity, itemID])
            }
            line.onShipment -= item.quantity - quantity
            try log(line.orderID, .shipmentReduced(shipment: item.shipmentID, line: line.lineNo, quantity: item.quantity - quantity))
            try recordShipment(item.shipmentID, orderID: line.orderID, .reduced, units: item.quantity - quantity)
            let left = try fetchValue(Int.self, sql: "SELECT count(*) FROM shipment_item WHERE shipment_id = ?", arguments: [item.shipmentID]) ?? 0
            if left == 0 {
                try exec(sql: "UPDATE shipment SET status = 'cancelled' WHERE id = ?", arguments: [item.shipmentID])
                try log(line.orderID, .note("Pending shipment \(item.shipmentID) emptied and cancelled."))
                try recordShipment(item.shipmentID, orderID: line.orderID, .cancelled, units: 0)
            }
        }
    }

    /// Makes the allotments of one (LIC, location) the greedy fill of its queue (§4.4): the
    /// fill `readFill` walks with the core's rule, taking before giving so that pending
    /// shipments shrink before others grow.
    @discardableResult
    func canonicalize(_ key: StockKey, source: AllotmentSource, beneficiaryFor: (LineRow) -> String? = { _ in nil }) throws -> [Allocation.Change] {
        var fills: [Fill] = []
        try readFill(key, into: &fills)
        let changes = fills.map { Allocation.Change(lineID: $0.id, from: Int($0.allotted), to: Int($0.target)) }
        for change in changes where change.delta < 0 {
            guard let line = try LineRow.fetch(db, id: change.lineID) else { continue }
            try setAllotment(lineID: change.lineID, to: change.to, source: source, beneficiary: beneficiaryFor(line))
        }
        for change in changes where change.delta > 0 {
            try setAllotment(lineID: change.lineID, to: change.to, source: source)
        }
        return changes
    }

    /// What is known about a queue's allotments (`balance.settledness`), which `check` verifies.
    enum Settledness: Int {
        /// The canonical fill of the queue from its stock.
        case settled = 0
        /// Possibly anything (a fair-queue-off entry, dedicated stock taken back, a change made
        /// while supply waited): only a full re-fill makes it canonical.
        case unsettled = 1
        /// The canonical fill of the units it has allotted — full lines first, in queue order —
        /// with supply waiting (on hand − allotted) that the short lines have not had yet: a
        /// settled queue to which only supply happened. The process then re-fills only the
        /// short lines, from the free stock.
        case awaitingSupply = 2
        /// A process run has read the queue's fill and writes it order by order over several
        /// transactions (`RunPlan`): until it is done the queue is neither. Any other change to
        /// its lines or its stock makes it unsettled (the run leaves it to the next, which
        /// re-fills it whole, as it does one a killed run left so).
        case beingFilled = 3
    }

    /// Whether a queue is known to be its canonical fill (see `balance.settledness`).
    func isSettled(_ key: StockKey) throws -> Bool {
        try fetchValue(Bool.self, sql: "SELECT settledness = \(Settledness.settled.rawValue) FROM balance WHERE lic_id = ? AND location_id = ?",
                       arguments: [key.licID, key.locationID]) ?? true
    }

    /// `hasBalance`: the key's balance row is known to exist (a run's planned keys: their
    /// settledness was set when the plan marked them being filled).
    func setSettled(_ key: StockKey, _ settled: Bool, hasBalance: Bool = false) throws {
        if !hasBalance { try ensureBalance(key) }
        try execRaw(sql: "UPDATE balance SET settledness = ? WHERE lic_id = ? AND location_id = ?",
                    [Int64((settled ? Settledness.settled : .unsettled).rawValue), key.licID, key.locationID])
    }

    /// The unmet need (beyond frozen and dedicated) of the open lines queued ahead of `key` in a
    /// (LIC, location): the priorities above (`queue_need`), the spans of blocks of entry
    /// sequence before its own at its priority (`unmet_span.need`) and the blocks before its own
    /// in its span (`unmet_block.need`) from the caches, then the lines ahead of it in its own
    /// block, summed on the queue index.
    func needAhead(_ stock: StockKey, of key: QueueKey) throws -> Int {
        let block = key.enteredSeq >> Derivation.blockShift, span = Derivation.span(ofBlock: block)
        let cached = try fetchValue(Int.self, sql: """
            SELECT (SELECT coalesce(sum(need), 0) FROM queue_need WHERE lic_id = ?1 AND location_id = ?2 AND priority > ?3)
                 + (SELECT coalesce(sum(need), 0) FROM unmet_span WHERE lic_id = ?1 AND location_id = ?2 AND priority = ?3 AND span < ?4)
                 + (SELECT coalesce(sum(need), 0) FROM unmet_block
                    WHERE lic_id = ?1 AND location_id = ?2 AND priority = ?3 AND block >= ?5 AND block < ?6)
            """, arguments: [stock.licID, stock.locationID, key.priority, span, span << Derivation.spanShift, block]) ?? 0
        let inBlock = try fetchValue(Int.self, sql: """
            SELECT coalesce(sum(ordered - cancelled - shipped - min(allotted, frozen + dedicated)), 0) FROM order_line
            WHERE lic_id = ?1 AND location_id = ?2 AND is_open = 1 AND priority = ?3 AND entered_seq >= ?4
              AND (entered_seq, order_id, line_no) < (?5, ?6, ?7)
            """, arguments: [stock.licID, stock.locationID, key.priority, block << Derivation.blockShift,
                             key.enteredSeq, key.orderID, key.lineNo]) ?? 0
        return cached + inBlock
    }

    /// The last lines of a queue (at most 32, last first) holding allotment that can be taken
    /// (more than their frozen and dedicated quantities): only those queued at priorities below
    /// `below`, if given, and not those of order `notOfOrder`. In a queue that is its greedy fill
    /// (settled, or settled but for waiting supply) only the lines up to its first short line hold
    /// any, so the walk back starts there — past however many short lines follow it; otherwise
    /// it starts at the queue's end.
    func movableFromEnd(_ key: StockKey, below: Int? = nil, notOfOrder: Int64? = nil) throws -> [LineRow] {
        let limit = 32
        let state = try fetchValue(Int.self, sql: "SELECT settledness FROM balance WHERE lic_id = ? AND location_id = ?",
                                   arguments: [key.licID, key.locationID]).flatMap(Settledness.init) ?? .settled
        let ceiling = below ?? Int.max
        let other = notOfOrder ?? 0
        func walk(_ range: String, _ arguments: SQLArguments) throws -> [LineRow] {
            try LineRow.fetchAll(db, sql: """
                INDEXED BY line_queue WHERE lic_id = ? AND location_id = ? AND is_open = 1 AND \(range)
                  AND allotted > frozen + dedicated AND order_id <> ?
                ORDER BY priority ASC, entered_seq DESC, order_id DESC, line_no DESC LIMIT \(limit)
                """, arguments: [key.licID, key.locationID] + arguments + [other])
        }
        var frontier: SQLRow?
        if state == .settled || state == .awaitingSupply {
            frontier = try fetchRow(sql: """
                SELECT priority, entered_seq, order_id, line_no FROM order_line INDEXED BY line_short
                WHERE lic_id = ? AND location_id = ? AND bo = 1 AND order_id <> ?
                ORDER BY priority DESC, entered_seq, order_id, line_no LIMIT 1
                """, arguments: [key.licID, key.locationID, other])
        }
        guard let f = frontier else {
            return try walk("priority < ?", [ceiling])
        }
        // The frontier's priority from it back, then the higher priorities below the ceiling.
        let priority: Int = f[0]
        var page: [LineRow] = []
        if priority < ceiling {
            page = try walk("priority = ? AND (entered_seq, order_id, line_no) <= (?, ?, ?)", [priority, f[1] as Int64, f[2] as Int64, f[3] as Int64])
        }
        if page.count < limit {
            page += try walk("priority > ? AND priority < ?", [priority, ceiling]).prefix(limit - page.count)
        }
        return page
    }

    /// Re-allocates a settled queue after `lines` (of one order) moved in it, the way §4.3 says:
    /// each moved line's canonical share is computed from the need ahead of its new place; what it
    /// gains is taken from the movable allotments at the end of the queue, last first; what it
    /// loses goes to the first short lines. Reads only the lines that change.
    func reallocateMoved(_ key: StockKey, lines moved: [LineRow], source: AllotmentSource, beneficiary: String) throws -> [Allocation.Change] {
        let b = try balance(key)
        let pool = b.onHand - b.frozen - b.dedicated
        var changes: [Allocation.Change] = []
        let orderID = moved[0].orderID
        for stale in moved.sorted(by: { $0.key < $1.key }) {
            guard let line = try LineRow.fetch(db, id: stale.id), line.isOpen else { continue }
            // The canonical fill of the queue, at this line: the lines ahead take their need first.
            var fill = Allocation.Fill(pool: pool)
            fill.pass(try needAhead(key, of: line.key))
            let target = fill.target(fixed: line.fixed, remaining: line.remaining)
            if target > line.allotted {
                var left = target - line.allotted
                while left > 0 {
                    let page = try movableFromEnd(key, notOfOrder: orderID)
                    guard !page.isEmpty else { break }
                    let (taken, short) = Allocation.takeFromEnd(page.map(\.queueLine), amount: left)
                    for c in taken {
                        try setAllotment(lineID: c.lineID, to: c.to, source: source, beneficiary: beneficiary)
                        changes.append(c)
                    }
                    left = short
                }
                let gained = target - line.allotted - left
                if gained > 0 {
                    try setAllotment(lineID: line.id, to: line.allotted + gained, source: source)
                    changes.append(Allocation.Change(lineID: line.id, from: line.allotted, to: line.allotted + gained))
                }
            } else if target < line.allotted {
                try setAllotment(lineID: line.id, to: target, source: source)
                changes.append(Allocation.Change(lineID: line.id, from: line.allotted, to: target))
                // What it gives up goes to the first short lines, as a fill of the released stock.
                var released = Allocation.Fill(pool: line.allotted - target)
                while !released.isEmpty {
                    let page = try LineRow.fetchAll(db, sql: """
                        WHERE lic_id = ? AND location_id = ? AND bo = 1 AND order_id <> ?
                        ORDER BY priority DESC, entered_seq, order_id, line_no LIMIT 32
                        """, arguments: [key.licID, key.locationID, orderID])
                    guard !page.isEmpty else { break }
                    for other in page where !released.isEmpty {
                        let give = released.give(other.remaining - other.allotted)
                        try setAllotment(lineID: other.id, to: other.allotted + give, source: source)
                        changes.append(Allocation.Change(lineID: other.id, from: other.allotted, to: other.allotted + give))
                    }
                }
            }
        }
        return changes
    }

    // MARK: - Stock movements

    /// Appends a ledger row and moves on hand with it (I6).
    @discardableResult
    func postLedger(_ kind: LedgerKind, _ key: StockKey, qty: Int, orderID: Int64? = nil,
                           shipmentID: Int64? = nil, poID: Int64? = nil, reason: String = "") throws -> Int64 {
        try ensureBalance(key)
        try exec(sql: """
            INSERT INTO ledger (at, lic_id, location_id, kind, qty, order_id, shipment_id, po_id, actor, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [at, key.licID, key.locationID, kind.rawValue, qty, orderID, shipmentID, poID, actor, reason])
        let id = try db.lastInsertedRowID
        // Stock moving under a run's plan: the run leaves the queue to the next one.
        try exec(sql: """
            UPDATE balance SET on_hand = on_hand + ?,
                settledness = CASE settledness WHEN \(Settledness.beingFilled.rawValue) THEN \(Settledness.unsettled.rawValue) ELSE settledness END
            WHERE lic_id = ? AND location_id = ?
            """, arguments: [qty, key.licID, key.locationID])
        return id
    }

    /// Records an increase of available stock for a backorder process to consume.
    func addSupply(_ process: ProcessKind, _ key: StockKey, qty: Int, source: String) throws {
        try ensureBalance(key)
        try exec(sql: """
            UPDATE balance SET settledness = CASE settledness WHEN \(Settledness.settled.rawValue)
                THEN \(Settledness.awaitingSupply.rawValue) ELSE settledness END
            WHERE lic_id = ? AND location_id = ?
            """, arguments: [key.licID, key.locationID])
        try exec(sql: """
            INSERT INTO supply_event (process, lic_id, location_id, qty, source, at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [process.rawValue, key.licID, key.locationID, qty, source, at])
    }

    /// Takes `amount` of allotment back from the end of the queue, never frozen quantity:
    /// first movable allotments, then PO-dedicated ones. Returns what could not be found.
    func takeBackFromEnd(_ key: StockKey, amount: Int, source: AllotmentSource) throws -> Int {
        let fromEnd = Array(try queue(key).reversed())
        var (changes, shortfall) = Allocation.takeFromEnd(fromEnd.map(\.queueLine), amount: amount)
        if shortfall > 0 {
            // Taking dedicated stock is not what the canonical fill would do.
            try setSettled(key, false)
            // Dedicated quantities go last, still from the end of the queue.
            var after = Dictionary(uniqueKeysWithValues: changes.map { ($0.lineID, $0.to) })
            for line in fromEnd where shortfall > 0 {
                let current = after[line.id] ?? line.allotted
                let canGive = min(line.dedicated, current - line.frozen)
                guard canGive > 0 else { continue }
                let take = min(canGive, shortfall)
                after[line.id] = current - take
                shortfall -= take
            }
            changes = fromEnd.compactMap { l in
                after[l.id].flatMap { $0 == l.allotted ? nil : Allocation.Change(lineID: l.id, from: l.allotted, to: $0) }
            }
        }
        guard shortfall == 0 else { return shortfall }
        for change in changes {
            try setAllotment(lineID: change.lineID, to: change.to, source: source)
        }
        return 0
    }

    // MARK: - Shipments

    /// Builds the shipments of every order whose allotments grew during this transaction.
    func finish() throws {
        for (orderID, a) in takeProcessAllotments().sorted(by: { $0.key < $1.key }) {
            try log(orderID, .allottedLines(items: a.items, source: a.source))
        }
        for id in ordersToShip.sorted() {
            try buildShipments(orderID: id)
        }
        ordersToShip.removeAll()
    }

    func takeProcessAllotments() -> [Int64: (source: AllotmentSource, items: [LogEvent.Allotment])] {
        defer { processAllotments = [:] }
        return processAllotments
    }
    func markForShipping(_ orderID: Int64) { ordersToShip.insert(orderID) }
    func ordersToShipSnapshot() -> Set<Int64> { ordersToShip }
    func restoreOrdersToShip(_ s: Set<Int64>) { ordersToShip = s }
    func orderCacheClear() { orderCache.removeAll() }

    /// The bulk writes' order sweep of this transaction, its statements prepared once (not per
    /// chunk of a run: ~200 chunks at 100k lines, the order read's prepare 0.86 M instructions each).
    func orderSweep(source: AllotmentSource) throws -> OrderSweep {
        if let s = sweep, s.source == source { return s }
        let s = try OrderSweep(self, source: source)
        sweep = s
        return s
    }

    /// The shipment builder of this transaction (its statements prepared on first use).
    func shipping() throws -> ShipmentBuilder {
        if let s = shipmentBuilder { return s }
        let s = try ShipmentBuilder(self)
        shipmentBuilder = s
        return s
    }

    /// Puts the order's allotted quantity not yet on a shipment onto one (§4.6, `ShipmentBuilder`).
    func buildShipments(orderID: Int64) throws {
        let order = try self.order(orderID)
        guard order.isOpen else { return }
        let shipping = try shipping()
        let lines = try shipping.openLines(orderID)
        let planned = ShipmentPlanning.newItems(lines: lines.map(\.line), policy: order.policy)
        guard !planned.isEmpty else { return }
        for item in planned { try shipping.addToLine(item) }
        try shipping.place(order, planned, lines: lines)
    }

    // MARK: - Record log

    func log(_ orderID: Int64, _ event: LogEvent) throws {
        if logStatement == nil {
            logStatement = try RawStatement(db, sql: "INSERT INTO order_log (order_id, at, actor, kind, message) VALUES (?, ?, ?, ?, ?)")
        }
        sentence.removeAll()
        if event.writeSentence(into: &sentence) {
            try logStatement!.execute([orderID], text: [at, actor, event.kind], utf8: sentence.bytes)
        } else {
            try logStatement!.execute([orderID], text: [at, actor, event.kind, event.sentence])
        }
    }
}
