import TestSupport
import BackorderApp
import BackorderCore
@testable import BackorderStore
import GRDB
import XCTest

/// Purchasing, auto backorder, projected dates, replenishment, reports and CSV (product §6–§7).
final class PurchasingTests: XCTestCase {
    func setUp(_ f: DeskFixture) throws {
        try f.admin.addVendor("V1", name: "Vendor one")
        try f.admin.addVendor("V2", name: "Vendor two")
        try f.admin.addLocation("EAST", name: "East")
        try f.customers("C1", "C2", "C3")
        _ = try f.admin.setPreference("auto_backorder", "true")
    }

    @discardableResult
    func po(_ f: DeskFixture, _ lines: [(String, Int)], vendor: String = "V1", location: String = "MAIN",
            ordered: String, expected: String, attach: Bool = true) throws -> String {
        var r = Desk.PORequest(vendor: vendor, lines: lines.map { (lic: $0.0, qty: $0.1) })
        r.location = location
        r.orderDate = Day(ordered)
        r.expected = Day(expected)
        r.allowAttach = attach
        return try f.admin.createPurchaseOrder(r).number
    }

    func testEntryAttachesToTheOldestPOAcrossSeveralLines() throws {
        let f = try DeskFixture()
        try setUp(f)
        try f.lic("W")
        let newer = try po(f, [("W", 10)], ordered: "2026-11-10", expected: "2026-12-01")
        let older = try po(f, [("W", 3)], ordered: "2026-11-01", expected: "2026-12-15")
        let skipped = try po(f, [("W", 50)], ordered: "2026-10-01", expected: "2026-11-25", attach: false)
        XCTAssertEqual(try f.admin.lic("W").balance.onOrder, 63)
        let o = try f.order("C1", [("W", 5)])
        let line = o.lines[0]
        XCTAssertEqual(line.attachments.map(\.po), [older, newer], "oldest order date first; the no-attach PO is skipped")
        XCTAssertEqual(line.attachments.map(\.qty), [3, 2])
        XCTAssertEqual(line.po, older)
        XCTAssertEqual(line.promise, "2026-12-15", "the latest expected date among its attachments")
        XCTAssertEqual(try f.admin.purchaseOrder(skipped).attachments.count, 0)
        try f.assertInvariants()
    }

    func testNoAttachWithoutTheUsersPermissionButTheUtilityDoesIt() throws {
        let f = try DeskFixture()
        try setUp(f)
        try f.admin.addUser("ann", role: .clerk, autoBackorder: false)
        try f.lic("W")
        try po(f, [("W", 10)], ordered: "2026-11-01", expected: "2026-12-01")
        let ann = try f.desk("ann")
        var r = OrderRequest(customer: "C1", lines: [.init(lic: "W", quantity: 4)])
        r.split = .yes
        let o = try ann.enterOrder(r)
        XCTAssertNil(o.lines[0].po)
        let run = try f.admin.runProcess(.autoReserve)
        XCTAssertEqual(run.attachments?.map(\.qty), [4])
        XCTAssertNotNil(try f.admin.order(o.number).lines[0].po)
        XCTAssertEqual(try f.admin.runs().first?.process, .autoReserve)
        try f.assertInvariants()
    }

    func testLocationRulesSameBranchAndRestrictions() throws {
        let f = try DeskFixture()
        try setUp(f)
        try f.lic("W")
        let east = try po(f, [("W", 10)], location: "EAST", ordered: "2026-11-01", expected: "2026-12-01")
        let main = try po(f, [("W", 10)], location: "MAIN", ordered: "2026-11-05", expected: "2026-12-05")
        XCTAssertEqual(try f.order("C1", [("W", 1)]).lines[0].po, east, "any location by default: the oldest")
        _ = try f.admin.setPreference("auto_backorder_same_branch", "true")
        XCTAssertEqual(try f.order("C1", [("W", 1)]).lines[0].po, main)
        _ = try f.admin.setPreference("auto_backorder_same_branch", "false")
        try f.admin.restrictLocation("MAIN", from: ["MAIN"])
        XCTAssertEqual(try f.order("C1", [("W", 1)]).lines[0].po, main)
        try f.admin.restrictLocation("MAIN", from: ["EAST"])
        XCTAssertEqual(try f.order("C1", [("W", 1)]).lines[0].po, east)
        try f.assertInvariants()
    }

