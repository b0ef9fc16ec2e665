import BackorderStore
import Foundation
import TestSupport

/// Where a command-line test's desk lives: a file in the test's folder, or — when
/// `BACKORDERS_TEST_POSTGRES` names a server — a new, empty database on that server, dropped
/// when the test is done. The same commands and assertions then run on either store; the few
/// about the file itself (its refusals, its backup, a reader's lock) stay on SQLite.
final class TestDesk {
    /// `--db` for the test's commands.
    let db: String
    let onPostgres: Bool
    private var made: (server: PostgresAddress, name: String)?

    /// The PostgreSQL server the tests run on, if any.
    static var postgresServer: PostgresAddress? {
        guard let text = ProcessInfo.processInfo.environment["BACKORDERS_TEST_POSTGRES"], !text.isEmpty else { return nil }
        return try? PostgresAddress(text)
    }

    init(in dir: TempDir, file: String = "desk.sqlite", sqliteOnly: Bool = false) throws {
        if !sqliteOnly, let server = Self.postgresServer {
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try PostgresStore.createDatabase(name, on: server)
            made = (server, name)
            db = server.with(database: name).description
            onPostgres = true
        } else {
            db = dir.file(file)
            onPostgres = false
        }
    }

    deinit {
        if let made { try? PostgresStore.dropDatabase(made.name, on: made.server) }
    }
}
