import BackorderCore
import GRDB

// The views of one order, one LIC, a line's "why": each read from one snapshot.

extension SQLStore {
    public func order(_ number: String, today: Day) throws -> OrderView {
        try reading { db in
            let id = try Lookup.orderID(db, number)
            let r = try db.fetchOne(sql: """
                SELECT o.number, c.code, c.name, l.code, o.status, o.bo_lines, o.policy, o.priority, o.entered_seq,
                       o.entered_at, o.entered_day, o.entered_by, p.number, o.schedule_date, o.prepaid_cents,
                       o.min_deposit_cents, o.handling_cents, o.tax_rate_ppm
                FROM orders o JOIN customer c ON c.id = o.customer_id JOIN location l ON l.id = o.location_id
                LEFT JOIN orders p ON p.id = o.parent_id WHERE o.id = ?
                """, arguments: [id])!
            let plain = try db.fetchAll(sql: """
                SELECT ol.line_no, li.code, li.description, ol.ordered, ol.allotted, ol.shipped, ol.cancelled, ol.invoiced,
                       ol.bo, ol.whole_line, ol.inventoried, ol.unit_cents
                FROM order_line ol JOIN lic li ON li.id = ol.lic_id WHERE ol.order_id = ? ORDER BY ol.line_no
                """, arguments: [id]).map { l in
                OrderView.Line(line: l[0], lic: l[1], description: l[2], ordered: l[3], allotted: l[4], shipped: l[5],
                               cancelled: l[6], invoiced: l[7], bo: l[8], wholeLine: l[9], inventoried: l[10], unitCents: l[11],
                               po: nil, promise: nil, projected: nil)
            }
            let lines = try Self.withPurchasing(db, orderID: id, lines: plain, today: today)
            let shipments = try db.fetchAll(sql: """
                SELECT id, status, created_at FROM shipment WHERE order_id = ?1
                UNION
                SELECT s.id, s.status, s.created_at FROM order_line ol JOIN shipment_item si ON si.line_id = ol.id
                JOIN shipment s ON s.id = si.shipment_id WHERE ol.order_id = ?1
                ORDER BY 1
                """, arguments: [id]).map { s -> OrderView.Shipment in
                let sid: Int64 = s[0]
                let items = try db.fetchAll(sql: """
                    SELECT ol.line_no, si.qty FROM shipment_item si JOIN order_line ol ON ol.id = si.line_id
                    WHERE si.shipment_id = ? AND ol.order_id = ? ORDER BY ol.line_no
                    """, arguments: [sid, id]).map { (line: $0[0] as Int, qty: $0[1] as Int) }
                return OrderView.Shipment(id: sid, status: s[1], createdAt: s[2], items: items)
            }
            let invoices = try db.fetchAll(sql: """
                SELECT i.number, i.at, i.subtotal_cents, i.tax_cents, i.handling_cents, i.total_cents, i.cash_applied_cents,
                       (SELECT number FROM orders WHERE parent_id = i.order_id ORDER BY id DESC LIMIT 1)
                FROM invoice i WHERE i.order_id = ? ORDER BY i.id
                """, arguments: [id]).map {
                OrderView.Invoice(number: $0[0], at: $0[1], subtotalCents: $0[2], taxCents: $0[3], handlingCents: $0[4],
                                  totalCents: $0[5], cashAppliedCents: $0[6], suborder: $0[7])
            }
            return OrderView(id: id, number: r[0], customer: r[1], customerName: r[2], location: r[3],
                             status: OrderStatus.shown(r[4], boLines: r[5]), policy: r[6], priority: r[7],
                             enteredSeq: r[8], enteredAt: r[9], enteredDay: r[10], enteredBy: r[11], parent: r[12],
                             scheduleDate: r[13], prepaidCents: r[14], minDepositCents: r[15], handlingCents: r[16],
                             taxRatePPM: r[17], lines: lines, shipments: shipments, invoices: invoices)
        }
    }

