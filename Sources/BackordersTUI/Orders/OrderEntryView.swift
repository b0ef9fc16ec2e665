import BackorderApp
import BackorderCore
import TerminalKit

/// How the order entry form looks: the header fields one per row with their hint or error
/// beside them, then the lines with the live available figure, what will happen to each
/// line, and the split question inline under the line it is about.
extension OrderEntryForm {
    static let labelWidth = 9

    private struct Columns {
        var number = 1, lic = 5, licWidth = 16
        var description = 22, descriptionWidth = 10
        var qty = 0, qtyWidth = 10
        var available = 0, availableWidth = 7
        var result = 0, resultWidth = 0

        init(width: Int) {
            let fixed = lic + licWidth + 1 + 1 + qtyWidth + 1 + availableWidth + 2
            let rest = max(0, width - fixed)
            resultWidth = max(22, min(32, rest - 24))
            descriptionWidth = max(4, rest - resultWidth)
            description = lic + licWidth + 1
            qty = description + descriptionWidth + 1
            available = qty + qtyWidth + 1
            result = available + availableWidth + 2
            resultWidth = max(0, width - result)
        }
    }

    func render(body: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        buffer.fill(body, style: ctx.style(.normal))
        Draw.rule("New order", right: "entering as \(ctx.user.name)", area: body, buffer: &buffer, ctx: ctx)
        var anchor: Rect?

        func field(_ row: Int, _ label: String, _ state: TextFieldState, _ f: Field, width: Int,
                   error: String?, hint: String) {
            let y = body.y + row
            let focused = focus == f && question == nil
            let input = TextField.render(label: label, state: state, focused: focused, error: nil,
                                         area: Rect(x: body.x + 1, y: y, width: body.width - 2, height: 1),
                                         buffer: &buffer, theme: ctx.theme, labelWidth: Self.labelWidth, fieldWidth: width)
            if error != nil && !focused { buffer.setStyle(input, style: ctx.style(.input).patched(with: ctx.style(.inputError))) }
            let side = Rect(x: input.maxX + 2, y: y, width: max(0, body.maxX - input.maxX - 3), height: 1)
            if let error {
                Draw.text(error, at: side, role: .inputError, buffer: &buffer, ctx: ctx)
            } else {
                Draw.text(hint, at: side, role: .dim, buffer: &buffer, ctx: ctx)
            }
            if focused { anchor = input }
        }

        let customerHint = customerInfo.map { "\($0.name) · default priority \($0.priority)" } ?? "type a code or part of a name"
        field(1, "Customer", customer, .customer, width: 18, error: customerError, hint: customerHint)
        let locationName = ctx.locations.first { $0.code == location.text.uppercased() }?.name ?? ""
        field(2, "Location", location, .location, width: 10, error: locationError, hint: locationName)
        renderPolicy(row: 3, body: body, buffer: &buffer, ctx: ctx)
        let priorityHint = priority.text.isEmpty ? "blank = the customer's default; higher ships first (0–9)" : "higher ships first (0–9)"
        field(4, "Priority", priority, .priority, width: 3, error: priorityError, hint: priorityHint)
        field(5, "Schedule", schedule, .schedule, width: 12, error: scheduleError, hint: "optional date, YYYY-MM-DD")
        field(6, "Deposit $", deposit, .deposit, width: 12, error: depositError, hint: "optional prepaid cash, like 125.50")
        if let formError {
            Draw.text(formError, at: body.inset(left: 1, right: 1), row: 7, role: .error, buffer: &buffer, ctx: ctx)
        }

        let cols = Columns(width: body.width)
        let headerY = body.y + 8
        let headStyle = ctx.style(.columnHeader)
        buffer.fill(Rect(x: body.x, y: headerY, width: body.width, height: 1), style: headStyle)
        for (x, w, title, align) in [(cols.number, 3, "#", TextWidth.Alignment.right), (cols.lic, cols.licWidth, "LIC", .left),
                                     (cols.description, cols.descriptionWidth, "Description", .left),
                                     (cols.qty, cols.qtyWidth, "Qty", .left), (cols.available, cols.availableWidth, "Avail", .right),
                                     (cols.result, cols.resultWidth, "What happens", .left)] where w > 0 {
            buffer.put(TextWidth.pad(title, toWidth: w, alignment: align), x: body.x + x, y: headerY, style: headStyle)
        }

        // Lines, scrolled so the focused one (with its question) shows.
        let area = Rect(x: body.x, y: headerY + 1, width: body.width, height: max(0, body.maxY - headerY - 1))
        let heights = lines.indices.map(rowsFor)
        let focusLine = question ?? focus.line ?? 0
        if focusLine < lineScroll { lineScroll = focusLine }
        while lineScroll < focusLine && heights[lineScroll...focusLine].reduce(0, +) > area.height { lineScroll += 1 }
        lineScroll = min(lineScroll, max(0, lines.count - 1))
        var y = area.y
        if lineScroll > 0 {
            Draw.text("↑ \(lineScroll) more", at: Rect(x: body.x + cols.result, y: headerY, width: cols.resultWidth, height: 1),
                      role: .columnHeader, buffer: &buffer, ctx: ctx)
        }
        for i in lineScroll..<lines.count {
            guard y + heights[i] <= area.maxY || y == area.y else {
                Draw.text("↓ \(lines.count - i) more line(s)", at: Rect(x: body.x + cols.lic, y: area.maxY - 1, width: 30, height: 1),
                          role: .dim, buffer: &buffer, ctx: ctx)
                break
            }
            if let a = renderLine(i, y: y, body: body, cols: cols, buffer: &buffer, ctx: ctx) { anchor = a }
            y += heights[i]
        }

        if let anchor, !completion.isEmpty, question == nil {
            CompletionList.render(items: completion, state: completionState, anchor: anchor, maxVisible: 6,
                                  bounds: body, buffer: &buffer, theme: ctx.theme)
        }
    }

