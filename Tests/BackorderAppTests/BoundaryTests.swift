import Foundation
import XCTest

/// The store is closed (issue 15): SQL and GRDB live in BackorderStore only. BackorderApp calls
/// the store's named operations, the terminal UI imports the desk and the toolkit (never the
/// store), and the command line opens the store but runs no SQL. The sources are read as text.
final class BoundaryTests: XCTestCase {
    /// The repository's `Sources/`, from this file's place in `Tests/BackorderAppTests/`.
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// What marks GRDB or SQL in Swift source: the import and the library's name, SQL's keywords
    /// (upper case, as this code base writes them), and GRDB's fetching and executing calls.
    static let sqlAndGRDB = [
        "import GRDB", "GRDB", "SELECT ", "INSERT ", "UPDATE ", "DELETE FROM", " WHERE ", " FROM ", "JOIN ", "ORDER BY",
        "PRAGMA", "sql:", "fetchOne(", "fetchAll(", "fetchCursor(", "StatementArguments", "DatabaseValue", "Row.fetch",
    ]

    /// Every `.swift` file under `Sources/<module>`, with its text.
    static func files(of module: String) throws -> [(name: String, text: String)] {
        let root = sources.appendingPathComponent(module)
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return try walk.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }.map {
            ("\(module)/" + $0.path.dropFirst(root.path.count + 1), try String(contentsOf: $0, encoding: .utf8))
        }
    }

    /// "file:line: pattern — the line" for every line of `text` that holds one of `patterns`.
    static func findings(_ name: String, _ text: String, _ patterns: [String]) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().flatMap { n, line in
            patterns.filter { line.contains($0) }.map { "\(name):\(n + 1): \($0) — \(line.trimmingCharacters(in: .whitespaces))" }
        }
    }

    /// The module's files, at least `minimum` of them (a wrong path must not pass as clean).
    func scan(_ module: String, minimum: Int, _ patterns: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let files = try Self.files(of: module)
        XCTAssertGreaterThanOrEqual(files.count, minimum, "\(module): too few sources found under \(Self.sources.path)", file: file, line: line)
        return files.flatMap { Self.findings($0.name, $0.text, patterns) }
    }

    func testTheScanSeesSQLAndGRDB() {
        // The scan itself: each pattern is caught where code would have it.
        let planted = """
            import GRDB
            let rows = try Row.fetchAll(db, sql: "SELECT id FROM lic WHERE code = ? ORDER BY id")
            try db.execute(sql: "INSERT INTO vendor (code) VALUES (?)", arguments: StatementArguments([c]))
            try db.execute(sql: "UPDATE lic SET min_stock = 0")
            try db.execute(sql: "DELETE FROM process_lease")
            let n = try Int.fetchOne(db, sql: "PRAGMA data_version")
            let v: DatabaseValue = row[0]
            let c = try Row.fetchCursor(statement)
            let j = "SELECT a FROM x JOIN y ON y.id = x.id"
            """
        let found = Self.findings("planted.swift", planted, Self.sqlAndGRDB)
        for pattern in Self.sqlAndGRDB {
            XCTAssertTrue(found.contains { $0.contains(": \(pattern) — ") }, "the scan misses \(pattern)")
        }
        XCTAssertEqual(Self.findings("clean.swift", "let view = try desk.order(number)\n// the database's file\n", Self.sqlAndGRDB), [])
    }

    func testTheAppHoldsNoSQLAndImportsNoGRDB() throws {
        let found = try scan("BackorderApp", minimum: 20, Self.sqlAndGRDB)
        XCTAssertEqual(found, [], "SQL or GRDB in BackorderApp (the store's named operations are the way):\n" + found.joined(separator: "\n"))
    }

    func testTheTerminalUIReachesTheDataThroughTheDeskOnly() throws {
        let found = try scan("BackordersTUI", minimum: 20, Self.sqlAndGRDB + ["BackorderStore", "AppDatabase", "ChangeWatcher", "BackorderStoring"])
        XCTAssertEqual(found, [], "the terminal UI reaches past the desk:\n" + found.joined(separator: "\n"))
        let allowed: Set<String> = ["BackorderApp", "BackorderCore", "TerminalKit", "Foundation"]
        for source in try Self.files(of: "BackordersTUI") {
            for line in source.text.split(separator: "\n") {
                // `import X`, `@_exported import X`, `import struct X.Y`: the module is the word after the keyword(s).
                let words = line.split(separator: " ")
                guard let at = words.firstIndex(of: "import"), words[..<at].allSatisfy({ $0.hasPrefix("@") }), at + 1 < words.count else { continue }
                let name = words[(at + 1)...].first { !["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"].contains($0) } ?? ""
                let module = String(name.split(separator: ".").first ?? "")
                XCTAssertTrue(allowed.contains(module), "\(source.name) imports \(module); the UI imports \(allowed.sorted())")
            }
        }
    }

    func testTheCommandLineRunsNoSQL() throws {
        let found = try scan("backorders", minimum: 10, Self.sqlAndGRDB)
        XCTAssertEqual(found, [], "SQL or GRDB in the command line:\n" + found.joined(separator: "\n"))
    }
}
