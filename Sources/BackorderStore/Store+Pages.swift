import BackorderCore
import GRDB

// The paged lists (keyset paging, `KeysetList`) and their counts and positions.

// MARK: - Orders

extension SQLStore {
    /// The Orders list, newest first. `filter` is words, all of which must match: a status
    /// (open, backorder, invoiced, closed, cancelled, void), an order number's start, or a
    /// customer's code (start) or name (anywhere).
    func orderList(filter: String) -> KeysetList {
        var list = KeysetList(
            columns: """
                o.id, o.number, c.code, c.name, o.status, o.bo_lines, o.priority, l.code, o.entered_day, o.policy,
                (SELECT count(*) FROM order_line x WHERE x.order_id = o.id), o.entered_seq
                """,
            from: "FROM orders o JOIN customer c ON c.id = o.customer_id JOIN location l ON l.id = o.location_id",
            keyFrom: "FROM orders o", countFrom: "FROM orders o", idColumn: "o.id", sort: ["o.id"], descending: true)
        for word in SearchTerm.words(filter) {
            let w = word.lowercased()
            if w == "bo" || w == "backorder" || w == "backorders" || w == "backordered" {
                list.conditions.append("o.status = 'open' AND o.bo_lines > 0")
            } else if let s = OrderStatus(rawValue: w) {
                if s == .open { list.conditions.append("o.status = 'open' AND o.bo_lines = 0") }
                else { list.conditions.append("o.status = ?"); list.arguments.append(s.rawValue) }
            } else if w.allSatisfy({ $0.isNumber || $0 == "." }) {
                list.conditions.append("o.number LIKE ? ESCAPE '\\'")
                list.arguments.append(SearchTerm.like(word, contains: false))
            } else {
                list.conditions.append("o.customer_id IN (SELECT id FROM customer WHERE code LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')")
                list.arguments += [SearchTerm.like(word, contains: false), SearchTerm.like(word, contains: true)]
            }
        }
        return list
    }

    public func orderCount(filter: String) throws -> Int {
        try reading { db in try orderList(filter: filter).count(db) }
    }

    public func orderPage(filter: String, anchor: PageAnchor, limit: Int) throws -> [OrderListItem] {
        try reading { db in
            try orderList(filter: filter).page(db, anchor: anchor, limit: limit).map { r in
                OrderListItem(id: r[0], number: r[1], customer: r[2], customerName: r[3],
                              status: OrderStatus.shown(r[4], boLines: r[5]), priority: r[6], location: r[7],
                              enteredSeq: r[11], enteredDay: r[8], policy: r[9], lines: r[10], boLines: r[5])
            }
        }
    }

    /// Where the order with this id is in the filtered list (nil: not in it).
    public func orderPosition(filter: String, id: Int64) throws -> Int? {
        try reading { db in try orderList(filter: filter).position(db, id: id) }
    }
}

// MARK: - Backordered lines

extension SQLStore {
    /// Every BO line, through the `line_bo` partial index. `filter` words each match an order
    /// number's start, a customer (code start or name), or a LIC (code start or description); a
    /// word that is a location's code matches the location column only (EAST is the East branch,
    /// not every customer with "east" in its name).
    func backorderList(sort: BackorderSort, filter: String, db: SQLConnection) throws -> KeysetList {
        let locationCodes = Set(try db.fetchAll(String.self, sql: "SELECT code FROM location"))
        let from = """
            FROM order_line ol JOIN orders o ON o.id = ol.order_id JOIN customer c ON c.id = o.customer_id
            JOIN lic li ON li.id = ol.lic_id JOIN location l ON l.id = ol.location_id
            """
        let sortFrom: String
        switch sort {
        case .age, .priority: sortFrom = "FROM order_line ol"
        case .lic: sortFrom = "FROM order_line ol JOIN lic li ON li.id = ol.lic_id"
        case .customer: sortFrom = "FROM order_line ol JOIN orders o ON o.id = ol.order_id JOIN customer c ON c.id = o.customer_id"
        }
        var list = KeysetList(
            columns: """
                ol.id, o.number, ol.line_no, c.code, c.name, li.code, li.description, l.code, ol.ordered, ol.shipped,
                ol.cancelled, ol.allotted, ol.whole_line, ol.priority, o.entered_day
                """,
            from: from, keyFrom: sortFrom, countFrom: SearchTerm.words(filter).isEmpty ? sortFrom : from,
            idColumn: "ol.id", conditions: ["ol.bo = 1"], sort: sort.key)
        for word in SearchTerm.words(filter) {
            if locationCodes.contains(word.uppercased()) {
                list.conditions.append("ol.location_id = (SELECT id FROM location WHERE code = ?)")
                list.arguments.append(word.uppercased())
                continue
            }
            let start = SearchTerm.like(word, contains: false), anywhere = SearchTerm.like(word, contains: true)
            list.conditions.append("""
                o.number LIKE ? ESCAPE '\\' OR c.code LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\'
                OR li.code LIKE ? ESCAPE '\\' OR li.description LIKE ? ESCAPE '\\'
                """)
            list.arguments += [start, start, anywhere, start, anywhere]
        }
        return list
    }

