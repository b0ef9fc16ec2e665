import BackorderCore
import BackorderStore
import GRDB

/// A customer as order entry needs it.
public struct CustomerInfo: Sendable, Hashable {
    public var code: String
    public var name: String
    /// The default fulfillment priority of the customer's orders.
    public var priority: Int
    public var terms: String
}

/// A LIC as order entry needs it.
public struct LicInfo: Sendable, Hashable {
    public var code: String
    public var description: String
    public var priceCents: Int
    public var inventoried: Bool
}

/// A code and its name or description (locations, reason codes).
public struct CodeName: Sendable, Hashable {
    public var code: String
    public var name: String
}

/// Small lookups for completion and pickers: a few rows each, by the unique code indexes.
extension Desk {
    /// Customers whose code starts with `text` (first) or whose name contains it.
    public func customerMatches(_ text: String, limit: Int = 8) throws -> [CustomerInfo] {
        let t = text.trimmingCharacters(in: .whitespaces)
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT code, name, priority, terms FROM customer
                WHERE code LIKE ?1 ESCAPE '\\' OR name LIKE ?2 ESCAPE '\\'
                ORDER BY code LIKE ?1 ESCAPE '\\' DESC, code LIMIT ?3
                """, arguments: [SearchTerm.like(t, contains: false), SearchTerm.like(t, contains: true), limit]).map {
                CustomerInfo(code: $0[0], name: $0[1], priority: $0[2], terms: $0[3])
            }
        }
    }

    /// The customer with exactly this code (any case), or nil.
    public func customerInfo(_ code: String) throws -> CustomerInfo? {
        let c = code.trimmingCharacters(in: .whitespaces).uppercased()
        return try read { db in
            try Row.fetchOne(db, sql: "SELECT code, name, priority, terms FROM customer WHERE code = ?", arguments: [c]).map {
                CustomerInfo(code: $0[0], name: $0[1], priority: $0[2], terms: $0[3])
            }
        }
    }

    /// LICs whose code starts with `text` (first) or whose description contains it.
    public func licMatches(_ text: String, limit: Int = 8) throws -> [LicInfo] {
        let t = text.trimmingCharacters(in: .whitespaces)
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT code, description, price_cents, inventoried FROM lic
                WHERE code LIKE ?1 ESCAPE '\\' OR description LIKE ?2 ESCAPE '\\'
                ORDER BY code LIKE ?1 ESCAPE '\\' DESC, code LIMIT ?3
                """, arguments: [SearchTerm.like(t, contains: false), SearchTerm.like(t, contains: true), limit]).map {
                LicInfo(code: $0[0], description: $0[1], priceCents: $0[2], inventoried: $0[3])
            }
        }
    }

    /// The LIC with exactly this code (any case), or nil.
    public func licInfo(_ code: String) throws -> LicInfo? {
        let c = code.trimmingCharacters(in: .whitespaces).uppercased()
        return try read { db in
            try Row.fetchOne(db, sql: "SELECT code, description, price_cents, inventoried FROM lic WHERE code = ?", arguments: [c]).map {
                LicInfo(code: $0[0], description: $0[1], priceCents: $0[2], inventoried: $0[3])
            }
        }
    }

    /// Vendors whose code starts with `text` (first) or whose name contains it.
    public func vendorMatches(_ text: String, limit: Int = 8) throws -> [CodeName] {
        let t = text.trimmingCharacters(in: .whitespaces)
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT code, name FROM vendor WHERE code LIKE ?1 ESCAPE '\\' OR name LIKE ?2 ESCAPE '\\'
                ORDER BY code LIKE ?1 ESCAPE '\\' DESC, code LIMIT ?3
                """, arguments: [SearchTerm.like(t, contains: false), SearchTerm.like(t, contains: true), limit]).map {
                CodeName(code: $0[0], name: $0[1])
            }
        }
    }

    /// The vendor with exactly this code (any case), or nil.
    public func vendorInfo(_ code: String) throws -> CodeName? {
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

    /// The cancellation reason codes (admin-maintained).
    public func reasons() throws -> [CodeName] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT code, description FROM reason ORDER BY code").map { CodeName(code: $0[0], name: $0[1]) }
        }
    }
}
