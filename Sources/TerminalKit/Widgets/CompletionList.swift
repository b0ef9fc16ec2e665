/// One candidate in a completion dropdown: what gets inserted, plus a detail
/// column ("W-100  Widget, blue   20 avail").
public struct CompletionItem: Hashable, Sendable {
    public var text: String
    public var detail: String

    public init(_ text: String, detail: String = "") {
        self.text = text
        self.detail = detail
    }
}

/// Which candidate is highlighted.
public struct CompletionState: Hashable, Sendable {
    public var selected: Int

    public init(selected: Int = 0) { self.selected = selected }

    public mutating func clamp(count: Int) {
        selected = count == 0 ? 0 : min(max(0, selected), count - 1)
    }

    /// ↑/↓ (and Ctrl-P/Ctrl-N) move with wrap-around, PgUp/PgDn by `page`.
    /// Returns false for other keys so the field can handle them.
    public mutating func handle(_ key: Key, count: Int, page: Int = 8) -> Bool {
        guard count > 0 else { return false }
        switch key {
        case .down, .ctrl("n"): selected = (selected + 1) % count
        case .up, .ctrl("p"): selected = (selected - 1 + count) % count
        case .pageDown: selected = min(count - 1, selected + page)
        case .pageUp: selected = max(0, selected - page)
        default: return false
        }
        return true
    }
}

/// A small bordered dropdown of candidates under (or, without room, above) a field.
public enum CompletionList {
    /// Draws up to `maxVisible` items next to `anchor`, kept inside `bounds`,
    /// scrolled so the selection shows. Returns the rect drawn (empty when
    /// there are no items).
    @discardableResult
    public static func render(items: [CompletionItem], state: CompletionState, anchor: Rect,
                              maxVisible: Int = 8, bounds: Rect,
                              buffer: inout ScreenBuffer, theme: Theme) -> Rect {
        guard !items.isEmpty, bounds.width >= 4 else { return Rect(x: anchor.x, y: anchor.maxY, width: 0, height: 0) }
        let textWidth = items.map { TextWidth.width(of: $0.text) }.max() ?? 0
        let detailWidth = items.map { TextWidth.width(of: $0.detail) }.max() ?? 0
        let contentWidth = textWidth + (detailWidth > 0 ? 2 + detailWidth : 0)
        let width = min(bounds.width, max(anchor.width, contentWidth + 2))
        let below = bounds.maxY - anchor.maxY
        let above = anchor.y - bounds.y
        let wanted = min(items.count, maxVisible) + 2
        let placeBelow = below >= wanted || below >= above
        let height = min(wanted, placeBelow ? below : above)
        guard height >= 3 else { return Rect(x: anchor.x, y: anchor.maxY, width: 0, height: 0) }
        let x = min(max(bounds.x, anchor.x), bounds.maxX - width)
        let rect = Rect(x: x, y: placeBelow ? anchor.maxY : anchor.y - height, width: width, height: height)

        buffer.fill(rect, style: theme.style(.normal))
        let inner = Box.draw(rect, buffer: &buffer, theme: theme)
        let visible = inner.height
        let selected = min(max(0, state.selected), items.count - 1)
        let offset = max(0, min(selected - visible + 1, items.count - visible))
        for (row, item) in items.dropFirst(max(0, offset)).prefix(visible).enumerated() {
            let index = max(0, offset) + row
            let style = theme.style(index == selected ? .selection : .normal)
            let y = inner.y + row
            buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style)
            let textRoom = detailWidth > 0 ? min(textWidth, inner.width) : inner.width
            buffer.put(item.text, x: inner.x, y: y, style: style, maxWidth: textRoom)
            if detailWidth > 0, inner.width > textRoom + 2 {
                let detailStyle = index == selected ? style : theme.style(.dim)
                buffer.put(TextWidth.truncate(item.detail, toWidth: inner.width - textRoom - 2),
                           x: inner.x + textRoom + 2, y: y, style: detailStyle)
            }
        }
        if items.count > visible {
            Box.label(" \(selected + 1)/\(items.count) ", on: rect, buffer: &buffer, theme: theme)
        }
        return rect
    }
}
