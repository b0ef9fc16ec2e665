import BackorderApp
import BackorderCore
@testable import BackordersTUI
import TerminalKit
import XCTest

/// Every screen, rendered from the demo database (fixed today and clock) into a buffer and
/// compared with golden text. Re-record with RECORD_GOLDENS=1 after an intended change.
final class ScreenGoldenTests: XCTestCase {
    static let small = Size(width: 80, height: 24)
    static let large = Size(width: 120, height: 40)

    func testOrders() throws {
        for size in [Self.small, Self.large] {
            let h = try Harness(size: size)
            golden(h.screen, "orders-\(size.width)x\(size.height)")
        }
    }

    func testOrderDetailFocusAndSuborderLikeHistory() throws {
        let h = try Harness(size: Self.large)
        h.press(.down, .down, .down, .down, .down, .down, .tab)
        golden(h.screen, "orders-detail-focus-120x40")
    }

    func testBackorders() throws {
        for size in [Self.small, Self.large] {
            let h = try Harness(size: size)
            h.press(.char("2"))
            golden(h.screen, "backorders-\(size.width)x\(size.height)")
        }
    }

    func testBackordersSortedByPriority() throws {
        let h = try Harness(size: Self.small)
        h.press(.char("2"), .char("s"))
        golden(h.screen, "backorders-by-priority-80x24")
    }

    func testItems() throws {
        for size in [Self.small, Self.large] {
            let h = try Harness(size: size)
            h.press(.char("3"))
            golden(h.screen, "items-\(size.width)x\(size.height)")
        }
    }

    func testDemandDrillDown() throws {
        for size in [Self.small, Self.large] {
            let h = try Harness(size: size)
            h.press(.char("3"), .char("/"))
            h.type("PEN-BLK")
            h.press(.enter, .enter)
            golden(h.screen, "demand-PEN-BLK-\(size.width)x\(size.height)")
        }
    }

    func testPreferences() throws {
        for size in [Self.small, Self.large] {
            let h = try Harness(size: size)
            h.press(.char("6"))
            golden(h.screen, "preferences-\(size.width)x\(size.height)")
        }
    }

    func testPreferencesReadOnlyForAClerk() throws {
        let h = try Harness(size: Self.small, user: "ann")
        h.press(.char("6"))
        golden(h.screen, "preferences-clerk-80x24")
    }

    func testHelp() throws {
        let h = try Harness(size: Self.small)
        h.press(.char("?"))
        golden(h.screen, "help-orders-80x24")
    }

    func testOrderEntryWithTheSplitQuestion() throws {
        for size in [Self.small, Self.large] {
            let h = try Harness(size: size)
            h.press(.char("n"))
            h.type("hill")
            golden(h.screen, "entry-customer-completion-\(size.width)x\(size.height)")
            h.press(.enter)
            h.type("TEXTBOOK")
            h.press(.enter)
            h.type("25")
            h.press(.enter)
            golden(h.screen, "entry-split-question-\(size.width)x\(size.height)")
            h.press(.char("y"))
            golden(h.screen, "entry-split-yes-\(size.width)x\(size.height)")
        }
    }

    func testTooSmall() throws {
        let h = try Harness(size: Size(width: 60, height: 15))
        golden(h.screen, "too-small-60x15")
    }
}
