import BackorderCore
import GRDB

/// Putting allotted stock on shipments (product §4.6), for every path that allots: an entry, a
/// receipt, a priority change and a process run's half million lines all plan with
/// `ShipmentPlanning.newItems` and place the items here — on the order's Pending shipment, else
/// (preference) a Pending shipment of the same customer at the same location, else a new one —
/// through statements prepared once per transaction.
///
/// A line's `on_shipment` feeds none of the caches (`Derivation.Line` has no such figure), so
/// placing items writes it directly; the plan never puts more on a shipment than is allotted (I4).
final class ShipmentBuilder {
    private unowned let engine: Engine
    private let lines, pendingOfOrder, pendingAtLocation, newShipment, itemOnShipment, growItem, newItem, growLine: RawStatement
    /// The preference, read once per transaction (not a copy of every preference per shipment).
    private let appendByLocation: Bool

    init(_ engine: Engine) throws {
        self.engine = engine
        appendByLocation = engine.prefs.appendByLocation
        let db = engine.db
        lines = try RawStatement(db, sql: """
            SELECT id, line_no, ordered - cancelled - shipped, allotted, on_shipment, whole_line, inventoried
            FROM order_line WHERE order_id = ? AND +is_open = 1 ORDER BY line_no
            """)
        pendingOfOrder = try RawStatement(db, sql: "SELECT id FROM shipment WHERE order_id = ? AND status = 'pending' ORDER BY id DESC LIMIT 1")
        pendingAtLocation = try RawStatement(db, sql: """
            SELECT s.id, o.number FROM shipment s JOIN orders o ON o.id = s.order_id
            WHERE s.customer_id = ? AND s.location_id = ? AND s.status = 'pending'
            ORDER BY s.id DESC LIMIT 1
            """)
        newShipment = try RawStatement(db, sql: """
            INSERT INTO shipment (order_id, customer_id, location_id, status, created_at) VALUES (?, ?, ?, 'pending', ?)
            """)
        itemOnShipment = try RawStatement(db, sql: "SELECT id FROM shipment_item WHERE shipment_id = ? AND line_id = ?")
        growItem = try RawStatement(db, sql: "UPDATE shipment_item SET qty = qty + ?2 WHERE id = ?1")
        newItem = try RawStatement(db, sql: "INSERT INTO shipment_item (shipment_id, line_id, qty) VALUES (?, ?, ?)")
        growLine = try RawStatement(db, sql: "UPDATE order_line SET on_shipment = on_shipment + ?2 WHERE id = ?1")
    }

    /// The order's open lines as shipment planning sees them, by line number.
    func openLines(_ orderID: Int64) throws -> [(line: ShipmentPlanning.Line, lineNo: Int)] {
        var out: [(line: ShipmentPlanning.Line, lineNo: Int)] = []
        try lines.forEachRow([orderID]) { r in
            out.append(Self.openLine(r, from: 0))
            return true
        }
        return out
    }

    /// An open line from the row's columns `id, line_no, remaining, allotted, on_shipment,
    /// whole_line, inventoried` starting at column `c`.
    static func openLine(_ r: RawRow, from c: Int32) -> (line: ShipmentPlanning.Line, lineNo: Int) {
        (ShipmentPlanning.Line(lineID: r.int64(c), remaining: r.int(c + 2), allotted: r.int(c + 3), onShipment: r.int(c + 4),
                               wholeLine: r.int(c + 5) != 0, inventoried: r.int(c + 6) != 0), r.int(c + 1))
    }

    /// Adds a planned item's quantity to its line's `on_shipment`.
    func addToLine(_ item: ShipmentPlanning.Item) throws {
        try growLine.execute([item.lineID, Int64(item.quantity)])
    }

    /// Puts `planned` (of `order`, whose open `lines` give each item's line number) on a
    /// shipment, logs it on the order and counts it. The lines' `on_shipment` is the caller's.
    /// `pendingOfOrder`: the order's Pending shipment (`.some(nil)`: none), if the caller has
    /// read it already.
    func place(_ order: OrderRow, _ planned: [ShipmentPlanning.Item], lines: [(line: ShipmentPlanning.Line, lineNo: Int)],
               pendingOfOrder known: Int64?? = nil) throws {
        guard !planned.isEmpty else { return }
        let e = engine
        var shipmentID: Int64?
        var otherOrder: String?
        if let known {
            shipmentID = known
        } else {
            try pendingOfOrder.forEachRow([order.id]) { r in
                shipmentID = r.int64(0)
                return false
            }
        }
        if shipmentID == nil && appendByLocation {
            try pendingAtLocation.forEachRow([order.customerID, order.locationID]) { r in
                shipmentID = r.int64(0)
                otherOrder = r.text(1)
                return false
            }
        }
        let appended = shipmentID != nil
        if shipmentID == nil {
            try newShipment.execute([order.id, order.customerID, order.locationID], text: [e.at])
            shipmentID = try e.db.lastInsertedRowID
        }
        let sid = shipmentID!
        for item in planned {
            var existing: Int64?
            if appended {
                try itemOnShipment.forEachRow([sid, item.lineID]) { r in
                    existing = r.int64(0)
                    return false
                }
            }
            if let existing {
                try growItem.execute([existing, Int64(item.quantity)])
            } else {
                try newItem.execute([sid, item.lineID, Int64(item.quantity)])
            }
        }
        try e.recordShipment(sid, orderID: order.id, appended ? .appended : .created, units: planned.reduce(0) { $0 + $1.quantity })
        let items = planned.map { item in (line: lines.first { $0.line.lineID == item.lineID }?.lineNo ?? 0, quantity: item.quantity) }
        if appended {
            e.stats.shipmentsAppended += 1
            try e.log(order.id, .shipmentAppended(shipment: sid, items: items, fromOrder: otherOrder == order.number ? nil : otherOrder))
        } else {
            e.stats.shipmentsCreated += 1
            try e.log(order.id, .shipmentCreated(shipment: sid, items: items))
        }
    }
}
