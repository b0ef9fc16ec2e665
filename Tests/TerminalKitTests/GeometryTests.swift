import TerminalKit
import XCTest

final class GeometryTests: XCTestCase {
    func testResolveFixedPercentFill() {
        XCTAssertEqual(LayoutLength.resolve([.fixed(1), .fill, .fixed(1)], total: 24), [1, 22, 1])
        XCTAssertEqual(LayoutLength.resolve([.percent(50), .fill], total: 81), [40, 41])
        XCTAssertEqual(LayoutLength.resolve([.fill, .fill, .fill], total: 10), [4, 3, 3])
        XCTAssertEqual(LayoutLength.resolve([.fixed(5), .fixed(5)], total: 7), [5, 2], "cut at the end")
        XCTAssertEqual(LayoutLength.resolve([.fixed(3)], total: 10), [3], "no fill leaves space unused")
        XCTAssertEqual(LayoutLength.resolve([.fill], total: -3), [0])
        XCTAssertEqual(LayoutLength.resolve([], total: 10), [])
    }

    func testResolveMinMax() {
        // The capped fill hands its excess to the other fill.
        XCTAssertEqual(LayoutLength.resolve([.fill, .fill], total: 40, minimums: [0, 0], maximums: [10, nil]), [10, 30])
        // A minimum bigger than the share wins.
        XCTAssertEqual(LayoutLength.resolve([.fill, .fill], total: 20, minimums: [15, 0], maximums: [nil, nil]), [15, 5])
        // Fixed sizes respect min/max too.
        XCTAssertEqual(LayoutLength.resolve([.fixed(2), .fill], total: 20, minimums: [4, 0]), [4, 16])
    }

    func testAppLayoutAt80x24() {
        let screen = Rect(size: Size(width: 80, height: 24))
        let parts = screen.rows([.fixed(1), .fixed(1), .fill, .fixed(1)])
        XCTAssertEqual(parts, [
            Rect(x: 0, y: 0, width: 80, height: 1),
            Rect(x: 0, y: 1, width: 80, height: 1),
            Rect(x: 0, y: 2, width: 80, height: 21),
            Rect(x: 0, y: 23, width: 80, height: 1),
        ])
        let panes = parts[2].columns([.percent(40), .fill], spacing: 1)
        XCTAssertEqual(panes, [Rect(x: 0, y: 2, width: 31, height: 21), Rect(x: 32, y: 2, width: 48, height: 21)])
    }

    func testAppLayoutAt120x40() {
        let screen = Rect(size: Size(width: 120, height: 40))
        let (top, bottom) = screen.inset(top: 2, bottom: 1).splitHorizontally(at: -10)
        XCTAssertEqual(top, Rect(x: 0, y: 2, width: 120, height: 27))
        XCTAssertEqual(bottom, Rect(x: 0, y: 29, width: 120, height: 10))
        XCTAssertEqual(top.columns([.fixed(40), .fill]), [Rect(x: 0, y: 2, width: 40, height: 27), Rect(x: 40, y: 2, width: 80, height: 27)])
        let cols = screen.columns([.fixed(10), .percent(25), .fill, .fill])
        XCTAssertEqual(cols.map(\.width), [10, 30, 40, 40])
        XCTAssertEqual(cols.map(\.x), [0, 10, 40, 80])
        XCTAssertEqual(cols.map(\.width).reduce(0, +), 120)
    }

    func testSplitsClampAndNegativeOffsets() {
        let r = Rect(x: 5, y: 5, width: 10, height: 4)
        XCTAssertEqual(r.splitHorizontally(at: 10).bottom.height, 0)
        XCTAssertEqual(r.splitHorizontally(at: -1).bottom, Rect(x: 5, y: 8, width: 10, height: 1))
    }

    func testInsetCenterContainsIntersection() {
        let r = Rect(x: 0, y: 0, width: 10, height: 5)
        XCTAssertEqual(r.inset(by: 1), Rect(x: 1, y: 1, width: 8, height: 3))
        XCTAssertEqual(r.inset(by: 4).height, 0)
        XCTAssertTrue(r.inset(by: 4).isEmpty)
        XCTAssertEqual(r.inset(horizontal: 2), Rect(x: 2, y: 0, width: 6, height: 5))
        XCTAssertEqual(r.centered(width: 4, height: 3), Rect(x: 3, y: 1, width: 4, height: 3))
        XCTAssertEqual(r.centered(width: 40, height: 3).width, 10)
        XCTAssertTrue(r.contains(x: 9, y: 4))
        XCTAssertFalse(r.contains(x: 10, y: 4))
        XCTAssertEqual(r.intersection(Rect(x: 8, y: 3, width: 5, height: 5)), Rect(x: 8, y: 3, width: 2, height: 2))
        XCTAssertTrue(r.intersection(Rect(x: 20, y: 0, width: 5, height: 5)).isEmpty)
    }

    func testRowsWithSpacing() {
        let r = Rect(x: 0, y: 0, width: 10, height: 10)
        XCTAssertEqual(r.rows([.fixed(2), .fill, .fixed(2)], spacing: 1).map(\.y), [0, 3, 8])
        XCTAssertEqual(r.rows([.fixed(2), .fill, .fixed(2)], spacing: 1).map(\.height), [2, 4, 2])
    }
}
