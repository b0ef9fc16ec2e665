import BackorderApp
import BackorderCore
import Foundation
import TerminalKit

/// The terminal UI's figures for `backorders bench`: what a clerk waits for on a large desk.
public enum UIBench {
    static func ms(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    /// Rendering the Backorders screen into a ScreenBuffer at its first, a middle and its last page:
    /// each figure is a reload of the visible page (what live refresh does) plus the frame, the
    /// median of `repeats`.
    public static func backorderPages(desk: Desk, size: Size = Size(width: 120, height: 40), repeats: Int = 9) throws -> (first: Double, middle: Double, last: Double) {
        let app = try TUIApp(desk: desk, theme: .default, options: TUIApp.Options(databaseName: "bench.sqlite"))
        app.handle(.char("2"), size: size)
        _ = app.frame(size: size)
        func measure() throws -> Double {
            var samples: [Double] = []
            for _ in 0..<repeats {
                samples.append(try ms {
                    try app.currentScreen.reload(app.ctx)
                    _ = app.frame(size: size)
                })
            }
            return samples.sorted()[samples.count / 2]
        }
        let first = try measure()
        let total = try desk.backorderCount()
        if let middle = try desk.backorderPage(anchor: .offset(total / 2), limit: 1).first {
            try app.backorders.select(lineID: middle.lineID, ctx: app.ctx)
        }
        _ = app.frame(size: size)
        let middle = try measure()
        app.handle(.end, size: size)
        _ = app.frame(size: size)
        let last = try measure()
        return (first, middle, last)
    }

    /// The Backorders screen at its middle page, reloaded and drawn once per call (ms): what a
    /// supervisor's terminal does when the desk changes.
    public static func middlePageSampler(desk: Desk, size: Size = Size(width: 120, height: 40)) throws -> () throws -> Double {
        let app = try TUIApp(desk: desk, theme: .default, options: TUIApp.Options(databaseName: "bench.sqlite"))
        app.handle(.char("2"), size: size)
        _ = app.frame(size: size)
        let total = try desk.backorderCount()
        if let middle = try desk.backorderPage(anchor: .offset(total / 2), limit: 1).first {
            try app.backorders.select(lineID: middle.lineID, ctx: app.ctx)
        }
        _ = app.frame(size: size)
        return {
            try ms {
                try app.currentScreen.reload(app.ctx)
                _ = app.frame(size: size)
            }
        }
    }

    /// Opens the UI on an in-memory backend and draws one frame (`tui --first-frame`): the parent
    /// times this process from spawn to exit.
    public static func firstFrame(desk: Desk, databaseName: String) throws {
        let app = try TUIApp(desk: desk, theme: .default, options: TUIApp.Options(databaseName: databaseName))
        let backend = MemoryBackend(size: Size(width: 120, height: 40))
        backend.draw(app.frame(size: backend.size))
    }
}
