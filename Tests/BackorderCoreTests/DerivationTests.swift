import XCTest
@testable import BackorderCore

/// The derived-change function against a recomputation from scratch written the way `check`'s
/// queries define each cache (Check.swift): for random lines and random batches of changes,
/// the caches before plus `derive(batch)` equal the caches recomputed after.
final class DerivationTests: XCTestCase {
    typealias Line = Derivation.Line

    /// The caches from scratch, as `InvariantCheck` computes them in SQL.
    struct Caches: Equatable, CustomStringConvertible {
        var balance: [StockKey: [Int]] = [:]          // allotted, frozen, dedicated, demand (inventoried lines)
        var queueNeed: [String: [Int]] = [:]          // need, movable (open lines, by stock and priority)
        var blocks: [String: [Int]] = [:]             // unattached unmet, need (open lines, by stock, priority, block)
        var spans: [String: [Int]] = [:]              // the same by stock, priority, span of blocks
        var listBlocks: [String: Int] = [:]           // BO lines by block and priority
        var orderBOLines: [Int64: Int] = [:]

        init(_ lines: [Line]) {
            for l in lines {
                if l.inventoried {
                    add(&balance[l.stock, default: [0, 0, 0, 0]], [l.allotted, l.frozen, l.dedicated, l.isOpen ? l.remaining : 0])
                }
                if l.isOpen {
                    let fixed = min(l.allotted, l.frozen + l.dedicated)
                    add(&queueNeed["\(l.stock.licID)/\(l.stock.locationID)/\(l.priority)", default: [0, 0]],
                        [l.remaining - fixed, l.allotted - fixed])
                    add(&blocks["\(l.stock.licID)/\(l.stock.locationID)/\(l.priority)/\(l.enteredSeq >> 8)", default: [0, 0]],
                        [max(0, l.remaining - l.allotted - l.attached), l.remaining - fixed])
                    add(&spans["\(l.stock.licID)/\(l.stock.locationID)/\(l.priority)/\(l.enteredSeq >> (8 + Derivation.spanShift))", default: [0, 0]],
                        [max(0, l.remaining - l.allotted - l.attached), l.remaining - fixed])
                }
                if l.bo {
                    listBlocks["\(l.enteredSeq >> 8)/\(l.priority)", default: 0] += 1
                    orderBOLines[l.orderID, default: 0] += 1
                }
            }
            prune()
        }

        init(_ r: Derivation.Result) {
            func sums(_ s: Derivation.Sums, _ n: Int) -> [Int] { (0..<n).map { s[$0] } }
            for (k, v) in r[Derivation.balance] { balance[StockKey(licID: k.a, locationID: k.b)] = sums(v, 4) }
            for (k, v) in r[Derivation.queueNeed] { queueNeed["\(k.a)/\(k.b)/\(k.c)"] = sums(v, 2) }
            for (k, v) in r[Derivation.queueBlocks] { blocks["\(k.a)/\(k.b)/\(k.c)/\(k.d)"] = sums(v, 2) }
            for (k, v) in r[Derivation.queueSpans] { spans["\(k.a)/\(k.b)/\(k.c)/\(k.d)"] = sums(v, 2) }
            for (k, v) in r[Derivation.backlogBlocks] { listBlocks["\(k.a)/\(k.b)"] = v.a }
            for (k, v) in r[Derivation.orderBacklog] { orderBOLines[k.a] = v.a }
            prune()
        }

        private func add(_ into: inout [Int], _ v: [Int]) { for i in v.indices { into[i] += v[i] } }

        mutating func plus(_ o: Caches) {
            for (k, v) in o.balance { add(&balance[k, default: [0, 0, 0, 0]], v) }
            for (k, v) in o.queueNeed { add(&queueNeed[k, default: [0, 0]], v) }
            for (k, v) in o.blocks { add(&blocks[k, default: [0, 0]], v) }
            for (k, v) in o.spans { add(&spans[k, default: [0, 0]], v) }
            for (k, v) in o.listBlocks { listBlocks[k, default: 0] += v }
            for (k, v) in o.orderBOLines { orderBOLines[k, default: 0] += v }
            prune()
        }

        mutating func prune() {
            balance = balance.filter { $0.value.contains { $0 != 0 } }
            queueNeed = queueNeed.filter { $0.value.contains { $0 != 0 } }
            blocks = blocks.filter { $0.value.contains { $0 != 0 } }
            spans = spans.filter { $0.value.contains { $0 != 0 } }
            listBlocks = listBlocks.filter { $0.value != 0 }
            orderBOLines = orderBOLines.filter { $0.value != 0 }
        }

        var description: String { "balance \(balance)\nqueueNeed \(queueNeed)\nblocks \(blocks)\nspans \(spans)\nlist \(listBlocks)\norders \(orderBOLines)" }
    }

