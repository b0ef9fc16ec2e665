import TestSupport
import Foundation
import XCTest

/// The command-line contract of cli.md, run as a subprocess against a temporary database.
/// Related assertions share one database per test: a fresh one per assertion would be slow.
final class CLITests: XCTestCase {
    var dir: TempDir!
    var cli: Backorders!
    var desk: TestDesk!

    override func setUpWithError() throws {
        dir = try TempDir(prefix: "cli")
        desk = try TestDesk(in: dir)
        cli = try Backorders(home: dir.path, db: desk.db)
    }

    override func tearDown() {
        cli = nil
        desk = nil
        dir = nil
    }

    // MARK: - Shapes (cli.md "JSON shapes": fields that must exist)

    static let orderKeys: Set<String> = ["number", "customer", "location", "status", "policy", "priority", "entered_seq", "parent",
                                         "prepaid_cents", "handling_cents", "lines", "shipments"]
    static let lineKeys: Set<String> = ["line", "lic", "ordered", "allotted", "shipped", "cancelled", "bo", "whole_line", "unit_cents",
                                        "po", "promise", "attachments", "projected"]
    static let shipmentKeys: Set<String> = ["id", "status", "items"]
    static let licKeys: Set<String> = ["lic", "location", "on_hand", "allotted", "available", "demand", "backordered", "on_order", "queue"]
    static let queueKeys: Set<String> = ["position", "order", "line", "priority", "need", "allotted", "attached_po", "projected"]
    static let listKeys: Set<String> = ["number", "customer", "status", "priority", "location", "entered_seq", "lines", "bo_lines"]
    static let processKeys: Set<String> = ["process", "lines_filled", "units_allotted", "shipments_created", "shipments_appended", "elapsed_ms"]

    /// Runs a command and checks its `elapsed_ms`: the use case's own time, so more than nothing
    /// and less than the whole command took from spawn to exit.
    func assertElapsedInside(_ args: String..., file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        let start = DispatchTime.now().uptimeNanoseconds
        let outcome = try cli.run(args)
        XCTAssertEqual(outcome.status, 0, "\(outcome)", file: file, line: line)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let elapsed = try outcome.object()["elapsed_ms"] as? Double
        XCTAssertNotNil(elapsed, "\(args.joined(separator: " ")) --json has elapsed_ms", file: file, line: line)
        if let elapsed { XCTAssertTrue(elapsed > 0 && elapsed < wall, "elapsed_ms \(elapsed) inside the command's \(wall) ms", file: file, line: line) }
        return outcome
    }
    static let prefKeys: Set<String> = ["backorder_management", "fair_queue", "split_prompt", "default_policy", "append_by_location",
                                        "process_receipts_on_posting", "primary_enabled", "primary_interval_minutes", "secondary_enabled",
                                        "secondary_interval_minutes", "auto_backorder", "auto_backorder_same_branch", "require_min_deposit",
                                        "max_days_out", "auto_generate_pos"]

    func assertKeys(_ value: Any?, _ keys: Set<String>, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let o = value as? [String: Any] else { return XCTFail("\(what) is not an object: \(String(describing: value))", file: file, line: line) }
        let missing = keys.subtracting(o.keys)
        XCTAssertTrue(missing.isEmpty, "\(what) lacks \(missing.sorted()): \(o)", file: file, line: line)
    }

    /// Checks an `order show --json` document: every field of cli.md, in every line and shipment.
    func assertOrderShape(_ o: Outcome, file: StaticString = #filePath, line: UInt = #line) throws {
        let obj = try o.object()
        assertKeys(obj, Self.orderKeys, "order", file: file, line: line)
        for l in obj["lines"] as? [Any] ?? [] { assertKeys(l, Self.lineKeys, "order line", file: file, line: line) }
        for s in obj["shipments"] as? [Any] ?? [] {
            assertKeys(s, Self.shipmentKeys, "shipment", file: file, line: line)
            for i in (s as? [String: Any])?["items"] as? [Any] ?? [] { assertKeys(i, ["line", "qty"], "shipment item", file: file, line: line) }
        }
    }

    struct OrderJSON: Decodable, Equatable {
        struct Line: Decodable, Equatable {
            let line: Int
            let lic: String
            let ordered, allotted, shipped, cancelled: Int
            let bo, whole_line: Bool
            let unit_cents: Int
            let po: String?
            let promise: String?
        }
        struct Shipment: Decodable, Equatable {
            struct Item: Decodable, Equatable { let line, qty: Int }
            let id: Int
            let status: String
            let items: [Item]
        }
        let number, customer, location, status, policy: String
        let priority: Int
        let entered_seq: Int
        let parent: String?
        let prepaid_cents, handling_cents: Int
        let lines: [Line]
        let shipments: [Shipment]
    }

    struct LicJSON: Decodable, Equatable {
        struct Entry: Decodable, Equatable {
            let position: Int
            let order: String
            let line, priority, need, allotted: Int
            let attached_po: String?
            let projected: String?
        }
        let lic, location: String
        let on_hand, allotted, available, demand, backordered, on_order: Int
        let queue: [Entry]
    }

    struct ListEntry: Decodable, Equatable {
        let number, customer, status: String
        let priority: Int
        let location: String
        let entered_seq, lines, bo_lines: Int
    }

    struct ProcessJSON: Decodable, Equatable {
        let process: String
        let lines_filled, units_allotted, shipments_created, shipments_appended: Int
    }

    struct ShipmentListEntry: Decodable, Equatable {
        let id: Int
        let order, customer, location, status: String
        let items, units: Int
    }

    func order(_ number: String) throws -> OrderJSON { try cli.ok("order", "show", number, "--json").decode(OrderJSON.self) }
    func lic(_ code: String, location: String = "MAIN") throws -> LicJSON {
        try cli.ok("lic", "show", code, "--location", location, "--json").decode(LicJSON.self)
    }
    func orders() throws -> [ListEntry] { try cli.ok("order", "list", "--json").decode([ListEntry].self) }

    /// init as boss (admin), back order management on, customer C1, LIC `lic` with `stock` received.
    func setUpDesk(lic code: String = "W", price: Int = 250, stock: Int) throws {
        try cli.ok("init")
        try cli.ok("prefs", "set", "backorder_management", "true")
        try cli.ok("customer", "add", "C1", "--name", "First customer")
        try cli.ok("lic", "add", code, "--price", "\(price)")
        if stock > 0 { try cli.ok("receive", code, "\(stock)") }
    }

    // MARK: - init, users and roles (§9)

