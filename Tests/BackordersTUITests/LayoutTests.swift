@testable import BackordersTUI
import TerminalKit
import XCTest

/// The layout is a pure function of the terminal size.
final class LayoutTests: XCTestCase {
    func testAt80x24TheListSitsAboveItsDetail() {
        let p = Layout.panes(Size(width: 80, height: 24))
        XCTAssertEqual(p[.header], Rect(x: 0, y: 0, width: 80, height: 1))
        XCTAssertEqual(p[.tabs], Rect(x: 0, y: 1, width: 80, height: 1))
        XCTAssertEqual(p[.body], Rect(x: 0, y: 2, width: 80, height: 20))
        XCTAssertEqual(p[.list], Rect(x: 0, y: 2, width: 80, height: 9))
        XCTAssertEqual(p[.detail], Rect(x: 0, y: 11, width: 80, height: 11))
        XCTAssertEqual(p[.status], Rect(x: 0, y: 22, width: 80, height: 1))
        XCTAssertEqual(p[.footer], Rect(x: 0, y: 23, width: 80, height: 1))
        golden(Layout.sketch(Size(width: 80, height: 24)), "layout-80x24")
    }

    func testAt120x40TheListAndDetailSitSideBySide() {
        let p = Layout.panes(Size(width: 120, height: 40))
        XCTAssertEqual(p[.body], Rect(x: 0, y: 2, width: 120, height: 36))
        XCTAssertEqual(p[.list], Rect(x: 0, y: 2, width: 53, height: 36))
        XCTAssertEqual(p[.detail], Rect(x: 54, y: 2, width: 66, height: 36))
        XCTAssertEqual(p[.footer], Rect(x: 0, y: 39, width: 120, height: 1))
        golden(Layout.sketch(Size(width: 120, height: 40)), "layout-120x40")
    }

    func testTooSmallHasNoPanes() {
        XCTAssertTrue(Layout.panes(Size(width: 71, height: 24)).isEmpty)
        XCTAssertTrue(Layout.panes(Size(width: 80, height: 19)).isEmpty)
        XCTAssertFalse(Layout.panes(Layout.minimum).isEmpty)
        XCTAssertEqual(Layout.sketch(Size(width: 60, height: 15)), "Terminal too small: need at least 72×20, have 60×15")
    }

    func testPanesTileTheScreenWithoutOverlap() {
        for size in [Size(width: 72, height: 20), Size(width: 80, height: 24), Size(width: 109, height: 30),
                     Size(width: 110, height: 30), Size(width: 120, height: 40), Size(width: 250, height: 80)] {
            let p = Layout.panes(size)
            let rows: [PaneID] = [.header, .tabs, .body, .status, .footer]
            XCTAssertEqual(rows.map { p[$0]!.height }.reduce(0, +), size.height, "\(size)")
            XCTAssertTrue(rows.allSatisfy { p[$0]!.width == size.width })
            let list = p[.list]!, detail = p[.detail]!, body = p[.body]!
            XCTAssertTrue(list.intersection(detail).isEmpty, "\(size)")
            XCTAssertEqual(list.intersection(body), list)
            XCTAssertEqual(detail.intersection(body), detail)
            XCTAssertGreaterThanOrEqual(list.height, 8, "\(size)")
        }
    }
}

extension Layout {
    /// The panes drawn as letters, for the layout goldens.
    static func sketch(_ size: Size) -> String {
        let panes = panes(size)
        guard !panes.isEmpty else { return TooSmall.message(size: size, minimum: minimum) }
        var grid = Array(repeating: Array(repeating: Character(" "), count: size.width), count: size.height)
        let marks: [(PaneID, Character)] = [(.header, "H"), (.tabs, "T"), (.list, "L"), (.detail, "D"), (.status, "S"), (.footer, "F")]
        for (pane, mark) in marks {
            guard let r = panes[pane] else { continue }
            for y in r.y..<r.maxY { for x in r.x..<r.maxX { grid[y][x] = mark } }
        }
        return grid.map { String($0) }.joined(separator: "\n")
    }
}