    func testMinimumDepositAndMaxDaysOutAtEntry() throws {
        let f = try DeskFixture()
        try setUp(f)
        try f.lic("W")
        try po(f, [("W", 10)], ordered: "2026-11-01", expected: "2026-12-01")
        _ = try f.admin.setPreference("require_min_deposit", "true")
        _ = try f.admin.setPreference("max_days_out", "20")
        var r = OrderRequest(customer: "C1", lines: [.init(lic: "W", quantity: 2)])
        r.split = .yes
        r.minDepositCents = 1000
        XCTAssertNil(try f.admin.enterOrder(r).lines[0].po, "minimum deposit not met")
        r.depositCents = 1000
        r.scheduleDate = Day("2026-12-12")  // today 2026-11-21 + 20 = 2026-12-11
        XCTAssertNil(try f.admin.enterOrder(r).lines[0].po, "scheduled beyond max days out")
        r.scheduleDate = Day("2026-12-11")
        XCTAssertNotNil(try f.admin.enterOrder(r).lines[0].po)
    }

    /// Receiving a PO line serves the lines attached to it first, even ahead of a higher-priority
    /// line that is not attached; the rest goes to the queue through the primary process.
    func testPOReceiptServesAttachedLinesBeforeHigherPriority() throws {
        let f = try DeskFixture()
        try setUp(f)
        try f.lic("W")
        let number = try po(f, [("W", 6)], ordered: "2026-11-01", expected: "2026-12-01")
        let attached = try f.order("C1", [("W", 4)])
        XCTAssertEqual(attached.lines[0].attachments.map(\.qty), [4])
        _ = try f.admin.setPreference("auto_backorder", "false")
        let vip = try f.order("C2", [("W", 5)], priority: 9)
        XCTAssertNil(vip.lines[0].po)
        _ = try f.admin.receive(lic: "W", qty: 6, po: number)
        XCTAssertEqual(try f.admin.order(attached.number).lines[0].allotted, 4)
        XCTAssertEqual(try f.admin.order(vip.number).lines[0].allotted, 0, "the rest waits for the primary process")
        _ = try f.admin.runProcess(.primary)
        XCTAssertEqual(try f.admin.order(vip.number).lines[0].allotted, 2)
        XCTAssertEqual(try f.admin.order(attached.number).lines[0].allotted, 4, "dedicated stock is not re-allocated")
        // A priority change does not take it either.
        XCTAssertTrue(try f.admin.changePriority(vip.number, to: 9, preview: true).moves.isEmpty)
        let p = try f.admin.purchaseOrder(number)
        XCTAssertEqual(p.status, .received)
        XCTAssertEqual(try f.admin.lic("W").balance.onOrder, 0)
        XCTAssertTrue(try f.admin.orderLog(attached.number).contains { $0.message.hasPrefix("Allotted 4 W to line 1 from a purchase-order receipt") })
        try f.assertInvariants()
    }

    func testReceiptAtAnotherLocationIsTransferredToTheOrder() throws {
        let f = try DeskFixture()
        try setUp(f)
        try f.lic("W")
        let east = try po(f, [("W", 5)], location: "EAST", ordered: "2026-11-01", expected: "2026-12-01")
        let o = try f.order("C1", [("W", 3)])
        XCTAssertEqual(o.lines[0].po, east)
        _ = try f.admin.receive(lic: "W", qty: 5, po: east)
        XCTAssertEqual(try f.admin.order(o.number).lines[0].allotted, 3)
        XCTAssertEqual(try f.admin.lic("W", location: "MAIN").balance.onHand, 3)
        XCTAssertEqual(try f.admin.lic("W", location: "EAST").balance.onHand, 2)
        try f.assertInvariants()
    }

    func testProjectedDatesInOrderShowAndLicShow() throws {
        let f = try DeskFixture()
        try setUp(f)
        _ = try f.admin.setPreference("auto_backorder", "false")
        try f.lic("W")
        try po(f, [("W", 5)], ordered: "2026-11-01", expected: "2026-12-01")
        try po(f, [("W", 10)], ordered: "2026-11-02", expected: "2026-12-10")
        let a = try f.order("C1", [("W", 3)])
        let b = try f.order("C2", [("W", 4)])
        let c = try f.order("C3", [("W", 20)])
        XCTAssertEqual(try f.admin.order(a.number).lines[0].projected, "2026-12-01")
        XCTAssertEqual(try f.admin.order(b.number).lines[0].projected, "2026-12-10")
        XCTAssertNil(try f.admin.order(c.number).lines[0].projected, "open POs do not cover it")
        XCTAssertEqual(try f.admin.lic("W").queue.map(\.projected), ["2026-12-01", "2026-12-10", nil])
    }

