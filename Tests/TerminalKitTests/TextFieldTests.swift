import TerminalKit
import XCTest

final class TextFieldTests: XCTestCase {
    func testEditingKeys() {
        var f = TextFieldState()
        for c in "Widgt" { f.handle(.char(c)) }
        XCTAssertEqual(f.text, "Widgt")
        XCTAssertEqual(f.cursor, 5)
        XCTAssertEqual(f.handle(.left), .moved)
        XCTAssertEqual(f.handle(.char("e")), .edited)
        XCTAssertEqual(f.text, "Widget")
        XCTAssertEqual(f.handle(.home), .moved)
        XCTAssertEqual(f.handle(.delete), .edited)
        XCTAssertEqual(f.text, "idget")
        XCTAssertEqual(f.handle(.backspace), .ignored, "nothing before the cursor")
        XCTAssertEqual(f.handle(.end), .moved)
        XCTAssertEqual(f.cursor, 5)
        XCTAssertEqual(f.handle(.backspace), .edited)
        XCTAssertEqual(f.text, "idge")
        XCTAssertEqual(f.handle(.right), .ignored, "already at the end")
        XCTAssertEqual(f.handle(.ctrl("u")), .edited)
        XCTAssertEqual(f.text, "")
        XCTAssertEqual(f.cursor, 0)
        XCTAssertEqual(f.handle(.f(5)), .ignored)
    }

    func testWordAndKillKeys() {
        var f = TextFieldState(text: "blue widget large")
        f.handle(.ctrl("w"))
        XCTAssertEqual(f.text, "blue widget ")
        f.handle(.ctrl("a"))
        f.handle(.right)
        f.handle(.ctrl("k"))
        XCTAssertEqual(f.text, "b")
    }

    func testGraphemeAwareCursor() {
        var f = TextFieldState(text: "Cafe\u{301}東")
        XCTAssertEqual(f.cursor, 5)
        f.handle(.backspace)
        f.handle(.backspace)
        XCTAssertEqual(f.text, "Caf", "é is one character")
    }

    func testNumericField() {
        var f = TextFieldState.numeric()
        for c in "1a2-5" { f.handle(.char(c)) }
        XCTAssertEqual(f.text, "125")
        XCTAssertEqual(f.intValue, 125)
        XCTAssertNil(f.integerError(range: 1...999))
        XCTAssertEqual(f.integerError(range: 1...99), "Must be 1–99")
        f.clear()
        XCTAssertEqual(f.integerError(), "Required")
        XCTAssertNil(f.integerError(required: false))

        var n = TextFieldState.numeric(allowNegative: true)
        for c in "-4-2" { n.handle(.char(c)) }
        XCTAssertEqual(n.intValue, -42)

        var limited = TextFieldState.numeric(maxLength: 3)
        limited.insert("123456")
        XCTAssertEqual(limited.text, "123")
    }

    func testPasteIsSanitized() {
        var f = TextFieldState()
        f.insert("a\u{1B}[31mb\nc")
        XCTAssertEqual(f.text, "ab c")
    }

    func testRender() {
        var b = ScreenBuffer(size: Size(width: 30, height: 2))
        let f = TextFieldState(text: "25")
        let input = TextField.render(label: "Qty", state: f, focused: true, error: "Only 20 available",
                                     area: b.area, buffer: &b, theme: .monochrome, fieldWidth: 6)
        XCTAssertEqual(input, Rect(x: 4, y: 0, width: 6, height: 1))
        XCTAssertEqual(b.text(), "Qty 25\n    Only 20 available")
        XCTAssertTrue(b[6, 0].style.attrs.contains(.reverse), "cursor after the text")
        XCTAssertFalse(b[5, 0].style.attrs.contains(.reverse))
        XCTAssertEqual(b[4, 1].style, Theme.monochrome.style(.inputError))

        var one = ScreenBuffer(size: Size(width: 30, height: 1))
        TextField.render(label: "Qty", state: f, focused: false, error: "Too many", area: one.area,
                         buffer: &one, theme: .monochrome, fieldWidth: 6)
        XCTAssertEqual(one.row(0), "Qty 25     Too many", "error beside when only one row")
    }

    func testRenderScrollsLongText() {
        var b = ScreenBuffer(size: Size(width: 12, height: 1))
        let f = TextFieldState(text: "0123456789abcdef")
        TextField.render(label: "", state: f, focused: true, area: b.area, buffer: &b, theme: .monochrome)
        XCTAssertEqual(b.row(0), "56789abcdef", "cursor at the end stays visible")
        var g = f
        g.moveCursor(to: 0)
        TextField.render(label: "", state: g, focused: true, area: b.area, buffer: &b, theme: .monochrome)
        XCTAssertEqual(b.row(0), "0123456789ab")
    }

    func testPlaceholder() {
        var b = ScreenBuffer(size: Size(width: 30, height: 1))
        TextField.render(label: "Customer", state: TextFieldState(), focused: false, area: b.area, buffer: &b,
                         theme: .monochrome, placeholder: "type to search")
        XCTAssertEqual(b.row(0), "Customer type to search")
    }
}