    /// `backorders scheduler` is a long-running service: it stops between runs on SIGTERM, exit 0.
    func testSchedulerStopsCleanlyOnSIGTERM() throws {
        try cli.ok("init")
        try cli.ok("prefs", "set", "backorder_management", "true")
        try cli.ok("prefs", "set", "primary_enabled", "true")
        let running = try cli.start(["scheduler", "--poll", "0.1"])
        let deadline = Date().addingTimeInterval(10)
        func output() -> String { (try? String(contentsOfFile: running.out, encoding: .utf8)) ?? "" }
        while !output().contains("Primary Backorder Process") && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(output().contains("Scheduler running"), output())
        XCTAssertTrue(output().contains("Primary Backorder Process"), "the due schedule ran: \(output())")
        running.process.terminate()
        let o = running.finish()
        XCTAssertEqual(o.status, 0, "\(o)")
        XCTAssertTrue(o.stdout.contains("Scheduler stopped."), "\(o)")
        XCTAssertEqual(try cli.ok("runs", "--json").array().count, 1)
        try cli.ok("check")
    }

    func testInitUsersAndRoles() throws {
        let created = try cli.ok("init", "--json").object()
        XCTAssertEqual(created["admin"] as? String, "boss")
        if !desk.onPostgres { XCTAssertTrue(FileManager.default.fileExists(atPath: cli.db)) }
        try cli.refused("init", mentions: "already exists")

        let added = try cli.ok("user", "add", "ann", "--role", "clerk", "--json").object()
        XCTAssertEqual(added["user"] as? String, "ann")
        XCTAssertEqual(added["role"] as? String, "clerk")
        try cli.ok("user", "add", "sue", "--role", "supervisor")
        try cli.refused("user", "add", "sue", "--role", "clerk", mentions: "already exists")
        try cli.refused("user", "add", "zed", "--role", "emperor", status: [2, 64])

        // Only an admin adds users; a refusal names the role it needs and changes nothing.
        try cli.refused("user", "add", "eve", "--role", "clerk", "--user", "ann", mentions: "admin")
        try cli.refused("user", "add", "eve", "--role", "admin", "--user", "sue", mentions: "admin")
        try cli.refused("order", "list", "--user", "eve", mentions: "unknown user 'eve'")
        // The user comes from --user, else BACKORDERS_USER.
        try cli.refused("order", "list", mentions: "unknown user 'nobody'", env: ["BACKORDERS_USER": "nobody"])
        try cli.ok("order", "list", "--user", "ann", env: ["BACKORDERS_USER": "nobody"])

        // Clerk < supervisor < admin.
        try cli.refused("lic", "add", "X", "--user", "ann", mentions: "supervisor")
        try cli.ok("lic", "add", "X", "--user", "sue")
        try cli.refused("prefs", "set", "fair_queue", "false", "--user", "sue", mentions: "admin")
        try cli.refused("reason", "add", "DUP", "--user", "sue", mentions: "admin")
        try cli.refused("location", "add", "EAST", "--user", "sue", mentions: "admin")
        XCTAssertEqual(try cli.ok("prefs", "show", "--json", "--user", "ann").object()["fair_queue"] as? Bool, true)
        try cli.ok("check", "--user", "ann")
    }

    // MARK: - Master data

    func testLocationsLICsCustomersVendorsReasons() throws {
        try cli.ok("init")
        XCTAssertEqual(try cli.ok("location", "add", "east", "--name", "East branch", "--json").object()["location"] as? String, "EAST")
        try cli.ok("location", "restrict", "EAST", "--from", "MAIN,EAST")
        XCTAssertEqual(try cli.ok("vendor", "add", "V1", "--name", "Vendor one", "--json").object()["vendor"] as? String, "V1")
        XCTAssertEqual(try cli.ok("lic", "add", "TEXTBOOK", "--desc", "Algebra I", "--price", "4500", "--min-stock", "10",
                                  "--reorder-multiple", "6", "--vendor", "V1", "--json").object()["lic"] as? String, "TEXTBOOK")
        try cli.ok("lic", "add", "FEE", "--non-inventoried", "--price", "500")
        XCTAssertEqual(try cli.ok("customer", "add", "C1", "--name", "One", "--priority", "3", "--terms", "cod", "--json")
                        .object()["customer"] as? String, "C1")
        XCTAssertEqual(try cli.ok("reason", "add", "CUST", "--desc", "Customer request", "--json").object()["reason"] as? String, "CUST")

        try cli.refused("lic", "add", "TEXTBOOK", mentions: "already exists")
        try cli.refused("customer", "add", "C1", mentions: "already exists")
        try cli.refused("location", "add", "EAST", mentions: "already exists")
        try cli.refused("customer", "add", "C2", "--priority", "10", mentions: "priority")
        try cli.refused("lic", "add", "bad code!", mentions: "code")
        try cli.refused("lic", "add", "Y", "--vendor", "NOPE", mentions: "unknown vendor")
        try cli.refused("location", "restrict", "EAST", "--from", "NOWHERE", mentions: "unknown location")

        let east = try lic("TEXTBOOK", location: "EAST")
        XCTAssertEqual(east.location, "EAST")
        XCTAssertEqual(east.on_hand, 0)
        XCTAssertEqual(east.queue, [])
        // The customer's default priority is the order's priority.
        try cli.ok("prefs", "set", "backorder_management", "true")
        let o = try cli.ok("order", "new", "--customer", "c1", "--line", "FEE:1", "--json").decode(OrderJSON.self)
        XCTAssertEqual(o.priority, 3)
        XCTAssertEqual(o.lines.first?.unit_cents, 500)
    }

    // MARK: - Order entry: the textbook example (§4.2, `001_*`)

