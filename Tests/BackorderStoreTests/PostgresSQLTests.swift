@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// The store's SQL is written once, in SQLite's dialect; these are the rewrites PostgreSQL needs
/// (no server involved).
final class PostgresSQLTests: XCTestCase {
    func testPlaceholdersAreNumberedAsSQLiteNumbersThem() {
        XCTAssertEqual(PostgresSQL.translate("SELECT a FROM t WHERE b = ? AND c = ?"), "SELECT a FROM t WHERE b = $1 AND c = $2")
        XCTAssertEqual(PostgresSQL.translate("UPDATE t SET q = q + ?2 WHERE id = ?1"), "UPDATE t SET q = q + $2 WHERE id = $1")
        // A bare ? after ?3 is ?4 in SQLite.
        XCTAssertEqual(PostgresSQL.translate("SELECT ?3, ?, ?1"), "SELECT $3, $4, $1")
        XCTAssertEqual(PostgresSQL.translate("SELECT 'why?' || ?"), "SELECT 'why?' || $1", "quoted text is left alone")
    }

    func testSQLiteOnlyWordsBecomePostgreSQLs() {
        XCTAssertEqual(PostgresSQL.translate("SELECT id FROM order_line INDEXED BY line_queue WHERE lic_id = ?"),
                       "SELECT id FROM order_line WHERE lic_id = $1")
        XCTAssertEqual(PostgresSQL.translate("INSERT OR IGNORE INTO s (p) VALUES (?)"), "INSERT INTO s (p) VALUES ($1) ON CONFLICT DO NOTHING")
        XCTAssertEqual(PostgresSQL.translate("SELECT id FROM c WHERE code LIKE ? ESCAPE '\\'"), "SELECT id FROM c WHERE code ILIKE $1 ESCAPE '\\'")
    }

    func testScalarMinAndMaxBecomeLeastAndGreatestButAggregatesStay() {
        XCTAssertEqual(PostgresSQL.translate("SELECT sum(max(0, a - b)), max(a), min(a, frozen + dedicated) FROM t"),
                       "SELECT sum(GREATEST(0, a - b)), max(a), LEAST(a, frozen + dedicated) FROM t")
        XCTAssertEqual(PostgresSQL.translate("SELECT max(coalesce(a, 0)) FROM t"), "SELECT max(coalesce(a, 0)) FROM t",
                       "a comma inside a nested call is not the scalar form")
        XCTAssertEqual(PostgresSQL.translate("SELECT remax(a, b), 'min(a, b)' FROM t"), "SELECT remax(a, b), 'min(a, b)' FROM t")
    }

    func testAPreparedStatementsArgumentsAreQuotedLiteralsReadAsTheirParametersType() throws {
        XCTAssertEqual(try PostgresSession.execute("bo_3", []), "EXECUTE bo_3")
        XCTAssertEqual(try PostgresSession.execute("bo_7", [42.databaseValue, "O'Brien".databaseValue, DatabaseValue.null, (-7).databaseValue]),
                       "EXECUTE bo_7('42', 'O''Brien', NULL, '-7')")
        XCTAssertEqual(try PostgresSession.literal(#"a\b ' ''"#.databaseValue), #"'a\b '' '''''"#, "a backslash is itself, a quote doubled")
        XCTAssertEqual(try PostgresSession.literal(1.5.databaseValue), "'1.5'")
        XCTAssertEqual(try PostgresSession.literal(Double.infinity.databaseValue), "'Infinity'")
        XCTAssertEqual(try PostgresSession.literal(Data([0x00, 0xAB, 0x7F]).databaseValue), #"'\x00ab7f'"#)
        XCTAssertThrowsError(try PostgresSession.literal("a\u{0}b".databaseValue), "text with NUL is refused, not cut short")
    }

    func testScriptsSplitOutsideQuotesBodiesAndComments() {
        let script = """
            CREATE TABLE a (x TEXT DEFAULT ';'); -- a comment; with a semicolon
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no'; END $$;
            INSERT INTO a VALUES ('x;y')
            """
        XCTAssertEqual(PostgresSession.statements(script), [
            "CREATE TABLE a (x TEXT DEFAULT ';')",
            "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no'; END $$",
            "INSERT INTO a VALUES ('x;y')",
        ])
    }

    func testAddresses() throws {
        let tcp = try PostgresAddress("postgres://desk:s%40cret@db.example:6543/backorders")
        XCTAssertEqual([tcp.user, tcp.password, tcp.host, "\(tcp.port)", tcp.database], ["desk", "s@cret", "db.example", "6543", "backorders"])
        XCTAssertEqual(tcp.description, "postgres://desk@db.example:6543/backorders", "no password in messages")
        let socket = try PostgresAddress("postgresql://desk@localhost/backorders?host=/var/run/postgresql")
        XCTAssertEqual(socket.socketFolder, "/var/run/postgresql")
        XCTAssertEqual(socket.port, 5432)
        XCTAssertFalse(PostgresAddress.isPostgres("/tmp/desk.sqlite"))
        for bad in ["postgres://localhost/db", "postgres://desk@localhost/", "postgres://desk@/db", "mysql://desk@h/db"] {
            XCTAssertThrowsError(try PostgresAddress(bad), bad)
        }
    }
}
