import BackorderCore
import GRDB

extension Engine {
    /// Posts a receipt (a primary process event); with *process receipts on posting* the primary
    /// process runs for it at once.
    func receive(_ key: StockKey, qty: Int, poID: Int64? = nil, reason: String = "") throws {
        guard try isInventoried(key.licID) else { throw DeskError.refused("\(try licCode(key.licID)) is not inventoried; it has no stock") }
        try postLedger(.receipt, key, qty: qty, poID: poID, reason: reason)
        try addSupply(.primary, key, qty: qty, source: reason.isEmpty ? "receipt" : reason)
    }

    /// An inventory adjustment. An increase is a secondary process event. A decrease that would
    /// leave allotted above on hand takes the excess back from the end of the queue, never from
    /// picked (frozen) quantities.
    func adjust(_ key: StockKey, delta: Int, reason: String) throws {
        let lic = try licCode(key.licID)
        guard try isInventoried(key.licID) else { throw DeskError.refused("\(lic) is not inventoried; it has no stock") }
        let b = try balance(key)
        if delta < 0 {
            let newOnHand = b.onHand + delta
            guard newOnHand >= 0 else {
                throw DeskError.refused("only \(b.onHand) \(lic) on hand; cannot remove \(-delta)")
            }
            guard newOnHand >= b.frozen else {
                throw DeskError.refused("\(b.frozen) \(lic) are on picked shipments; at most \(b.onHand - b.frozen) can be removed")
            }
            let excess = b.allotted - newOnHand
            if excess > 0 {
                let short = try takeBackFromEnd(key, amount: excess, source: .adjustment)
                guard short == 0 else {
                    throw DeskError.refused("cannot take \(excess) \(lic) back from the queue; nothing was changed")
                }
            }
            try postLedger(.adjustment, key, qty: delta, reason: reason)
        } else {
            try postLedger(.adjustment, key, qty: delta, reason: reason)
            try addSupply(.secondary, key, qty: delta, source: "adjustment: \(reason)")
        }
        try finish()
    }
}
