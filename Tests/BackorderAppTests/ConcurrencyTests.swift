@testable import BackorderApp
import TestSupport
import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// Several terminals and cron jobs on one database file (product §1, architecture "Multi-terminal"):
/// real `backorders` processes started at the same moment, then the result is checked against
/// what the same work done one after another must give.
final class ConcurrencyTests: XCTestCase {
    var dir: TempDir!
    var cli: Backorders!

    /// On `BACKORDERS_TEST_POSTGRES`'s server, the database made for this test.
    var postgres: (server: PostgresAddress, name: String)?

    override func setUpWithError() throws {
        dir = try TempDir(prefix: "concurrency")
        if let server = DeskFixture.postgresServer {
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try PostgresStore.createDatabase(name, on: server)
            postgres = (server, name)
            cli = try Backorders(home: dir.path, db: server.with(database: name).description)
        } else {
            cli = try Backorders(home: dir.path, db: dir.file("desk.sqlite"))
        }
    }

    override func tearDown() {
        cli = nil
        dir = nil
        if let postgres { try? PostgresStore.dropDatabase(postgres.name, on: postgres.server) }
    }

    func desk() throws -> Desk {
        try Desk(store: Desk.openStore(cli.db), userName: "boss",
                 clock: .fixed(Moment(day: Day(year: 2026, month: 3, day: 2)!, secondOfDay: 9 * 3600)))
    }

    /// The first column of the first row of `sql`, read on either store.
    func value(_ d: Desk, _ sql: String) throws -> Int {
        try (d.store as! any SQLStore).reading { try $0.fetchOne(Int.self, sql: sql) ?? 0 }
    }

    /// Starts every script at once: each waits (polling) for a go-file, then runs its commands in
    /// sequence and stops at the first failure. Returns their outcomes.
    func runTogether(_ scripts: [[[String]]]) throws -> [Outcome] {
        let go = dir.file("go-\(UUID().uuidString.prefix(6))")
        func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let running = try scripts.map { commands -> Backorders.Running in
            let body = commands.map { "\"$BIN\" " + $0.map(quote).joined(separator: " ") + " || exit $?" }.joined(separator: "\n")
            let script = "until [ -e \(quote(go)) ]; do sleep 0.01; done\n\(body)\n"
            return try cli.startShell(script)
        }
        _ = FileManager.default.createFile(atPath: go, contents: Data())
        return running.map { $0.finish() }
    }

    // MARK: - Writers, a process run and adjustments at once

