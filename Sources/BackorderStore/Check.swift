import BackorderCore
import GRDB

/// Verifies invariants I1–I6 from scratch: every cached figure is recomputed from lines,
/// shipments and the ledger, and compared.
///
/// The lines are read twice, whatever their number: once in table order for every rule about
/// one line, one order or one (LIC, location) — merged with the shipment items and the PO
/// attachments summed per line in the same order — and once, the open lines only, in queue
/// order for the queue caches (`queue_need`, `unmet_block`, `unmet_span`) and the fills of the queues marked
/// settled. (One SQL statement per rule read them a dozen times: 30 s at 1M lines.) The
/// rules and their messages are those of the SQL statements the tests keep as the oracle.
public enum InvariantCheck {
    public struct Violation: Hashable, Sendable, Codable, CustomStringConvertible {
        public var invariant: String
        public var message: String
        public var description: String { "\(invariant): \(message)" }
    }

    static func run(_ db: Database) throws -> [Violation] {
        var pass = try Pass(db)
        try pass.readLinesInTableOrder()
        try pass.readOpenLinesInQueueOrder()
        return try pass.finish()
    }
}

/// The rules, in the order their violations are reported.
private enum Rule: Int, CaseIterable {
    case stockBounds, balanceCache, lineBounds, closedHoldsStock, boFlag, openFlag, orderCopies, orderBOCount,
         shipmentOverAllotted, shipmentCache, dedicatedBounds, queueNeed, boBlock, unmetBlock, unmetSpan, settledFill,
         attachedCache, attachedBounds, poLine, onOrder, shippedLedger, ledgerTriggers, ledgerSign

    var invariant: String {
        switch self {
        case .stockBounds: "I1"
        case .lineBounds, .closedHoldsStock: "I2"
        case .boFlag: "I3"
        case .shipmentOverAllotted: "I4"
        case .shippedLedger, .ledgerTriggers, .ledgerSign: "I6"
        default: "I5"
        }
    }
}

private struct Key: Hashable, Comparable {
    var lic: Int64, location: Int64
    static func < (a: Key, b: Key) -> Bool { (a.lic, a.location) < (b.lic, b.location) }
}

/// Two numbers as one dictionary key: (order, LIC), (Backorders block, priority), (priority, queue block).
private struct Pair: Hashable, Comparable {
    var first: Int64, second: Int64
    static func < (a: Pair, b: Pair) -> Bool { (a.first, a.second) < (b.first, b.second) }
}

private struct OrderFacts {
    var open: Bool, priority: Int, enteredSeq: Int64, location: Int64, boLines: Int
    var boCounted = 0
}

private struct CachedBalance {
    var onHand: Int, allotted: Int, frozen: Int, dedicated: Int, demand: Int, settledness: Int
}

/// What the queue-order read needs of an open line, kept from the table-order read (which
/// reads it without looking it up): the queue index then gives only the order.
private struct OpenLine {
    var id: Int64
    /// Remaining − fixed (frozen and dedicated), allotted − fixed, and the unattached unmet need.
    var need: Int, extra: Int, unmet: Int
}

private struct LineSums {
    var allotted = 0, frozen = 0, dedicated = 0, demand = 0
}

/// Sums per line of an `ORDER BY line_id` query, read alongside the lines in id order.
private final class SumsByLine {
    private let statement: RawStatement
    private var line = Int64.max
    private var a = 0, b = 0

    init(_ db: Database, sql: String) throws {
        statement = try RawStatement(db, sql: sql)
        try statement.start()
        try advance()
    }

    private func advance() throws {
        if let r = try statement.next() {
            line = r.int64(0)
            a = r.int(1)
            b = r.int(2)
        } else {
            line = .max
        }
    }

    /// The sums of line `id` (0 where it has no rows); rows of lines before it (lines that do not
    /// exist) are passed over. Called with ascending ids.
    func sums(of id: Int64) throws -> (Int, Int) {
        while line < id { try advance() }
        guard line == id else { return (0, 0) }
        let sums = (a, b)
        try advance()
        return sums
    }
}

