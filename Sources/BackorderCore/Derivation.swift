/// Everything that follows from a change to order lines: the lines' own derived flags, and the
/// cached figures the desk reads instead of scanning queues — per (LIC, location), per queue
/// priority, per block of entry sequence, per order. Pure: the store hands it a batch of line
/// changes (old → new) and applies what comes back; the same function serves one clerk's line
/// and a process run's half million, so the caches have one author.
///
/// The caches, and what `check` recomputes each from (product §8, I3 and I5):
/// - `balance` of a (LIC, location): Σ allotted, frozen, dedicated of its inventoried lines, and
///   demand Σ remaining of the open ones;
/// - `queue_need` of a (LIC, location, priority): Σ need (remaining − fixed) and Σ movable
///   (allotted − fixed) of its open lines;
/// - `unmet_block` of a (LIC, location, priority, block): Σ unattached unmet need
///   max(0, remaining − allotted − attached) and Σ need of its open lines;
/// - `bo_bucket` of a (block, priority): the count of BO lines (the Backorders list);
/// - `orders.bo_lines`: the count of an order's BO lines.
public enum Derivation {
    /// Entry sequence numbers are grouped in blocks of 2^`blockShift` for the block caches.
    public static let blockShift = 8

    public static func block(of enteredSeq: Int64) -> Int64 { enteredSeq >> Int64(blockShift) }

    /// A line as its derived state sees it.
    public struct Line: Hashable, Sendable {
        public var id: Int64
        public var orderID: Int64
        public var stock: StockKey
        public var priority: Int
        public var enteredSeq: Int64
        /// ordered − cancelled − shipped.
        public var remaining: Int
        public var allotted: Int
        public var frozen: Int
        public var dedicated: Int
        /// Quantity attached to purchase-order lines.
        public var attached: Int
        public var inventoried: Bool
        public var isOpen: Bool
        public var bo: Bool

        public init(id: Int64, orderID: Int64, stock: StockKey, priority: Int, enteredSeq: Int64, remaining: Int,
                    allotted: Int, frozen: Int, dedicated: Int, attached: Int, inventoried: Bool, isOpen: Bool, bo: Bool) {
            self.id = id
            self.orderID = orderID
            self.stock = stock
            self.priority = priority
            self.enteredSeq = enteredSeq
            self.remaining = remaining
            self.allotted = allotted
            self.frozen = frozen
            self.dedicated = dedicated
            self.attached = attached
            self.inventoried = inventoried
            self.isOpen = isOpen
            self.bo = bo
        }

        /// The part of the allotment allocation may not move (frozen and dedicated).
        public var fixed: Int { min(allotted, frozen + dedicated) }
        /// What allocation still has to find for the line: remaining − fixed.
        public var need: Int { remaining - fixed }
        public var movable: Int { allotted - fixed }
        /// Unmet need no PO line is attached to: what projected fill dates wait for.
        public var unattachedUnmet: Int { max(0, remaining - allotted - attached) }
        public var block: Int64 { Derivation.block(of: enteredSeq) }
    }

    /// The flags a line derives from its figures and its order (I3, I5): open while its order
    /// is open, it is stocked and something remains; backordered while open and short.
    public static func flags(remaining: Int, allotted: Int, inventoried: Bool, orderOpen: Bool) -> (isOpen: Bool, bo: Bool) {
        let open = orderOpen && inventoried && remaining > 0
        return (open, open && remaining - allotted > 0)
    }

    /// One line's change: `old` is nil for a new line.
    public struct Change: Hashable, Sendable {
        public var old: Line?
        public var new: Line
        public init(old: Line?, new: Line) {
            self.old = old
            self.new = new
        }
    }

    public struct BalanceDelta: Hashable, Sendable {
        public var allotted = 0, frozen = 0, dedicated = 0, demand = 0
        /// The queue's lines changed other than by supply arriving: a queue known to be its
        /// canonical fill but for waiting supply is no longer known to be (`Settledness`).
        public var reshaped = false
        public init() {}
        public var isEmpty: Bool { allotted == 0 && frozen == 0 && dedicated == 0 && demand == 0 && !reshaped }
    }

    public struct PriorityKey: Hashable, Sendable, Comparable {
        public var stock: StockKey
        public var priority: Int
        public init(stock: StockKey, priority: Int) {
            self.stock = stock
            self.priority = priority
        }
        public static func < (a: Self, b: Self) -> Bool { (a.stock, a.priority) < (b.stock, b.priority) }
    }

    public struct BlockKey: Hashable, Sendable, Comparable {
        public var stock: StockKey
        public var priority: Int
        public var block: Int64
        public init(stock: StockKey, priority: Int, block: Int64) {
            self.stock = stock
            self.priority = priority
            self.block = block
        }
        public static func < (a: Self, b: Self) -> Bool { (a.stock, a.priority, a.block) < (b.stock, b.priority, b.block) }
    }

    /// A block of entry sequence at one priority, across all stock: a cell of the Backorders list's count.
    public struct ListBlock: Hashable, Sendable, Comparable {
        public var block: Int64
        public var priority: Int
        public init(block: Int64, priority: Int) {
            self.block = block
            self.priority = priority
        }
        public static func < (a: Self, b: Self) -> Bool { (a.block, a.priority) < (b.block, b.priority) }
    }

    /// Need and movable (queue_need), or unattached unmet need and need (unmet_block).
    public struct Pair: Hashable, Sendable {
        public var first = 0, second = 0
        public init(first: Int = 0, second: Int = 0) {
            self.first = first
            self.second = second
        }
        public var isZero: Bool { first == 0 && second == 0 }
    }

