import BackorderCore
import GRDB

extension Engine {
    func shipment(_ id: Int64) throws -> (orderID: Int64, status: ShipmentStatus) {
        guard let r = try fetchRow(sql: "SELECT order_id, status FROM shipment WHERE id = ?", arguments: [id]) else {
            throw DeskError.notFound("no shipment \(id)")
        }
        return (r[0], ShipmentStatus(rawValue: r[1]) ?? .pending)
    }

    func shipmentItems(_ id: Int64) throws -> [(lineID: Int64, qty: Int)] {
        try fetchRows(sql: "SELECT line_id, qty FROM shipment_item WHERE shipment_id = ? ORDER BY id", arguments: [id])
            .map { ($0[0], $0[1]) }
    }

    /// The orders a shipment's items belong to (several, when appended by location).
    func shipmentOrders(_ id: Int64) throws -> [Int64] {
        try fetchValues(Int64.self, sql: """
            SELECT DISTINCT l.order_id FROM shipment_item si JOIN order_line l ON l.id = si.line_id
            WHERE si.shipment_id = ? ORDER BY l.order_id
            """, arguments: [id])
    }

    /// Pending → Picked: its quantities become frozen.
    func pickShipment(id: Int64) throws {
        let s = try shipment(id)
        guard s.status == .pending else { throw DeskError.refused("shipment \(id) is \(s.status.rawValue); only a pending shipment can be picked") }
        for item in try shipmentItems(id) {
            let old = try LineRow.fetch(db, id: item.lineID)!
            var line = old
            line.frozen += item.qty
            try saveLine(line, old: old)
        }
        try exec(sql: "UPDATE shipment SET status = 'picked', picked_at = ? WHERE id = ?", arguments: [at, id])
        for orderID in try shipmentOrders(id) { try log(orderID, .picked(shipment: id)) }
    }

    /// Pending or Picked → Shipped: on hand and allotted go down, shipped goes up, ledger rows.
    func shipShipment(id: Int64) throws {
        let s = try shipment(id)
        guard s.status == .pending || s.status == .picked else {
            throw DeskError.refused("shipment \(id) is \(s.status.rawValue); only a pending or picked shipment can be shipped")
        }
        var units: [Int64: Int] = [:]
        for item in try shipmentItems(id) {
            let old = try LineRow.fetch(db, id: item.lineID)!
            var line = old
            line.shipped += item.qty
            line.allotted -= item.qty
            line.onShipment -= item.qty
            if s.status == .picked { line.frozen -= item.qty }
            line.dedicated = min(line.dedicated, max(0, line.allotted - line.frozen))
            try saveLine(line, old: old)
            try postLedger(.shipment, StockKey(licID: line.licID, locationID: line.locationID), qty: -item.qty,
                           orderID: line.orderID, shipmentID: id, reason: "shipment \(id)")
            units[line.orderID, default: 0] += item.qty
        }
        try exec(sql: "UPDATE shipment SET status = 'shipped', shipped_at = ? WHERE id = ?", arguments: [at, id])
        for (orderID, n) in units.sorted(by: { $0.key < $1.key }) { try log(orderID, .shipped(shipment: id, units: n)) }
    }

    /// Cancels a Pending shipment; its quantities stay allotted.
    func cancelShipment(id: Int64) throws {
        let s = try shipment(id)
        guard s.status == .pending else { throw DeskError.refused("shipment \(id) is \(s.status.rawValue); only a pending shipment can be cancelled") }
        for item in try shipmentItems(id) {
            let old = try LineRow.fetch(db, id: item.lineID)!
            var line = old
            line.onShipment -= item.qty
            try saveLine(line, old: old)
        }
        try exec(sql: "UPDATE shipment SET status = 'cancelled' WHERE id = ?", arguments: [id])
        for orderID in try shipmentOrders(id) { try log(orderID, .shipmentCancelled(shipment: id)) }
    }
}
