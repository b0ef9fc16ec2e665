import BackorderApp
@testable import BackordersTUI
import TerminalKit
import XCTest

/// The paged list against an in-memory list of ids: pages always show the right rows, only
/// a page is fetched at a time, and a reload keeps the selection by key.
final class PagedListTests: XCTestCase {
    final class Store {
        var ids: [Int64]
        var fetched = 0
        var largestFetch = 0
        init(_ ids: [Int64]) { self.ids = ids }

        var source: PageSource<Int64> {
            PageSource(count: { self.ids.count }, page: { anchor, limit in
                let page = self.page(anchor, limit)
                self.fetched += page.count
                self.largestFetch = max(self.largestFetch, page.count)
                return page
            }, position: { self.ids.firstIndex(of: $0) })
        }

        func page(_ anchor: PageAnchor, _ limit: Int) -> [Int64] {
            switch anchor {
            case .first: return Array(ids.prefix(limit))
            case .last: return Array(ids.suffix(limit))
            case .after(let id): return Array(ids.drop { $0 != id }.dropFirst().prefix(limit))
            case .from(let id): return Array(ids.drop { $0 != id }.prefix(limit))
            case .before(let id): return Array(ids.prefix { $0 != id }.suffix(limit))
            case .offset(let n): return Array(ids.dropFirst(n).prefix(limit))
            }
        }
    }

    func check(_ list: PagedList<Int64>, _ store: Store, file: StaticString = #filePath, line: UInt = #line) {
        let t = list.table
        XCTAssertEqual(list.rows, Array(store.ids.dropFirst(t.offset).prefix(list.visibleRows)), "window", file: file, line: line)
        XCTAssertEqual(list.selected, store.ids[t.selected], "selection", file: file, line: line)
        XCTAssertTrue(t.selected >= t.offset && t.selected < t.offset + list.visibleRows, file: file, line: line)
    }

    func testMovingThroughTenThousandRowsFetchesOnlyPages() throws {
        let store = Store((1...10_000).map { Int64($0 * 10) })
        var list = PagedList<Int64>(key: { $0 })
        try list.setVisibleRows(20, store.source)
        try list.reload(store.source)
        check(list, store)
        for move: TableMove in [.down, .down, .pageDown, .pageDown, .up, .pageUp, .end, .up, .pageUp, .home, .pageDown,
                                .wheelDown, .wheelUp] {
            try list.move(move, store.source)
            check(list, store)
        }
        for _ in 0..<45 { try list.move(.down, store.source); check(list, store) }
        XCTAssertLessThanOrEqual(store.largestFetch, 20, "never more than a page")
        XCTAssertLessThan(store.fetched, 400, "a few pages, not the list")
    }

    func testReloadKeepsTheSelectedRowByKeyWhereItWasOnScreen() throws {
        let store = Store((1...100).map { Int64($0) })
        var list = PagedList<Int64>(key: { $0 })
        try list.setVisibleRows(10, store.source)
        try list.reload(store.source)
        for _ in 0..<14 { try list.move(.down, store.source) }
        XCTAssertEqual(list.selected, 15)
        XCTAssertGreaterThan(list.table.offset, 0)
        let screenRow = list.table.selected - list.table.offset
        store.ids.insert(contentsOf: [1000, 1001, 1002], at: 0)   // newer rows arrive on top
        try list.reload(store.source)
        XCTAssertEqual(list.selected, 15)
        XCTAssertEqual(list.table.selected - list.table.offset, screenRow)
        check(list, store)

        store.ids.removeAll { $0 == 15 }                           // the selected row leaves the list
        try list.reload(store.source)
        XCTAssertEqual(list.table.selected, 17, "the selection keeps its place")
        check(list, store)

        store.ids = []
        try list.reload(store.source)
        XCTAssertNil(list.selected)
        XCTAssertTrue(list.rows.isEmpty)
    }

    func testResizingAndSelectingByKey() throws {
        let store = Store((1...500).map { Int64($0) })
        var list = PagedList<Int64>(key: { $0 })
        try list.setVisibleRows(7, store.source)
        try list.reload(store.source)
        try list.select(id: 321, store.source)
        XCTAssertEqual(list.selected, 321)
        check(list, store)
        try list.setVisibleRows(30, store.source)
        XCTAssertEqual(list.selected, 321)
        check(list, store)
        try list.setVisibleRows(3, store.source)
        check(list, store)
        _ = try list.click(y: 5, area: Rect(x: 0, y: 3, width: 10, height: 4), store.source)
        XCTAssertEqual(list.table.selected, list.table.offset + 1)
        check(list, store)
    }
}