    public func backorderCount(sort: BackorderSort, filter: String) throws -> Int {
        try reading { db in
            // Unfiltered, whatever the sort, it is the BO-line cache's total (a few thousand rows).
            if SearchTerm.words(filter).isEmpty {
                return try db.fetchOne(Int.self, sql: "SELECT coalesce(sum(lines), 0) FROM bo_block") ?? 0
            }
            return try backorderList(sort: sort, filter: filter, db: db).count(db)
        }
    }

    /// Units backordered over the whole (filtered) list, for the list's title.
    public func backorderUnits(filter: String) throws -> Int {
        try reading { db in
            // Unfiltered, it is every queue's backordered figure: the balances hold it.
            if SearchTerm.words(filter).isEmpty {
                return try db.fetchOne(Int.self, sql: "SELECT coalesce(sum(demand - allotted), 0) FROM balance") ?? 0
            }
            let list = try backorderList(sort: .age, filter: filter, db: db)
            return try db.fetchOne(Int.self, sql: """
                SELECT coalesce(sum(ol.ordered - ol.cancelled - ol.shipped - ol.allotted), 0) \(list.countFrom ?? list.from)
                WHERE \(list.conditions.map { "(\($0))" }.joined(separator: " AND "))
                """, arguments: SQLArguments(list.arguments)) ?? 0
        }
    }

    public func backorderPage(sort: BackorderSort, filter: String, anchor: PageAnchor, limit: Int, today: Day) throws -> [BackorderLine] {
        try reading { db in
            let rows = try backorderList(sort: sort, filter: filter, db: db).page(db, anchor: anchor, limit: limit)
            let dates = try Self.purchasingDates(db, lineIDs: rows.map { $0[0] as Int64 }, contiguous: false, today: today)
            return rows.map { r in
                let id: Int64 = r[0]
                return BackorderLine(lineID: id, order: r[1], line: r[2], customer: r[3], customerName: r[4], lic: r[5],
                                     description: r[6], location: r[7], ordered: r[8], shipped: r[9], cancelled: r[10],
                                     allotted: r[11], wholeLine: r[12], priority: r[13], enteredDay: r[14],
                                     promise: dates[id]?.promise, projected: dates[id]?.projected)
            }
        }
    }

    public func backorderPosition(sort: BackorderSort, filter: String, lineID: Int64) throws -> Int? {
        try reading { db in
            if sort == .age || sort == .priority, SearchTerm.words(filter).isEmpty {
                return try Self.cachedPosition(db, lineID: lineID, byPriority: sort == .priority)
            }
            return try backorderList(sort: sort, filter: filter, db: db).position(db, id: lineID)
        }
    }