    func testTextbookExampleSplitYesNoAndAsk() throws {
        try setUpDesk(lic: "TEXTBOOK", price: 4500, stock: 20)

        // --split ask (the default) without a terminal: refused when short, nothing written.
        let ask = try cli.refused("order", "new", "--customer", "C1", "--line", "TEXTBOOK:25", "--split", "ask", mentions: "Only 20 of 25")
        XCTAssertTrue(ask.stderr.contains("--split"), "the refusal should say how to answer: \(ask)")
        try cli.refused("order", "new", "--customer", "C1", "--line", "TEXTBOOK:25", mentions: "split")
        XCTAssertEqual(try cli.ok("order", "list", "--json").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "[]")
        XCTAssertEqual(try lic("TEXTBOOK").allotted, 0)

        // Yes → a line of 20 allotted and a line of 5 backordered; the 20 go on a pending shipment.
        let yes = try cli.ok("order", "new", "--customer", "C1", "--line", "TEXTBOOK:25", "--split", "yes", "--json")
        try assertOrderShape(yes)
        let o1 = try yes.decode(OrderJSON.self)
        XCTAssertEqual(o1.number, "1001")
        XCTAssertEqual(o1.customer, "C1")
        XCTAssertEqual(o1.location, "MAIN")
        XCTAssertEqual(o1.status, "backorder")
        XCTAssertEqual(o1.policy, "partial")
        XCTAssertEqual(o1.priority, 0)
        XCTAssertEqual(o1.entered_seq, 1)
        XCTAssertNil(o1.parent)
        XCTAssertEqual(o1.prepaid_cents, 0)
        XCTAssertEqual(o1.handling_cents, 0)
        XCTAssertEqual(o1.lines, [
            .init(line: 1, lic: "TEXTBOOK", ordered: 20, allotted: 20, shipped: 0, cancelled: 0, bo: false, whole_line: false,
                  unit_cents: 4500, po: nil, promise: nil),
            .init(line: 2, lic: "TEXTBOOK", ordered: 5, allotted: 0, shipped: 0, cancelled: 0, bo: true, whole_line: false,
                  unit_cents: 4500, po: nil, promise: nil),
        ])
        XCTAssertEqual(o1.shipments.count, 1)
        XCTAssertEqual(o1.shipments.first?.status, "pending")
        XCTAssertEqual(o1.shipments.first?.items, [.init(line: 1, qty: 20)])
        // `order new --json` prints the order as `order show --json` does.
        XCTAssertEqual(try cli.ok("order", "show", "1001", "--json").stdout, yes.stdout)

        // lic show: the cli.md example, to the letter.
        let licShow = try cli.ok("lic", "show", "TEXTBOOK", "--json")
        assertKeys(try licShow.object(), Self.licKeys, "lic show")
        for e in try licShow.object()["queue"] as? [Any] ?? [] { assertKeys(e, Self.queueKeys, "queue entry") }
        XCTAssertEqual(try licShow.decode(LicJSON.self), LicJSON(
            lic: "TEXTBOOK", location: "MAIN", on_hand: 20, allotted: 20, available: 0, demand: 25, backordered: 5, on_order: 0,
            queue: [.init(position: 1, order: "1001", line: 2, priority: 0, need: 5, allotted: 0, attached_po: nil, projected: nil)]))

        // No → one whole-line line of 25, backordered, nothing on a shipment until all 25 are allotted.
        try cli.ok("order", "void", "1001")
        let no = try cli.ok("order", "new", "--customer", "C1", "--line", "TEXTBOOK:25", "--split", "no", "--json")
        try assertOrderShape(no)
        let o2 = try no.decode(OrderJSON.self)
        XCTAssertEqual(o2.number, "1002")
        XCTAssertEqual(o2.lines, [.init(line: 1, lic: "TEXTBOOK", ordered: 25, allotted: 20, shipped: 0, cancelled: 0, bo: true,
                                        whole_line: true, unit_cents: 4500, po: nil, promise: nil)])
        XCTAssertTrue(o2.shipments.allSatisfy { $0.items.isEmpty }, "a whole-line line shipped before it was complete: \(o2.shipments)")
        XCTAssertEqual(try lic("TEXTBOOK").queue, [.init(position: 1, order: "1002", line: 1, priority: 0, need: 25, allotted: 20,
                                                         attached_po: nil, projected: nil)])
        XCTAssertTrue(try cli.ok("order", "log", "1002").stdout.contains("not split"))

        // Nothing available: the question is still asked, worded for the case (§4.2), and nothing is written.
        let none = try cli.refused("order", "new", "--customer", "C1", "--line", "TEXTBOOK:3", mentions: "None of 3 TEXTBOOK available. Ship as it arrives?")
        XCTAssertTrue(none.stderr.contains("--split no (wait for all 3)"), none.stderr)
        // Yes: one BO line that ships as stock arrives; No: one whole-line BO line. Never a line of 0.
        for (answer, number, whole) in [("yes", "1003", false), ("no", "1004", true)] {
            let o = try cli.ok("order", "new", "--customer", "C1", "--line", "TEXTBOOK:3", "--split", answer, "--json").decode(OrderJSON.self)
            XCTAssertEqual(o.number, number)
            XCTAssertEqual(o.lines, [.init(line: 1, lic: "TEXTBOOK", ordered: 3, allotted: 0, shipped: 0, cancelled: 0, bo: true,
                                           whole_line: whole, unit_cents: 4500, po: nil, promise: nil)], "--split \(answer)")
            XCTAssertEqual(o.shipments, [])
        }
        XCTAssertTrue(try cli.ok("order", "log", "1003").stdout.contains("ships as stock arrives"))
        XCTAssertTrue(try cli.ok("order", "log", "1004").stdout.contains("backordered whole"))
        // The queue lists the lines with unmet need in allocation order, numbered from 1.
        XCTAssertEqual(try lic("TEXTBOOK").queue.map { "\($0.position):\($0.order)/\($0.line)" }, ["1:1002/1", "2:1003/1", "3:1004/1"])
        // Once 5 more arrive and the primary process runs, the whole line completes and ships.
        try cli.ok("receive", "TEXTBOOK", "5")
        try cli.ok("process", "primary")
        let done = try order("1002")
        XCTAssertEqual(done.lines.first?.allotted, 25)
        XCTAssertEqual(done.lines.first?.bo, false)
        XCTAssertEqual(done.shipments.flatMap(\.items), [.init(line: 1, qty: 25)])
        let waiting = try lic("TEXTBOOK")
        XCTAssertEqual(waiting.queue.map { "\($0.position):\($0.order)/\($0.line)" }, ["1:1003/1", "2:1004/1"], "a filled line leaves the queue")
        XCTAssertEqual([waiting.on_hand, waiting.allotted, waiting.demand, waiting.backordered], [25, 25, 31, 6])

        // order list: the contract's fields, newest first.
        let list = try cli.ok("order", "list", "--json")
        for e in try list.array() { assertKeys(e, Self.listKeys, "order list entry") }
        let entries = try list.decode([ListEntry].self)
        XCTAssertEqual(entries.map(\.number), ["1004", "1003", "1002", "1001"])
        XCTAssertEqual(entries.map(\.status), ["backorder", "backorder", "open", "void"])
        XCTAssertEqual(entries.first, ListEntry(number: "1004", customer: "C1", status: "backorder", priority: 0, location: "MAIN",
                                                entered_seq: 4, lines: 1, bo_lines: 1))
        XCTAssertEqual(try cli.ok("order", "list", "--status", "void", "--json").decode([ListEntry].self).map(\.number), ["1001"])
        try cli.ok("check")
    }

