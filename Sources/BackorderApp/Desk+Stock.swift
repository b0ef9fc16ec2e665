import BackorderCore
import BackorderStore
import GRDB

extension Desk {
    /// Posts a receipt (unplanned, or against a PO once purchasing exists). With *process
    /// receipts on posting* on, the primary process runs for this LIC in the same transaction.
    public func receive(lic: String, qty: Int, location: String = "MAIN") throws -> ProcessResult? {
        try require(.clerk, to: "posting receipts")
        _ = try Input.quantity(qty)
        return try write { e -> ProcessResult? in
            let key = StockKey(licID: try Desk.licID(e.db, lic), locationID: try Desk.locationID(e.db, location))
            try e.receive(key, qty: qty, reason: "unplanned receipt")
            guard e.prefs.processReceiptsOnPosting && e.prefs.backorderManagement else { return nil }
            let run = try e.startRun(.primary)
            try e.runBackorderProcess(.primary, runID: run, keys: [key])
            try e.finishRun(run, stats: e.stats)
            return ProcessResult(process: .primary, runID: run, stats: e.stats, keys: 1)
        }
    }

    public func adjust(lic: String, delta: Int, reason: String, location: String = "MAIN") throws {
        try require(.supervisor, to: "adjusting stock")
        let why = reason.trimmingCharacters(in: .whitespaces)
        guard !why.isEmpty else { throw DeskError.invalid("an adjustment needs a reason") }
        try write { e in
            let key = StockKey(licID: try Desk.licID(e.db, lic), locationID: try Desk.locationID(e.db, location))
            try e.adjust(key, delta: delta, reason: why)
        }
    }

    public func pickShipment(_ id: Int64) throws {
        try require(.clerk, to: "picking shipments")
        try write { e in try e.pickShipment(id: id) }
    }

    public func shipShipment(_ id: Int64) throws {
        try require(.clerk, to: "shipping")
        try write { e in try e.shipShipment(id: id) }
    }

    public func cancelShipment(_ id: Int64) throws {
        try require(.clerk, to: "cancelling shipments")
        try write { e in try e.cancelShipment(id: id) }
    }

    public func check() throws -> CheckResult {
        CheckResult(violations: try read { db in try InvariantCheck.run(db) })
    }
}
