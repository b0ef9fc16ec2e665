import BackorderApp
import BackorderCore
import XCTest

/// Keyset pages of the screen lists: every page joins up with its neighbours, positions agree
/// with the pages, and the figures match the whole-list views.
final class PageTests: XCTestCase {
    /// Walks a list forward page by page from the start, and backward from the end.
    private func walk<T>(limit: Int, key: (T) -> Int64, page: (PageAnchor, Int) throws -> [T]) throws -> (forward: [Int64], backward: [Int64]) {
        var forward: [Int64] = []
        var p = try page(.first, limit)
        while !p.isEmpty {
            forward += p.map(key)
            p = try page(.after(key(p.last!)), limit)
        }
        var backward: [Int64] = []
        p = try page(.last, limit)
        while !p.isEmpty {
            backward = p.map(key) + backward
            p = try page(.before(key(p.first!)), limit)
        }
        return (forward, backward)
    }

    func testOrderPagesWalkTheWholeListNewestFirst() throws {
        let f = try DeskFixture()
        try f.customers("ACME", "BOLT")
        try f.lic("W", stock: 10)
        for i in 0..<23 { try f.order(i % 3 == 0 ? "BOLT" : "ACME", [("W", 1)]) }
        let desk = f.admin
        let all = try desk.orders().map(\.number)
        XCTAssertEqual(try desk.orderCount(), 23)
        let (forward, backward) = try walk(limit: 5, key: \OrderListItem.id) { try desk.orderPage(anchor: $0, limit: $1) }
        XCTAssertEqual(forward, backward)
        XCTAssertEqual(try forward.map { id in try desk.orderPage(anchor: .from(id), limit: 1)[0].number }, all)
        for (i, id) in forward.enumerated() { XCTAssertEqual(try desk.orderPosition(id: id), i) }
        XCTAssertEqual(try desk.orderPage(anchor: .offset(7), limit: 2).map(\.id), Array(forward[7..<9]))

        // Filters: customer, status (backorder is derived), number prefix.
        XCTAssertEqual(try desk.orderCount(filter: "bolt"), 8)
        XCTAssertEqual(try desk.orderCount(filter: "backorder"), try desk.orders(status: .backorder).count)
        XCTAssertEqual(try desk.orderCount(filter: "101"), 10)
        XCTAssertEqual(try desk.orderCount(filter: "bolt 101"), try desk.orderPage(filter: "101", anchor: .first, limit: 50).filter { $0.customer == "BOLT" }.count)
        let bolt = try desk.orderPage(filter: "bolt", anchor: .first, limit: 3)
        XCTAssertEqual(try desk.orderPosition(filter: "bolt", id: bolt[2].id), 2)
        XCTAssertNil(try desk.orderPosition(filter: "acme", id: bolt[0].id), "not in the filtered list")
        XCTAssertEqual(try desk.orderCount(filter: "100%_"), 0, "LIKE wildcards are taken literally")
    }

    func testBackorderPagesEverySortAgreeWithPositions() throws {
        let f = try DeskFixture()
        try f.customers("ACME", "BOLT", "ZED")
        try f.lic("A", stock: 2)
        try f.lic("B", stock: 0)
        for i in 0..<12 {
            try f.order(["ZED", "ACME", "BOLT"][i % 3], [("A", 3), ("B", i + 1)], priority: i % 4)
        }
        let desk = f.admin
        let count = try desk.backorderCount()
        XCTAssertEqual(count, try desk.orders().reduce(0) { $0 + $1.boLines })
        for sort in BackorderSort.allCases {
            let (forward, backward) = try walk(limit: 4, key: \BackorderLine.lineID) { try desk.backorderPage(sort: sort, anchor: $0, limit: $1) }
            XCTAssertEqual(forward.count, count, "\(sort)")
            XCTAssertEqual(forward, backward, "\(sort)")
            for (i, id) in forward.enumerated() { XCTAssertEqual(try desk.backorderPosition(sort: sort, lineID: id), i, "\(sort)") }
        }
        let byPriority = try desk.backorderPage(sort: .priority, anchor: .first, limit: 100)
        XCTAssertEqual(byPriority.map(\.priority), byPriority.map(\.priority).sorted(by: >))
        let byCustomer = try desk.backorderPage(sort: .customer, anchor: .first, limit: 100)
        XCTAssertEqual(byCustomer.map(\.customer), byCustomer.map(\.customer).sorted())
        XCTAssertEqual(try desk.backorderCount(filter: "zed b"), 4)
        let units = try desk.backorderPage(anchor: .first, limit: 100).reduce(0) { $0 + $1.backordered }
        XCTAssertEqual(try desk.backorderUnits(), units)
    }

