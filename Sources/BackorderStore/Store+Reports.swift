import BackorderCore
import GRDB

// The reports of product §7 and the exports, the same rows for the command line and the Reports screen.

extension SQLStore {

    /// The conditions over `ol` (order_line), `o` (orders) that a customer / LIC / location filter
    /// adds, with their arguments; unknown codes are refused.
    static func lineFilter(_ db: SQLConnection, customer: String?, lic: String?, location: String?) throws -> (String, [DatabaseValueConvertible?]) {
        var conditions: [String] = []
        var args: [DatabaseValueConvertible?] = []
        if let c = customer { conditions.append("o.customer_id = ?"); args.append(try Lookup.customerID(db, c)) }
        if let l = lic { conditions.append("ol.lic_id = ?"); args.append(try Lookup.licID(db, l)) }
        if let l = location { conditions.append("ol.location_id = ?"); args.append(try Lookup.locationID(db, l)) }
        return (conditions.map { " AND " + $0 }.joined(), args)
    }

    /// Order backlog by product, the supervisor's view: every (LIC, location) with units short,
    /// largest first, with its figures, the lines waiting and the oldest waiting line's age.
    public func backlogSummaryReport(lic: String?, location: String?, today: Day) throws -> Report {
        return try reading { db in
            var conditions = ["b.demand - b.allotted > 0"]
            var args: [DatabaseValueConvertible?] = []
            if let l = lic { conditions.append("b.lic_id = ?"); args.append(try Lookup.licID(db, l)) }
            if let l = location { conditions.append("b.location_id = ?"); args.append(try Lookup.locationID(db, l)) }
            let rows = try db.fetchAll(sql: """
                SELECT li.code, li.description, loc.code, b.demand - b.allotted, b.on_hand, b.allotted, b.on_hand - b.allotted,
                       b.on_order,
                       (SELECT count(*) FROM order_line INDEXED BY line_short WHERE lic_id = b.lic_id AND location_id = b.location_id AND bo = 1),
                       (SELECT min(o.entered_day) FROM order_line ol INDEXED BY line_short JOIN orders o ON o.id = ol.order_id
                        WHERE ol.lic_id = b.lic_id AND ol.location_id = b.location_id AND ol.bo = 1)
                FROM balance b JOIN lic li ON li.id = b.lic_id JOIN location loc ON loc.id = b.location_id
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY b.demand - b.allotted DESC, li.code, loc.code
                """, arguments: SQLArguments(args))
            return Report(name: "backlog",
                          columns: ["lic", "description", "location", "backordered", "on_hand", "allotted", "available", "on_order",
                                    "lines_waiting", "oldest_days"],
                          rows: rows.map { r in
                let oldest = (r[9] as String?).flatMap(Day.init).map { max(0, today.days(since: $0)) }
                return [.text(r[0]), .text(r[1]), .text(r[2]), .int(r[3]), .int(r[4]), .int(r[5]), .int(r[6]), .int(r[7]),
                        .int(r[8]), oldest.map(Report.Value.int) ?? .null]
            })
        }
    }


