import BackorderCore
import BackorderStore

/// Master data: users, locations, LICs, customers, vendors, reason codes, preferences.
extension Desk {
    public func addUser(_ name: String, role: Role, autoBackorder: Bool) throws {
        try require(.admin, to: "adding users")
        let n = name.trimmingCharacters(in: .whitespaces)
        guard !n.isEmpty, n.count <= 64, !n.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 32 } ?? false }) else {
            throw DeskError.invalid("user name must be 1–64 printable characters")
        }
        guard try store.addUser(n, role: role, autoBackorder: autoBackorder) else {
            throw DeskError.refused("user '\(n)' already exists")
        }
    }

    /// Adds a record with a new code (`code` is checked and normalized first); refused if the code exists.
    private func addCoded(kind: String, code: String, _ record: (String) -> MasterRecord) throws -> String {
        let c = try Input.code(code, kind: kind)
        guard try store.add(record(c)) else { throw DeskError.refused("\(kind) \(c) already exists") }
        return c
    }

    @discardableResult
    public func addLocation(_ code: String, name: String?) throws -> String {
        try require(.admin, to: "adding locations")
        return try addCoded(kind: "location", code: code) { .location(code: $0, name: name ?? "") }
    }

    /// The PO locations `code` may backorder from (product §6).
    public func restrictLocation(_ code: String, from: [String]) throws {
        try require(.admin, to: "setting location restrictions")
        try store.restrictLocation(code, from: from)
    }

    @discardableResult
    public func addLIC(_ spec: LICSpec) throws -> String {
        try require(.supervisor, to: "adding LICs")
        _ = try Input.integer(spec.priceCents, field: "price (cents)", range: 0...100_000_000_000)
        _ = try Input.integer(spec.minStock, field: "minimum stock", range: 0...Input.maxQuantity)
        _ = try Input.integer(spec.reorderMultiple, field: "reorder multiple", range: 1...Input.maxQuantity)
        if let v = spec.vendor, try store.vendor(code: v) == nil { throw DeskError.notFound("unknown vendor '\(v)'") }
        return try addCoded(kind: "LIC", code: spec.code) { code in
            var s = spec
            s.code = code
            return .lic(s)
        }
    }

    @discardableResult
    public func addCustomer(_ code: String, name: String?, priority: Int, terms: Terms) throws -> String {
        try require(.supervisor, to: "adding customers")
        _ = try Input.priority(priority)
        return try addCoded(kind: "customer", code: code) { .customer(code: $0, name: name ?? "", priority: priority, terms: terms) }
    }

    @discardableResult
    public func addVendor(_ code: String, name: String?) throws -> String {
        try require(.supervisor, to: "adding vendors")
        return try addCoded(kind: "vendor", code: code) { .vendor(code: $0, name: name ?? "") }
    }

    @discardableResult
    public func addReason(_ code: String, description: String?) throws -> String {
        try require(.admin, to: "adding cancellation reason codes")
        return try addCoded(kind: "reason", code: code) { .reason(code: $0, description: description ?? "") }
    }

    /// Sets one preference (admin) and, when its value changes, records who changed it from
    /// what to what in the preferences log — in the same transaction.
    public func setPreference(_ key: String, _ value: String) throws -> Preferences {
        try require(.admin, to: "changing preferences")
        guard let k = Preferences.Key(rawValue: key.lowercased()) else {
            throw DeskError.invalid("unknown preference '\(key)'; known: \(Preferences.Key.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return try store.setPreference(k, to: value, stamp())
    }

    /// The preferences log, newest first.
    public func preferenceLog(limit: Int = 100) throws -> [PreferenceChange] {
        try store.preferenceLog(limit: limit)
    }
}

extension PreferenceChange: JSONConvertible {
    public var json: JSON {
        .object([("at", .string(at)), ("actor", .string(actor)), ("key", .string(key.rawValue)),
                 ("setting", .string(key.title)), ("from", .string(from)), ("to", .string(to))])
    }
}