private struct Pass {
    let db: Database
    var found: [Rule: [InvariantCheck.Violation]] = [:]
    var orders: [Int64: OrderFacts] = [:]
    var balances: [Key: CachedBalance] = [:]
    var onHand: [Key: Int] = [:]
    var lineSums: [Key: LineSums] = [:]
    /// −Σ shipment ledger rows per (order, LIC), and the lines' shipped quantities summed where
    /// either is not zero.
    var ledgerShipped: [Pair: Int] = [:]
    var linesShipped: [Pair: Int] = [:]
    /// BO lines per (block of entry sequence, priority).
    var boBlocks: [Pair: Int] = [:]
    /// The open lines in id order.
    var openLines: [OpenLine] = []
    var names: [Key: String] = [:]

    init(_ db: Database) throws {
        self.db = db
        try RawStatement(db, sql: """
            SELECT id, status = 'open', priority, entered_seq, location_id, bo_lines FROM orders
            """).forEachRow { r in
            orders[r.int64(0)] = OrderFacts(open: r.int(1) != 0, priority: r.int(2), enteredSeq: r.int64(3),
                                            location: r.int64(4), boLines: r.int(5))
            return true
        }
        try RawStatement(db, sql: """
            SELECT lic_id, location_id, on_hand, allotted, frozen, dedicated, demand, settledness FROM balance
            """).forEachRow { r in
            balances[Key(lic: r.int64(0), location: r.int64(1))] = CachedBalance(
                onHand: r.int(2), allotted: r.int(3), frozen: r.int(4), dedicated: r.int(5), demand: r.int(6), settledness: r.int(7))
            return true
        }
        try RawStatement(db, sql: "SELECT lic_id, location_id, sum(qty) FROM ledger GROUP BY 1, 2").forEachRow { r in
            onHand[Key(lic: r.int64(0), location: r.int64(1))] = r.int(2)
            return true
        }
        try RawStatement(db, sql: """
            SELECT order_id, lic_id, -sum(qty) FROM ledger WHERE kind = 'shipment' AND order_id IS NOT NULL GROUP BY 1, 2
            """).forEachRow { r in
            ledgerShipped[Pair(first: r.int64(0), second: r.int64(1))] = r.int(2)
            return true
        }
    }

    mutating func add(_ rule: Rule, _ message: String) {
        found[rule, default: []].append(InvariantCheck.Violation(invariant: rule.invariant, message: message))
    }

    mutating func keyName(_ key: Key) throws -> String {
        if let name = names[key] { return name }
        let name = try String.fetchOne(db, sql: """
            SELECT (SELECT code FROM lic WHERE id = ?) || '@' || (SELECT code FROM location WHERE id = ?)
            """, arguments: [key.lic, key.location]) ?? "?"
        names[key] = name
        return name
    }

    func orderNumber(_ id: Int64) throws -> String {
        try String.fetchOne(db, sql: "SELECT number FROM orders WHERE id = ?", arguments: [id]) ?? "?"
    }

