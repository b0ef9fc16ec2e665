import BackorderApp
import BackorderStore
@testable import BackordersTUI
import Foundation
import TerminalKit
import XCTest

/// How long the UI takes on the demo data: opening, and drawing each screen (fetch + render).
/// Printed for the record; the bounds are loose so that a slow CI machine does not fail.
final class TimingTests: XCTestCase {
    private func ms(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    func testOpeningAndDrawingEveryScreen() throws {
        let url = try DemoDatabase.copy()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let size = Size(width: 120, height: 40)
        var app: TUIApp!
        let open = try ms {
            let database = try AppDatabase(path: url.path, create: false)
            let desk = try Desk(store: database, userName: DemoDatabase.admin, clock: Harness.clock)
            app = try TUIApp(desk: desk, theme: .default, options: TUIApp.Options(databaseName: "demo.sqlite"))
            _ = app.frame(size: size)
        }
        print("timing: open the database and draw the first frame: \(String(format: "%.1f", open)) ms")
        XCTAssertLessThan(open, 2000)
        for (key, name) in [(Key.char("1"), "orders"), (.char("2"), "backorders"), (.char("3"), "items"), (.char("6"), "preferences")] {
            app.handle(key, size: size)
            _ = app.frame(size: size)
            let n = 20
            let each = try ms {
                for _ in 0..<n {
                    try app.currentScreen.reload(app.ctx)
                    _ = app.frame(size: size)
                }
            } / Double(n)
            let scroll = ms {
                for _ in 0..<n {
                    app.handle(.pageDown, size: size)
                    _ = app.frame(size: size)
                }
            } / Double(n)
            print("timing: \(name): reload + frame \(String(format: "%.2f", each)) ms, page down + frame \(String(format: "%.2f", scroll)) ms")
            XCTAssertLessThan(each, 250)
        }
    }
}