    func testConcurrentEntryProcessAndAdjustmentsGiveTheSequentialResult() throws {
        try Desk.initialize(path: cli.db, userName: "boss")
        do {
            let d = try desk()
            _ = try d.setPreference("backorder_management", "true")
            try d.addLIC(.init(code: "SCARCE"))
            for i in 1...4 { try d.addCustomer("C\(i)", name: nil, priority: 0, terms: .ar) }
            _ = try d.receive(lic: "SCARCE", qty: 10)
            _ = try d.runProcess(.primary)
        }

        // 4 writers × 4 orders (40 units wanted, 10 on hand), a secondary process runner, and an
        // adjuster whose changes add up to 0.
        let quantities = [[3, 2, 4, 1], [2, 4, 1, 3], [4, 1, 3, 2], [1, 3, 2, 4]]
        var scripts: [[[String]]] = quantities.enumerated().map { w, qs in
            qs.map { ["order", "new", "--customer", "C\(w + 1)", "--line", "SCARCE:\($0)", "--split", "yes", "--json"] }
        }
        scripts.append(Array(repeating: ["process", "secondary", "--json"], count: 3))
        scripts.append([["adjust", "SCARCE", "+5", "--reason", "found"], ["adjust", "SCARCE", "-3", "--reason", "damaged"],
                        ["adjust", "SCARCE", "+2", "--reason", "found"], ["adjust", "SCARCE", "-4", "--reason", "damaged"]])
        let outcomes = try runTogether(scripts)
        for o in outcomes { XCTAssertEqual(o.status, 0, "\(o)") }

        // What the adjustments added still waits for the secondary process; run it, then compare
        // with sequential entry in entry-sequence order: with the fair queue and one priority, each
        // order gets what the orders entered before it left (first entered wins).
        let d = try desk()
        _ = try d.runProcess(.secondary)
        XCTAssertEqual(try d.check().violations, [])
        let orders = try (d.store as! any SQLStore).reading { db in
            try db.fetchAll(sql: """
                SELECT o.entered_seq, o.number, sum(l.ordered), sum(l.allotted) FROM orders o JOIN order_line l ON l.order_id = o.id
                GROUP BY o.id ORDER BY o.entered_seq
                """).map { (seq: $0[0] as Int, number: $0[1] as String, ordered: $0[2] as Int, allotted: $0[3] as Int) }
        }
        let onHand = try value(d, "SELECT sum(qty) FROM ledger")
        let allotted = try value(d, "SELECT sum(allotted) FROM order_line")
        XCTAssertEqual(orders.count, 16)
        XCTAssertEqual(orders.map(\.seq), Array(1...16), "entry sequence numbers must be unique and gapless")
        XCTAssertEqual(Set(orders.map(\.number)).count, 16)
        XCTAssertEqual(orders.map(\.ordered).sorted(), quantities.flatMap { $0 }.sorted())
        XCTAssertEqual(onHand, 10, "the adjustments add up to 0")
        XCTAssertLessThanOrEqual(allotted, onHand)
        var left = onHand
        var expected: [String: Int] = [:]
        for o in orders {
            expected[o.number] = min(o.ordered, left)
            left -= expected[o.number]!
        }
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: orders.map { ($0.number, $0.allotted) }), expected,
                       "allotments differ from sequential entry in entry order: \(orders)")

        // Every writer's orders came out in its own order, and the entries it printed are real.
        for (w, _) in quantities.enumerated() {
            let printed = outcomes[w].stdout.components(separatedBy: "\"number\": \"").dropFirst().compactMap { $0.split(separator: "\"").first }
            XCTAssertEqual(printed.count, 4, outcomes[w].description)
        }
        let runs = try d.runs()
        XCTAssertEqual(runs.filter { $0.process == .secondary }.count, 4)
        XCTAssertTrue(runs.allSatisfy { $0.finishedAt != nil && $0.error == nil })
    }

    // MARK: - Two primary runs at once

    func testTwoPrimaryRunsAtOnceNeverDoubleAllot() throws {
        try Desk.initialize(path: cli.db, userName: "boss")
        let lics = (1...30).map { "P\($0)" }
        var expectedUnits = 0
        do {
            let d = try desk()
            _ = try d.setPreference("backorder_management", "true")
            try d.addCustomer("C1", name: nil, priority: 0, terms: .ar)
            try d.addCustomer("C2", name: nil, priority: 4, terms: .ar)
            for (i, code) in lics.enumerated() {
                try d.addLIC(.init(code: code))
                var first = OrderRequest(customer: "C1", lines: [.init(lic: code, quantity: 4 + i % 3)])
                first.split = .no
                try d.enterOrder(first)
                var second = OrderRequest(customer: "C2", lines: [.init(lic: code, quantity: 3)])
                second.split = .yes
                try d.enterOrder(second)
            }
        }

        for round in 1...2 {
            // Receipts for every LIC wait for the primary process.
            let d = try desk()
            for (i, code) in lics.enumerated() {
                let qty = round == 1 ? 2 + i % 5 : 3
                _ = try d.receive(lic: code, qty: qty)
            }
            let before = try value(d, "SELECT sum(allotted) FROM order_line")
            let onHand = try value(d, "SELECT sum(qty) FROM ledger")
            // Per LIC, the queue can take at most min(on hand, demand).
            let fillable = try value(d, """
                SELECT sum(min(oh, dm)) FROM (
                    SELECT l.lic_id, sum(l.ordered - l.cancelled - l.shipped) AS dm,
                           (SELECT coalesce(sum(g.qty), 0) FROM ledger g WHERE g.lic_id = l.lic_id) AS oh
                    FROM order_line l GROUP BY l.lic_id) AS per_lic
                """)
            expectedUnits = fillable - before

            let outcomes = try runTogether([[["process", "primary", "--json"]], [["process", "primary", "--json"]]])
            var units: [Int] = []
            for o in outcomes {
                if o.status == 0 {
                    let json = try JSONSerialization.jsonObject(with: Data(o.stdout.utf8)) as? [String: Any]
                    XCTAssertEqual(json?["process"] as? String, "primary", "\(o)")
                    units.append(json?["units_allotted"] as? Int ?? -1)
                } else {
                    // Acceptable only as the lease refusal: the other runner did the work.
                    XCTAssertEqual(o.status, 1, "\(o)")
                    XCTAssertTrue(o.stderr.contains("another runner"), "\(o)")
                    units.append(0)
                }
            }
            XCTAssertEqual(units.sorted(), [0, expectedUnits], "round \(round): one run does the work, the other finds nothing to do")

            let after = try desk()
            XCTAssertEqual(try after.check().violations, [], "round \(round)")
            let allotted = try value(after, "SELECT sum(allotted) FROM order_line")
            XCTAssertEqual(allotted, before + expectedUnits, "round \(round): double allotment")
            XCTAssertLessThanOrEqual(allotted, onHand)
            // Priority 4 orders are served first: each LIC's allotments are the greedy fill.
            for code in lics {
                let view = try after.lic(code)
                var pool = view.balance.onHand
                for line in view.lines {
                    let give = min(line.need, pool)
                    pool -= give
                    XCTAssertEqual(line.allotted, give, "round \(round) \(code): order \(line.order) line \(line.line)")
                }
            }
            let runs = try after.runs().filter { $0.process == .primary }
            XCTAssertEqual(runs.count, 2 * round)
            XCTAssertTrue(runs.allSatisfy { $0.finishedAt != nil && $0.error == nil }, "\(runs)")
            XCTAssertEqual(runs.prefix(2).map(\.stats.unitsAllotted).sorted(), [0, expectedUnits])
        }
        XCTAssertEqual(try value(desk(), "SELECT count(*) FROM process_lease"), 0,
                       "a finished run left its lease behind")
    }
}
