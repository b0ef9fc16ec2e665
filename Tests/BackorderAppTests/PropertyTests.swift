@testable import BackorderApp
import TestSupport
import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// Seeded random operation sequences against a real database file (architecture.md, "Tests").
///
/// After every step: `Desk.check()` (I1–I6) is empty, and a few shipment rules hold. After every
/// process run and priority change: the allotments of every affected (LIC, location) equal the
/// greedy fill computed by `World.canonical` (an independent reference, not BackorderCore).
/// Order entry, negative adjustments, voids, cancellations, returns and shipment moves are each
/// compared with what the rules of product.md §4 say they must do.
///
/// Reproduce a failure with `PROPERTY_SEED=<seed> swift test --filter PropertyTests`
/// (`PROPERTY_SEQUENCES` and `PROPERTY_STEPS` change the amount of work).
final class PropertyTests: XCTestCase {
    func testRandomOperationSequencesKeepInvariantsAndCanonicalAllocation() throws {
        let env = ProcessInfo.processInfo.environment
        let fixedSeed = env["PROPERTY_SEED"].flatMap { UInt64($0) }
        let count = Int(env["PROPERTY_SEQUENCES"] ?? "") ?? (fixedSeed == nil ? 300 : 1)
        let steps = Int(env["PROPERTY_STEPS"] ?? "") ?? 20
        let workers = max(1, Int(env["PROPERTY_WORKERS"] ?? "") ?? min(2, ProcessInfo.processInfo.activeProcessorCount))
        let baseSeed = fixedSeed ?? 20_260_302
        let dir = try TempDir(prefix: "property")

        // One freshly initialised database (MAIN, admin), copied for every sequence: each sequence
        // still has its own file, without paying for the migration 300 times.
        let template = dir.file("template.sqlite")
        try Desk.initialize(path: template, userName: "admin")

        let results = Results()
        let started = Date()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = results.next(below: count) {
                let seed = baseSeed &+ UInt64(i)
                let run = SequenceRun(seed: seed, path: dir.file("seq-\(seed).sqlite"), steps: steps)
                var failure: String?
                do {
                    try run.go(template: template)
                } catch {
                    failure = """
                        property sequence failed — seed \(seed) (reproduce: PROPERTY_SEED=\(seed) PROPERTY_STEPS=\(steps) swift test --filter PropertyTests)
                        \(error)
                        steps:
                        \(run.log.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n"))
                        """
                }
                run.close()
                results.record(steps: run.log.count, outcomes: run.outcomes, failure: failure)
            }
        }
        for failure in results.failures { XCTFail(failure) }
        let stats = results.outcomes
        let summary = stats.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        print("PropertyTests: \(results.sequences) sequences (\(workers) workers), \(results.steps) steps in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; \(summary)")
        XCTAssertEqual(results.sequences, results.failures.isEmpty ? count : results.sequences)
        // The generator must really exercise the interesting paths.
        if count >= 100 {
            for key in ["enter.ok", "enter.splitNeeded", "enter.preempts", "priority.ok", "priority.moves", "primary.ok",
                        "secondary.ok", "pick.ok", "ship.ok", "cancelShipment.ok", "void.ok", "return.ok",
                        "cancelRemaining.ok", "adjust-.ok", "adjust-.takesBack", "adjust-.refused", "adjust+.ok"] {
                XCTAssertGreaterThan(stats[key] ?? 0, 0, "the random sequences never produced \(key)")
            }
        }
    }
}

/// What the workers report, under a lock. After 3 failures no new sequence starts.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private(set) var sequences = 0
    private(set) var steps = 0
    private(set) var outcomes: [String: Int] = [:]
    private(set) var failures: [String] = []

    func next(below count: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard nextIndex < count, failures.count < 3 else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    func record(steps n: Int, outcomes o: [String: Int], failure: String?) {
        lock.lock(); defer { lock.unlock() }
        sequences += 1
        steps += n
        for (k, v) in o { outcomes[k, default: 0] += v }
        if let failure { failures.append(failure) }
    }
}

struct ModelFailure: Error, CustomStringConvertible {
    var description: String
}

/// One random sequence on its own database file.
final class SequenceRun {
    let seed: UInt64
    var rng: SeededGenerator
    let path: String
    let steps: Int
    var desk: Desk!
    var log: [String] = []
    var outcomes: [String: Int] = [:]

    var lics: [String] = []
    var locations: [String] = []
    var customers: [(code: String, priority: Int)] = []
    var licIDs: [String: Int64] = [:]
    var locIDs: [String: Int64] = [:]

