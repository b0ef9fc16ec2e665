import BackorderCore
import BackorderStore
import GRDB

/// Master data: users, locations, LICs, customers, vendors, reason codes, preferences.
extension Desk {
    public func addUser(_ name: String, role: Role, autoBackorder: Bool) throws {
        try require(.admin, to: "adding users")
        let n = name.trimmingCharacters(in: .whitespaces)
        guard !n.isEmpty, n.count <= 64, !n.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 32 } ?? false }) else {
            throw DeskError.invalid("user name must be 1–64 printable characters")
        }
        try write { e in
            guard try Int.fetchOne(e.db, sql: "SELECT count(*) FROM app_user WHERE name = ?", arguments: [n]) == 0 else {
                throw DeskError.refused("user '\(n)' already exists")
            }
            try e.db.execute(sql: "INSERT INTO app_user (name, role, auto_backorder) VALUES (?, ?, ?)",
                             arguments: [n, role.rawValue, autoBackorder])
        }
    }

    private func insertCoded(_ table: String, kind: String, code: String, columns: [String: DatabaseValueConvertible?]) throws -> String {
        let c = try Input.code(code, kind: kind)
        try write { e in
            guard try Int.fetchOne(e.db, sql: "SELECT count(*) FROM \(table) WHERE code = ?", arguments: [c]) == 0 else {
                throw DeskError.refused("\(kind) \(c) already exists")
            }
            let names = ["code"] + columns.keys.sorted()
            let values: [DatabaseValueConvertible?] = [c] + columns.keys.sorted().map { columns[$0]! }
            try e.db.execute(sql: "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))",
                             arguments: StatementArguments(values))
        }
        return c
    }

    @discardableResult
    public func addLocation(_ code: String, name: String?) throws -> String {
        try require(.admin, to: "adding locations")
        return try insertCoded("location", kind: "location", code: code, columns: ["name": name ?? ""])
    }

    /// The PO locations `code` may backorder from (product §6).
    public func restrictLocation(_ code: String, from: [String]) throws {
        try require(.admin, to: "setting location restrictions")
        try write { e in
            let id = try Desk.locationID(e.db, code)
            let froms = try from.map { try Desk.locationID(e.db, $0) }
            try e.db.execute(sql: "DELETE FROM location_restriction WHERE location_id = ?", arguments: [id])
            for f in Set(froms) {
                try e.db.execute(sql: "INSERT INTO location_restriction (location_id, from_location_id) VALUES (?, ?)", arguments: [id, f])
            }
        }
    }

    public struct LICSpec: Sendable {
        public var code: String
        public var description = ""
        public var priceCents = 0
        public var minStock = 0
        public var reorderMultiple = 1
        public var vendor: String?
        public var inventoried = true
        public init(code: String) { self.code = code }
    }

    @discardableResult
    public func addLIC(_ spec: LICSpec) throws -> String {
        try require(.supervisor, to: "adding LICs")
        _ = try Input.integer(spec.priceCents, field: "price (cents)", range: 0...100_000_000_000)
        _ = try Input.integer(spec.minStock, field: "minimum stock", range: 0...Input.maxQuantity)
        _ = try Input.integer(spec.reorderMultiple, field: "reorder multiple", range: 1...Input.maxQuantity)
        let vendorID = try spec.vendor.map { v in try read { db in try Desk.vendorID(db, v) } }
        return try insertCoded("lic", kind: "LIC", code: spec.code, columns: [
            "description": spec.description, "price_cents": spec.priceCents, "min_stock": spec.minStock,
            "reorder_multiple": spec.reorderMultiple, "vendor_id": vendorID, "inventoried": spec.inventoried,
        ])
    }

    @discardableResult
    public func addCustomer(_ code: String, name: String?, priority: Int, terms: Terms) throws -> String {
        try require(.supervisor, to: "adding customers")
        _ = try Input.priority(priority)
        return try insertCoded("customer", kind: "customer", code: code, columns: ["name": name ?? "", "priority": priority, "terms": terms.rawValue])
    }

    @discardableResult
    public func addVendor(_ code: String, name: String?) throws -> String {
        try require(.supervisor, to: "adding vendors")
        return try insertCoded("vendor", kind: "vendor", code: code, columns: ["name": name ?? ""])
    }

    @discardableResult
    public func addReason(_ code: String, description: String?) throws -> String {
        try require(.admin, to: "adding cancellation reason codes")
        return try insertCoded("reason", kind: "reason", code: code, columns: ["description": description ?? ""])
    }

    /// Sets one preference (admin) and, when its value changes, records who changed it from
    /// what to what in the preferences log — in the same transaction.
    public func setPreference(_ key: String, _ value: String) throws -> Preferences {
        try require(.admin, to: "changing preferences")
        guard let k = Preferences.Key(rawValue: key.lowercased()) else {
            throw DeskError.invalid("unknown preference '\(key)'; known: \(Preferences.Key.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return try write { e in
            var p = e.prefs
            let from = p.value(k)
            try p.set(k, to: value)
            let to = p.value(k)
            guard to != from else { return p }
            try p.save(e.db)
            try e.db.execute(sql: "INSERT INTO preference_log (at, actor, key, from_value, to_value) VALUES (?, ?, ?, ?, ?)",
                             arguments: [e.now.description, e.actor, k.rawValue, from, to])
            return p
        }
    }

    /// One change in the preferences log.
    public struct PreferenceChange: JSONConvertible, Sendable, Hashable {
        public var at: String
        public var actor: String
        public var key: Preferences.Key
        public var from: String
        public var to: String
        public var json: JSON {
            .object([("at", .string(at)), ("actor", .string(actor)), ("key", .string(key.rawValue)),
                     ("setting", .string(key.title)), ("from", .string(from)), ("to", .string(to))])
        }
    }

    /// The preferences log, newest first.
    public func preferenceLog(limit: Int = 100) throws -> [PreferenceChange] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT at, actor, key, from_value, to_value FROM preference_log ORDER BY id DESC LIMIT ?",
                             arguments: [limit]).compactMap { r in
                Preferences.Key(rawValue: r[2]).map { PreferenceChange(at: r[0], actor: r[1], key: $0, from: r[3], to: r[4]) }
            }
        }
    }
}
