import BackorderCore
import BackorderStore
import Foundation

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
    /// The import's own time in milliseconds, from the start of reading the file (or of writing
    /// a table already read) to its commit.
    public var elapsedMs: Double = 0
    public var json: JSON {
        .object([("kind", .string(kind)), ("rows", .int(rows)), ("created", .int(created.count)),
                 ("numbers", .array(created.prefix(1000).map { .string($0) })), ("elapsed_ms", .number(elapsedMs))])
    }
}

extension Desk {
    /// `progress` hears (rows imported, rows in all) as the checked file is written.
    public func importCSV(_ kind: ImportKind, url: URL, split: SplitAnswer? = nil,
                          progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> ImportResult {
        let started = DispatchTime.now().uptimeNanoseconds
        try require(.admin, to: "importing")
        var table = try CSVTable(url: url, required: kind.required)
        table.progress = progress
        var result = try importTable(kind, table: table, split: split)
        result.elapsedMs = Desk.milliseconds(since: started)
        return result
    }

    /// Checks the whole table (done when it was read), then writes it in one transaction under the
    /// "import" lease, so that a writer kept waiting can be told an import is running.
    public func importCSV(_ kind: ImportKind, table: CSVTable, split: SplitAnswer? = nil) throws -> ImportResult {
        let started = DispatchTime.now().uptimeNanoseconds
        var result = try importTable(kind, table: table, split: split)
        result.elapsedMs = Desk.milliseconds(since: started)
        return result
    }

    private func importTable(_ kind: ImportKind, table: CSVTable, split: SplitAnswer?) throws -> ImportResult {
        try require(.admin, to: "importing")
        guard let lease = try Lease.acquire(store, name: "import", wait: store.busyTimeout,
                                            what: "an import of \(table.file) (\(kind.rawValue), \(Input.grouped(table.rowCount)) rows) by \(user.name)") else {
            let who = (try? Lease.holder(store, name: "import")).flatMap { $0 }
            throw DeskError.refused("another import is running\(who.map { ": \($0.title) (\($0.who))" } ?? ""); nothing was imported, try again when it finishes")
        }
        defer { lease.release() }
        switch kind {
        case .locations: return try importCoded(table, kind: kind, label: "location") { r, code, _ in .location(code: code, name: r["name"]) }
        case .vendors: return try importCoded(table, kind: kind, label: "vendor") { r, code, _ in .vendor(code: code, name: r["name"]) }
        case .customers:
            return try importCoded(table, kind: kind, label: "customer") { r, code, _ in
                let terms = r["terms"].lowercased()
                guard terms.isEmpty || Terms(rawValue: terms) != nil else { throw r.fail("terms", "\(Input.quote(r["terms"])) is not ar or cod") }
                return .customer(code: code, name: r["name"], priority: try r.int("priority", default: 0, range: 0...9),
                                 terms: Terms(rawValue: terms.isEmpty ? "ar" : terms)!)
            }
        case .lics:
            return try importCoded(table, kind: kind, label: "LIC") { r, code, session in
                var spec = LICSpec(code: code)
                if !r["vendor"].isEmpty {
                    spec.vendor = r["vendor"].uppercased()
                    guard try session.id(of: .vendor, code: spec.vendor!) != nil else { throw r.fail("vendor", "unknown vendor \(Input.quote(r["vendor"]))") }
                }
                spec.description = r["description"]
                spec.priceCents = try r.int("price_cents", default: 0, range: 0...100_000_000_000)
                spec.minStock = try r.int("min_stock", default: 0, range: 0...Input.maxQuantity)
                spec.reorderMultiple = try r.int("reorder_multiple", default: 1, range: 1...Input.maxQuantity)
                spec.inventoried = try r.bool("inventoried", default: true)
                return .lic(spec)
            }
        case .stock: return try importStock(table)
        case .orders: return try importOrders(table, split: split)
        case .purchaseOrders: return try importPurchaseOrders(table)
        }
    }

    private func importCoded(_ table: CSVTable, kind: ImportKind, label: String,
                             record: @escaping (CSVTable.Row, String, any ImportSession) throws -> MasterRecord) throws -> ImportResult {
        let made: [String] = try store.importing(stamp()) { session in
            var seen = Set<String>()
            var made: [String] = []
            try table.forEachRow { r in
                let code: String
                do { code = try Input.code(try r.required("code"), kind: label) } catch let e as DeskError { throw r.fail("code", e.description) }
                guard seen.insert(code).inserted else { throw r.fail("code", "\(code) appears twice in the file") }
                // Re-importing updates the record (the file is the master list).
                try session.save(try record(r, code, session))
                made.append(code)
            }
            return made
        }
        return ImportResult(kind: kind.rawValue, rows: table.rowCount, created: made)
    }

    private func importStock(_ table: CSVTable) throws -> ImportResult {
        try store.importing(stamp()) { session in
            try table.forEachRow { r in
                guard let licID = try session.id(of: .lic, code: try r.required("lic").uppercased()) else {
                    throw r.fail("lic", "unknown LIC \(Input.quote(r["lic"]))")
                }
                let loc = r["location"].isEmpty ? DefaultLocation.code : r["location"].uppercased()
                guard let locID = try session.id(of: .location, code: loc) else {
                    throw r.fail("location", "unknown location \(Input.quote(loc))")
                }
                let qty = try r.int("qty", range: 1...Input.maxQuantity)
                do { try session.receive(StockKey(licID: licID, locationID: locID), qty: qty, reason: "stock import") }
                catch let err as DeskError { throw r.fail("lic", err.description) }
            }
            try session.finish()
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
        let made: [String] = try store.importing(stamp()) { session in
            var numbers: [String] = []
            try forEachGroup(table, column: "po_ref", noun: "purchase order") { ref, rows in
                let first = rows[0]
                for r in rows.dropFirst() {
                    for column in ["vendor", "location", "order_date", "expected"] where r[column] != first[column] {
                        throw r.fail(column, "differs from the first row of PO \(Input.quote(ref)) (row \(first.number))")
                    }
                }
                guard let vendorID = try session.id(of: .vendor, code: try first.required("vendor").uppercased()) else {
                    throw first.fail("vendor", "unknown vendor \(Input.quote(first["vendor"]))")
                }
                let loc = first["location"].isEmpty ? DefaultLocation.code : first["location"].uppercased()
                guard let locationID = try session.id(of: .location, code: loc) else {
                    throw first.fail("location", "unknown location \(Input.quote(loc))")
                }
                var lines: [(licID: Int64, qty: Int)] = []
                for r in rows {
                    guard let licID = try session.id(of: .lic, code: try r.required("lic").uppercased()) else {
                        throw r.fail("lic", "unknown LIC \(Input.quote(r["lic"]))")
                    }
                    lines.append((licID, try r.int("qty", range: 1...Input.maxQuantity)))
                }
                let po = NewPurchaseOrder(vendorID: vendorID, locationID: locationID, orderDate: try first.day("order_date") ?? today,
                                          expected: try first.day("expected"), lines: lines)
                do {
                    numbers.append(try session.createPurchaseOrder(po))
                } catch let err as DeskError { throw first.fail("po_ref", err.description) }
            }
            return numbers
        }
        return ImportResult(kind: ImportKind.purchaseOrders.rawValue, rows: table.rowCount, created: made)
    }

    /// Orders go through the same entry as typed ones (fair queue, priorities, the split answer).
    private func importOrders(_ table: CSVTable, split: SplitAnswer?) throws -> ImportResult {
        let numbers: [String] = try store.importing(stamp()) { session in
            var made: [String] = []
            try forEachGroup(table, column: "order_ref", noun: "order") { ref, rows in
                let first = rows[0]
                for r in rows.dropFirst() {
                    for column in ["customer", "location", "priority", "policy", "schedule_date", "entered_date"] where r[column] != first[column] {
                        throw r.fail(column, "differs from the first row of order \(Input.quote(ref)) (row \(first.number))")
                    }
                }
                guard let customerID = try session.id(of: .customer, code: first["customer"].uppercased()) else {
                    throw first.fail("customer", "unknown customer \(Input.quote(first["customer"]))")
                }
                let loc = first["location"].isEmpty ? DefaultLocation.code : first["location"].uppercased()
                guard let locationID = try session.id(of: .location, code: loc) else {
                    throw first.fail("location", "unknown location \(Input.quote(loc))")
                }
                let defaultPriority = try session.customerPriority(customerID)
                let priority = try first.int("priority", default: defaultPriority, range: 0...9)
                var policy = session.preferences.defaultPolicy
                if !first["policy"].isEmpty {
                    guard let p = FulfillmentPolicy(rawValue: first["policy"].lowercased()) else {
                        throw first.fail("policy", "\(Input.quote(first["policy"])) is not partial, complete, partial-cancel or complete-or-cancel")
                    }
                    policy = p
                }
                var lines: [NewOrder.Line] = []
                for r in rows {
                    guard let licID = try session.id(of: .lic, code: try r.required("lic").uppercased()) else {
                        throw r.fail("lic", "unknown LIC \(Input.quote(r["lic"]))")
                    }
                    let price = try session.licPrice(licID)
                    lines.append(.init(licID: licID, quantity: try r.int("qty", range: 1...Input.maxQuantity),
                                       unitCents: try r.int("unit_cents", default: price, range: 0...100_000_000_000)))
                }
                var new = NewOrder(customerID: customerID, locationID: locationID, priority: priority, policy: policy, lines: lines)
                new.scheduleDate = try first.day("schedule_date")
                new.split = split
                if policy == .completeOrCancel { new.ifShort = .keep }
                let entered = table.header.contains("entered_date") ? try first.day("entered_date") : nil
                do {
                    made.append(try session.enterOrder(new, enteredDay: entered))
                } catch let err as DeskError {
                    let row = rows[min(session.entryLineIndex, rows.count - 1)]
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
