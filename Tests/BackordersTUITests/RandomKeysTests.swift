import BackorderApp
import BackorderCore
import Foundation
@testable import BackordersTUI
import TerminalKit
import XCTest

/// Thousands of random keys, clicks and resizes on every screen: nothing crashes, every write
/// goes through the Desk, and the database's invariants still hold afterwards.
final class RandomKeysTests: XCTestCase {
    /// Where a run of random keys starts: every screen, and the forms and fields on them.
    static let starts: [(name: String, keys: [Key])] = [
        ("orders", [.char("1")]), ("order entry", [.char("1"), .char("n")]), ("to ship", [.char("1"), .char("t")]),
        ("backorders", [.char("2")]), ("items", [.char("3")]), ("receive form", [.char("3"), .char("r")]),
        ("drill-down", [.char("3"), .enter]), ("purchasing", [.char("4")]), ("new PO", [.char("4"), .char("n")]),
        ("suggestions", [.char("4"), .char("s")]), ("reports", [.char("5")]), ("report filters", [.char("5"), .char("/")]),
        ("preferences", [.char("6")]), ("schedules", [.char("6"), .tab]),
    ]

    /// From every screen and form: random keys (printable, control, function keys, escape
    /// sequences), clicks and resizes. Nothing crashes, every write goes through the Desk, and the
    /// database's invariants hold afterwards. RANDOM_KEYS_STEPS (keys per start, 200 in the
    /// suite; 10,000 for the long run) and RANDOM_KEYS_SEED explore further.
    func testRandomKeysNeverCrashOrBreakInvariants() throws {
        let env = ProcessInfo.processInfo.environment
        let steps = env["RANDOM_KEYS_STEPS"].flatMap(Int.init) ?? 200
        let seed = env["RANDOM_KEYS_SEED"].flatMap(UInt64.init) ?? 20261121
        for (n, start) in Self.starts.enumerated() {
            let h = try Harness(size: Size(width: 90, height: 26))
            h.press(start.keys)
            var rng = SeededRandom(seed: seed &+ UInt64(n))
            try run(h, steps: steps, rng: &rng)
            XCTAssertEqual(try h.desk.check().violations.map(\.message), [], "after random keys from \(start.name)")
        }
    }

    private func run(_ h: Harness, steps: Int, rng: inout SeededRandom) throws {
        let keys: [Key] = [.enter, .escape, .tab, .backTab, .up, .down, .left, .right, .pageUp, .pageDown, .home, .end,
                           .backspace, .delete, .ctrl("s"), .ctrl("x"), .ctrl("u"), .ctrl("l"), .ctrl("w"), .ctrl("k"),
                           .f(1), .f(2), .f(3), .f(4), .f(5), .f(6), .f(9), .f(12), .insert,
                           .char(" "), .char("/"), .char("?"), .char("1"), .char("2"), .char("3"),
                           .char("4"), .char("5"), .char("6")]
        let letters = Array("nypvxiksracltwmegufdNY0123456789-.~é東\u{1B}\u{7F}\u{07}[")
        for step in 0..<steps {
            let r = Int.random(in: 0..<100, using: &rng)
            let key: Key
            switch r {
            case 0..<45: key = keys.randomElement(using: &rng)!
            case 45..<90: key = .char(letters.randomElement(using: &rng)!)
            case 90..<97: key = .mouse(x: Int.random(in: 0..<140, using: &rng), y: Int.random(in: 0..<45, using: &rng),
                                       kind: [.leftClick, .scrollUp, .scrollDown, .rightClick].randomElement(using: &rng)!)
            default:
                h.resize(Size(width: Int.random(in: 50...140, using: &rng), height: Int.random(in: 12...45, using: &rng)))
                continue
            }
            // Ctrl-C would quit (or ask to): the loop's own test covers it.
            h.press(key)
            if step % 100 == 0 { h.app.waitForJobs() }
        }
        h.app.waitForJobs()
    }
}
