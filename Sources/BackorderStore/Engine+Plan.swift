import BackorderCore
import Foundation
import GRDB

/// A process run over many transactions, so that clerks never wait for it long.
///
/// A run reads each waiting queue's fill (the lines it changes and their targets) and writes
/// the fills order by order, in order number — the order a run's writes must go in to be fast:
/// its lines, shipments and log rows lie in that order in the file, and a run that wrote queue
/// by queue, committing or not, rewrote the same pages again and again (7× slower at a million
/// lines). Between two chunks of either, the run commits if another terminal waits to write
/// (`Turnstile`), and goes on in the same transaction otherwise.
///
/// Between commits the planned queues are `beingFilled`: any change to such a queue's lines
/// or stock by anyone else makes it unsettled, and the run then leaves the rest of its fill to
/// the next run (which re-fills it whole, as it does a queue a killed run left being filled).
/// Each slice also checks, once per queue it writes, that the queue is still being filled and
/// has the free stock all its unwritten fills take. A queue's waiting supply is consumed, and
/// the queue settled, with its last fill.
public final class RunPlan: @unchecked Sendable {
    let process: ProcessKind
    let runID: Int64
    let keys: [StockKey]
    /// Keys read so far.
    var read = 0
    /// The run has begun writing its fills (its chunk size then starts over).
    var writingBegun = false
    /// The fills that grow lines, in queue order per key while reading, then by order and line.
    var fills: [Engine.Fill] = []
    var sortedByOrder = false
    /// Fills written (or dropped) so far, once sorted.
    var written = 0
    // Per key, by its place in `keys` (a fill's `queue`): a run's bookkeeping is a few array
    // reads per fill, where hashing keys had been eight lookups a fill.
    /// Per key being filled: its fills not yet written.
    var unwritten: [Int32]
    /// Per key being filled: the units its unwritten fills take.
    var unwrittenGain: [Int]
    /// Keys whose fill the run left to the next run.
    var left: [Bool]
    /// Derived changes of written fills not yet applied, and each key's gains among them.
    var pending = Derivation.Result(tracksQueues: false)
    var pendingGain: [Int]
    /// Keys whose state and free stock this slice has checked (nobody else writes during a
    /// transaction, so once a slice is enough).
    var checked: [Bool]
    /// Until when (uptime, ns) clerks count as writing: a slice ended for one of them in the
    /// last two seconds. Meanwhile slices are kept short (`busySliceMs`), so the next clerk waits
    /// for one short slice and its small commit rather than for one grown until they came.
    var clerksActiveUntil: UInt64 = 0
    /// How long a clerk seen writing keeps the slices short (ns).
    static let clerksActiveFor: UInt64 = 2_000_000_000
    /// Where a run's time went (`BACKORDERS_TRACE_PHASES`), in ns: plan, check, sweep, apply.
    var spent = [UInt64](repeating: 0, count: 4)

    /// What its allotments are logged as.
    var source: AllotmentSource { process == .primary ? .primary : .secondary }

    public init(process: ProcessKind, runID: Int64, keys: [StockKey]) {
        self.process = process
        self.runID = runID
        self.keys = keys
        unwritten = Array(repeating: 0, count: keys.count)
        unwrittenGain = Array(repeating: 0, count: keys.count)
        left = Array(repeating: false, count: keys.count)
        pendingGain = Array(repeating: 0, count: keys.count)
        checked = Array(repeating: false, count: keys.count)
    }

    /// A new slice checks its keys again.
    func beginSlice() {
        for i in checked.indices { checked[i] = false }
    }

    /// Every key read and every fill written (or left).
    public var isDone: Bool { read == keys.count && written == fills.count }
    /// (done, total) in keys: reading the queues is the first half, writing their fills the second.
    public var progress: (done: Int, total: Int) {
        let n = keys.count
        if fills.isEmpty { return (read, n) }
        return (read / 2 + (n - n / 2) * written / fills.count, n)
    }
}

extension Engine {
    /// Derived changes a slice may hold before it applies them while clerks are writing (a clerk
    /// who waits for the slice's commit waits for their apply too).
    static let planEntryBound = 1 << 13
    /// The same while nobody else writes: each apply updates a cache row once however many of
    /// the fills since the last one it sums, and fills go in order number, so a queue's rows come
    /// back in every apply — at 8,192 a 100k run updated each queue's rows three times (127,000
    /// cache updates where 45,000 rows changed). A clerk who comes mid-slice waits for at most
    /// this many (~1 µs each), once: the slices after are short and apply at the bound above.
    static let planEntryBoundAlone = 1 << 15
    /// A run over at least this many queues reserves its fills' room at once.
    static let reservingKeys = 1_000

