/// One tab: its title and the key that selects it.
public struct Tab: Hashable, Sendable {
    public var title: String
    public var key: Key?
    /// A short count or mark after the title ("12").
    public var badge: String?

    public init(_ title: String, key: Key? = nil, badge: String? = nil) {
        self.title = title
        self.key = key
        self.badge = badge
    }
}

/// "1 Orders  2 Backorders  3 Items": screens reachable by number keys.
public enum TabBar {
    /// Draws the tabs on the first row of `area` and returns each tab's
    /// x-range, so a mouse click maps back with `tab(atX:in:)`. Titles are
    /// shortened evenly when the row is too narrow.
    @discardableResult
    public static func render(tabs: [Tab], selected: Int, area: Rect,
                              buffer: inout ScreenBuffer, theme: Theme) -> [Range<Int>] {
        guard !area.isEmpty else { return [] }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(row, style: theme.style(.tabInactive))

        func label(_ tab: Tab, titleLimit: Int) -> String {
            var parts: [String] = []
            if let key = tab.key { parts.append(key.description) }
            let title = TextWidth.truncate(tab.title, toWidth: titleLimit)
            if !title.isEmpty { parts.append(title) }
            if let badge = tab.badge, titleLimit > 0 { parts.append("(\(badge))") }
            return " " + parts.joined(separator: " ") + " "
        }
        var limit = tabs.map { TextWidth.width(of: $0.title) }.max() ?? 0
        var labels = tabs.map { label($0, titleLimit: limit) }
        while limit > 0 && labels.map({ TextWidth.width(of: $0) }).reduce(0, +) > area.width {
            limit -= 1
            labels = tabs.map { label($0, titleLimit: limit) }
        }

        var ranges: [Range<Int>] = []
        var x = area.x
        for (i, text) in labels.enumerated() {
            let style = theme.style(i == selected ? .tabActive : .tabInactive)
            let w = buffer.put(text, x: x, y: area.y, style: style, maxWidth: max(0, area.maxX - x))
            ranges.append(x..<(x + w))
            x += w
        }
        return ranges
    }

    /// The tab whose range holds column `x`.
    public static func tab(atX x: Int, in ranges: [Range<Int>]) -> Int? {
        ranges.firstIndex { $0.contains(x) }
    }
}