    func testSplitPromptPreferenceAndManagementOff() throws {
        try cli.ok("init")
        try cli.ok("customer", "add", "C1")
        try cli.ok("lic", "add", "W")
        try cli.ok("receive", "W", "4")
        // Back order management off (the default of init): no question, the unmet need stays on the line.
        let off = try cli.ok("order", "new", "--customer", "C1", "--line", "W:10", "--json").decode(OrderJSON.self)
        XCTAssertEqual(off.lines.map { [$0.ordered, $0.allotted] }, [[10, 4]])
        XCTAssertEqual(off.lines.first?.whole_line, false)
        XCTAssertEqual(off.lines.first?.bo, true)
        try cli.refused("process", "primary", mentions: "back order management is off")
        try cli.refused("process", "secondary", mentions: "back order management is off")

        try cli.ok("prefs", "set", "backorder_management", "true")
        try cli.ok("receive", "W", "6")
        try cli.ok("prefs", "set", "split_prompt", "always")
        // fair queue: 1001's unmet 6 is ahead, so nothing of the new 6 is available to 1002.
        let always = try cli.ok("order", "new", "--customer", "C1", "--line", "W:3", "--json").decode(OrderJSON.self)
        XCTAssertEqual(always.lines.map { [$0.ordered, $0.allotted] }, [[3, 0]])
        try cli.ok("process", "primary")
        XCTAssertEqual(try order("1001").lines.map(\.allotted), [10])
        XCTAssertEqual(try order("1002").lines.map(\.allotted), [0])
        try cli.ok("receive", "W", "5")
        try cli.ok("process", "primary")
        XCTAssertEqual(try order("1002").lines.map(\.allotted), [3])
        // 2 free now: always split → 2 + 3; never split → one whole line.
        let split = try cli.ok("order", "new", "--customer", "C1", "--line", "W:5", "--split", "no", "--json").decode(OrderJSON.self)
        XCTAssertEqual(split.lines.map { [$0.ordered, $0.allotted] }, [[2, 2], [3, 0]], "split prompt 'always' answers yes")
        try cli.ok("receive", "W", "5")  // 20 on hand, 18 needed ahead → 2 available to the next order
        try cli.ok("prefs", "set", "split_prompt", "never")
        let never = try cli.ok("order", "new", "--customer", "C1", "--line", "W:6", "--split", "yes", "--json").decode(OrderJSON.self)
        XCTAssertEqual(never.lines.map { [$0.ordered, $0.allotted] }, [[6, 2]], "split prompt 'never' answers no")
        XCTAssertEqual(never.lines.first?.whole_line, true)
        try cli.ok("check")
    }

    // MARK: - Refusals write nothing (§9)

    func testBadInputIsRefusedAndWritesNothing() throws {
        try setUpDesk(stock: 10)
        try cli.ok("user", "add", "ann", "--role", "clerk")
        try cli.ok("reason", "add", "CUST")
        let licBefore = try cli.ok("lic", "show", "W", "--json").stdout

        let refusals: [(args: [String], mentions: String)] = [
            (["order", "new", "--customer", "C1", "--line", "W:0"], "at least 1"),
            (["order", "new", "--customer", "C1", "--line", "W:-1"], "at least 1"),
            (["order", "new", "--customer", "C1", "--line", "W:abc"], "whole number"),
            (["order", "new", "--customer", "C1", "--line", "W:1000000001"], "at most 1,000,000,000"),
            (["order", "new", "--customer", "C1", "--line", "W:2.5"], "whole number"),
            (["order", "new", "--customer", "C1", "--line", "W"], "LIC:QTY"),
            (["order", "new", "--customer", "C1", "--line", "W:1@-5"], "price"),
            (["order", "new", "--customer", "C1", "--line", "NOPE:1"], "unknown LIC"),
            (["order", "new", "--customer", "NOBODY", "--line", "W:1"], "unknown customer"),
            (["order", "new", "--customer", "C1", "--line", "W:1", "--location", "NOWHERE"], "unknown location"),
            (["order", "new", "--customer", "C1", "--line", "W:1", "--priority", "10"], "priority"),
            (["order", "new", "--customer", "C1", "--line", "W:1", "--schedule-date", "2026-02-30"], "date"),
            (["order", "new", "--customer", "C1", "--line", "W:1", "--tax-rate", "abc"], "tax rate"),
            (["order", "new", "--customer", "C1", "--line", "W:1", "--user", "ghost"], "unknown user"),
            (["order", "show", "9999"], "unknown order"),
            (["order", "list", "--status", "opened"], "status must be one of open, backorder, invoiced, closed, cancelled, void"),
            (["shipment", "list", "--status", "packed"], "status must be one of pending, picked, shipped, cancelled"),
            (["po", "list", "--status", "approved"], "status must be one of draft, open, received, closed"),
            (["order", "void", "9999"], "unknown order"),
            (["order", "priority", "9999", "3"], "unknown order"),
            (["order", "cancel-remaining", "9999", "--reason", "CUST"], "unknown order"),
            (["return", "9999", "W", "1"], "unknown order"),
            (["receive", "W", "0"], "at least 1"),
            (["receive", "W", "-1"], "at least 1"),
            (["receive", "W", "abc"], "whole number"),
            (["receive", "W", "1000000001"], "at most"),
            (["receive", "NOPE", "1"], "unknown LIC"),
            (["adjust", "W", "0", "--reason", "x"], "must not be 0"),
            (["adjust", "W", "abc", "--reason", "x"], "whole number"),
            (["adjust", "W", "-11", "--reason", "x"], "only 10"),
            (["adjust", "W", "+1", "--reason", " "], "reason"),
            (["adjust", "W", "+5", "--reason", "x", "--user", "ann"], "supervisor"),
            (["shipment", "pick", "99"], "no shipment"),
            (["lic", "show", "NOPE"], "unknown LIC"),
        ]
        for r in refusals {
            let o = try cli.run(r.args)
            XCTAssertEqual(o.status, 1, "\(o)")
            XCTAssertTrue(o.stderr.lowercased().contains(r.mentions.lowercased()), "stderr should mention '\(r.mentions)': \(o)")
        }
        XCTAssertEqual(try cli.ok("order", "list", "--json").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "[]")
        XCTAssertEqual(try cli.ok("lic", "show", "W", "--json").stdout, licBefore, "a refusal changed the stock")

        // The order counter was not consumed by any refusal; a clerk may enter orders.
        let o = try cli.ok("order", "new", "--customer", "C1", "--line", "W:4@199", "--user", "ann", "--json").decode(OrderJSON.self)
        XCTAssertEqual(o.number, "1001")
        XCTAssertEqual(o.entered_seq, 1)
        XCTAssertEqual(o.lines.first?.unit_cents, 199)
        // A clerk cannot change priorities nor cancel remainders; nothing changes.
        try cli.refused("order", "priority", "1001", "5", "--user", "ann", mentions: "supervisor")
        try cli.refused("order", "cancel-remaining", "1001", "--reason", "CUST", "--user", "ann", mentions: "supervisor")
        try cli.refused("order", "cancel-remaining", "1001", "--reason", "NOPE", mentions: "unknown reason")
        try cli.refused("process", "primary", "--user", "ann", mentions: "supervisor")
        let after = try order("1001")
        XCTAssertEqual(after.priority, 0)
        XCTAssertEqual(after.lines.map(\.allotted), [4])
        XCTAssertEqual(after.lines.map(\.cancelled), [0])
        try cli.ok("check")
    }

    // MARK: - Priority with preview (§4.3)

