import BackorderApp
import TerminalKit

/// Picks a cancellation reason code from the reasons table, then acts with it.
final class ReasonModal: KeyedModal {
    let title: String
    let message: String
    let reasons: [CodeName]
    private var state = TableState()
    /// Reasons the list shows at once (set by drawing).
    private var page = 8
    private let onPick: (String) -> Effect

    init(title: String, message: String, reasons: [CodeName], onPick: @escaping (String) -> Effect) {
        self.title = title
        self.message = message
        self.reasons = reasons
        self.onPick = onPick
    }

    enum Action { case pick, back, move(TableMove), jump }

    var keys: KeyTable<Action> {
        KeyTable(title, [
            KeyBinding(.enter, .pick, label: "Use reason", help: "Use the highlighted reason code",
                       disabledReason: reasons.isEmpty ? "there are no reason codes; an admin adds them with `backorders reason add`" : nil),
            KeyBinding(.escape, .back, label: "Back", help: "Close; nothing changes"),
        ] + TableMove.bindings(noun: "reason", Action.move) + [jumpBinding].compactMap { $0 })
    }

    /// The first character of a code (either case) selects the first reason whose code starts with it.
    private var jumpBinding: KeyBinding<Action>? {
        var keys: [Key] = []
        for c in reasons.compactMap(\.code.first) {
            for k in Set([c.lowercased(), c.uppercased()]).sorted() where !keys.contains(.char(Character(k))) {
                keys.append(.char(Character(k)))
            }
        }
        guard !keys.isEmpty else { return nil }
        let letters = reasons.allSatisfy { $0.code.first?.isLetter == true }
        return .navigation(keys, .jump, label: "Jump", help: "Select the first reason whose code starts with the key pressed",
                           keyName: letters ? "A–Z" : nil)
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        switch keys.lookup(key) {
        case .action(.pick): return .all([.closeModal, onPick(reasons[state.selected].code)])
        case .action(.back): return .all([.closeModal, .info("Nothing changed.")])
        case .action(.move(let move)):
            state.apply(move, total: reasons.count, visibleRows: page)
            return .redraw
        case .action(.jump):
            if case .char(let c) = key, let i = reasons.firstIndex(where: { $0.code.lowercased().hasPrefix(String(c).lowercased()) }) {
                state.select(i, total: reasons.count, visibleRows: page)
            }
            return .redraw
        case .disabled(let reason): return .error(reason)
        case .unbound: return nil
        }
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let lines = TextWidth.wrap(message, width: 56)
        let listRows = min(8, max(1, reasons.count))
        page = listRows
        let rect = area.centered(width: min(area.width, 62), height: min(area.height, lines.count + listRows + 5))
        buffer.fill(rect, style: ctx.style(.normal))
        let inner = Box.draw(rect, title: title, buffer: &buffer, theme: ctx.theme).inset(left: 1, right: 1)
        for (i, l) in lines.enumerated() { Draw.text(l, at: inner, row: i, buffer: &buffer, ctx: ctx) }
        let list = Rect(x: inner.x, y: inner.y + lines.count + 1, width: inner.width, height: listRows + 1)
        state.clamp(total: reasons.count, visibleRows: listRows)
        let rows = reasons.dropFirst(state.offset).prefix(listRows).map { [$0.code, $0.name] }
        TerminalKit.Table.render(columns: [TableColumn("Reason", width: .fixed(8)), TableColumn("Description")],
                                 rows: Array(rows), state: state, total: reasons.count, focused: true,
                                 area: list, buffer: &buffer, theme: ctx.theme, emptyMessage: "No reason codes")
        Draw.text("Enter use reason   Esc back", at: inner, row: inner.height - 1, role: .question, buffer: &buffer, ctx: ctx)
    }
}