    /// Orders, newest first, filtered by status (including `backorder`) and customer.
    public func orders(status: OrderStatus?, customer: String?, limit: Int, beforeID: Int64?) throws -> [OrderListItem] {
        var conditions: [String] = []
        var args: [DatabaseValueConvertible?] = []
        if let st = status {
            switch st {
            case .backorder: conditions.append("o.status = 'open' AND o.bo_lines > 0")
            case .open: conditions.append("o.status = 'open' AND o.bo_lines = 0")
            default: conditions.append("o.status = ?"); args.append(st.rawValue)
            }
        }
        return try reading { db in
            if let c = customer {
                conditions.append("o.customer_id = ?")
                args.append(try Lookup.customerID(db, c))
            }
            if let b = beforeID { conditions.append("o.id < ?"); args.append(b) }
            let whereSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            args.append(limit)
            return try db.fetchAll(sql: """
                SELECT o.number, c.code, o.status, o.bo_lines, o.priority, l.code, o.entered_seq, o.entered_day,
                       (SELECT count(*) FROM order_line ol WHERE ol.order_id = o.id), o.id, c.name, o.policy
                FROM orders o JOIN customer c ON c.id = o.customer_id JOIN location l ON l.id = o.location_id
                \(whereSQL) ORDER BY o.id DESC LIMIT ?
                """, arguments: SQLArguments(args)).map { r in
                OrderListItem(id: r[9], number: r[0], customer: r[1], customerName: r[10], status: OrderStatus.shown(r[2], boLines: r[3]),
                              priority: r[4], location: r[5], enteredSeq: r[6], enteredDay: r[7], policy: r[11], lines: r[8], boLines: r[3])
            }
        }
    }

    public func orderLog(_ number: String) throws -> [LogEntry] {
        try reading { db in
            let id = try Lookup.orderID(db, number)
            return try db.fetchAll(sql: "SELECT at, actor, kind, message FROM order_log WHERE order_id = ? ORDER BY id",
                                    arguments: [id]).map { LogEntry(at: $0[0], actor: $0[1], kind: $0[2], message: $0[3]) }
        }
    }

    public func shipments(order: String?, status: ShipmentStatus?) throws -> [ShipmentSummary] {
        var conditions: [String] = []
        var args: [DatabaseValueConvertible?] = []
        if let s = status {
            conditions.append("s.status = ?")
            args.append(s.rawValue)
        }
        return try reading { db in
            if let o = order {
                let id = try Lookup.orderID(db, o)
                conditions.append("(s.order_id = ? OR s.id IN (SELECT si.shipment_id FROM shipment_item si JOIN order_line ol ON ol.id = si.line_id WHERE ol.order_id = ?))")
                args.append(id)
                args.append(id)
            }
            let whereSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try db.fetchAll(sql: """
                SELECT s.id, o.number, c.code, l.code, s.status, s.created_at,
                       coalesce((SELECT sum(qty) FROM shipment_item WHERE shipment_id = s.id), 0),
                       (SELECT count(*) FROM shipment_item WHERE shipment_id = s.id)
                FROM shipment s JOIN orders o ON o.id = s.order_id JOIN customer c ON c.id = s.customer_id
                JOIN location l ON l.id = s.location_id \(whereSQL) ORDER BY s.id
                """, arguments: SQLArguments(args)).map {
                ShipmentSummary(id: $0[0], order: $0[1], customer: $0[2], location: $0[3], status: $0[4], createdAt: $0[5],
                                units: $0[6], items: $0[7])
            }
        }
    }