    /// Every line in id order: the rules of one line, and the sums by order, by (LIC, location)
    /// and by Backorders block.
    mutating func readLinesInTableOrder() throws {
        let shipments = try SumsByLine(db, sql: """
            SELECT si.line_id, sum(si.qty), sum(CASE WHEN s.status = 'picked' THEN si.qty ELSE 0 END)
            FROM shipment_item si JOIN shipment s ON s.id = si.shipment_id
            WHERE s.status IN ('pending', 'picked') GROUP BY si.line_id ORDER BY si.line_id
            """)
        let attachments = try SumsByLine(db, sql: """
            SELECT line_id, sum(qty), 0 FROM po_attachment GROUP BY line_id ORDER BY line_id
            """)
        let lines = try RawStatement(db, sql: """
            SELECT id, order_id, line_no, lic_id, location_id, priority, entered_seq, ordered, cancelled, shipped,
                   allotted, frozen, on_shipment, dedicated, inventoried, is_open, bo, attached
            FROM order_line ORDER BY id
            """)
        try lines.forEachRow { r in
            let id = r.int64(0), orderID = r.int64(1), lineNo = r.int(2), key = Key(lic: r.int64(3), location: r.int64(4))
            let priority = r.int(5), seq = r.int64(6)
            let ordered = r.int(7), cancelled = r.int(8), shipped = r.int(9), allotted = r.int(10), frozen = r.int(11)
            let onShipment = r.int(12), dedicated = r.int(13), inventoried = r.int(14), isOpen = r.int(15), bo = r.int(16)
            let attached = r.int(17)
            let remaining = ordered &- cancelled &- shipped, unmet = remaining &- allotted
            var nameOfLine: String?
            func name() throws -> String {
                if let nameOfLine { return nameOfLine }
                let name = "order \(try orderNumber(orderID)) line \(lineNo)"
                nameOfLine = name
                return name
            }

            if cancelled < 0 || shipped < 0 || shipped > ordered &- cancelled || allotted < 0 || allotted > remaining {
                add(.lineBounds, "\(try name()): ordered \(ordered), cancelled \(cancelled), shipped \(shipped), allotted \(allotted)")
            }
            if isOpen == 0 && allotted != 0 { add(.closedHoldsStock, "\(try name()) is not open but holds \(allotted) allotted") }
            if bo != (isOpen == 1 && unmet > 0 ? 1 : 0) {
                add(.boFlag, "\(try name()): BO flag \(bo != 0), open \(isOpen != 0), unmet \(unmet)")
            }
            if let order = orders[orderID] {
                if isOpen != (order.open && inventoried == 1 && remaining > 0 ? 1 : 0) {
                    add(.openFlag, "\(try name()): cached open flag \(isOpen != 0) is wrong")
                }
                if priority != order.priority || seq != order.enteredSeq || key.location != order.location {
                    add(.orderCopies, "\(try name()): cached priority, entry sequence or location differs from its order")
                }
                if bo == 1 { orders[orderID]?.boCounted += 1 }
                let orderLIC = Pair(first: orderID, second: key.lic)
                if inventoried == 1, shipped != 0 || ledgerShipped[orderLIC] != nil {
                    linesShipped[orderLIC, default: 0] &+= shipped
                }
            }
            let (onShip, picked) = try shipments.sums(of: id)
            if onShip > allotted { add(.shipmentOverAllotted, "\(try name()): \(onShip) on pending/picked shipments but only \(allotted) allotted") }
            if onShipment != onShip || frozen != picked {
                add(.shipmentCache, "\(try name()): cached on-shipment \(onShipment) / frozen \(frozen), recomputed \(onShip) / \(picked)")
            }
            if dedicated < 0 || frozen &+ dedicated > allotted {
                add(.dedicatedBounds, "\(try name()): dedicated \(dedicated) + frozen \(frozen) exceed allotted \(allotted)")
            }
            let (realAttached, _) = try attachments.sums(of: id)
            if attached != realAttached { add(.attachedCache, "\(try name()): cached attached \(attached), recomputed \(realAttached)") }
            if attached > 0 && (isOpen == 0 || attached > unmet) {
                add(.attachedBounds, "\(try name()): attached \(attached) exceeds its unmet need \(unmet)")
            }
            if isOpen == 1 {
                let fixed = min(allotted, frozen &+ dedicated)
                openLines.append(OpenLine(id: id, need: remaining &- fixed, extra: allotted &- fixed,
                                          unmet: max(0, unmet &- attached)))
            }
            if inventoried == 1 {
                lineSums[key, default: LineSums()].add(allotted: allotted, frozen: frozen, dedicated: dedicated,
                                                       demand: isOpen == 1 ? remaining : 0)
            }
            if bo == 1 { boBlocks[Pair(first: Derivation.block(of: seq), second: Int64(priority)), default: 0] += 1 }
            return true
        }
    }

