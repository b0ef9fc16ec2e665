/// The `?` screen: every binding of the given sections, keys left, help right.
public enum HelpScreen {
    /// The help as plain lines of at most `width` columns (section titles, then
    /// "  keys   help"), long help wrapped under itself.
    public static func lines(sections: [HelpSection], width: Int) -> [(text: String, role: ThemeRole)] {
        let keyWidth = min(max(4, width / 3),
                           (sections.flatMap(\.entries).map { TextWidth.width(of: $0.keys) }.max() ?? 4))
        var out: [(String, ThemeRole)] = []
        for (i, section) in sections.enumerated() {
            if i > 0 { out.append(("", .help)) }
            out.append((section.title, .title))
            for e in section.entries {
                var text = e.help
                if let reason = e.disabledReason { text += " (unavailable: \(reason))" }
                let helpWidth = max(1, width - keyWidth - 4)
                let wrapped = TextWidth.wrap(text, width: helpWidth)
                for (n, line) in wrapped.enumerated() {
                    let keys = n == 0 ? TextWidth.pad(e.keys, toWidth: keyWidth) : String(repeating: " ", count: keyWidth)
                    out.append(("  " + keys + "  " + line, e.disabledReason == nil ? .help : .dim))
                }
            }
        }
        return out
    }

    /// Draws a boxed, scrollable help screen filling `area`. `offset` is the
    /// first line shown; it is clamped and the clamped value returned.
    @discardableResult
    public static func render(sections: [HelpSection], title: String = "Keys", offset: Int = 0,
                              area: Rect, buffer: inout ScreenBuffer, theme: Theme) -> Int {
        buffer.fill(area, style: theme.style(.help))
        let inner = Box.draw(area, title: title, buffer: &buffer, theme: theme)
        guard !inner.isEmpty else { return 0 }
        let content = inner.inset(left: 1, right: 1)
        let all = lines(sections: sections, width: content.width)
        let maxOffset = max(0, all.count - content.height)
        let first = min(max(0, offset), maxOffset)
        for (row, line) in all.dropFirst(first).prefix(content.height).enumerated() {
            buffer.put(line.text, x: content.x, y: content.y + row, style: theme.style(line.role),
                       maxWidth: content.width)
        }
        if maxOffset > 0 {
            let position = " \(first + 1)-\(min(all.count, first + content.height))/\(all.count) "
            Box.label(position, on: area, buffer: &buffer, theme: theme)
        }
        return first
    }
}
