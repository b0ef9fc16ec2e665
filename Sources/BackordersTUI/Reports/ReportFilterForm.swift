import BackorderApp
import BackorderCore
import TerminalKit

/// The filters of a report, typed in a strip under the report tabs: customer (reports of lines),
/// LIC, location, and for the backorder report *partially invoiced only*. Tab moves between
/// them, Space toggles, Enter applies (unknown codes are refused beside their field), Esc leaves
/// the filters as they were.
final class ReportFilterForm {
    enum Field: CaseIterable { case customer, lic, location, partial }
    static let height = 2

    private let original: Desk.ReportRequest
    var customer: TextFieldState
    var lic: TextFieldState
    var location: TextFieldState
    var partial: Bool
    private(set) var focus: Field
    private(set) var error: String?
    let fields: [Field]

    init(_ request: Desk.ReportRequest, ctx: AppContext) {
        original = request
        customer = TextFieldState(text: request.customer ?? "", maxLength: 32)
        lic = TextFieldState(text: request.lic ?? "", maxLength: 32)
        location = TextFieldState(text: request.location ?? "", maxLength: 32)
        partial = request.partiallyInvoicedOnly
        var f: [Field] = []
        if request.acceptsCustomer { f.append(.customer) }
        f += [.lic, .location]
        if request.acceptsPartiallyInvoiced { f.append(.partial) }
        fields = f
        focus = f[0]
        select()
    }

    var isDirty: Bool { (try? request()) != original }

    enum Outcome { case keep, pass, cancel, apply(Desk.ReportRequest) }
    enum Action { case apply, next, previous, cancel, toggle }

    var keys: KeyTable<Action> {
        var b = [
            KeyBinding<Action>(.enter, .apply, label: "Apply", help: "Show the report with these filters (blank: all)"),
            KeyBinding(.tab, .next, label: "Field", help: "The next filter"),
            KeyBinding(.backTab, .previous, label: "Back field", help: "The previous filter", showInFooter: false),
        ]
        if focus == .partial { b.append(KeyBinding(.char(" "), .toggle, label: "On/off", help: "Only orders that were partially invoiced, or all")) }
        b.append(KeyBinding(.escape, .cancel, label: "Cancel", help: "Keep the filters as they were"))
        return KeyTable("Report filters", b)
    }

    private func select() {
        switch focus {
        case .customer: customer.selectAll()
        case .lic: lic.selectAll()
        case .location: location.selectAll()
        case .partial: break
        }
    }

    private func move(_ d: Int) {
        focus = fields[((fields.firstIndex(of: focus) ?? 0) + d + fields.count) % fields.count]
        select()
    }

    /// The request these filters make; codes are checked by the Desk when it runs.
    func request() throws -> Desk.ReportRequest {
        var r = original
        func code(_ t: TextFieldState) -> String? {
            let s = t.text.trimmingCharacters(in: .whitespaces).uppercased()
            return s.isEmpty ? nil : s
        }
        r.customer = fields.contains(.customer) ? code(customer) : nil
        r.lic = code(lic)
        r.location = code(location)
        r.partiallyInvoicedOnly = fields.contains(.partial) && partial
        return r
    }

    func handle(_ key: Key, ctx: AppContext) -> Outcome {
        switch keys.action(for: key) {
        case .apply?:
            guard let r = try? request() else { return .keep }
            if let c = r.customer, (try? ctx.desk.customerInfo(c)) ?? nil == nil { error = "unknown customer \(c)"; focus = .customer; return .keep }
            if let l = r.lic, (try? ctx.desk.licInfo(l)) ?? nil == nil { error = "unknown LIC \(l)"; focus = .lic; return .keep }
            if let l = r.location, !ctx.locations.contains(where: { $0.code == l }) { error = "unknown location \(l)"; focus = .location; return .keep }
            return .apply(r)
        case .next?: move(1); return .keep
        case .previous?: move(-1); return .keep
        case .cancel?: return .cancel
        case .toggle?: partial.toggle(); return .keep
        case nil:
            switch key {
            case .f, .ctrl("c"), .resize, .mouse: return .pass
            default: break
            }
            error = nil
            switch focus {
            case .customer: customer.handle(key)
            case .lic: lic.handle(key)
            case .location: location.handle(key)
            case .partial: break
            }
            return .keep
        }
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        buffer.fill(area, style: ctx.style(.normal))
        var x = area.x + 1
        for f in fields {
            let focused = focus == f
            switch f {
            case .customer, .lic, .location:
                let (label, state) = f == .customer ? ("Customer", customer) : f == .lic ? ("LIC", lic) : ("Location", location)
                let r = TextField.render(label: label, state: state, focused: focused, area: Rect(x: x, y: area.y, width: max(0, area.maxX - x), height: 1),
                                         buffer: &buffer, theme: ctx.theme, fieldWidth: f == .location ? 6 : 13)
                x = r.maxX + 2
            case .partial:
                let text = (partial ? "[x]" : "[ ]") + " partially invoiced only"
                buffer.put(text, x: x, y: area.y, style: ctx.style(focused ? .inputFocused : .input), maxWidth: max(0, area.maxX - x))
                x += TextWidth.width(of: text) + 2
            }
        }
        let hint = error.map { "✗ " + $0 } ?? "blank = all · Tab next · Enter applies · Esc keeps the filters as they were"
        Draw.text(hint, at: area, row: 1, x: 1, role: error == nil ? .dim : .inputError, buffer: &buffer, ctx: ctx)
    }
}
