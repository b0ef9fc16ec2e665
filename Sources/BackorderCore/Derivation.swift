/// Everything that follows from a change to order lines: the lines' own derived flags, and the
/// cached sums the desk reads instead of scanning queues (`caches`). Pure: the store hands it a
/// batch of line changes (old → new) and applies what comes back; the same function serves one
/// clerk's line and a process run's half million, so the caches have one author.
///
/// A cache is a table of sums over lines, keyed by some of the line's figures: a line
/// contributes at most one entry to each, and a change moves the old line's contribution out
/// and the new one's in. Adding one is adding a `Cache` to `caches` (and its table).
public enum Derivation {
    /// Entry sequence numbers are grouped in blocks of 2^`blockShift` for the block caches.
    public static let blockShift = 8

    public static func block(of enteredSeq: Int64) -> Int64 { enteredSeq >> Int64(blockShift) }

    /// Blocks are grouped in spans of 2^`spanShift` (`unmet_span`): the sum over a long queue's
    /// lines ahead of one reads its spans, then the blocks of its own span, then its own block —
    /// a few hundred rows at most where the blocks alone would be one per 256 entries of the queue.
    public static let spanShift = 6

    public static func span(ofBlock block: Int64) -> Int64 { block >> Int64(spanShift) }

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
        public var span: Int64 { Derivation.span(ofBlock: block) }
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

    /// Up to four key figures of a cache entry (unused ones 0), in the cache's key column order.
    public struct Key: Hashable, Sendable, Comparable {
        public var a: Int64, b: Int64, c: Int64, d: Int64
        public init(_ a: Int64, _ b: Int64 = 0, _ c: Int64 = 0, _ d: Int64 = 0) {
            (self.a, self.b, self.c, self.d) = (a, b, c, d)
        }
        public static func < (x: Self, y: Self) -> Bool { (x.a, x.b, x.c, x.d) < (y.a, y.b, y.c, y.d) }
        /// One word to hash instead of four: a run hashes a key per cache per line.
        public func hash(into hasher: inout Hasher) {
            let (a, b, c, d) = (UInt64(bitPattern: a), UInt64(bitPattern: b), UInt64(bitPattern: c), UInt64(bitPattern: d))
            hasher.combine(a &* 0x9E37_79B9_7F4A_7C15 ^ b &* 0xC2B2_AE3D_27D4_EB4F ^ c &* 0x1656_67B1_9E37_79F9 ^ d &* 0x27D4_EB2F_1656_67C5)
        }
        public subscript(i: Int) -> Int64 {
            switch i {
            case 0: return a
            case 1: return b
            case 2: return c
            default: return d
            }
        }
    }

    /// Up to four summed figures of a cache entry (unused ones 0), in its sum column order.
    public struct Sums: Hashable, Sendable {
        public var a: Int, b: Int, c: Int, d: Int
        public init(_ a: Int, _ b: Int = 0, _ c: Int = 0, _ d: Int = 0) {
            (self.a, self.b, self.c, self.d) = (a, b, c, d)
        }
        public static let zero = Sums(0)
        public var isZero: Bool { a == 0 && b == 0 && c == 0 && d == 0 }
        public subscript(i: Int) -> Int {
            switch i {
            case 0: return a
            case 1: return b
            case 2: return c
            default: return d
            }
        }
        mutating func add(_ o: Sums, sign: Int) {
            a += sign * o.a
            b += sign * o.b
            c += sign * o.c
            d += sign * o.d
        }
    }

    /// A cache: its table, its key and sum columns, and a line's entry in it.
    public struct Cache: Sendable {
        public let table: String
        public let keyColumns: [String]
        public let sumColumns: [String]
        /// Its rows exist before any line does (a row per order): entries update them, never insert.
        public let rowsExist: Bool
        /// What `check` says it is for, in its messages.
        public let meaning: String
        let entry: @Sendable (Line) -> (Key, Sums)?

        public init(table: String, keys: [String], sums: [String], rowsExist: Bool = false, meaning: String,
                    entry: @escaping @Sendable (Line) -> (Key, Sums)?) {
            precondition(keys.count <= 4 && sums.count <= 4)
            self.table = table
            keyColumns = keys
            sumColumns = sums
            self.rowsExist = rowsExist
            self.meaning = meaning
            self.entry = entry
        }
    }

    /// Σ allotted, frozen and dedicated of a (LIC, location)'s stocked lines, and its demand
    /// Σ remaining of the open ones: the stock figures (I1, I5).
    public static let balance = Cache(table: "balance", keys: ["lic_id", "location_id"],
                                      sums: ["allotted", "frozen", "dedicated", "demand"], meaning: "stock figures") { l in
        guard l.inventoried else { return nil }
        return (Key(l.stock.licID, l.stock.locationID), Sums(l.allotted, l.frozen, l.dedicated, l.isOpen ? l.remaining : 0))
    }