    /// Every derived change of a batch, summed: apply each entry once, in any order.
    public struct Result: Hashable, Sendable {
        public var balance: [StockKey: BalanceDelta] = [:]
        /// (need, movable) per queue priority.
        public var queueNeed: [PriorityKey: Pair] = [:]
        /// (unattached unmet, need) per queue block.
        public var blocks: [BlockKey: Pair] = [:]
        /// BO lines per list block.
        public var listBlocks: [ListBlock: Int] = [:]
        /// BO lines per order.
        public var orderBOLines: [Int64: Int] = [:]

        public init() {}

        public var isEmpty: Bool {
            balance.isEmpty && queueNeed.isEmpty && blocks.isEmpty && listBlocks.isEmpty && orderBOLines.isEmpty
        }

        /// Adds one line's change.
        public mutating func add(_ change: Change) {
            let old = change.old, new = change.new
            if new.inventoried || (old?.inventoried ?? false) {
                addQueueCaches(old, new)
            }
            let dBO = (new.bo ? 1 : 0) - ((old?.bo ?? false) ? 1 : 0)
            if dBO != 0 { orderBOLines[new.orderID, default: 0] += dBO }
            // The list counts a BO line at its priority and block: a priority change moves it.
            if let old, old.bo, !new.bo || old.priority != new.priority || old.block != new.block {
                listBlocks[ListBlock(block: old.block, priority: old.priority), default: 0] -= 1
            }
            if new.bo, !(old?.bo ?? false) || old?.priority != new.priority || old?.block != new.block {
                listBlocks[ListBlock(block: new.block, priority: new.priority), default: 0] += 1
            }
        }

        private mutating func addQueueCaches(_ old: Line?, _ new: Line) {
            func open(_ l: Line?) -> Line? { l.flatMap { $0.isOpen ? $0 : nil } }
            if let o = open(old) {
                queueNeed[PriorityKey(stock: o.stock, priority: o.priority), default: Pair()].add(-o.need, -o.movable)
                blocks[BlockKey(stock: o.stock, priority: o.priority, block: o.block), default: Pair()].add(-o.unattachedUnmet, -o.need)
            }
            if let n = open(new) {
                queueNeed[PriorityKey(stock: n.stock, priority: n.priority), default: Pair()].add(n.need, n.movable)
                blocks[BlockKey(stock: n.stock, priority: n.priority, block: n.block), default: Pair()].add(n.unattachedUnmet, n.need)
            }
            // Balance: the old line's contribution out, the new one's in (a line's stock never
            // changes, but nothing here depends on that).
            func contribution(_ l: Line?, sign: Int) -> BalanceDelta {
                var d = BalanceDelta()
                guard let l, l.inventoried else { return d }
                d.allotted = sign * l.allotted
                d.frozen = sign * l.frozen
                d.dedicated = sign * l.dedicated
                d.demand = l.isOpen ? sign * l.remaining : 0
                return d
            }
            var d = contribution(new, sign: 1)
            if let old, old.stock == new.stock {
                d.add(contribution(old, sign: -1))
                d.reshaped = old.isOpen != new.isOpen || old.priority != new.priority || old.enteredSeq != new.enteredSeq
            } else {
                if let old {
                    var gone = contribution(old, sign: -1)
                    gone.reshaped = old.isOpen
                    if !gone.isEmpty { balance[old.stock, default: BalanceDelta()].add(gone) }
                }
                d.reshaped = new.isOpen
            }
            if !d.isEmpty { balance[new.stock, default: BalanceDelta()].add(d) }
        }

        /// Drops the entries that sum to nothing (the store skips them).
        public mutating func dropZeros() {
            balance = balance.filter { !$0.value.isEmpty }
            queueNeed = queueNeed.filter { !$0.value.isZero }
            blocks = blocks.filter { !$0.value.isZero }
            listBlocks = listBlocks.filter { $0.value != 0 }
            orderBOLines = orderBOLines.filter { $0.value != 0 }
        }
    }

    /// The derived changes of a batch of line changes.
    public static func derive<S: Sequence>(_ changes: S) -> Result where S.Element == Change {
        var r = Result()
        for c in changes { r.add(c) }
        r.dropZeros()
        return r
    }

    /// The caches recomputed from scratch from every line — what `check` compares the stored
    /// caches with.
    public static func recompute<S: Sequence>(_ lines: S) -> Result where S.Element == Line {
        var r = Result()
        for line in lines { r.add(Change(old: nil, new: line)) }
        // From nothing, no queue was reshaped: the flag only means something as a change.
        for k in r.balance.keys { r.balance[k]!.reshaped = false }
        r.dropZeros()
        return r
    }
}

extension Derivation.Pair {
    mutating func add(_ a: Int, _ b: Int) {
        first += a
        second += b
    }
}

extension Derivation.BalanceDelta {
    mutating func add(_ o: Self) {
        allotted += o.allotted
        frozen += o.frozen
        dedicated += o.dedicated
        demand += o.demand
        reshaped = reshaped || o.reshaped
    }
}

/// A (LIC, location) pair: the unit of allocation.
public struct StockKey: Hashable, Sendable, Comparable {
    public var licID: Int64
    public var locationID: Int64
    public init(licID: Int64, locationID: Int64) {
        self.licID = licID
        self.locationID = locationID
    }
    public static func < (a: StockKey, b: StockKey) -> Bool { (a.licID, a.locationID) < (b.licID, b.locationID) }
}
