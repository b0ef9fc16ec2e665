import BackorderCore
import GRDB

/// Fills and the backorder processes' bulk path.
///
/// A fill walks a queue in queue order through `Allocation.Fill` (the core's rule): a queue
/// settled before its supply arrived tops up its short lines from the free stock and stops
/// reading where the stock runs out; any other queue is re-filled whole from its stock not
/// frozen or dedicated. Only the lines whose allotment changes are kept.
///
/// A run over thousands of (LIC, location)s fills hundreds of thousands of lines. Lines that
/// lose allotment (their shipments shrink) or hold PO attachments (which shrink as allotment
/// grows) go one by one through `setAllotment`, first. The rest only gain: their derived changes
/// are summed (`Derivation.Result`) in queue order and applied by `apply`, as `saveLine` applies
/// a batch of one; then they are written order by order — one allotment log row, the lines, the
/// shipment through `ShipmentBuilder` (as `buildShipments` does).
extension Engine {
    /// A line a fill changes: what the fill read of it, and its target allotment. Packed (72
    /// bytes a line; a run at a million lines holds half a million): quantities fit in 32 bits,
    /// as input never exceeds `Input.maxQuantity` (10⁹).
    struct Fill {
        var id: Int64, orderID: Int64, licID: Int64, enteredSeq: Int64
        var locationID: Int32, lineNo: Int32, priority: Int32
        var remaining: Int32, allotted: Int32, target: Int32
        var frozen: Int32, dedicated: Int32
        var attached: Int32
        /// Its queue's place in the run's keys (`RunPlan`; 0 elsewhere).
        var queue: Int32
        var key: StockKey { StockKey(licID: licID, locationID: Int64(locationID)) }
        var gain: Int { Int(target - allotted) }
        /// Shrinking lines (take before giving) and lines holding PO attachments go one by one.
        var isSpecial: Bool { target < allotted || attached > 0 }

        /// The line as its derived state sees it, before (`filled` false) or after the fill.
        func derivationLine(filled: Bool) -> Derivation.Line {
            let allotted = Int(filled ? target : self.allotted)
            let flags = Derivation.flags(remaining: Int(remaining), allotted: allotted, inventoried: true, orderOpen: true)
            return Derivation.Line(id: id, orderID: orderID, stock: key, priority: Int(priority), enteredSeq: enteredSeq,
                                   remaining: Int(remaining), allotted: allotted, frozen: Int(frozen), dedicated: Int(dedicated),
                                   attached: Int(attached), inventoried: true, isOpen: flags.isOpen, bo: flags.bo)
        }
    }

    /// The lines of one queue whose allotment its fill changes, appended to `fills` in queue
    /// order, and (if `settle`) the queue marked settled.
    func readFill(_ key: StockKey, into fills: inout [Fill], queue: Int32 = 0, settle: Bool = true) throws {
        let stock = try RawStatement(cached: db, sql: """
            SELECT on_hand, allotted, frozen, dedicated, settledness FROM balance WHERE lic_id = ? AND location_id = ?
            """)
        var b = (onHand: 0, allotted: 0, frozen: 0, dedicated: 0, state: Settledness.settled)
        try stock.forEachRow([key.licID, key.locationID]) { r in
            b = (r.int(0), r.int(1), r.int(2), r.int(3), Settledness(rawValue: r.int(4)) ?? .unsettled)
            return false
        }
        func read(_ r: RawRow) -> Fill {
            Fill(id: r.int64(0), orderID: r.int64(1), licID: key.licID, enteredSeq: r.int64(4),
                 locationID: Int32(truncatingIfNeeded: key.locationID), lineNo: Int32(truncatingIfNeeded: r.int(2)),
                 priority: Int32(truncatingIfNeeded: r.int(3)), remaining: Int32(truncatingIfNeeded: r.int(5)),
                 allotted: Int32(truncatingIfNeeded: r.int(6)), target: 0,
                 frozen: Int32(truncatingIfNeeded: r.int(8)), dedicated: Int32(truncatingIfNeeded: r.int(9)),
                 attached: Int32(truncatingIfNeeded: r.int(7)), queue: queue)
        }
        if b.state == .awaitingSupply {
            // Settled before its supply arrived: the free stock goes to the short lines in queue
            // order (the lines ahead of each are full), and reading stops where it runs out.
            var fill = Allocation.Fill(pool: b.onHand - b.allotted)
            if !fill.isEmpty {
                try RawStatement(cached: db, sql: "\(Engine.fillColumns) INDEXED BY line_short WHERE lic_id = ?1 AND location_id = ?2 AND bo = 1 \(Engine.queueOrder)")
                    .forEachRow([key.licID, key.locationID]) { r in
                        var f = read(r)
                        f.target = f.allotted + Int32(fill.give(Int(f.remaining - f.allotted)))
                        if f.target != f.allotted { fills.append(f) }
                        return !fill.isEmpty
                    }
            }
        } else {
            var fill = Allocation.Fill(pool: b.onHand - b.frozen - b.dedicated)
            try RawStatement(cached: db, sql: "\(Engine.fillColumns) INDEXED BY line_queue WHERE lic_id = ?1 AND location_id = ?2 AND is_open = 1 \(Engine.queueOrder)")
                .forEachRow([key.licID, key.locationID]) { r in
                    var f = read(r)
                    let fixed = min(Int(f.allotted), Int(f.frozen + f.dedicated))
                    f.target = Int32(fill.target(fixed: fixed, remaining: Int(f.remaining)))
                    if f.target != f.allotted { fills.append(f) }
                    return true
                }
        }
        if settle { try setSettled(key, true) }
    }