    /// (LIC, location)s with supply waiting for each process, as the model counts them.
    var pendingPrimary: Set<SKey> = []
    var pendingSecondary: Set<SKey> = []
    var fair = true
    var prompt = SplitPrompt.ask
    var receiptsOnPosting = false
    var current: World?

    init(seed: UInt64, path: String, steps: Int) {
        self.seed = seed
        rng = SeededGenerator(seed: seed)
        self.path = path
        self.steps = steps
    }

    func close() {
        desk = nil
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    // MARK: - Helpers

    func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw ModelFailure(description: message()) }
    }

    /// Reads the database back; the result is also kept as `current`, which stays true until the
    /// next write (every operation ends with a read, so `current` is what it starts from).
    @discardableResult
    func world() throws -> World {
        let w = try desk.database.read { try World.read($0) }
        current = w
        return w
    }

    /// Runs `body`; returns the refusal it threw, nil on success. Any other error fails the run.
    func attempt(_ body: () throws -> Void) throws -> DeskError? {
        do {
            try body()
            return nil
        } catch let e as DeskError {
            return e
        }
    }

    func count(_ outcome: String) { outcomes[outcome, default: 0] += 1 }

    func key(_ lic: String, _ loc: String) -> SKey { SKey(lic: licIDs[lic]!, loc: locIDs[loc]!) }

    // MARK: - The sequence

    func go(template: String) throws {
        try FileManager.default.copyItem(atPath: template, toPath: path)
        let database = try AppDatabase(path: path, create: false)
        let moment = Moment(day: Day(year: 2026, month: 3, day: 2)!, secondOfDay: 9 * 3600)
        desk = try Desk(store: database, userName: "admin", clock: .fixed(moment))

        _ = try desk.setPreference("backorder_management", "true")
        let nLics = rng.int(2...3)
        for i in 1...nLics {
            var spec = Desk.LICSpec(code: "L\(i)")
            spec.priceCents = 100 * i
            lics.append(try desk.addLIC(spec))
        }
        locations = ["MAIN"]
        if rng.chance(0.5) { locations.append(try desk.addLocation("EAST", name: "East")) }
        for i in 1...rng.int(3...5) {
            let p = rng.int(0...3)
            customers.append((try desk.addCustomer("C\(i)", name: nil, priority: p, terms: .ar), p))
        }
        try desk.addReason("CUST", description: "Customer request")
        fair = !rng.chance(0.25)
        if !fair { _ = try desk.setPreference("fair_queue", "false") }
        let promptRoll = rng.int(0...19)
        prompt = promptRoll < 14 ? .ask : (promptRoll < 17 ? .always : .never)
        if prompt != .ask { _ = try desk.setPreference("split_prompt", prompt.rawValue) }
        receiptsOnPosting = rng.chance(0.2)
        if receiptsOnPosting { _ = try desk.setPreference("process_receipts_on_posting", "true") }
        try desk.database.read { db in
            for r in try Row.fetchAll(db, sql: "SELECT id, code FROM lic") { licIDs[r[1]] = r[0] }
            for r in try Row.fetchAll(db, sql: "SELECT id, code FROM location") { locIDs[r[1]] = r[0] }
        }
        log.append("setup: LICs \(lics), locations \(locations), customers \(customers.map { "\($0.code)(pri \($0.priority))" }), fair queue \(fair), split prompt \(prompt.rawValue), receipts on posting \(receiptsOnPosting)")

        try world()

        for lic in lics {
            for loc in locations where rng.chance(0.8) {
                try step { try self.opReceive(lic: lic, loc: loc, qty: self.rng.int(1...15)) }
            }
        }

        for _ in 0..<steps {
            let roll = rng.int(0...99)
            try step {
                switch roll {
                case 0..<28: try self.opEnter()
                case 28..<36: try self.opReceive(lic: self.rng.pick(self.lics), loc: self.rng.pick(self.locations), qty: self.rng.int(1...20))
                case 36..<40: try self.opAdjustUp()
                case 40..<46: try self.opAdjustDown()
                case 46..<49: try self.opVoid()
                case 49..<52: try self.opReturn()
                case 52..<60: try self.opPriority()
                case 60..<66: try self.opPick()
                case 66..<73: try self.opShip()
                case 73..<76: try self.opCancelShipment()
                case 76..<80: try self.opCancelRemaining()
                case 80..<88: try self.opProcess(.primary)
                case 88..<96: try self.opProcess(.secondary)
                case 96..<98: try self.opToggleFairQueue()
                default: try self.opSplitPrompt()
                }
            }
        }
        // Whatever is waiting, the processes leave every queue canonical.
        try step { try self.opProcess(.primary) }
        try step { try self.opProcess(.secondary) }
    }

    /// Runs one operation, then the checks that hold after every committed transaction.
    func step(_ body: () throws -> Void) throws {
        try body()
        let violations = try desk.check().violations
        try expect(violations.isEmpty, "check() after the step: \(violations.map(\.description))")
        // Every operation ends by reading the database back (or changes nothing `World` holds).
        let w = current!
        var pendingPerOrder: [Int64: Int] = [:]
        for s in w.shipments.values where s.status == "pending" { pendingPerOrder[s.orderID, default: 0] += 1 }
        for (orderID, n) in pendingPerOrder {
            try expect(n <= 1, "order \(w.orders[orderID]!.number) has \(n) pending shipments; new items must append to the existing one")
        }
        // §4.2 / §4.6: a whole-line line ships nothing until it is fully allotted; a complete order
        // ships nothing until every line is.
        for l in w.lines.values where l.open && l.wholeLine && l.allotted < l.remaining {
            try expect(l.onShip == 0, "\(w.describe(l)) is whole-line and allotted only \(l.allotted), yet \(l.onShip) sit on a pending/picked shipment")
        }
        for o in w.orders.values where o.status == "open" && (o.policy == "complete" || o.policy == "complete-or-cancel") {
            let ls = w.lines(ofOrder: o.id).filter(\.open)
            if ls.contains(where: { $0.allotted < $0.remaining }) {
                for l in ls {
                    try expect(l.onShip == 0, "order \(o.number) ships complete and is short, yet \(w.describe(l)) has \(l.onShip) on a pending/picked shipment")
                }
            }
        }
    }

    /// §4.6: after allotment grows, every order that grew has its shippable allotted quantity on
    /// its (single) pending/picked shipments.
    func checkShipmentsBuilt(before: World, after: World) throws {
        let grown = Set(after.lines.values.filter { $0.allotted > (before.lines[$0.id]?.allotted ?? 0) }.map(\.orderID))
        for id in grown {
            let o = after.orders[id]!
            guard o.status == "open" else { continue }
            let ls = after.lines(ofOrder: id).filter(\.open)
            if o.policy == "complete" || o.policy == "complete-or-cancel" {
                guard ls.allSatisfy({ $0.allotted == $0.remaining }) else { continue }
                for l in ls { try expect(l.onShip == l.allotted, "complete order \(o.number) is fully allotted but \(after.describe(l)) has \(l.onShip) of \(l.allotted) on a shipment") }
            } else {
                for l in ls where !(l.wholeLine && l.allotted < l.remaining) {
                    try expect(l.onShip == l.allotted, "\(after.describe(l)) grew to \(l.allotted) allotted but only \(l.onShip) are on a shipment")
                }
            }
        }
    }

    func checkCanonical(_ keys: Set<SKey>, _ w: World, after what: String) throws {
        for k in keys.sorted() {
            let diffs = w.canonicalDiffs(k)
            try expect(diffs.isEmpty, "after \(what), \(k) is not canonical:\n  \(diffs.joined(separator: "\n  "))\n\(w.dump(k))")
        }
    }

    func checkAllotmentsUnchanged(_ before: World, _ after: World, except: [Int64: Int] = [:], _ what: String) throws {
        for (id, l) in before.lines {
            let expected = except[id] ?? l.allotted
            try expect(after.lines[id]?.allotted == expected,
                       "after \(what): \(before.describe(l)) allotted \(after.lines[id]?.allotted ?? -1), expected \(expected)")
        }
    }

    // MARK: - Order entry (§4.1–4.3)

    struct Planned: Equatable, CustomStringConvertible {
        var ordered: Int
        var allotted: Int
        var whole: Bool
        var description: String { "\(ordered)/\(allotted)\(whole ? "W" : "")" }
    }

    enum EntryExpectation {
        case splitNeeded
        case lines([Planned], preempted: [Int64: Int])
    }

    /// What entering these lines (distinct LICs, so independent queues) must do, from the rules alone.
    func expectEntry(_ w: World, lines: [(key: SKey, qty: Int)], priority p: Int, policy: FulfillmentPolicy,
                     split: SplitAnswer?) throws -> EntryExpectation {
        var planned: [Planned] = []
        var preempted: [Int64: Int] = [:]
        for (k, qty) in lines {
            let q = w.queue(k)
            let onHand = w.onHand[k] ?? 0
            let allotted = w.allotted(k)
            let frozen = w.frozen(k)
            let available: Int
            if fair {
                // Available minus the unmet need of every line ahead (priority ≥ p): never jump a waiting backorder.
                let needAhead = q.filter { $0.priority >= p }.reduce(0) { $0 + $1.remaining - $1.frozen }
                available = max(0, onHand - frozen - needAhead)
            } else {
                // Plain available, plus what a higher priority may take from the lines behind.
                let movableBehind = q.filter { $0.priority < p }.reduce(0) { $0 + $1.allotted - $1.frozen }
                available = max(0, onHand - allotted + movableBehind)
            }
            var these: [Planned]
            if qty <= available {
                these = [Planned(ordered: qty, allotted: qty, whole: false)]
            } else {
                let answer: SplitAnswer?
                switch prompt {
                case .always: answer = .yes
                case .never: answer = .no
                case .ask: answer = split
                }
                guard let answer else { return .splitNeeded }
                if available == 0 {
                    // Nothing to split: Yes ships as it arrives, No waits whole (§4.2).
                    these = [Planned(ordered: qty, allotted: 0, whole: answer == .no)]
                } else if answer == .yes {
                    these = [Planned(ordered: available, allotted: available, whole: false),
                             Planned(ordered: qty - available, allotted: 0, whole: false)]
                } else {
                    these = [Planned(ordered: qty, allotted: available, whole: true)]
                }
            }
            planned += these
            // Free stock first; the rest from the lines behind, last in queue first, never frozen.
            var take = max(0, these.reduce(0) { $0 + $1.allotted } - max(0, onHand - allotted))
            for l in q.filter({ $0.priority < p }).reversed() where take > 0 {
                let t = min(l.allotted - l.frozen, take)
                if t > 0 {
                    preempted[l.id] = l.allotted - t
                    take -= t
                }
            }
            try expect(take == 0, "model: entry cannot find its stock on \(k)")
        }
        return .lines(planned, preempted: preempted)
    }

    func opEnter() throws {
        let before = current!
        let cust = rng.pick(customers)
        let loc = rng.pick(locations)
        var pool = lics
        var reqLines: [OrderRequest.Line] = []
        for _ in 0..<rng.int(1...min(3, lics.count)) {
            reqLines.append(.init(lic: pool.remove(at: rng.int(0...(pool.count - 1))), quantity: rng.int(1...12)))
        }
        var req = OrderRequest(customer: cust.code, lines: reqLines)
        req.location = loc
        if rng.chance(0.5) { req.priority = rng.int(0...5) }
        let policyRoll = rng.int(0...9)
        let policy: FulfillmentPolicy = policyRoll < 2 ? .complete : (policyRoll < 3 ? .partialCancel : .partial)
        req.policy = policy
        let splitRoll = rng.int(0...9)
        req.split = splitRoll < 3 ? nil : (splitRoll < 6 ? .yes : .no)
        let p = req.priority ?? cust.priority
        log.append("enter \(cust.code)@\(loc) priority \(req.priority.map(String.init) ?? "default \(p)") \(policy.rawValue) split \(req.split?.rawValue ?? "ask") lines \(reqLines.map { "\($0.lic):\($0.quantity)" })")

        let expectation = try expectEntry(before, lines: reqLines.map { (key($0.lic, loc), $0.quantity) },
                                          priority: p, policy: policy, split: req.split)
        var view: OrderView?
        let error = try attempt { view = try desk.enterOrder(req) }
        let after = try world()
        switch expectation {
        case .splitNeeded:
            guard case .question(.split)? = error else { throw ModelFailure(description: "expected a split refusal, got \(error.map { "\($0)" } ?? "success")") }
            try expect(after == before, "a refused entry wrote something")
            log[log.count - 1] += " → refused (split needed)"
            count("enter.splitNeeded")
        case .lines(let planned, let preempted):
            try expect(error == nil, "entry refused unexpectedly: \(error!)")
            let number = view!.number
            let o = after.orders.values.first { $0.number == number }!
            let got = after.lines(ofOrder: o.id).map { Planned(ordered: $0.ordered, allotted: $0.allotted, whole: $0.wholeLine) }
            log[log.count - 1] += " → \(number) \(got)"
            try expect(got == planned, "order \(number) lines \(got), expected \(planned)")
            try expect(o.priority == p && o.status == "open", "order \(number) priority \(o.priority) status \(o.status)")
            try checkAllotmentsUnchanged(before, after, except: preempted, "entering \(number)")
            try expect(after.onHand == before.onHand, "entry moved stock")
            // Its shipment: partial → every allotted quantity except short whole-line lines;
            // complete → all of it once every line is fully allotted, else nothing.
            let ls = after.lines(ofOrder: o.id)
            var items: [Int64: Int] = [:]
            if policy.shipsComplete {
                if ls.allSatisfy({ $0.allotted == $0.ordered }) { for l in ls { items[l.id] = l.allotted } }
            } else {
                for l in ls where l.allotted > 0 && !(l.wholeLine && l.allotted < l.ordered) { items[l.id] = l.allotted }
            }
            let shipments = after.shipments.values.filter { $0.orderID == o.id }
            if items.isEmpty {
                try expect(shipments.isEmpty, "order \(number) should have no shipment yet, has \(shipments)")
            } else {
                try expect(shipments.count == 1 && shipments[0].status == "pending" && shipments[0].items == items,
                           "order \(number) shipment \(shipments), expected one pending with \(items)")
            }
            count("enter.ok")
            if !preempted.isEmpty { count("enter.preempts") }
        }
    }

    // MARK: - Priority (§4.3, §4.4)

    func pickOrder(openBias: Double = 0.85) -> World.Order? {
        guard let w = current, !w.orders.isEmpty else { return nil }
        let all = w.orders.values.sorted { $0.id < $1.id }
        let open = all.filter { $0.status == "open" }
        if !open.isEmpty && rng.chance(openBias) { return rng.pick(open) }
        return rng.pick(all)
    }

    func opPriority() throws {
        guard let o = pickOrder() else { log.append("priority: no orders"); return }
        let before = current!
        let to = rng.int(0...6)
        log.append("priority \(o.number) \(o.priority) → \(to)")
        var preview: PriorityResult?
        let previewError = try attempt { preview = try desk.changePriority(o.number, to: to, preview: true) }
        try expect(try world() == before, "the priority preview wrote something")
        var result: PriorityResult?
        let error = try attempt { result = try desk.changePriority(o.number, to: to, preview: false) }
        let after = try world()
        guard o.status == "open" else {
            try expect(error != nil, "a priority change of a \(o.status) order was accepted")
            try expect(after == before, "a refused priority change wrote something")
            log[log.count - 1] += " → refused"
            count("priority.refused")
            return
        }
        try expect(previewError == nil && error == nil, "priority change refused: \(String(describing: previewError ?? error))")
        try expect(after.orders[o.id]!.priority == to, "priority not saved")
        let keys = Set(before.lines(ofOrder: o.id).filter(\.open).map(\.key))
        try checkCanonical(keys, after, after: "priority change of \(o.number)")
        // The preview named exactly the quantities that moved away.
        var lost: [String] = []
        for l in before.lines.values where keys.contains(l.key) {
            let now = after.lines[l.id]!.allotted
            if now < l.allotted { lost.append("\(before.licCodes[l.key.lic]!) \(before.orders[l.orderID]!.number)/\(l.lineNo) \(l.allotted - now)") }
        }
        let previewed = preview!.moves.map { "\($0.lic) \($0.fromOrder)/\($0.fromLine) \($0.qty)" }
        let reported = result!.moves.map { "\($0.lic) \($0.fromOrder)/\($0.fromLine) \($0.qty)" }
        try expect(previewed.sorted() == lost.sorted(), "preview said \(previewed.sorted()), but \(lost.sorted()) moved")
        try expect(reported.sorted() == lost.sorted(), "the change reported \(reported.sorted()), but \(lost.sorted()) moved")
        try expect(after.onHand == before.onHand, "priority change moved stock")
        try checkShipmentsBuilt(before: before, after: after)
        log[log.count - 1] += " → moves \(lost.sorted())"
        count("priority.ok")
        if !lost.isEmpty { count("priority.moves") }
    }

    // MARK: - Processes (§4.5)

    func opProcess(_ kind: ProcessKind) throws {
        let before = current!
        let expected = kind == .primary ? pendingPrimary : pendingSecondary
        log.append("process \(kind.rawValue) (model: \(expected.count) key(s) waiting)")
        let r = try desk.runProcess(kind, leaseWait: 5)
        let after = try world()
        try expect(r.licsProcessed == expected.count, "\(kind.rawValue) process worked on \(r.licsProcessed) key(s), the model expects \(expected.sorted())")
        try checkCanonical(expected, after, after: "the \(kind.rawValue) process")
        try expect(after.onHand == before.onHand, "a process run moved stock")
        try checkShipmentsBuilt(before: before, after: after)
        let units = after.lines.values.reduce(0) { $0 + max(0, $1.allotted - (before.lines[$1.id]?.allotted ?? 0)) }
        try expect(r.stats.unitsAllotted == units, "\(kind.rawValue) reported \(r.stats.unitsAllotted) units allotted, lines grew by \(units)")
        if kind == .primary { pendingPrimary = [] } else { pendingSecondary = [] }
        log[log.count - 1] += " → \(r.stats.unitsAllotted) unit(s)"
        count("\(kind.rawValue).ok")
    }

    // MARK: - Stock

    func opReceive(lic: String, loc: String, qty: Int) throws {
        let k = key(lic, loc)
        let before = current!
        log.append("receive \(lic)@\(loc) \(qty)")
        let r = try desk.receive(lic: lic, qty: qty, location: loc)
        let after = try world()
        try expect(after.onHand[k] == (before.onHand[k] ?? 0) + qty, "receipt did not raise on hand")
        if receiptsOnPosting {
            try expect(r != nil, "process receipts on posting is on, but no primary run")
            try checkCanonical([k], after, after: "a receipt processed on posting")
            try checkShipmentsBuilt(before: before, after: after)
            pendingPrimary.remove(k)
        } else {
            try expect(r == nil, "a receipt ran the primary process with the preference off")
            try checkAllotmentsUnchanged(before, after, "a receipt (nothing moves before the primary process)")
            pendingPrimary.insert(k)
        }
        count("receive.ok")
    }

    func opAdjustUp() throws {
        let lic = rng.pick(lics), loc = rng.pick(locations)
        let k = key(lic, loc)
        let delta = rng.int(1...10)
        let before = current!
        log.append("adjust \(lic)@\(loc) +\(delta)")
        try desk.adjust(lic: lic, delta: delta, reason: "count", location: loc)
        let after = try world()
        try expect(after.onHand[k] == (before.onHand[k] ?? 0) + delta, "adjustment did not raise on hand")
        try checkAllotmentsUnchanged(before, after, "a positive adjustment (it waits for the secondary process)")
        pendingSecondary.insert(k)
        count("adjust+.ok")
    }

    func opAdjustDown() throws {
        let lic = rng.pick(lics), loc = rng.pick(locations)
        let k = key(lic, loc)
        let delta = -rng.int(1...12)
        let before = current!
        log.append("adjust \(lic)@\(loc) \(delta)")
        let onHand = before.onHand[k] ?? 0
        let newOnHand = onHand + delta
        let error = try attempt { try desk.adjust(lic: lic, delta: delta, reason: "damaged", location: loc) }
        let after = try world()
        if newOnHand < before.frozen(k) {
            // It cannot go below 0 nor below what is on picked shipments.
            try expect(error != nil, "an adjustment to \(newOnHand) below frozen \(before.frozen(k)) was accepted")
            try expect(after == before, "a refused adjustment wrote something")
            log[log.count - 1] += " → refused"
            count("adjust-.refused")
            return
        }
        try expect(error == nil, "adjustment refused unexpectedly: \(error!)")
        try expect(after.onHand[k] == newOnHand, "adjustment did not lower on hand")
        // The excess allotment comes back from the end of the queue, never frozen quantity.
        var excess = before.allotted(k) - newOnHand
        var expected: [Int64: Int] = [:]
        for l in before.queue(k).reversed() where excess > 0 {
            let t = min(l.allotted - l.frozen, excess)
            if t > 0 { expected[l.id] = l.allotted - t; excess -= t }
        }
        try checkAllotmentsUnchanged(before, after, except: expected, "adjusting \(lic)@\(loc) by \(delta)")
        count("adjust-.ok")
        if !expected.isEmpty { count("adjust-.takesBack") }
    }

    func opReturn() throws {
        let w = current!
        var candidates: [(order: World.Order, lic: Int64, returnable: Int)] = []
        for o in w.orders.values.sorted(by: { $0.id < $1.id }) {
            var shipped: [Int64: Int] = [:]
            for l in w.lines(ofOrder: o.id) { shipped[l.key.lic, default: 0] += l.shipped }
            for (lic, n) in shipped.sorted(by: { $0.key < $1.key }) where n > 0 {
                candidates.append((o, lic, n - (w.returned[[o.id, lic]] ?? 0)))
            }
        }
        candidates = candidates.filter { $0.returnable > 0 }
        guard !candidates.isEmpty else { log.append("return: nothing shipped"); return }
        let c = rng.pick(candidates)
        let tooMany = rng.chance(0.1)
        let qty = tooMany ? c.returnable + 1 : rng.int(1...c.returnable)
        let licCode = w.licCodes[c.lic]!
        log.append("return \(c.order.number) \(licCode) \(qty)")
        let error = try attempt { try desk.recordReturn(order: c.order.number, lic: licCode, qty: qty) }
        let after = try world()
        if tooMany {
            try expect(error != nil, "returning more than was shipped was accepted")
            try expect(after == w, "a refused return wrote something")
            count("return.refused")
            return
        }
        try expect(error == nil, "return refused unexpectedly: \(error!)")
        let k = SKey(lic: c.lic, loc: c.order.locationID)
        try expect(after.onHand[k] == (w.onHand[k] ?? 0) + qty, "a return did not raise on hand at the order's location")
        try checkAllotmentsUnchanged(w, after, "a return (it waits for the secondary process)")
        pendingSecondary.insert(k)
        count("return.ok")
    }

    // MARK: - Orders

    func opVoid() throws {
        guard let o = pickOrder() else { log.append("void: no orders"); return }
        let before = current!
        log.append("void \(o.number)")
        let error = try attempt { try desk.voidOrder(o.number) }
        let after = try world()
        let ls = before.lines(ofOrder: o.id)
        let shipped = ls.filter(\.inventoried).reduce(0) { $0 + $1.shipped }
        let picked = before.shipments.values.contains { $0.orderID == o.id && $0.status == "picked" }
        if o.status != "open" || shipped > 0 || picked {
            try expect(error != nil, "voiding order \(o.number) (\(o.status), shipped \(shipped), picked \(picked)) was accepted")
            try expect(after == before, "a refused void wrote something")
            log[log.count - 1] += " → refused"
            count("void.refused")
            return
        }
        try expect(error == nil, "void refused unexpectedly: \(error!)")
        try expect(after.orders[o.id]!.status == "void", "order not void")
        var expected: [Int64: Int] = [:]
        for l in ls { expected[l.id] = 0 }
        try checkAllotmentsUnchanged(before, after, except: expected, "voiding \(o.number)")
        for s in after.shipments.values where s.orderID == o.id {
            try expect(s.status != "pending", "voided order \(o.number) still has pending shipment \(s.id)")
        }
        for l in ls where l.allotted > 0 { pendingSecondary.insert(l.key) }
        count("void.ok")
    }

    func opCancelRemaining() throws {
        guard let o = pickOrder() else { log.append("cancel-remaining: no orders"); return }
        let before = current!
        let ls = before.lines(ofOrder: o.id)
        let lineNo: Int? = rng.chance(0.4) ? rng.pick(ls).lineNo : nil
        log.append("cancel-remaining \(o.number) line \(lineNo.map(String.init) ?? "all")")
        var n = 0
        let error = try attempt { n = try desk.cancelRemaining(o.number, line: lineNo, reason: "CUST") }
        let after = try world()
        let targeted = ls.filter { lineNo == nil || $0.lineNo == lineNo }
        let total = targeted.reduce(0) { $0 + max(0, $1.remaining - $1.frozen) }
        if o.status != "open" || total == 0 {
            try expect(error != nil, "cancelling nothing on \(o.number) (\(o.status)) was accepted")
            try expect(after == before, "a refused cancellation wrote something")
            log[log.count - 1] += " → refused"
            count("cancelRemaining.refused")
            return
        }
        try expect(error == nil, "cancel-remaining refused unexpectedly: \(error!)")
        try expect(n == total, "cancelled \(n), expected \(total)")
        var expected: [Int64: Int] = [:]
        for l in targeted where l.remaining - l.frozen > 0 {
            expected[l.id] = l.frozen
            let a = after.lines[l.id]!
            try expect(a.cancelled == l.cancelled + l.remaining - l.frozen, "\(before.describe(l)) cancelled \(a.cancelled)")
            if l.allotted > l.frozen { pendingSecondary.insert(l.key) }
        }
        try checkAllotmentsUnchanged(before, after, except: expected, "cancelling the remainder of \(o.number)")
        let leftAll = after.lines(ofOrder: o.id).reduce(0) { $0 + $1.remaining }
        let shippedAll = after.lines(ofOrder: o.id).reduce(0) { $0 + $1.shipped }
        let status = leftAll == 0 && shippedAll == 0 ? "cancelled" : "open"
        try expect(after.orders[o.id]!.status == status, "order \(o.number) is \(after.orders[o.id]!.status), expected \(status)")
        log[log.count - 1] += " → \(n) cancelled"
        count("cancelRemaining.ok")
    }

    // MARK: - Shipments (§4.6)

    func pickShipment() throws -> World.Shipment? {
        let w = current!
        let all = w.shipments.values.sorted { $0.id < $1.id }
        let live = all.filter { $0.status == "pending" || $0.status == "picked" }
        if !live.isEmpty && rng.chance(0.85) { return rng.pick(live) }
        return all.isEmpty ? nil : rng.pick(all)
    }

    func opPick() throws {
        guard let s = try pickShipment() else { log.append("pick: no shipments"); return }
        let before = current!
        log.append("pick shipment \(s.id) (\(s.status))")
        let error = try attempt { try desk.pickShipment(s.id) }
        let after = try world()
        guard s.status == "pending" else {
            try expect(error != nil && after == before, "picking a \(s.status) shipment was accepted or wrote something")
            count("pick.refused")
            return
        }
        try expect(error == nil, "pick refused unexpectedly: \(error!)")
        try expect(after.shipments[s.id]!.status == "picked", "shipment not picked")
        for (lid, qty) in s.items {
            try expect(after.lines[lid]!.frozen == before.lines[lid]!.frozen + qty, "picking did not freeze \(qty) on line \(lid)")
        }
        try checkAllotmentsUnchanged(before, after, "picking shipment \(s.id)")
        count("pick.ok")
    }

    func opShip() throws {
        guard let s = try pickShipment() else { log.append("ship: no shipments"); return }
        let before = current!
        log.append("ship shipment \(s.id) (\(s.status))")
        let error = try attempt { try desk.shipShipment(s.id) }
        let after = try world()
        guard s.status == "pending" || s.status == "picked" else {
            try expect(error != nil && after == before, "shipping a \(s.status) shipment was accepted or wrote something")
            count("ship.refused")
            return
        }
        try expect(error == nil, "ship refused unexpectedly: \(error!)")
        try expect(after.shipments[s.id]!.status == "shipped", "shipment not shipped")
        var expected: [Int64: Int] = [:]
        var onHand = before.onHand
        for (lid, qty) in s.items {
            let l = before.lines[lid]!
            expected[lid] = l.allotted - qty
            onHand[l.key, default: 0] -= qty
            try expect(after.lines[lid]!.shipped == l.shipped + qty, "shipping did not raise shipped of \(before.describe(l))")
        }
        try checkAllotmentsUnchanged(before, after, except: expected, "shipping \(s.id)")
        try expect(after.onHand == onHand, "shipping moved on hand \(before.onHand) → \(after.onHand), expected \(onHand)")
        try expect(after.ledgerRows == before.ledgerRows + s.items.count, "shipping wrote \(after.ledgerRows - before.ledgerRows) ledger rows for \(s.items.count) items")
        count("ship.ok")
    }

    func opCancelShipment() throws {
        guard let s = try pickShipment() else { log.append("cancel shipment: no shipments"); return }
        let before = current!
        log.append("cancel shipment \(s.id) (\(s.status))")
        let error = try attempt { try desk.cancelShipment(s.id) }
        let after = try world()
        guard s.status == "pending" else {
            try expect(error != nil && after == before, "cancelling a \(s.status) shipment was accepted or wrote something")
            count("cancelShipment.refused")
            return
        }
        try expect(error == nil, "cancel refused unexpectedly: \(error!)")
        try expect(after.shipments[s.id]!.status == "cancelled", "shipment not cancelled")
        try checkAllotmentsUnchanged(before, after, "cancelling shipment \(s.id) (the allotment stays)")
        count("cancelShipment.ok")
    }

    // MARK: - Preferences

    func opToggleFairQueue() throws {
        fair.toggle()
        log.append("prefs fair_queue \(fair)")
        _ = try desk.setPreference("fair_queue", fair ? "true" : "false")
    }

    func opSplitPrompt() throws {
        prompt = rng.pick([SplitPrompt.ask, .always, .never])
        log.append("prefs split_prompt \(prompt.rawValue)")
        _ = try desk.setPreference("split_prompt", prompt.rawValue)
    }
}