    func testPriorityPreviewWritesNothingAndTheChangeMovesExactlyThat() throws {
        try setUpDesk(lic: "WIDGET", stock: 10)
        try cli.ok("user", "add", "sue", "--role", "supervisor")
        try cli.ok("order", "new", "--customer", "C1", "--line", "WIDGET:6")
        let second = try cli.ok("order", "new", "--customer", "C1", "--line", "WIDGET:8", "--split", "yes", "--json").decode(OrderJSON.self)
        XCTAssertEqual(second.lines.map { [$0.ordered, $0.allotted] }, [[4, 4], [4, 0]])

        let snapshot = { [self] in try [cli.ok("order", "list", "--json").stdout, cli.ok("order", "show", "1001", "--json").stdout,
                                        cli.ok("order", "show", "1002", "--json").stdout, cli.ok("lic", "show", "WIDGET", "--json").stdout,
                                        cli.ok("order", "log", "1001", "--json").stdout] }
        let before = try snapshot()
        let preview = try cli.ok("order", "priority", "1002", "5", "--preview", "--json", "--user", "sue")
        let p = try preview.object()
        assertKeys(p, ["order", "from", "to", "moves"], "priority preview")
        XCTAssertEqual(p["order"] as? String, "1002")
        XCTAssertEqual(p["from"] as? Int, 0)
        XCTAssertEqual(p["to"] as? Int, 5)
        let moves = p["moves"] as? [[String: Any]] ?? []
        XCTAssertEqual(moves.count, 1, "\(preview)")
        assertKeys(moves.first, ["lic", "from_order", "from_line", "qty"], "move")
        XCTAssertEqual(moves.first?["lic"] as? String, "WIDGET")
        XCTAssertEqual(moves.first?["from_order"] as? String, "1001")
        XCTAssertEqual(moves.first?["from_line"] as? Int, 1)
        XCTAssertEqual(moves.first?["qty"] as? Int, 4)
        XCTAssertEqual(try snapshot(), before, "--preview wrote something")
        XCTAssertTrue(try cli.ok("order", "priority", "1002", "5", "--preview").stdout.contains("nothing changed"))

        let change = try cli.ok("order", "priority", "1002", "5", "--json", "--user", "sue").object()
        XCTAssertEqual((change["moves"] as? [[String: Any]])?.count, 1)
        XCTAssertEqual((change["moves"] as? [[String: Any]])?.first?["qty"] as? Int, 4)
        let o1 = try order("1001"), o2 = try order("1002")
        XCTAssertEqual(o2.priority, 5)
        XCTAssertEqual(o1.lines.map(\.allotted), [2], "exactly the previewed 4 moved")
        XCTAssertEqual(o1.lines.map(\.bo), [true])
        XCTAssertEqual(o2.lines.map(\.allotted), [4, 4])
        XCTAssertEqual(o2.lines.map(\.bo), [false, false])
        // 1001's pending shipment shrank to what it still holds; 1002's grew on its one pending shipment.
        XCTAssertEqual(o1.shipments.filter { $0.status == "pending" }.flatMap(\.items), [.init(line: 1, qty: 2)])
        XCTAssertEqual(o2.shipments.filter { $0.status == "pending" }.count, 1)
        XCTAssertEqual(o2.shipments.filter { $0.status == "pending" }.flatMap(\.items), [.init(line: 1, qty: 4), .init(line: 2, qty: 4)])
        XCTAssertTrue(try cli.ok("order", "log", "1001").stdout.contains("gave up 4 WIDGET to order 1002"))
        XCTAssertTrue(try cli.ok("order", "log", "1002").stdout.contains("priority changed from 0 to 5"))
        XCTAssertEqual(try lic("WIDGET").queue.map(\.order), ["1001"])

        // Back down: a preview of the reverse names 1002's own lines, and the change gives 1001 its stock back.
        let back = try cli.ok("order", "priority", "1002", "0", "--preview", "--json").object()
        XCTAssertEqual((back["moves"] as? [[String: Any]])?.map { $0["from_order"] as? String }, ["1002"])
        try cli.ok("order", "priority", "1002", "0")
        XCTAssertEqual(try order("1001").lines.map(\.allotted), [6])
        try cli.refused("order", "priority", "1002", "10", mentions: "priority")
        try cli.ok("check")
    }

    /// The preview names every move: the losers (`moves`, as the contract has them), the lines
    /// that gain, and the shipments touched.
    func testPriorityPreviewNamesGainsAndShipments() throws {
        try setUpDesk(lic: "WIDGET", stock: 10)
        try cli.ok("order", "new", "--customer", "C1", "--line", "WIDGET:6")
        try cli.ok("order", "new", "--customer", "C1", "--line", "WIDGET:8", "--split", "yes")
        let p = try cli.ok("order", "priority", "1002", "5", "--preview", "--json").object()
        let gains = p["gains"] as? [[String: Any]] ?? []
        XCTAssertEqual(gains.count, 1, "\(p)")
        assertKeys(gains.first, ["lic", "order", "line", "qty", "customer", "customer_name"], "gain")
        XCTAssertEqual(gains.first?["order"] as? String, "1002")
        XCTAssertEqual(gains.first?["line"] as? Int, 2)
        XCTAssertEqual(gains.first?["qty"] as? Int, 4)
        XCTAssertEqual((p["moves"] as? [[String: Any]])?.first?["customer_name"] as? String, "First customer")
        let shipments = (p["shipments"] as? [[String: Any]] ?? []).map { "\($0["order"] ?? "") \($0["change"] ?? "") \($0["units"] ?? "")" }
        XCTAssertEqual(shipments, ["1001 reduced 4", "1002 appended 4"])
        let human = try cli.ok("order", "priority", "1002", "5", "--preview").stdout
        XCTAssertTrue(human.contains("Loses") && human.contains("Gains") && human.contains("Shipments"), human)
    }

    /// `order why`: the answer in sentences and in JSON; refusals for a line that is not short.
    func testWhyIsThisBackordered() throws {
        try setUpDesk(stock: 5)
        try cli.ok("vendor", "add", "V1")
        try cli.ok("order", "new", "--customer", "C1", "--line", "W:8", "--split", "no")
        try cli.ok("order", "new", "--customer", "C1", "--line", "W:3", "--split", "yes")
        try cli.ok("receive", "W", "2")
        try cli.ok("po", "new", "--vendor", "V1", "--line", "W:10", "--expected", "2027-01-15")
        let why = try cli.ok("order", "why", "1002", "--json", "--today", "2026-12-01").object()
        assertKeys(why, ["order", "line", "position", "units_ahead", "waiting_supply", "attachments", "promise", "projected", "log", "why"], "why")
        XCTAssertEqual(why["position"] as? Int, 2, "behind 1001's whole line")
        XCTAssertEqual(why["units_ahead"] as? Int, 3)
        XCTAssertEqual((why["waiting_supply"] as? [[String: Any]])?.first?["qty"] as? Int, 2)
        XCTAssertEqual((why["waiting_supply"] as? [[String: Any]])?.first?["process"] as? String, "primary")
        XCTAssertEqual(why["projected"] as? String, "2027-01-15")
        let text = try cli.ok("order", "why", "1002", "--today", "2026-12-01").stdout
        XCTAssertTrue(text.contains("lacks 3 of 3 W"), text)
        XCTAssertTrue(text.contains("2 received") && text.contains("wait for 7792 Primary Backorder Process"), text)
        XCTAssertTrue(text.contains("Projected fill date 2027-01-15"), text)
        try cli.refused("order", "why", "1001", "--line", "9", mentions: "no line 9")
        try cli.ok("process", "primary")
        try cli.ok("receive", "W", "10")
        try cli.ok("process", "primary")
        try cli.refused("order", "why", "1002", mentions: "no backordered line")
    }