    /// Σ need and Σ movable of a queue's open lines per priority: what entry sees ahead of it
    /// and what it may take from behind.
    public static let queueNeed = Cache(table: "queue_need", keys: ["lic_id", "location_id", "priority"],
                                        sums: ["need", "movable"], meaning: "need per priority") { l in
        guard l.isOpen else { return nil }
        return (Key(l.stock.licID, l.stock.locationID, Int64(l.priority)), Sums(l.need, l.movable))
    }

    /// Σ unattached unmet need and Σ need of a queue's open lines per priority and block of
    /// entry sequence: projected fill dates and priority changes read the lines ahead from it.
    public static let queueBlocks = Cache(table: "unmet_block", keys: ["lic_id", "location_id", "priority", "block"],
                                          sums: ["unmet", "need"], meaning: "need per block") { l in
        guard l.isOpen else { return nil }
        return (Key(l.stock.licID, l.stock.locationID, Int64(l.priority), l.block), Sums(l.unattachedUnmet, l.need))
    }

    /// The same sums per span of blocks (`spanShift`): what a line deep in a long queue reads
    /// for the spans ahead of its own.
    public static let queueSpans = Cache(table: "unmet_span", keys: ["lic_id", "location_id", "priority", "span"],
                                         sums: ["unmet", "need"], meaning: "need per span of blocks") { l in
        guard l.isOpen else { return nil }
        return (Key(l.stock.licID, l.stock.locationID, Int64(l.priority), l.span), Sums(l.unattachedUnmet, l.need))
    }

    /// The count of BO lines per block of entry sequence and priority: the Backorders list's
    /// length and the position of a page in it.
    public static let backlogBlocks = Cache(table: "bo_block", keys: ["block", "priority"], sums: ["lines"],
                                            meaning: "BO lines per block") { l in
        l.bo ? (Key(l.block, Int64(l.priority)), Sums(1)) : nil
    }

    /// The count of an order's BO lines (its status shows as backorder while it has any).
    public static let orderBacklog = Cache(table: "orders", keys: ["id"], sums: ["bo_lines"], rowsExist: true,
                                           meaning: "BO lines of the order") { l in
        l.bo ? (Key(l.orderID), Sums(1)) : nil
    }

    /// Every cache, in the order the store applies them.
    public static let caches: [Cache] = [balance, queueNeed, queueBlocks, queueSpans, backlogBlocks, orderBacklog]
    /// Where `balance` (the stock figures) is in `caches`.
    static let balanceIndex = caches.firstIndex { $0.table == balance.table }!

    /// Every derived change of a batch, summed: apply each entry once, in any order.
    public struct Result: Hashable, Sendable {
        /// Per cache (in `caches` order): key → the sums to add.
        public var tables: [SumTable] = Array(repeating: SumTable(), count: Derivation.caches.count)
        /// The same as dictionaries.
        public var entries: [[Key: Sums]] { tables.map(\.dictionary) }
        /// Queues whose lines changed other than by supply arriving: a queue known to be its
        /// canonical fill but for waiting supply is no longer known to be (`Settledness`).
        public var touchedQueues: Set<StockKey> = []
        /// Queues any of whose lines changed at all: a queue a process run is filling is left
        /// to the next run (`Settledness.beingFilled` in the store).
        public var changedQueues: Set<StockKey> = []
        /// Whether it notes the queues above: a process run's own fills need not (every queue
        /// they touch is one it fills, and the store skips them), two set insertions a line.
        public let tracksQueues: Bool

        public init(tracksQueues: Bool = true) {
            self.tracksQueues = tracksQueues
        }

        public var isEmpty: Bool { touchedQueues.isEmpty && changedQueues.isEmpty && tables.allSatisfy(\.isEmpty) }
        /// How many cache entries it holds (a bulk run applies and starts over past a bound, so
        /// a run over a million lines never holds them all).
        public var entryCount: Int { tables.reduce(0) { $0 + $1.count } }

        public subscript(cache: Cache) -> [Key: Sums] {
            Derivation.caches.firstIndex { $0.table == cache.table }.map { tables[$0].dictionary } ?? [:]
        }