    /// Screen rows line `i` takes: the line, its question, and the two lines a Yes makes.
    private func rowsFor(_ i: Int) -> Int {
        var n = 1
        if question == i { n += 1 }
        if lines[i].answer == .yes && (lines[i].available ?? 0) > 0 && lines[i].shortBy != nil && question != i { n += 2 }
        return n
    }

    private func renderPolicy(row: Int, body: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let y = body.y + row
        let focused = focus == .policy && question == nil
        buffer.put(TextWidth.pad("Policy", toWidth: Self.labelWidth), x: body.x + 1, y: y,
                   style: ctx.style(focused ? .title : .normal))
        let text = policy.label + (focused ? " ▸" : "  ")
        let box = Rect(x: body.x + 2 + Self.labelWidth, y: y, width: min(TextWidth.width(of: text) + 1, body.width - 12), height: 1)
        buffer.fill(box, style: ctx.style(focused ? .inputFocused : .input))
        buffer.put(text, x: box.x, y: y, style: ctx.style(focused ? .inputFocused : .input), maxWidth: box.width)
        let hint = focused ? "Space or ←/→ changes it" : "default from preferences"
        Draw.text(hint, at: Rect(x: box.maxX + 2, y: y, width: max(0, body.maxX - box.maxX - 3), height: 1),
                  role: .dim, buffer: &buffer, ctx: ctx)
    }

