import Foundation

/// A table column: title, how wide, and how its cells align.
public struct TableColumn: Hashable, Sendable {
    public var title: String
    public var width: LayoutLength
    public var minWidth: Int
    public var maxWidth: Int?
    public var alignment: TextWidth.Alignment

    public init(_ title: String, width: LayoutLength = .fill, minWidth: Int = 0, maxWidth: Int? = nil,
                alignment: TextWidth.Alignment = .left) {
        self.title = title
        self.width = width
        self.minWidth = minWidth
        self.maxWidth = maxWidth
        self.alignment = alignment
    }
}

/// Selection and scroll position of a list; lives in the pane's state while
/// the table itself is redrawn every frame (ratatui-style). `selected` and
/// `offset` are absolute row indices in the whole list, which the data layer
/// pages through.
public struct TableState: Hashable, Sendable {
    public var selected: Int
    public var offset: Int

    public init(selected: Int = 0, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// Keeps the selection inside 0..<total and the page inside the list,
    /// scrolling as little as possible to keep the selection visible.
    public mutating func clamp(total: Int, visibleRows: Int) {
        guard total > 0 else {
            selected = 0
            offset = 0
            return
        }
        let page = max(1, visibleRows)
        selected = min(max(0, selected), total - 1)
        if selected < offset { offset = selected }
        if selected >= offset + page { offset = selected - page + 1 }
        offset = min(max(0, offset), max(0, total - page))
    }

    public mutating func select(_ index: Int, total: Int, visibleRows: Int) {
        selected = index
        clamp(total: total, visibleRows: visibleRows)
    }

    public mutating func moveSelection(by delta: Int, total: Int, visibleRows: Int) {
        selected += delta
        clamp(total: total, visibleRows: visibleRows)
    }

    /// Moves a page down, scrolling the page along so the selection keeps its
    /// place on screen.
    public mutating func pageDown(total: Int, visibleRows: Int) {
        let page = max(1, visibleRows)
        offset = min(offset + page, max(0, total - page))
        selected += page
        clamp(total: total, visibleRows: visibleRows)
    }

    public mutating func pageUp(total: Int, visibleRows: Int) {
        let page = max(1, visibleRows)
        offset = max(0, offset - page)
        selected -= page
        clamp(total: total, visibleRows: visibleRows)
    }

    public mutating func home(total: Int, visibleRows: Int) {
        selected = 0
        offset = 0
        clamp(total: total, visibleRows: visibleRows)
    }

    public mutating func end(total: Int, visibleRows: Int) {
        selected = total - 1
        offset = total - visibleRows
        clamp(total: total, visibleRows: visibleRows)
    }
}

/// A table with a column header, a highlighted selection and a position
/// indicator, drawn from one page of rows.
public enum Table {
    public static let columnSpacing = 1

    /// Rows of data that fit in `area` (one row goes to the column header).
    public static func visibleRows(in area: Rect, showHeader: Bool = true) -> Int {
        max(0, area.height - (showHeader ? 1 : 0))
    }

    public static func columnWidths(_ columns: [TableColumn], totalWidth: Int) -> [Int] {
        let gaps = columnSpacing * max(0, columns.count - 1)
        return LayoutLength.resolve(columns.map(\.width), total: max(0, totalWidth - gaps),
                                    minimums: columns.map(\.minWidth), maximums: columns.map(\.maxWidth))
    }

    /// "123/10000": the selected row's number and the total.
    public static func positionText(state: TableState, total: Int) -> String {
        total == 0 ? "0/0" : "\(min(state.selected, total - 1) + 1)/\(total)"
    }

    /// The absolute row index under screen row `y`, if any (for mouse clicks).
    public static func rowIndex(atY y: Int, area: Rect, state: TableState, total: Int, showHeader: Bool = true) -> Int? {
        let first = area.y + (showHeader ? 1 : 0)
        guard y >= first, y < area.maxY else { return nil }
        let index = state.offset + (y - first)
        return index < total ? index : nil
    }

    /// Draws the table. The position ("12/340") goes at the right end of the
    /// header row when no column title is there; inside a box, pass
    /// `showPosition: false` and put `positionText` on the border with
    /// `Box.label` instead. `rows` is the visible page only: `rows[i]` is row
    /// `state.offset + i` of `total`; `rowStyles[i]` optionally gives its role
    /// (e.g. `.backordered`). The selected row uses `.selection` when
    /// `focused`, else `.selectionUnfocused`.
    public static func render(columns: [TableColumn], rows: [[String]], rowStyles: [ThemeRole?] = [],
                              state: TableState, total: Int, focused: Bool,
                              area: Rect, buffer: inout ScreenBuffer, theme: Theme,
                              showHeader: Bool = true, showPosition: Bool = true,
                              emptyMessage: String = "Nothing to show") {
        guard !area.isEmpty else { return }
        buffer.fill(area, style: theme.style(.normal))
        let widths = columnWidths(columns, totalWidth: area.width)
        var xs: [Int] = []
        var cx = area.x
        for w in widths {
            xs.append(cx)
            cx += w + columnSpacing
        }

        var y = area.y
        if showHeader {
            let headerStyle = theme.style(.columnHeader)
            buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: headerStyle)
            var titlesEnd = area.x
            for (i, column) in columns.enumerated() where widths[i] > 0 {
                let title = TextWidth.pad(column.title, toWidth: widths[i], alignment: column.alignment)
                buffer.put(title, x: xs[i], y: y, style: headerStyle, maxWidth: widths[i])
                let trimmed = title.replacingOccurrences(of: " +$", with: "", options: .regularExpression)
                if !trimmed.isEmpty { titlesEnd = xs[i] + TextWidth.width(of: trimmed) }
            }
            // The position goes where no title is: it never hides a column name.
            let position = showPosition && total > 0 ? positionText(state: state, total: total) : ""
            let positionWidth = TextWidth.width(of: position)
            if positionWidth > 0, area.maxX - positionWidth > titlesEnd {
                buffer.put(position, x: area.maxX - positionWidth, y: y, style: headerStyle)
            }
            y += 1
        }

        let page = area.maxY - y
        guard total > 0 else {
            if page > 0 {
                let msg = TextWidth.truncate(emptyMessage, toWidth: area.width)
                let mx = area.x + (area.width - TextWidth.width(of: msg)) / 2
                buffer.put(msg, x: mx, y: y + (page - 1) / 2, style: theme.style(.dim))
            }
            return
        }

        for (i, row) in rows.prefix(page).enumerated() {
            let index = state.offset + i
            guard index < total else { break }
            let rowY = y + i
            let style: Style
            if index == state.selected {
                style = theme.style(focused ? .selection : .selectionUnfocused)
            } else if let role = rowStyles[safe: i] ?? nil {
                style = theme.style(role)
            } else {
                style = theme.style(.normal)
            }
            buffer.fill(Rect(x: area.x, y: rowY, width: area.width, height: 1), style: style)
            for (c, column) in columns.enumerated() where widths[c] > 0 && c < row.count {
                let text = TextWidth.pad(TextWidth.sanitize(row[c]), toWidth: widths[c], alignment: column.alignment)
                buffer.put(text, x: xs[c], y: rowY, style: style, maxWidth: widths[c])
            }
        }
    }
}
