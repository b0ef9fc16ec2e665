import BackorderCore
import TerminalKit

/// `m`: the recent messages of the status line, whole and wrapped, newest at the bottom — the
/// status line cuts a long one to its width.
final class MessagesModal: KeyedModal {
    let messages: [(at: Moment, message: StatusMessage)]
    /// From the newest, at the bottom.
    private var scroll = ScrollState(offset: .max)

    init(messages: [(at: Moment, message: StatusMessage)]) { self.messages = messages }

    enum Action { case close, scroll(TableMove) }

    var keys: KeyTable<Action> {
        KeyTable("Messages", [
            KeyBinding([.escape, .char("m"), .char("q"), .enter], .close, label: "Close", help: "Close the messages"),
        ] + ScrollState.bindings(Action.scroll))
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        switch keys.action(for: key) {
        case .close?: return .closeModal
        case .scroll(let move)?:
            scroll.apply(move)
            return .redraw
        case nil: return nil
        }
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
        let first = scroll.clamp(lines: lines.count, page: inner.height)
        for (row, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            buffer.put(line.0, x: inner.x, y: inner.y + row, style: ctx.style(line.1), maxWidth: inner.width)
        }
    }
}