    /// A page or one order's lines projected alone agree with the whole queue projected at once,
    /// and the need ahead of each line from the caches is the need of the lines queued before it
    /// — with the lines in one block, in blocks of one span and in different spans of blocks
    /// (`Derivation.blockShift`, `spanShift`: the entry sequence jumps between orders).
    func testWindowedProjectionMatchesTheWholeQueue() throws {
        let f = try DeskFixture()
        try setUp(f)
        try f.lic("W")
        try po(f, [("W", 4)], ordered: "2026-11-01", expected: "2026-12-01")
        try po(f, [("W", 6)], ordered: "2026-11-02", expected: "2026-12-08")
        try po(f, [("W", 9)], ordered: "2026-11-03", expected: "2026-12-20")
        _ = try f.order("C1", [("W", 3)])  // attached to the first PO at entry
        _ = try f.admin.setPreference("auto_backorder", "false")
        let block = Int64(1) << Derivation.blockShift, span = block << Derivation.spanShift
        let jumps: [Int64] = [0, block, span, 3, span + 700, 5 * span, 0, block]
        for (i, q) in [2, 5, 1, 7, 3, 4, 2, 6].enumerated() {
            try f.database.write { db in
                try db.execute(sql: "UPDATE counter SET value = value + ? WHERE name = 'entry_seq'", arguments: [jumps[i]])
            }
            _ = try f.order(["C1", "C2", "C3"][i % 3], [("W", q)], priority: i == 3 || i == 6 ? 4 : nil)
        }
        try f.database.read { db in
            let e = Engine(db, actor: "t", now: Moment(day: Day("2026-11-21")!, secondOfDay: 0))
            let key = StockKey(licID: try Int64.fetchOne(db, sql: "SELECT id FROM lic WHERE code = 'W'")!,
                               locationID: try Int64.fetchOne(db, sql: "SELECT id FROM location WHERE code = 'MAIN'")!)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(DISTINCT entered_seq >> ?) FROM order_line",
                                           arguments: [Derivation.blockShift + Derivation.spanShift]), 4, "lines in four spans")
            let whole = try e.projectedDates(key, today: Day("2026-11-21")!)
            XCTAssertEqual(whole.count, 9)
            var needBefore = 0
            for line in try e.queue(key) {
                let alone = try e.projectedDates(key, today: Day("2026-11-21")!, window: [line])
                XCTAssertEqual(alone[line.id] ?? nil, whole[line.id] ?? nil, "line \(line.id)")
                XCTAssertEqual(try e.needAhead(key, of: line.key), needBefore, "line \(line.id)")
                needBefore += line.remaining - min(line.allotted, line.frozen + line.dedicated)
            }
            XCTAssertEqual(try InvariantCheck.run(db), [])
        }
        // Projected dates that differ by position: the last PO does not cover the whole queue.
        XCTAssertGreaterThan(Set(try f.admin.lic("W").queue.map(\.projected)).count, 2)
    }

    func testReplenishmentMakesOneDraftPerVendorOnce() throws {
        let f = try DeskFixture()
        try setUp(f)
        var a = Desk.LICSpec(code: "A"); a.vendor = "V1"; a.minStock = 10; a.reorderMultiple = 12
        var b = Desk.LICSpec(code: "B"); b.vendor = "V1"; b.minStock = 0
        var c = Desk.LICSpec(code: "C"); c.vendor = "V2"; c.minStock = 4
        for s in [a, b, c] { try f.admin.addLIC(s) }
        _ = try f.admin.receive(lic: "A", qty: 3)
        _ = try f.admin.runProcess(.primary)
        _ = try f.order("C1", [("A", 11), ("B", 2)])  // A: 8 backordered
        let run = try f.admin.runProcess(.replenish)
        let pos = try XCTUnwrap(run.purchaseOrders)
        XCTAssertEqual(pos.map(\.vendor), ["V1", "V2"])
        XCTAssertEqual(pos[0].lines.map(\.lic), ["A", "B"])
        // A: 8 + 10 − 0 − 0 = 18 → 24; B: 2; C: 4.
        XCTAssertEqual(pos[0].lines.map(\.qty), [24, 2])
        XCTAssertEqual(pos[1].lines.map(\.qty), [4])
        XCTAssertTrue(pos.allSatisfy { $0.status == .draft })
        XCTAssertEqual(try f.admin.lic("A").balance.onOrder, 0, "drafts are not on order")
        XCTAssertEqual(try f.admin.runProcess(.replenish).purchaseOrders?.count, 0, "drafted quantities are not suggested again")
        _ = try f.admin.approvePurchaseOrder(pos[0].number)
        XCTAssertEqual(try f.admin.lic("A").balance.onOrder, 24)
        try f.assertInvariants()
    }

    func testReportsOnAKnownDataSet() throws {
        let f = try DeskFixture()
        try setUp(f)
        var w = Desk.LICSpec(code: "W"); w.minStock = 5; w.vendor = "V1"
        try f.admin.addLIC(w)
        _ = try f.admin.receive(lic: "W", qty: 4)
        _ = try f.admin.runProcess(.primary)
        let a = try f.order("C1", [("W", 3)])
        let b = try f.order("C2", [("W", 5)])  // 1 allotted + 4 BO
        try f.admin.shipShipment(a.shipments[0].id)
        try f.admin.shipShipment(b.shipments[0].id)
        _ = try f.admin.invoice(b.number, choice: nil)

        let bo = try f.admin.backorderReport()
        XCTAssertEqual(bo.columns, ["order", "customer", "lic", "location", "ordered", "shipped", "backordered", "allotted",
                                    "age_days", "priority", "promise", "projected"])
        XCTAssertEqual(bo.rows.map { $0[0].text }, ["\(b.number).01"])
        XCTAssertEqual(bo.rows[0][6], .int(4))
        var filter = Desk.BackorderFilter()
        filter.partiallyInvoicedOnly = true
        XCTAssertEqual(try f.admin.backorderReport(filter).rows.count, 1)
        filter.customer = "C1"
        XCTAssertEqual(try f.admin.backorderReport(filter).rows.count, 0)

        let backlog = try f.admin.backlogReport()
        XCTAssertEqual(backlog.rows.map { $0[7].text }, ["\(b.number).01"])
        XCTAssertEqual(backlog.rows[0][2], .int(0), "on hand")

        let reorder = try f.admin.reorderReport()
        XCTAssertEqual(reorder.rows.count, 1)
        XCTAssertEqual(reorder.rows[0][9], .int(9), "4 backordered + 5 minimum − 0 available − 0 on order")

        let aging = try f.admin.agingReport()
        XCTAssertEqual(aging.rows.map { $0[0].text }, ["0-7", "8-14", "15-30", "31-60", ">60"])
        XCTAssertEqual(aging.rows[0][2], .int(4))

        // B.01's line gets 2 of its 4 and ships them: not in full on its first shipment.
        _ = try f.admin.receive(lic: "W", qty: 2)
        _ = try f.admin.runProcess(.primary)
        try f.admin.shipShipment(try f.admin.order("\(b.number).01").shipments[0].id)
        let fill = try f.admin.fillRateReport()
        XCTAssertEqual(fill.rows.count, 1)
        XCTAssertEqual(fill.rows[0][1], .int(3), "three lines shipped")
        XCTAssertEqual(fill.rows[0][2], .int(2), "A's line and B's first line went out in full")
        XCTAssertEqual(fill.rows[0][3], .int(67))
        XCTAssertEqual(fill.rows[0][0].text, "2026-11-16", "the Monday of 2026-11-21's week")
    }

    func testCSVImportIsAllOrNothingAndNamesTheRowAndColumn() throws {
        let f = try DeskFixture()
        try setUp(f)
        func table(_ text: String, _ kind: ImportKind) throws -> ImportResult {
            try f.admin.importCSV(kind, table: CSVTable(text: text, file: "x.csv", required: kindRequired(kind)))
        }
        func kindRequired(_ k: ImportKind) -> [String] {
            switch k {
            case .lics, .customers, .vendors, .locations: return ["code"]
            case .stock: return ["lic", "qty"]
            case .orders: return ["order_ref", "customer", "lic", "qty"]
            case .purchaseOrders: return ["po_ref", "vendor", "lic", "qty"]
            }
        }
        // A BOM, quoted commas, and the row that breaks the file.
        let bad = "\u{FEFF}code,description,price_cents,min_stock,reorder_multiple,vendor,inventoried\nPAPER,\"Paper, letter\",599,0,1,V1,true\nINK,Ink,abc,0,1,V1,true\n"
        XCTAssertThrowsError(try table(bad, .lics)) { e in
            XCTAssertEqual("\(e)", "x.csv row 3, column price_cents: 'abc' is not a whole number (0–100,000,000,000)")
        }
        XCTAssertThrowsError(try f.admin.lic("PAPER"), "nothing of the file was imported")
        XCTAssertThrowsError(try table("code,description\nX,a,b\n", .lics)) { e in
            XCTAssertEqual("\(e)", "x.csv row 2, column 3: 3 cells, but the header has 2 columns")
        }
        XCTAssertThrowsError(try table("description\nfoo\n", .lics)) { e in XCTAssertTrue("\(e)".contains("row 1, column code")) }
        XCTAssertThrowsError(try table("code,vendor\nZ,NOPE\n", .lics)) { e in XCTAssertEqual("\(e)", "x.csv row 2, column vendor: unknown vendor 'NOPE'") }
        let good = try table(bad.replacingOccurrences(of: "abc", with: "250"), .lics)
        XCTAssertEqual(good.rows, 2)
        XCTAssertEqual(try f.admin.lic("PAPER").description, "Paper, letter")

        // Round trip: export the LICs, import them into a fresh database, export again.
        let exported = try f.admin.export(.lics).csv
        let g = try DeskFixture()
        try g.admin.addVendor("V1", name: nil)
        _ = try g.admin.importCSV(.lics, table: CSVTable(text: exported, file: "lics.csv", required: ["code"]))
        XCTAssertEqual(try g.admin.export(.lics).csv, exported)

        // Orders go through entry; a short line without an answer refuses the whole file.
        _ = try table("lic,qty\nPAPER,5\nINK,1\n", .stock)
        _ = try f.admin.runProcess(.primary)
        let orders = "order_ref,customer,lic,qty\nA,C1,PAPER,3\nA,C1,INK,1\nB,C2,PAPER,4\n"
        XCTAssertThrowsError(try f.admin.importCSV(.orders, table: CSVTable(text: orders, file: "o.csv", required: kindRequired(.orders)))) { e in XCTAssertTrue("\(e)".hasPrefix("o.csv row 4, column qty:"), "\(e)") }
        XCTAssertTrue(try f.admin.orders().isEmpty)
        let imported = try f.admin.importCSV(.orders, table: CSVTable(text: orders, file: "o.csv", required: kindRequired(.orders)), split: .yes)
        XCTAssertTrue(try f.admin.orders().count == 2)
        XCTAssertEqual(imported.created.count, 2)
        XCTAssertEqual(try f.admin.order(imported.created[1]).lines.map(\.allotted), [2, 0], "fair queue: 5 − 3 = 2 left for B")
        try f.assertInvariants()
    }

    func testSchedulerRunsAutoReserveOnItsInterval() throws {
        let f = try DeskFixture()
        try setUp(f)
        _ = try f.admin.setPreference("auto_reserve_interval_minutes", "60")
        try f.admin.addUser("ann", role: .clerk, autoBackorder: false)
        try f.lic("W")
        try po(f, [("W", 10)], ordered: "2026-11-01", expected: "2026-12-01")
        var r = OrderRequest(customer: "C1", lines: [.init(lic: "W", quantity: 2)])
        r.split = .yes
        let o = try f.desk("ann").enterOrder(r)
        var now = Moment(day: Day("2026-11-21")!, secondOfDay: 9 * 3600)
        let box = MomentBox(now)
        let scheduler = Scheduler(store: f.store, clock: Clock { box.value })
        XCTAssertEqual(try scheduler.due(), [.autoReserve])
        let outcomes = try XCTUnwrap(scheduler.runDueOnce())
        XCTAssertEqual(outcomes.first?.result?.attachments?.count, 1)
        XCTAssertNotNil(try f.admin.order(o.number).lines[0].po)
        now = now.adding(seconds: 59 * 60)
        box.value = now
        XCTAssertEqual(try scheduler.due(), [])
        box.value = now.adding(seconds: 60)
        XCTAssertEqual(try scheduler.due(), [.autoReserve])
        XCTAssertEqual(try f.admin.runs().first?.actor, "scheduler")
    }

    /// check passes after every step of random purchasing: POs drafted, approved, received and
    /// closed, orders attaching at entry, the auto reserve utility, processes, priorities,
    /// shipments, voids, cancellations and invoices. Fixed seeds, so a failure replays.
    func testRandomPurchasingKeepsInvariants() throws {
        for seed in UInt64(11)...15 { try purchasingMix(seed: seed, steps: 70) }
    }

    func purchasingMix(seed: UInt64, steps: Int) throws {
        var g = SeededRandom(seed: seed)
        func pick<T>(_ a: [T]) -> T? { a.isEmpty ? nil : a[Int(g.next() % UInt64(a.count))] }
        let f = try DeskFixture()
        try setUp(f)
        try f.admin.restrictLocation("EAST", from: ["EAST", "MAIN"])
        try f.lic("A", stock: 4)
        try f.lic("B")
        var log: [String] = []
        for step in 0..<steps {
            let d = f.admin
            let roll = g.next() % 12
            do {
                switch roll {
                case 0, 1:
                    var r = OrderRequest(customer: pick(["C1", "C2", "C3"])!, lines: [.init(lic: pick(["A", "B"])!, quantity: Int(g.next() % 8) + 1)])
                    r.split = g.next() % 2 == 0 ? .yes : .no
                    r.priority = Int(g.next() % 4)
                    r.location = g.next() % 4 == 0 ? "EAST" : "MAIN"
                    log.append("enter \(try d.placeOrder(r))")
                case 2:
                    var r = Desk.PORequest(vendor: "V1", lines: [(lic: pick(["A", "B"])!, qty: Int(g.next() % 9) + 2)])
                    r.location = g.next() % 3 == 0 ? "EAST" : "MAIN"
                    r.orderDate = Day("2026-11-01")!.adding(days: Int(g.next() % 20))
                    r.expected = Day("2026-11-15")!.adding(days: Int(g.next() % 40))
                    r.draft = g.next() % 4 == 0
                    r.allowAttach = g.next() % 5 != 0
                    log.append("po \(try d.createPurchaseOrder(r).number)")
                case 3:
                    if let po = pick(try d.purchaseOrders(status: .draft)) { _ = try d.approvePurchaseOrder(po.number); log.append("approve \(po.number)") }
                case 4:
                    if let po = pick(try d.purchaseOrders(status: .open)), let line = pick(po.lines.filter { $0.open > 0 }) {
                        let q = Int(g.next() % UInt64(line.open)) + 1
                        _ = try d.receive(lic: line.lic, qty: q, po: po.number)
                        log.append("receive \(q) \(line.lic) on \(po.number)")
                    }
                case 5:
                    _ = try d.runProcess(.autoReserve); log.append("auto-reserve")
                case 6:
                    _ = try d.runProcess(g.next() % 2 == 0 ? .primary : .secondary); log.append("process")
                case 7:
                    if let po = pick(try d.purchaseOrders(status: .open)) { _ = try d.closePurchaseOrder(po.number); log.append("close \(po.number)") }
                case 8:
                    if let o = pick(try d.orders(status: .backorder)) { _ = try d.changePriority(o.number, to: Int(g.next() % 10), preview: false); log.append("priority \(o.number)") }
                case 9:
                    if let s = pick(try d.shipments(status: .pending)) { try d.shipShipment(s.id); log.append("ship \(s.id)") }
                case 10:
                    if let o = pick(try d.orders(status: .backorder)) {
                        if g.next() % 2 == 0 { try d.voidOrder(o.number); log.append("void \(o.number)") }
                        else { _ = try d.cancelRemaining(o.number, line: nil, reason: "CUST"); log.append("cancel \(o.number)") }
                    }
                default:
                    if let o = pick(try d.orders()) { _ = try d.invoice(o.number, choice: .keep); log.append("invoice \(o.number)") }
                }
            } catch is DeskError {
                log.append("refused (roll \(roll))")
            }
            let v = try f.admin.check().violations
            XCTAssertTrue(v.isEmpty, "seed \(seed) step \(step): \(v)\n\(log.joined(separator: "\n"))")
            if !v.isEmpty { return }
        }
        let done = log.filter { !$0.hasPrefix("refused") }
        XCTAssertGreaterThan(done.count, steps / 3, "seed \(seed): too few operations carried out:\n\(log.joined(separator: "\n"))")
        for kind in ["enter", "po", "receive", "auto-reserve"] {
            XCTAssertTrue(done.contains { $0.hasPrefix(kind) }, "seed \(seed) never did \(kind)")
        }
    }
}

/// A settable clock reading for scheduler tests.
final class MomentBox: @unchecked Sendable {
    var value: Moment
    init(_ v: Moment) { value = v }
}
