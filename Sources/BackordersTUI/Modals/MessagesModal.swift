import BackorderCore
import TerminalKit

/// `m`: the recent messages of the status line, whole and wrapped, newest at the bottom — the
/// status line cuts a long one to its width.
final class MessagesModal: Modal {
    let messages: [(at: Moment, message: StatusMessage)]
    private var back = 0

    init(messages: [(at: Moment, message: StatusMessage)]) { self.messages = messages }

    var capturesText: Bool { true }

    private enum Action { case close }
    private var keys: KeyTable<Action> {
        KeyTable("Messages", [
            KeyBinding([.escape, .char("m"), .char("q"), .enter], .close, label: "Close", help: "Close the messages"),
        ])
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect {
        switch key {
        case .up, .pageUp, .mouse(_, _, .scrollUp): back += key == .pageUp ? 10 : 1
        case .down, .pageDown, .mouse(_, _, .scrollDown): back = max(0, back - (key == .pageDown ? 10 : 1))
        default: return keys.action(for: key) != nil ? .closeModal : .redraw
        }
        return .redraw
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        buffer.fill(area, style: ctx.style(.normal))
        let rect = area.inset(horizontal: area.width > 100 ? 6 : 0, vertical: 0)
        let inner = Box.draw(rect, title: "Messages — newest at the bottom, ↑↓ scroll, Esc closes", buffer: &buffer, theme: ctx.theme)
            .inset(left: 1, right: 1)
        guard !inner.isEmpty else { return }
        var lines: [(String, ThemeRole)] = []
        for (at, m) in messages {
            let when = String(at.description.dropFirst(11).prefix(5)) + "  "
            for (i, l) in TextWidth.wrap(m.text, width: max(8, inner.width - 7)).enumerated() {
                lines.append(((i == 0 ? when : "       ") + l, m.role))
            }
        }
        if lines.isEmpty { lines = [("No messages yet.", .dim)] }
        back = min(back, max(0, lines.count - inner.height))
        let end = lines.count - back
        let shown = lines[max(0, end - inner.height)..<end]
        for (row, line) in shown.enumerated() {
            buffer.put(line.0, x: inner.x, y: inner.y + row, style: ctx.style(line.1), maxWidth: inner.width)
        }
    }

    func footer(_ ctx: AppContext) -> [FooterItem] { [FooterItem(keys: "↑↓", label: "Scroll")] + keys.footerItems }
    func help(_ ctx: AppContext) -> [HelpSection] { [keys.helpSection] }
}
