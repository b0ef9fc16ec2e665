import BackorderStore
import Foundation

/// A report or export (the store's `Report`: rows of named columns) printed as CSV (header =
/// the column names) or JSON (an array of objects keyed by the same names).
extension Report: JSONConvertible {
    public var json: JSON {
        .array(rows.map { r in .object(zip(columns, r).map { ($0, $1.json) }) })
    }

    /// The CSV text: the header, then a line per row, each line ending in a newline.
    public var csv: String { (0...rows.count).map(csvLine).joined() }

    /// Line `i` of the CSV text with its newline: 0 is the header, `i` the row `i − 1` — what an
    /// export writes piece by piece, byte for byte the same as `csv`.
    public func csvLine(_ i: Int) -> String {
        (i == 0 ? columns.map(Report.csvField) : rows[i - 1].map { Report.csvField($0.text) }).joined(separator: ",") + "\n"
    }

    /// RFC 4180 quoting: only fields that need it.
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.hasPrefix(" ") || s.hasSuffix(" ") else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Report.Value {
    var json: JSON {
        switch self {
        case .int(let n): return .int(n)
        case .text(let s): return .string(s)
        case .null: return .null
        }
    }
}
