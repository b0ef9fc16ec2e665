import TestSupport
import BackorderCore
import BackorderStore
import Foundation
import GRDB

/// SplitMix64: a small, fully specified generator so that a seed replays the same sequence.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range`, by modulo (the bias is irrelevant here; determinism is what matters).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

/// A (LIC, location) as the reference model names it.
struct SKey: Hashable, Comparable, CustomStringConvertible {
    var lic: Int64
    var loc: Int64
    static func < (a: SKey, b: SKey) -> Bool { (a.lic, a.loc) < (b.lic, b.loc) }
    var description: String { "lic#\(lic)@loc#\(loc)" }
}

/// Everything the tests need to know about a database, read back with plain SQL from the base
/// tables (lines, shipments, ledger) — never from the caches the code keeps, so that the
/// reference computations are independent of the code under test.
struct World: Equatable {
    struct Order: Equatable {
        var id: Int64
        var number: String
        var status: String
        var policy: String
        var priority: Int
        var seq: Int64
        var locationID: Int64
    }

    struct Line: Equatable {
        var id: Int64
        var orderID: Int64
        var lineNo: Int
        var key: SKey
        var priority: Int
        var seq: Int64
        var ordered: Int
        var cancelled: Int
        var shipped: Int
        var allotted: Int
        var wholeLine: Bool
        var inventoried: Bool
        var open: Bool
        /// Quantity on Picked shipments (recomputed from shipment items).
        var frozen: Int
        /// Quantity on Pending or Picked shipments (recomputed from shipment items).
        var onShip: Int
        var remaining: Int { ordered - cancelled - shipped }
    }

    struct Shipment: Equatable {
        var id: Int64
        var orderID: Int64
        var status: String
        /// line id → quantity
        var items: [Int64: Int]
    }

    var orders: [Int64: Order] = [:]
    var lines: [Int64: Line] = [:]
    var shipments: [Int64: Shipment] = [:]
    /// On hand per (LIC, location), summed from the ledger.
    var onHand: [SKey: Int] = [:]
    /// Returned quantity per (order id, LIC id), from the ledger.
    var returned: [[Int64]: Int] = [:]
    var ledgerRows = 0
    var logRows = 0
    var counters: [String: Int] = [:]
    var licCodes: [Int64: String] = [:]

    /// Cached statements: compiled once per connection (compiling is what costs in a debug build).
    private static func rows(_ db: Database, _ sql: String) throws -> [Row] {
        try Row.fetchAll(db.cachedStatement(sql: sql))
    }

    private static func int(_ db: Database, _ sql: String) throws -> Int? {
        try Int.fetchOne(db.cachedStatement(sql: sql))
    }

    static func read(_ db: Database) throws -> World {
        var w = World()
        for r in try rows(db, "SELECT id, number, status, policy, priority, entered_seq, location_id FROM orders") {
            let o = Order(id: r[0], number: r[1], status: r[2], policy: r[3], priority: r[4], seq: r[5], locationID: r[6])
            w.orders[o.id] = o
        }
        var frozen: [Int64: Int] = [:]
        var onShip: [Int64: Int] = [:]
        for r in try rows(db, "SELECT id, order_id, status FROM shipment") {
            let s = Shipment(id: r[0], orderID: r[1], status: r[2], items: [:])
            w.shipments[s.id] = s
        }
        for r in try rows(db, "SELECT shipment_id, line_id, qty FROM shipment_item") {
            let sid: Int64 = r[0]
            let lid: Int64 = r[1]
            let qty: Int = r[2]
            w.shipments[sid]!.items[lid, default: 0] += qty
            let status = w.shipments[sid]!.status
            if status == "picked" { frozen[lid, default: 0] += qty }
            if status == "picked" || status == "pending" { onShip[lid, default: 0] += qty }
        }
        for r in try rows(db, """
            SELECT id, order_id, line_no, lic_id, location_id, ordered, cancelled, shipped, allotted, whole_line, inventoried
            FROM order_line
            """) {
            let id: Int64 = r[0]
            let orderID: Int64 = r[1]
            let o = w.orders[orderID]!
            var l = Line(id: id, orderID: orderID, lineNo: r[2], key: SKey(lic: r[3], loc: r[4]), priority: o.priority,
                         seq: o.seq, ordered: r[5], cancelled: r[6], shipped: r[7], allotted: r[8], wholeLine: r[9],
                         inventoried: r[10], open: false, frozen: frozen[id] ?? 0, onShip: onShip[id] ?? 0)
            l.open = o.status == "open" && l.inventoried && l.remaining > 0
            w.lines[id] = l
        }
        for r in try rows(db, "SELECT lic_id, location_id, sum(qty) FROM ledger GROUP BY 1, 2") {
            w.onHand[SKey(lic: r[0], loc: r[1])] = r[2]
        }
        for r in try rows(db, "SELECT order_id, lic_id, sum(qty) FROM ledger WHERE kind = 'return' GROUP BY 1, 2") {
            w.returned[[r[0], r[1]]] = r[2]
        }
        w.ledgerRows = try int(db, "SELECT count(*) FROM ledger") ?? 0
        w.logRows = try int(db, "SELECT count(*) FROM order_log") ?? 0
        for r in try rows(db, "SELECT name, value FROM counter") { w.counters[r[0]] = r[1] }
        for r in try rows(db, "SELECT id, code FROM lic") { w.licCodes[r[0]] = r[1] }
        return w
    }