    /// A random line of order 1…5 whose flags follow its figures and its order (as `saveLine` gives them).
    func randomLine(id: Int64, _ g: inout SeededRandom, orders: [Int64: Bool]) -> Line {
        let remaining = Int.random(in: 0...12, using: &g)
        let allotted = Int.random(in: 0...remaining, using: &g)
        let frozen = Int.random(in: 0...allotted, using: &g)
        let dedicated = Int.random(in: 0...(allotted - frozen), using: &g)
        let inventoried = Int.random(in: 0..<8, using: &g) > 0
        let orderID = Int64.random(in: 1...5, using: &g)
        var line = Line(id: id, orderID: orderID,
                        stock: StockKey(licID: Int64.random(in: 1...3, using: &g), locationID: Int64.random(in: 1...2, using: &g)),
                        priority: Int.random(in: 0...2, using: &g), enteredSeq: Int64.random(in: 0..<700, using: &g) + Int64.random(in: 0..<3, using: &g) << (8 + Derivation.spanShift),
                        remaining: remaining, allotted: allotted, frozen: frozen, dedicated: dedicated,
                        attached: Int.random(in: 0...3, using: &g), inventoried: inventoried, isOpen: false, bo: false)
        settle(&line, orderOpen: orders[orderID] ?? true)
        return line
    }

    /// Flags from the figures; a closed line holds nothing; attachments never exceed unmet need.
    func settle(_ l: inout Line, orderOpen: Bool) {
        (l.isOpen, l.bo) = Derivation.flags(remaining: l.remaining, allotted: l.allotted, inventoried: l.inventoried, orderOpen: orderOpen)
        if !l.isOpen && l.inventoried {
            l.allotted = 0
            l.frozen = 0
            l.dedicated = 0
        }
        l.attached = l.bo ? min(l.attached, l.remaining - l.allotted) : 0
    }

    /// A change the desk makes to a line: allotment, priority, cancelling, shipping.
    func randomChange(of line: Line, _ g: inout SeededRandom, orders: [Int64: Bool]) -> Line {
        var l = line
        switch Int.random(in: 0..<4, using: &g) {
        case 0: l.allotted = Int.random(in: (l.frozen + l.dedicated)...max(l.frozen + l.dedicated, l.remaining), using: &g)
        case 1: l.priority = Int.random(in: 0...2, using: &g)
        case 2: l.remaining -= Int.random(in: 0...(l.remaining - l.allotted), using: &g)
        default:
            let shipped = Int.random(in: 0...(l.allotted - l.frozen - l.dedicated), using: &g)
            l.remaining -= shipped
            l.allotted -= shipped
        }
        settle(&l, orderOpen: orders[l.orderID] ?? true)
        return l
    }

    func testRandomBatchesMoveTheCachesToTheirRecomputation() {
        for seed in UInt64(1)...300 {
            var g = SeededRandom(seed: seed)
            var orders: [Int64: Bool] = [:]
            for id in Int64(1)...5 { orders[id] = Int.random(in: 0..<5, using: &g) > 0 }
            var lines = (1...Int64.random(in: 1...40, using: &g)).map { randomLine(id: $0, &g, orders: orders) }
            var caches = Caches(lines)
            XCTAssertEqual(Caches(Derivation.derive(lines.map { Derivation.Change(old: nil, new: $0) })), caches, "seed \(seed): from nothing")
            for _ in 0..<5 {
                var changed: [Int: Line] = [:]     // index → line before this batch
                for i in lines.indices where Int.random(in: 0..<3, using: &g) == 0 {
                    changed[i] = changed[i] ?? lines[i]
                    lines[i] = randomChange(of: lines[i], &g, orders: orders)
                }
                if Int.random(in: 0..<4, using: &g) == 0 {
                    // An order closes (voided, invoiced whole): every line of it changes.
                    let closing = Int64.random(in: 1...5, using: &g)
                    orders[closing] = false
                    for i in lines.indices where lines[i].orderID == closing {
                        changed[i] = changed[i] ?? lines[i]
                        settle(&lines[i], orderOpen: false)
                    }
                }
                var batch = changed.sorted { $0.key < $1.key }.map { Derivation.Change(old: $0.value, new: lines[$0.key]) }
                for _ in 0..<Int.random(in: 0...3, using: &g) {
                    let new = randomLine(id: Int64(lines.count + 1), &g, orders: orders)
                    batch.append(Derivation.Change(old: nil, new: new))
                    lines.append(new)
                }
                let derived = Derivation.derive(batch)
                caches.plus(Caches(derived))
                XCTAssertEqual(caches, Caches(lines), "seed \(seed): after a batch of \(batch.count)")

                // A queue is touched exactly when its stock figures changed or a line opened, closed or moved in it.
                let touched = Set(batch.filter { c in
                    guard c.new.inventoried else { return false }
                    let figures = { (l: Line?) in l.map { [$0.allotted, $0.frozen, $0.dedicated, $0.isOpen ? $0.remaining : 0] } ?? [0, 0, 0, 0] }
                    guard let old = c.old else { return c.new.isOpen || figures(nil) != figures(c.new) }
                    return old.isOpen != c.new.isOpen || old.priority != c.new.priority || figures(old) != figures(c.new)
                }.map(\.new.stock))
                XCTAssertEqual(derived.touchedQueues, touched, "seed \(seed): touched queues")
            }
        }
    }