    /// A BO line's index in the unfiltered list by age (or by priority, then age): the cached
    /// counts of the entry-sequence blocks before its own (at higher priorities or its own), plus
    /// the lines before it in its block — a short range of `line_bo` (or `line_bo_priority`).
    static func cachedPosition(_ db: SQLConnection, lineID: Int64, byPriority: Bool) throws -> Int? {
        guard let key = try db.fetchOne(sql: "SELECT entered_seq, order_id, line_no, priority FROM order_line WHERE id = ? AND bo = 1",
                                         arguments: [lineID]) else { return nil }
        let seq: Int64 = key[0], priority: Int = key[3]
        let block = seq >> Derivation.blockShift
        if byPriority {
            let before = try db.fetchOne(Int.self, sql: """
                SELECT coalesce(sum(lines), 0) FROM bo_block WHERE priority > ?1 OR (priority = ?1 AND block < ?2)
                """, arguments: [priority, block]) ?? 0
            let inBlock = try db.fetchOne(Int.self, sql: """
                SELECT count(*) FROM order_line WHERE bo = 1 AND neg_priority = ? AND entered_seq >= ?
                  AND (entered_seq, order_id, line_no) < (?, ?, ?)
                """, arguments: [-priority, block << Derivation.blockShift, seq, key[1], key[2]]) ?? 0
            return before + inBlock
        }
        let before = try db.fetchOne(Int.self, sql: "SELECT coalesce(sum(lines), 0) FROM bo_block WHERE block < ?", arguments: [block]) ?? 0
        let inBlock = try db.fetchOne(Int.self, sql: """
            SELECT count(*) FROM order_line WHERE bo = 1 AND entered_seq >= ?
              AND (entered_seq, order_id, line_no) < (?, ?, ?)
            """, arguments: [block << Derivation.blockShift, seq, key[1], key[2]]) ?? 0
        return before + inBlock
    }
}

// MARK: - LICs with their balance at a location

extension SQLStore {
    /// LICs by code (the unique index on `lic.code`); `filter` words match a code's start or
    /// anywhere in the description.
    func licList(location: String, filter: String, db: SQLConnection) throws -> KeysetList {
        let locationID = try Lookup.locationID(db, location)
        var list = KeysetList(
            columns: """
                li.id, li.code, li.description, li.inventoried, li.min_stock, coalesce(b.on_hand, 0), coalesce(b.allotted, 0),
                coalesce(b.demand, 0), coalesce(b.on_order, 0), coalesce(b.frozen, 0), coalesce(b.dedicated, 0)
                """,
            from: "FROM lic li LEFT JOIN balance b ON b.lic_id = li.id AND b.location_id = ?",
            fromArguments: [locationID], keyFrom: "FROM lic li", countFrom: "FROM lic li", idColumn: "li.id", sort: ["li.code"])
        for word in SearchTerm.words(filter) {
            list.conditions.append("li.code LIKE ? ESCAPE '\\' OR li.description LIKE ? ESCAPE '\\'")
            list.arguments += [SearchTerm.like(word, contains: false), SearchTerm.like(word, contains: true)]
        }
        return list
    }

    public func licCount(location: String, filter: String) throws -> Int {
        try reading { db in try licList(location: location, filter: filter, db: db).count(db) }
    }

    public func licPage(location: String, filter: String, anchor: PageAnchor, limit: Int) throws -> [LicListItem] {
        try reading { db in
            try licList(location: location, filter: filter, db: db).page(db, anchor: anchor, limit: limit).map { r in
                LicListItem(id: r[0], code: r[1], description: r[2], inventoried: r[3], minStock: r[4],
                            balance: Balance(onHand: r[5], allotted: r[6], demand: r[7], onOrder: r[8], frozen: r[9], dedicated: r[10]))
            }
        }
    }

    public func licPosition(location: String, filter: String, id: Int64) throws -> Int? {
        try reading { db in try licList(location: location, filter: filter, db: db).position(db, id: id) }
    }
}

// MARK: - A LIC's demand queue

extension SQLStore {
    /// Every open line of a (LIC, location) in allocation order (the `line_queue` index).
    func queueList(lic: String, location: String, db: SQLConnection) throws -> KeysetList {
        KeysetList(
            columns: """
                ol.id, o.number, ol.line_no, c.code, ol.priority, o.entered_day, ol.ordered - ol.cancelled - ol.shipped,
                ol.allotted, ol.whole_line, o.policy, o.bo_lines
                """,
            from: "FROM order_line ol JOIN orders o ON o.id = ol.order_id JOIN customer c ON c.id = o.customer_id",
            keyFrom: "FROM order_line ol", countFrom: "FROM order_line ol", idColumn: "ol.id",
            conditions: ["ol.lic_id = ? AND ol.location_id = ? AND ol.is_open = 1"],
            arguments: [try Lookup.licID(db, lic), try Lookup.locationID(db, location)],
            sort: ["-ol.priority", "ol.entered_seq", "ol.order_id", "ol.line_no"])
    }

