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
    public func importCSV(_ kind: ImportKind, url: URL, split: SplitAnswer? = nil) throws -> ImportResult {
        try importCSV(kind, table: CSVTable(url: url, required: kind.required), split: split)
    }

    public func importCSV(_ kind: ImportKind, table: CSVTable, split: SplitAnswer? = nil) throws -> ImportResult {
        try require(.admin, to: "importing")
        switch kind {
        case .locations: return try importCoded(table, kind: kind, sqlTable: "location", label: "location") { r in ["name": r["name"]] }
        case .vendors: return try importCoded(table, kind: kind, sqlTable: "vendor", label: "vendor") { r in ["name": r["name"]] }
        case .customers:
            return try importCoded(table, kind: kind, sqlTable: "customer", label: "customer") { r in
                let terms = r["terms"].lowercased()
                guard terms.isEmpty || Terms(rawValue: terms) != nil else { throw r.fail("terms", "'\(r["terms"])' is not ar or cod") }
                return ["name": r["name"], "priority": try r.int("priority", default: 0, range: 0...9),
                        "terms": terms.isEmpty ? "ar" : terms]
            }
        case .lics:
            return try importCoded(table, kind: kind, sqlTable: "lic", label: "LIC") { [self] r in
                var vendorID: Int64?
                if !r["vendor"].isEmpty {
                    vendorID = try read { db in try Int64.fetchOne(db, sql: "SELECT id FROM vendor WHERE code = ?", arguments: [r["vendor"].uppercased()]) }
                    guard vendorID != nil else { throw r.fail("vendor", "unknown vendor '\(r["vendor"])'") }
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
                             columns: (CSVTable.Row) throws -> [String: DatabaseValueConvertible?]) throws -> ImportResult {
        var prepared: [(String, [String: DatabaseValueConvertible?])] = []
        var seen = Set<String>()
        for r in table.rows {
            let code: String
            do { code = try Input.code(try r.required("code"), kind: label) } catch let e as DeskError { throw r.fail("code", e.description) }
            guard seen.insert(code).inserted else { throw r.fail("code", "\(code) appears twice in the file") }
            prepared.append((code, try columns(r)))
        }
        try write { e in
            for (code, cols) in prepared {
                let exists = try Int.fetchOne(e.db, sql: "SELECT count(*) FROM \(sqlTable) WHERE code = ?", arguments: [code]) ?? 0
                let names = cols.keys.sorted()
                if exists > 0 {
                    // Re-importing updates the record (the file is the master list).
                    guard !names.isEmpty else { continue }
                    try e.db.execute(sql: "UPDATE \(sqlTable) SET \(names.map { "\($0) = ?" }.joined(separator: ", ")) WHERE code = ?",
                                     arguments: StatementArguments(names.map { cols[$0]! } + [code]))
                } else {
                    let all = ["code"] + names
                    try e.db.execute(sql: "INSERT INTO \(sqlTable) (\(all.joined(separator: ", "))) VALUES (\(all.map { _ in "?" }.joined(separator: ", ")))",
                                     arguments: StatementArguments([code] + names.map { cols[$0]! }))
                }
            }
        }
        return ImportResult(kind: kind.rawValue, rows: table.rows.count, created: prepared.map(\.0))
    }

    private func importStock(_ table: CSVTable) throws -> ImportResult {
        try write { e in
            for r in table.rows {
                guard let licID = try Int64.fetchOne(e.db, sql: "SELECT id FROM lic WHERE code = ?", arguments: [try r.required("lic").uppercased()]) else {
                    throw r.fail("lic", "unknown LIC '\(r["lic"])'")
                }
                let loc = r["location"].isEmpty ? "MAIN" : r["location"].uppercased()
                guard let locID = try Int64.fetchOne(e.db, sql: "SELECT id FROM location WHERE code = ?", arguments: [loc]) else {
                    throw r.fail("location", "unknown location '\(loc)'")
                }
                let qty = try r.int("qty", range: 1...Input.maxQuantity)
                do { try e.receive(StockKey(licID: licID, locationID: locID), qty: qty, reason: "stock import") }
                catch let err as DeskError { throw r.fail("lic", err.description) }
            }
            try e.finish()
        }
        return ImportResult(kind: ImportKind.stock.rawValue, rows: table.rows.count, created: [])
    }

    /// Rows sharing a po_ref form one open purchase order; it is numbered from the PO sequence
    /// like every other (po_ref only groups the rows: the import reports the numbers it made).
    private func importPurchaseOrders(_ table: CSVTable) throws -> ImportResult {
        var groups: [(ref: String, rows: [CSVTable.Row])] = []
        var index: [String: Int] = [:]
        for r in table.rows {
            let ref = try r.required("po_ref")
            if let i = index[ref] { groups[i].rows.append(r) } else { index[ref] = groups.count; groups.append((ref, [r])) }
        }
        let today = clock.today
        let made: [String] = try write { e in
            var numbers: [String] = []
            for g in groups {
                let first = g.rows[0]
                for r in g.rows.dropFirst() {
                    for column in ["vendor", "location", "order_date", "expected"] where r[column] != first[column] {
                        throw r.fail(column, "differs from the first row of PO \(g.ref) (row \(first.number))")
                    }
                }
                guard let vendorID = try Int64.fetchOne(e.db, sql: "SELECT id FROM vendor WHERE code = ?", arguments: [try first.required("vendor").uppercased()]) else {
                    throw first.fail("vendor", "unknown vendor '\(first["vendor"])'")
                }
                let loc = first["location"].isEmpty ? "MAIN" : first["location"].uppercased()
                guard let locationID = try Int64.fetchOne(e.db, sql: "SELECT id FROM location WHERE code = ?", arguments: [loc]) else {
                    throw first.fail("location", "unknown location '\(loc)'")
                }
                var lines: [(licID: Int64, qty: Int)] = []
                for r in g.rows {
                    guard let licID = try Int64.fetchOne(e.db, sql: "SELECT id FROM lic WHERE code = ?", arguments: [try r.required("lic").uppercased()]) else {
                        throw r.fail("lic", "unknown LIC '\(r["lic"])'")
                    }
                    lines.append((licID, try r.int("qty", range: 1...Input.maxQuantity)))
                }
                var po = NewPurchaseOrder(vendorID: vendorID, locationID: locationID, orderDate: try first.day("order_date") ?? today,
                                          expected: try first.day("expected"), lines: lines)
                do {
                    let id = try e.createPurchaseOrder(po)
                    numbers.append(try String.fetchOne(e.db, sql: "SELECT number FROM purchase_order WHERE id = ?", arguments: [id])!)
                } catch let err as DeskError { throw first.fail("po_ref", err.description) }
            }
            return numbers
        }
        return ImportResult(kind: ImportKind.purchaseOrders.rawValue, rows: table.rows.count, created: made)
    }

    /// Orders go through the same entry as typed ones (fair queue, priorities, the split answer).
    private func importOrders(_ table: CSVTable, split: SplitAnswer?) throws -> ImportResult {
        struct Group { var ref: String; var rows: [CSVTable.Row] }
        var groups: [Group] = []
        var index: [String: Int] = [:]
        for r in table.rows {
            let ref = try r.required("order_ref")
            if let i = index[ref] { groups[i].rows.append(r) } else { index[ref] = groups.count; groups.append(Group(ref: ref, rows: [r])) }
        }
        let numbers: [String] = try write { e in
            var made: [String] = []
            for g in groups {
                let first = g.rows[0]
                for r in g.rows.dropFirst() {
                    for column in ["customer", "location", "priority", "policy", "schedule_date", "entered_date"] where r[column] != first[column] {
                        throw r.fail(column, "differs from the first row of order \(g.ref) (row \(first.number))")
                    }
                }
                guard let customerID = try Int64.fetchOne(e.db, sql: "SELECT id FROM customer WHERE code = ?", arguments: [first["customer"].uppercased()]) else {
                    throw first.fail("customer", "unknown customer '\(first["customer"])'")
                }
                let loc = first["location"].isEmpty ? "MAIN" : first["location"].uppercased()
                guard let locationID = try Int64.fetchOne(e.db, sql: "SELECT id FROM location WHERE code = ?", arguments: [loc]) else {
                    throw first.fail("location", "unknown location '\(loc)'")
                }
                let defaultPriority = try Int.fetchOne(e.db, sql: "SELECT priority FROM customer WHERE id = ?", arguments: [customerID]) ?? 0
                let priority = try first.int("priority", default: defaultPriority, range: 0...9)
                var policy = e.prefs.defaultPolicy
                if !first["policy"].isEmpty {
                    guard let p = FulfillmentPolicy(rawValue: first["policy"].lowercased()) else {
                        throw first.fail("policy", "'\(first["policy"])' is not partial, complete, partial-cancel or complete-or-cancel")
                    }
                    policy = p
                }
                var lines: [NewOrder.Line] = []
                for r in g.rows {
                    guard let licID = try Int64.fetchOne(e.db, sql: "SELECT id FROM lic WHERE code = ?", arguments: [try r.required("lic").uppercased()]) else {
                        throw r.fail("lic", "unknown LIC '\(r["lic"])'")
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
                    let row = g.rows[min(e.entryLineIndex, g.rows.count - 1)]
                    var message = err.description
                    if case .question(.split) = err { message += " Import with --split yes or --split no." }
                    throw row.fail("qty", "order \(g.ref): \(message)")
                }
            }
            return made
        }
        return ImportResult(kind: ImportKind.orders.rawValue, rows: table.rows.count, created: numbers)
    }
}
