import BackorderCore
import BackorderStore
import GRDB

/// Read-only views for screens and commands.
extension Desk {
    static func displayStatus(_ stored: String, boLines: Int) -> String {
        stored == "open" && boLines > 0 ? OrderStatus.backorder.rawValue : stored
    }

    public func order(_ number: String) throws -> OrderView {
        try read { db in
            let id = try Desk.orderID(db, number)
            let r = try Row.fetchOne(db, sql: """
                SELECT o.number, c.code, c.name, l.code, o.status, o.bo_lines, o.policy, o.priority, o.entered_seq,
                       o.entered_at, o.entered_day, o.entered_by, p.number, o.schedule_date, o.prepaid_cents,
                       o.min_deposit_cents, o.handling_cents, o.tax_rate_ppm
                FROM orders o JOIN customer c ON c.id = o.customer_id JOIN location l ON l.id = o.location_id
                LEFT JOIN orders p ON p.id = o.parent_id WHERE o.id = ?
                """, arguments: [id])!
            let plain = try Row.fetchAll(db, sql: """
                SELECT ol.line_no, li.code, li.description, ol.ordered, ol.allotted, ol.shipped, ol.cancelled, ol.invoiced,
                       ol.bo, ol.whole_line, ol.inventoried, ol.unit_cents
                FROM order_line ol JOIN lic li ON li.id = ol.lic_id WHERE ol.order_id = ? ORDER BY ol.line_no
                """, arguments: [id]).map { l in
                OrderView.Line(line: l[0], lic: l[1], description: l[2], ordered: l[3], allotted: l[4], shipped: l[5],
                               cancelled: l[6], invoiced: l[7], bo: l[8], wholeLine: l[9], inventoried: l[10], unitCents: l[11],
                               po: nil, promise: nil, projected: nil)
            }
            let lines = try Desk.withPurchasing(db, orderID: id, lines: plain, today: clock.today)
            let shipments = try Row.fetchAll(db, sql: """
                SELECT id, status, created_at FROM shipment WHERE order_id = ?1
                UNION
                SELECT s.id, s.status, s.created_at FROM order_line ol JOIN shipment_item si ON si.line_id = ol.id
                JOIN shipment s ON s.id = si.shipment_id WHERE ol.order_id = ?1
                ORDER BY 1
                """, arguments: [id]).map { s -> OrderView.Shipment in
                let sid: Int64 = s[0]
                let items = try Row.fetchAll(db, sql: """
                    SELECT ol.line_no, si.qty FROM shipment_item si JOIN order_line ol ON ol.id = si.line_id
                    WHERE si.shipment_id = ? AND ol.order_id = ? ORDER BY ol.line_no
                    """, arguments: [sid, id]).map { (line: $0[0] as Int, qty: $0[1] as Int) }
                return OrderView.Shipment(id: sid, status: s[1], createdAt: s[2], items: items)
            }
            let invoices = try Row.fetchAll(db, sql: """
                SELECT i.number, i.at, i.subtotal_cents, i.tax_cents, i.handling_cents, i.total_cents, i.cash_applied_cents,
                       (SELECT number FROM orders WHERE parent_id = i.order_id ORDER BY id DESC LIMIT 1)
                FROM invoice i WHERE i.order_id = ? ORDER BY i.id
                """, arguments: [id]).map {
                OrderView.Invoice(number: $0[0], at: $0[1], subtotalCents: $0[2], taxCents: $0[3], handlingCents: $0[4],
                                  totalCents: $0[5], cashAppliedCents: $0[6], suborder: $0[7])
            }
            return OrderView(id: id, number: r[0], customer: r[1], customerName: r[2], location: r[3],
                             status: Desk.displayStatus(r[4], boLines: r[5]), policy: r[6], priority: r[7],
                             enteredSeq: r[8], enteredAt: r[9], enteredDay: r[10], enteredBy: r[11], parent: r[12],
                             scheduleDate: r[13], prepaidCents: r[14], minDepositCents: r[15], handlingCents: r[16],
                             taxRatePPM: r[17], lines: lines, shipments: shipments, invoices: invoices)
        }
    }

