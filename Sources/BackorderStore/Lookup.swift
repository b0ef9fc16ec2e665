import BackorderCore
import GRDB

/// Codes and numbers to ids, inside a read or a write; an unknown one is refused in words.
enum Lookup {
    static func id(_ db: SQLConnection, table: String, code: String, kind: String) throws -> Int64 {
        let c = code.trimmingCharacters(in: .whitespaces).uppercased()
        guard let id = try db.fetchOne(Int64.self, sql: "SELECT id FROM \(table) WHERE code = ?", arguments: [c]) else {
            throw DeskError.notFound("unknown \(kind) '\(code)'")
        }
        return id
    }

    static func licID(_ db: SQLConnection, _ code: String) throws -> Int64 { try id(db, table: "lic", code: code, kind: "LIC") }
    static func locationID(_ db: SQLConnection, _ code: String) throws -> Int64 { try id(db, table: "location", code: code, kind: "location") }
    static func customerID(_ db: SQLConnection, _ code: String) throws -> Int64 { try id(db, table: "customer", code: code, kind: "customer") }
    static func vendorID(_ db: SQLConnection, _ code: String) throws -> Int64 { try id(db, table: "vendor", code: code, kind: "vendor") }

    static func orderID(_ db: SQLConnection, _ number: String) throws -> Int64 {
        guard let id = try db.fetchOne(Int64.self, sql: "SELECT id FROM orders WHERE number = ?",
                                          arguments: [number.trimmingCharacters(in: .whitespaces)]) else {
            throw DeskError.notFound("unknown order '\(number)'")
        }
        return id
    }

    static func poID(_ db: SQLConnection, _ number: String) throws -> Int64 {
        guard let id = try db.fetchOne(Int64.self, sql: "SELECT id FROM purchase_order WHERE number = ?",
                                          arguments: [number.trimmingCharacters(in: .whitespaces)]) else {
            throw DeskError.notFound("unknown purchase order '\(number)'")
        }
        return id
    }

}
