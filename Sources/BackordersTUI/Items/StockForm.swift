import BackorderApp
import BackorderCore
import TerminalKit

/// The small inline form for `r` receive and `a` adjust, drawn at the bottom of the Items
/// screen or the demand drill-down.
final class StockForm {
    enum Kind { case receive, adjust }
    enum Field { case quantity, reason }

    let kind: Kind
    let lic: String
    let location: String
    let onHand: Int
    private(set) var quantity: TextFieldState
    private(set) var reason = TextFieldState(maxLength: 80)
    private(set) var focus = Field.quantity
    private(set) var error: String?
    private(set) var isDone = false

    init(kind: Kind, lic: String, location: String, onHand: Int) {
        self.kind = kind
        self.lic = lic
        self.location = location
        self.onHand = onHand
        quantity = kind == .receive ? .numeric(nil, maxLength: 10) : TextFieldState(maxLength: 11)
    }

    static let height = 2

    enum Action { case submit, nextField, cancel }

    var keys: KeyTable<Action> {
        var b = [KeyBinding<Action>(.enter, .submit, label: kind == .receive ? "Post receipt" : (focus == .quantity ? "Next" : "Post adjustment"),
                                    help: kind == .receive ? "Post the receipt" : "Go to the reason, then post the adjustment")]
        if kind == .adjust { b.append(KeyBinding([.tab, .backTab], .nextField, label: "Field", help: "Between the change and the reason")) }
        b.append(KeyBinding(.escape, .cancel, label: "Cancel", help: "Close the form; nothing is posted"))
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
        case .cancel?:
            isDone = true
            return .info("Nothing posted.")
        case nil:
            switch key {
            case .f, .ctrl("c"), .resize, .mouse: return nil
            default: break
            }
            if kind == .adjust, focus == .quantity, case .char(let c) = key, !(c.isNumber || c == "+" || c == "-") { return .redraw }
            let changed = focus == .quantity ? quantity.handle(key) : reason.handle(key)
            if changed == .edited { error = nil }
            return .redraw
        }
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
        do {
            switch kind {
            case .receive:
                let run = try ctx.desk.receive(lic: lic, qty: n, location: location)
                isDone = true
                var text = "Received \(Format.grouped(n)) \(lic) at \(location)."
                if let r = run {
                    text += " The primary process ran: \(r.stats.unitsAllotted) unit(s) allotted to \(r.stats.linesFilled) line(s)."
                } else if ctx.prefs.backorderManagement {
                    text += " It waits for 7792 Primary Backorder Process."
                }
                return .all([.reload, .success(text)])
            case .adjust:
                try ctx.desk.adjust(lic: lic, delta: n, reason: reason.text, location: location)
                isDone = true
                return .all([.reload, .success("Adjusted \(lic) at \(location) by \(n > 0 ? "+" : "")\(n).")])
            }
        } catch {
            self.error = describe(error)
            return .error(error)
        }
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        guard area.height >= 2 else { return }
        buffer.fill(area, style: ctx.style(.normal))
        let title = (kind == .receive ? "Receive " : "Adjust ") + "\(lic) at \(location)"
        Draw.rule(title, right: "on hand \(Format.grouped(onHand))", area: area, buffer: &buffer, ctx: ctx)
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
