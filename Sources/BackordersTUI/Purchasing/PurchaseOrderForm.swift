import BackorderApp
import BackorderCore
import TerminalKit

/// A new purchase order, typed on the Purchasing screen: vendor and LIC complete as you type,
/// the location, the order and expected dates, whether backorders may attach, draft or open;
/// then its lines. Enter moves on (Vendor → first LIC → Qty → next LIC), Tab and Shift-Tab
/// reach every field, Ctrl-S saves, Esc leaves (asking first when something was typed).
final class PurchaseOrderForm {
    enum Field: Hashable {
        case vendor, location, orderDate, expected, attach, draft
        case lic(Int), qty(Int)
        var line: Int? {
            switch self {
            case .lic(let i), .qty(let i): return i
            default: return nil
            }
        }
    }

    struct Line {
        var lic = TextFieldState(maxLength: 32)
        var qty = TextFieldState.numeric(nil, maxLength: 10)
        var info: LicInfo?
        var error: String?
        var isBlank: Bool { lic.text.trimmingCharacters(in: .whitespaces).isEmpty && qty.text.isEmpty }
    }

    static let headerFields: [Field] = [.vendor, .location, .orderDate, .expected, .attach, .draft]

    var vendor = TextFieldState(maxLength: 32)
    var vendorName: String?
    var location = TextFieldState(text: DefaultLocation.code, maxLength: 32)
    var orderDate: TextFieldState
    var expected = TextFieldState(maxLength: 10)
    var allowAttach = true
    var draft = false
    var lines: [Line] = [Line()]
    var errors: [Field: String] = [:]
    var focus: Field = .vendor { didSet { if focus != oldValue { selectFocused() } } }
    var completion: [CompletionItem] = []
    var completionState = CompletionState()
    var formError: String?
    private(set) var saved: String?
    private(set) var left = false
    private let today: Day

    init(today: Day) {
        self.today = today
        orderDate = TextFieldState(text: today.description, maxLength: 10)
    }

    var isDone: Bool { saved != nil || left }

    var isDirty: Bool {
        !vendor.text.isEmpty || location.text != DefaultLocation.code || orderDate.text != today.description || !expected.text.isEmpty
            || !allowAttach || draft || lines.contains { !$0.isBlank }
    }

    private var order: [Field] { Self.headerFields + lines.indices.flatMap { [Field.lic($0), .qty($0)] } }

    private func selectFocused() {
        switch focus {
        case .vendor: vendor.selectAll()
        case .location: location.selectAll()
        case .orderDate: orderDate.selectAll()
        case .expected: expected.selectAll()
        case .lic(let i) where lines.indices.contains(i): lines[i].lic.selectAll()
        case .qty(let i) where lines.indices.contains(i): lines[i].qty.selectAll()
        default: break
        }
    }

    // MARK: - Keys

    enum Action { case next, nextField, previousField, save, leave, removeLine, toggle, completionMove(Int) }

    func keys(_ ctx: AppContext) -> KeyTable<Action> {
        let onLine = focus.line != nil
        var b: [KeyBinding<Action>] = [
            KeyBinding(.enter, .next, label: "Next", help: "Accept this field and move on: Vendor → LIC → Qty → next LIC"),
            KeyBinding(.tab, .nextField, label: "Field", help: "Next field (location, dates, attach, draft, lines)"),
            KeyBinding(.backTab, .previousField, label: "Back field", help: "Previous field", showInFooter: false),
            KeyBinding([.ctrl("s"), .f(2)], .save, label: "Save", help: "Save the purchase order (when every field is valid)"),
        ]
        if focus == .attach || focus == .draft {
            b.append(KeyBinding(.char(" "), .toggle, label: "Change", help: focus == .attach ? "Backorders may attach to it, or not" : "A draft (not yet on order) or open"))
        }
        if !completion.isEmpty {
            b.append(KeyBinding(.down, .completionMove(1), label: "Pick", help: "Next suggestion"))
            b.append(KeyBinding(.up, .completionMove(-1), label: "Pick up", help: "Previous suggestion", showInFooter: false))
        }
        b.append(KeyBinding(.ctrl("x"), .removeLine, label: "Remove line", help: "Remove the line the cursor is on",
                            disabledReason: onLine ? nil : "move to a line first", showInFooter: onLine))
        b.append(KeyBinding(.escape, .leave, label: completion.isEmpty ? "Leave" : "Close list",
                            help: "Close the suggestions, or leave (asks first if anything was typed)"))
        return KeyTable("New purchase order", b)
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        switch keys(ctx).lookup(key) {
        case .action(let a): return perform(a, ctx: ctx)
        case .disabled(let reason): return .error(reason)
        case .unbound: break
        }
        switch key {
        case .f, .mouse, .resize, .ctrl("c"): return nil
        default: break
        }
        edit(key, ctx: ctx)
        return .redraw
    }

