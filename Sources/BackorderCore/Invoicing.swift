/// Invoicing arithmetic and extended suborders (product §5, iMIS `004_*`). Integer cents only.
public enum Invoicing {
    public struct Totals: Hashable, Sendable {
        public var subtotalCents: Int
        public var taxCents: Int
        public var handlingCents: Int
        public var totalCents: Int
        public var cashAppliedCents: Int
    }

    /// Tax on an amount at a rate in parts per million, rounded half-up to the cent.
    public static func tax(onCents amount: Int, ratePPM: Int) -> Int {
        guard amount > 0, ratePPM > 0 else { return 0 }
        let (q, r) = (amount * ratePPM).quotientAndRemainder(dividingBy: 1_000_000)
        return r * 2 >= 1_000_000 ? q + 1 : q
    }

    /// Bills `lines` (quantity shipped and not yet invoiced × unit price). The handling fee is
    /// charged on the first invoice of an original order only; cash applied is the lesser of the
    /// prepaid cash not yet applied and the total.
    public static func totals(lines: [(quantity: Int, unitCents: Int)], taxRatePPM: Int, handlingCents: Int,
                              chargeHandling: Bool, prepaidRemainingCents: Int) -> Totals {
        let subtotal = lines.reduce(0) { $0 + $1.quantity * $1.unitCents }
        let tax = tax(onCents: subtotal, ratePPM: taxRatePPM)
        let handling = chargeHandling ? handlingCents : 0
        let total = subtotal + tax + handling
        return Totals(subtotalCents: subtotal, taxCents: tax, handlingCents: handling, totalCents: total,
                      cashAppliedCents: max(0, min(prepaidRemainingCents, total)))
    }

    /// The prepaid cash split at invoicing: the original keeps the lesser of the full cash and its
    /// invoiced total; all the rest moves to the extended suborder.
    public static func splitCash(prepaidCents: Int, invoicedTotalCents: Int) -> (original: Int, suborder: Int) {
        let kept = min(prepaidCents, invoicedTotalCents)
        return (kept, prepaidCents - kept)
    }

    /// The next extended suborder number: base number plus the next free two-digit suffix
    /// (208 → 208.01; invoicing 208.01 with need left → 208.02, never 208.01.01).
    public static func suborderNumber(base: Int, usedSuffixes: [Int]) -> (number: String, suffix: Int) {
        let next = (usedSuffixes.max() ?? 0) + 1
        let digits = String(next)
        return ("\(base).\(next < 10 ? "0" : "")\(digits)", next)
    }
}