    public func queueCount(lic: String, location: String) throws -> Int {
        try reading { db in try queueList(lic: lic, location: location, db: db).count(db) }
    }

    /// One page of the demand drill-down, with each line's position in the queue and the
    /// cumulative need up to and including it (the same figures as `lic(_:location:)`).
    public func queuePage(lic: String, location: String, anchor: PageAnchor, limit: Int, today: Day) throws -> [(lineID: Int64, entry: LicView.Entry)] {
        try reading { db in
            let list = try queueList(lic: lic, location: location, db: db)
            let rows = try list.page(db, anchor: anchor, limit: limit)
            guard let first = rows.first else { return [] }
            var (position, cumulative) = try list.before(db, id: first[0], sum: "ol.ordered - ol.cancelled - ol.shipped")
            let dates = try Self.purchasingDates(db, lineIDs: rows.map { $0[0] as Int64 }, contiguous: true,
                                                 startsQueue: position == 0, today: today)
            return rows.map { r in
                let need: Int = r[6]
                let allotted: Int = r[7]
                position += 1
                cumulative += need
                let state = Self.queueState(need: need, allotted: allotted, wholeLine: r[8],
                                            shipsComplete: FulfillmentPolicy(rawValue: r[9])?.shipsComplete ?? false,
                                            orderShort: (r[10] as Int) > 0)
                return (r[0], LicView.Entry(position: position, order: r[1], line: r[2], customer: r[3], priority: r[4],
                                            entered: r[5], need: need, allotted: allotted, cumulative: cumulative,
                                            state: state, attachedPO: dates[r[0]]?.po, promise: dates[r[0]]?.promise,
                                            projected: dates[r[0]]?.projected))
            }
        }
    }

    public func queuePosition(lic: String, location: String, lineID: Int64) throws -> Int? {
        try reading { db in try queueList(lic: lic, location: location, db: db).position(db, id: lineID) }
    }

    /// A queue line's state as `lic show` reports it: allotted in full, held (allotted but not
    /// shipping: a whole-line or ship-complete order still short), or waiting.
    static func queueState(need: Int, allotted: Int, wholeLine: Bool, shipsComplete: Bool, orderShort: Bool) -> String {
        if allotted > 0 && ((wholeLine && allotted < need) || (shipsComplete && orderShort)) { return "held" }
        if allotted >= need { return "allotted" }
        return "waiting"
    }
}

extension SQLStore {
    /// PO promise and projected fill date for a page of lines. A contiguous page of one queue is
    /// projected as one window; scattered lines (the Backorders list) one by one.
    static func purchasingDates(_ db: SQLConnection, lineIDs: [Int64], contiguous: Bool, startsQueue: Bool = false,
                                today: Day) throws -> [Int64: (po: String?, promise: String?, projected: String?)] {
        guard !lineIDs.isEmpty else { return [:] }
        let list = lineIDs.map(String.init).joined(separator: ",")
        let lines = try LineRow.fetchAll(db, sql: "WHERE id IN (\(list))")
        let promises = try promises(db, sql: "l.id IN (\(list)) AND l.attached > 0", arguments: [])
        let snapshot = Snapshot(db: db)
        var projected: [Int64: Day?] = [:]
        for (key, group) in Dictionary(grouping: lines.filter(\.bo), by: { StockKey(licID: $0.licID, locationID: $0.locationID) }) {
            if contiguous {
                projected.merge(try snapshot.projectedDates(key, today: today, window: group, windowStartsQueue: startsQueue)) { a, _ in a }
            } else {
                for line in group {
                    projected.merge(try snapshot.projectedDates(key, today: today, window: [line])) { a, _ in a }
                }
            }
        }
        var out: [Int64: (po: String?, promise: String?, projected: String?)] = [:]
        for id in lineIDs {
            out[id] = (promises[id]?.po, promises[id]?.promise, (projected[id] ?? nil)?.description)
        }
        return out
    }
}

// MARK: - Shipments to pick and ship

