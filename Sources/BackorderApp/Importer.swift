import BackorderCore
import BackorderStore
import Foundation
import GRDB

/// CSV imports (columns as in cli.md). Each import reads and checks the whole file first, then
/// writes it in one transaction: a bad row is reported by row and column and nothing is written.
public enum ImportKind: String, CaseIterable, Sendable {
    case lics, customers, vendors, locations, orders, stock
    case purchaseOrders = "purchase-orders"

    var required: [String] {
        switch self {
        case .lics: return ["code"]
        case .customers, .vendors, .locations: return ["code"]
        case .stock: return ["lic", "qty"]
        case .orders: return ["order_ref", "customer", "lic", "qty"]
        case .purchaseOrders: return ["po_ref", "vendor", "lic", "qty"]
        }
    }
}

public struct ImportResult: JSONConvertible, Sendable {
    public var kind: String
    public var rows: Int
    public var created: [String]
    public var json: JSON {
        .object([("kind", .string(kind)), ("rows", .int(rows)), ("created", .int(created.count)),
                 ("numbers", .array(created.prefix(1000).map { .string($0) }))])
    }
}

extension Desk {
    /// `progress` hears (rows imported, rows in all) as the checked file is written.
    public func importCSV(_ kind: ImportKind, url: URL, split: SplitAnswer? = nil,
                          progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> ImportResult {
        try require(.admin, to: "importing")
        var table = try CSVTable(url: url, required: kind.required)
        table.progress = progress
        return try importCSV(kind, table: table, split: split)
    }

    /// Checks the whole table (done when it was read), then writes it in one transaction under the
    /// "import" lease, so that a writer kept waiting can be told an import is running.
    public func importCSV(_ kind: ImportKind, table: CSVTable, split: SplitAnswer? = nil) throws -> ImportResult {
        try require(.admin, to: "importing")
        guard let lease = try Lease.acquire(database, name: "import", wait: AppDatabase.busyTimeout,
                                            what: "an import of \(table.file) (\(kind.rawValue), \(Input.grouped(table.rowCount)) rows) by \(user.name)") else {
            let who = (try? Lease.holder(database, name: "import")).flatMap { $0 }
            throw DeskError.refused("another import is running\(who.map { ": \($0.title) (\($0.who))" } ?? ""); nothing was imported, try again when it finishes")
        }
        defer { lease.release() }
        switch kind {
        case .locations: return try importCoded(table, kind: kind, sqlTable: "location", label: "location") { r, _ in ["name": r["name"]] }
        case .vendors: return try importCoded(table, kind: kind, sqlTable: "vendor", label: "vendor") { r, _ in ["name": r["name"]] }
        case .customers:
            return try importCoded(table, kind: kind, sqlTable: "customer", label: "customer") { r, _ in
                let terms = r["terms"].lowercased()
                guard terms.isEmpty || Terms(rawValue: terms) != nil else { throw r.fail("terms", "\(Input.quote(r["terms"])) is not ar or cod") }
                return ["name": r["name"], "priority": try r.int("priority", default: 0, range: 0...9),
                        "terms": terms.isEmpty ? "ar" : terms]
            }
        case .lics:
            return try importCoded(table, kind: kind, sqlTable: "lic", label: "LIC") { r, db in
                var vendorID: Int64?
                if !r["vendor"].isEmpty {
                    vendorID = try Int64.fetchOne(db, sql: "SELECT id FROM vendor WHERE code = ?", arguments: [r["vendor"].uppercased()])
                    guard vendorID != nil else { throw r.fail("vendor", "unknown vendor \(Input.quote(r["vendor"]))") }
                }
                return ["description": r["description"],
                        "price_cents": try r.int("price_cents", default: 0, range: 0...100_000_000_000),
                        "min_stock": try r.int("min_stock", default: 0, range: 0...Input.maxQuantity),
                        "reorder_multiple": try r.int("reorder_multiple", default: 1, range: 1...Input.maxQuantity),
                        "vendor_id": vendorID, "inventoried": try r.bool("inventoried", default: true)]
            }
        case .stock: return try importStock(table)
        case .orders: return try importOrders(table, split: split)
        case .purchaseOrders: return try importPurchaseOrders(table)
        }
    }

    private func importCoded(_ table: CSVTable, kind: ImportKind, sqlTable: String, label: String,
                             columns: @escaping (CSVTable.Row, Database) throws -> [String: DatabaseValueConvertible?]) throws -> ImportResult {
        let made: [String] = try write { e in
            var seen = Set<String>()
            var made: [String] = []
            try table.forEachRow { r in
                let code: String
                do { code = try Input.code(try r.required("code"), kind: label) } catch let e as DeskError { throw r.fail("code", e.description) }
                guard seen.insert(code).inserted else { throw r.fail("code", "\(code) appears twice in the file") }
                let cols = try columns(r, e.db)
                let exists = try Int.fetchOne(e.db, sql: "SELECT count(*) FROM \(sqlTable) WHERE code = ?", arguments: [code]) ?? 0
                let names = cols.keys.sorted()
                if exists > 0 {
                    // Re-importing updates the record (the file is the master list).
                    guard !names.isEmpty else { return }
                    try e.db.execute(sql: "UPDATE \(sqlTable) SET \(names.map { "\($0) = ?" }.joined(separator: ", ")) WHERE code = ?",
                                     arguments: StatementArguments(names.map { cols[$0]! } + [code]))
                } else {
                    let all = ["code"] + names
                    try e.db.execute(sql: "INSERT INTO \(sqlTable) (\(all.joined(separator: ", "))) VALUES (\(all.map { _ in "?" }.joined(separator: ", ")))",
                                     arguments: StatementArguments([code] + names.map { cols[$0]! }))
                }
                made.append(code)
            }
            return made
        }
        return ImportResult(kind: kind.rawValue, rows: table.rowCount, created: made)
    }

    private func importStock(_ table: CSVTable) throws -> ImportResult {
        try write { e in
            try table.forEachRow { r in
                guard let licID = try Int64.fetchOne(e.db, sql: "SELECT id FROM lic WHERE code = ?", arguments: [try r.required("lic").uppercased()]) else {
                    throw r.fail("lic", "unknown LIC \(Input.quote(r["lic"]))")
                }
                let loc = r["location"].isEmpty ? "MAIN" : r["location"].uppercased()
                guard let locID = try Int64.fetchOne(e.db, sql: "SELECT id FROM location WHERE code = ?", arguments: [loc]) else {
                    throw r.fail("location", "unknown location \(Input.quote(loc))")
                }
                let qty = try r.int("qty", range: 1...Input.maxQuantity)
                do { try e.receive(StockKey(licID: licID, locationID: locID), qty: qty, reason: "stock import") }
                catch let err as DeskError { throw r.fail("lic", err.description) }
            }
            try e.finish()
        }
        return ImportResult(kind: ImportKind.stock.rawValue, rows: table.rowCount, created: [])
    }

    /// Rows sharing a reference (order_ref, po_ref), which must stand together in the file, handed
    /// over a group at a time.
    private func forEachGroup(_ table: CSVTable, column: String, noun: String, _ body: (String, [CSVTable.Row]) throws -> Void) throws {
        var done = Set<String>()
        var current: (ref: String, rows: [CSVTable.Row])?
        try table.forEachRow { r in
            let ref = try r.required(column)
            if let c = current, c.ref == ref { current!.rows.append(r); return }
            if let c = current { try body(c.ref, c.rows); done.insert(c.ref) }
            guard !done.contains(ref) else {
                throw r.fail(column, "\(noun) \(Input.quote(ref)) appeared earlier in the file; the rows of one \(noun) must stand together")
            }
            current = (ref, [r])
        }
        if let c = current { try body(c.ref, c.rows) }
    }

    /// Rows sharing a po_ref form one open purchase order; it is numbered from the PO sequence
    /// like every other (po_ref only groups the rows: the import reports the numbers it made).
    private func importPurchaseOrders(_ table: CSVTable) throws -> ImportResult {
        let today = clock.today
        let made: [String] = try write { e in
            var numbers: [String] = []
            try forEachGroup(table, column: "po_ref", noun: "purchase order") { ref, rows in
                let first = rows[0]
                for r in rows.dropFirst() {
                    for column in ["vendor", "location", "order_date", "expected"] where r[column] != first[column] {
                        throw r.fail(column, "differs from the first row of PO \(Input.quote(ref)) (row \(first.number))")
                    }
                }
                guard let vendorID = try Int64.fetchOne(e.db, sql: "SELECT id FROM vendor WHERE code = ?", arguments: [try first.required("vendor").uppercased()]) else {
                    throw first.fail("vendor", "unknown vendor \(Input.quote(first["vendor"]))")
                }
                let loc = first["location"].isEmpty ? "MAIN" : first["location"].uppercased()
                guard let locationID = try Int64.fetchOne(e.db, sql: "SELECT id FROM location WHERE code = ?", arguments: [loc]) else {
                    throw first.fail("location", "unknown location \(Input.quote(loc))")
                }
                var lines: [(licID: Int64, qty: Int)] = []
                for r in rows {
                    guard let licID = try Int64.fetchOne(e.db, sql: "SELECT id FROM lic WHERE code = ?", arguments: [try r.required("lic").uppercased()]) else {
                        throw r.fail("lic", "unknown LIC \(Input.quote(r["lic"]))")
                    }
                    lines.append((licID, try r.int("qty", range: 1...Input.maxQuantity)))
                }
                let po = NewPurchaseOrder(vendorID: vendorID, locationID: locationID, orderDate: try first.day("order_date") ?? today,
                                          expected: try first.day("expected"), lines: lines)
                do {
                    let id = try e.createPurchaseOrder(po)
                    numbers.append(try String.fetchOne(e.db, sql: "SELECT number FROM purchase_order WHERE id = ?", arguments: [id])!)
                } catch let err as DeskError { throw first.fail("po_ref", err.description) }
            }
            return numbers
        }
        return ImportResult(kind: ImportKind.purchaseOrders.rawValue, rows: table.rowCount, created: made)
    }

    /// Orders go through the same entry as typed ones (fair queue, priorities, the split answer).
    private func importOrders(_ table: CSVTable, split: SplitAnswer?) throws -> ImportResult {
        let numbers: [String] = try write { e in
            var made: [String] = []
            try forEachGroup(table, column: "order_ref", noun: "order") { ref, rows in
                let first = rows[0]
                for r in rows.dropFirst() {
                    for column in ["customer", "location", "priority", "policy", "schedule_date", "entered_date"] where r[column] != first[column] {
                        throw r.fail(column, "differs from the first row of order \(Input.quote(ref)) (row \(first.number))")
                    }
                }
                guard let customerID = try Int64.fetchOne(e.db, sql: "SELECT id FROM customer WHERE code = ?", arguments: [first["customer"].uppercased()]) else {
                    throw first.fail("customer", "unknown customer \(Input.quote(first["customer"]))")
                }
                let loc = first["location"].isEmpty ? "MAIN" : first["location"].uppercased()
                guard let locationID = try Int64.fetchOne(e.db, sql: "SELECT id FROM location WHERE code = ?", arguments: [loc]) else {
                    throw first.fail("location", "unknown location \(Input.quote(loc))")
                }
                let defaultPriority = try Int.fetchOne(e.db, sql: "SELECT priority FROM customer WHERE id = ?", arguments: [customerID]) ?? 0
                let priority = try first.int("priority", default: defaultPriority, range: 0...9)
                var policy = e.prefs.defaultPolicy
                if !first["policy"].isEmpty {
                    guard let p = FulfillmentPolicy(rawValue: first["policy"].lowercased()) else {
                        throw first.fail("policy", "\(Input.quote(first["policy"])) is not partial, complete, partial-cancel or complete-or-cancel")
                    }
                    policy = p
                }
                var lines: [NewOrder.Line] = []
                for r in rows {
                    guard let licID = try Int64.fetchOne(e.db, sql: "SELECT id FROM lic WHERE code = ?", arguments: [try r.required("lic").uppercased()]) else {
                        throw r.fail("lic", "unknown LIC \(Input.quote(r["lic"]))")
                    }
                    let price = try Int.fetchOne(e.db, sql: "SELECT price_cents FROM lic WHERE id = ?", arguments: [licID]) ?? 0
                    lines.append(.init(licID: licID, quantity: try r.int("qty", range: 1...Input.maxQuantity),
                                       unitCents: try r.int("unit_cents", default: price, range: 0...100_000_000_000)))
                }
                var new = NewOrder(customerID: customerID, locationID: locationID, priority: priority, policy: policy, lines: lines)
                new.scheduleDate = try first.day("schedule_date")
                new.split = split
                if policy == .completeOrCancel { new.ifShort = .keep }
                let entered = table.header.contains("entered_date") ? try first.day("entered_date") : nil
                do {
                    let id = try e.enterOrder(new, enteredDay: entered)
                    made.append(try String.fetchOne(e.db, sql: "SELECT number FROM orders WHERE id = ?", arguments: [id])!)
                } catch let err as DeskError {
                    let row = rows[min(e.entryLineIndex, rows.count - 1)]
                    var message = err.description
                    if case .question(.split) = err { message += " Import with --split yes or --split no." }
                    throw row.fail("qty", "order \(Input.quote(ref)): \(message)")
                }
            }
            return made
        }
        return ImportResult(kind: ImportKind.orders.rawValue, rows: table.rowCount, created: numbers)
    }
}