    /// The open lines queue by queue, in queue order: the need and movable stock per priority,
    /// the unmet need and need per priority and block and per span of blocks, and the fill of a
    /// queue marked settled.
    mutating func readOpenLinesInQueueOrder() throws {
        var queueNeed: [Key: [Int: (need: Int, movable: Int)]] = [:]
        try RawStatement(db, sql: "SELECT lic_id, location_id, priority, need, movable FROM queue_need").forEachRow { r in
            queueNeed[Key(lic: r.int64(0), location: r.int64(1)), default: [:]][r.int(2)] = (r.int(3), r.int(4))
            return true
        }
        let blocksOfQueue = try RawStatement(db, sql: """
            SELECT priority, block, unmet, need FROM unmet_block WHERE lic_id = ? AND location_id = ?
            """)
        let spansOfQueue = try RawStatement(db, sql: """
            SELECT priority, span, unmet, need FROM unmet_span WHERE lic_id = ? AND location_id = ?
            """)
        /// A queue's cached `unmet_block` (or `unmet_span`) rows by (priority, block or span).
        func cached(_ statement: RawStatement, of key: Key) throws -> [Pair: (unmet: Int, need: Int)] {
            var out: [Pair: (unmet: Int, need: Int)] = [:]
            try statement.forEachRow([key.lic, key.location]) { r in
                out[Pair(first: r.int64(0), second: r.int64(1))] = (r.int(2), r.int(3))
                return true
            }
            return out
        }
        // The queue index alone (no look-up of the lines: 0.3 s at 1M instead of 3).
        let lines = try RawStatement(db, sql: """
            SELECT lic_id, location_id, priority, entered_seq, id FROM order_line INDEXED BY line_queue WHERE is_open = 1
            ORDER BY lic_id, location_id, priority DESC, entered_seq, order_id, line_no
            """)
        let open = openLines
        func openLine(_ id: Int64) -> OpenLine? {
            var (lo, hi) = (0, open.count)
            while lo < hi {
                let mid = (lo + hi) / 2
                if open[mid].id < id { lo = mid + 1 } else { hi = mid }
            }
            return lo < open.count && open[lo].id == id ? open[lo] : nil
        }
        var indexed = 0

        var queue: Key?
        var cachedBlocks: [Pair: (unmet: Int, need: Int)] = [:]
        var cachedSpans: [Pair: (unmet: Int, need: Int)] = [:]
        var spans: [Pair: (unmet: Int, need: Int)] = [:]
        var fill: Allocation.Fill?
        var differ = 0
        var priority = 0, need = 0, movable = 0
        var block: Int64 = 0, blockUnmet = 0, blockNeed = 0
        var visited = Set<Key>()

        func endBlock(_ key: Key) throws {
            let cached = cachedBlocks.removeValue(forKey: Pair(first: Int64(priority), second: block)) ?? (0, 0)
            if cached.unmet != blockUnmet || cached.need != blockNeed {
                try addUnmetBlock(key, Int64(priority), block, cached: cached, real: (blockUnmet, blockNeed))
            }
            let span = Pair(first: Int64(priority), second: Derivation.span(ofBlock: block))
            let sums = spans[span] ?? (0, 0)
            spans[span] = (sums.unmet &+ blockUnmet, sums.need &+ blockNeed)
            blockUnmet = 0
            blockNeed = 0
        }
        func endPriority(_ key: Key) throws {
            try endBlock(key)
            let cached = queueNeed[key]?.removeValue(forKey: priority) ?? (0, 0)
            if cached.need != need || cached.movable != movable {
                try addQueueNeed(key, priority, cached: cached, real: (need, movable))
            }
            need = 0
            movable = 0
        }
        func endQueue(_ key: Key) throws {
            try endPriority(key)
            try reportLeftBlocks(key, cachedBlocks)
            for (span, real) in spans.sorted(by: { $0.key > $1.key }) {
                let cached = cachedSpans.removeValue(forKey: span) ?? (0, 0)
                if cached.unmet != real.unmet || cached.need != real.need {
                    try addUnmetSpan(key, span.first, span.second, cached: cached, real: real)
                }
            }
            try reportLeftSpans(key, cachedSpans)
            spans = [:]
            if differ > 0 {
                add(.settledFill, "\(try keyName(key)): marked settled but \(differ) line(s) differ from the canonical fill")
            }
        }

        try lines.forEachRow { r in
            let key = Key(lic: r.int64(0), location: r.int64(1)), p = r.int(2), b = Derivation.block(of: r.int64(3))
            guard let line = openLine(r.int64(4)) else { return true }
            indexed += 1
            if key != queue {
                if let queue { try endQueue(queue) }
                queue = key
                visited.insert(key)
                cachedBlocks = try cached(blocksOfQueue, of: key)
                cachedSpans = try cached(spansOfQueue, of: key)
                differ = 0
                fill = nil
                if let c = balances[key],
                   c.settledness == Engine.Settledness.settled.rawValue || c.settledness == Engine.Settledness.awaitingSupply.rawValue {
                    let stock = c.settledness == Engine.Settledness.settled.rawValue ? c.onHand : c.allotted
                    fill = Allocation.Fill(pool: stock &- c.frozen &- c.dedicated)
                }
                (priority, block) = (p, b)
            } else if p != priority {
                try endPriority(key)
                (priority, block) = (p, b)
            } else if b != block {
                try endBlock(key)
                block = b
            }
            need &+= line.need
            movable &+= line.extra
            blockNeed &+= line.need
            blockUnmet &+= line.unmet
            if fill?.give(line.need) ?? line.extra != line.extra { differ += 1 }
            return true
        }
        if let queue { try endQueue(queue) }
        if indexed != open.count {
            add(.queueNeed, "the queue index lists \(indexed) of the \(open.count) open lines")
        }

        // Cached rows of queues without open lines must be zero.
        for (key, priorities) in queueNeed.sorted(by: { $0.key < $1.key }) {
            for (p, cached) in priorities.sorted(by: { $0.key > $1.key }) where cached.need != 0 || cached.movable != 0 {
                try addQueueNeed(key, p, cached: cached, real: (0, 0))
            }
        }
        var unvisited: [Key] = []
        try RawStatement(db, sql: "SELECT DISTINCT lic_id, location_id FROM unmet_block").forEachRow { r in
            let key = Key(lic: r.int64(0), location: r.int64(1))
            if !visited.contains(key) { unvisited.append(key) }
            return true
        }
        for key in unvisited { try reportLeftBlocks(key, try cached(blocksOfQueue, of: key)) }
        unvisited = []
        try RawStatement(db, sql: "SELECT DISTINCT lic_id, location_id FROM unmet_span").forEachRow { r in
            let key = Key(lic: r.int64(0), location: r.int64(1))
            if !visited.contains(key) { unvisited.append(key) }
            return true
        }
        for key in unvisited { try reportLeftSpans(key, try cached(spansOfQueue, of: key)) }
    }

