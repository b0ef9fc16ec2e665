import BackorderCore
import Foundation
import GRDB

extension AppDatabase: BackorderStoring {
    public var busyTimeout: Double { Self.busyTimeout }

    /// One write transaction with an engine stamped `stamp`.
    func change<T>(_ stamp: Stamp, _ body: (Engine) throws -> T) throws -> T {
        try write { db in try body(Engine(db, actor: stamp.actor, now: stamp.now)) }
    }

    public func check() throws -> [InvariantCheck.Violation] {
        try read { db in try InvariantCheck.run(db) }
    }
}

// MARK: - Users, preferences, master data

extension AppDatabase {
    public func user(named name: String) throws -> UserRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT name, role, auto_backorder, theme FROM app_user WHERE name = ?", arguments: [name]).map {
                UserRecord(name: $0[0], role: Role(rawValue: $0[1]) ?? .clerk, autoBackorder: $0[2], theme: $0[3])
            }
        }
    }

    public func userCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user") ?? 0 }
    }

    public func setUpNewDesk(admin: String) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO location (code, name) VALUES (?, ?)", arguments: [DefaultLocation.code, DefaultLocation.name])
            try db.execute(sql: "INSERT INTO app_user (name, role, auto_backorder) VALUES (?, 'admin', 1)", arguments: [admin])
        }
    }

    public func addUser(_ name: String, role: Role, autoBackorder: Bool) throws -> Bool {
        try write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user WHERE name = ?", arguments: [name]) == 0 else { return false }
            try db.execute(sql: "INSERT INTO app_user (name, role, auto_backorder) VALUES (?, ?, ?)",
                           arguments: [name, role.rawValue, autoBackorder])
            return true
        }
    }

    public func add(_ record: MasterRecord) throws -> Bool {
        try write { db in
            let (table, code, columns) = try MasterRecord.columns(record, db)
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE code = ?", arguments: [code]) == 0 else { return false }
            try MasterRecord.insert(db, table: table, code: code, columns: columns)
            return true
        }
    }

    public func restrictLocation(_ location: String, from: [String]) throws {
        try write { db in
            let id = try Lookup.locationID(db, location)
            let froms = try from.map { try Lookup.locationID(db, $0) }
            try db.execute(sql: "DELETE FROM location_restriction WHERE location_id = ?", arguments: [id])
            for f in Set(froms) {
                try db.execute(sql: "INSERT INTO location_restriction (location_id, from_location_id) VALUES (?, ?)", arguments: [id, f])
            }
        }
    }

    public func preferences() throws -> Preferences {
        try read { db in Snapshot(db: db).preferences }
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
        try read { db in
            try Row.fetchAll(db, sql: "SELECT at, actor, key, from_value, to_value FROM preference_log ORDER BY id DESC LIMIT ?",
                             arguments: [limit]).compactMap { r in
                Preferences.Key(rawValue: r[2]).map { PreferenceChange(at: r[0], actor: r[1], key: $0, from: r[3], to: r[4]) }
            }
        }
    }
}