    /// What a fill reads of each line, in `Fill`'s column order.
    static let fillColumns = """
        SELECT id, order_id, line_no, priority, entered_seq, ordered - cancelled - shipped, allotted, attached, frozen, dedicated
        FROM order_line
        """
    static let queueOrder = "ORDER BY priority DESC, entered_seq, order_id, line_no"

    /// Writes the fills from `start` on that go one by one — what shrinks first (take before
    /// giving), then what grows but holds attachments — and removes them from `fills`, keeping
    /// the others in order; returns how many there were.
    func allotOneByOne(_ fills: inout [Fill], from start: Int = 0, source: AllotmentSource) throws -> Int {
        let special = fills[start...].filter(\.isSpecial).sorted { a, b in
            (a.target >= a.allotted ? 1 : 0, a.id) < (b.target >= b.allotted ? 1 : 0, b.id)
        }
        guard !special.isEmpty else { return 0 }
        for f in special { try setAllotment(lineID: f.id, to: Int(f.target), source: source) }
        var kept = start
        for i in start..<fills.count where !fills[i].isSpecial {
            fills[kept] = fills[i]
            kept += 1
        }
        fills.removeLast(fills.count - kept)
        return special.count
    }

    /// How many derived cache entries a bulk run sums before it applies them.
    static let bulkEntryBound = 1 << 16

    /// Makes every key's allotments its canonical fill, as `canonicalize` does key by key.
    func canonicalizeInBulk(_ keys: [StockKey], source: AllotmentSource) throws {
        var fills: [Fill] = []
        for key in keys { try readFill(key, into: &fills) }
        phase("fill read: \(keys.count) keys, \(fills.count) lines")
        let special = try allotOneByOne(&fills, source: source)
        phase("one by one: \(special) lines")
        try growInBulk(&fills, source: source)
    }

    /// Writes the growth of `lines` (open, without attachments, gaining allotment, in queue
    /// order as the fill read them): first their derived changes, summed in that order — a
    /// queue's cache rows come together — and applied every `bulkEntryBound` entries (sums add
    /// up the same in parts, and the run never holds an entry per line and per order); then
    /// order by order (in number order, as `finish` does) the record log, the lines, and the
    /// shipments of their orders and of those the line-by-line changes marked.
    /// (`lines` is sorted in place: a run at a million lines holds half a million of them.)
    private func growInBulk(_ lines: inout [Fill], source: AllotmentSource) throws {
        stats.linesFilled += lines.count
        stats.unitsAllotted += lines.reduce(0) { $0 + $1.gain }
        var derived = Derivation.Result()
        for f in lines {
            derived.add(Derivation.Change(old: f.derivationLine(filled: false), new: f.derivationLine(filled: true)))
            if derived.entryCount >= Engine.bulkEntryBound {
                try apply(derived)
                derived = Derivation.Result()
            }
        }
        try apply(derived)
        phase("caches")
        lines.sort { ($0.orderID, $0.lineNo) < ($1.orderID, $1.lineNo) }
        let oneByOne = takeProcessAllotments()
        var others = Array(Set(oneByOne.keys).union(ordersToShipSnapshot()))
        restoreOrdersToShip([])
        others.sort()
        phase("by order")
        let sweep = try orderSweep(source: source)
        var i = 0, j = 0
        while i < lines.count || j < others.count {
            let orderID = min(i < lines.count ? lines[i].orderID : .max, j < others.count ? others[j] : .max)
            let first = i
            while i < lines.count && lines[i].orderID == orderID { i += 1 }
            while j < others.count && others[j] == orderID { j += 1 }
            try sweep.write(orderID, fills: lines[first..<i], earlier: oneByOne[orderID]?.items ?? [])
        }
        phase("orders: lines, shipments, items, log")
    }
}