    /// Cached spans of a queue that none of its open lines fall in must be zero.
    private mutating func reportLeftSpans(_ key: Key, _ left: [Pair: (unmet: Int, need: Int)]) throws {
        for (ps, cached) in left.sorted(by: { $0.key > $1.key }) where cached.unmet != 0 || cached.need != 0 {
            try addUnmetSpan(key, ps.first, ps.second, cached: cached, real: (0, 0))
        }
    }

    private mutating func addUnmetSpan(_ key: Key, _ priority: Int64, _ span: Int64, cached: (unmet: Int, need: Int), real: (unmet: Int, need: Int)) throws {
        add(.unmetSpan, "\(try keyName(key)) priority \(priority), span of entries \(span << Int64(Derivation.blockShift + Derivation.spanShift))…: cached unmet \(cached.unmet) / need \(cached.need), recomputed \(real.unmet) / \(real.need)")
    }

    /// Cached blocks of a queue that none of its open lines fall in must be zero.
    private mutating func reportLeftBlocks(_ key: Key, _ left: [Pair: (unmet: Int, need: Int)]) throws {
        for (pb, cached) in left.sorted(by: { $0.key > $1.key }) where cached.unmet != 0 || cached.need != 0 {
            try addUnmetBlock(key, pb.first, pb.second, cached: cached, real: (0, 0))
        }
    }

    private mutating func addUnmetBlock(_ key: Key, _ priority: Int64, _ block: Int64, cached: (unmet: Int, need: Int), real: (unmet: Int, need: Int)) throws {
        add(.unmetBlock, "\(try keyName(key)) priority \(priority), entries \(block << Int64(Derivation.blockShift))…: cached unmet \(cached.unmet) / need \(cached.need), recomputed \(real.unmet) / \(real.need)")
    }

    private mutating func addQueueNeed(_ key: Key, _ priority: Int, cached: (need: Int, movable: Int), real: (need: Int, movable: Int)) throws {
        add(.queueNeed, "\(try keyName(key)) priority \(priority): cached need \(cached.need) / movable \(cached.movable), recomputed \(real.need) / \(real.movable)")
    }

