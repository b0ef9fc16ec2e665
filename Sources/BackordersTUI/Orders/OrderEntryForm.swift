import BackorderApp
import BackorderCore
import Foundation
import TerminalKit

/// Order entry inside the Orders screen (§4.1–4.2, §10): a form whose focus starts on the
/// customer; Enter accepts a field and moves on (Customer → first LIC → Qty → next LIC), Tab
/// and Shift-Tab reach the header fields. Each line shows what is available to it, live; a
/// short quantity asks "split by availability?" inline under the line. Nothing is saved until
/// every field is valid and every short line is answered.
final class OrderEntryForm {
    enum Field: Hashable {
        case customer, location, policy, priority, schedule, deposit
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
        /// The LIC once the code is known.
        var info: LicInfo?
        /// Available to this line now (lines above it of the same LIC counted); nil when unknown.
        var available: Int?
        /// The clerk's answer to the split question for this line.
        var answer: SplitAnswer?
        var licError: String?
        var qtyError: String?

        var isBlank: Bool { lic.text.trimmingCharacters(in: .whitespaces).isEmpty && qty.text.isEmpty }
        var quantity: Int? {
            guard let n = Int(qty.text), n >= 1, n <= Input.maxQuantity else { return nil }
            return n
        }
        /// Units short of the quantity, if it is known and short.
        var shortBy: Int? {
            guard let q = quantity, let a = available, info?.inventoried == true, q > a else { return nil }
            return q - a
        }
    }

    /// Header field order for Tab; lines follow.
    static let headerFields: [Field] = [.customer, .location, .policy, .priority, .schedule, .deposit]

    var customer = TextFieldState(maxLength: 32)
    var customerInfo: CustomerInfo?
    var customerError: String?
    var location = TextFieldState(text: DefaultLocation.code, maxLength: 32)
    var locationError: String?
    var policy: FulfillmentPolicy
    var priority = TextFieldState.numeric(nil, maxLength: 1)
    /// Once the clerk types a priority, choosing a customer no longer replaces it.
    var priorityTouched = false
    var priorityError: String?
    var schedule = TextFieldState(maxLength: 10)
    var scheduleError: String?
    var deposit = TextFieldState(maxLength: 16)
    var depositError: String?
    var lines: [Line] = [Line()]
    /// The field with the keys. A field that shows a value gets focus with it selected, so the
    /// first character typed replaces it (§10 safe edits); Backspace and the arrows edit it.
    var focus: Field = .customer {
        didSet { if focus != oldValue { selectFocused() } }
    }
    /// The line whose split question is showing (the question has the keys).
    var question: Int?
    var completion: [CompletionItem] = []
    var completionState = CompletionState()
    /// A problem with saving as a whole ("fix the marked fields").
    var formError: String?
    /// Set when the form is done: saved (the new order) or left.
    private(set) var saved: OrderView?
    private(set) var left = false
    /// First line shown when the lines do not all fit.
    var lineScroll = 0

    init(prefs: Preferences) {
        policy = prefs.defaultPolicy
    }

    var isDone: Bool { saved != nil || left }

    /// Selects the value of the focused field.
    private func selectFocused() {
        switch focus {
        case .customer: customer.selectAll()
        case .location: location.selectAll()
        case .priority: priority.selectAll()
        case .schedule: schedule.selectAll()
        case .deposit: deposit.selectAll()
        case .policy: break
        case .lic(let i) where lines.indices.contains(i): lines[i].lic.selectAll()
        case .qty(let i) where lines.indices.contains(i): lines[i].qty.selectAll()
        default: break
        }
    }

    /// Whether anything was typed (leaving then asks first).
    var isDirty: Bool {
        !customer.text.isEmpty || location.text != DefaultLocation.code || !priority.text.isEmpty || !schedule.text.isEmpty
            || !deposit.text.isEmpty || lines.contains { !$0.isBlank }
    }

    // MARK: - Keys

    enum Action: Sendable {
        case next, nextField, previousField, save, leave, removeLine, change(Int), completionMove(Int)
        case answer(SplitAnswer), back
    }

