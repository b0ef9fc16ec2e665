import BackorderApp
import BackorderCore
import TerminalKit

/// Changes an order's fulfillment priority in two steps: type the new priority, see the
/// preview of who would lose what (nothing is written), then apply or go back (§4.3).
final class PriorityModal: Modal {
    let order: String
    let current: Int
    private var field: TextFieldState
    private var preview: PriorityResult?
    private var error: String?

    init(order: String, current: Int) {
        self.order = order
        self.current = current
        field = .numeric(current, maxLength: 1)
    }

    var capturesText: Bool { true }

    private enum Action { case preview, apply, back, cancel }

    private var keys: KeyTable<Action> {
        if preview != nil {
            return KeyTable("Priority preview", [
                KeyBinding([.char("y"), .enter], .apply, label: "Apply", help: "Save the new priority; the stock moves as shown"),
                KeyBinding(.escape, .back, label: "Back", help: "Back to the priority; nothing changes"),
            ])
        }
        return KeyTable("Change priority", [
            KeyBinding(.enter, .preview, label: "Preview", help: "Show which orders would lose what (writes nothing)"),
            KeyBinding(.escape, .cancel, label: "Cancel", help: "Close; nothing changes"),
        ])
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect {
        switch keys.action(for: preview == nil ? key : key.lowercased) {
        case .preview?:
            guard let p = field.intValue, (0...9).contains(p) else {
                error = "Priority is a whole number from 0 to 9"
                return .redraw
            }
            do {
                preview = try ctx.desk.changePriority(order, to: p, preview: true)
                error = nil
            } catch {
                self.error = describe(error)
            }
            return .redraw
        case .apply?:
            guard let p = preview else { return .redraw }
            return .all([.closeModal, Effect.attempt {
                let r = try ctx.desk.changePriority(order, to: p.to, preview: false)
                let lost = Set(r.moves.map(\.fromOrder)).count
                let tail = r.moves.isEmpty ? "no other order lost stock" : "\(lost) order(s) lost \(r.moves.reduce(0) { $0 + $1.qty }) unit(s)"
                return .all([.reload, .success("Order \(r.order) priority \(r.from) → \(r.to); \(tail).")])
            }])
        case .back?:
            preview = nil
            return .redraw
        case .cancel?:
            return .all([.closeModal, .info("Priority unchanged.")])
        case nil:
            if preview == nil, field.handle(key) == .edited { error = nil }
            return .redraw
        }
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let moves = preview?.moves ?? []
        let listRows = preview == nil ? 0 : max(1, min(moves.count, max(1, area.height - 10)))
        let height = min(area.height, 7 + (preview == nil ? 0 : listRows + 3))
        let rect = area.centered(width: min(area.width, 66), height: height)
        buffer.fill(rect, style: ctx.style(.normal))
        let inner = Box.draw(rect, title: "Priority of order \(order)", buffer: &buffer, theme: ctx.theme).inset(left: 1, right: 1)
        Draw.text("Now \(current). Higher priorities are served first (0–9).", at: inner, buffer: &buffer, ctx: ctx)
        TextField.render(label: "New priority", state: field, focused: preview == nil, error: error,
                         area: Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: 2),
                         buffer: &buffer, theme: ctx.theme, fieldWidth: 3)
        if let p = preview {
            let head: String
            if p.to == p.from { head = "Priority stays \(p.to): nothing moves." }
            else if moves.isEmpty { head = "Preview: no other order loses stock." }
            else { head = "Preview: \(p.to > p.from ? "raising" : "lowering") \(p.from) → \(p.to) takes stock from:" }
            Draw.text(head, at: inner, row: 4, role: .warning, buffer: &buffer, ctx: ctx)
            if !moves.isEmpty {
                let list = Rect(x: inner.x + 2, y: inner.y + 5, width: inner.width - 2, height: listRows + 1)
                let shown = moves.prefix(listRows).map { [$0.lic, $0.fromOrder, String($0.fromLine), String($0.qty)] }
                TerminalKit.Table.render(columns: [TableColumn("LIC", width: .fill), TableColumn("Order", width: .fixed(9)),
                                                   TableColumn("Line", width: .fixed(4), alignment: .right),
                                                   TableColumn("Loses", width: .fixed(6), alignment: .right)],
                                         rows: Array(shown), state: TableState(selected: -1), total: moves.count, focused: false,
                                         area: list, buffer: &buffer, theme: ctx.theme, showPosition: false)
            }
            Draw.text("[Y]es, apply   [Esc] back", at: inner, row: inner.height - 1, role: .question, buffer: &buffer, ctx: ctx)
        } else {
            Draw.text("Enter previews who would lose what; nothing is saved yet.", at: inner, row: inner.height - 1,
                      role: .dim, buffer: &buffer, ctx: ctx)
        }
    }

    func footer(_ ctx: AppContext) -> [FooterItem] { keys.footerItems }
    func help(_ ctx: AppContext) -> [HelpSection] { [keys.helpSection] }
}