    /// Orders, newest first, filtered by status (including `backorder`) and customer.
    public func orders(status: String? = nil, customer: String? = nil, limit: Int = 10_000, beforeID: Int64? = nil) throws -> [OrderSummary] {
        var conditions: [String] = []
        var args: [DatabaseValueConvertible?] = []
        if let s = status?.lowercased() {
            guard let st = OrderStatus(rawValue: s) else {
                throw DeskError.invalid("status must be one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", ")), not '\(s)'")
            }
            switch st {
            case .backorder: conditions.append("o.status = 'open' AND o.bo_lines > 0")
            case .open: conditions.append("o.status = 'open' AND o.bo_lines = 0")
            default: conditions.append("o.status = ?"); args.append(st.rawValue)
            }
        }
        return try read { db in
            if let c = customer {
                conditions.append("o.customer_id = ?")
                args.append(try Desk.customerID(db, c))
            }
            if let b = beforeID { conditions.append("o.id < ?"); args.append(b) }
            let whereSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            args.append(limit)
            return try Row.fetchAll(db, sql: """
                SELECT o.number, c.code, o.status, o.bo_lines, o.priority, l.code, o.entered_seq, o.entered_day,
                       (SELECT count(*) FROM order_line ol WHERE ol.order_id = o.id)
                FROM orders o JOIN customer c ON c.id = o.customer_id JOIN location l ON l.id = o.location_id
                \(whereSQL) ORDER BY o.id DESC LIMIT ?
                """, arguments: StatementArguments(args)).map { r in
                OrderSummary(number: r[0], customer: r[1], status: Desk.displayStatus(r[2], boLines: r[3]), priority: r[4],
                             location: r[5], enteredSeq: r[6], enteredDay: r[7], lines: r[8], boLines: r[3])
            }
        }
    }

    public func orderLog(_ number: String) throws -> [LogEntry] {
        try read { db in
            let id = try Desk.orderID(db, number)
            return try Row.fetchAll(db, sql: "SELECT at, actor, kind, message FROM order_log WHERE order_id = ? ORDER BY id",
                                    arguments: [id]).map { LogEntry(at: $0[0], actor: $0[1], kind: $0[2], message: $0[3]) }
        }
    }

    public func shipments(order: String? = nil, status: String? = nil) throws -> [ShipmentSummary] {
        var conditions: [String] = []
        var args: [DatabaseValueConvertible?] = []
        if let s = status?.lowercased() {
            guard ShipmentStatus(rawValue: s) != nil else {
                throw DeskError.invalid("status must be one of \(ShipmentStatus.allCases.map(\.rawValue).joined(separator: ", ")), not '\(s)'")
            }
            conditions.append("s.status = ?")
            args.append(s)
        }
        return try read { db in
            if let o = order {
                let id = try Desk.orderID(db, o)
                conditions.append("(s.order_id = ? OR s.id IN (SELECT si.shipment_id FROM shipment_item si JOIN order_line ol ON ol.id = si.line_id WHERE ol.order_id = ?))")
                args.append(id)
                args.append(id)
            }
            let whereSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(db, sql: """
                SELECT s.id, o.number, c.code, l.code, s.status, s.created_at,
                       coalesce((SELECT sum(qty) FROM shipment_item WHERE shipment_id = s.id), 0),
                       (SELECT count(*) FROM shipment_item WHERE shipment_id = s.id)
                FROM shipment s JOIN orders o ON o.id = s.order_id JOIN customer c ON c.id = s.customer_id
                JOIN location l ON l.id = s.location_id \(whereSQL) ORDER BY s.id
                """, arguments: StatementArguments(args)).map {
                ShipmentSummary(id: $0[0], order: $0[1], customer: $0[2], location: $0[3], status: $0[4], createdAt: $0[5],
                                units: $0[6], items: $0[7])
            }
        }
    }

