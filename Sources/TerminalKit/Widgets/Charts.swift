/// One bar: a label, a value, and optionally a role for its colour.
public struct BarItem: Hashable, Sendable {
    public var label: String
    public var value: Int
    public var role: ThemeRole?

    public init(_ label: String, _ value: Int, role: ThemeRole? = nil) {
        self.label = label
        self.value = value
        self.role = role
    }
}

/// Horizontal bars with eighth-block precision: "Widgets  ███████▌   15".
public enum BarChart {
    /// Partial blocks for 1...7 eighths.
    public static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar `width` columns long at full scale, for `value` of `maxValue`,
    /// rounded to the nearest eighth of a column.
    public static func bar(value: Int, maxValue: Int, width: Int) -> String {
        guard maxValue > 0, width > 0, value > 0 else { return "" }
        let v = min(value, maxValue)
        let total = (2 * v * width * 8 + maxValue) / (2 * maxValue)
        return String(repeating: "█", count: total / 8) + eighths[total % 8]
    }

    /// Draws one bar per row: label (left), bar, value (right). The scale is
    /// `maxValue`, or the largest value. Rows beyond `area` are not drawn.
    public static func render(items: [BarItem], area: Rect, buffer: inout ScreenBuffer, theme: Theme,
                              maxValue: Int? = nil, format: (Int) -> String = { String($0) }) {
        guard !area.isEmpty, !items.isEmpty else { return }
        let scale = maxValue ?? max(1, items.map(\.value).max() ?? 1)
        let labelWidth = min(items.map { TextWidth.width(of: $0.label) }.max() ?? 0, max(0, area.width / 3))
        let valueTexts = items.map { format($0.value) }
        let valueWidth = valueTexts.map { TextWidth.width(of: $0) }.max() ?? 0
        let barWidth = max(0, area.width - labelWidth - valueWidth - (labelWidth > 0 ? 1 : 0) - 1)
        for (i, item) in items.prefix(area.height).enumerated() {
            let y = area.y + i
            var x = area.x
            if labelWidth > 0 {
                buffer.put(TextWidth.pad(item.label, toWidth: labelWidth), x: x, y: y, style: theme.style(.normal))
                x += labelWidth + 1
            }
            let bar = Self.bar(value: item.value, maxValue: scale, width: barWidth)
            buffer.put(bar, x: x, y: y, style: theme.style(item.role ?? .bar), maxWidth: barWidth)
            buffer.put(TextWidth.pad(valueTexts[i], toWidth: valueWidth, alignment: .right),
                       x: x + barWidth + 1, y: y, style: theme.style(.normal))
        }
    }
}

/// One-line trend: "▁▂▄█▆▃".
public enum Sparkline {
    public static let levels = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values (all when nil), each scaled to eight levels
    /// against `maxValue` (or the largest value). Zero and negatives show as "▁".
    public static func string(_ values: [Int], width: Int? = nil, maxValue: Int? = nil) -> String {
        let shown = width.map { Array(values.suffix(max(0, $0))) } ?? values
        let top = maxValue ?? (shown.max() ?? 0)
        return shown.map { v -> String in
            guard top > 0, v > 0 else { return levels[0] }
            let level = (2 * min(v, top) * 7 + top) / (2 * top)
            return levels[min(7, max(0, level))]
        }.joined()
    }

    public static func render(_ values: [Int], area: Rect, buffer: inout ScreenBuffer, theme: Theme,
                              maxValue: Int? = nil, role: ThemeRole = .sparkline) {
        guard !area.isEmpty else { return }
        buffer.put(string(values, width: area.width, maxValue: maxValue), x: area.x, y: area.y,
                   style: theme.style(role), maxWidth: area.width)
    }
}
