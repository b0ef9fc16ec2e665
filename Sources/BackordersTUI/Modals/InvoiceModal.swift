import BackorderApp
import BackorderCore
import TerminalKit

/// Invoicing shows its figures before it is confirmed (§10): the lines and quantities billed,
/// subtotal, tax, handling, total, cash applied, and the suborder that will take the remainder.
/// The figures are the invoice itself, made and rolled back (`Desk.invoice(preview:)`).
final class InvoiceModal: KeyedModal {
    let preview: InvoiceView
    let choice: RemainderChoice?
    private var scroll = ScrollState()

    init(preview: InvoiceView, choice: RemainderChoice?) {
        self.preview = preview
        self.choice = choice
    }

    /// Starts invoicing an order: a *ship partial, cancel backorders* order with a remainder asks
    /// the policy's question first (cancel with a reason, or keep on a suborder); then the figures.
    static func start(order number: String, choice: RemainderChoice? = nil, ctx: AppContext) -> Effect {
        do {
            let v = try ctx.desk.invoice(number, choice: choice, preview: true)
            return .modal(InvoiceModal(preview: v, choice: choice))
        } catch DeskError.question(.remainder(let order, let units)) {
            return .modal(QuestionModal(
                title: "Backordered remainder of \(order)",
                message: "Order \(order) ships partial and cancels backorders: \(units) unit(s) are still backordered. Cancel them (with a reason code), or keep them on an extended suborder?",
                choices: [
                    .init(key: .char("k"), label: "Keep on a suborder", help: "Invoice what shipped; the remainder moves to an extended suborder") {
                        start(order: number, choice: .keep, ctx: ctx)
                    },
                    .init(key: .char("c"), label: "Cancel them", help: "Invoice what shipped and cancel the backordered remainder, with a reason") {
                        .modal(ReasonModal(title: "Cancel the backorders of \(order)", message: "Reason for cancelling the \(units) backordered unit(s) of order \(order):",
                                           reasons: ctx.reasons) { code in start(order: number, choice: .cancel(reasonCode: code), ctx: ctx) })
                    },
                ]))
        } catch {
            return .error(error)
        }
    }

    enum Action { case invoice, back, scroll(TableMove) }

    var keys: KeyTable<Action> {
        KeyTable("Invoice order \(preview.result.order)", [
            KeyBinding(.char("y"), .invoice, label: "Invoice", help: "Write the invoice as shown"),
            KeyBinding([.escape, .char("n"), .enter], .back, label: "Back", help: "Close; nothing is invoiced (the default)"),
        ] + ScrollState.bindings(Action.scroll))
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        switch keys.action(for: key.lowercased) {
        case .scroll(let move)?:
            scroll.apply(move)
            return .redraw
        case .invoice?:
            let number = preview.result.order
            return .all([.closeModal, Effect.attempt {
                let v = try ctx.desk.invoice(number, choice: choice)
                let t = v.result.totals
                var text = "Invoice \(v.result.invoice) for order \(number): total \(Format.money(t.totalCents))"
                if t.cashAppliedCents > 0 { text += ", \(Format.money(t.cashAppliedCents)) prepaid applied" }
                if let sub = v.result.suborder { text += "; the remainder is on suborder \(sub)" }
                if v.result.cancelledUnits > 0 { text += "; \(v.result.cancelledUnits) backordered unit(s) cancelled" }
                return .all([.reload, .success(text + ".")])
            }])
        case .back?: return .all([.closeModal, .info("Nothing was invoiced.")])
        case nil: return nil
        }
    }

    /// The dialog's text rows: the lines billed, the totals, what happens to the remainder.
    func rows(width: Int) -> [(String, ThemeRole)] {
        let r = preview.result
        let t = r.totals
        var out: [(String, ThemeRole)] = []
        let money = 13
        func line(_ label: String, _ cents: Int, role: ThemeRole = .normal) {
            out.append((TextWidth.pad(label, toWidth: max(0, width - money)) + TextWidth.pad(Format.money(cents), toWidth: money, alignment: .right), role))
        }
        out.append((TextWidth.pad("Ln LIC", toWidth: max(0, width - 34)) + TextWidth.pad("Qty", toWidth: 8, alignment: .right)
                    + TextWidth.pad("Unit", toWidth: 13, alignment: .right) + TextWidth.pad("Amount", toWidth: 13, alignment: .right), .columnHeader))
        for l in r.lines {
            let head = TextWidth.pad(String(l.line), toWidth: 2, alignment: .right) + " " + l.lic
            out.append((TextWidth.pad(head, toWidth: max(0, width - 34)) + TextWidth.pad(Format.grouped(l.qty), toWidth: 8, alignment: .right)
                        + TextWidth.pad(Format.money(l.unitCents), toWidth: 13, alignment: .right)
                        + TextWidth.pad(Format.money(l.extensionCents), toWidth: 13, alignment: .right), .normal))
        }
        out.append(("", .normal))
        line("Subtotal", t.subtotalCents)
        line("Tax", t.taxCents)
        line("Handling", t.handlingCents)
        line("Total", t.totalCents, role: .title)
        line("Cash applied (prepaid)", t.cashAppliedCents)
        line("Balance due", t.totalCents - t.cashAppliedCents, role: .title)
        out.append(("", .normal))
        if let sub = r.suborder {
            out.append(("The \(r.remainderUnits) unit(s) still backordered move to extended suborder \(sub), keeping their place in the queue.", .warning))
        } else if r.cancelledUnits > 0 {
            out.append(("The \(r.cancelledUnits) backordered unit(s) are cancelled (\(choiceText)).", .warning))
        } else {
            out.append(("Nothing remains backordered: the order is done once invoiced.", .good))
        }
        return out
    }

    private var choiceText: String {
        if case .cancel(let code)? = choice { return "reason \(code)" }
        return "kept"
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let width = min(area.width, 76)
        let content = rows(width: width - 4)
        var wrapped: [(String, ThemeRole)] = []
        for (text, role) in content {
            // Table rows are laid out to the width already; only sentences wrap.
            guard TextWidth.width(of: text) > width - 4 else { wrapped.append((text, role)); continue }
            for p in TextWidth.wrap(text, width: width - 4) { wrapped.append((p, role)) }
        }
        let height = min(area.height, wrapped.count + 5)
        let rect = area.centered(width: width, height: height)
        buffer.fill(rect, style: ctx.style(.normal))
        let inner = Box.draw(rect, title: "Invoice \(preview.result.invoice) for order \(preview.result.order) — not yet written",
                             buffer: &buffer, theme: ctx.theme).inset(left: 1, right: 1)
        let room = max(0, inner.height - 2)
        let first = scroll.clamp(lines: wrapped.count, page: room)
        for (row, line) in wrapped.dropFirst(first).prefix(room).enumerated() {
            Draw.text(line.0, at: inner, row: row, role: line.1, buffer: &buffer, ctx: ctx)
        }
        Draw.text("[y] Invoice   [N]o, back (Enter, Esc)", at: inner, row: inner.height - 1, role: .question, buffer: &buffer, ctx: ctx)
    }
}