    /// Every backordered line: order, customer, LIC, quantities, age, priority, promise/projected.
    public func backorderReport(_ filter: BackorderFilter, today: Day) throws -> Report {
        return try reading { db in
            var conditions = ["ol.bo = 1"]
            var args: [DatabaseValueConvertible?] = []
            if let c = filter.customer { conditions.append("o.customer_id = ?"); args.append(try Lookup.customerID(db, c)) }
            if let l = filter.lic { conditions.append("ol.lic_id = ?"); args.append(try Lookup.licID(db, l)) }
            if let l = filter.location { conditions.append("ol.location_id = ?"); args.append(try Lookup.locationID(db, l)) }
            if filter.partiallyInvoicedOnly {
                conditions.append("(o.parent_id IS NOT NULL OR EXISTS (SELECT 1 FROM invoice i WHERE i.order_id = o.id))")
            }
            let rows = try db.fetchAll(sql: """
                SELECT ol.id, o.number, c.code, li.code, loc.code, ol.ordered, ol.shipped, ol.ordered - ol.cancelled - ol.shipped - ol.allotted,
                       ol.allotted, o.entered_day, ol.priority, ol.lic_id, ol.location_id
                FROM order_line ol JOIN orders o ON o.id = ol.order_id JOIN customer c ON c.id = o.customer_id
                JOIN lic li ON li.id = ol.lic_id JOIN location loc ON loc.id = ol.location_id
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY o.entered_day, ol.entered_seq, ol.order_id, ol.line_no
                """, arguments: SQLArguments(args))
            let snapshot = Snapshot(db: db)
            var projected: [Int64: Day?] = [:]
            for key in Set(rows.map { StockKey(licID: $0[11], locationID: $0[12]) }) {
                projected.merge(try snapshot.projectedDates(key, today: today)) { a, _ in a }
            }
            let promises = try Self.promises(db, sql: "l.bo = 1", arguments: [])
            return Report(name: "backorders",
                          columns: ["order", "customer", "lic", "location", "ordered", "shipped", "backordered", "allotted",
                                    "age_days", "priority", "promise", "projected"],
                          rows: rows.map { r in
                let id: Int64 = r[0]
                let age = Day(r[9] as String).map { today.days(since: $0) } ?? 0
                return [.text(r[1]), .text(r[2]), .text(r[3]), .text(r[4]), .int(r[5]), .int(r[6]), .int(r[7]), .int(r[8]),
                        .int(age), .int(r[10]), promises[id]?.promise.map(Report.Value.text) ?? .null,
                        (projected[id] ?? nil).map { .text($0.description) } ?? .null]
            })
        }
    }

    /// Order backlog by product: each LIC's figures, then its open lines in queue order.
    public func backlogReport(lic: String?, location: String?) throws -> Report {
        try reading { db in
            var conditions = ["ol.is_open = 1"]
            var args: [DatabaseValueConvertible?] = []
            if let l = lic { conditions.append("ol.lic_id = ?"); args.append(try Lookup.licID(db, l)) }
            if let l = location { conditions.append("ol.location_id = ?"); args.append(try Lookup.locationID(db, l)) }
            let rows = try db.fetchAll(sql: """
                SELECT li.code, loc.code, b.on_hand, b.allotted, b.on_hand - b.allotted, b.on_order,
                       o.number, ol.line_no, c.code, ol.priority, ol.ordered - ol.cancelled - ol.shipped, ol.allotted,
                       ol.lic_id, ol.location_id
                FROM order_line ol JOIN orders o ON o.id = ol.order_id JOIN customer c ON c.id = o.customer_id
                JOIN lic li ON li.id = ol.lic_id JOIN location loc ON loc.id = ol.location_id
                JOIN balance b ON b.lic_id = ol.lic_id AND b.location_id = ol.location_id
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY li.code, loc.code, ol.priority DESC, ol.entered_seq, ol.order_id, ol.line_no
                """, arguments: SQLArguments(args))
            var position = 0
            var lastKey = ""
            return Report(name: "backlog",
                          columns: ["lic", "location", "on_hand", "allotted", "available", "on_order",
                                    "position", "order", "line", "customer", "priority", "need", "line_allotted"],
                          rows: rows.map { r in
                let key = "\(r[0] as String)@\(r[1] as String)"
                position = key == lastKey ? position + 1 : 1
                lastKey = key
                return [.text(r[0]), .text(r[1]), .int(r[2]), .int(r[3]), .int(r[4]), .int(r[5]), .int(position),
                        .text(r[6]), .int(r[7]), .text(r[8]), .int(r[9]), .int(r[10]), .int(r[11])]
            })
        }
    }