    func testOneBatchOfManyEqualsManyBatchesOfOne() {
        var g = SeededRandom(seed: 77)
        let orders: [Int64: Bool] = [1: true, 2: true, 3: false, 4: true, 5: true]
        let lines = (1...200).map { randomLine(id: Int64($0), &g, orders: orders) }
        let changes = lines.map { Derivation.Change(old: $0, new: randomChange(of: $0, &g, orders: orders)) }
        var oneByOne = Caches([])
        for c in changes { oneByOne.plus(Caches(Derivation.derive([c]))) }
        XCTAssertEqual(Caches(Derivation.derive(changes)), oneByOne)
    }

    func testALineFilledToItsNeedLeavesTheBacklogAndItsOrdersCount() {
        let stock = StockKey(licID: 1, locationID: 1)
        let old = Line(id: 1, orderID: 7, stock: stock, priority: 2, enteredSeq: 300, remaining: 10, allotted: 4,
                       frozen: 0, dedicated: 0, attached: 0, inventoried: true, isOpen: true, bo: true)
        var new = old
        new.allotted = 10
        new.bo = false
        let r = Derivation.derive([Derivation.Change(old: old, new: new)])
        XCTAssertEqual(r[Derivation.balance], [Derivation.Key(1, 1): Derivation.Sums(6, 0, 0, 0)])
        XCTAssertEqual(r.touchedQueues, [stock])
        XCTAssertEqual(r[Derivation.orderBacklog], [Derivation.Key(7): Derivation.Sums(-1)])
        XCTAssertEqual(r[Derivation.backlogBlocks], [Derivation.Key(1, 2): Derivation.Sums(-1)])
        XCTAssertEqual(r[Derivation.queueNeed], [Derivation.Key(1, 1, 2): Derivation.Sums(0, 6)])
        XCTAssertEqual(r[Derivation.queueBlocks], [Derivation.Key(1, 1, 2, 1): Derivation.Sums(-6, 0)])
        XCTAssertEqual(r[Derivation.queueSpans], [Derivation.Key(1, 1, 2, 0): Derivation.Sums(-6, 0)])
        // A change of nothing the caches hold derives nothing.
        XCTAssertTrue(Derivation.derive([Derivation.Change(old: old, new: old)]).isEmpty)
    }

    func testTheFillIsGreedyAndPassesTheLinesAhead() {
        var fill = Allocation.Fill(pool: 10)
        XCTAssertEqual(fill.target(fixed: 2, remaining: 6), 6)    // 4 of need from 10
        XCTAssertEqual(fill.give(9), 6)
        XCTAssertTrue(fill.isEmpty)
        XCTAssertEqual(fill.target(fixed: 3, remaining: 8), 3)    // only its fixed part
        var moved = Allocation.Fill(pool: 10)
        moved.pass(7)
        XCTAssertEqual(moved.give(5), 3)
        XCTAssertEqual(Allocation.Fill(pool: -4).left, 0)
    }

    /// The sums table holds what a dictionary would, through its growth, whatever the order
    /// entries came in, drops only what sums to nothing, and fills again once emptied.
    func testTheSumTableAddsUpAsADictionary() {
        var g = SeededRandom(seed: 7)
        var table = Derivation.SumTable(), reference: [Derivation.Key: Derivation.Sums] = [:]
        var added: [(Derivation.Key, Derivation.Sums, Int)] = []
        for _ in 0..<20_000 {
            let key = Derivation.Key(Int64.random(in: 1...3_000, using: &g), Int64.random(in: 1...2, using: &g),
                                     Int64.random(in: 0...9, using: &g))
            let sums = Derivation.Sums(Int.random(in: -5...5, using: &g), Int.random(in: -5...5, using: &g))
            let sign = Bool.random(using: &g) ? 1 : -1
            table.add(key, sums, sign: sign)
            reference[key, default: .zero] = Derivation.Sums(reference[key, default: .zero].a + sign * sums.a,
                                                             reference[key, default: .zero].b + sign * sums.b)
            added.append((key, sums, sign))
        }
        XCTAssertEqual(table.dictionary, reference)
        XCTAssertEqual(table.count, reference.count)
        XCTAssertEqual(table.sorted().map(\.key), reference.keys.sorted())
        var reversed = Derivation.SumTable()
        for (key, sums, sign) in added.reversed() { reversed.add(key, sums, sign: sign) }
        XCTAssertEqual(reversed, table, "the same entries in another order")
        table.dropZeros()
        XCTAssertEqual(table.dictionary, reference.filter { !$0.value.isZero })
        XCTAssertLessThan(table.count, reference.count, "some entries summed to nothing")
        XCTAssertNotEqual(table, reversed)
        var reused = reversed
        reused.removeAll()
        XCTAssertTrue(reused.isEmpty)
        XCTAssertEqual(reused, Derivation.SumTable(), "emptied, room kept")
        for (key, sums, sign) in added { reused.add(key, sums, sign: sign) }
        XCTAssertEqual(reused.dictionary, reference, "emptied and filled again")
    }
}
