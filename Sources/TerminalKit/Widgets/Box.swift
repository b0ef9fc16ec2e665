/// Light box drawing: borders with a title, and labels on the bottom edge.
public enum Box {
    public static let horizontal = "─", vertical = "│"
    public static let topLeft = "┌", topRight = "┐", bottomLeft = "└", bottomRight = "┘"

    /// Draws a light box on the edge of `rect`, with an optional title on the
    /// top edge, and returns the inside.
    @discardableResult
    public static func draw(_ rect: Rect, title: String? = nil, role: ThemeRole = .border, focused: Bool = true,
                            buffer: inout ScreenBuffer, theme: Theme) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let style = focused ? theme.style(role) : theme.style(role).patched(with: theme.style(.dim))
        let inner = rect.width - 2
        let line = String(repeating: horizontal, count: inner)
        buffer.put(topLeft + line + topRight, x: rect.x, y: rect.y, style: style)
        buffer.put(bottomLeft + line + bottomRight, x: rect.x, y: rect.maxY - 1, style: style)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            buffer.put(vertical, x: rect.x, y: y, style: style)
            buffer.put(vertical, x: rect.maxX - 1, y: y, style: style)
        }
        if let title, !title.isEmpty, inner > 4 {
            buffer.put(" " + title + " ", x: rect.x + 2, y: rect.y, style: theme.style(.title), maxWidth: inner - 2)
        }
        return rect.inset(by: 1)
    }

    /// Writes a label into the bottom border of a box, right-aligned (for a
    /// list position like " 123/10000 ").
    public static func label(_ text: String, on rect: Rect, buffer: inout ScreenBuffer, theme: Theme,
                             role: ThemeRole = .border) {
        guard rect.width > 4, rect.height >= 2 else { return }
        let w = min(TextWidth.width(of: text), rect.width - 4)
        buffer.put(text, x: rect.maxX - 2 - w, y: rect.maxY - 1, style: theme.style(role), maxWidth: w)
    }
}
