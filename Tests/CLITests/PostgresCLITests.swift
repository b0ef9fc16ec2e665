import BackorderStore
import Foundation
import TestSupport
import XCTest

/// The command line on the PostgreSQL store, as a user moving a desk does it: the demo on a
/// server, the commands on it, `copy` to a file and back into another database with `check`
/// clean everywhere. Runs when `BACKORDERS_TEST_POSTGRES` names a server (`.ci/run` starts one).
final class PostgresCLITests: XCTestCase {
    var dir: TempDir!
    var server: PostgresAddress!
    var made: [String] = []

    override func setUpWithError() throws {
        guard let text = ProcessInfo.processInfo.environment["BACKORDERS_TEST_POSTGRES"], !text.isEmpty else {
            throw XCTSkip("BACKORDERS_TEST_POSTGRES names no PostgreSQL server")
        }
        server = try PostgresAddress(text)
        dir = try TempDir(prefix: "pgcli")
    }

    override func tearDown() {
        for name in made { try? PostgresStore.dropDatabase(name, on: server) }
        dir = nil
    }

    /// A new, empty database on the server; its address.
    func newDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try PostgresStore.createDatabase(name, on: server)
        made.append(name)
        return server.with(database: name).description
    }

    func testTheDemoOnAServerCopiedToAFileAndBack() throws {
        let first = try newDatabase()
        let cli = try Backorders(home: dir.path, db: first)
        let demo = try cli.run("demo", "--no-tui")
        XCTAssertEqual(demo.status, 0, "\(demo)")
        XCTAssertTrue(demo.stdout.contains("Backlog: 203 backordered lines, 3013 units short"), "\(demo)")
        XCTAssertEqual(try cli.run("check").status, 0)

        // A clerk's order and the process, on the server.
        let order = try cli.run("order", "new", "--customer", "LINCOLN-HS", "--line", "TEXTBOOK:25", "--split", "yes", "--json")
        XCTAssertEqual(order.status, 0, "\(order)")
        let number = try XCTUnwrap(try order.object()["number"] as? String)
        let run = try cli.run("process", "primary", "--json")
        XCTAssertEqual(run.status, 0, "\(run)")
        XCTAssertEqual(try run.object()["process"] as? String, "primary")
        let shown = try cli.run("order", "show", number, "--json")
        XCTAssertEqual(try (shown.object()["lines"] as? [Any])?.count, 2, "20 allotted and 5 backordered: \(shown)")

        // Into a new file and back into another database: the same desk, checked on both sides.
        let file = dir.file("copy.sqlite")
        let out = try cli.run("copy", "--to", file, "--json")
        XCTAssertEqual(out.status, 0, "\(out)")
        XCTAssertEqual(try out.object()["target_check"] as? String, "ok")
        XCTAssertEqual(try (out.object()["rows"] as? [String: Any])?["orders"] as? Int, 201)
        let second = try newDatabase()
        let back = try Backorders(home: dir.path, db: file).run("copy", "--to", second, "--json")
        XCTAssertEqual(back.status, 0, "\(back)")
        XCTAssertEqual(try back.object()["source_check"] as? String, "ok")
        XCTAssertEqual(try back.object()["target_check"] as? String, "ok")
        let other = try Backorders(home: dir.path, db: second)
        XCTAssertEqual(try other.run("order", "show", number, "--json").stdout, shown.stdout, "the order reads the same after two copies")

        // A copy never lands on a desk, nor over a file.
        let again = try other.run("copy", "--to", first)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("already holds a desk"), "\(again)")
        XCTAssertEqual(try cli.run("copy", "--to", file).status, 1)
        XCTAssertEqual(try cli.run("check").status, 0)
    }

    func testAMissingDatabaseOrAForeignOneIsRefusedInWords() throws {
        let cli = try Backorders(home: dir.path, db: server.with(database: "no_such_database").description)
        let missing = try cli.run("order", "list")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("database \"no_such_database\" does not exist"), "\(missing)")
        let empty = try Backorders(home: dir.path, db: try newDatabase()).run("order", "list")
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("no desk at"), "\(empty)")
    }
}
