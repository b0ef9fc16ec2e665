import BackorderApp
import Foundation
@testable import BackordersTUI
import TerminalKit
import XCTest

/// Thousands of random keys, clicks and resizes on every screen: nothing crashes, every write
/// goes through the Desk, and the database's invariants still hold afterwards.
final class RandomKeysTests: XCTestCase {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state
        }
    }

    func testRandomKeysNeverCrashOrBreakInvariants() throws {
        let h = try Harness(size: Size(width: 90, height: 26))
        // RANDOM_KEYS_SEED and RANDOM_KEYS_STEPS explore further than the suite's fixed run.
        let env = ProcessInfo.processInfo.environment
        var rng = Generator(state: env["RANDOM_KEYS_SEED"].flatMap(UInt64.init) ?? 20261121)
        let steps = env["RANDOM_KEYS_STEPS"].flatMap(Int.init) ?? 1500
        let keys: [Key] = [.enter, .escape, .tab, .backTab, .up, .down, .left, .right, .pageUp, .pageDown, .home, .end,
                           .backspace, .delete, .ctrl("s"), .ctrl("x"), .ctrl("u"), .ctrl("l"), .f(1), .f(2), .f(3), .f(4),
                           .f(5), .f(6), .f(9), .char(" "), .char("/"), .char("?"), .char("1"), .char("2"), .char("3"),
                           .char("4"), .char("5"), .char("6")]
        let letters = Array("nypvxiksracltwmegufNY0123456789-.é東\u{1B}")
        for step in 0..<steps {
            let r = Int.random(in: 0..<100, using: &rng)
            let key: Key
            switch r {
            case 0..<45: key = keys.randomElement(using: &rng)!
            case 45..<90: key = .char(letters.randomElement(using: &rng)!)
            case 90..<97: key = .mouse(x: Int.random(in: 0..<90, using: &rng), y: Int.random(in: 0..<26, using: &rng),
                                       kind: [.leftClick, .scrollUp, .scrollDown].randomElement(using: &rng)!)
            default:
                h.resize(Size(width: Int.random(in: 50...140, using: &rng), height: Int.random(in: 12...45, using: &rng)))
                continue
            }
            h.press(key)
            if step % 500 == 0 { h.app.waitForJobs() }
        }
        h.app.waitForJobs()
        XCTAssertEqual(try h.desk.check().violations.map(\.message), [])
    }
}
