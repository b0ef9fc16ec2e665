import TerminalKit
import XCTest

final class ScreenBufferTests: XCTestCase {
    func testPutAndText() {
        var b = ScreenBuffer(size: Size(width: 10, height: 3))
        XCTAssertEqual(b.put("hello", x: 1, y: 0), 5)
        b.put("world", x: 3, y: 2)
        XCTAssertEqual(b.text(), " hello\n\n   world")
        XCTAssertEqual(b.row(0), " hello")
        XCTAssertEqual(b.row(7), "")
    }

    func testClipsAtRightEdgeAndMaxWidth() {
        var b = ScreenBuffer(size: Size(width: 8, height: 2))
        XCTAssertEqual(b.put("0123456789", x: 3, y: 0), 5)
        XCTAssertEqual(b.row(0), "   0123…", "cut text ends with an ellipsis")
        XCTAssertEqual(b.put("abcdef", x: 0, y: 1, maxWidth: 2), 2)
        XCTAssertEqual(b.row(1), "a…")
        XCTAssertEqual(b.put("ab    ", x: 0, y: 1, maxWidth: 2), 2)
        XCTAssertEqual(b.row(1), "ab", "cut blanks are not marked")
        XCTAssertEqual(b.put("zzz", x: 0, y: 5), 0, "row outside the buffer")
        XCTAssertEqual(b.put("abc", x: -1, y: 1), 2, "clipped at the left edge")
        XCTAssertEqual(b.row(1), "bc")
    }

    func testWideCharacters() {
        var b = ScreenBuffer(size: Size(width: 6, height: 1))
        XCTAssertEqual(b.put("東京", x: 0, y: 0), 4)
        XCTAssertEqual(b[0, 0].text, "東")
        XCTAssertEqual(b[1, 0].text, "", "right half")
        XCTAssertTrue(b[1, 0].isContinuation)
        XCTAssertEqual(b.row(0), "東京")
    }

    func testWideCharNeverSplitAtEdge() {
        var b = ScreenBuffer(size: Size(width: 5, height: 1))
        XCTAssertEqual(b.put("ab東京", x: 0, y: 0), 5, "京 would need columns 4 and 5: the ellipsis takes 4")
        XCTAssertEqual(b.row(0), "ab東…")
        var c = ScreenBuffer(size: Size(width: 10, height: 1))
        XCTAssertEqual(c.put("東京", x: 0, y: 0, maxWidth: 3), 3)
        XCTAssertEqual(c.row(0), "東…")
        var d = ScreenBuffer(size: Size(width: 10, height: 1))
        XCTAssertEqual(d.put("東京x", x: 0, y: 0, maxWidth: 4), 4)
        XCTAssertEqual(d.row(0), "東…", "a wide character at the cut gives way to the ellipsis")
    }

    func testOverwritingHalfOfAWideCharBlanksTheOtherHalf() {
        var b = ScreenBuffer(size: Size(width: 6, height: 1))
        b.put("東京", x: 0, y: 0)
        b.put("x", x: 1, y: 0)          // right half of 東
        XCTAssertEqual(b.row(0), " x京")
        b.put("y", x: 2, y: 0)          // left half of 京
        XCTAssertEqual(b.row(0), " xy")
        XCTAssertFalse(b.cells.contains { $0.isContinuation })
        b.put("日本", x: 1, y: 0)
        XCTAssertEqual(b.row(0), " 日本")
        b.fill(Rect(x: 2, y: 0, width: 2, height: 1), style: .plain)
        XCTAssertEqual(b.row(0), "", "filling over halves leaves no orphan")
        XCTAssertFalse(b.cells.contains { $0.isContinuation })
    }

    func testSanitizesAndSkipsZeroWidth() {
        var b = ScreenBuffer(size: Size(width: 12, height: 1))
        XCTAssertEqual(b.put("a\u{1B}[31mb\tc", x: 0, y: 0), 4)
        XCTAssertEqual(b.row(0), "ab c")
        var c = ScreenBuffer(size: Size(width: 12, height: 1))
        c.put("Cafe\u{301}", x: 0, y: 0)
        XCTAssertEqual(c[3, 0].text, "e\u{301}", "combining mark stays with its base")
        XCTAssertEqual(c.row(0), "Cafe\u{301}")
    }

    func testStylesFillAndSpans() {
        var b = ScreenBuffer(size: Size(width: 6, height: 2))
        let red = Style(fg: .red)
        b.fill(Rect(x: 0, y: 1, width: 10, height: 5), style: red, character: "-")
        XCTAssertEqual(b.row(1), "------")
        XCTAssertEqual(b[5, 1].style, red)
        XCTAssertEqual(b.put(spans: [Span("ab", style: red), Span("cd", style: .plain)], x: 0, y: 0), 4)
        XCTAssertEqual(b[1, 0].style, red)
        XCTAssertEqual(b[2, 0].style, .plain)
        b.setStyle(Rect(x: 0, y: 0, width: 1, height: 1), style: Style(attrs: .reverse))
        XCTAssertEqual(b[0, 0].text, "a")
        XCTAssertEqual(b[0, 0].style.attrs, .reverse)
        XCTAssertEqual(b[-1, 0], .blank, "outside reads blank")
    }

    func testTextInRect() {
        var b = ScreenBuffer(size: Size(width: 6, height: 3))
        b.put("abc", x: 2, y: 1)
        b.put("de", x: 2, y: 2)
        XCTAssertEqual(b.text(), "\n  abc\n  de")
        XCTAssertEqual(b.text(in: Rect(x: 2, y: 1, width: 2, height: 2)), "ab\nde")
    }
}
