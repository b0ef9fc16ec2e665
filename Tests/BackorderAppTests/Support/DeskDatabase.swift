import XCTest
@testable import BackorderApp
@testable import BackorderStore

extension Desk {
    /// The desk's SQLite store, for tests that look at the file's rows directly (`read`, `write`
    /// and GRDB are the store's own; the desk itself only calls named operations).
    var database: AppDatabase {
        get throws {
            guard let sqlite = store as? AppDatabase else { throw XCTSkip("reads SQLite's file directly") }
            return sqlite
        }
    }
}
