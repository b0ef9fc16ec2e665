import BackorderApp
import BackorderCore
import TerminalKit

/// How figures read on screen.
enum Format {
    /// Cents as "1,234.50".
    static func money(_ cents: Int) -> String {
        let sign = cents < 0 ? "-" : ""
        let c = abs(cents)
        let frac = c % 100
        return sign + grouped(c / 100) + "." + (frac < 10 ? "0" : "") + String(frac)
    }

    /// 1234567 as "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A figure that is blank when zero, so the numbers that matter stand out.
    static func nonZero(_ n: Int) -> String { n == 0 ? "" : grouped(n) }

    /// "2026-11-16 09:00:00" → "2026-11-16 09:00".
    static func minute(_ moment: String?) -> String {
        guard let m = moment else { return "—" }
        return m.count >= 16 ? String(m.prefix(16)) : m
    }

    /// Days since an entry day ("2026-11-16") as of `today`.
    static func age(_ entered: String, today: Day) -> Int {
        guard let d = Day(entered) else { return 0 }
        return max(0, today.days(since: d))
    }

    /// The date a BO line should fill by: a PO promise as it is, a projection marked "~", "—" for
    /// none. Narrow columns drop the year.
    static func promise(_ promise: String?, projected: String?, today: Day, wide: Bool = true) -> String {
        func short(_ d: String) -> String { wide ? d : String(d.dropFirst(5)) }
        if let promise { return short(promise) }
        if let projected { return "~" + short(projected) }
        return ""
    }

    /// How such a date is drawn: a date already past in the warning style, a projection dim,
    /// a promise plain (so the two look different even without colour).
    static func promiseRole(_ promise: String?, projected: String?, today: Day) -> ThemeRole? {
        guard let date = promise ?? projected else { return nil }
        if let d = Day(date), d < today { return .warning }
        return promise == nil ? .dim : nil
    }

    /// Parses money typed in dollars ("12", "12.5", "12.50") into cents.
    static func cents(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        if t.isEmpty { return 0 }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        func digits(_ s: Substring) -> Bool { s.allSatisfy { $0.isASCII && $0.isNumber } }
        guard parts.count <= 2, digits(parts[0]), let whole = Int(parts[0].isEmpty ? "0" : String(parts[0])),
              whole <= 1_000_000_000 else { return nil }
        var frac = 0
        if parts.count == 2 {
            let f = parts[1]
            guard f.count <= 2, digits(f) else { return nil }
            frac = (Int(f) ?? 0) * (f.count == 1 ? 10 : 1)
        }
        return whole * 100 + frac
    }
}

/// Frequently drawn pieces of the screen.
enum Draw {
    /// A titled rule across `area`'s first row: "─ Orders ───────────── 12/200 ─".
    static func rule(_ title: String, right: String? = nil, area: Rect, focused: Bool = true,
                     buffer: inout ScreenBuffer, ctx: AppContext) {
        guard !area.isEmpty else { return }
        let border = ctx.style(.border)
        buffer.put(String(repeating: Box.horizontal, count: area.width), x: area.x, y: area.y, style: border)
        var x = area.x + 1
        if !title.isEmpty {
            let titleStyle = focused ? ctx.style(.title) : ctx.style(.normal)
            x += buffer.put(" " + title + " ", x: x, y: area.y, style: titleStyle, maxWidth: area.width - 2)
        }
        if let right, !right.isEmpty {
            let room = area.maxX - 1 - x - 2
            guard room >= 8 else { return }
            let text = " " + TextWidth.truncate(right, toWidth: room - 2) + " "
            let w = TextWidth.width(of: text)
            buffer.put(text, x: area.maxX - 1 - w, y: area.y, style: ctx.style(.normal))
        }
    }

    /// Text on one row, cut to the area's width.
    @discardableResult
    static func text(_ s: String, at area: Rect, row: Int = 0, x: Int = 0, role: ThemeRole = .normal,
                     buffer: inout ScreenBuffer, ctx: AppContext) -> Int {
        guard row < area.height, x < area.width else { return 0 }
        return buffer.put(s, x: area.x + x, y: area.y + row, style: ctx.style(role), maxWidth: area.width - x)
    }

    /// Spans on one row, cut to the area's width.
    @discardableResult
    static func spans(_ spans: [(String, ThemeRole)], at area: Rect, row: Int = 0, x: Int = 0,
                      buffer: inout ScreenBuffer, ctx: AppContext) -> Int {
        guard row < area.height, x < area.width else { return 0 }
        return buffer.put(spans: spans.map { Span($0.0, style: ctx.style($0.1)) }, x: area.x + x, y: area.y + row,
                          maxWidth: area.width - x)
    }

    /// A message centred in `area` (an empty list, a pane with nothing selected).
    static func centered(_ s: String, in area: Rect, role: ThemeRole = .dim, buffer: inout ScreenBuffer, ctx: AppContext) {
        guard !area.isEmpty else { return }
        let t = TextWidth.truncate(s, toWidth: area.width)
        buffer.put(t, x: area.x + (area.width - TextWidth.width(of: t)) / 2, y: area.y + (area.height - 1) / 2,
                   style: ctx.style(role))
    }
}

extension KeyTable {
    /// The footer items of this table.
    var footerItems: [FooterItem] { Footer.items(bindings) }
}

extension Draw {
    /// Colours single cells of a drawn table (a status, a BO figure) so that meaning shows
    /// without painting whole rows; the selected row keeps the selection style.
    /// `roles[i]` is for visible row `i`; nil leaves the cell as drawn.
    static func tint(column: Int, roles: [ThemeRole?], columns: [TableColumn], area: Rect, state: TableState,
                     showHeader: Bool = true, buffer: inout ScreenBuffer, ctx: AppContext) {
        let widths = TerminalKit.Table.columnWidths(columns, totalWidth: area.width)
        guard column < widths.count, widths[column] > 0 else { return }
        let x = area.x + widths.prefix(column).reduce(0) { $0 + $1 + TerminalKit.Table.columnSpacing }
        let top = area.y + (showHeader ? 1 : 0)
        for (i, role) in roles.enumerated() {
            guard let role, top + i < area.maxY, state.offset + i != state.selected else { continue }
            buffer.setStyle(Rect(x: x, y: top + i, width: widths[column], height: 1), style: ctx.style(role))
        }
    }
}

extension Draw {
    /// A list's title rule while its filter is typed: "─ Orders ─ Filter [hill▌      ] ─ 3/30 ─".
    static func filterRule(_ title: String, field: TextFieldState, right: String, area: Rect,
                           buffer: inout ScreenBuffer, ctx: AppContext) {
        rule(title, right: right, area: area, buffer: &buffer, ctx: ctx)
        let x = area.x + TextWidth.width(of: title) + 5
        let width = min(40, max(0, area.maxX - x - TextWidth.width(of: right) - 5))
        guard width > 10 else { return }
        let box = Rect(x: x, y: area.y, width: width, height: 1)
        buffer.fill(box, style: ctx.style(.normal))
        TextField.render(label: "Filter", state: field, focused: true, area: box.inset(left: 1, right: 1),
                         buffer: &buffer, theme: ctx.theme)
    }
}