    /// The list's length and positions come from per-block counts (256 entries a block): across
    /// several blocks, priorities and priority changes they must still equal the pages.
    func testBackorderPositionsAcrossEntryBlocksAndPriorityChanges() throws {
        let f = try DeskFixture()
        try f.customers("ACME", "BOLT")
        try f.lic("A", stock: 40)
        var numbers: [String] = []
        for i in 0..<600 {
            numbers.append(try f.order(i % 2 == 0 ? "ACME" : "BOLT", [("A", 1 + i % 3)], priority: i % 11 == 0 ? 1 + i % 9 : 0).number)
        }
        let desk = f.admin
        for n in [numbers[5], numbers[300], numbers[599]] { _ = try desk.changePriority(n, to: 7, preview: false) }
        XCTAssertEqual(try desk.check().violations, [])
        for sort in [BackorderSort.age, .priority] {
            let (forward, backward) = try walk(limit: 97, key: \BackorderLine.lineID) { try desk.backorderPage(sort: sort, anchor: $0, limit: $1) }
            XCTAssertEqual(forward, backward, "\(sort)")
            XCTAssertEqual(try desk.backorderCount(sort: sort), forward.count)
            XCTAssertGreaterThan(forward.count, 512, "the list must span several blocks")
            for (i, id) in forward.enumerated() where i % 5 == 0 || i == forward.count - 1 {
                XCTAssertEqual(try desk.backorderPosition(sort: sort, lineID: id), i, "\(sort) position of line \(id)")
            }
        }
    }

    func testLicPagesAndQueuePagesMatchLicShow() throws {
        let f = try DeskFixture()
        try f.customers("ACME", "BOLT")
        for code in ["PEN", "PAPER", "CLIP", "STAPLER", "INK"] { try f.lic(code, stock: 5) }
        for i in 0..<9 { try f.order(i % 2 == 0 ? "ACME" : "BOLT", [("PEN", i + 1)], priority: i % 3) }
        let desk = f.admin
        let (forward, _) = try walk(limit: 2, key: \LicListItem.id) { try desk.licPage(anchor: $0, limit: $1) }
        XCTAssertEqual(try forward.map { try desk.licPage(anchor: .from($0), limit: 1)[0].code }, ["CLIP", "INK", "PAPER", "PEN", "STAPLER"])
        let pen = try desk.licPage(filter: "pe", anchor: .first, limit: 10).first { $0.code == "PEN" }!
        let view = try desk.lic("PEN")
        XCTAssertEqual(pen.balance, view.balance)
        XCTAssertEqual(try desk.licCount(filter: "pe"), 1, "codes match at the start")

        XCTAssertEqual(try desk.queueCount(lic: "PEN"), view.lines.count)
        var entries: [LicView.Entry] = []
        var page = try desk.queuePage(lic: "PEN", anchor: .first, limit: 4)
        while let last = page.last {
            entries += page.map(\.entry)
            page = try desk.queuePage(lic: "PEN", anchor: .after(last.lineID), limit: 4)
        }
        XCTAssertEqual(entries, view.lines, "positions, cumulative need and states agree with lic show")
        let tail = try desk.queuePage(lic: "PEN", anchor: .last, limit: 3)
        XCTAssertEqual(tail.map(\.entry), Array(view.lines.suffix(3)))
        XCTAssertEqual(try desk.queuePosition(lic: "PEN", lineID: tail[0].lineID), view.lines.count - 3)
    }

    func testPerLineSplitAnswers() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        try f.lic("TEXTBOOK", stock: 20)
        try f.lic("RULER", stock: 3)
        var r = OrderRequest(customer: "C1", lines: [.init(lic: "TEXTBOOK", quantity: 25, split: .yes),
                                                     .init(lic: "RULER", quantity: 5, split: .no)])
        r.split = nil
        let o = try f.admin.enterOrder(r)
        XCTAssertEqual(o.lines.map(\.lic), ["TEXTBOOK", "TEXTBOOK", "RULER"])
        XCTAssertEqual(o.lines.map(\.ordered), [20, 5, 5])
        XCTAssertEqual(o.lines.map(\.wholeLine), [false, false, true])
        try f.assertInvariants()
    }

    func testLookups() throws {
        let f = try DeskFixture()
        try f.admin.addCustomer("HILL", name: "Hillcrest High", priority: 3, terms: .ar)
        try f.admin.addCustomer("ACME", name: "Acme Hill Tools", priority: 0, terms: .cod)
        XCTAssertEqual(try f.admin.customerMatches("hil").map(\.code), ["HILL", "ACME"], "code matches first, then names")
        XCTAssertEqual(try f.admin.customerInfo("hill")?.priority, 3)
        XCTAssertNil(try f.admin.customerInfo("nope"))
        try f.lic("TEXTBOOK")
        XCTAssertEqual(try f.admin.licMatches("TEXT").map(\.code), ["TEXTBOOK"])
        XCTAssertEqual(try f.admin.licInfo("textbook")?.inventoried, true)
        XCTAssertEqual(try f.admin.reasons().map(\.code), ["CUST"])
        XCTAssertEqual(try f.admin.locations().map(\.code), ["MAIN"])
    }
}
