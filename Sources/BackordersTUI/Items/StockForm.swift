import BackorderApp
import BackorderCore
import TerminalKit

/// The small inline form for `r` receive and `a` adjust, drawn at the bottom of the Items
/// screen or the demand drill-down. A receipt names the purchase order it arrives on: the
/// LIC's open PO lines at the location are offered oldest first (←/→), or none (unplanned).
final class StockForm {
    enum Kind { case receive, adjust }
    enum Field { case quantity, reason }

    let kind: Kind
    let lic: String
    let location: String
    let onHand: Int
    /// The open PO lines a receipt can be posted against, oldest first.
    let poLines: [Desk.OpenPOLine]
    /// The index in `poLines` the receipt goes against; nil = an unplanned receipt.
    private(set) var poChoice: Int?
    private(set) var quantity: TextFieldState
    private(set) var reason = TextFieldState(maxLength: 80)
    private(set) var focus = Field.quantity
    private(set) var error: String?
    private(set) var isDone = false

    init(kind: Kind, lic: String, location: String, onHand: Int, poLines: [Desk.OpenPOLine] = [], po: String? = nil,
         prefill: Int? = nil) {
        self.kind = kind
        self.lic = lic
        self.location = location
        self.onHand = onHand
        self.poLines = poLines
        poChoice = po.flatMap { p in poLines.firstIndex { $0.po == p } } ?? (poLines.isEmpty ? nil : 0)
        quantity = kind == .receive ? .numeric(prefill, maxLength: 10) : TextFieldState(maxLength: 11)
        quantity.selectAll()
    }

    static let height = 2

    /// Something was typed that posting would use.
    var isDirty: Bool { !isDone && (!quantity.text.isEmpty || !reason.text.isEmpty) }

    var selectedPO: Desk.OpenPOLine? { poChoice.map { poLines[$0] } }

    enum Action { case submit, nextField, cancel, nextPO, previousPO }

    var keys: KeyTable<Action> {
        var b = [KeyBinding<Action>(.enter, .submit, label: kind == .receive ? "Post receipt" : (focus == .quantity ? "Next" : "Post adjustment"),
                                    help: kind == .receive ? "Post the receipt (against the PO shown, or unplanned)" : "Go to the reason, then post the adjustment")]
        if kind == .adjust { b.append(KeyBinding([.tab, .backTab], .nextField, label: "Field", help: "Between the change and the reason")) }
        if kind == .receive && !poLines.isEmpty {
            b.append(KeyBinding([.tab, .down], .nextPO, label: "PO", help: "Receive against the next open PO line (oldest first), or none: an unplanned receipt"))
            b.append(KeyBinding([.backTab, .up], .previousPO, label: "Previous PO", help: "The previous open PO line", showInFooter: false))
        }
        b.append(KeyBinding(.escape, .cancel, label: "Cancel", help: "Close the form; nothing is posted (asks first if something is typed)"))
        return KeyTable(kind == .receive ? "Receive" : "Adjust", b)
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        switch keys.action(for: key) {
        case .submit?:
            if kind == .adjust && focus == .quantity {
                guard checkQuantity() != nil else { return .redraw }
                focus = .reason
                return .redraw
            }
            return submit(ctx)
        case .nextField?:
            focus = focus == .quantity ? .reason : .quantity
            return .redraw
        case .nextPO?:
            choosePO(by: 1)
            return .redraw
        case .previousPO?:
            choosePO(by: -1)
            return .redraw
        case .cancel?:
            guard isDirty else {
                isDone = true
                return .info("Nothing posted.")
            }
            return .modal(ConfirmModal(title: "Discard the \(kind == .receive ? "receipt" : "adjustment")?",
                                       message: "What you typed is not posted and will be lost.", yesLabel: "Discard it") { [self] in
                isDone = true
                return .info("Nothing posted.")
            })
        case nil:
            switch key {
            case .f, .ctrl("c"), .resize, .mouse: return nil
            default: break
            }
            if kind == .adjust, focus == .quantity, case .char(let c) = key, !(c.isNumber || c == "+" || c == "-") { return .redraw }
            var field = focus == .quantity ? quantity : reason
            if field.handle(key) == .edited { error = nil }
            if focus == .quantity { quantity = field } else { reason = field }
            return .redraw
        }
    }

    /// The choices go round: each open PO line, oldest first, then none (an unplanned receipt).
    private func choosePO(by delta: Int) {
        let count = poLines.count + 1
        let next = ((poChoice ?? poLines.count) + delta + count) % count
        poChoice = next == poLines.count ? nil : next
        error = nil
    }