    private func perform(_ action: Action, ctx: AppContext) -> Effect {
        switch action {
        case .next: return accept(ctx)
        case .nextField: validate(focus, ctx: ctx); move(1)
        case .previousField: validate(focus, ctx: ctx); move(-1)
        case .save: return save(ctx)
        case .leave:
            if !completion.isEmpty { completion = []; return .redraw }
            guard isDirty else { left = true; return .info("New purchase order left; nothing was saved.") }
            return .modal(ConfirmModal(title: "Leave the new purchase order?", message: "What you typed is not saved and will be lost.",
                                       yesLabel: "Leave") { [self] in
                left = true
                return .info("New purchase order left; nothing was saved.")
            })
        case .removeLine:
            guard let i = focus.line else { return .redraw }
            if lines.count == 1 { lines = [Line()] } else { lines.remove(at: i) }
            focus = .lic(min(i, lines.count - 1))
            return .info("Line \(i + 1) removed.")
        case .toggle:
            if focus == .attach { allowAttach.toggle() } else { draft.toggle() }
        case .completionMove(let d):
            _ = completionState.handle(d > 0 ? .down : .up, count: completion.count)
        }
        return .redraw
    }

    private func edit(_ key: Key, ctx: AppContext) {
        formError = nil
        switch focus {
        case .vendor:
            guard vendor.handle(key) == .edited else { return }
            vendorName = (try? ctx.desk.vendorInfo(vendor.text))?.name
        case .location: guard location.handle(key) == .edited else { return }
        case .orderDate: guard orderDate.handle(key) == .edited else { return }
        case .expected: guard expected.handle(key) == .edited else { return }
        case .attach, .draft: return
        case .lic(let i):
            guard lines[i].lic.handle(key) == .edited else { return }
            lines[i].info = try? ctx.desk.licInfo(lines[i].lic.text)
            lines[i].error = nil
        case .qty(let i):
            guard lines[i].qty.handle(key) == .edited else { return }
            lines[i].error = nil
        }
        errors[focus] = nil
        updateCompletion(ctx)
    }

    private func updateCompletion(_ ctx: AppContext) {
        completionState = CompletionState()
        switch focus {
        case .vendor:
            let t = vendor.text.trimmingCharacters(in: .whitespaces)
            let m = t.isEmpty ? [] : (try? ctx.desk.vendorMatches(t)) ?? []
            completion = m.count == 1 && m[0].code == t.uppercased() ? [] : m.map { CompletionItem($0.code, detail: $0.name) }
        case .location:
            let t = location.text.trimmingCharacters(in: .whitespaces).uppercased()
            let m = ctx.locations.filter { $0.code.hasPrefix(t) }
            completion = t.isEmpty || (m.count == 1 && m[0].code == t) ? [] : m.map { CompletionItem($0.code, detail: $0.name) }
        case .lic(let i):
            let t = lines[i].lic.text.trimmingCharacters(in: .whitespaces)
            let m = t.isEmpty ? [] : (try? ctx.desk.licMatches(t)) ?? []
            completion = m.count == 1 && m[0].code == t.uppercased() ? [] : m.map { CompletionItem($0.code, detail: $0.description) }
        default:
            completion = []
        }
    }

    private func takeCompletion() {
        guard let item = completion[safe: completionState.selected] else { return }
        switch focus {
        case .vendor: vendor.setText(item.text)
        case .location: location.setText(item.text)
        case .lic(let i): lines[i].lic.setText(item.text)
        default: break
        }
        completion = []
    }

    private func move(_ d: Int) {
        completion = []
        let all = order
        focus = all[((all.firstIndex(of: focus) ?? 0) + d + all.count) % all.count]
    }