    func keys(_ ctx: AppContext) -> KeyTable<Action> {
        if let q = question, let a = lines[q].available, let n = lines[q].quantity {
            if a == 0 {
                return KeyTable("None of \(n) available: ship as it arrives?", [
                    KeyBinding(.char("y"), .answer(.yes), label: "Yes, as it arrives",
                               help: "One line of \(n), backordered: it takes and ships what arrives, as it arrives"),
                    KeyBinding(.char("n"), .answer(.no), label: "No, wait for all",
                               help: "One line of \(n), backordered whole: ships nothing until all \(n) are allotted"),
                    KeyBinding(.escape, .back, label: "Back", help: "Back to the quantity; nothing changes"),
                ])
            }
            return KeyTable("Split by availability? (\(a) of \(n) available)", [
                KeyBinding(.char("y"), .answer(.yes), label: "Yes",
                           help: "Split: a line of \(a) allotted now and a line of \(n - a) backordered"),
                KeyBinding(.char("n"), .answer(.no), label: "No",
                           help: "One line of \(n), backordered whole: ships nothing until all \(n) are allotted"),
                KeyBinding(.escape, .back, label: "Back", help: "Back to the quantity; nothing changes"),
            ])
        }
        let onLine = focus.line != nil
        var b: [KeyBinding<Action>] = [
            KeyBinding(.enter, .next, label: "Next", help: "Accept this field and move on: Customer → LIC → Qty → next LIC"),
            KeyBinding(.tab, .nextField, label: "Field", help: "Next field (location, policy, priority, schedule date, deposit, lines)"),
            KeyBinding(.backTab, .previousField, label: "Back field", help: "Previous field", showInFooter: false),
            KeyBinding([.ctrl("s"), .f(2)], .save, label: "Save", help: "Save the order (when every field is valid)"),
        ]
        if focus == .policy {
            b.append(KeyBinding([.char(" "), .right], .change(1), label: "Change", help: "Next fulfillment policy"))
            b.append(KeyBinding(.left, .change(-1), label: "Back", help: "Previous fulfillment policy", showInFooter: false))
        }
        if !completion.isEmpty {
            b.append(KeyBinding(.down, .completionMove(1), label: "Pick", help: "Next suggestion"))
            b.append(KeyBinding(.up, .completionMove(-1), label: "Pick up", help: "Previous suggestion", showInFooter: false))
        }
        b.append(KeyBinding(.ctrl("x"), .removeLine, label: "Remove line", help: "Remove the line the cursor is on",
                            disabledReason: onLine ? nil : "move to a line first", showInFooter: onLine))
        b.append(KeyBinding(.escape, .leave, label: completion.isEmpty ? "Leave" : "Close list",
                            help: "Close the suggestions, or leave order entry (asks first if anything was typed)"))
        return KeyTable("Order entry", b)
    }

