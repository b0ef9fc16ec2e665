/// The top line: a title on the left, status items on the right
/// ("db: shop.sqlite · ann (clerk) · BO mgmt on · next run 14:00").
public enum HeaderLine {
    @discardableResult
    public static func render(title: String, status: [String], area: Rect,
                              buffer: inout ScreenBuffer, theme: Theme, separator: String = " · ") -> Rect {
        guard !area.isEmpty else { return area }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(row, style: theme.style(.header))
        let titleWidth = buffer.put(" " + title + " ", x: area.x, y: area.y, style: theme.style(.headerAccent),
                                    maxWidth: area.width)
        let room = area.width - titleWidth - 1
        guard room > 0 else { return row }
        var items = status
        var text = items.joined(separator: separator)
        // Drop status items from the end until they fit, then cut what is left.
        while items.count > 1 && TextWidth.width(of: text) + 1 > room {
            items.removeLast()
            text = items.joined(separator: separator)
        }
        text = TextWidth.truncate(text, toWidth: room - 1)
        let w = TextWidth.width(of: text)
        buffer.put(text, x: area.maxX - w - 1, y: area.y, style: theme.style(.header))
        return row
    }
}
