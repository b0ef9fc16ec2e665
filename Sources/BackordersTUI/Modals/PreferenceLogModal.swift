import BackorderApp
import TerminalKit

/// `l` on the Preferences screen: the preferences log, newest first — who changed which
/// preference when, from what to what (`backorders prefs log` prints the same).
final class PreferenceLogModal: KeyedModal {
    let changes: [Desk.PreferenceChange]
    private var state = TableState()
    private var page = 10

    init(changes: [Desk.PreferenceChange]) { self.changes = changes }

    enum Action { case close, move(TableMove) }

    var keys: KeyTable<Action> {
        KeyTable("Preferences log", [
            KeyBinding([.escape, .char("l"), .char("q"), .enter], .close, label: "Close", help: "Close the log"),
        ] + TableMove.bindings(noun: "change", Action.move))
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        switch keys.action(for: key) {
        case .close?: return .closeModal
        case .move(let move)?:
            state.apply(move, total: changes.count, visibleRows: page)
            return .redraw
        case nil: return nil
        }
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        buffer.fill(area, style: ctx.style(.normal))
        let rect = area.inset(horizontal: area.width > 110 ? 6 : 0, vertical: 0)
        let inner = Box.draw(rect, title: "Preferences log — newest first", buffer: &buffer, theme: ctx.theme).inset(left: 1, right: 1)
        page = max(1, inner.height - 1)
        let columns = [
            TableColumn("At", width: .fixed(16)),
            TableColumn("Who", width: .fixed(10)),
            TableColumn("Setting", width: .fill, minWidth: 12),
            TableColumn("From", width: .fixed(10)),
            TableColumn("To", width: .fixed(10)),
        ]
        state.clamp(total: changes.count, visibleRows: page)
        let rows = changes.dropFirst(state.offset).prefix(page).map { [Format.minute($0.at), $0.actor, $0.key.title, $0.from, $0.to] }
        TerminalKit.Table.render(columns: columns, rows: Array(rows), state: state, total: changes.count, focused: true,
                                 area: inner, buffer: &buffer, theme: ctx.theme, emptyMessage: "No preference has been changed yet")
    }
}
