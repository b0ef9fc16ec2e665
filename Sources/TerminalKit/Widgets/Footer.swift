/// A footer item, independent of the action type.
public struct FooterItem: Hashable, Sendable {
    public var keys: String
    public var label: String
    public var isEnabled: Bool

    public init(keys: String, label: String, isEnabled: Bool = true) {
        self.keys = keys
        self.label = label
        self.isEnabled = isEnabled
    }
}

/// The bottom line: "Enter Open  / Filter  q Quit", keys highlighted.
public enum Footer {
    public static func items<A>(_ bindings: [KeyBinding<A>]) -> [FooterItem] {
        bindings.filter(\.isInFooter).map {
            FooterItem(keys: $0.keyText, label: $0.label, isEnabled: $0.isEnabled)
        }
    }

    /// Draws key/label pairs on the first row of `area`; items that do not fit
    /// are left out and "…" marks the cut. Disabled bindings are drawn dim.
    public static func render(items: [FooterItem], in area: Rect,
                              buffer: inout ScreenBuffer, theme: Theme) {
        guard area.width > 0, area.height > 0 else { return }
        let base = theme.style(.footer)
        let keyStyle = theme.style(.footerKey)
        let dimmed = base.adding(.dim)   // keep the footer colours: a dim role colour could vanish on its background
        buffer.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), style: base)
        var x = area.x + 1
        let limit = area.maxX
        for (n, item) in items.enumerated() {
            let w = TextWidth.width(of: item.keys) + 1 + TextWidth.width(of: item.label)
            let isLast = n == items.count - 1
            // Keep room for the "…" that marks items left out.
            let room = limit - x - (isLast ? 0 : 2)
            if w > room {
                if x + 1 <= limit { buffer.put("…", x: min(x, limit - 1), y: area.y, style: base) }
                return
            }
            buffer.put(item.keys, x: x, y: area.y, style: item.isEnabled ? keyStyle : dimmed)
            x += TextWidth.width(of: item.keys) + 1
            buffer.put(item.label, x: x, y: area.y, style: item.isEnabled ? base : dimmed)
            x += TextWidth.width(of: item.label) + 2
        }
    }
}
