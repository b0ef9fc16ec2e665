import BackorderCore
import GRDB

/// One quantity a priority change takes from a line (`fromOrder` loses it) or gives to one.
public struct PriorityMove: Hashable, Sendable, Codable {
    public var lic: String
    public var fromOrder: String
    public var fromLine: Int
    public var qty: Int
    public var customer: String
    public var customerName: String

    public init(lic: String, fromOrder: String, fromLine: Int, qty: Int, customer: String = "", customerName: String = "") {
        self.lic = lic
        self.fromOrder = fromOrder
        self.fromLine = fromLine
        self.qty = qty
        self.customer = customer
        self.customerName = customerName
    }
}

/// A shipment a decision creates, appends to, reduces or empties (cancels).
public struct ShipmentEffect: Hashable, Sendable {
    public enum Kind: String, Sendable, Hashable {
        case created, appended, reduced, cancelled
    }
    public var shipment: Int64
    public var orderID: Int64
    public var order: String
    public var customer: String
    public var customerName: String
    public var kind: Kind
    /// Units added (created, appended) or taken off (reduced); 0 for cancelled.
    public var units: Int
}

/// Everything a priority change moves (§4.3, §10): who loses and who gains what of which LIC,
/// and the shipments it creates, appends to, reduces or cancels.
public struct PriorityOutcome: Hashable, Sendable {
    public var losses: [PriorityMove] = []
    /// `fromOrder`/`fromLine` name the line that gains.
    public var gains: [PriorityMove] = []
    public var shipments: [ShipmentEffect] = []
}

extension Engine {
    func openInventoriedKeys(orderID: Int64) throws -> [StockKey] {
        try fetchRows(sql: """
            SELECT DISTINCT lic_id, location_id FROM order_line WHERE order_id = ? AND +is_open = 1 ORDER BY lic_id, location_id
            """, arguments: [orderID]).map { StockKey(licID: $0[0], locationID: $0[1]) }
    }

    /// What a change of the order's priority would move (§4.3): the change itself, made inside a
    /// savepoint that is rolled back, so the preview can never disagree with the change.
    func previewPriority(orderID: Int64, to priority: Int) throws -> PriorityOutcome {
        var outcome = PriorityOutcome()
        let saved = (stats, ordersToShipSnapshot())
        try db.rolledBack { outcome = try changePriority(orderID: orderID, to: priority) }
        stats = saved.0
        restoreOrdersToShip(saved.1)
        orderCacheClear()
        return outcome
    }

    /// Changes the order's priority and re-allocates each of its LICs (§4.3, §4.4); returns
    /// every allotment it moved and every shipment it touched.
    func changePriority(orderID: Int64, to priority: Int) throws -> PriorityOutcome {
        let wasRecording = recordsChanges
        recordsChanges = true
        forgetRecorded()
        defer { recordsChanges = wasRecording }
        try applyPriority(orderID: orderID, to: priority)
        try finish()
        return try outcome(of: recorded)
    }