    /// A LIC's balance at a location, every open line in allocation order, and recent ledger rows.
    public func lic(_ code: String, location: String, lineLimit: Int, ledgerLimit: Int, today: Day) throws -> LicView {
        try reading { db in
            let licID = try Lookup.licID(db, code)
            let locationID = try Lookup.locationID(db, location)
            let info = try db.fetchOne(sql: "SELECT code, description, min_stock FROM lic WHERE id = ?", arguments: [licID])!
            let b = try db.fetchOne(sql: """
                SELECT on_hand, allotted, demand, on_order, frozen, dedicated FROM balance WHERE lic_id = ? AND location_id = ?
                """, arguments: [licID, locationID])
            let balance = b.map { Balance(onHand: $0[0], allotted: $0[1], demand: $0[2], onOrder: $0[3], frozen: $0[4], dedicated: $0[5]) } ?? Balance()
            let key = StockKey(licID: licID, locationID: locationID)
            // Only the lines shown: the first `lineLimit` of the queue.
            let shown = try LineRow.fetchAll(db, sql: """
                WHERE lic_id = ? AND location_id = ? AND is_open = 1 ORDER BY priority DESC, entered_seq, order_id, line_no LIMIT ?
                """, arguments: [licID, locationID, lineLimit])
            let projected = try Snapshot(db: db).projectedDates(key, today: today, window: shown, windowStartsQueue: true)
            let attachedShown = shown.filter { $0.attached > 0 }.map(\.id)
            let promises = attachedShown.isEmpty ? [:] : try Self.promises(
                db, sql: "l.id IN (\(attachedShown.map(String.init).joined(separator: ",")))", arguments: [])
            var cumulative = 0
            var position = 0
            let lines = try db.fetchAll(sql: """
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
            let ledger = try db.fetchAll(sql: """
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

    /// Why a line of an order is backordered: `line` nil = its first backordered line.
    public func why(order number: String, line lineNo: Int?, today: Day) throws -> WhyView {
        return try reading { db in
            let orderID = try Lookup.orderID(db, number)
            let lines = try LineRow.fetchAll(db, sql: "WHERE order_id = ? ORDER BY line_no", arguments: [orderID])
            let line: LineRow
            if let lineNo {
                guard let l = lines.first(where: { $0.lineNo == lineNo }) else {
                    throw DeskError.notFound("order \(number) has no line \(lineNo)")
                }
                line = l
            } else {
                guard let l = lines.first(where: \.bo) else {
                    throw DeskError.refused("order \(number) has no backordered line")
                }
                line = l
            }
            guard line.inventoried else {
                throw DeskError.refused("line \(line.lineNo) of order \(number) is a service; it needs no stock and is never backordered")
            }
            let head = try db.fetchOne(sql: """
                SELECT o.number, c.code, c.name, l.code, o.entered_day, o.policy, li.code, li.description
                FROM orders o JOIN customer c ON c.id = o.customer_id JOIN location l ON l.id = ?
                JOIN lic li ON li.id = ? WHERE o.id = ?
                """, arguments: [line.locationID, line.licID, orderID])!
            let key = StockKey(licID: line.licID, locationID: line.locationID)
            let b = try db.fetchOne(sql: """
                SELECT on_hand, allotted, demand, on_order, frozen, dedicated FROM balance WHERE lic_id = ? AND location_id = ?
                """, arguments: [key.licID, key.locationID])
            let balance = b.map { Balance(onHand: $0[0], allotted: $0[1], demand: $0[2], onOrder: $0[3], frozen: $0[4], dedicated: $0[5]) } ?? Balance()

            // The waiting lines ahead of it, per priority, on the short-line index.
            var ahead: [WhyView.Band] = []
            var position: Int?
            if line.bo {
                ahead = try db.fetchAll(sql: """
                    SELECT priority, count(*), sum(ordered - cancelled - shipped - allotted) FROM order_line INDEXED BY line_short
                    WHERE lic_id = ?1 AND location_id = ?2 AND bo = 1
                      AND (priority > ?3 OR (priority = ?3 AND (entered_seq, order_id, line_no) < (?4, ?5, ?6)))
                    GROUP BY priority ORDER BY priority DESC
                    """, arguments: [key.licID, key.locationID, line.priority, line.enteredSeq, line.orderID, line.lineNo])
                    .map { WhyView.Band(priority: $0[0], lines: $0[1], units: $0[2]) }
                position = ahead.reduce(0) { $0 + $1.lines } + 1
            }
            let waitingLines = try db.fetchOne(Int.self, sql: """
                SELECT count(*) FROM order_line INDEXED BY line_short WHERE lic_id = ? AND location_id = ? AND bo = 1
                """, arguments: [key.licID, key.locationID]) ?? 0

            // Supply no process has consumed yet, as far as it is still free stock: an entry may
            // have taken some of it (free stock is counted against the newest events first).
            var free = max(0, balance.onHand - balance.allotted)
            var waiting: [WhyView.Waiting] = []
            for r in try db.fetchAll(sql: """
                SELECT process, qty, at, source FROM supply_event
                WHERE lic_id = ? AND location_id = ? AND run_id IS NULL ORDER BY id DESC
                """, arguments: [key.licID, key.locationID]) where free > 0 {
                guard let process = ProcessKind(rawValue: r[0]) else { continue }
                let qty = min(r[1] as Int, free)
                free -= qty
                waiting.insert(WhyView.Waiting(process: process, qty: qty, at: r[2], source: r[3]), at: 0)
            }

            let promises = try Self.promises(db, sql: "l.id = ?", arguments: [line.id])
            let attachments = (promises[line.id]?.attachments ?? []).map { WhyView.Attachment(po: $0.po, qty: $0.qty, expected: $0.expected) }
            var projected: String?
            if line.bo {
                projected = (try Snapshot(db: db).projectedDates(key, today: today, window: [line])[line.id] ?? nil)?.description
            }

            // The record log names lines as "line 3" / "Line 3:": the rows that mention this one.
            let pattern = "%line \(line.lineNo)%"
            let log = try db.fetchAll(sql: """
                SELECT at, actor, kind, message FROM order_log WHERE order_id = ? AND message LIKE ? ORDER BY id DESC LIMIT 60
                """, arguments: [orderID, pattern]).map { LogEntry(at: $0[0], actor: $0[1], kind: $0[2], message: $0[3]) }
                .filter { WhyView.mentions($0.message, line: line.lineNo) }
                .prefix(8).reversed()

            return WhyView(order: head[0], line: line.lineNo, lic: head[6], description: head[7], location: head[3],
                           customer: head[1], customerName: head[2], priority: line.priority, enteredDay: head[4],
                           policy: FulfillmentPolicy(rawValue: head[5]) ?? .partial, remaining: line.remaining,
                           allotted: line.allotted, wholeLine: line.wholeLine, position: position, waitingLines: waitingLines,
                           ahead: ahead, balance: balance, waiting: waiting, nextRuns: [:], attachments: attachments,
                           promise: promises[line.id]?.promise, projected: projected, log: Array(log), today: today)
        }
    }
}

extension SQLStore {
    /// The oldest PO a line is attached to and its promise date (the latest expected date among
    /// its attachments), for the lines matching `sql` (over `order_line l`).
    static func promises(_ db: SQLConnection, sql: String, arguments: SQLArguments) throws -> [Int64: (po: String, promise: String?, attachments: [(po: String, qty: Int, expected: String?)])] {
        var out: [Int64: (po: String, promise: String?, attachments: [(po: String, qty: Int, expected: String?)])] = [:]
        let rows = try db.fetchAll(sql: """
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
    static func withPurchasing(_ db: SQLConnection, orderID: Int64, lines: [OrderView.Line], today: Day) throws -> [OrderView.Line] {
        let ids = try db.fetchAll(sql: "SELECT line_no, id, lic_id, location_id, bo FROM order_line WHERE order_id = ?", arguments: [orderID])
        let promises = try promises(db, sql: "l.order_id = ?", arguments: [orderID])
        var projected: [Int64: Day?] = [:]
        let snapshot = Snapshot(db: db)
        let own = try LineRow.fetchAll(db, sql: "WHERE order_id = ? AND +bo = 1", arguments: [orderID])
        for (key, window) in Dictionary(grouping: own, by: { StockKey(licID: $0.licID, locationID: $0.locationID) }) {
            projected.merge(try snapshot.projectedDates(key, today: today, window: window)) { a, _ in a }
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
