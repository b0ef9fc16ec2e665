import CNCurses
@testable import CursesBackend
import TerminalKit
import XCTest

/// The pure parts of the curses backend; the rest runs end to end in tmux.
final class KeyMappingTests: XCTestCase {
    func testCharacters() {
        XCTAssertEqual(KeyMapping.key(forCharacter: 9), .tab)
        XCTAssertEqual(KeyMapping.key(forCharacter: 10), .enter)
        XCTAssertEqual(KeyMapping.key(forCharacter: 13), .enter)
        XCTAssertEqual(KeyMapping.key(forCharacter: 27), .escape)
        XCTAssertEqual(KeyMapping.key(forCharacter: 127), .backspace)
        XCTAssertEqual(KeyMapping.key(forCharacter: 8), .backspace)
        XCTAssertEqual(KeyMapping.key(forCharacter: 3), .ctrl("c"))
        XCTAssertEqual(KeyMapping.key(forCharacter: 19), .ctrl("s"))
        XCTAssertEqual(KeyMapping.key(forCharacter: 26), .ctrl("z"))
        XCTAssertEqual(KeyMapping.key(forCharacter: 1), .ctrl("a"))
        XCTAssertEqual(KeyMapping.key(forCharacter: 0x71), .char("q"))
        XCTAssertEqual(KeyMapping.key(forCharacter: 0x6771), .char("東"))
        XCTAssertNil(KeyMapping.key(forCharacter: 0xD800), "not a scalar")
    }

    func testKeyCodes() {
        XCTAssertEqual(KeyMapping.key(forKeyCode: KEY_UP), .up)
        XCTAssertEqual(KeyMapping.key(forKeyCode: KEY_NPAGE), .pageDown)
        XCTAssertEqual(KeyMapping.key(forKeyCode: KEY_PPAGE), .pageUp)
        XCTAssertEqual(KeyMapping.key(forKeyCode: KEY_HOME), .home)
        XCTAssertEqual(KeyMapping.key(forKeyCode: KEY_END), .end)
        XCTAssertEqual(KeyMapping.key(forKeyCode: KEY_BACKSPACE), .backspace)
        XCTAssertEqual(KeyMapping.key(forKeyCode: KEY_DC), .delete)
        XCTAssertEqual(KeyMapping.key(forKeyCode: KEY_ENTER), .enter)
        XCTAssertEqual(KeyMapping.key(forKeyCode: KEY_BTAB), .backTab)
        XCTAssertEqual(KeyMapping.key(forKeyCode: KEY_RESIZE), .resize)
        XCTAssertEqual(KeyMapping.key(forKeyCode: tk_KEY_F(2)), .f(2))
        XCTAssertEqual(KeyMapping.key(forKeyCode: tk_KEY_F(12)), .f(12))
        XCTAssertNil(KeyMapping.key(forKeyCode: KEY_F0))
    }
}

final class ColorMappingTests: XCTestCase {
    func testDefaultAndInRange() {
        let m = ColorMapping(colors: 256)
        XCTAssertEqual(m.number(for: .default), -1)
        XCTAssertEqual(m.number(for: .brightRed), 9)
        XCTAssertEqual(m.number(for: .index(214)), 214)
    }

    func testApproximatesOnSmallPalettes() {
        let sixteen = ColorMapping(colors: 16)
        XCTAssertEqual(sixteen.number(for: .index(196)), 9, "pure red → bright red")
        XCTAssertEqual(sixteen.number(for: .index(16)), 0, "black")
        XCTAssertEqual(sixteen.number(for: .index(231)), 15, "white")
        XCTAssertEqual(sixteen.number(for: .index(244)), 8, "mid grey → bright black")
        let eight = ColorMapping(colors: 8)
        XCTAssertEqual(eight.number(for: .brightYellow), 3)
        XCTAssertEqual(eight.number(for: .index(196)), 1)
        XCTAssertEqual(ColorMapping(colors: 0).number(for: .red), -1)
    }
}
