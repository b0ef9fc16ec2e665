import BackorderApp
import BackorderCore
import BackorderStore
@testable import BackordersTUI
import Foundation
import TerminalKit
import TestSupport
import XCTest

/// The demo database, loaded once per test run with a fixed today, and copied for each test
/// so tests can write without disturbing each other.
enum DemoDatabase {
    static let today = Day("2026-11-21")!
    static let admin = "admin"

    static let template: URL = {
        let path = try! TempDir.forTheRun(prefix: "tui-template").file("demo.sqlite")
        let seeds = Demo.seedsDirectory(explicit: nil)!
        _ = try! Demo.load(path: path, userName: admin, seeds: seeds, reset: false, today: today)
        return URL(fileURLWithPath: path)
    }()

    /// A fresh copy of the demo database, `demo.sqlite` in its own directory.
    static func copy() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let target = dir.appendingPathComponent("demo.sqlite")
        for suffix in ["", "-wal", "-shm"] {
            let from = URL(fileURLWithPath: template.path + suffix)
            if FileManager.default.fileExists(atPath: from.path) {
                try FileManager.default.copyItem(at: from, to: URL(fileURLWithPath: target.path + suffix))
            }
        }
        return target
    }
}

/// The app on a copy of the demo database, driven by keys through a `MemoryBackend`.
final class Harness {
    static let clock = Clock.fixed(Moment(day: DemoDatabase.today, secondOfDay: 10 * 3600))
    let url: URL
    let database: AppDatabase
    let desk: Desk
    let app: TUIApp
    let backend: MemoryBackend

    init(size: Size = Size(width: 80, height: 24), user: String = DemoDatabase.admin, theme: Theme = .default,
         clock: Clock = Harness.clock, runsSchedules: Bool = false) throws {
        url = try DemoDatabase.copy()
        database = try AppDatabase(path: url.path, create: false)
        desk = try Desk(store: database, userName: user, clock: clock)
        backend = MemoryBackend(size: size)
        // A scripted `run` that does not quit when it should ends the test instead of hanging it.
        backend.goneAfterIdleReads = 5_000
        var options = TUIApp.Options(databaseName: "demo.sqlite")
        // The desk runs due schedules itself only in the tests about that (a run started by a
        // tick would race the keys of every other test).
        options.scheduleCheckSeconds = runsSchedules ? 0.001 : 0
        // Exports go beside the test's database, never into the working directory.
        options.exportDirectory = url.deletingLastPathComponent().path
        app = try TUIApp(desk: desk, theme: theme, options: options)
        backend.draw(app.frame(size: backend.size))
    }

    deinit { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }

    /// The folder of this test's database (exports go there).
    var directory: String { url.deletingLastPathComponent().path }

    /// Another terminal's desk on the same file (its own connection pool).
    func otherDesk(_ user: String = DemoDatabase.admin) throws -> Desk {
        try Desk(store: try AppDatabase(path: url.path, create: false), userName: user, clock: Harness.clock)
    }

    /// Feeds keys one at a time, as the loop would, drawing after each.
    func press(_ keys: Key...) { press(keys) }

    func press(_ keys: [Key]) {
        for key in keys {
            app.handle(key, size: backend.size)
            backend.draw(app.frame(size: backend.size))
        }
    }

    /// Types text character by character.
    func type(_ text: String) { press(text.map { Key.char($0) }) }

    func resize(_ size: Size) {
        backend.resize(to: size)
        while let key = backend.readKey(timeoutMs: 0) { app.handle(key, size: backend.size) }
        backend.draw(app.frame(size: backend.size))
    }

    /// The screen as text.
    var screen: String {
        let frame = app.frame(size: backend.size)
        backend.draw(frame)
        return frame.text()
    }

    var status: String { app.status?.text ?? "" }
}

let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

func golden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    assertGolden(text, named: name, directory: goldens, file: file, line: line)
}

extension TUIApp {
    /// Blocks until background jobs finish and applies their results.
    func waitForJobs() {
        ctx.jobs.waitForAll()
        _ = tick()
    }
}