extension SQLStore {
    /// Pending and picked shipments, oldest first (the `shipment_open` index): the picking floor's list.
    func shipmentQueueList() -> KeysetList {
        KeysetList(
            columns: """
                s.id, o.number, c.code, c.name, l.code, s.status, s.created_at,
                coalesce((SELECT sum(qty) FROM shipment_item WHERE shipment_id = s.id), 0),
                (SELECT count(*) FROM shipment_item WHERE shipment_id = s.id)
                """,
            from: """
                FROM shipment s JOIN orders o ON o.id = s.order_id JOIN customer c ON c.id = s.customer_id
                JOIN location l ON l.id = s.location_id
                """,
            keyFrom: "FROM shipment s", countFrom: "FROM shipment s", idColumn: "s.id",
            conditions: ["s.status IN ('pending', 'picked')"], sort: ["s.id"])
    }

    public func shipmentQueueCount() throws -> Int {
        try reading { db in try shipmentQueueList().count(db) }
    }

    public func shipmentQueuePage(anchor: PageAnchor, limit: Int) throws -> [ShipmentSummary] {
        try reading { db in
            try shipmentQueueList().page(db, anchor: anchor, limit: limit).map { r in
                ShipmentSummary(id: r[0], order: r[1], customer: r[2], location: r[4], status: r[5], createdAt: r[6],
                                units: r[7], items: r[8], customerName: r[3])
            }
        }
    }

    public func shipmentQueuePosition(id: Int64) throws -> Int? {
        try reading { db in try shipmentQueueList().position(db, id: id) }
    }
}

// MARK: - Purchase orders

extension SQLStore {
    /// Purchase orders, newest first. `filter` words each match a status (draft, open,
    /// received, closed), a PO number's start, a vendor (code start or name) or a LIC on it.
    func purchaseOrderList(filter: String) -> KeysetList {
        var list = KeysetList(
            columns: """
                p.id, p.number, v.code, v.name, l.code, p.status, p.order_date, p.expected,
                (SELECT count(*) FROM po_line WHERE po_id = p.id),
                (SELECT coalesce(sum(qty - received - cancelled), 0) FROM po_line WHERE po_id = p.id),
                (SELECT count(DISTINCT a.line_id) FROM po_attachment a JOIN po_line pl ON pl.id = a.po_line_id WHERE pl.po_id = p.id)
                """,
            from: "FROM purchase_order p JOIN vendor v ON v.id = p.vendor_id JOIN location l ON l.id = p.location_id",
            keyFrom: "FROM purchase_order p", idColumn: "p.id", sort: ["p.id"], descending: true)
        for word in SearchTerm.words(filter) {
            let w = word.lowercased()
            if let status = PurchaseOrderStatus(rawValue: w) {
                list.conditions.append("p.status = ?")
                list.arguments.append(status.rawValue)
                continue
            }
            let start = SearchTerm.like(word, contains: false), anywhere = SearchTerm.like(word, contains: true)
            list.conditions.append("""
                p.number LIKE ? ESCAPE '\\' OR v.code LIKE ? ESCAPE '\\' OR v.name LIKE ? ESCAPE '\\'
                OR p.id IN (SELECT pl.po_id FROM po_line pl JOIN lic li ON li.id = pl.lic_id WHERE li.code LIKE ? ESCAPE '\\')
                """)
            list.arguments += [start, start, anywhere, start]
        }
        return list
    }

    public func purchaseOrderCount(filter: String) throws -> Int {
        try reading { db in try purchaseOrderList(filter: filter).count(db) }
    }

    public func purchaseOrderPage(filter: String, anchor: PageAnchor, limit: Int) throws -> [PurchaseOrderListItem] {
        try reading { db in
            try purchaseOrderList(filter: filter).page(db, anchor: anchor, limit: limit).map { r in
                PurchaseOrderListItem(id: r[0], number: r[1], vendor: r[2], vendorName: r[3], location: r[4], status: r[5],
                                      orderDate: r[6], expected: r[7], lines: r[8], openUnits: r[9], attachedLines: r[10])
            }
        }
    }

    public func purchaseOrderPosition(filter: String, id: Int64) throws -> Int? {
        try reading { db in try purchaseOrderList(filter: filter).position(db, id: id) }
    }
}

