import BackorderCore
import Foundation
import GRDB

extension SQLStore {
    /// One write transaction with an engine stamped `stamp`.
    /// One write transaction through an engine. `waitsInTurn` false: the write does not count
    /// as waiting at the turnstile (a process run's own slices, which look for writers waiting).
    func change<T>(_ stamp: Stamp, waitsInTurn: Bool = true, _ body: (Engine) throws -> T) throws -> T {
        try writing(waitsInTurn: waitsInTurn) { db in try body(Engine(db, actor: stamp.actor, now: stamp.now)) }
    }
}

// MARK: - Users, preferences, master data

extension SQLStore {
    public func user(named name: String) throws -> UserRecord? {
        try reading { db in
            try db.fetchOne(sql: "SELECT name, role, auto_backorder, theme FROM app_user WHERE name = ?", arguments: [name]).map {
                UserRecord(name: $0[0], role: Role(rawValue: $0[1]) ?? .clerk, autoBackorder: $0[2], theme: $0[3])
            }
        }
    }

    public func userCount() throws -> Int {
        try reading { db in try db.fetchOne(Int.self, sql: "SELECT count(*) FROM app_user") ?? 0 }
    }

    public func setUpNewDesk(admin: String) throws {
        try writing { db in
            try db.execute(sql: "INSERT INTO location (code, name) VALUES (?, ?)", arguments: [DefaultLocation.code, DefaultLocation.name])
            try db.execute(sql: "INSERT INTO app_user (name, role, auto_backorder) VALUES (?, 'admin', 1)", arguments: [admin])
        }
    }

    public func addUser(_ name: String, role: Role, autoBackorder: Bool) throws -> Bool {
        try writing { db in
            guard try db.fetchOne(Int.self, sql: "SELECT count(*) FROM app_user WHERE name = ?", arguments: [name]) == 0 else { return false }
            try db.execute(sql: "INSERT INTO app_user (name, role, auto_backorder) VALUES (?, ?, ?)",
                           arguments: [name, role.rawValue, autoBackorder])
            return true
        }
    }

    public func add(_ record: MasterRecord) throws -> Bool {
        try writing { db in
            let (table, code, columns) = try MasterRecord.columns(record, db)
            guard try db.fetchOne(Int.self, sql: "SELECT count(*) FROM \(table) WHERE code = ?", arguments: [code]) == 0 else { return false }
            try MasterRecord.insert(db, table: table, code: code, columns: columns)
            return true
        }
    }

    public func restrictLocation(_ location: String, from: [String]) throws {
        try writing { db in
            let id = try Lookup.locationID(db, location)
            let froms = try from.map { try Lookup.locationID(db, $0) }
            try db.execute(sql: "DELETE FROM location_restriction WHERE location_id = ?", arguments: [id])
            for f in Set(froms) {
                try db.execute(sql: "INSERT INTO location_restriction (location_id, from_location_id) VALUES (?, ?)", arguments: [id, f])
            }
        }
    }

    public func preferences() throws -> Preferences {
        try reading { db in Snapshot(db: db).preferences }
    }

    public func setPreference(_ key: Preferences.Key, to value: String, _ stamp: Stamp) throws -> Preferences {
        try change(stamp) { e in
            var p = e.prefs
            let from = p.value(key)
            try p.set(key, to: value)
            let to = p.value(key)
            guard to != from else { return p }
            try p.save(e.db)
            try e.db.execute(sql: "INSERT INTO preference_log (at, actor, key, from_value, to_value) VALUES (?, ?, ?, ?, ?)",
                             arguments: [e.now.description, e.actor, key.rawValue, from, to])
            return p
        }
    }

    public func preferenceLog(limit: Int) throws -> [PreferenceChange] {
        try reading { db in
            try db.fetchAll(sql: "SELECT at, actor, key, from_value, to_value FROM preference_log ORDER BY id DESC LIMIT ?",
                             arguments: [limit]).compactMap { r in
                Preferences.Key(rawValue: r[2]).map { PreferenceChange(at: r[0], actor: r[1], key: $0, from: r[3], to: r[4]) }
            }
        }
    }
}

extension MasterRecord {
    /// The record's table, code and other columns (a LIC's vendor code resolved to its id).
    static func columns(_ record: MasterRecord, _ db: SQLConnection) throws -> (table: String, code: String, columns: [String: DatabaseValueConvertible?]) {
        switch record {
        case .location(let code, let name): return ("location", code, ["name": name])
        case .vendor(let code, let name): return ("vendor", code, ["name": name])
        case .customer(let code, let name, let priority, let terms):
            return ("customer", code, ["name": name, "priority": priority, "terms": terms.rawValue])
        case .lic(let spec):
            let vendorID = try spec.vendor.map { try Lookup.vendorID(db, $0) }
            return ("lic", spec.code, [
                "description": spec.description, "price_cents": spec.priceCents, "min_stock": spec.minStock,
                "reorder_multiple": spec.reorderMultiple, "vendor_id": vendorID, "inventoried": spec.inventoried,
            ])
        case .reason(let code, let description): return ("reason", code, ["description": description])
        }
    }