    /// A LIC's balance at a location, every open line in allocation order, and recent ledger rows.
    public func lic(_ code: String, location: String = "MAIN", lineLimit: Int = 100_000, ledgerLimit: Int = 20) throws -> LicView {
        try read { db in
            let licID = try Desk.licID(db, code)
            let locationID = try Desk.locationID(db, location)
            let info = try Row.fetchOne(db, sql: "SELECT code, description, min_stock FROM lic WHERE id = ?", arguments: [licID])!
            let b = try Row.fetchOne(db, sql: """
                SELECT on_hand, allotted, demand, on_order, frozen, dedicated FROM balance WHERE lic_id = ? AND location_id = ?
                """, arguments: [licID, locationID])
            let balance = b.map { Balance(onHand: $0[0], allotted: $0[1], demand: $0[2], onOrder: $0[3], frozen: $0[4], dedicated: $0[5]) } ?? Balance()
            let key = StockKey(licID: licID, locationID: locationID)
            // Only the lines shown: the first `lineLimit` of the queue.
            let shown = try LineRow.fetchAll(db, sql: """
                WHERE lic_id = ? AND location_id = ? AND is_open = 1 ORDER BY priority DESC, entered_seq, order_id, line_no LIMIT ?
                """, arguments: [licID, locationID, lineLimit])
            let projected = try Engine(db, actor: user.name, now: clock.now()).projectedDates(key, today: clock.today, window: shown, windowStartsQueue: true)
            let attachedShown = shown.filter { $0.attached > 0 }.map(\.id)
            let promises = attachedShown.isEmpty ? [:] : try Desk.promises(
                db, sql: "l.id IN (\(attachedShown.map(String.init).joined(separator: ",")))", arguments: [])
            var cumulative = 0
            var position = 0
            let lines = try Row.fetchAll(db, sql: """
                SELECT o.number, ol.line_no, c.code, ol.priority, o.entered_day, ol.ordered - ol.cancelled - ol.shipped,
                       ol.allotted, ol.whole_line, o.policy, o.bo_lines, ol.id
                FROM order_line ol JOIN orders o ON o.id = ol.order_id JOIN customer c ON c.id = o.customer_id
                WHERE ol.lic_id = ? AND ol.location_id = ? AND ol.is_open = 1
                ORDER BY ol.priority DESC, ol.entered_seq, ol.order_id, ol.line_no LIMIT ?
                """, arguments: [licID, locationID, lineLimit]).map { r -> LicView.Entry in
                let need: Int = r[5]
                let allotted: Int = r[6]
                let whole: Bool = r[7]
                let complete = FulfillmentPolicy(rawValue: r[8])?.shipsComplete ?? false
                let orderShort = (r[9] as Int) > 0
                cumulative += need
                position += 1
                let state: String
                if allotted > 0 && ((whole && allotted < need) || (complete && orderShort)) { state = "held" }
                else if allotted >= need { state = "allotted" }
                else { state = "waiting" }
                let lineID: Int64 = r[10]
                let promise = promises[lineID]
                return LicView.Entry(position: position, order: r[0], line: r[1], customer: r[2], priority: r[3], entered: r[4],
                                     need: need, allotted: allotted, cumulative: cumulative, state: state,
                                     attachedPO: promise?.po, promise: promise?.promise,
                                     projected: (projected[lineID] ?? nil)?.description)
            }
            let ledger = try Row.fetchAll(db, sql: """
                SELECT g.id, g.at, g.kind, g.qty, o.number, g.actor, g.reason FROM ledger g LEFT JOIN orders o ON o.id = g.order_id
                WHERE g.lic_id = ? AND g.location_id = ? ORDER BY g.id DESC LIMIT ?
                """, arguments: [licID, locationID, ledgerLimit]).map {
                LedgerEntry(id: $0[0], at: $0[1], lic: info[0], location: location.uppercased(), kind: $0[2], qty: $0[3],
                            order: $0[4], actor: $0[5], reason: $0[6])
            }
            return LicView(lic: info[0], description: info[1], location: location.uppercased(), balance: balance,
                           minStock: info[2], lines: lines, ledger: ledger)
        }
    }
}

extension Desk {
    /// The oldest PO a line is attached to and its promise date (the latest expected date among
    /// its attachments), for the lines matching `sql` (over `order_line l`).
    static func promises(_ db: Database, sql: String, arguments: StatementArguments) throws -> [Int64: (po: String, promise: String?, attachments: [(po: String, qty: Int, expected: String?)])] {
        var out: [Int64: (po: String, promise: String?, attachments: [(po: String, qty: Int, expected: String?)])] = [:]
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.line_id, p.number, a.qty, p.expected FROM po_attachment a JOIN po_line pl ON pl.id = a.po_line_id
            JOIN purchase_order p ON p.id = pl.po_id JOIN order_line l ON l.id = a.line_id
            WHERE \(sql) ORDER BY a.line_id, p.order_date, p.number
            """, arguments: arguments)
        for r in rows {
            let id: Int64 = r[0]
            let entry: (po: String, qty: Int, expected: String?) = (r[1], r[2], r[3])
            if var e = out[id] {
                e.attachments.append(entry)
                if let x = entry.expected, e.promise.map({ x > $0 }) ?? true { e.promise = x }
                out[id] = e
            } else {
                out[id] = (entry.po, entry.expected, [entry])
            }
        }
        return out
    }

    /// Adds PO attachments, promise and projected fill dates to an order's lines.
    static func withPurchasing(_ db: Database, orderID: Int64, lines: [OrderView.Line], today: Day) throws -> [OrderView.Line] {
        let ids = try Row.fetchAll(db, sql: "SELECT line_no, id, lic_id, location_id, bo FROM order_line WHERE order_id = ?", arguments: [orderID])
        let promises = try promises(db, sql: "l.order_id = ?", arguments: [orderID])
        var projected: [Int64: Day?] = [:]
        let engine = Engine(db, actor: "", now: Moment(day: today, secondOfDay: 0))
        let own = try LineRow.fetchAll(db, sql: "WHERE order_id = ? AND +bo = 1", arguments: [orderID])
        for (key, window) in Dictionary(grouping: own, by: { StockKey(licID: $0.licID, locationID: $0.locationID) }) {
            projected.merge(try engine.projectedDates(key, today: today, window: window)) { a, _ in a }
        }
        let byNo = Dictionary(uniqueKeysWithValues: ids.map { ($0[0] as Int, $0[1] as Int64) })
        return lines.map { l in
            var l = l
            guard let id = byNo[l.line] else { return l }
            if let p = promises[id] {
                l.po = p.po
                l.promise = p.promise
                l.attachments = p.attachments
            }
            if l.bo { l.projected = (projected[id] ?? nil)?.description }
            return l
        }
    }
}
