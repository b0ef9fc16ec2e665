import BackorderCore
import Foundation

/// A CSV file checked whole before anything is written, then read again row by row: memory stays
/// bounded whatever the number of rows. The header must name the required columns; every row
/// must have as many cells as the header, every quoted cell must be closed, every byte must be
/// UTF-8, and no cell may be longer than `maxCellBytes`. Errors name the file, the row (the header
/// is row 1) and the column, and quote at most the first few dozen characters of a cell.
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
            guard let n = Int(v) else { throw fail(column, "\(Input.quote(v)) is not a whole number (\(Input.describe(range)))") }
            guard range.contains(n) else { throw fail(column, "\(n) is outside \(Input.describe(range))") }
            return n
        }

        public func day(_ column: String) throws -> Day? {
            let v = self[column]
            if v.isEmpty { return nil }
            guard let d = Day(v) else { throw fail(column, "\(Input.quote(v)) is not a date like 2026-01-31") }
            return d
        }

        public func bool(_ column: String, default value: Bool) throws -> Bool {
            switch self[column].lowercased() {
            case "": return value
            case "true", "yes", "1", "y": return true
            case "false", "no", "0", "n": return false
            default: throw fail(column, "\(Input.quote(self[column])) is not true or false")
            }
        }
    }

    /// The longest cell accepted (bytes): a description or a name is far shorter; a cell longer than
    /// this is a broken file (an unclosed quote swallowing the rest), and refusing it keeps memory bounded.
    public static let maxCellBytes = 65_536

    private enum Source: Sendable {
        case bytes(Data)
        case file(URL)
        case rows([Row])
    }

    public let file: String
    public let header: [String]
    /// Data rows (blank lines not counted).
    public let rowCount: Int
    private let source: Source

    /// Checks `text` whole (as the bytes of a file would be).
    public init(text: String, file: String, required: [String]) throws {
        try self.init(source: .bytes(Data(text.utf8)), file: file, required: required)
    }

    public init(data: Data, file: String, required: [String]) throws {
        try self.init(source: .bytes(data), file: file, required: required)
    }

    /// Checks the file whole, reading it in blocks.
    public init(url: URL, required: [String]) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
            throw DeskError.invalid("cannot read \(url.path): there is no such file")
        }
        guard !isDir.boolValue else { throw DeskError.invalid("cannot read \(url.path): it is a directory, not a CSV file") }
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw DeskError.invalid("cannot read \(url.path): permission denied")
        }
        try self.init(source: .file(url), file: url.lastPathComponent, required: required)
    }

    /// Rows already read (the demo's orders of one day).
    init(file: String, header: [String], rows: [Row]) {
        self.file = file
        self.header = header
        self.rowCount = rows.count
        self.source = .rows(rows)
    }

    private init(source: Source, file: String, required: [String]) throws {
        self.file = file
        self.source = source
        var reader = try Self.reader(source, file: file)
        guard let first = try reader.next() else { throw DeskError.invalid("\(file) is empty: it has no header row") }
        let names = try first.cells.enumerated().map { i, bytes in
            try Self.text(bytes, file: file, row: 1, column: "\(i + 1)").trimmingCharacters(in: .whitespaces).lowercased()
        }
        header = names
        reader.columns = names
        for column in required where !names.contains(column) {
            throw DeskError.invalid("\(file) row 1, column \(column): the header has no column '\(column)' (it has \(Input.quote(names.joined(separator: ", "), limit: 200)))")
        }
        // The whole file, checked before anything is written.
        var count = 0
        while let record = try reader.next() {
            if try Self.row(record, header: names, file: file) != nil { count += 1 }
        }
        rowCount = count
    }

    /// Every data row in order, read again from the source (blank lines skipped).
    public func forEachRow(_ body: (Row) throws -> Void) throws {
        var done = 0
        func tell() {
            done += 1
            if done % 200 == 0 || done == rowCount { progress?(done, rowCount) }
        }
        if case .rows(let rows) = source {
            for r in rows { try body(r); tell() }
            return
        }
        var reader = try Self.reader(source, file: file)
        _ = try reader.next()
        reader.columns = header
        while let record = try reader.next() {
            if let row = try Self.row(record, header: header, file: file) { try body(row); tell() }
        }
    }

    /// Told (rows done, rows in all) as `forEachRow` goes — an import's progress.
    public var progress: (@Sendable (Int, Int) -> Void)?

    /// The same rows with the dates in `columns` moved by `days` (the demo's dates follow the day
    /// it is loaded). For small files only, like `rows`.
    func shiftingDates(_ columns: [String], byDays days: Int) throws -> CSVTable {
        guard days != 0 else { return self }
        let moved = try rows.map { r -> Row in
            var cells = r.cells
            for c in columns {
                if let text = cells[c], let d = Day(text.trimmingCharacters(in: .whitespaces)) { cells[c] = d.adding(days: days).description }
            }
            return Row(number: r.number, cells: cells, file: r.file)
        }
        return CSVTable(file: file, header: header, rows: moved)
    }

    /// Every data row at once: for small files only (the demo's seeds, tests).
    public var rows: [Row] {
        get throws {
            var out: [Row] = []
            try forEachRow { out.append($0) }
            return out
        }
    }

    // MARK: - Reading

    private static func reader(_ source: Source, file: String) throws -> CSVReader {
        switch source {
        case .bytes(let d): return CSVReader(bytes: d, file: file)
        case .file(let url):
            guard let handle = FileHandle(forReadingAtPath: url.path) else {
                throw DeskError.invalid("cannot read \(url.path): permission denied or no such file")
            }
            return CSVReader(handle: handle, file: file)
        case .rows: return CSVReader(bytes: Data(), file: file)
        }
    }

    static func text(_ bytes: [UInt8], file: String, row: Int, column: String) throws -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        let valid = firstInvalidUTF8(bytes)
        let before = String(decoding: bytes[0..<valid], as: UTF8.self)
        throw DeskError.invalid("\(file) row \(row), column \(column): bytes that are not UTF-8 (byte \(valid + 1) of the cell, after \(Input.quote(before))); save the file as UTF-8")
    }

    /// The offset of the first byte that does not continue a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            guard i + length <= bytes.count else { return i }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return i }
            if String(validating: bytes[i..<(i + length)], as: UTF8.self) == nil { return i }
            i += length
        }
        return i
    }

    private static func row(_ record: CSVReader.Record, header: [String], file: String) throws -> Row? {
        let n = record.row
        if record.cells.count == 1 && record.cells[0].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) && !record.quoted { return nil }
        if record.cells.count < header.count {
            let missing = header[record.cells.count]
            throw DeskError.invalid("\(file) row \(n), column \(missing): the row ends after \(record.cells.count) of \(header.count) cells; is the file cut short? Nothing was imported")
        }
        if record.cells.count > header.count {
            throw DeskError.invalid("\(file) row \(n), column \(header.count + 1): \(record.cells.count) cells, but the header has \(header.count) columns")
        }
        var cells: [String: String] = [:]
        cells.reserveCapacity(header.count)
        for (i, bytes) in record.cells.enumerated() where cells[header[i]] == nil {
            cells[header[i]] = try text(bytes, file: file, row: n, column: header[i].isEmpty ? "\(i + 1)" : header[i])
        }
        return Row(number: n, cells: cells, file: file)
    }
}