    static func insert(_ db: SQLConnection, table: String, code: String, columns: [String: DatabaseValueConvertible?]) throws {
        let names = ["code"] + columns.keys.sorted()
        let values: [DatabaseValueConvertible?] = [code] + columns.keys.sorted().map { columns[$0]! }
        try db.execute(sql: "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))",
                       arguments: SQLArguments(values))
    }

    /// Inserts the record, or updates the one with its code.
    static func save(_ record: MasterRecord, _ db: SQLConnection) throws {
        let (table, code, columns) = try columns(record, db)
        let exists = try db.fetchOne(Int.self, sql: "SELECT count(*) FROM \(table) WHERE code = ?", arguments: [code]) ?? 0
        let names = columns.keys.sorted()
        if exists > 0 {
            guard !names.isEmpty else { return }
            try db.execute(sql: "UPDATE \(table) SET \(names.map { "\($0) = ?" }.joined(separator: ", ")) WHERE code = ?",
                           arguments: SQLArguments(names.map { columns[$0]! } + [code]))
        } else {
            let all = ["code"] + names
            try db.execute(sql: "INSERT INTO \(table) (\(all.joined(separator: ", "))) VALUES (\(all.map { _ in "?" }.joined(separator: ", ")))",
                           arguments: SQLArguments([code] + names.map { columns[$0]! }))
        }
    }
}

// MARK: - Lookups

extension SQLStore {
    /// Rows of `table` whose code starts with `text` (first) or whose `nameColumn` contains it:
    /// what every completion list asks.
    private func matches<T>(_ table: String, columns: String, nameColumn: String, _ text: String, limit: Int,
                            _ make: @escaping (SQLRow) -> T) throws -> [T] {
        try reading { db in
            try db.fetchAll(sql: """
                SELECT \(columns) FROM \(table) WHERE code LIKE ?1 ESCAPE '\\' OR \(nameColumn) LIKE ?2 ESCAPE '\\'
                ORDER BY code LIKE ?1 ESCAPE '\\' DESC, code LIMIT ?3
                """, arguments: [SearchTerm.like(text, contains: false), SearchTerm.like(text, contains: true), limit]).map(make)
        }
    }

    /// The row of `table` with exactly this (trimmed, upper-case) code.
    private func exact<T>(_ table: String, columns: String, code: String, _ make: @escaping (SQLRow) -> T) throws -> T? {
        let c = code.trimmingCharacters(in: .whitespaces).uppercased()
        return try reading { db in try db.fetchOne(sql: "SELECT \(columns) FROM \(table) WHERE code = ?", arguments: [c]).map(make) }
    }

    private static var customerColumns: String { "code, name, priority, terms" }
    private static func customer(_ r: SQLRow) -> CustomerInfo { CustomerInfo(code: r[0], name: r[1], priority: r[2], terms: r[3]) }
    private static var licColumns: String { "code, description, price_cents, inventoried" }
    private static func lic(_ r: SQLRow) -> LicInfo { LicInfo(code: r[0], description: r[1], priceCents: r[2], inventoried: r[3]) }
    private static func codeName(_ r: SQLRow) -> CodeName { CodeName(code: r[0], name: r[1]) }

    public func customerMatches(_ text: String, limit: Int) throws -> [CustomerInfo] {
        try matches("customer", columns: Self.customerColumns, nameColumn: "name", text, limit: limit, Self.customer)
    }

    public func customer(code: String) throws -> CustomerInfo? {
        try exact("customer", columns: Self.customerColumns, code: code, Self.customer)
    }

    public func licMatches(_ text: String, limit: Int) throws -> [LicInfo] {
        try matches("lic", columns: Self.licColumns, nameColumn: "description", text, limit: limit, Self.lic)
    }

    public func lic(code: String) throws -> LicInfo? {
        try exact("lic", columns: Self.licColumns, code: code, Self.lic)
    }

    public func vendorMatches(_ text: String, limit: Int) throws -> [CodeName] {
        try matches("vendor", columns: "code, name", nameColumn: "name", text, limit: limit, Self.codeName)
    }

    public func vendor(code: String) throws -> CodeName? {
        try exact("vendor", columns: "code, name", code: code, Self.codeName)
    }

    public func locations() throws -> [CodeName] {
        try reading { db in
            try db.fetchAll(sql: "SELECT code, name FROM location ORDER BY code").map { CodeName(code: $0[0], name: $0[1]) }
        }
    }

    public func reasons() throws -> [CodeName] {
        try reading { db in
            try db.fetchAll(sql: "SELECT code, description FROM reason ORDER BY code").map { CodeName(code: $0[0], name: $0[1]) }
        }
    }

    public func orderID(number: String) throws -> Int64 {
        try reading { db in try Lookup.orderID(db, number) }
    }
}
