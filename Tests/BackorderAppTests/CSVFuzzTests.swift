@testable import BackorderApp
import TestSupport
import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// Malformed CSV is refused naming its row and column, with nothing written: truncated files,
/// unclosed quotes, short rows, bytes that are not UTF-8, huge cells, random damage.
final class CSVFuzzTests: XCTestCase {
    let header = "order_ref,customer,lic,qty,unit_cents,location,priority,policy,schedule_date\n"

    func fixture() throws -> DeskFixture {
        let f = try DeskFixture()
        try f.customers("ACME", "BETA")
        try f.lic("WIDGET", stock: 10)
        try f.lic("GADGET", stock: 3)
        return f
    }

    /// Every table's rows, to prove a refusal wrote nothing.
    func fingerprint(_ f: DeskFixture) throws -> String {
        try f.database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'process_lease' ORDER BY name")
                .map { t in "\(t): " + (try Row.fetchAll(db, sql: "SELECT * FROM \(t)").map(\.description).joined(separator: "|")) }
                .joined(separator: "\n")
        }
    }

    func importOrders(_ f: DeskFixture, _ data: Data, name: String = "o.csv") throws -> ImportResult {
        try f.admin.importCSV(.orders, table: CSVTable(data: data, file: name, required: ImportKind.orders.required), split: .yes)
    }

    let rowColumn = try! NSRegularExpression(pattern: "^o\\.csv row [0-9]+, column [a-z_0-9]+: ")

    func assertRefusedNamingRowAndColumn(_ f: DeskFixture, _ data: Data, row: Int? = nil, column: String? = nil,
                                         file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try fingerprint(f)
        XCTAssertThrowsError(try importOrders(f, data), file: file, line: line) { e in
            let text = "\(e)"
            XCTAssertNotNil(rowColumn.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), "no row and column: \(text)", file: file, line: line)
            if let row { XCTAssertTrue(text.hasPrefix("o.csv row \(row), "), text, file: file, line: line) }
            if let column { XCTAssertTrue(text.contains(", column \(column): "), text, file: file, line: line) }
            XCTAssertLessThan(text.count, 400, "a message never repeats a huge cell", file: file, line: line)
        }
        XCTAssertEqual(try fingerprint(f), before, "a refused file wrote something", file: file, line: line)
    }

    func testTheIssuesInterruptedFilesAreRefused() throws {
        let f = try fixture()
        let good = header + "R1,ACME,WIDGET,2,,,,,\nR2,BETA,GADGET,1,,,,,\n"
        try assertRefusedNamingRowAndColumn(f, Data((good + "R3,ACME,WIDGET,\"2").utf8), row: 4, column: "qty")
        try assertRefusedNamingRowAndColumn(f, Data((good + "R3,ACME,WIDGET,2").utf8), row: 4, column: "unit_cents")
        try assertRefusedNamingRowAndColumn(f, Data((good + "R3,ACME,WIDGET,2,,,,\n").utf8), row: 4, column: "schedule_date")
        try assertRefusedNamingRowAndColumn(f, Data((good + "R3,ACME,WIDGET,2,,,,,,\n").utf8), row: 4)
        try assertRefusedNamingRowAndColumn(f, Data((header + "R1,\"AC\"ME,WIDGET,2,,,,,\n").utf8), row: 2, column: "customer")
        XCTAssertEqual(try importOrders(f, Data(good.utf8)).created.count, 2)
        try f.assertInvariants()
    }

    func testBytesThatAreNotUTF8AreRefusedNamingTheCell() throws {
        let f = try fixture()
        var latin1 = Data((header + "R1,ACME,WIDGET,2,,,,,\nR2,").utf8)
        latin1.append(contentsOf: [0x42, 0xE9, 0x54, 0x41]) // "BéTA" in Latin-1
        latin1.append(contentsOf: Data(",GADGET,1,,,,,\n".utf8))
        try assertRefusedNamingRowAndColumn(f, latin1, row: 3, column: "customer")
        // UTF-16 with its byte order mark: the header itself is not UTF-8.
        var utf16 = Data([0xFF, 0xFE])
        utf16.append(header.data(using: .utf16LittleEndian)!)
        XCTAssertThrowsError(try importOrders(f, utf16)) { e in XCTAssertTrue("\(e)".hasPrefix("o.csv row 1, column 1: bytes that are not UTF-8"), "\(e)") }
        // A truncated multi-byte character at the end of a cell.
        var cut = Data((header + "R1,ACME,WIDGET,2,,,,,\nR2,BETA,GADGET,1,,,,").utf8)
        cut.append(contentsOf: [0xE2, 0x82])
        cut.append(contentsOf: Data(",\n".utf8))
        try assertRefusedNamingRowAndColumn(f, cut, row: 3, column: "policy")
    }

    func testHugeCellsAreRefusedWithoutRepeatingThem() throws {
        let f = try fixture()
        let big = String(repeating: "A", count: 10_000_000)
        try assertRefusedNamingRowAndColumn(f, Data((header + "R1,\(big),WIDGET,2,,,,,\n").utf8), row: 2, column: "customer")
        try assertRefusedNamingRowAndColumn(f, Data((header + "R1,\"\(big)\",WIDGET,2,,,,,\n").utf8), row: 2, column: "customer")
        // An unclosed quote swallowing the rest of a long file.
        let rest = (0..<20_000).map { "R\($0),ACME,WIDGET,1,,,,,\n" }.joined()
        try assertRefusedNamingRowAndColumn(f, Data((header + "R1,ACME,WIDGET,2,\"9,,,,\n" + rest).utf8), row: 2, column: "unit_cents")
        // A long but acceptable cell is quoted briefly in a value error.
        let name = String(repeating: "Z", count: 5_000)
        XCTAssertThrowsError(try importOrders(f, Data((header + "R1,\(name),WIDGET,2,,,,,\n").utf8))) { e in
            XCTAssertTrue("\(e)".contains("(5,000 characters)"), "\(e)")
            XCTAssertLessThan("\(e)".count, 300)
        }
    }

    /// Every prefix of a valid file: refused naming row and column, or — where the cut falls at
    /// the end of a row or inside its last cell, which no reader can tell from a shorter file —
    /// imported whole, with the invariants holding.
    func testEveryTruncationIsRefusedOrACompleteShorterFile() throws {
        let body = header + "R1,ACME,WIDGET,2,,,,,\nR1,ACME,GADGET,1,,,,,\nR2,BETA,WIDGET,\"3\",150,MAIN,1,partial,2026-12-01\n"
        let bytes = Array(body.utf8)
        var refused = 0, imported = 0
        let f = try fixture()
        for n in stride(from: header.utf8.count + 1, to: bytes.count, by: 1) {
            let data = Data(bytes[0..<n])
            let before = try fingerprint(f)
            do {
                let r = try importOrders(f, data)
                imported += 1
                let text = String(decoding: data, as: UTF8.self)
                let lastLine = text.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
                let cells = lastLine.split(separator: ",", omittingEmptySubsequences: false).count
                XCTAssertTrue(lastLine.isEmpty || cells == 9, "prefix \(n) imported a short row: \(lastLine)")
                XCTAssertGreaterThanOrEqual(r.rows, 1)
            } catch let e as DeskError {
                refused += 1
                let text = e.description
                XCTAssertNotNil(rowColumn.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), "prefix \(n): \(text)")
                XCTAssertEqual(try fingerprint(f), before, "prefix \(n) wrote something")
            }
        }
        try f.assertInvariants()
        XCTAssertGreaterThan(refused, 50)
        XCTAssertGreaterThan(imported, 3)
    }

    /// Random damage — bytes flipped, inserted, deleted — never crashes, never half-imports.
    func testRandomDamageIsRefusedOrImportedWhole() throws {
        var rng = SeededRandom(seed: 14)
        func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
        let base = Array((header + (1...12).map { "R\($0),\($0 % 2 == 0 ? "ACME" : "BETA"),\($0 % 3 == 0 ? "GADGET" : "WIDGET"),\($0 % 4 + 1),,,,,\n" }.joined()).utf8)
        let f = try fixture()
        let specials: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0xFF, 0xC3, 0x00, 0x41]
        for round in 0..<150 {
            var bytes = base
            for _ in 0..<int(1...4) {
                let at = int(header.utf8.count...(bytes.count - 1))
                switch int(0...2) {
                case 0: bytes[at] = specials[int(0...(specials.count - 1))]
                case 1: bytes.insert(specials[int(0...(specials.count - 1))], at: at)
                default: bytes.remove(at: at)
                }
            }
            let before = try fingerprint(f)
            let orders = try f.admin.orders().count
            do {
                let r = try importOrders(f, Data(bytes))
                XCTAssertEqual(try f.admin.orders().count, orders + r.created.count, "round \(round)")
            } catch let e as DeskError {
                XCTAssertTrue(e.description.hasPrefix("o.csv row "), "round \(round): \(e)")
                XCTAssertEqual(try fingerprint(f), before, "round \(round) wrote something")
            }
        }
        try f.assertInvariants()
    }
}
