import BackorderCore

/// How the command line words the desk's questions: it cannot ask, so it names the flags that
/// answer them (the terminal UI asks the same questions inline).
func commandLineText(_ error: DeskError) -> String {
    guard case .question(let q) = error else { return error.description }
    switch q {
    case let .split(lic, requested, available):
        if available == 0 {
            return "None of \(requested) \(lic) available. Ship as it arrives? Answer with --split yes (ship as it arrives) or --split no (wait for all \(requested))."
        }
        return "Only \(available) of \(requested) \(lic) available. Split by availability? Answer with --split yes or --split no."
    case .cancelIfShort:
        return "a line is short and the policy is ship complete or cancel entire order: cancel the order (--cancel-if-short REASON) or keep it until complete (--keep-if-short)"
    case let .remainder(order, units):
        return "order \(order) has \(units) unit(s) backordered: cancel them (--cancel-backorders REASON) or keep them on an extended suborder (--keep-backorders)"
    case let .excessOverPO(po, lic, open, qty):
        return "purchase order \(po) has only \(open) \(lic) open; receive at most \(open), or add --excess-unplanned to record the other \(qty - open) as an unplanned receipt"
    }
}
