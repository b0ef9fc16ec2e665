import TerminalKit
import XCTest

final class TextWidthTests: XCTestCase {
    func testASCII() {
        XCTAssertEqual(TextWidth.width(of: ""), 0)
        XCTAssertEqual(TextWidth.width(of: "Order 1001"), 10)
    }

    func testCJKIsTwoColumns() {
        XCTAssertEqual(TextWidth.width(of: "東京"), 4)
        XCTAssertEqual(TextWidth.width(of: "한국어"), 6)
        XCTAssertEqual(TextWidth.width(of: "ｶﾀｶﾅ"), 4, "halfwidth katakana is narrow")
        XCTAssertEqual(TextWidth.width(of: "ＡＢ"), 4, "fullwidth Latin is wide")
        XCTAssertEqual(TextWidth.width(of: "a東b"), 4)
    }

    func testEmojiIsTwoColumns() {
        XCTAssertEqual(TextWidth.width(of: "🚚"), 2)
        XCTAssertEqual(TextWidth.width(of: "👍🏽"), 2, "skin tone modifier joins the base")
        XCTAssertEqual(TextWidth.width(of: "👨‍👩‍👧"), 2, "ZWJ sequence is one picture")
        XCTAssertEqual(TextWidth.width(of: "🇩🇪"), 2, "flag")
        XCTAssertEqual(TextWidth.width(of: "❤️"), 2, "text-default emoji with VS16")
        XCTAssertEqual(TextWidth.width(of: "❤"), 1, "text-default emoji without VS16")
    }

    func testCombiningAndZeroWidth() {
        XCTAssertEqual(TextWidth.width(of: "e\u{301}"), 1)
        XCTAssertEqual(TextWidth.width(of: "Cafe\u{301}"), 4)
        XCTAssertEqual(TextWidth.width(of: "a\u{200B}b"), 2, "zero width space")
        XCTAssertEqual(TextWidth.width(of: "\u{301}"), 0, "lone combining mark")
        XCTAssertEqual(TextWidth.width(of: "a\u{200D}b"), 2, "ZWJ")
        XCTAssertEqual(TextWidth.width(of: "\u{1100}\u{1161}\u{11A8}"), 2, "conjoining jamo: one syllable")
    }

    func testTruncate() {
        XCTAssertEqual(TextWidth.truncate("Backorders", toWidth: 20), "Backorders")
        XCTAssertEqual(TextWidth.truncate("Backorders", toWidth: 6), "Backo…")
        XCTAssertEqual(TextWidth.truncate("東京商事", toWidth: 6), "東京…")
        XCTAssertEqual(TextWidth.truncate("東京商事", toWidth: 4), "東…", "wide char dropped rather than split")
        XCTAssertEqual(TextWidth.truncate("東京商事", toWidth: 2), "…")
        XCTAssertEqual(TextWidth.truncate("abc", toWidth: 0), "")
        XCTAssertEqual(TextWidth.truncate("abcdef", toWidth: 4, ellipsis: ""), "abcd")
        XCTAssertEqual(TextWidth.truncate("abcdef", toWidth: 2, ellipsis: "..."), "ab")
    }

    func testPad() {
        XCTAssertEqual(TextWidth.pad("ab", toWidth: 5), "ab   ")
        XCTAssertEqual(TextWidth.pad("ab", toWidth: 5, alignment: .right), "   ab")
        XCTAssertEqual(TextWidth.pad("ab", toWidth: 5, alignment: .center), " ab  ")
        XCTAssertEqual(TextWidth.pad("東京", toWidth: 5, alignment: .right), " 東京")
        XCTAssertEqual(TextWidth.pad("東京商事", toWidth: 5), "東京…")
        XCTAssertEqual(TextWidth.width(of: TextWidth.pad("東京商事", toWidth: 4)), 4, "padded after a dropped wide char")
    }

    func testWrap() {
        XCTAssertEqual(TextWidth.wrap("Only 20 of 25 available. Split by availability?", width: 20),
                       ["Only 20 of 25", "available. Split by", "availability?"])
        XCTAssertEqual(TextWidth.wrap("abcdefghij", width: 4), ["abcd", "efgh", "ij"])
        XCTAssertEqual(TextWidth.wrap("a\nb", width: 4), ["a", "b"])
        XCTAssertEqual(TextWidth.wrap("東京商事", width: 5), ["東京", "商事"])
    }

    func testSanitizeDropsEscapeSequences() {
        XCTAssertEqual(TextWidth.sanitize("\u{1B}[31mred\u{1B}[0m"), "red")
        XCTAssertEqual(TextWidth.sanitize("\u{1B}[2J\u{1B}[Hwipe"), "wipe")
        XCTAssertEqual(TextWidth.sanitize("a\u{1B}]0;evil title\u{07}b"), "ab", "OSC with BEL")
        XCTAssertEqual(TextWidth.sanitize("a\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\b"), "alinkb", "OSC 8 with ST")
        XCTAssertEqual(TextWidth.sanitize("a\u{1B}Pq#0;2;0;0;0\u{1B}\\b"), "ab", "DCS (sixel)")
        XCTAssertEqual(TextWidth.sanitize("x\u{1B}cy"), "xy", "ESC c (reset)")
        XCTAssertEqual(TextWidth.sanitize("x\u{1B}(0y"), "xy", "charset designation")
        XCTAssertEqual(TextWidth.sanitize("x\u{9B}31my"), "xy", "8-bit CSI")
        XCTAssertEqual(TextWidth.sanitize("x\u{1B}"), "x\u{FFFD}", "lone ESC at end")
        XCTAssertEqual(TextWidth.sanitize("\u{1B}[31"), "", "unterminated CSI")
    }

    func testSanitizeControls() {
        XCTAssertEqual(TextWidth.sanitize("a\tb\nc\r\nd"), "a b c d")
        XCTAssertEqual(TextWidth.sanitize("bell\u{07}"), "bell\u{FFFD}")
        XCTAssertEqual(TextWidth.sanitize("nul\u{0}x"), "nul\u{FFFD}x")
        XCTAssertEqual(TextWidth.sanitize("del\u{7F}"), "del\u{FFFD}")
        XCTAssertEqual(TextWidth.sanitize("c1\u{85}x\u{8D}"), "c1 x\u{FFFD}")
        XCTAssertEqual(TextWidth.sanitize("abc\u{202E}fed"), "abcfed", "bidi override dropped")
        XCTAssertEqual(TextWidth.sanitize("東京 Café 🚚"), "東京 Café 🚚", "ordinary text untouched")
        XCTAssertEqual(TextWidth.sanitize("plain"), "plain")
        // Nothing that reaches the terminal can start a control sequence.
        let nasty = "\u{1B}[?1049l\u{1B}]52;c;AAAA\u{07}\u{90}x\u{9C}\u{1B}"
        XCTAssertFalse(TextWidth.sanitize(nasty).unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }
}