        /// Adds one line's change.
        public mutating func add(_ change: Change) {
            let old = change.old, new = change.new
            var stockFiguresMoved = false
            for (i, cache) in Derivation.caches.enumerated() {
                let before = old.flatMap(cache.entry), after = cache.entry(new)
                if let before, let after, before == after { continue }
                if i == Derivation.balanceIndex { stockFiguresMoved = (before?.1 ?? .zero) != (after?.1 ?? .zero) }
                if let before, let after, before.0 == after.0 {  // the usual case: one lookup
                    var delta = after.1
                    delta.add(before.1, sign: -1)
                    tables[i].add(after.0, delta, sign: 1)
                    continue
                }
                if let before { tables[i].add(before.0, before.1, sign: -1) }
                if let after { tables[i].add(after.0, after.1, sign: 1) }
            }
            // A queue stays "canonical but for waiting supply" only while nothing but supply
            // changes: any change to its stock figures, or a line opening, closing or moving in it.
            guard tracksQueues, new.inventoried else { return }
            if old != new {
                changedQueues.insert(new.stock)
                if let old, old.stock != new.stock { changedQueues.insert(old.stock) }
            }
            let reshaped = old.map { $0.isOpen != new.isOpen || $0.priority != new.priority || $0.enteredSeq != new.enteredSeq } ?? new.isOpen
            if reshaped || stockFiguresMoved {
                touchedQueues.insert(new.stock)
                if let old, old.stock != new.stock { touchedQueues.insert(old.stock) }
            }
        }

        /// Drops the entries that sum to nothing (the store skips them).
        public mutating func dropZeros() {
            for i in tables.indices { tables[i].dropZeros() }
        }

        /// Empty again, keeping the tables' room: a run applies and starts over every few
        /// thousand lines, and its tables grow to the same size each time.
        public mutating func removeAll() {
            for i in tables.indices { tables[i].removeAll() }
            touchedQueues.removeAll(keepingCapacity: true)
            changedQueues.removeAll(keepingCapacity: true)
        }
    }

    /// The derived changes of a batch of line changes.
    public static func derive<S: Sequence>(_ changes: S) -> Result where S.Element == Change {
        var r = Result()
        for c in changes { r.add(c) }
        r.dropZeros()
        return r
    }

}

extension Derivation {
    /// Sums by key: what `Result` adds up per cache, in an open-addressing table of its own (a
    /// run adds four to six entries a line; a Dictionary's seeded hash per lookup was a tenth of
    /// a 1M run's own time). Equal as the dictionaries they hold.
    public struct SumTable: Hashable, Sendable {
        private struct Slot: Sendable {
            var key: Key
            var sums: Sums
            var used: Bool
        }
        private static let empty = Slot(key: Key(0), sums: .zero, used: false)
        /// A power of two in size once anything is added, at most three quarters used.
        private var slots: [Slot] = []
        public private(set) var count = 0

        public init() {}

        public var isEmpty: Bool { count == 0 }

        /// Where `key` is, or the free slot it would go in.
        private func slot(of key: Key) -> Int {
            var x = UInt64(bitPattern: key.a) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: key.b) &* 0xC2B2_AE3D_27D4_EB4F
                ^ UInt64(bitPattern: key.c) &* 0x1656_67B1_9E37_79F9 ^ UInt64(bitPattern: key.d) &* 0x27D4_EB2F_1656_67C5
            x ^= x >> 32
            x &*= 0xD6E8_FEB8_6659_FD93
            x ^= x >> 32
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: x) & mask
            while slots[i].used && slots[i].key != key { i = (i + 1) & mask }
            return i
        }

        /// Adds `sign` × `sums` to the key's entry (a new entry starts at zero).
        public mutating func add(_ key: Key, _ sums: Sums, sign: Int) {
            if (count + 1) * 4 > slots.count * 3 { grow() }
            let i = slot(of: key)
            if !slots[i].used {
                slots[i] = Slot(key: key, sums: .zero, used: true)
                count += 1
            }
            slots[i].sums.add(sums, sign: sign)
        }

        private mutating func grow() {
            let old = slots
            slots = Array(repeating: Self.empty, count: max(16, old.count * 2))
            for s in old where s.used { slots[slot(of: s.key)] = s }
        }

        /// The entries in key order.
        public func sorted() -> [(key: Key, value: Sums)] {
            slots.filter(\.used).map { (key: $0.key, value: $0.sums) }.sorted { $0.key < $1.key }
        }

        public var dictionary: [Key: Sums] {
            var d: [Key: Sums] = [:]
            for s in slots where s.used { d[s.key] = s.sums }
            return d
        }

        /// No entries, the same room.
        public mutating func removeAll() {
            guard count > 0 else { return }
            for i in slots.indices { slots[i].used = false }
            count = 0
        }

        /// Drops the entries that sum to nothing.
        public mutating func dropZeros() {
            let kept = slots.filter { $0.used && !$0.sums.isZero }
            guard kept.count < count else { return }
            self = SumTable()
            for s in kept { add(s.key, s.sums, sign: 1) }
        }

        public static func == (a: SumTable, b: SumTable) -> Bool { a.dictionary == b.dictionary }
        public func hash(into hasher: inout Hasher) { hasher.combine(dictionary) }
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
    /// One word to hash instead of two (a run hashes a key for every line it fills).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(bitPattern: licID) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: locationID) &* 0xC2B2_AE3D_27D4_EB4F)
    }
}
