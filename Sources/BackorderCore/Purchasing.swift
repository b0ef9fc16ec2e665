/// Auto backorder eligibility (product §6, ePASS `002_*`).
public enum AutoBackorder {
    public struct Order: Sendable {
        public var locationID: Int64
        public var terms: Terms
        public var prepaidCents: Int
        public var minDepositCents: Int
        public var scheduleDate: Day?
        public init(locationID: Int64, terms: Terms, prepaidCents: Int, minDepositCents: Int, scheduleDate: Day?) {
            self.locationID = locationID
            self.terms = terms
            self.prepaidCents = prepaidCents
            self.minDepositCents = minDepositCents
            self.scheduleDate = scheduleDate
        }
    }

    public struct PurchaseOrder: Sendable {
        public var locationID: Int64
        public var allowAttach: Bool
        public init(locationID: Int64, allowAttach: Bool) {
            self.locationID = locationID
            self.allowAttach = allowAttach
        }
    }

    /// The latest schedule date that still qualifies: today + max days out (0 = no limit).
    /// ePASS: Jan 1 + 20 days = Jan 21; a schedule date on or before Jan 21 qualifies.
    public static func maxScheduleDate(today: Day, maxDaysOut: Int) -> Day? {
        maxDaysOut == 0 ? nil : today.adding(days: maxDaysOut)
    }

    /// Rules 2–4 for the order (rule 1, the PO's own flag, and rule 2's PO location are in `allows`).
    public static func orderQualifies(_ o: Order, prefs: Preferences, today: Day) -> Bool {
        if prefs.requireMinDeposit && o.terms != .cod && o.prepaidCents < o.minDepositCents { return false }
        if let limit = maxScheduleDate(today: today, maxDaysOut: prefs.maxDaysOut), let s = o.scheduleDate, s > limit { return false }
        return true
    }

    /// Rules 1–2: the PO allows attaching, and its location is the order's (same branch) and one the
    /// order location's restrictions allow (none listed = any).
    public static func allows(_ po: PurchaseOrder, for o: Order, prefs: Preferences, restrictions: Set<Int64>) -> Bool {
        guard po.allowAttach else { return false }
        if prefs.autoBackorderSameBranch && po.locationID != o.locationID { return false }
        if !restrictions.isEmpty && !restrictions.contains(po.locationID) { return false }
        return true
    }
}

/// Projected fill dates (product §6): the queue simulated against open purchase orders.
public enum Projection {
    public struct Line: Sendable {
        public var lineID: Int64
        /// remaining − allotted
        public var unmet: Int
        /// Expected dates and quantities of the PO lines this line is attached to.
        public var attachments: [(expected: Day?, qty: Int)]
        public init(lineID: Int64, unmet: Int, attachments: [(expected: Day?, qty: Int)]) {
            self.lineID = lineID
            self.unmet = unmet
            self.attachments = attachments
        }
    }

    public struct Supply: Sendable {
        public var expected: Day?
        /// Open quantity not attached to any line.
        public var free: Int
        public init(expected: Day?, free: Int) {
            self.expected = expected
            self.free = free
        }
    }

    /// For every line with unmet need, in queue order: attached quantities arrive with their POs;
    /// the rest is served from the free quantities of open POs in expected-date order. A line's
    /// date is when its last unit arrives (never before today); nil if open POs do not cover it.
    ///
    /// `consumedAhead` is the unattached need of lines queued before `queue` (when only a window of
    /// the queue is projected): it takes the earliest supply first.
    public static func fillDates(queue: [Line], supplies: [Supply], today: Day, consumedAhead: Int = 0) -> [Int64: Day?] {
        var pool = supplies.filter { $0.free > 0 }.sorted { ($0.expected ?? .distant) < ($1.expected ?? .distant) }
        var ahead = consumedAhead
        for i in pool.indices where ahead > 0 {
            let take = min(pool[i].free, ahead)
            pool[i].free -= take
            ahead -= take
        }
        var result: [Int64: Day?] = [:]
        for line in queue where line.unmet > 0 {
            var date: Day? = today
            var missing = line.unmet
            for a in line.attachments where missing > 0 {
                let take = min(a.qty, missing)
                missing -= take
                date = max(date!, a.expected ?? .distant)
            }
            var i = 0
            while missing > 0 && i < pool.count {
                let take = min(pool[i].free, missing)
                if take > 0 {
                    pool[i].free -= take
                    missing -= take
                    date = max(date!, pool[i].expected ?? .distant)
                }
                i += 1
            }
            result[line.lineID] = missing > 0 || date == .distant ? nil : date
        }
        return result
    }
}

extension Day {
    /// A day after every real expected date: a PO without one.
    static let distant = Day(ordinal: Int.max / 2)
}

/// Replenishment (product §6, aACE automatic replenishment / Acctivate reorder).
public enum Replenishment {
    /// backordered + minimum stock − available − on order (− already drafted), if positive,
    /// rounded up to the reorder multiple; else 0.
    public static func suggestion(backordered: Int, minStock: Int, available: Int, onOrder: Int,
                                  drafted: Int = 0, multiple: Int) -> Int {
        let raw = backordered + minStock - available - onOrder - drafted
        guard raw > 0 else { return 0 }
        let m = max(1, multiple)
        return (raw + m - 1) / m * m
    }
}