extension MasterRecord {
    /// The record's table, code and other columns (a LIC's vendor code resolved to its id).
    static func columns(_ record: MasterRecord, _ db: Database) throws -> (table: String, code: String, columns: [String: DatabaseValueConvertible?]) {
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

    static func insert(_ db: Database, table: String, code: String, columns: [String: DatabaseValueConvertible?]) throws {
        let names = ["code"] + columns.keys.sorted()
        let values: [DatabaseValueConvertible?] = [code] + columns.keys.sorted().map { columns[$0]! }
        try db.execute(sql: "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))",
                       arguments: StatementArguments(values))
    }

    /// Inserts the record, or updates the one with its code.
    static func save(_ record: MasterRecord, _ db: Database) throws {
        let (table, code, columns) = try columns(record, db)
        let exists = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE code = ?", arguments: [code]) ?? 0
        let names = columns.keys.sorted()
        if exists > 0 {
            guard !names.isEmpty else { return }
            try db.execute(sql: "UPDATE \(table) SET \(names.map { "\($0) = ?" }.joined(separator: ", ")) WHERE code = ?",
                           arguments: StatementArguments(names.map { columns[$0]! } + [code]))
        } else {
            let all = ["code"] + names
            try db.execute(sql: "INSERT INTO \(table) (\(all.joined(separator: ", "))) VALUES (\(all.map { _ in "?" }.joined(separator: ", ")))",
                           arguments: StatementArguments([code] + names.map { columns[$0]! }))
        }
    }
}

// MARK: - Lookups

extension AppDatabase {
    public func customerMatches(_ text: String, limit: Int) throws -> [CustomerInfo] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT code, name, priority, terms FROM customer
                WHERE code LIKE ?1 ESCAPE '\\' OR name LIKE ?2 ESCAPE '\\'
                ORDER BY code LIKE ?1 ESCAPE '\\' DESC, code LIMIT ?3
                """, arguments: [SearchTerm.like(text, contains: false), SearchTerm.like(text, contains: true), limit]).map {
                CustomerInfo(code: $0[0], name: $0[1], priority: $0[2], terms: $0[3])
            }
        }
    }

    public func customer(code: String) throws -> CustomerInfo? {
        let c = code.trimmingCharacters(in: .whitespaces).uppercased()
        return try read { db in
            try Row.fetchOne(db, sql: "SELECT code, name, priority, terms FROM customer WHERE code = ?", arguments: [c]).map {
                CustomerInfo(code: $0[0], name: $0[1], priority: $0[2], terms: $0[3])
            }
        }
    }

    public func licMatches(_ text: String, limit: Int) throws -> [LicInfo] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT code, description, price_cents, inventoried FROM lic
                WHERE code LIKE ?1 ESCAPE '\\' OR description LIKE ?2 ESCAPE '\\'
                ORDER BY code LIKE ?1 ESCAPE '\\' DESC, code LIMIT ?3
                """, arguments: [SearchTerm.like(text, contains: false), SearchTerm.like(text, contains: true), limit]).map {
                LicInfo(code: $0[0], description: $0[1], priceCents: $0[2], inventoried: $0[3])
            }
        }
    }

    public func lic(code: String) throws -> LicInfo? {
        let c = code.trimmingCharacters(in: .whitespaces).uppercased()
        return try read { db in
            try Row.fetchOne(db, sql: "SELECT code, description, price_cents, inventoried FROM lic WHERE code = ?", arguments: [c]).map {
                LicInfo(code: $0[0], description: $0[1], priceCents: $0[2], inventoried: $0[3])
            }
        }
    }

    public func vendorMatches(_ text: String, limit: Int) throws -> [CodeName] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT code, name FROM vendor WHERE code LIKE ?1 ESCAPE '\\' OR name LIKE ?2 ESCAPE '\\'
                ORDER BY code LIKE ?1 ESCAPE '\\' DESC, code LIMIT ?3
                """, arguments: [SearchTerm.like(text, contains: false), SearchTerm.like(text, contains: true), limit]).map {
                CodeName(code: $0[0], name: $0[1])
            }
        }
    }

    public func vendor(code: String) throws -> CodeName? {
        let c = code.trimmingCharacters(in: .whitespaces).uppercased()
        return try read { db in
            try Row.fetchOne(db, sql: "SELECT code, name FROM vendor WHERE code = ?", arguments: [c]).map { CodeName(code: $0[0], name: $0[1]) }
        }
    }

    public func locations() throws -> [CodeName] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT code, name FROM location ORDER BY code").map { CodeName(code: $0[0], name: $0[1]) }
        }
    }

    public func reasons() throws -> [CodeName] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT code, description FROM reason ORDER BY code").map { CodeName(code: $0[0], name: $0[1]) }
        }
    }

    public func orderID(number: String) throws -> Int64 {
        try read { db in try Lookup.orderID(db, number) }
    }
}
