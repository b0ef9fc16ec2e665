import BackorderApp
import BackorderCore
import TerminalKit

/// Changes an order's fulfillment priority in two steps: type the new priority, see the
/// preview of every move — each order that loses or gains what of which LIC, and the shipments
/// created, appended to or reduced (nothing is written) — then apply or go back (§4.3, §10).
final class PriorityModal: KeyedModal {
    let order: String
    let current: Int
    private var field: TextFieldState
    private var preview: PriorityResult?
    private var error: String?
    private var scroll = ScrollState(page: 6)

    init(order: String, current: Int) {
        self.order = order
        self.current = current
        field = .numeric(current, maxLength: 1)
        field.selectAll()
    }

    /// The priority is typed in the first step; the preview takes no text.
    var typesText: Bool { preview == nil }

    enum Action { case preview, apply, back, cancel, scroll(TableMove) }

    var keys: KeyTable<Action> {
        if preview != nil {
            return KeyTable("Priority preview", [
                KeyBinding(.char("y"), .apply, label: "Apply", help: "Save the new priority; the stock moves as shown"),
                KeyBinding([.escape, .char("n")], .back, label: "Back", help: "Back to the priority; nothing changes"),
            ] + ScrollState.bindings(Action.scroll))
        }
        return KeyTable("Change priority", [
            KeyBinding(.enter, .preview, label: "Preview", help: "Show every order that would lose or gain stock (writes nothing)"),
            KeyBinding(.escape, .cancel, label: "Cancel", help: "Close; nothing changes"),
        ])
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        switch keys.action(for: preview == nil ? key : key.lowercased) {
        case .scroll(let move)?:
            scroll.apply(move)
            return .redraw
        case .preview?:
            guard let p = field.intValue, (0...9).contains(p) else {
                error = "Priority is a whole number from 0 to 9"
                return .redraw
            }
            do {
                preview = try ctx.desk.changePriority(order, to: p, preview: true)
                error = nil
                scroll.offset = 0
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
            field.selectAll()
            return .redraw
        case .cancel?:
            return .all([.closeModal, .info("Priority unchanged.")])
        case nil:
            guard preview == nil else { return nil }
            if field.handle(key) == .edited { error = nil }
            return .redraw
        }
    }

    /// The preview as rows: a heading, then losses, gains and shipments, one move a row.
    func rows(width: Int) -> [(String, ThemeRole)] {
        guard let p = preview else { return [] }
        var out: [(String, ThemeRole)] = []
        if p.to == p.from { return [("Priority stays \(p.to): nothing moves.", .good)] }
        if p.moves.isEmpty && p.gains.isEmpty {
            return [("\(p.from) → \(p.to): no stock moves; the order only changes its place in the queues.", .good)]
        }
        let w = max(20, width)
        func move(_ m: PriorityResult.Move, sign: String) -> String {
            let who = m.customerName.isEmpty ? m.customer : m.customerName
            let head = TextWidth.pad(m.fromOrder, toWidth: 8) + TextWidth.pad(String(m.fromLine), toWidth: 3, alignment: .right) + "  "
                + TextWidth.pad(m.lic, toWidth: 12) + " "
            let qty = TextWidth.pad(sign + Format.grouped(m.qty), toWidth: 7, alignment: .right)
            return head + TextWidth.pad(who, toWidth: max(4, w - TextWidth.width(of: head) - 8)) + qty
        }
        if !p.moves.isEmpty {
            out.append(("Loses (\(Set(p.moves.map(\.fromOrder)).count) order(s), \(p.moves.reduce(0) { $0 + $1.qty }) unit(s)):", .warning))
            out += p.moves.map { (move($0, sign: "−"), .normal) }
        }
        if !p.gains.isEmpty {
            out.append(("Gains (\(Set(p.gains.map(\.fromOrder)).count) order(s), \(p.gains.reduce(0) { $0 + $1.qty }) unit(s)):", .good))
            out += p.gains.map { (move($0, sign: "+"), .normal) }
        }
        if !p.shipments.isEmpty {
            out.append(("Shipments:", .title))
            for s in p.shipments {
                let what: String
                switch s.kind {
                case .created: what = "created for order \(s.order) (\(s.customer)), \(s.units) unit(s)"
                case .appended: what = "of order \(s.order) (\(s.customer)) gets \(s.units) more unit(s)"
                case .reduced: what = "of order \(s.order) (\(s.customer)) loses \(s.units) unit(s)"
                case .cancelled: what = "of order \(s.order) (\(s.customer)) is emptied and cancelled"
                }
                out.append(("#\(s.shipment) \(what)", s.kind == .created || s.kind == .appended ? .normal : .warning))
            }
        }
        return out
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let width = min(area.width, 76)
        let listRows = rows(width: width - 4)
        let wanted = 7 + (preview == nil ? 0 : listRows.count + 2)
        let rect = area.centered(width: width, height: min(area.height, wanted))
        buffer.fill(rect, style: ctx.style(.normal))
        let inner = Box.draw(rect, title: "Priority of order \(order)", buffer: &buffer, theme: ctx.theme).inset(left: 1, right: 1)
        Draw.text("Now \(current). Higher priorities are served first (0–9).", at: inner, buffer: &buffer, ctx: ctx)
        TextField.render(label: "New priority", state: field, focused: preview == nil, error: error,
                         area: Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: 2),
                         buffer: &buffer, theme: ctx.theme, fieldWidth: 3)
        if let p = preview {
            let head = p.to == p.from ? "Preview:" : "Preview of \(p.from) → \(p.to) — nothing is saved yet:"
            Draw.text(head, at: inner, row: 4, role: .question, buffer: &buffer, ctx: ctx)
            let list = Rect(x: inner.x, y: inner.y + 5, width: inner.width, height: max(0, inner.height - 6))
            let first = scroll.clamp(lines: listRows.count, page: list.height), page = scroll.page
            for (row, line) in listRows.dropFirst(first).prefix(page).enumerated() {
                Draw.text(line.0, at: list, row: row, role: line.1, buffer: &buffer, ctx: ctx)
            }
            let more = listRows.count > page ? "↑↓ more (\(first + 1)–\(min(listRows.count, first + page)) of \(listRows.count))   " : ""
            Draw.text(more + "[y] Apply   [Esc] back", at: inner, row: inner.height - 1, role: .question, buffer: &buffer, ctx: ctx)
        } else {
            Draw.text("Enter previews who would lose and gain what; nothing is saved yet.", at: inner, row: inner.height - 1,
                      role: .dim, buffer: &buffer, ctx: ctx)
        }
    }
}
