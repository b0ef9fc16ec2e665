import BackorderCore
import Foundation
import SwiftCSV

/// A CSV file read whole and checked before anything is written: the header must name the
/// required columns, and every row must have as many cells as the header. Errors name the file,
/// the row (the header is row 1) and the column.
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        public let number: Int
        public let cells: [String: String]
        let file: String

        /// A cell, trimmed; "" when the column is absent or empty.
        public subscript(_ column: String) -> String {
            (cells[column] ?? "").trimmingCharacters(in: .whitespaces)
        }

        public func fail(_ column: String, _ message: String) -> DeskError {
            .invalid("\(file) row \(number), column \(column): \(message)")
        }

        public func required(_ column: String) throws -> String {
            let v = self[column]
            guard !v.isEmpty else { throw fail(column, "is empty") }
            return v
        }

        public func int(_ column: String, default value: Int? = nil, range: ClosedRange<Int>) throws -> Int {
            let v = self[column]
            if v.isEmpty, let value { return value }
            guard let n = Int(v) else { throw fail(column, "'\(v)' is not a whole number") }
            guard range.contains(n) else { throw fail(column, "\(n) is outside \(range.lowerBound)…\(range.upperBound)") }
            return n
        }

        public func day(_ column: String) throws -> Day? {
            let v = self[column]
            if v.isEmpty { return nil }
            guard let d = Day(v) else { throw fail(column, "'\(v)' is not a date like 2026-01-31") }
            return d
        }

        public func bool(_ column: String, default value: Bool) throws -> Bool {
            switch self[column].lowercased() {
            case "": return value
            case "true", "yes", "1", "y": return true
            case "false", "no", "0", "n": return false
            default: throw fail(column, "'\(self[column])' is not true or false")
            }
        }
    }

    public let file: String
    public let header: [String]
    public let rows: [Row]

    public init(text: String, file: String, required: [String]) throws {
        self.file = file
        var body = text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        let csv: CSV<Enumerated>
        do {
            csv = try CSV<Enumerated>(string: body, delimiter: .comma, loadColumns: false)
        } catch {
            throw DeskError.invalid("\(file): not readable as CSV (\(error))")
        }
        header = csv.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for column in required where !header.contains(column) {
            throw DeskError.invalid("\(file) row 1, column \(column): the header has no column '\(column)' (it has \(header.joined(separator: ", ")))")
        }
        var rows: [Row] = []
        for (i, cells) in csv.rows.enumerated() {
            let number = i + 2
            if cells.count == 1 && cells[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard cells.count == header.count else {
                throw DeskError.invalid("\(file) row \(number): \(cells.count) cells, but the header has \(header.count) columns")
            }
            rows.append(Row(number: number, cells: Dictionary(zip(header, cells), uniquingKeysWith: { a, _ in a }), file: file))
        }
        self.rows = rows
    }

    /// The same rows with the dates in `columns` moved by `days` (the demo's dates follow the day
    /// it is loaded).
    func shiftingDates(_ columns: [String], byDays days: Int) -> CSVTable {
        guard days != 0 else { return self }
        let moved = rows.map { r -> Row in
            var cells = r.cells
            for c in columns {
                if let text = cells[c], let d = Day(text.trimmingCharacters(in: .whitespaces)) { cells[c] = d.adding(days: days).description }
            }
            return Row(number: r.number, cells: cells, file: r.file)
        }
        return CSVTable(file: file, header: header, rows: moved)
    }

    public init(url: URL, required: [String]) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw DeskError.invalid("cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(text: text, file: url.lastPathComponent, required: required)
    }
}