    /// The effect of a key, or nil for keys the form does not use (screen switches, Ctrl-C).
    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        switch keys(ctx).lookup(question == nil ? key : key.lowercased) {
        case .action(let a): return perform(a, ctx: ctx)
        case .disabled(let reason): return .error(reason)
        case .unbound: break
        }
        switch key {
        case .f, .mouse, .resize, .ctrl("c"): return nil   // screen switches, clicks, quitting
        default: break
        }
        if question == nil { editFocused(key, ctx: ctx) }   // the question waits for Y, N or Esc
        return .redraw
    }

    private func perform(_ action: Action, ctx: AppContext) -> Effect {
        switch action {
        case .next: return accept(ctx)
        case .nextField:
            validate(focus, ctx: ctx, strict: false)
            move(by: 1)
        case .previousField:
            validate(focus, ctx: ctx, strict: false)
            move(by: -1)
        case .save: return save(ctx, ifShort: nil)
        case .leave:
            if !completion.isEmpty {
                completion = []
                return .redraw
            }
            guard isDirty else {
                left = true
                return .info("Order entry left; nothing was saved.")
            }
            return .modal(ConfirmModal(title: "Leave order entry?", message: "What you typed is not saved and will be lost.",
                                       yesLabel: "Leave") { [self] in
                left = true
                return .info("Order entry left; nothing was saved.")
            })
        case .removeLine:
            guard let i = focus.line else { return .redraw }
            question = nil
            if lines.count == 1 { lines = [Line()] } else { lines.remove(at: i) }
            focus = .lic(min(i, lines.count - 1))
            refreshAvailability(ctx)
            return .info("Line \(i + 1) removed.")
        case .change(let d):
            let all = FulfillmentPolicy.allCases
            let i = all.firstIndex(of: policy) ?? 0
            policy = all[(i + d + all.count) % all.count]
            refreshAvailability(ctx)
        case .completionMove(let d):
            _ = completionState.handle(d > 0 ? .down : .up, count: completion.count)
        case .answer(let a):
            guard let q = question else { return .redraw }
            lines[q].answer = a
            question = nil
            advanceFromQuantity(q)
            let n = lines[q].quantity ?? 0, av = lines[q].available ?? 0
            if av == 0 {
                return .info(a == .yes ? "Line \(q + 1): all \(n) backordered; it ships what arrives, as it arrives."
                                       : "Line \(q + 1) waits whole: \(n) backordered, ships when all \(n) are allotted.")
            }
            return .info(a == .yes ? "Line \(q + 1) splits: \(av) allotted now, \(n - av) backordered."
                                   : "Line \(q + 1) stays whole: \(n) backordered, ships when all are allotted.")
        case .back:
            if let q = question { focus = .qty(q) }
            question = nil
            return .info("Back to the quantity; nothing changed.")
        }
        return .redraw
    }

    // MARK: - Editing

    @discardableResult
    private func editFocused(_ key: Key, ctx: AppContext) -> Bool {
        formError = nil
        switch focus {
        case .customer:
            guard customer.handle(key) == .edited else { return false }
            customerError = nil
            customerInfo = try? ctx.desk.customerInfo(customer.text)
            if let c = customerInfo, !priorityTouched { priority.setText(String(c.priority)) }
            refreshAvailability(ctx)
        case .location:
            guard location.handle(key) == .edited else { return false }
            locationError = nil
            refreshAvailability(ctx)
        case .priority:
            guard priority.handle(key) == .edited else { return false }
            priorityTouched = true
            priorityError = nil
            refreshAvailability(ctx)
        case .schedule:
            guard schedule.handle(key) == .edited else { return false }
            scheduleError = nil
        case .deposit:
            guard deposit.handle(key) == .edited else { return false }
            depositError = nil
        case .policy:
            return false
        case .lic(let i):
            guard lines[i].lic.handle(key) == .edited else { return false }
            lines[i].licError = nil
            lines[i].answer = nil
            lines[i].info = try? ctx.desk.licInfo(lines[i].lic.text)
            refreshAvailability(ctx)
        case .qty(let i):
            guard lines[i].qty.handle(key) == .edited else { return false }
            lines[i].qtyError = nil
            lines[i].answer = nil
            refreshAvailability(ctx)
        }
        updateCompletion(ctx)
        return true
    }

    /// Suggestions for the focused customer, LIC or location field.
    func updateCompletion(_ ctx: AppContext) {
        completionState = CompletionState()
        switch focus {
        case .customer:
            let t = customer.text.trimmingCharacters(in: .whitespaces)
            let matches = t.isEmpty ? [] : (try? ctx.desk.customerMatches(t)) ?? []
            completion = matches.count == 1 && matches[0].code == t.uppercased() ? []
                : matches.map { CompletionItem($0.code, detail: "\($0.name) · priority \($0.priority)") }
        case .lic(let i):
            let t = lines[i].lic.text.trimmingCharacters(in: .whitespaces)
            let matches = t.isEmpty ? [] : (try? ctx.desk.licMatches(t)) ?? []
            completion = matches.count == 1 && matches[0].code == t.uppercased() ? []
                : matches.map { CompletionItem($0.code, detail: $0.description) }
        case .location:
            let t = location.text.trimmingCharacters(in: .whitespaces).uppercased()
            let matches = ctx.locations.filter { $0.code.hasPrefix(t) }
            completion = t.isEmpty || (matches.count == 1 && matches[0].code == t) ? []
                : matches.map { CompletionItem($0.code, detail: $0.name) }
        default:
            completion = []
        }
    }

    /// Takes the highlighted suggestion into the focused field.
    private func takeCompletion(_ ctx: AppContext) {
        guard let item = completion[safe: completionState.selected] else { return }
        switch focus {
        case .customer: customer.setText(item.text)
        case .location: location.setText(item.text)
        case .lic(let i):
            lines[i].lic.setText(item.text)
            lines[i].answer = nil
        default: break
        }
        completion = []
    }

    // MARK: - Moving on

    /// The field order for Tab: the header, then each line's LIC and quantity.
    private var order: [Field] {
        OrderEntryForm.headerFields + lines.indices.flatMap { [Field.lic($0), .qty($0)] }
    }

    private func move(by delta: Int) {
        completion = []
        let all = order
        let i = all.firstIndex(of: focus) ?? 0
        focus = all[(i + delta + all.count) % all.count]
    }

    /// Enter: accept the focused field (taking a suggestion), check it, and move on.
    private func accept(_ ctx: AppContext) -> Effect {
        if !completion.isEmpty { takeCompletion(ctx) }
        completion = []
        formError = nil
        guard validate(focus, ctx: ctx, strict: true) else { return .redraw }
        switch focus {
        case .customer:
            focus = .lic(0)
        case .lic(let i):
            if lines[i].isBlank {
                if lines.contains(where: { !$0.isBlank }) {
                    return .info("Ctrl-S or F2 saves the order; Esc leaves.")
                }
                lines[i].licError = "Enter a LIC"
                return .redraw
            }
            focus = .qty(i)
        case .qty(let i):
            if lines[i].isBlank {
                focus = .lic(i)
                return .info("Ctrl-S or F2 saves the order; Esc leaves.")
            }
            refreshAvailability(ctx)
            if needsQuestion(i, ctx: ctx) {
                lines[i].answer = nil
                question = i
                return .redraw
            }
            advanceFromQuantity(i)
        default:
            move(by: 1)
        }
        updateCompletion(ctx)
        return .redraw
    }

    /// After a line's quantity: on to the next line's LIC, adding a line when this was the last.
    private func advanceFromQuantity(_ i: Int) {
        if i == lines.count - 1 { lines.append(Line()) }
        focus = .lic(i + 1)
        completion = []
    }

    /// Whether line `i` needs the split question asked (§4.2): short, back order management on,
    /// split prompt *ask* — under every policy, and also when nothing at all is available (then
    /// the question is whether it ships as it arrives or waits for all of it).
    func needsQuestion(_ i: Int, ctx: AppContext) -> Bool {
        guard let short = lines[i].shortBy, short > 0 else { return false }
        return ctx.prefs.backorderManagement && ctx.prefs.splitPrompt == .ask
    }

    // MARK: - Checking

    /// Checks one field and sets its error; `strict` also requires it to be filled in.
    @discardableResult
    func validate(_ field: Field, ctx: AppContext, strict: Bool) -> Bool {
        switch field {
        case .customer:
            let t = customer.text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { customerError = strict ? "Enter a customer" : nil; return !strict }
            customerInfo = try? ctx.desk.customerInfo(t)
            guard let c = customerInfo else { customerError = "Unknown customer '\(t)'"; return false }
            customer.setText(c.code)
            if !priorityTouched { priority.setText(String(c.priority)) }
            customerError = nil
        case .location:
            let t = location.text.trimmingCharacters(in: .whitespaces).uppercased()
            guard ctx.locations.contains(where: { $0.code == t }) else {
                locationError = t.isEmpty ? "Enter a location" : "Unknown location '\(t)'"
                return false
            }
            location.setText(t)
            locationError = nil
        case .priority:
            if priority.text.isEmpty { priorityError = nil; return true }
            guard let p = priority.intValue, (0...9).contains(p) else { priorityError = "Priority is 0 to 9"; return false }
            priorityError = nil
        case .schedule:
            let t = schedule.text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { scheduleError = nil; return true }
            guard Day(t) != nil else { scheduleError = "Schedule date is a date like 2026-12-31"; return false }
            scheduleError = nil
        case .deposit:
            guard Format.cents(deposit.text) != nil else { depositError = "Deposit is an amount like 125.50"; return false }
            depositError = nil
        case .policy:
            return true
        case .lic(let i):
            let t = lines[i].lic.text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty {
                lines[i].licError = nil
                if !lines[i].qty.text.isEmpty { lines[i].licError = "Enter a LIC"; return false }
                return true
            }
            lines[i].info = try? ctx.desk.licInfo(t)
            guard let info = lines[i].info else { lines[i].licError = "Unknown LIC"; return false }
            lines[i].lic.setText(info.code)
            lines[i].licError = nil
            refreshAvailability(ctx)
        case .qty(let i):
            if lines[i].isBlank { lines[i].qtyError = nil; return true }
            if lines[i].qty.text.isEmpty { lines[i].qtyError = strict ? "Enter a quantity" : nil; return !strict }
            guard lines[i].quantity != nil else { lines[i].qtyError = "Qty 1–1,000,000,000"; return false }
            lines[i].qtyError = nil
        }
        return true
    }

    /// The priority the order will have: typed, else the customer's default, else 0.
    var effectivePriority: Int {
        if let p = priority.intValue, (0...9).contains(p) { return p }
        return customerInfo?.priority ?? 0
    }

    /// Recomputes the available-to-order figure of every line: lines above of the same LIC
    /// take first, and the priority and location count.
    func refreshAvailability(_ ctx: AppContext) {
        let loc = location.text.trimmingCharacters(in: .whitespaces).uppercased()
        let knownLocation = ctx.locations.contains { $0.code == loc }
        var earlier: [String: Int] = [:]
        for i in lines.indices {
            guard let info = lines[i].info, info.inventoried, knownLocation else {
                lines[i].available = nil
                continue
            }
            lines[i].available = try? ctx.desk.availableToOrder(lic: info.code, location: loc, priority: effectivePriority,
                                                                earlierInForm: earlier[info.code, default: 0])
            earlier[info.code, default: 0] += lines[i].quantity ?? 0
        }
    }

    // MARK: - Saving

    /// Checks everything, asks what must be asked, then enters the order through the Desk.
    func save(_ ctx: AppContext, ifShort: OrderRequest.IfShort?) -> Effect {
        completion = []
        question = nil
        var firstBad: Field?
        for f in order where !validate(f, ctx: ctx, strict: f == .customer || f.line != nil) {
            firstBad = firstBad ?? f
        }
        let filled = lines.indices.filter { !lines[$0].isBlank }
        if filled.isEmpty {
            lines[0].licError = "Enter a LIC"
            firstBad = firstBad ?? .lic(0)
        }
        if let bad = firstBad {
            focus = bad
            formError = "Fix the marked fields; nothing is saved until they are right."
            return .error("Not saved: fix the marked fields.")
        }
        refreshAvailability(ctx)
        if let i = filled.first(where: { needsQuestion($0, ctx: ctx) && lines[$0].answer == nil }) {
            focus = .qty(i)
            question = i
            return .status(StatusMessage(.warning, "Line \(i + 1) is short: answer the split question, then save."))
        }
        if policy == .completeOrCancel && ifShort == nil && filled.contains(where: { lines[$0].shortBy != nil }) {
            return .modal(completeOrCancelQuestion(ctx))
        }

        var request = OrderRequest(customer: customerInfo?.code ?? customer.text, lines: filled.map { i in
            let l = lines[i]
            return OrderRequest.Line(lic: l.info?.code ?? l.lic.text, quantity: l.quantity ?? 0, split: l.answer)
        })
        request.location = location.text.uppercased()
        request.policy = policy
        request.priority = priority.text.isEmpty ? nil : priority.intValue
        request.scheduleDate = Day(schedule.text.trimmingCharacters(in: .whitespaces))
        request.depositCents = Format.cents(deposit.text) ?? 0
        request.ifShort = ifShort
        do {
            let order = try ctx.desk.enterOrder(request)
            saved = order
            let bo = order.lines.filter(\.bo).count
            var text = "Order \(order.number) saved for \(order.customer): \(order.lines.count) line(s)"
            text += bo > 0 ? ", \(bo) backordered." : ", all allotted."
            if order.status == .cancelled { text = "Order \(order.number) entered and cancelled (short at entry)." }
            return .all([.reload, .openOrder(order.number), .success(text)])
        } catch DeskError.question(let q) {
            // Stock moved while the clerk typed: ask again with today's numbers.
            refreshAvailability(ctx)
            if let i = filled.first(where: { needsQuestion($0, ctx: ctx) && lines[$0].answer == nil }) {
                focus = .qty(i)
                question = i
                return .status(StatusMessage(.warning, "Stock changed while you typed: line \(i + 1) is short now. Answer the question, then save."))
            }
            formError = q.text
            return .error(q.text)
        } catch {
            formError = describe(error)
            return .error(error)
        }
    }

    /// *Ship complete or cancel entire order* with a short line: keep it until complete, or
    /// cancel the whole order with a reason (§5).
    private func completeOrCancelQuestion(_ ctx: AppContext) -> Modal {
        QuestionModal(
            title: "Ship complete or cancel",
            message: "A line is short and this order ships complete or is cancelled entirely. Keep it until everything is allotted, or cancel the whole order?",
            choices: [
                .init(key: .char("k"), label: "Keep until complete", help: "Enter the order; it ships when every line is allotted") { [self] in
                    save(ctx, ifShort: .keep)
                },
                .init(key: .char("c"), label: "Cancel order", help: "Enter the order cancelled, with a reason code") { [self] in
                    .modal(ReasonModal(title: "Cancel the order", message: "The order is recorded as cancelled (short at entry). Reason:",
                                       reasons: ctx.reasons) { code in self.save(ctx, ifShort: .cancel(reasonCode: code)) })
                },
            ])
    }

    /// True when the focused field takes typed characters (always: every field is typed into,
    /// and the policy field uses Space).
    var capturesText: Bool { true }
}
