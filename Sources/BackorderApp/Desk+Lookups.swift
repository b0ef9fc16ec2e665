import BackorderCore
import BackorderStore

/// Small lookups for completion and pickers: a few rows each, by the unique code indexes.
extension Desk {
    /// Customers whose code starts with `text` (first) or whose name contains it.
    public func customerMatches(_ text: String, limit: Int = 8) throws -> [CustomerInfo] {
        try store.customerMatches(text.trimmingCharacters(in: .whitespaces), limit: limit)
    }

    /// The customer with exactly this code (any case), or nil.
    public func customerInfo(_ code: String) throws -> CustomerInfo? {
        try store.customer(code: code)
    }

    /// LICs whose code starts with `text` (first) or whose description contains it.
    public func licMatches(_ text: String, limit: Int = 8) throws -> [LicInfo] {
        try store.licMatches(text.trimmingCharacters(in: .whitespaces), limit: limit)
    }

    /// The LIC with exactly this code (any case), or nil.
    public func licInfo(_ code: String) throws -> LicInfo? {
        try store.lic(code: code)
    }

    /// Vendors whose code starts with `text` (first) or whose name contains it.
    public func vendorMatches(_ text: String, limit: Int = 8) throws -> [CodeName] {
        try store.vendorMatches(text.trimmingCharacters(in: .whitespaces), limit: limit)
    }

    /// The vendor with exactly this code (any case), or nil.
    public func vendorInfo(_ code: String) throws -> CodeName? {
        try store.vendor(code: code)
    }

    public func locations() throws -> [CodeName] {
        try store.locations()
    }

    /// The cancellation reason codes (admin-maintained).
    public func reasons() throws -> [CodeName] {
        try store.reasons()
    }
}
