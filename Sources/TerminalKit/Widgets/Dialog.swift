/// A centred box with a title, wrapped message lines and an optional line of
/// choices at the bottom; it clears what is beneath it.
public enum Dialog {
    /// Draws the dialog inside `area` and returns its outer rectangle.
    @discardableResult
    public static func render(title: String, message: String, footer: String? = nil, role: ThemeRole = .normal,
                              maxWidth: Int = 60, area: Rect, buffer: inout ScreenBuffer, theme: Theme) -> Rect {
        let width = min(area.width, max(20, min(maxWidth,
            max(TextWidth.width(of: title) + 6,
                message.split(separator: "\n").map { TextWidth.width(of: String($0)) + 4 }.max() ?? 0,
                (footer.map { TextWidth.width(of: $0) } ?? 0) + 4))))
        let lines = TextWidth.wrap(message, width: max(1, width - 4))
        let height = min(area.height, lines.count + 2 + (footer == nil ? 0 : 2))
        let rect = area.centered(width: width, height: height)
        buffer.fill(rect, style: theme.style(.normal))
        let inner = Box.draw(rect, title: title, buffer: &buffer, theme: theme)
        let text = inner.inset(left: 1, right: 1)
        for (i, line) in lines.prefix(max(0, text.height - (footer == nil ? 0 : 2))).enumerated() {
            buffer.put(line, x: text.x, y: text.y + i, style: theme.style(role), maxWidth: text.width)
        }
        if let footer, text.height >= 1 {
            buffer.put(footer, x: text.x, y: text.maxY - 1, style: theme.style(.question), maxWidth: text.width)
        }
        return rect
    }
}
