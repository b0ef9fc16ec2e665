import BackorderCore
import GRDB

// Purchase orders, receipts against them, replenishment.

extension SQLStore {
    public func createPurchaseOrder(_ r: PurchaseOrderRequest, today: Day, _ stamp: Stamp) throws -> String {
        try change(stamp) { e -> String in
            var new = NewPurchaseOrder(vendorID: try Lookup.vendorID(e.db, r.vendor), locationID: try Lookup.locationID(e.db, r.location),
                                       orderDate: r.orderDate ?? today, expected: r.expected,
                                       lines: try r.lines.map { (try Lookup.licID(e.db, $0.lic), $0.qty) })
            new.allowAttach = r.allowAttach
            new.draft = r.draft
            return try e.number(ofPurchaseOrder: try e.createPurchaseOrder(new))
        }
    }

    public func purchaseOrder(_ number: String) throws -> PurchaseOrderView {
        try reading { db in
            let id = try Lookup.poID(db, number)
            let h = try db.fetchOne(sql: """
                SELECT p.number, v.code, l.code, p.order_date, p.expected, p.status, p.allow_attach
                FROM purchase_order p JOIN vendor v ON v.id = p.vendor_id JOIN location l ON l.id = p.location_id WHERE p.id = ?
                """, arguments: [id])!
            let lines = try db.fetchAll(sql: """
                SELECT pl.line_no, li.code, pl.qty, pl.received, pl.cancelled, pl.attached FROM po_line pl
                JOIN lic li ON li.id = pl.lic_id WHERE pl.po_id = ? ORDER BY pl.line_no
                """, arguments: [id]).map { PurchaseOrderView.Line(line: $0[0], lic: $0[1], qty: $0[2], received: $0[3], cancelled: $0[4], attached: $0[5]) }
            let attached = try db.fetchAll(sql: """
                SELECT pl.line_no, o.number, ol.line_no, a.qty, c.code, c.name,
                       (SELECT max(p2.expected) FROM po_attachment a2 JOIN po_line pl2 ON pl2.id = a2.po_line_id
                        JOIN purchase_order p2 ON p2.id = pl2.po_id WHERE a2.line_id = a.line_id)
                FROM po_attachment a JOIN po_line pl ON pl.id = a.po_line_id
                JOIN order_line ol ON ol.id = a.line_id JOIN orders o ON o.id = ol.order_id JOIN customer c ON c.id = o.customer_id
                WHERE pl.po_id = ? ORDER BY pl.line_no, a.id
                """, arguments: [id]).map {
                PurchaseOrderView.Attached(poLine: $0[0], order: $0[1], orderLine: $0[2], qty: $0[3], customer: $0[4], customerName: $0[5],
                                           promise: $0[6])
            }
            return PurchaseOrderView(number: h[0], vendor: h[1], location: h[2], orderDate: h[3], expected: h[4], status: h[5],
                                     allowAttach: h[6], lines: lines, attachments: attached)
        }
    }

    public func purchaseOrderNumbers(status: PurchaseOrderStatus?) throws -> [String] {
        try reading { db in
            try db.fetchAll(String.self, sql: "SELECT number FROM purchase_order \(status == nil ? "" : "WHERE status = ?") ORDER BY order_date, number",
                                arguments: status.map { [$0.rawValue] } ?? [])
        }
    }

    public func approvePurchaseOrder(_ number: String, _ stamp: Stamp) throws {
        try change(stamp) { e in try e.approvePurchaseOrder(id: try Lookup.poID(e.db, number)) }
    }

    public func closePurchaseOrder(_ number: String, _ stamp: Stamp) throws {
        try change(stamp) { e in try e.closePurchaseOrder(id: try Lookup.poID(e.db, number)) }
    }