/// The bulk path's writes for one order at a time: the allotment log row, the filled lines, and
/// the shipment — what `setAllotment` (buffered), `finish` and `buildShipments` write for it.
final class OrderSweep {
    unowned let engine: Engine
    let source: AllotmentSource
    let fillLine: RawStatement
    /// The order, its Pending shipment and its open lines, in one statement (three had been run
    /// per order: 180,000 orders at 1M).
    let orderAndLines: RawStatement

    init(_ engine: Engine, source: AllotmentSource) throws {
        self.engine = engine
        self.source = source
        fillLine = try RawStatement(engine.db, sql: "UPDATE order_line SET allotted = ?2, bo = ?3, on_shipment = on_shipment + ?4 WHERE id = ?1")
        orderAndLines = try RawStatement(engine.db, sql: """
            SELECT o.id, o.number, o.customer_id, o.location_id, o.status, o.policy, o.priority, o.entered_seq,
                   (SELECT id FROM shipment WHERE order_id = o.id AND status = 'pending' ORDER BY id DESC LIMIT 1),
                   l.id, l.line_no, l.ordered - l.cancelled - l.shipped, l.allotted, l.on_shipment, l.whole_line, l.inventoried
            FROM orders o LEFT JOIN order_line l ON l.order_id = o.id AND +l.is_open = 1
            WHERE o.id = ? ORDER BY l.line_no
            """)
    }

    /// `fills`: the order's lines this run fills, by line number; `earlier`: what the
    /// line-by-line changes of this run allotted to it.
    func write(_ orderID: Int64, fills: ArraySlice<Engine.Fill>, earlier: [LogEvent.Allotment]) throws {
        let e = engine
        var found: OrderRow?
        var pending: Int64?
        var lines: [(line: ShipmentPlanning.Line, lineNo: Int)] = []
        try orderAndLines.forEachRow([orderID]) { r in
            if found == nil {
                found = OrderRow(r)
                if r.value(8) != .null { pending = r.int64(8) }
            }
            if r.value(9) != .null {
                lines.append(ShipmentBuilder.openLine(r, from: 9))
            }
            return true
        }
        guard let order = found else { throw DeskError.notFound("order id \(orderID) not found") }
        var allotments = earlier
        for f in fills {
            allotments.append(LogEvent.Allotment(line: Int(f.lineNo), lic: try e.licCode(f.licID), quantity: f.gain,
                                                 boCleared: f.target == f.remaining))
        }
        if !allotments.isEmpty { try e.log(orderID, .allottedLines(items: allotments, source: source)) }

        // The shipment: the order's open lines as they will be, planned as `buildShipments` does.
        let shipping = try e.shipping()
        var planned: [ShipmentPlanning.Item] = []
        if order.isOpen {
            var next = fills.startIndex
            for n in lines.indices {
                while next < fills.endIndex && Int(fills[next].lineNo) < lines[n].lineNo { next += 1 }
                if next < fills.endIndex && fills[next].id == lines[n].line.lineID { lines[n].line.allotted = Int(fills[next].target) }
            }
            planned = ShipmentPlanning.newItems(lines: lines.map(\.line), policy: order.policy)
        }

        // The lines: filled ones take their allotment, BO flag and what goes on the shipment;
        // planned items of other lines add to those lines' `on_shipment` alone. An order has a
        // few lines: the items are searched, not hashed (two dictionaries per order before).
        var onFilledLine = [Bool](repeating: false, count: planned.count)
        for f in fills {
            var quantity = 0
            if let k = planned.firstIndex(where: { $0.lineID == f.id }) {
                quantity = planned[k].quantity
                onFilledLine[k] = true
            }
            try fillLine.execute([f.id, Int64(f.target), f.derivationLine(filled: true).bo ? 1 : 0, Int64(quantity)])
        }
        for (k, item) in planned.enumerated() where !onFilledLine[k] {
            try shipping.addToLine(item)
        }
        try shipping.place(order, planned, lines: lines, pendingOfOrder: pending)
    }
}
