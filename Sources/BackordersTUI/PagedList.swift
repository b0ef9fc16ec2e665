import BackorderApp
import TerminalKit

/// Where a paged list's rows come from: a count, keyset pages, and a row's position.
struct PageSource<Row> {
    var count: () throws -> Int
    var page: (PageAnchor, Int) throws -> [Row]
    var position: (Int64) throws -> Int?
}

/// A list that holds only its visible page (ratatui-style state: selection and scroll
/// offset, absolute in the whole list) and keeps its selection by key across reloads.
struct PagedList<Row> {
    private(set) var rows: [Row] = []
    private(set) var total = 0
    private(set) var table = TableState()
    private(set) var visibleRows = 1
    /// The key of the selected row: what a reload keeps selected.
    private(set) var selectedID: Int64?
    let key: (Row) -> Int64

    init(key: @escaping (Row) -> Int64) { self.key = key }

    var selected: Row? { rows[safe: table.selected - table.offset] }
    var isEmpty: Bool { total == 0 }

    /// Reloads the count and the visible page, keeping the selected row (by key) where it was
    /// on the screen — or, when the page was at the top, keeping the top in view so rows
    /// arriving there show; if the row has left the list, the selection keeps its index.
    mutating func reload(_ source: PageSource<Row>) throws {
        total = try source.count()
        let screenRow = max(0, table.selected - table.offset)
        let atTop = table.offset == 0
        var known: (id: Int64, index: Int)?
        if let id = selectedID, let p = try source.position(id) { known = (id, p) }
        table.selected = known?.index ?? table.selected
        table.offset = atTop && table.selected < visibleRows ? 0 : table.selected - screenRow
        table.clamp(total: total, visibleRows: visibleRows)
        try fetchWindow(source, known: known)
    }

    /// Selects the row with this key (if it is in the list) and shows its page.
    mutating func select(id: Int64, _ source: PageSource<Row>) throws {
        total = try source.count()
        guard let p = try source.position(id) else { return try reload(source) }
        table.selected = p
        table.offset = p - visibleRows / 3
        table.clamp(total: total, visibleRows: visibleRows)
        try fetchWindow(source, known: (id, p))
    }

    /// Changes the page size (the terminal was resized), keeping the selection.
    mutating func setVisibleRows(_ n: Int, _ source: PageSource<Row>) throws {
        let n = max(1, n)
        guard n != visibleRows else { return }
        visibleRows = n
        table.clamp(total: total, visibleRows: n)
        let known = selectedID.map { (id: $0, index: table.selected) }
        try fetchWindow(source, known: known)
    }

    /// A move (arrows, PgUp/PgDn, Home/End, the wheel), fetching only what comes into view.
    mutating func move(_ move: TableMove, _ source: PageSource<Row>) throws {
        var next = table
        next.apply(move, total: total, visibleRows: visibleRows)
        try self.move(to: next, source)
    }

    /// Selects a row by its index in the whole list (a mouse click on a visible row).
    mutating func select(index: Int, _ source: PageSource<Row>) throws {
        var next = table
        next.select(index, total: total, visibleRows: visibleRows)
        try move(to: next, source)
    }

    /// Selects the row under screen row `y` of a table drawn in `area`; false when none.
    mutating func click(y: Int, area: Rect, _ source: PageSource<Row>) throws -> Bool {
        guard let index = Table.rowIndex(atY: y, area: area, state: table, total: total) else { return false }
        try select(index: index, source)
        return true
    }

    private mutating func move(to next: TableState, _ source: PageSource<Row>) throws {
        if next.offset != table.offset || rows.isEmpty {
            try slide(from: table.offset, to: next.offset, source)
        }
        table = next
        syncSelection()
    }

    /// Moves the window from `old` to `new`, fetching only the rows that come into view.
    private mutating func slide(from old: Int, to new: Int, _ source: PageSource<Row>) throws {
        let page = visibleRows
        if new == 0 { rows = try source.page(.first, page); return }
        if new + page >= total && (rows.isEmpty || abs(new - old) > page) {
            rows = try source.page(.last, total - new)
            return
        }
        guard let first = rows.first, let last = rows.last else {
            rows = try source.page(.offset(new), page)
            return
        }
        if new > old {
            let shift = new - old
            if shift < rows.count {
                let kept = rows.dropFirst(shift)
                rows = Array(kept) + (try source.page(.after(key(last)), page - kept.count))
            } else {
                let more = try source.page(.after(key(last)), shift - rows.count + page)
                rows = Array(more.dropFirst(shift - rows.count))
            }
        } else {
            let shift = old - new
            let before = try source.page(.before(key(first)), shift)
            if shift < page {
                rows = before + rows.prefix(page - shift)
            } else {
                rows = Array(before.prefix(page))
            }
        }
    }

    /// Fetches the visible page; `known` is a row whose index is known (the selection).
    private mutating func fetchWindow(_ source: PageSource<Row>, known: (id: Int64, index: Int)?) throws {
        guard total > 0 else {
            rows = []
            selectedID = nil
            table = TableState()
            return
        }
        if let known, known.index >= table.offset, known.index < table.offset + visibleRows {
            let above = known.index - table.offset
            let before = above > 0 ? try source.page(.before(known.id), above) : []
            let from = try source.page(.from(known.id), visibleRows - before.count)
            rows = before + from
            table.offset = known.index - before.count
        } else if table.offset == 0 {
            rows = try source.page(.first, visibleRows)
        } else if table.offset + visibleRows >= total {
            rows = try source.page(.last, total - table.offset)
        } else {
            rows = try source.page(.offset(table.offset), visibleRows)
        }
        if table.selected >= table.offset + rows.count { table.selected = max(table.offset, table.offset + rows.count - 1) }
        syncSelection()
    }

    private mutating func syncSelection() {
        selectedID = selected.map(key)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