    /// The rules over the sums, and those of the small tables (ledger, purchasing).
    mutating func finish() throws -> [InvariantCheck.Violation] {
        for key in Set(balances.keys).union(onHand.keys).union(lineSums.keys).sorted() {
            let stock = onHand[key] ?? 0, sums = lineSums[key] ?? LineSums(), cached = balances[key]
            if stock < 0 || sums.allotted < 0 || sums.allotted > stock {
                add(.stockBounds, "\(try keyName(key)): on hand \(stock), allotted \(sums.allotted) (need 0 ≤ allotted ≤ on hand, on hand ≥ 0)")
            }
            let pairs: [(String, Int, Int?)] = [("on hand", stock, cached?.onHand), ("allotted", sums.allotted, cached?.allotted),
                                                ("frozen", sums.frozen, cached?.frozen), ("dedicated", sums.dedicated, cached?.dedicated),
                                                ("demand", sums.demand, cached?.demand)]
            let diffs = pairs.filter { $0.2 != $0.1 }.map { "\($0.0) cached \($0.2.map(String.init) ?? "missing"), recomputed \($0.1)" }
            if !diffs.isEmpty { add(.balanceCache, "\(try keyName(key)) balance: " + diffs.joined(separator: "; ")) }
        }
        for (id, order) in orders.sorted(by: { $0.key < $1.key }) where order.boLines != order.boCounted {
            add(.orderBOCount, "order \(try orderNumber(id)): cached BO line count \(order.boLines), recomputed \(order.boCounted)")
        }
        var cachedBlocks: [Pair: Int] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT block, priority, lines FROM bo_block") {
            cachedBlocks[Pair(first: r[0], second: r[1])] = r[2]
        }
        for key in Set(cachedBlocks.keys).union(boBlocks.keys).sorted() {
            let real = boBlocks[key] ?? 0, cached = cachedBlocks[key] ?? 0
            if real != cached {
                add(.boBlock, "BO lines of entries \(key.first << Int64(Derivation.blockShift))… at priority \(key.second): cached \(cached), recomputed \(real)")
            }
        }
        for key in Set(linesShipped.keys).sorted() {
            let shipped = linesShipped[key] ?? 0, ledgered = ledgerShipped[key] ?? 0
            if shipped != ledgered {
                let lic = try String.fetchOne(db, sql: "SELECT code FROM lic WHERE id = ?", arguments: [key.second]) ?? "?"
                add(.shippedLedger, "order \(try orderNumber(key.first)) \(lic): shipped \(shipped) but the ledger shows \(ledgered) shipped")
            }
        }
        try smallTables()
        return Rule.allCases.flatMap { found[$0] ?? [] }
    }

    private mutating func smallTables() throws {
        func rows(_ rule: Rule, _ sql: String, _ format: (Row) -> String) throws {
            for row in try Row.fetchAll(db, sql: sql) { add(rule, format(row)) }
        }
        let keyName = "(SELECT code FROM lic WHERE id = x.lic_id) || '@' || (SELECT code FROM location WHERE id = x.location_id)"
        try rows(.poLine, """
            SELECT p.number, pl.line_no, pl.attached, coalesce((SELECT sum(qty) FROM po_attachment a WHERE a.po_line_id = pl.id), 0) AS real,
                   pl.qty - pl.received - pl.cancelled
            FROM po_line pl JOIN purchase_order p ON p.id = pl.po_id
            WHERE pl.attached <> real OR pl.attached > pl.qty - pl.received - pl.cancelled OR pl.received + pl.cancelled > pl.qty
            """) { "PO \($0[0] as String) line \($0[1] as Int): attached cached \($0[2] as Int), recomputed \($0[3] as Int), open \($0[4] as Int)" }
        try rows(.onOrder, """
            WITH real AS (SELECT pl.lic_id, p.location_id, sum(pl.qty - pl.received - pl.cancelled) AS on_order
                          FROM po_line pl JOIN purchase_order p ON p.id = pl.po_id WHERE p.status = 'open' GROUP BY 1, 2)
            SELECT \(keyName), coalesce(r.on_order, 0), x.on_order FROM balance x
            LEFT JOIN real r ON r.lic_id = x.lic_id AND r.location_id = x.location_id
            WHERE coalesce(r.on_order, 0) <> x.on_order
            UNION ALL
            SELECT \(keyName), x.on_order, 0 FROM real x
            WHERE NOT EXISTS (SELECT 1 FROM balance b WHERE b.lic_id = x.lic_id AND b.location_id = x.location_id) AND x.on_order <> 0
            """) { "\($0[0] as String? ?? "?"): on order recomputed \($0[1] as Int), cached \($0[2] as Int)" }
        // I6: the ledger cannot be rewritten, and its rows have the sign of their kind.
        let triggers = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('ledger_no_update', 'ledger_no_delete')
            """) ?? 0
        if triggers != 2 { add(.ledgerTriggers, "the ledger's append-only triggers are missing") }
        try rows(.ledgerSign, "SELECT id, kind, qty FROM ledger WHERE (kind = 'shipment' AND qty > 0) OR (kind IN ('receipt','return') AND qty < 0)") {
            "ledger row \($0[0] as Int64): a \($0[1] as String) of \($0[2] as Int) has the wrong sign"
        }
    }
}

private extension LineSums {
    mutating func add(allotted: Int, frozen: Int, dedicated: Int, demand: Int) {
        self.allotted &+= allotted
        self.frozen &+= frozen
        self.dedicated &+= dedicated
        self.demand &+= demand
    }
}