    /// The queue of a (LIC, location): open lines by priority (higher first), entry sequence,
    /// order id, line number.
    func queue(_ k: SKey) -> [Line] {
        lines.values.filter { $0.open && $0.key == k }.sorted {
            if $0.priority != $1.priority { return $0.priority > $1.priority }
            if $0.seq != $1.seq { return $0.seq < $1.seq }
            if $0.orderID != $1.orderID { return $0.orderID < $1.orderID }
            return $0.lineNo < $1.lineNo
        }
    }

    func lines(ofOrder id: Int64) -> [Line] {
        lines.values.filter { $0.orderID == id }.sorted { $0.lineNo < $1.lineNo }
    }

    func allotted(_ k: SKey) -> Int { lines.values.filter { $0.key == k }.reduce(0) { $0 + $1.allotted } }
    func frozen(_ k: SKey) -> Int { lines.values.filter { $0.key == k }.reduce(0) { $0 + $1.frozen } }

    /// The reference canonical allocation (product §4.4), written independently of
    /// `BackorderCore.Allocation`: each open line keeps its frozen quantity and the unfrozen stock
    /// (on hand − Σ frozen) fills the rest of the needs greedily in queue order.
    func canonical(_ k: SKey) -> [Int64: Int] {
        let q = queue(k)
        var pool = (onHand[k] ?? 0) - q.reduce(0) { $0 + $1.frozen }
        var out: [Int64: Int] = [:]
        for l in q {
            let need = max(0, l.remaining - l.frozen)
            let give = max(0, min(need, pool))
            pool -= give
            out[l.id] = l.frozen + give
        }
        return out
    }

    /// Differences between the allotments and the canonical ones, as readable text (empty = canonical).
    func canonicalDiffs(_ k: SKey) -> [String] {
        let expected = canonical(k)
        return queue(k).compactMap { l in
            let e = expected[l.id]!
            return e == l.allotted ? nil
                : "\(describe(l)) allotted \(l.allotted), canonical \(e) (on hand \(onHand[k] ?? 0), frozen \(l.frozen))"
        }
    }

    func describe(_ l: Line) -> String {
        "order \(orders[l.orderID]?.number ?? "?") line \(l.lineNo) [\(licCodes[l.key.lic] ?? "?")@\(l.key.loc) pri \(l.priority) seq \(l.seq) need \(l.remaining)]"
    }

    func dump(_ k: SKey) -> String {
        "on hand \(onHand[k] ?? 0); queue:\n" + queue(k).map {
            "  \(describe($0)) allotted \($0.allotted) frozen \($0.frozen) onShip \($0.onShip) whole \($0.wholeLine)"
        }.joined(separator: "\n")
    }
}
