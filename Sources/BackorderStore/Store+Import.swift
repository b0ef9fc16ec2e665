import BackorderCore
import GRDB

// Imports: one write transaction over a streamed file, its rows handed over by the controller.

extension SQLStore {
    public func importing<T>(_ stamp: Stamp, _ body: (any ImportSession) throws -> T) throws -> T {
        try change(stamp) { e in try body(EngineImportSession(engine: e)) }
    }
}

/// An import's session on the engine of its transaction.
final class EngineImportSession: ImportSession {
    let engine: Engine
    init(engine: Engine) { self.engine = engine }

    var preferences: Preferences { engine.prefs }
    var entryLineIndex: Int { engine.entryLineIndex }

    func id(of kind: MasterKind, code: String) throws -> Int64? {
        let table: String
        switch kind {
        case .lic: table = "lic"
        case .location: table = "location"
        case .vendor: table = "vendor"
        case .customer: table = "customer"
        }
        return try engine.db.fetchOne(Int64.self, sql: "SELECT id FROM \(table) WHERE code = ?", arguments: [code])
    }

    func customerPriority(_ customerID: Int64) throws -> Int {
        try engine.db.fetchOne(Int.self, sql: "SELECT priority FROM customer WHERE id = ?", arguments: [customerID]) ?? 0
    }

    func licPrice(_ licID: Int64) throws -> Int {
        try engine.db.fetchOne(Int.self, sql: "SELECT price_cents FROM lic WHERE id = ?", arguments: [licID]) ?? 0
    }

    func save(_ record: MasterRecord) throws { try MasterRecord.save(record, engine.db) }

    func receive(_ key: StockKey, qty: Int, reason: String) throws { try engine.receive(key, qty: qty, reason: reason) }

    func finish() throws { try engine.finish() }

    func createPurchaseOrder(_ po: NewPurchaseOrder) throws -> String {
        let id = try engine.createPurchaseOrder(po)
        return try engine.number(ofPurchaseOrder: id)
    }

    func enterOrder(_ order: NewOrder, enteredDay: Day?) throws -> String {
        let id = try engine.enterOrder(order, enteredDay: enteredDay)
        return try engine.number(ofOrder: id)
    }
}
