/// The allocation rules of product §4, as pure functions over one (LIC, location).
public enum Allocation {
    /// A change of one line's allotment.
    public struct Change: Hashable, Sendable {
        public var lineID: Int64
        public var from: Int
        public var to: Int
        public var delta: Int { to - from }
        public init(lineID: Int64, from: Int, to: Int) {
            self.lineID = lineID
            self.from = from
            self.to = to
        }
    }

    /// The one allocation rule (§4.4): stock goes down the queue in queue order, each line
    /// taking what it still lacks while the stock lasts. Every fill the desk makes — a whole
    /// queue re-filled, waiting supply topping up the short lines, the share of a line moved by
    /// a priority change — is this walk, fed by the store one line at a time.
    public struct Fill: Hashable, Sendable {
        /// What is left to give.
        public private(set) var left: Int

        /// A walk over `pool`: the stock not frozen or dedicated (a whole queue), or the free
        /// stock (waiting supply for the short lines).
        public init(pool: Int) { left = max(0, pool) }

        /// What a line lacking `want` gets, taken from what is left.
        public mutating func give(_ want: Int) -> Int {
            let g = max(0, min(want, left))
            left -= g
            return g
        }

        /// Lines ahead needing `need` in all take it first (what is left of the pool after them).
        public mutating func pass(_ need: Int) { left = max(0, left - max(0, need)) }

        /// The canonical allotment of the next line in queue order: its fixed part (frozen and
        /// dedicated stay), and its need from what is left.
        public mutating func target(fixed: Int, remaining: Int) -> Int { fixed + give(remaining - fixed) }

        public var isEmpty: Bool { left == 0 }
    }

    /// Canonical allocation (§4.4): the greedy fill of the queue, in queue order, from the
    /// stock that is not frozen or dedicated. Returns the new allotment of every line, in queue order.
    public static func canonicalFill(_ lines: [QueueLine], onHand: Int) -> [Int64: Int] {
        let ordered = lines.sorted { $0.key < $1.key }
        var fill = Fill(pool: onHand - ordered.reduce(0) { $0 + $1.fixed })
        var result: [Int64: Int] = [:]
        result.reserveCapacity(ordered.count)
        for line in ordered {
            result[line.lineID] = fill.target(fixed: line.fixed, remaining: line.remaining)
        }
        return result
    }

    /// What a line entered at a given place in the queue may take now (§4.1).
    ///
    /// - fair queue on: the stock not frozen or dedicated, less the whole unmet need of every
    ///   line ahead — so a new order never jumps a waiting backorder;
    /// - fair queue off (aACE): plain available.
    ///
    /// In both cases the movable allotments of lines *behind* the new one count too: a line
    /// entered at a higher priority takes from them (§4.3).
    public static func availableToOrder(onHand: Int, allotted: Int, fixedTotal: Int,
                                        needAhead: Int, movableBehind: Int, fairQueue: Bool) -> Int {
        if fairQueue {
            return max(0, onHand - fixedTotal - needAhead)
        }
        return max(0, onHand - allotted + movableBehind)
    }

    /// Takes `amount` from the end of the queue (last in queue first), from movable allotments only.
    /// `linesFromEnd` must be in reverse queue order. Returns the changes and what could not be found.
    public static func takeFromEnd(_ linesFromEnd: [QueueLine], amount: Int) -> (changes: [Change], shortfall: Int) {
        var left = amount
        var changes: [Change] = []
        for line in linesFromEnd where left > 0 {
            let take = min(line.movable, left)
            guard take > 0 else { continue }
            changes.append(Change(lineID: line.lineID, from: line.allotted, to: line.allotted - take))
            left -= take
        }
        return (changes, left)
    }

    /// How a new line's quantity is split against what is available to the order (§4.2).
    public struct EntryPlan: Hashable, Sendable {
        public struct PlannedLine: Hashable, Sendable {
            public var quantity: Int
            public var allotted: Int
            public var wholeLine: Bool
            public init(quantity: Int, allotted: Int, wholeLine: Bool) {
                self.quantity = quantity
                self.allotted = allotted
                self.wholeLine = wholeLine
            }
        }
        public var lines: [PlannedLine]
        /// Whether the line was short, and so the split question applied.
        public var wasShort: Bool
        public var answer: SplitAnswer?
        public init(lines: [PlannedLine], wasShort: Bool, answer: SplitAnswer?) {
            self.lines = lines
            self.wasShort = wasShort
            self.answer = answer
        }
    }

    public enum EntryDecision: Hashable, Sendable {
        case plan(EntryPlan)
        /// The quantity is short and the question must be asked (nothing is decided yet).
        case mustAsk(available: Int, requested: Int)
    }

    /// Decides the lines for a requested quantity.
    /// - Parameters:
    ///   - answer: the clerk's answer if already given.
    ///   - prompt: the `split prompt` preference.
    ///   - managementEnabled: `enable back order management`; when off there is no question and
    ///     the line keeps its unmet need (§4.7).
    public static func planEntry(quantity: Int, available: Int, answer: SplitAnswer?,
                                 prompt: SplitPrompt, managementEnabled: Bool) -> EntryDecision {
        typealias L = EntryPlan.PlannedLine
        let available = max(0, available)
        if quantity <= available {
            return .plan(EntryPlan(lines: [L(quantity: quantity, allotted: quantity, wholeLine: false)],
                                   wasShort: false, answer: nil))
        }
        guard managementEnabled else {
            return .plan(EntryPlan(lines: [L(quantity: quantity, allotted: available, wholeLine: false)],
                                   wasShort: true, answer: nil))
        }
        let decided: SplitAnswer?
        switch prompt {
        case .always: decided = .yes
        case .never: decided = .no
        case .ask: decided = answer
        }
        guard let final = decided else { return .mustAsk(available: available, requested: quantity) }
        if available == 0 {
            // Nothing to split, but the answer still matters (§4.2): Yes is one backordered line
            // that ships what arrives as it arrives; No is one whole-line backorder that ships
            // nothing until all of it is allotted. Never a line of quantity 0.
            return .plan(EntryPlan(lines: [L(quantity: quantity, allotted: 0, wholeLine: final == .no)],
                                   wasShort: true, answer: final))
        }
        switch final {
        case .yes:
            return .plan(EntryPlan(lines: [L(quantity: available, allotted: available, wholeLine: false),
                                           L(quantity: quantity - available, allotted: 0, wholeLine: false)],
                                   wasShort: true, answer: .yes))
        case .no:
            return .plan(EntryPlan(lines: [L(quantity: quantity, allotted: available, wholeLine: true)],
                                   wasShort: true, answer: .no))
        }
    }
}