    /// `order invoice --preview`: the figures and the suborder, nothing written.
    func testInvoicePreviewWritesNothing() throws {
        try setUpDesk(stock: 2)
        let o = try cli.ok("order", "new", "--customer", "C1", "--line", "W:5", "--split", "yes", "--handling", "500", "--json").decode(OrderJSON.self)
        try cli.ok("shipment", "ship", "\(o.shipments[0].id)")
        let before = try cli.ok("order", "show", "1001", "--json").stdout
        let p = try cli.ok("order", "invoice", "1001", "--preview", "--json").object()
        XCTAssertEqual(p["applied"] as? Bool, false)
        XCTAssertEqual(p["subtotal_cents"] as? Int, 500)
        XCTAssertEqual(p["total_cents"] as? Int, 1000)
        XCTAssertEqual(p["suborder"] as? String, "1001.01")
        XCTAssertEqual(p["remainder_units"] as? Int, 3)
        XCTAssertEqual((p["lines"] as? [[String: Any]])?.map { $0["qty"] as? Int }, [2])
        XCTAssertEqual(try cli.ok("order", "show", "1001", "--json").stdout, before, "--preview wrote something")
        XCTAssertTrue(try cli.ok("order", "invoice", "1001", "--preview").stdout.contains("would go on extended suborder 1001.01"))
        let done = try cli.ok("order", "invoice", "1001", "--json").object()
        XCTAssertEqual(done["total_cents"] as? Int, 1000)
        XCTAssertEqual(done["invoice"] as? Int, p["invoice"] as? Int, "the preview named the invoice it became")
    }

    /// Every preference change is logged: who, when, from → to; a set to the same value is not a change.
    func testPrefsLog() throws {
        try cli.ok("init")
        try cli.ok("prefs", "set", "backorder_management", "true")
        try cli.ok("prefs", "set", "primary_interval_minutes", "15")
        try cli.ok("prefs", "set", "primary_interval_minutes", "15")
        let log = try cli.ok("prefs", "log", "--json").array().compactMap { $0 as? [String: Any] }
        XCTAssertEqual(log.map { "\($0["key"] ?? "") \($0["from"] ?? "")→\($0["to"] ?? "")" },
                       ["primary_interval_minutes 30→15", "backorder_management false→true"], "newest first")
        assertKeys(log.first, ["at", "actor", "key", "from", "to"], "preference change")
        XCTAssertTrue(try cli.ok("prefs", "log").stdout.contains("primary_interval_minutes"))
    }

    /// One PO number sequence: typed, imported and drafted POs never clash; receiving more than a
    /// PO line has open is asked about, and --excess-unplanned records the rest unplanned.
    func testPONumbersAndExcessReceipts() throws {
        try setUpDesk(stock: 0)
        try cli.ok("vendor", "add", "V1")
        let csv = dir.file("pos.csv")
        try "po_ref,vendor,lic,qty\nX-1,V1,W,4\nX-2,V1,W,6\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try assertElapsedInside("import", "purchase-orders", csv, "--json").object()
        XCTAssertEqual(imported["numbers"] as? [String], ["PO-5001", "PO-5002"], "po_ref groups; the sequence numbers")
        let typed = try cli.ok("po", "new", "--vendor", "V1", "--line", "W:2", "--json").object()
        XCTAssertEqual(typed["number"] as? String, "PO-5003")
        try cli.refused("receive", "W", "7", "--po", "PO-5001", mentions: "--excess-unplanned")
        XCTAssertEqual(try lic("W").on_hand, 0, "nothing was received")
        try cli.ok("receive", "W", "7", "--po", "PO-5001", "--excess-unplanned")
        let w = try lic("W")
        XCTAssertEqual(w.on_hand, 7)
        XCTAssertEqual(w.on_order, 8, "the PO's 4 came off on order; the 3 over it were unplanned")
        XCTAssertEqual(try cli.ok("po", "show", "PO-5001", "--json").object()["status"] as? String, "received")
        try cli.ok("check")
    }

    // MARK: - Shipments, receipts, adjustments, returns