    private func accept(_ ctx: AppContext) -> Effect {
        if !completion.isEmpty { takeCompletion() }
        completion = []
        guard validate(focus, ctx: ctx, strict: true) else { return .redraw }
        switch focus {
        case .vendor: focus = .lic(0)
        case .lic(let i):
            if lines[i].isBlank { return .info("Ctrl-S or F2 saves the purchase order; Esc leaves.") }
            focus = .qty(i)
        case .qty(let i):
            if lines[i].isBlank { focus = .lic(i); return .info("Ctrl-S or F2 saves the purchase order; Esc leaves.") }
            if i == lines.count - 1 { lines.append(Line()) }
            focus = .lic(i + 1)
        default: move(1)
        }
        updateCompletion(ctx)
        return .redraw
    }

    /// Checks one field; `strict` also requires what must be filled in.
    @discardableResult
    func validate(_ field: Field, ctx: AppContext, strict: Bool = false) -> Bool {
        func fail(_ message: String) -> Bool { errors[field] = message; return false }
        errors[field] = nil
        switch field {
        case .vendor:
            let t = vendor.text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return strict ? fail("Enter a vendor") : true }
            guard let v = try? ctx.desk.vendorInfo(t) else { return fail("Unknown vendor '\(t)'") }
            vendor.setText(v.code)
            vendorName = v.name
        case .location:
            let t = location.text.trimmingCharacters(in: .whitespaces).uppercased()
            guard ctx.locations.contains(where: { $0.code == t }) else { return fail(t.isEmpty ? "Enter a location" : "Unknown location '\(t)'") }
            location.setText(t)
        case .orderDate:
            guard Day(orderDate.text.trimmingCharacters(in: .whitespaces)) != nil else { return fail("A date like 2026-12-31") }
        case .expected:
            let t = expected.text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return true }
            guard let e = Day(t) else { return fail("A date like 2026-12-31, or blank") }
            if let o = Day(orderDate.text), e < o { return fail("Expected before it was ordered") }
        case .attach, .draft:
            return true
        case .lic(let i):
            let t = lines[i].lic.text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty {
                if !lines[i].qty.text.isEmpty { lines[i].error = "Enter a LIC"; return false }
                return true
            }
            guard let info = try? ctx.desk.licInfo(t) else { lines[i].error = "Unknown LIC"; return false }
            guard info.inventoried else { lines[i].error = "\(info.code) is a service: never purchased"; return false }
            lines[i].info = info
            lines[i].lic.setText(info.code)
        case .qty(let i):
            if lines[i].isBlank { return true }
            guard let n = Int(lines[i].qty.text), (1...Input.maxQuantity).contains(n) else {
                lines[i].error = lines[i].qty.text.isEmpty && !strict ? nil : "Qty 1–1,000,000,000"
                return lines[i].error == nil
            }
        }
        return true
    }

    func save(_ ctx: AppContext) -> Effect {
        completion = []
        var firstBad: Field?
        for f in order where !validate(f, ctx: ctx, strict: f == .vendor || f.line != nil) { firstBad = firstBad ?? f }
        let filled = lines.indices.filter { !lines[$0].isBlank }
        if filled.isEmpty { lines[0].error = "Enter a LIC"; firstBad = firstBad ?? .lic(0) }
        for i in filled where lines[i].qty.text.isEmpty { lines[i].error = "Enter a quantity"; firstBad = firstBad ?? .qty(i) }
        if let bad = firstBad {
            focus = bad
            formError = "Fix the marked fields; nothing is saved until they are right."
            return .error("Not saved: fix the marked fields.")
        }
        var r = Desk.PORequest(vendor: vendor.text, lines: filled.map { (lines[$0].lic.text, Int(lines[$0].qty.text) ?? 0) })
        r.location = location.text
        r.orderDate = Day(orderDate.text)
        r.expected = Day(expected.text.trimmingCharacters(in: .whitespaces))
        r.allowAttach = allowAttach
        r.draft = draft
        do {
            let po = try ctx.desk.createPurchaseOrder(r)
            saved = po.number
            return .all([.reload, .success("Purchase order \(po.number) saved for \(po.vendor): \(po.lines.count) line(s), \(po.status).")])
        } catch {
            formError = describe(error)
            return .error(error)
        }
    }

    var capturesText: Bool { true }

    // MARK: - Drawing

    func render(body: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        buffer.fill(body, style: ctx.style(.normal))
        Draw.rule("New purchase order", right: "entering as \(ctx.user.name)", area: body, buffer: &buffer, ctx: ctx)
        var anchor: Rect?
        func field(_ row: Int, _ label: String, _ state: TextFieldState, _ f: Field, width: Int, hint: String) {
            let y = body.y + row
            let focused = focus == f
            let input = TextField.render(label: label, state: state, focused: focused, area: Rect(x: body.x + 1, y: y, width: body.width - 2, height: 1),
                                         buffer: &buffer, theme: ctx.theme, labelWidth: 9, fieldWidth: width)
            let side = Rect(x: input.maxX + 2, y: y, width: max(0, body.maxX - input.maxX - 3), height: 1)
            if let e = errors[f] { Draw.text(e, at: side, role: .inputError, buffer: &buffer, ctx: ctx) }
            else { Draw.text(hint, at: side, role: .dim, buffer: &buffer, ctx: ctx) }
            if focused { anchor = input }
        }
        func toggle(_ row: Int, _ label: String, _ on: Bool, _ f: Field, _ onText: String, _ offText: String) {
            let y = body.y + row
            let focused = focus == f
            buffer.put(TextWidth.pad(label, toWidth: 9), x: body.x + 1, y: y, style: ctx.style(focused ? .title : .normal))
            let text = (on ? "[x] " : "[ ] ") + (on ? onText : offText)
            buffer.put(text, x: body.x + 11, y: y, style: ctx.style(focused ? .inputFocused : .input), maxWidth: body.width - 12)
            if focused { Draw.text("Space changes it", at: Rect(x: body.x + 13 + TextWidth.width(of: text), y: y, width: max(0, body.width - 14 - TextWidth.width(of: text)), height: 1), role: .dim, buffer: &buffer, ctx: ctx) }
        }
        field(1, "Vendor", vendor, .vendor, width: 18, hint: vendorName ?? "type a code or part of a name")
        field(2, "Location", location, .location, width: 10, hint: ctx.locations.first { $0.code == location.text.uppercased() }?.name ?? "")
        field(3, "Ordered", orderDate, .orderDate, width: 12, hint: "the order date, YYYY-MM-DD")
        field(4, "Expected", expected, .expected, width: 12, hint: "when it should arrive (promise dates come from it)")
        toggle(5, "Attach", allowAttach, .attach, "backorders may attach to it", "no backorder attaches to it")
        toggle(6, "Draft", draft, .draft, "a draft: not on order until approved", "open: on order at once")
        if let formError { Draw.text(formError, at: body.inset(left: 1, right: 1), row: 7, role: .error, buffer: &buffer, ctx: ctx) }
        let headerY = body.y + 8
        let head = ctx.style(.columnHeader)
        buffer.fill(Rect(x: body.x, y: headerY, width: body.width, height: 1), style: head)
        buffer.put("  # LIC              Description", x: body.x, y: headerY, style: head)
        // The quantity where its error still has room beside it.
        let qtyX = body.x + max(36, min(56, body.width - 40))
        buffer.put("Qty", x: qtyX, y: headerY, style: head)
        for (i, line) in lines.enumerated() {
            let y = headerY + 1 + i - max(0, lines.count - (body.maxY - headerY - 1))
            guard y > headerY, y < body.maxY else { continue }
            let onLine = focus.line == i
            buffer.put(TextWidth.pad(String(i + 1), toWidth: 3, alignment: .right), x: body.x, y: y, style: ctx.style(onLine ? .title : .normal))
            let licRect = TextField.render(label: "", state: line.lic, focused: focus == .lic(i), area: Rect(x: body.x + 4, y: y, width: 16, height: 1),
                                           buffer: &buffer, theme: ctx.theme, fieldWidth: 16)
            if focus == .lic(i) { anchor = licRect }
            if let info = line.info {
                buffer.put(info.description, x: body.x + 22, y: y, style: ctx.style(.dim), maxWidth: max(0, qtyX - body.x - 24))
            }
            let qtyRect = TextField.render(label: "", state: line.qty, focused: focus == .qty(i), area: Rect(x: qtyX, y: y, width: 10, height: 1),
                                           buffer: &buffer, theme: ctx.theme, fieldWidth: 10)
            if focus == .qty(i) { anchor = qtyRect }
            if let e = line.error { buffer.put(e, x: qtyRect.maxX + 1, y: y, style: ctx.style(.inputError), maxWidth: max(0, body.maxX - qtyRect.maxX - 1)) }
        }
        if let anchor, !completion.isEmpty {
            CompletionList.render(items: completion, state: completionState, anchor: anchor, maxVisible: 6, bounds: body,
                                  buffer: &buffer, theme: ctx.theme)
        }
    }
}
