import BackorderApp
import BackorderCore
import TerminalKit

/// "Why is this backordered?" (`w` on any BO line, Enter on one in an order's lines): the
/// desk's answer in sentences — queue place and the units ahead by priority, stock waiting
/// for which process, attached POs and promise, projected date — then the line's last log rows.
final class WhyModal: KeyedModal {
    let why: WhyView
    /// Offered when the line's order is not the one on screen (Backorders list, drill-down).
    let offersOrder: Bool
    private var scroll = ScrollState()

    init(_ why: WhyView, offersOrder: Bool) {
        self.why = why
        self.offersOrder = offersOrder
    }

    /// Opens the answer for a line, or says why it cannot.
    static func open(order: String, line: Int, offersOrder: Bool, ctx: AppContext) -> Effect {
        Effect.attempt { .modal(WhyModal(try ctx.desk.why(order: order, line: line), offersOrder: offersOrder)) }
    }

    enum Action { case close, openOrder, scroll(TableMove) }

    var keys: KeyTable<Action> {
        var b = [KeyBinding<Action>([.escape, .char("w"), .char("q")], .close, label: "Close", help: "Close the answer")]
        if offersOrder {
            b.insert(KeyBinding(.enter, .openOrder, label: "Open order", help: "Show order \(why.order) with this line selected"), at: 0)
        } else {
            b[0].keys.append(.enter)
        }
        return KeyTable("Why is it backordered?", b + ScrollState.bindings(also: [.pageDown: [.char(" ")]], Action.scroll))
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        switch keys.action(for: key) {
        case .close?: return .closeModal
        case .openOrder?: return .all([.closeModal, .openOrder(why.order, line: why.line)])
        case .scroll(let move)?:
            scroll.apply(move)
            return .redraw
        case nil: return nil
        }
    }

    /// The lines of the answer, wrapped to `width`.
    func lines(width: Int) -> [(text: String, role: ThemeRole)] {
        var out: [(String, ThemeRole)] = []
        let w = max(10, width)
        let who = why.customerName.isEmpty ? why.customer : "\(why.customer) \(why.customerName)"
        out.append(("Order \(why.order) line \(why.line) · \(why.lic) \(why.description) · \(who) · \(why.location)", .title))
        out.append(("", .normal))
        for sentence in why.sentences {
            for (i, l) in TextWidth.wrap(sentence, width: w - 2).enumerated() {
                out.append(((i == 0 ? "• " : "  ") + l, role(for: sentence)))
            }
        }
        out.append(("", .normal))
        out.append((why.log.isEmpty ? "Record log: nothing about this line yet." : "Record log of this line (newest last):", .columnHeader))
        for e in why.log {
            let when = String(e.at.dropFirst(5).prefix(11)) + "  "
            for (i, l) in TextWidth.wrap(e.message, width: max(8, w - 13)).enumerated() {
                out.append(((i == 0 ? when : String(repeating: " ", count: 13)) + l, .dim))
            }
        }
        return out
    }

    private func role(for sentence: String) -> ThemeRole {
        if sentence.contains(" wait for ") { return .warning }
        if sentence.hasPrefix("Projected") || sentence.hasPrefix("Promise") || sentence.hasPrefix("Attached") { return .good }
        if sentence.contains(" lacks ") { return .backordered }
        return .normal
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let width = area.width > 110 ? area.width - 16 : area.width
        let all = lines(width: width - 4)
        let rect = area.centered(width: width, height: min(area.height, all.count + 3))
        buffer.fill(rect, style: ctx.style(.normal))
        let inner = Box.draw(rect, title: "Why is it backordered?", buffer: &buffer, theme: ctx.theme).inset(left: 1, right: 1)
        guard inner.height > 1 else { return }
        let first = scroll.clamp(lines: all.count, page: inner.height - 1), page = scroll.page
        for (row, line) in all.dropFirst(first).prefix(page).enumerated() {
            Draw.text(line.text, at: inner, row: row, role: line.role, buffer: &buffer, ctx: ctx)
        }
        let more = all.count > page ? "↑↓ scroll · " : ""
        Draw.text(more + (offersOrder ? "Enter open order · Esc close" : "Esc close"), at: inner, row: inner.height - 1,
                  role: .question, buffer: &buffer, ctx: ctx)
    }
}