    func testShipmentsReceiptsAdjustmentsAndReturns() throws {
        try setUpDesk(stock: 10)
        try cli.ok("order", "new", "--customer", "C1", "--line", "W:4")
        let list = try cli.ok("shipment", "list", "--json")
        for s in try list.array() { assertKeys(s, ["id", "order", "status"], "shipment list entry") }
        let shipments = try list.decode([ShipmentListEntry].self)
        XCTAssertEqual(shipments.map(\.order), ["1001"])
        XCTAssertEqual(shipments.map(\.status), ["pending"])
        XCTAssertEqual(shipments.map(\.units), [4])
        let first = shipments[0].id

        // Cancel a pending shipment: its quantity stays allotted.
        XCTAssertEqual(try cli.ok("shipment", "cancel", "\(first)", "--json").object()["status"] as? String, "cancelled")
        XCTAssertEqual(try order("1001").lines.map(\.allotted), [4])
        XCTAssertEqual(try lic("W").allotted, 4)
        try cli.refused("shipment", "pick", "\(first)", mentions: "only a pending")

        // Pick (frozen), then ship: on hand, allotted and shipped move and the ledger shows it.
        try cli.ok("order", "new", "--customer", "C1", "--line", "W:3")
        let pending = try cli.ok("shipment", "list", "--status", "pending", "--json").decode([ShipmentListEntry].self)
        XCTAssertEqual(pending.map(\.order), ["1002"])
        let second = pending[0].id
        XCTAssertEqual(try cli.ok("shipment", "list", "--order", "1002", "--json").decode([ShipmentListEntry].self).map(\.id), [second])
        try cli.ok("shipment", "pick", "\(second)")
        XCTAssertEqual(try cli.ok("shipment", "list", "--status", "picked", "--json").decode([ShipmentListEntry].self).map(\.id), [second])
        try cli.refused("shipment", "cancel", "\(second)", mentions: "only a pending")
        try cli.refused("adjust", "W", "-8", "--reason", "shrink", mentions: "picked")  // 3 of the 10 are frozen
        try cli.ok("shipment", "ship", "\(second)")
        try cli.refused("shipment", "ship", "\(second)", mentions: "shipped")
        let shipped = try order("1002")
        XCTAssertEqual(shipped.lines.map { [$0.ordered, $0.allotted, $0.shipped] }, [[3, 0, 3]])
        XCTAssertEqual(shipped.shipments.map(\.status), ["shipped"])
        var w = try lic("W")
        XCTAssertEqual([w.on_hand, w.allotted, w.available, w.demand], [7, 4, 3, 4])
        let ledger = try cli.ok("lic", "show", "W", "--json").object()["ledger"] as? [[String: Any]] ?? []
        XCTAssertEqual(ledger.first?["kind"] as? String, "shipment")
        XCTAssertEqual(ledger.first?["qty"] as? Int, -3)

        // receive, adjust +5 / -3 with a reason, return.
        let received = try cli.ok("receive", "W", "5", "--json").object()
        XCTAssertEqual(received["qty"] as? Int, 5)
        XCTAssertTrue(received.keys.contains("process"))
        try cli.ok("adjust", "W", "+5", "--reason", "found in aisle 3")
        let minus = try cli.ok("adjust", "W", "-3", "--reason", "damaged", "--json").object()
        XCTAssertEqual(minus["delta"] as? Int, -3)
        w = try lic("W")
        XCTAssertEqual(w.on_hand, 7 + 5 + 5 - 3)
        try cli.ok("return", "1002", "W", "2")
        try cli.refused("return", "1002", "W", "2", mentions: "not yet returned")
        try cli.refused("return", "1001", "W", "1", mentions: "shipped")
        w = try lic("W")
        XCTAssertEqual(w.on_hand, 16)
        XCTAssertEqual(w.allotted, 4, "receipts, adjustments and returns wait for the processes")
        let kinds = (try cli.ok("lic", "show", "W", "--json").object()["ledger"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        XCTAssertEqual(Array(kinds.prefix(4)), ["return", "adjustment", "adjustment", "receipt"])
        let reasons = (try cli.ok("lic", "show", "W", "--json").object()["ledger"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
        XCTAssertTrue(reasons.contains("damaged"))
        try cli.ok("check")
    }

    // MARK: - Processes and the scheduler (§4.5, §8)

    func testProcessesRunsAndScheduler() throws {
        try setUpDesk(stock: 0)
        try cli.ok("order", "new", "--customer", "C1", "--line", "W:5", "--split", "no")
        try cli.ok("receive", "W", "8")
        XCTAssertEqual(try order("1001").lines.map(\.allotted), [0], "a receipt waits for the primary process")

        let run = try assertElapsedInside("process", "primary", "--json")
        assertKeys(try run.object(), Self.processKeys, "process --json")
        XCTAssertEqual(try run.decode(ProcessJSON.self), ProcessJSON(process: "primary", lines_filled: 1, units_allotted: 5,
                                                                     shipments_created: 1, shipments_appended: 0))
        XCTAssertEqual(try order("1001").lines.map(\.allotted), [5])
        XCTAssertEqual(try order("1001").shipments.flatMap(\.items), [.init(line: 1, qty: 5)])
        // Idempotent: a second run finds nothing to do.
        XCTAssertEqual(try cli.ok("process", "primary", "--json").decode(ProcessJSON.self),
                       ProcessJSON(process: "primary", lines_filled: 0, units_allotted: 0, shipments_created: 0, shipments_appended: 0))
        try cli.refused("process", "sideways", status: [2, 64])

        // The scheduler runs what is enabled and due. A run now counts as the schedule's last run,
        // so 7792 (just run by hand) is not due for its interval; 8050 has never run.
        try cli.ok("prefs", "set", "primary_enabled", "true")
        try cli.ok("prefs", "set", "secondary_enabled", "true")
        try cli.ok("order", "new", "--customer", "C1", "--line", "W:6", "--split", "yes")  // 3 now, 3 waiting
        try cli.ok("adjust", "W", "+4", "--reason", "recount")  // secondary supply
        try cli.ok("receive", "W", "1")  // primary supply
        let once = try cli.ok("scheduler", "--once", "--json")
        let outcomes = try once.array() as? [[String: Any]] ?? []
        XCTAssertEqual(outcomes.map { $0["process"] as? String }, ["secondary"], "\(once)")
        for o in outcomes { assertKeys(o, Self.processKeys, "scheduler outcome") }
        XCTAssertEqual(outcomes.first?["units_allotted"] as? Int, 3)
        XCTAssertEqual(try order("1002").lines.map(\.allotted), [3, 3])
        XCTAssertEqual(try cli.ok("scheduler", "--once", "--json").array().count, 0, "nothing is due again before the interval")
        XCTAssertTrue(try cli.ok("scheduler", "--once").stdout.contains("Nothing due"))

        let runs = try cli.ok("runs", "--json").array() as? [[String: Any]] ?? []
        XCTAssertEqual(runs.map { $0["process"] as? String }, ["secondary", "primary", "primary"])
        XCTAssertEqual(runs.map { $0["actor"] as? String }, ["scheduler", "boss", "boss"])
        XCTAssertEqual(runs.map { $0["units_allotted"] as? Int }, [3, 0, 5])
        XCTAssertTrue(runs.allSatisfy { $0["finished_at"] is String && $0["error"] is NSNull }, "\(runs)")
        let shown = try cli.ok("prefs", "show").stdout
        XCTAssertTrue(shown.contains("7792") && shown.contains("8050"), shown)

        // --today moves the scheduler's clock too: far ahead, both schedules are due.
        let later = try cli.ok("scheduler", "--once", "--json", "--today", "2099-01-01").array() as? [[String: Any]] ?? []
        XCTAssertEqual(later.map { $0["process"] as? String }, ["primary", "secondary"])
        XCTAssertEqual(try cli.ok("runs", "--json").array().count, 5)
        XCTAssertEqual(try cli.ok("process", "secondary", "--json").decode(ProcessJSON.self),
                       ProcessJSON(process: "secondary", lines_filled: 0, units_allotted: 0, shipments_created: 0, shipments_appended: 0))

        // Turning management off makes processes refuse and the scheduler idle.
        try cli.ok("prefs", "set", "backorder_management", "false")
        try cli.refused("process", "secondary", mentions: "back order management is off")
        XCTAssertEqual(try cli.ok("scheduler", "--once", "--json", "--today", "2199-01-01").array().count, 0)
        try cli.ok("check")
    }

    // MARK: - Preferences

    func testPrefsShowAndSet() throws {
        try cli.ok("init")
        let prefs = try cli.ok("prefs", "show", "--json").object()
        XCTAssertEqual(Set(prefs.keys).intersection(Self.prefKeys), Self.prefKeys, "prefs show --json lacks \(Self.prefKeys.subtracting(prefs.keys))")
        XCTAssertEqual(prefs["backorder_management"] as? Bool, false)
        XCTAssertEqual(prefs["fair_queue"] as? Bool, true)
        XCTAssertEqual(prefs["split_prompt"] as? String, "ask")
        XCTAssertEqual(prefs["default_policy"] as? String, "partial")
        XCTAssertEqual(prefs["primary_interval_minutes"] as? Int, 30)
        XCTAssertEqual(prefs["max_days_out"] as? Int, 0)

        XCTAssertEqual(try cli.ok("prefs", "set", "split_prompt", "never", "--json").object()["split_prompt"] as? String, "never")
        try cli.ok("prefs", "set", "default_policy", "complete")
        try cli.ok("prefs", "set", "primary_interval_minutes", "15")
        try cli.ok("prefs", "set", "fair_queue", "false")
        let changed = try cli.ok("prefs", "show", "--json").object()
        XCTAssertEqual(changed["split_prompt"] as? String, "never")
        XCTAssertEqual(changed["default_policy"] as? String, "complete")
        XCTAssertEqual(changed["primary_interval_minutes"] as? Int, 15)
        XCTAssertEqual(changed["fair_queue"] as? Bool, false)

        for (key, value) in [("fair_queue", "maybe"), ("split_prompt", "sometimes"), ("default_policy", "whenever"),
                             ("primary_interval_minutes", "0"), ("max_days_out", "-1"), ("max_days_out", "abc"), ("no_such_key", "true")] {
            try cli.refused("prefs", "set", key, value, status: [1, 2, 64])
        }
        try cli.refused("prefs", "set", "fair_queue", status: [2, 64])
        XCTAssertEqual(try cli.ok("prefs", "show", "--json").object()["fair_queue"] as? Bool, false, "a refused set changed the value")
        // The default policy applies to new orders.
        try cli.ok("customer", "add", "C1")
        try cli.ok("lic", "add", "W")
        XCTAssertEqual(try cli.ok("order", "new", "--customer", "C1", "--line", "W:1", "--json").decode(OrderJSON.self).policy, "complete")
    }

    // MARK: - Usage, global options, dates, the database path

    func testUsageErrorsGlobalOptionsAndDates() throws {
        try cli.ok("init")
        try cli.ok("customer", "add", "C1")
        try cli.ok("lic", "add", "W")

        for args in [["frobnicate"], ["order", "frobnicate"], ["order", "new", "--bogus"], ["order", "list", "--nope"],
                     ["shipment", "pick"], ["shipment", "pick", "abc"]] {
            let o = try cli.run(args)
            XCTAssertTrue([2, 64].contains(o.status), "bad usage should exit 2 or 64: \(o)")
            XCTAssertFalse(o.stderr.isEmpty, "\(o)")
        }

        // Global options before or after the subcommand; --db wins over BACKORDERS_DB.
        let elsewhere = ["BACKORDERS_DB": dir.file("nothing-here.sqlite")]
        try cli.refused("order", "list", mentions: "no database", env: elsewhere)
        XCTAssertEqual(try cli.ok("--db", cli.db, "--json", "order", "list", env: elsewhere).array().count, 0)
        XCTAssertEqual(try cli.ok("order", "list", "--db", cli.db, "--json", env: elsewhere).array().count, 0)
        XCTAssertEqual(try cli.ok("--db=\(cli.db)", "--user", "boss", "--json", "order", "list", env: elsewhere).array().count, 0)
        try cli.ok("--json", "--user", "boss", "order", "new", "--customer", "C1", "--line", "W:1", "--split", "yes")

        // --today sets the date every rule reads.
        let dated = try cli.ok("--today", "2026-01-31", "order", "new", "--customer", "C1", "--line", "W:1", "--split", "yes", "--json").object()
        XCTAssertTrue((dated["entered_at"] as? String ?? "").hasPrefix("2026-01-31 "), "\(dated)")
        XCTAssertEqual(try cli.ok("order", "list", "--json").array().count, 2)
        for bad in ["2026-02-30", "31/01/2026", "2026-1-31", "tomorrow"] {
            try cli.refused("--today", bad, "order", "list", status: [1, 2, 64], mentions: "date")
        }

        // Without --db and BACKORDERS_DB: $XDG_DATA_HOME/backorders/backorders.sqlite, else
        // $HOME/.local/share/... (asked with a read that creates nothing, so that a wrong path
        // could never touch a real home directory).
        let xdg = dir.file("xdg")
        try cli.refused("order", "list", mentions: "no database at \(xdg)/backorders/backorders.sqlite",
                        env: ["BACKORDERS_DB": nil, "XDG_DATA_HOME": xdg])
        try cli.refused("order", "list", mentions: "no database at \(dir.path)/.local/share/backorders/backorders.sqlite",
                        env: ["BACKORDERS_DB": nil])
        try cli.ok("init", env: ["BACKORDERS_DB": nil, "XDG_DATA_HOME": xdg])
        XCTAssertTrue(FileManager.default.fileExists(atPath: xdg + "/backorders/backorders.sqlite"))

        // A file that is not ours is refused and left alone.
        let notes = dir.file("notes.sqlite")
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: notes))
        try cli.refused("--db", notes, "order", "list", mentions: "not a Backorders database")
        try cli.refused("--db", notes, "init", mentions: "exists")
        XCTAssertEqual(try String(contentsOfFile: notes, encoding: .utf8), "not a database")
    }

    func testCheckPassesAndReportsJSON() throws {
        try setUpDesk(stock: 3)
        try cli.ok("order", "new", "--customer", "C1", "--line", "W:5", "--split", "yes")
        let check = try cli.ok("check")
        XCTAssertTrue(check.stdout.contains("OK"), "\(check)")
        let json = try cli.ok("check", "--json").object()
        XCTAssertEqual(json["ok"] as? Bool, true)
        XCTAssertEqual((json["violations"] as? [Any])?.count, 0)
    }

    // MARK: - Demo data (§12)

    func testDemoLoadsTheSeedsAndPassesCheck() throws {
        let seeds = Backorders.repositoryRoot().appendingPathComponent("seeds").path
        let demoDB = dir.file("demo.sqlite")
        let loaded = try cli.ok("demo", "--no-tui", "--db", demoDB, "--seeds", seeds, "--json").object()
        XCTAssertGreaterThan(loaded["bo_lines"] as? Int ?? 0, 0, "\(loaded)")
        try cli.ok("check", "--db", demoDB)
        let orders = try cli.ok("order", "list", "--db", demoDB, "--json").decode([ListEntry].self)
        XCTAssertGreaterThanOrEqual(orders.count, 150)
        for status in ["open", "backorder", "void"] {
            XCTAssertTrue(orders.contains { $0.status == status }, "the demo has no \(status) order")
        }
        let textbook = try cli.ok("lic", "show", "TEXTBOOK", "--db", demoDB, "--json").decode(LicJSON.self)
        XCTAssertGreaterThanOrEqual(textbook.on_hand, 0)
        // The waiting supply is processed without breaking anything.
        try cli.ok("process", "primary", "--db", demoDB)
        try cli.ok("process", "secondary", "--db", demoDB)
        try cli.ok("check", "--db", demoDB)
        try cli.refused("demo", "--no-tui", "--db", demoDB, "--seeds", seeds, mentions: "already exists")
    }
}
