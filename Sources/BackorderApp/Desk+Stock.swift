import BackorderCore
import BackorderStore

extension Desk {
    /// Posts a receipt (unplanned, or against a PO once purchasing exists). With *process
    /// receipts on posting* on, the primary process runs for this LIC in the same transaction.
    public func receive(lic: String, qty: Int, location: String = DefaultLocation.code) throws -> ProcessResult? {
        try require(.clerk, to: "posting receipts")
        _ = try Input.quantity(qty)
        return try store.receive(lic: lic, qty: qty, location: location, stamp()).map(ProcessResult.init)
    }

    public func adjust(lic: String, delta: Int, reason: String, location: String = DefaultLocation.code) throws {
        try require(.supervisor, to: "adjusting stock")
        let why = reason.trimmingCharacters(in: .whitespaces)
        guard !why.isEmpty else { throw DeskError.invalid("an adjustment needs a reason") }
        try store.adjust(lic: lic, delta: delta, reason: why, location: location, stamp())
    }

    public func pickShipment(_ id: Int64) throws {
        try require(.clerk, to: "picking shipments")
        try store.pickShipment(id, stamp())
    }

    public func shipShipment(_ id: Int64) throws {
        try require(.clerk, to: "shipping")
        try store.shipShipment(id, stamp())
    }

    public func cancelShipment(_ id: Int64) throws {
        try require(.clerk, to: "cancelling shipments")
        try store.cancelShipment(id, stamp())
    }

    public func check() throws -> CheckResult {
        CheckResult(violations: try store.check())
    }
}
