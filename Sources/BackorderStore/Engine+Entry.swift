import BackorderCore
import GRDB

/// An order as the clerk typed it, with codes already resolved.
public struct NewOrder: Sendable {
    public struct Line: Sendable {
        public var licID: Int64
        public var quantity: Int
        public var unitCents: Int
        /// The answer for this line alone; nil = the order's `split`.
        public var split: SplitAnswer?
        public init(licID: Int64, quantity: Int, unitCents: Int) {
            self.licID = licID
            self.quantity = quantity
            self.unitCents = unitCents
        }
    }

    /// For "ship complete or cancel entire order" when a line is short.
    public enum IfShort: Sendable, Equatable {
        case cancel(reasonCode: String)
        case keep
    }

    public var customerID: Int64
    public var locationID: Int64
    public var priority: Int
    public var policy: FulfillmentPolicy
    public var scheduleDate: Day?
    public var prepaidCents = 0
    public var minDepositCents = 0
    public var handlingCents = 0
    public var taxRatePPM = 0
    public var lines: [Line]
    public var split: SplitAnswer?
    public var ifShort: IfShort?

    public init(customerID: Int64, locationID: Int64, priority: Int, policy: FulfillmentPolicy, lines: [Line]) {
        self.customerID = customerID
        self.locationID = locationID
        self.priority = priority
        self.policy = policy
        self.lines = lines
    }
}

extension Engine {
    /// What a line entered now at `priority` may take from a (LIC, location) (§4.1), and how
    /// much of that is free stock (`Snapshot.availableToOrder`, in this transaction).
    func availableToOrder(_ key: StockKey, priority: Int) throws -> (available: Int, free: Int) {
        try reads.availableToOrder(key, priority: priority, fairQueue: prefs.fairQueue)
    }

    /// Whether any line of the order would be short, counting earlier lines of the same LIC.
    func anyLineShort(_ order: NewOrder) throws -> Bool {
        var taken: [StockKey: Int] = [:]
        for (index, line) in order.lines.enumerated() where try isInventoried(line.licID) {
            entryLineIndex = index
            let key = StockKey(licID: line.licID, locationID: order.locationID)
            let available = try availableToOrder(key, priority: order.priority).available - taken[key, default: 0]
            if line.quantity > available { return true }
            taken[key, default: 0] += line.quantity
        }
        return false
    }

    func isInventoried(_ licID: Int64) throws -> Bool {
        if let known = inventoriedCache[licID] { return known }
        let inventoried = try fetchValue(Bool.self, sql: "SELECT inventoried FROM lic WHERE id = ?", arguments: [licID]) ?? true
        inventoriedCache[licID] = inventoried
        return inventoried
    }

    func nextCounter(_ name: String) throws -> Int64 {
        try exec(sql: "UPDATE counter SET value = value + 1 WHERE name = ?", arguments: [name])
        return try fetchValue(Int64.self, sql: "SELECT value FROM counter WHERE name = ?", arguments: [name])!
    }