    /// The quantity (receive: 1…1,000,000,000; adjust: a signed change), or nil with `error` set.
    private func checkQuantity() -> Int? {
        do {
            let n = kind == .receive ? try Input.quantity(quantity.text) : try Input.delta(quantity.text)
            error = nil
            return n
        } catch {
            self.error = describe(error)
            return nil
        }
    }

    private func submit(_ ctx: AppContext) -> Effect {
        guard let n = checkQuantity() else {
            focus = .quantity
            return .redraw
        }
        switch kind {
        case .receive:
            if let po = selectedPO, n > po.open {
                return .modal(ConfirmModal(
                    title: "Receive more than \(po.po) has open?",
                    message: "Purchase order \(po.po) has only \(Format.grouped(po.open)) \(lic) open. Receive \(Format.grouped(po.open)) on it and record the other \(Format.grouped(n - po.open)) as an unplanned receipt?",
                    yesLabel: "Record the excess as unplanned") { [self] in
                    post(n, po: po.po, excess: true, ctx: ctx)
                })
            }
            return post(n, po: selectedPO?.po, excess: false, ctx: ctx)
        case .adjust:
            do {
                try ctx.desk.adjust(lic: lic, delta: n, reason: reason.text, location: location)
                isDone = true
                return .all([.reload, .success("Adjusted \(lic) at \(location) by \(n > 0 ? "+" : "")\(n).")])
            } catch {
                self.error = describe(error)
                return .error(error)
            }
        }
    }

    private func post(_ n: Int, po: String?, excess: Bool, ctx: AppContext) -> Effect {
        do {
            let run: ProcessResult?
            if let po {
                run = try ctx.desk.receive(lic: lic, qty: n, po: po, location: location, excessAsUnplanned: excess)
            } else {
                run = try ctx.desk.receive(lic: lic, qty: n, location: location)
            }
            isDone = true
            var text = "Received \(Format.grouped(n)) \(lic) at \(location)" + (po.map { " on \($0)" } ?? " (unplanned)") + "."
            if excess, let p = selectedPO { text += " \(Format.grouped(n - p.open)) over the PO recorded as an unplanned receipt." }
            if let r = run {
                text += " The primary process ran: \(r.stats.unitsAllotted) unit(s) allotted to \(r.stats.linesFilled) line(s)."
            } else if ctx.prefs.backorderManagement {
                text += " What the attached lines did not take waits for 7792 Primary Backorder Process."
            }
            return .all([.reload, .success(text)])
        } catch {
            self.error = describe(error)
            return .error(error)
        }
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        guard area.height >= 2 else { return }
        buffer.fill(area, style: ctx.style(.normal))
        let title = (kind == .receive ? "Receive " : "Adjust ") + "\(lic) at \(location)"
        var right = "on hand \(Format.grouped(onHand))"
        if kind == .receive {
            if let po = selectedPO {
                right = "against \(po.po) line \(po.line) · \(po.vendor) · \(Format.grouped(po.open)) open"
                    + (po.expected.map { " · exp \($0)" } ?? "") + (poLines.count > 1 ? " · Tab: other PO" : " · Tab: none")
            } else {
                right = poLines.isEmpty ? "unplanned: no open PO for \(lic) here · on hand \(Format.grouped(onHand))"
                                        : "unplanned receipt (no PO) · Tab: a PO"
            }
        }
        Draw.rule(title, right: right, area: area, buffer: &buffer, ctx: ctx)
        let row = Rect(x: area.x + 1, y: area.y + 1, width: area.width - 2, height: 1)
        var x = row.x
        let q = TextField.render(label: kind == .receive ? "Quantity" : "Change", state: quantity, focused: focus == .quantity,
                                 area: Rect(x: x, y: row.y, width: row.width, height: 1), buffer: &buffer, theme: ctx.theme,
                                 fieldWidth: 12, placeholder: kind == .adjust ? "+5 or -3" : nil)
        x = q.maxX + 2
        if kind == .adjust {
            let r = TextField.render(label: "Reason", state: reason, focused: focus == .reason,
                                     area: Rect(x: x, y: row.y, width: row.maxX - x, height: 1), buffer: &buffer, theme: ctx.theme,
                                     fieldWidth: min(30, max(10, row.maxX - x - 36)), placeholder: "why, e.g. cycle count")
            x = r.maxX + 2
        }
        if let error {
            buffer.put(error, x: x, y: row.y, style: ctx.style(.inputError), maxWidth: max(0, row.maxX - x))
        } else {
            buffer.put("Enter posts · Esc cancels", x: x, y: row.y, style: ctx.style(.dim), maxWidth: max(0, row.maxX - x))
        }
    }
}