    /// Reads (and marks) keys whose fills come to about `lines` lines: lines that shrink or hold
    /// PO attachments are written one by one at once; a key with no growth left is settled and
    /// its supply consumed; the others become `beingFilled`, their growth planned.
    /// Returns the lines it read.
    func planChunk(_ plan: RunPlan, lines: Int) throws -> Int {
        let t0 = DispatchTime.now().uptimeNanoseconds
        defer { plan.spent[0] += DispatchTime.now().uptimeNanoseconds - t0 }
        if plan.read == 0 && plan.keys.count >= Engine.reservingKeys {
            // Room for as many fills as there are BO lines (the fills of a run mostly are), so
            // that half a million of them are not copied at every doubling.
            var boLines = 0
            try RawStatement(cached: db, sql: "SELECT coalesce(sum(lines), 0) FROM bo_block").forEachRow([]) { r in
                boLines = r.int(0)
                return false
            }
            plan.fills.reserveCapacity(boLines)
        }
        var taken = 0
        while plan.read < plan.keys.count && taken < lines {
            let key = plan.keys[plan.read]
            let queue = plan.read
            plan.read += 1
            // Straight into the plan's fills (a queue's own array, copied over, cost a run at a
            // million lines its half million fills twice, and the pages of each doubling).
            let start = plan.fills.count
            try readFill(key, into: &plan.fills, queue: Int32(queue), settle: false)
            let special = try allotOneByOne(&plan.fills, from: start, source: plan.source)
            let count = plan.fills.count - start
            taken += max(1, count + special)
            if count == 0 {
                try setSettled(key, true)
                try consumeSupply(plan.process, runID: plan.runID, keys: [key])
            } else {
                try execRaw(sql: "UPDATE balance SET settledness = \(Settledness.beingFilled.rawValue) WHERE lic_id = ? AND location_id = ?",
                            [key.licID, key.locationID])
                plan.unwritten[queue] = Int32(count)
                plan.unwrittenGain[queue] = plan.fills[start...].reduce(0) { $0 + $1.gain }
            }
        }
        try finish()
        return taken
    }

    /// Writes the next fills, whole orders, until about `lines` lines: each queue's fills only
    /// while it is still being filled and has the free stock they take; caches as derived
    /// changes applied in bounds; then lines, shipments and log rows order by order.
    /// Returns the fills it went through.
    func writeChunk(_ plan: RunPlan, lines: Int) throws -> Int {
        writesRunPlan = true
        defer { writesRunPlan = false }
        if !plan.sortedByOrder {
            plan.fills.sort { ($0.orderID, $0.lineNo) < ($1.orderID, $1.lineNo) }
            plan.sortedByOrder = true
        }
        let start = plan.written
        var end = min(plan.fills.count, start + lines)
        while end < plan.fills.count && end > start && plan.fills[end].orderID == plan.fills[end - 1].orderID { end += 1 }
        plan.written = end
        let chunk = plan.fills[start..<end]

        // Which queues may take their fills: still being filled, with the free stock.
        let t0 = DispatchTime.now().uptimeNanoseconds
        let stock = try RawStatement(cached: db, sql: "SELECT settledness, on_hand - allotted FROM balance WHERE lic_id = ? AND location_id = ?")
        for f in chunk {
            let q = Int(f.queue)
            guard !plan.left[q] && !plan.checked[q] else { continue }
            let key = plan.keys[q]
            var state = Settledness.unsettled, free = 0
            try stock.forEachRow([key.licID, key.locationID]) { r in
                (state, free) = (Settledness(rawValue: r.int(0)) ?? .unsettled, r.int(1))
                return false
            }
            plan.checked[q] = true
            if state != .beingFilled || free - plan.pendingGain[q] < plan.unwrittenGain[q] {
                plan.left[q] = true
                if state == .beingFilled { try setSettled(key, false) }
            }
        }
        let t1 = DispatchTime.now().uptimeNanoseconds
        var fills: [Fill] = []
        fills.reserveCapacity(chunk.count)
        for f in chunk {
            let q = Int(f.queue)
            guard !plan.left[q] else { continue }
            fills.append(f)
            plan.pendingGain[q] += f.gain
            plan.unwrittenGain[q] -= f.gain
            plan.pending.add(Derivation.Change(old: f.derivationLine(filled: false), new: f.derivationLine(filled: true)))
        }
        stats.linesFilled += fills.count
        stats.unitsAllotted += fills.reduce(0) { $0 + $1.gain }
        let sweep = try orderSweep(source: plan.source)
        var i = 0
        while i < fills.count {
            let first = i
            while i < fills.count && fills[i].orderID == fills[first].orderID { i += 1 }
            try sweep.write(fills[first].orderID, fills: fills[first..<i], earlier: [])
        }
        let t2 = DispatchTime.now().uptimeNanoseconds
        let bound = plan.clerksActiveUntil > t2 ? Engine.planEntryBound : Engine.planEntryBoundAlone
        if plan.pending.entryCount >= bound || plan.written == plan.fills.count { try applyPending(plan) }
        plan.spent[1] += t1 - t0
        plan.spent[2] += t2 - t1

        // Queues whose last fill this was: settled, their supply consumed (once applied).
        var finished: [StockKey] = []
        for f in chunk {
            let q = Int(f.queue)
            plan.unwritten[q] -= 1
            if plan.unwritten[q] == 0 && !plan.left[q] { finished.append(plan.keys[q]) }
        }
        if !finished.isEmpty {
            // In key order (the waiting-supply index's order).
            finished.sort()
            for key in finished { try setSettled(key, true, hasBalance: true) }
            try consumeSupply(plan.process, runID: plan.runID, keys: finished)
        }
        return chunk.count
    }

    /// Applies the derived changes the plan holds (before a commit, and in bounds).
    func applyPending(_ plan: RunPlan) throws {
        guard !plan.pending.isEmpty else { return }
        let t0 = DispatchTime.now().uptimeNanoseconds
        writesRunPlan = true
        defer {
            writesRunPlan = false
            plan.spent[3] += DispatchTime.now().uptimeNanoseconds - t0
        }
        try apply(plan.pending)
        plan.pending.removeAll()
        for i in plan.pendingGain.indices { plan.pendingGain[i] = 0 }
    }
}