    /// LICs whose available is below minimum stock, with the replenishment suggestion.
    public func reorderReport(lic: String?, location: String?) throws -> Report {
        try reading { db in
            var extra = ""
            var args: [DatabaseValueConvertible?] = []
            if let l = lic { extra += " AND li.id = ?"; args.append(try Lookup.licID(db, l)) }
            if let l = location { extra += " AND loc.id = ?"; args.append(try Lookup.locationID(db, l)) }
            let rows = try db.fetchAll(sql: """
                SELECT li.code, loc.code, li.description, coalesce(b.on_hand, 0), coalesce(b.allotted, 0),
                       coalesce(b.on_hand - b.allotted, 0), li.min_stock, coalesce(b.demand - b.allotted, 0), coalesce(b.on_order, 0),
                       li.reorder_multiple, v.code
                FROM lic li CROSS JOIN location loc
                LEFT JOIN balance b ON b.lic_id = li.id AND b.location_id = loc.id
                LEFT JOIN vendor v ON v.id = li.vendor_id
                WHERE li.inventoried = 1 AND li.min_stock > 0 AND coalesce(b.on_hand - b.allotted, 0) < li.min_stock
                  AND (b.lic_id IS NOT NULL OR loc.id = (SELECT min(id) FROM location))\(extra)
                ORDER BY li.code, loc.code
                """, arguments: SQLArguments(args))
            return Report(name: "reorder",
                          columns: ["lic", "location", "description", "on_hand", "allotted", "available", "min_stock",
                                    "backordered", "on_order", "suggested", "vendor"],
                          rows: rows.map { r in
                let suggested = Replenishment.suggestion(backordered: r[7], minStock: r[6], available: r[5], onOrder: r[8], multiple: r[9])
                return [.text(r[0]), .text(r[1]), .text(r[2]), .int(r[3]), .int(r[4]), .int(r[5]), .int(r[6]), .int(r[7]),
                        .int(r[8]), .int(suggested), (r[10] as String?).map(Report.Value.text) ?? .null]
            })
        }
    }

    /// Backordered quantity by age of the order.
    public func agingReport(customer: String?, lic: String?, location: String?, today: Day) throws -> Report {
        return try reading { db in
            var lines = Array(repeating: 0, count: AgingBands.all.count)
            var units = lines
            let (filter, args) = try Self.lineFilter(db, customer: customer, lic: lic, location: location)
            for r in try db.fetchAll(sql: """
                SELECT o.entered_day, ol.ordered - ol.cancelled - ol.shipped - ol.allotted FROM order_line ol
                JOIN orders o ON o.id = ol.order_id WHERE ol.bo = 1\(filter)
                """, arguments: SQLArguments(args)) {
                let age = max(0, Day(r[0] as String).map { today.days(since: $0) } ?? 0)
                guard let i = AgingBands.all.firstIndex(where: { $0.range.contains(age) }) else { continue }
                lines[i] += 1
                units[i] += r[1] as Int
            }
            return Report(name: "aging", columns: ["age_days", "lines", "units"],
                          rows: AgingBands.all.indices.map { [.text(AgingBands.all[$0].label), .int(lines[$0]), .int(units[$0])] })
        }
    }

    /// Share of lines shipped in full on their first shipment, per week (Monday) of that shipment.
    public func fillRateReport(customer: String?, lic: String?, location: String?) throws -> Report {
        try reading { db in
            let (filter, args) = try Self.lineFilter(db, customer: customer, lic: lic, location: location)
            let rows = try db.fetchAll(sql: """
                WITH firsts AS (
                    SELECT si.line_id, min(s.shipped_at) AS first_at FROM shipment_item si JOIN shipment s ON s.id = si.shipment_id
                    WHERE s.status = 'shipped' GROUP BY si.line_id),
                first_qty AS (
                    SELECT f.line_id, f.first_at, sum(si.qty) AS qty FROM firsts f
                    JOIN shipment_item si ON si.line_id = f.line_id JOIN shipment s ON s.id = si.shipment_id
                    WHERE s.status = 'shipped' AND s.shipped_at = f.first_at GROUP BY f.line_id, f.first_at)
                SELECT substr(fq.first_at, 1, 10), fq.qty >= ol.ordered - ol.cancelled
                FROM first_qty fq JOIN order_line ol ON ol.id = fq.line_id JOIN orders o ON o.id = ol.order_id
                WHERE 1 = 1\(filter)
                """, arguments: SQLArguments(args))
            var weeks: [Day: (lines: Int, full: Int)] = [:]
            for r in rows {
                guard let d = Day(r[0] as String) else { continue }
                // 1970-01-01 was a Thursday: Monday-based week start.
                let monday = d.adding(days: -((d.ordinal + 3) % 7))
                var w = weeks[monday] ?? (0, 0)
                w.lines += 1
                if r[1] as Bool { w.full += 1 }
                weeks[monday] = w
            }
            return Report(name: "fill-rate", columns: ["week", "lines", "shipped_in_full", "rate_percent"],
                          rows: weeks.keys.sorted().map { k in
                let w = weeks[k]!
                return [.text(k.description), .int(w.lines), .int(w.full), .int(w.lines == 0 ? 0 : (w.full * 100 + w.lines / 2) / w.lines)]
            })
        }
    }

