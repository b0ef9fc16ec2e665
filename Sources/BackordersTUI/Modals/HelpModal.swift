import TerminalKit

/// The `?` screen: every key of the current screen and mode, or of the dialog `?` was pressed
/// in, generated from the same key tables that dispatch the keys and fill the footer.
final class HelpModal: KeyedModal {
    let sections: [HelpSection]
    /// The dialog the help was asked for in, shown again when the help closes.
    let underneath: Modal?
    private var scroll = ScrollState()

    init(sections: [HelpSection], underneath: Modal? = nil) {
        self.sections = sections
        self.underneath = underneath
    }

    enum Action { case close, scroll(TableMove) }

    var keys: KeyTable<Action> {
        KeyTable("Help", [
            KeyBinding([.escape, .char("?"), .char("q")], .close, label: "Close",
                       help: underneath == nil ? "Close the help" : "Close the help, back to the dialog"),
        ] + ScrollState.bindings(also: [.pageDown: [.char(" ")]], Action.scroll))
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        switch keys.action(for: key) {
        case .close?: return underneath.map { .modal($0) } ?? .closeModal
        case .scroll(let move)?:
            scroll.apply(move)
            return .redraw
        case nil: return nil
        }
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        buffer.fill(area, style: ctx.style(.normal))
        let rect = area.inset(horizontal: area.width > 100 ? 8 : 0, vertical: 0)
        scroll.page = max(1, rect.height - 3)
        scroll.offset = HelpScreen.render(sections: sections, title: "Keys — ↑↓ PgUp PgDn scroll, Esc closes", offset: scroll.offset,
                                          area: rect, buffer: &buffer, theme: ctx.theme)
    }
}