    /// Net per line (a line that gave to two moved lines is one move), in queue order per LIC.
    private func outcome(of r: RecordedChanges) throws -> PriorityOutcome {
        var losses: [(QueueKey, String, PriorityMove)] = []
        var gains: [(QueueKey, String, PriorityMove)] = []
        for id in r.allotmentOrder {
            guard let change = r.allotments[id], change.from != change.to, let line = try LineRow.fetch(db, id: id) else { continue }
            let o = try order(line.orderID)
            let who = try fetchRow(sql: "SELECT code, name FROM customer WHERE id = ?", arguments: [o.customerID])
            let lic = try licCode(line.licID)
            let move = PriorityMove(lic: lic, fromOrder: o.number, fromLine: line.lineNo, qty: abs(change.to - change.from),
                                    customer: who?[0] ?? "", customerName: who?[1] ?? "")
            if change.to < change.from { losses.append((line.key, lic, move)) } else { gains.append((line.key, lic, move)) }
        }
        func sorted(_ m: [(QueueKey, String, PriorityMove)]) -> [PriorityMove] {
            m.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.2)
        }
        return PriorityOutcome(losses: sorted(losses), gains: sorted(gains), shipments: r.shipments)
    }

    private func applyPriority(orderID: Int64, to priority: Int) throws {
        let o = try order(orderID)
        guard o.isOpen else { throw DeskError.refused("order \(o.number) is \(o.status); only open orders change priority") }
        let from = o.priority
        try exec(sql: "UPDATE orders SET priority = ? WHERE id = ?", arguments: [priority, orderID])
        forgetOrder(orderID)
        for line in try LineRow.fetchAll(db, sql: "WHERE order_id = ?", arguments: [orderID]) {
            var l = line
            l.priority = priority
            try saveLine(l, old: line)
        }
        try log(orderID, .priorityChanged(from: from, to: priority))
        for key in try openInventoriedKeys(orderID: orderID) {
            if try isSettled(key) {
                let own = try LineRow.fetchAll(db, sql: "WHERE order_id = ? AND +lic_id = ? AND +location_id = ? AND +is_open = 1",
                                               arguments: [orderID, key.licID, key.locationID])
                _ = try reallocateMoved(key, lines: own, source: .priorityChange, beneficiary: o.number)
            } else {
                try canonicalize(key, source: .priorityChange) { victim in
                    victim.orderID == orderID ? nil : o.number
                }
            }
        }
    }

    /// Voids an open order that has shipped nothing: cancels its Pending shipments and releases
    /// its allotments to the secondary backorder process.
    func voidOrder(orderID: Int64) throws {
        let o = try order(orderID)
        guard o.isOpen else { throw DeskError.refused("order \(o.number) is \(o.status); only open orders can be voided") }
        let shippedInventoried = try fetchValue(Int.self, sql: "SELECT coalesce(sum(shipped), 0) FROM order_line WHERE order_id = ? AND inventoried = 1", arguments: [orderID]) ?? 0
        guard shippedInventoried == 0 else {
            throw DeskError.refused("order \(o.number) has shipped stock and cannot be voided; cancel its remaining quantities instead (`order cancel-remaining`)")
        }
        let picked = try fetchValue(Int.self, sql: "SELECT count(*) FROM shipment WHERE order_id = ? AND status = 'picked'", arguments: [orderID]) ?? 0
        guard picked == 0 else {
            throw DeskError.refused("order \(o.number) has a picked shipment; ship it or cancel remaining instead of voiding")
        }
        for sid in try fetchValues(Int64.self, sql: "SELECT id FROM shipment WHERE order_id = ? AND status = 'pending'", arguments: [orderID]) {
            try cancelShipment(id: sid)
        }
        var released: [StockKey: Int] = [:]
        for line in try LineRow.fetchAll(db, sql: "WHERE order_id = ? AND +is_open = 1", arguments: [orderID]) where line.allotted > 0 {
            released[StockKey(licID: line.licID, locationID: line.locationID), default: 0] += line.allotted
            var l = line
            l.allotted = 0
            try saveLine(l, old: line)
        }
        try exec(sql: "UPDATE orders SET status = 'void' WHERE id = ?", arguments: [orderID])
        forgetOrder(orderID)
        for line in try LineRow.fetchAll(db, sql: "WHERE order_id = ?", arguments: [orderID]) {
            try saveLine(line, old: line)
        }
        for (key, qty) in released.sorted(by: { $0.key < $1.key }) {
            try addSupply(.secondary, key, qty: qty, source: "void of order \(o.number)")
        }
        try log(orderID, .voided)
    }

    /// Cancels what remains of one line or of every open line of the order, with a reason (§5).
    /// Quantities on picked shipments still ship; released allotments go to the secondary process.
    func cancelRemaining(orderID: Int64, lineNo: Int?, reasonCode: String, closing: Bool = true) throws -> Int {
        let o = try order(orderID)
        guard o.isOpen else { throw DeskError.refused("order \(o.number) is \(o.status); nothing remains to cancel") }
        let reason = try reasonPhrase(reasonCode)
        var lines = try LineRow.fetchAll(db, sql: "WHERE order_id = ? ORDER BY line_no", arguments: [orderID])
        if let lineNo {
            lines = lines.filter { $0.lineNo == lineNo }
            guard !lines.isEmpty else {
                let numbers = try db.fetchAll(Int.self, sql: "SELECT line_no FROM order_line WHERE order_id = ? ORDER BY line_no", arguments: [orderID])
                throw DeskError.notFound("order \(o.number) has no line \(lineNo) (its lines are \(numbers.first ?? 1)–\(numbers.last ?? 1))")
            }
        }
        var total = 0
        for line in lines where line.remaining - line.frozen > 0 {
            let qty = line.remaining - line.frozen
            let key = StockKey(licID: line.licID, locationID: line.locationID)
            let release = line.allotted - line.frozen
            var l = try setAllotment(lineID: line.id, to: line.frozen, source: .entry, logged: false)
            let old = l
            l.cancelled += qty
            try saveLine(l, old: old)
            if release > 0 && line.inventoried {
                try addSupply(.secondary, key, qty: release, source: "cancelled remainder of order \(o.number)")
            }
            total += qty
            try log(orderID, .cancelledRemaining(line: line.lineNo, lic: try licCode(line.licID), quantity: qty, reason: reason))
        }
        guard total > 0 else {
            throw DeskError.refused(lineNo.map { "line \($0) of order \(o.number) has nothing left to cancel" } ?? "order \(o.number) has nothing left to cancel")
        }
        if closing { try closeIfDone(orderID: orderID) }
        try finish()
        return total
    }

    /// An order whose lines have nothing left: cancelled if it never shipped anything; closed if
    /// everything it shipped is invoiced; otherwise it stays open until invoiced.
    func closeIfDone(orderID: Int64) throws {
        let r = try fetchRow(sql: """
            SELECT coalesce(sum(ordered - cancelled - shipped), 0), coalesce(sum(shipped), 0), coalesce(sum(shipped - invoiced), 0)
            FROM order_line WHERE order_id = ?
            """, arguments: [orderID])!
        let remaining: Int = r[0]
        let shipped: Int = r[1]
        let uninvoiced: Int = r[2]
        guard remaining == 0 else { return }
        let status: OrderStatus
        if shipped == 0 { status = .cancelled } else if uninvoiced == 0 { status = .closed } else { return }
        try exec(sql: "UPDATE orders SET status = ? WHERE id = ?", arguments: [status.rawValue, orderID])
        forgetOrder(orderID)
        for line in try LineRow.fetchAll(db, sql: "WHERE order_id = ?", arguments: [orderID]) {
            try saveLine(line, old: line)
        }
    }

    /// A customer return of shipped stock into the order's location (a secondary process event).
    func recordReturn(orderID: Int64, licID: Int64, qty: Int) throws {
        let o = try order(orderID)
        let lic = try licCode(licID)
        guard try isInventoried(licID) else { throw DeskError.refused("\(lic) is not inventoried; there is no stock to return") }
        let shipped = try fetchValue(Int.self, sql: "SELECT coalesce(sum(shipped), 0) FROM order_line WHERE order_id = ? AND +lic_id = ?",
                                       arguments: [orderID, licID]) ?? 0
        let returned = try fetchValue(Int.self, sql: "SELECT coalesce(sum(qty), 0) FROM ledger WHERE order_id = ? AND +lic_id = ? AND kind = 'return'",
                                        arguments: [orderID, licID]) ?? 0
        guard qty <= shipped - returned else {
            throw DeskError.refused("order \(o.number) has \(shipped - returned) \(lic) shipped and not yet returned; cannot return \(qty)")
        }
        let key = StockKey(licID: licID, locationID: o.locationID)
        try postLedger(.return, key, qty: qty, orderID: orderID, reason: "customer return on order \(o.number)")
        try addSupply(.secondary, key, qty: qty, source: "return on order \(o.number)")
        try log(orderID, .returned(lic: lic, quantity: qty))
    }
}