    /// Exports use the import column names where the kinds overlap.
    public func export(_ kind: ExportKind) throws -> Report {
        return try reading { db in
            func rows(_ sql: String) throws -> [[Report.Value]] {
                try db.fetchAll(sql: sql).map { r in
                    (0..<r.count).map { i in
                        switch r[i] as DatabaseValue {
                        case let v where v.isNull: return .null
                        case let v: if let n = Int.fromDatabaseValue(v) { return .int(n) } else { return .text(String.fromDatabaseValue(v) ?? "") }
                        }
                    }
                }
            }
            switch kind {
            case .orders:
                return Report(name: "orders", columns: ["number", "customer", "location", "status", "policy", "priority", "entered_seq",
                                                        "entered_date", "schedule_date", "parent", "prepaid_cents", "handling_cents", "bo_lines"],
                              rows: try rows("""
                    SELECT o.number, c.code, l.code, CASE WHEN o.status = 'open' AND o.bo_lines > 0 THEN 'backorder' ELSE o.status END,
                           o.policy, o.priority, o.entered_seq, o.entered_day, o.schedule_date, p.number, o.prepaid_cents,
                           o.handling_cents, o.bo_lines
                    FROM orders o JOIN customer c ON c.id = o.customer_id JOIN location l ON l.id = o.location_id
                    LEFT JOIN orders p ON p.id = o.parent_id ORDER BY o.id
                    """))
            case .lines:
                return Report(name: "lines", columns: ["order_ref", "line", "customer", "lic", "qty", "unit_cents", "location", "priority",
                                                       "allotted", "shipped", "cancelled", "invoiced", "bo", "whole_line"],
                              rows: try rows("""
                    SELECT o.number, ol.line_no, c.code, li.code, ol.ordered, ol.unit_cents, loc.code, ol.priority, ol.allotted,
                           ol.shipped, ol.cancelled, ol.invoiced, ol.bo, ol.whole_line
                    FROM order_line ol JOIN orders o ON o.id = ol.order_id JOIN customer c ON c.id = o.customer_id
                    JOIN lic li ON li.id = ol.lic_id JOIN location loc ON loc.id = ol.location_id ORDER BY ol.order_id, ol.line_no
                    """))
            case .lics:
                return Report(name: "lics", columns: ["code", "description", "price_cents", "min_stock", "reorder_multiple", "vendor", "inventoried"],
                              rows: try rows("""
                    SELECT li.code, li.description, li.price_cents, li.min_stock, li.reorder_multiple, v.code,
                           CASE WHEN li.inventoried = 1 THEN 'true' ELSE 'false' END
                    FROM lic li LEFT JOIN vendor v ON v.id = li.vendor_id ORDER BY li.code
                    """))
            case .ledger:
                return Report(name: "ledger", columns: ["id", "at", "lic", "location", "kind", "qty", "order", "shipment", "po", "actor", "reason"],
                              rows: try rows("""
                    SELECT g.id, g.at, li.code, loc.code, g.kind, g.qty, o.number, g.shipment_id, p.number, g.actor, g.reason
                    FROM ledger g JOIN lic li ON li.id = g.lic_id JOIN location loc ON loc.id = g.location_id
                    LEFT JOIN orders o ON o.id = g.order_id LEFT JOIN purchase_order p ON p.id = g.po_id ORDER BY g.id
                    """))
            }
        }
    }
}