    public func openPOLines(lic: String, location: String) throws -> [OpenPOLine] {
        try reading { db in
            try db.fetchAll(sql: """
                SELECT p.number, pl.line_no, v.code, p.order_date, p.expected, pl.qty, pl.received,
                       pl.qty - pl.received - pl.cancelled, pl.attached
                FROM po_line pl JOIN purchase_order p ON p.id = pl.po_id JOIN vendor v ON v.id = p.vendor_id
                WHERE pl.lic_id = ? AND p.location_id = ? AND p.status = 'open' AND pl.qty - pl.received - pl.cancelled > 0
                ORDER BY p.order_date, p.number, pl.line_no
                """, arguments: [try Lookup.licID(db, lic), try Lookup.locationID(db, location)]).map {
                OpenPOLine(po: $0[0], line: $0[1], vendor: $0[2], orderDate: $0[3], expected: $0[4], qty: $0[5], received: $0[6],
                           open: $0[7], attached: $0[8])
            }
        }
    }

    public func receive(lic: String, qty: Int, po number: String, location: String?, excessAsUnplanned: Bool,
                        _ stamp: Stamp) throws -> RunOutcome? {
        try change(stamp) { e -> RunOutcome? in
            let poID = try Lookup.poID(e.db, number)
            let licID = try Lookup.licID(e.db, lic)
            let poLocation = try e.db.fetchOne(Int64.self, sql: "SELECT location_id FROM purchase_order WHERE id = ?", arguments: [poID])!
            if let location, try Lookup.locationID(e.db, location) != poLocation {
                throw DeskError.refused("purchase order \(number) is for another location; its receipts post there")
            }
            let status = try e.db.fetchOne(PurchaseOrderStatus.self, sql: "SELECT status FROM purchase_order WHERE id = ?", arguments: [poID])
            let open = try e.db.fetchOne(Int.self, sql: """
                SELECT coalesce(sum(qty - received - cancelled), 0) FROM po_line WHERE po_id = ? AND lic_id = ?
                """, arguments: [poID, licID]) ?? 0
            let licCode = try e.db.fetchOne(String.self, sql: "SELECT code FROM lic WHERE id = ?", arguments: [licID]) ?? lic
            if status == .open, open > 0, qty > open {
                guard excessAsUnplanned else {
                    throw DeskError.question(.excessOverPO(po: number, lic: licCode, open: open, qty: qty))
                }
                try e.receiveAgainstPO(poID: poID, licID: licID, qty: open)
                try e.receive(StockKey(licID: licID, locationID: poLocation), qty: qty - open,
                              reason: "unplanned receipt: \(qty - open) over purchase order \(number)")
            } else {
                try e.receiveAgainstPO(poID: poID, licID: licID, qty: qty)
            }
            return try e.processReceipt(StockKey(licID: licID, locationID: poLocation))
        }
    }

    public func replenishmentSuggestions() throws -> [ReplenishmentSuggestion] {
        try reading { db in
            let snapshot = Snapshot(db: db)
            let lics = Dictionary(uniqueKeysWithValues: try db.fetchAll(sql: "SELECT id, code, description FROM lic").map {
                ($0[0] as Int64, (code: $0[1] as String, description: $0[2] as String))
            })
            let locations = Dictionary(uniqueKeysWithValues: try db.fetchAll(sql: "SELECT id, code FROM location").map { ($0[0] as Int64, $0[1] as String) })
            let vendors = Dictionary(uniqueKeysWithValues: try db.fetchAll(sql: "SELECT id, code FROM vendor").map { ($0[0] as Int64, $0[1] as String) })
            return try snapshot.replenishmentSuggestions(countDrafts: true).map { s in
                ReplenishmentSuggestion(lic: lics[s.licID]?.code ?? "?", description: lics[s.licID]?.description ?? "",
                                        location: locations[s.locationID] ?? "?", vendor: s.vendorID.flatMap { vendors[$0] },
                                        backordered: s.backordered, minStock: s.minStock, available: s.available, onOrder: s.onOrder,
                                        drafted: s.drafted, multiple: s.multiple, qty: s.qty)
            }
        }
    }
}

extension Engine {
    func number(ofPurchaseOrder id: Int64) throws -> String {
        try db.fetchOne(String.self, sql: "SELECT number FROM purchase_order WHERE id = ?", arguments: [id])!
    }

    func number(ofOrder id: Int64) throws -> String {
        try db.fetchOne(String.self, sql: "SELECT number FROM orders WHERE id = ?", arguments: [id])!
    }
}
