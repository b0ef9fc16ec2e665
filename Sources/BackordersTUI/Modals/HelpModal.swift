import TerminalKit

/// The `?` screen: every key of the current screen and mode, generated from the same key
/// tables that dispatch the keys and fill the footer.
final class HelpModal: Modal {
    let sections: [HelpSection]
    private var offset = 0
    private var page = 10

    init(sections: [HelpSection]) { self.sections = sections }

    var capturesText: Bool { true }

    private enum Action { case close }
    private var keys: KeyTable<Action> {
        KeyTable("Help", [
            KeyBinding([.escape, .char("?"), .char("q")], .close, label: "Close", help: "Close the help"),
        ])
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect {
        switch key {
        case .up, .mouse(_, _, .scrollUp): offset = max(0, offset - 1)
        case .down, .mouse(_, _, .scrollDown): offset += 1
        case .pageUp: offset = max(0, offset - page)
        case .pageDown, .char(" "): offset += page
        case .home: offset = 0
        default:
            return keys.action(for: key) != nil ? .closeModal : .redraw
        }
        return .redraw
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        buffer.fill(area, style: ctx.style(.normal))
        let rect = area.inset(horizontal: area.width > 100 ? 8 : 0, vertical: 0)
        page = max(1, rect.height - 3)
        offset = HelpScreen.render(sections: sections, title: "Keys — ↑↓ PgUp PgDn scroll, Esc closes", offset: offset,
                                   area: rect, buffer: &buffer, theme: ctx.theme)
    }

    func footer(_ ctx: AppContext) -> [FooterItem] {
        [FooterItem(keys: "↑↓", label: "Scroll")] + keys.footerItems
    }

    func help(_ ctx: AppContext) -> [HelpSection] { sections }
}