/// RFC 4180 records from a stream of bytes: commas, double quotes ("" inside quotes), CRLF or LF.
/// Only the current record is held in memory.
struct CSVReader {
    struct Record {
        var row: Int
        var cells: [[UInt8]]
        var quoted: Bool
    }

    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var row = 0
    private let file: String
    /// The header's names, once read: errors name the column.
    var columns: [String] = []

    private func column(_ n: Int) -> String {
        n <= columns.count && !columns[n - 1].isEmpty ? columns[n - 1] : "\(n)"
    }

    private static func opening(_ cell: [UInt8]) -> String {
        Input.quote(String(decoding: cell.prefix(40), as: UTF8.self)).dropLast() + "…'"
    }

    init(bytes: Data, file: String) {
        buffer = [UInt8](bytes)
        atEnd = true
        self.file = file
        skipBOM()
    }

    init(handle: FileHandle, file: String) {
        self.handle = handle
        self.file = file
        refill()
        skipBOM()
    }

    private mutating func skipBOM() {
        if buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3 }
    }

    private mutating func refill() {
        guard !atEnd, let handle else { return }
        let chunk = (try? handle.read(upToCount: 1 << 16)) ?? nil
        if let chunk, !chunk.isEmpty {
            buffer.removeFirst(position)
            position = 0
            buffer.append(contentsOf: chunk)
        } else {
            atEnd = true
            try? handle.close()
        }
    }

    private mutating func peek() -> UInt8? {
        if position >= buffer.count { refill() }
        return position < buffer.count ? buffer[position] : nil
    }

    private mutating func advance() { position += 1 }

    /// The next record, or nil at the end of the file.
    mutating func next() throws -> Record? {
        guard peek() != nil else { return nil }
        row += 1
        var cells: [[UInt8]] = []
        var cell: [UInt8] = []
        var anyQuoted = false
        func tooLong(_ cell: [UInt8]) -> DeskError {
            .invalid("\(file) row \(row), column \(column(cells.count + 1)): a cell longer than \(Input.grouped(CSVTable.maxCellBytes)) bytes (it starts \(CSVReader.opening(cell))); is a quote left open? Nothing was imported")
        }
        while true {
            guard let b = peek() else {
                cells.append(cell)
                return Record(row: row, cells: cells, quoted: anyQuoted)
            }
            if b == UInt8(ascii: "\"") && cell.isEmpty {
                // A quoted cell: up to the closing quote; "" is a quote.
                anyQuoted = true
                let startRow = row
                advance()
                while true {
                    guard let q = peek() else {
                        let text = String(decoding: cell.prefix(160), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                        let start = cell.count > 40 ? CSVReader.opening(Array(text.utf8)) : Input.quote(text)
                        throw DeskError.invalid("\(file) row \(startRow), column \(column(cells.count + 1)): a quoted cell is never closed (it starts \(start)); the file may be cut short. Nothing was imported")
                    }
                    advance()
                    if q == UInt8(ascii: "\"") {
                        if peek() == UInt8(ascii: "\"") { advance(); cell.append(q) } else { break }
                    } else {
                        cell.append(q)
                        if cell.count > CSVTable.maxCellBytes { throw tooLong(cell) }
                    }
                }
                // After the closing quote: a comma, the end of the line or of the file.
                if let after = peek(), after != UInt8(ascii: ","), after != 0x0A, after != 0x0D {
                    throw DeskError.invalid("\(file) row \(row), column \(column(cells.count + 1)): text after the closing quote of a quoted cell; a quote inside a quoted cell is written \"\"")
                }
                continue
            }
            advance()
            switch b {
            case UInt8(ascii: ","):
                cells.append(cell)
                cell = []
            case 0x0A:
                cells.append(cell)
                return Record(row: row, cells: cells, quoted: anyQuoted)
            case 0x0D:
                if peek() == 0x0A { advance() }
                cells.append(cell)
                return Record(row: row, cells: cells, quoted: anyQuoted)
            default:
                cell.append(b)
                if cell.count > CSVTable.maxCellBytes { throw tooLong(cell) }
            }
        }
    }
}
