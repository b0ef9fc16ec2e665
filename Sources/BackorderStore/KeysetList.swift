import BackorderCore
import GRDB

/// A list over one query, paged by a sort key that ends in a unique id. `sort` is the list
/// order (all ascending, or all descending with `descending`); the key of a row is looked up
/// by id in a subquery, so a page can start at a row that has since left the filter.
struct KeysetList {
    var columns: String
    /// `FROM …` with the joins the columns, conditions and sort need; `fromArguments` fill its `?`.
    var from: String
    var fromArguments: [DatabaseValueConvertible?] = []
    /// `FROM …` for looking up a row's sort key by id (no `?` in it).
    var keyFrom: String
    /// `FROM …` for counting and positions: only the joins the conditions and the sort need
    /// (joins for display columns would cost a lookup per row counted). Nil: `from`.
    var countFrom: String?
    var idColumn: String
    var conditions: [String] = []
    var arguments: [DatabaseValueConvertible?] = []
    var sort: [String]
    var descending = false

    private var tuple: String { "(" + sort.joined(separator: ", ") + ")" }
    private var keyTuple: String { "(SELECT " + sort.joined(separator: ", ") + " " + keyFrom + " WHERE " + idColumn + " = ?)" }
    private func order(reversed: Bool) -> String {
        let desc = descending != reversed
        return "ORDER BY " + sort.map { $0 + (desc ? " DESC" : "") }.joined(separator: ", ")
    }

    private func whereSQL(_ extra: String?) -> String {
        let all = conditions + (extra.map { [$0] } ?? [])
        return all.isEmpty ? "" : "WHERE " + all.map { "(\($0))" }.joined(separator: " AND ")
    }

    private var lean: (from: String, arguments: [DatabaseValueConvertible?]) {
        countFrom.map { ($0, []) } ?? (from, fromArguments)
    }

    func count(_ db: SQLConnection) throws -> Int {
        try db.fetchOne(Int.self, sql: "SELECT count(*) \(lean.from) \(whereSQL(nil))",
                         arguments: SQLArguments(lean.arguments + arguments)) ?? 0
    }

    /// Rows of one page, in list order.
    func page(_ db: SQLConnection, anchor: PageAnchor, limit: Int) throws -> [SQLRow] {
        guard limit > 0 else { return [] }
        let after = descending ? "<" : ">"
        let before = descending ? ">" : "<"
        var extra: String?
        var keyArgs: [DatabaseValueConvertible?] = []
        var reversed = false
        var offset = 0
        switch anchor {
        case .first: break
        case .last: reversed = true
        case .after(let id): extra = "\(tuple) \(after) \(keyTuple)"; keyArgs = [id]
        case .from(let id): extra = "\(tuple) \(after)= \(keyTuple)"; keyArgs = [id]
        case .before(let id): extra = "\(tuple) \(before) \(keyTuple)"; keyArgs = [id]; reversed = true
        case .offset(let n): offset = max(0, n)
        }
        let rows: [SQLRow]
        if countFrom != nil {
            // Choose the page's ids over the lean joins first, then join for the columns: the
            // sort (when no index gives it) never drags the display joins along for every row.
            let ids = "SELECT \(idColumn) \(lean.from) \(whereSQL(extra)) \(order(reversed: reversed)) LIMIT ? OFFSET ?"
            let sql = "SELECT \(columns) \(from) WHERE \(idColumn) IN (\(ids)) \(order(reversed: reversed))"
            rows = try db.fetchAll(sql: sql, arguments: SQLArguments(fromArguments + lean.arguments + arguments + keyArgs + [limit, offset]))
        } else {
            let sql = "SELECT \(columns) \(from) \(whereSQL(extra)) \(order(reversed: reversed)) LIMIT ? OFFSET ?"
            rows = try db.fetchAll(sql: sql, arguments: SQLArguments(fromArguments + arguments + keyArgs + [limit, offset]))
        }
        return reversed ? rows.reversed() : rows
    }

    /// The index of the row with this id in the list, or nil when it is not in it.
    func position(_ db: SQLConnection, id: Int64) throws -> Int? {
        let member = try db.fetchOne(Int.self, sql: "SELECT count(*) \(lean.from) \(whereSQL("\(idColumn) = ?"))",
                                      arguments: SQLArguments(lean.arguments + arguments + [id])) ?? 0
        guard member > 0 else { return nil }
        return try db.fetchOne(Int.self, sql: "SELECT count(*) \(lean.from) \(whereSQL("\(tuple) \(descending ? ">" : "<") \(keyTuple)"))",
                                arguments: SQLArguments(lean.arguments + arguments + [id]))
    }

    /// The count and a sum over the rows before the row with this id (a running total's start).
    func before(_ db: SQLConnection, id: Int64, sum expression: String) throws -> (count: Int, sum: Int) {
        let r = try db.fetchOne(sql: """
            SELECT count(*), coalesce(sum(\(expression)), 0) \(lean.from) \(whereSQL("\(tuple) \(descending ? ">" : "<") \(keyTuple)"))
            """, arguments: SQLArguments(lean.arguments + arguments + [id]))
        return (r?[0] ?? 0, r?[1] ?? 0)
    }
}

/// Text search terms for a list filter: words, matched as a LIKE pattern.
enum SearchTerm {
    /// `text` as a LIKE pattern that matches it anywhere (`contains`) or at the start.
    static func like(_ text: String, contains: Bool) -> String {
        var s = ""
        for c in text {
            if c == "\\" || c == "%" || c == "_" { s.append("\\") }
            s.append(c)
        }
        return (contains ? "%" : "") + s + "%"
    }

    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }
}

extension BackorderSort {
    /// The list's sort key, ending in the line's unique key.
    var key: [String] {
        let tail = ["ol.entered_seq", "ol.order_id", "ol.line_no"]
        switch self {
        case .age: return tail
        case .priority: return ["ol.neg_priority"] + tail
        case .lic: return ["li.code"] + tail
        case .customer: return ["c.code"] + tail
        }
    }
}