    /// Draws line `i` from row `y`; returns the focused input's rect, if it is on this line.
    private func renderLine(_ i: Int, y: Int, body: Rect, cols: Columns, buffer: inout ScreenBuffer, ctx: AppContext) -> Rect? {
        let line = lines[i]
        var anchor: Rect?
        let onLine = focus.line == i
        if onLine { buffer.put("›", x: body.x, y: y, style: ctx.style(.title)) }
        buffer.put(TextWidth.pad(String(i + 1), toWidth: 3, alignment: .right), x: body.x + cols.number, y: y,
                   style: ctx.style(onLine ? .title : .normal))

        let licFocused = focus == .lic(i) && question == nil
        let licRect = TextField.render(label: "", state: line.lic, focused: licFocused, error: nil,
                                       area: Rect(x: body.x + cols.lic, y: y, width: cols.licWidth, height: 1),
                                       buffer: &buffer, theme: ctx.theme, fieldWidth: cols.licWidth)
        if line.licError != nil && !licFocused { buffer.setStyle(licRect, style: ctx.style(.input).patched(with: ctx.style(.inputError))) }
        if licFocused { anchor = licRect }
        if let info = line.info {
            buffer.put(TextWidth.truncate(info.description, toWidth: cols.descriptionWidth), x: body.x + cols.description, y: y,
                       style: ctx.style(.dim))
        }
        let qtyFocused = focus == .qty(i) && question == nil
        let qtyRect = TextField.render(label: "", state: line.qty, focused: qtyFocused || question == i, error: nil,
                                       area: Rect(x: body.x + cols.qty, y: y, width: cols.qtyWidth, height: 1),
                                       buffer: &buffer, theme: ctx.theme, fieldWidth: cols.qtyWidth)
        if line.qtyError != nil && !qtyFocused { buffer.setStyle(qtyRect, style: ctx.style(.input).patched(with: ctx.style(.inputError))) }
        if qtyFocused { anchor = qtyRect }
        let availText = line.info?.inventoried == false ? "—" : line.available.map(Format.grouped) ?? ""
        buffer.put(TextWidth.pad(availText, toWidth: cols.availableWidth, alignment: .right), x: body.x + cols.available, y: y,
                   style: ctx.style(line.shortBy != nil ? .warning : .allotted))

        let (result, role) = outcome(i, ctx: ctx)
        buffer.put(TextWidth.truncate(result, toWidth: cols.resultWidth), x: body.x + cols.result, y: y, style: ctx.style(role))

        if question == i, let a = line.available, let n = line.quantity {
            var q = a == 0
                ? InlineQuestion("None of \(Format.grouped(n)) available. Ship as it arrives?", choices: [
                    QuestionChoice(.char("y"), "Yes", 0), QuestionChoice(.char("n"), "No, wait for all \(Format.grouped(n))", 1),
                    QuestionChoice(.escape, "back", 2),
                ])
                : InlineQuestion("Only \(Format.grouped(a)) of \(Format.grouped(n)) available. Split by availability?", choices: [
                    QuestionChoice(.char("y"), "Yes", 0), QuestionChoice(.char("n"), "No", 1), QuestionChoice(.escape, "back", 2),
                ])
            // The question and its answers whole: from the LIC column, or from the left edge when
            // that is too narrow; Esc (in the footer too) is the first to go.
            var x = body.x + cols.lic
            if TextWidth.width(of: q.line) > body.maxX - x { x = body.x + 1 }
            if TextWidth.width(of: q.line) > body.maxX - x { q.choices.removeLast() }
            q.render(area: Rect(x: x, y: y + 1, width: body.maxX - x, height: 1), buffer: &buffer, theme: ctx.theme)
        } else if line.answer == .yes, let a = line.available, a > 0, let short = line.shortBy, let info = line.info {
            // A Yes shows the two lines the order will get.
            for (k, (qty, text, role)) in [(a, "allotted now", ThemeRole.allotted), (short, "backordered", .backordered)].enumerated() {
                let ry = y + 1 + k
                buffer.put(k == 0 ? "├" : "└", x: body.x + cols.lic, y: ry, style: ctx.style(.dim))
                buffer.put(TextWidth.truncate(info.code, toWidth: cols.licWidth - 2), x: body.x + cols.lic + 2, y: ry, style: ctx.style(.normal))
                buffer.put("split line", x: body.x + cols.description, y: ry, style: ctx.style(.dim), maxWidth: cols.descriptionWidth)
                buffer.put(Format.grouped(qty), x: body.x + cols.qty, y: ry, style: ctx.style(.normal))
                buffer.put(text, x: body.x + cols.result, y: ry, style: ctx.style(role), maxWidth: cols.resultWidth)
            }
        }
        return anchor
    }

    /// What will happen to line `i` when the order is saved, in a few words.
    func outcome(_ i: Int, ctx: AppContext) -> (String, ThemeRole) {
        let line = lines[i]
        if let e = line.licError { return (e, .inputError) }
        if let e = line.qtyError { return (e, .inputError) }
        guard let info = line.info else { return ("", .normal) }
        if !info.inventoried { return ("service: needs no stock", .dim) }
        guard let n = line.quantity, let a = line.available else { return (line.available.map { "\(Format.grouped($0)) available" } ?? "", .dim) }
        guard let short = line.shortBy else { return ("allot \(Format.grouped(n)) now", .allotted) }
        let prefs = ctx.prefs
        if !prefs.backorderManagement { return ("short \(short): stays unmet", .warning) }
        if a == 0 {
            switch (prefs.splitPrompt, line.answer) {
            case (.always, _), (.ask, .yes?): return ("BO, ships as it comes", .backordered)
            case (.never, _), (.ask, .no?): return ("whole line BO", .backordered)
            case (.ask, nil): return (question == i ? "none free: answer below" : "none free: Enter asks", .warning)
            }
        }
        switch (prefs.splitPrompt, line.answer) {
        case (.always, _), (.ask, .yes?): return ("split: \(a) now + \(short) BO", .backordered)
        case (.never, _), (.ask, .no?): return ("whole line BO", .backordered)
        case (.ask, nil): return (question == i ? "short \(short): answer below" : "short \(short): Enter asks", .warning)
        }
    }
}