    /// Enters an order (§4.1–4.3): every line sees what is available to it, short lines are split
    /// or kept whole as answered, a higher priority takes from the lines behind it, and the
    /// order's allotted stock goes onto a shipment. Returns the new order's id.
    func enterOrder(_ new: NewOrder, enteredDay: Day? = nil) throws -> Int64 {
        let prefs = self.prefs
        var cancelReason: String?
        if new.policy == .completeOrCancel, try anyLineShort(new) {
            switch new.ifShort {
            case .cancel(let code)?: cancelReason = code
            case .keep?: break
            case nil:
                throw DeskError.question(.cancelIfShort)
            }
        }

        let base = try nextCounter("order_number")
        let seq = try nextCounter("entry_seq")
        let number = String(base)
        try exec(sql: """
            INSERT INTO orders (number, base_number, suffix, customer_id, location_id, status, policy, priority,
                entered_seq, entered_at, entered_day, entered_by, schedule_date, prepaid_cents, min_deposit_cents,
                handling_cents, tax_rate_ppm)
            VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [number, base, new.customerID, new.locationID, (cancelReason == nil ? OrderStatus.open : .cancelled).rawValue,
                             new.policy.rawValue, new.priority, seq, at, (enteredDay ?? now.day).description, actor,
                             new.scheduleDate?.description, new.prepaidCents, new.minDepositCents,
                             new.handlingCents, new.taxRatePPM])
        let orderID = try db.lastInsertedRowID
        let names = try fetchRow(sql: """
            SELECT c.code, l.code FROM customer c, location l WHERE c.id = ? AND l.id = ?
            """, arguments: [new.customerID, new.locationID])!
        try log(orderID, .entered(order: number, customer: names[0], location: names[1], priority: new.priority, policy: new.policy))

        var lineNo = 0
        func blank(_ req: NewOrder.Line, quantity: Int, inventoried: Bool, whole: Bool) -> LineRow {
            lineNo += 1
            return LineRow(orderID: orderID, lineNo: lineNo, licID: req.licID, locationID: new.locationID,
                           priority: new.priority, enteredSeq: seq, ordered: quantity, unitCents: req.unitCents,
                           wholeLine: whole, inventoried: inventoried)
        }

        if let reason = cancelReason {
            for req in new.lines {
                var line = blank(req, quantity: req.quantity, inventoried: try isInventoried(req.licID), whole: false)
                line.cancelled = line.ordered
                try saveLine(line, old: nil)
            }
            try log(orderID, .cancelledRemaining(line: nil, lic: nil, quantity: new.lines.reduce(0) { $0 + $1.quantity },
                                                reason: try reasonPhrase(reason) + " (short at entry)"))
            return orderID
        }

        for (index, req) in new.lines.enumerated() {
            entryLineIndex = index
            let lic = try licCode(req.licID)
            guard try isInventoried(req.licID) else {
                // A service or fee needs no stock: complete at entry, billed on the next invoice.
                var line = blank(req, quantity: req.quantity, inventoried: false, whole: false)
                line.shipped = line.ordered
                line = try saveLine(line, old: nil)
                try log(orderID, .note("Line \(line.lineNo): \(req.quantity) \(lic), not inventoried; complete at entry."))
                continue
            }
            let key = StockKey(licID: req.licID, locationID: new.locationID)
            let (available, free) = try availableToOrder(key, priority: new.priority)
            let decision = Allocation.planEntry(quantity: req.quantity, available: available, answer: req.split ?? new.split,
                                                prompt: prefs.splitPrompt, managementEnabled: prefs.backorderManagement)
            guard case .plan(let plan) = decision else {
                throw DeskError.question(.split(lic: lic, requested: req.quantity, available: available))
            }
            let toAllot = plan.lines.reduce(0) { $0 + $1.allotted }
            if !prefs.fairQueue && toAllot > 0 { try setSettled(key, false) }
            if toAllot > free {
                let short = try takeFromBehind(key, priority: new.priority, amount: toAllot - free, beneficiary: number)
                guard short == 0 else {
                    throw DeskError.refused("internal error: could not find \(toAllot) \(lic) for order \(number); nothing was changed")
                }
            }
            var saved: [LineRow] = []
            for planned in plan.lines {
                var line = blank(req, quantity: planned.quantity, inventoried: true, whole: planned.wholeLine)
                line.allotted = planned.allotted
                saved.append(try saveLine(line, old: nil))
                try log(orderID, .lineAdded(line: lineNo, lic: lic, quantity: planned.quantity, allotted: planned.allotted))
            }
            if plan.wasShort {
                let first = saved[0].lineNo
                if !prefs.backorderManagement {
                    try log(orderID, .shortUnmanaged(lic: lic, requested: req.quantity, available: available, line: first))
                } else if available == 0 {
                    try log(orderID, .nothingAvailable(lic: lic, requested: req.quantity, line: first, wholeLine: plan.answer == .no))
                } else if plan.answer == .yes {
                    try log(orderID, .splitYes(lic: lic, requested: req.quantity, available: available, firstLine: first, secondLine: saved[1].lineNo))
                } else if plan.answer == .no {
                    try log(orderID, .splitNo(lic: lic, requested: req.quantity, available: available, line: first))
                }
            }
            if toAllot > 0 { markForShipping(orderID) }
        }
        try finish()
        return orderID
    }

    /// Takes stock from the movable allotments of lines queued behind `priority`, last first.
    func takeFromBehind(_ key: StockKey, priority: Int, amount: Int, beneficiary: String) throws -> Int {
        var left = amount
        // Pages from the end of the queue, until enough is found.
        while left > 0 {
            let page = try movableFromEnd(key, below: priority)
            guard !page.isEmpty else { break }
            let (changes, shortfall) = Allocation.takeFromEnd(page.map(\.queueLine), amount: left)
            for change in changes {
                try setAllotment(lineID: change.lineID, to: change.to, source: .entry, beneficiary: beneficiary)
            }
            left = shortfall
        }
        return left
    }

    func reasonPhrase(_ code: String) throws -> String {
        guard let r = try fetchRow(sql: "SELECT code, description FROM reason WHERE code = ?", arguments: [code]) else {
            throw DeskError.notFound("unknown reason code '\(code)'; an admin adds reason codes with `backorders reason add`")
        }
        let description: String = r[1]
        return description.isEmpty ? "reason \(r[0] as String)" : "reason \(r[0] as String) (\(description))"
    }
}
