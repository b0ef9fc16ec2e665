import BackorderApp
import BackorderCore
import TerminalKit

/// 6 Preferences: every preference as a typed item (toggles, numbers with limits, choices),
/// editable by admins and read-only, with the reason, for everyone else; the automation
/// schedules 7792 and 8050 with *run now*, which runs on a background thread.
final class PreferencesScreen: Screen {
    let id = ScreenID.preferences

    enum Focus { case preferences, schedules }

    private(set) var focus = Focus.preferences
    private var state = TableState()
    private var scheduleState = TableState()
    /// A number being typed, for the selected preference.
    private var editing: TextFieldState?
    private var editError: String?
    private var runs: [Desk.RunRecord] = []
    private var changes: [Desk.PreferenceChange] = []
    private var visiblePrefs = 15
    private var visibleSchedules = 4
    private var prefsArea = Rect(x: 0, y: 0, width: 0, height: 0)
    private var schedulesArea = Rect(x: 0, y: 0, width: 0, height: 0)

    static let keysInOrder = Preferences.Key.allCases
    static let processes: [ProcessKind] = ProcessKind.allCases

    /// "30 min", "4 h", "24 h": an interval that fits its column.
    static func interval(_ minutes: Int) -> String {
        minutes >= 60 && minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes) min"
    }

    static func shortTitle(_ p: ProcessKind) -> String {
        switch p {
        case .primary: return "Primary"
        case .secondary: return "Secondary"
        case .autoReserve: return "Reserve"
        case .replenish: return "Replenish"
        }
    }

    var capturesText: Bool { editing != nil }

    var unsavedWork: String? { editing.map { "the \(selectedKey.title.lowercased()) you are typing (\($0.text))" } }

    func discardUnsavedWork() {
        editing = nil
        editError = nil
    }

    func willShow(_ ctx: AppContext) {
        if editing?.text.isEmpty == true { discardUnsavedWork() }
    }

    var selectedKey: Preferences.Key { Self.keysInOrder[min(state.selected, Self.keysInOrder.count - 1)] }
    /// The schedule the highlight is on: what `r` and Space act on.
    var selectedSchedule: ProcessKind { Self.processes[min(scheduleState.selected, Self.processes.count - 1)] }

    func reload(_ ctx: AppContext) throws {
        runs = try ctx.desk.runs(limit: 12)
        changes = try ctx.desk.preferenceLog(limit: 50)
    }

    private struct Parts {
        var prefsTitle: Rect, prefs: Rect, explanation: Rect, schedulesTitle: Rect, schedules: Rect
        /// The recent runs and the preferences log, when there is room for them.
        var bottomTitle: Rect?, runs: Rect?, changes: Rect?
    }

    /// What the line under the preferences says: what the selected preference governs, or,
    /// on the schedules, the selected schedule's last result in full (its column cuts it).
    private func explanation(_ ctx: AppContext?) -> String {
        guard focus == .schedules, let ctx else { return selectedKey.explanation }
        let p = Self.processes[min(scheduleState.selected, Self.processes.count - 1)]
        guard let s = ctx.schedules.first(where: { $0.process == p }) else { return p.title }
        let last = s.lastRun.map { "last run \(Format.minute($0))" } ?? "never run"
        return "\(p.scheduleCode) \(p.title), \(last): \(s.lastResult ?? "—") · next \(s.nextRunPhrase(prefs: ctx.prefs, now: ctx.now))"
    }

    private func parts(_ body: Rect) -> Parts {
        let prefsRows = Self.keysInOrder.count + (body.height >= 24 ? 1 : 0)
        let scheduleRows = 1 + Self.processes.count
        // Two rows whatever is selected, so the tables below do not jump as the cursor moves.
        let explain = body.width >= 150 ? 1 : 2
        let spare = body.height - 1 - prefsRows - explain - 1 - scheduleRows
        if spare >= 4 {
            let r = body.rows([.fixed(1), .fixed(prefsRows), .fixed(explain), .fixed(1), .fixed(scheduleRows), .fixed(1), .fill])
            let wide = body.width >= 110
            let bottom = wide ? r[6].columns([.percent(50), .fill], spacing: 1) : [r[6]]
            return Parts(prefsTitle: r[0], prefs: r[1], explanation: r[2], schedulesTitle: r[3], schedules: r[4],
                         bottomTitle: r[5], runs: wide ? bottom[1] : nil, changes: bottom[0])
        }
        let r = body.rows([.fixed(1), .fill, .fixed(explain), .fixed(1), .fixed(scheduleRows)])
        return Parts(prefsTitle: r[0], prefs: r[1], explanation: r[2], schedulesTitle: r[3], schedules: r[4],
                     bottomTitle: nil, runs: nil, changes: nil)
    }

    func fit(body: Rect, ctx: AppContext) throws {
        let p = parts(body)
        visiblePrefs = TerminalKit.Table.visibleRows(in: p.prefs, showHeader: p.prefs.height > Self.keysInOrder.count)
        state.clamp(total: Self.keysInOrder.count, visibleRows: visiblePrefs)
        visibleSchedules = max(1, TerminalKit.Table.visibleRows(in: p.schedules))
        scheduleState.clamp(total: Self.processes.count, visibleRows: visibleSchedules)
    }

    // MARK: - Keys

    enum Action { case change(Int), edit, toSchedules, toPreferences, runNow, toggleSchedule, save, cancelEdit, changesLog, importFile }

    func keys(_ ctx: AppContext) -> KeyTable<Action> {
        let readOnly = ctx.refusal(.admin, "changing preferences")
        if editing != nil {
            return KeyTable("Edit number", [
                KeyBinding(.enter, .save, label: "Save", help: "Save the number (it must be within the limits shown)"),
                KeyBinding(.escape, .cancelEdit, label: "Cancel", help: "Keep the old value"),
            ])
        }
        if focus == .schedules {
            return KeyTable("Automation schedules", [
                KeyBinding(.char("r"), .runNow, label: "Run now",
                           help: "Run the selected process now, in the background; the screen stays usable",
                           disabledReason: ctx.refusal(.supervisor, "running processes now")),
                KeyBinding([.char(" "), .enter], .toggleSchedule, label: "On/off", help: "Turn the selected schedule on or off",
                           disabledReason: readOnly),
                KeyBinding([.tab, .escape], .toPreferences, label: "Preferences", help: "Back to the preferences"),
                KeyBinding(.char("l"), .changesLog, label: "Changes log", help: "Who changed which preference when, from → to"),
                importBinding(ctx),
            ])
        }
        let kind = selectedKey.kind
        var b: [KeyBinding<Action>] = []
        switch kind {
        case .toggle:
            b.append(KeyBinding([.char(" "), .enter], .change(1), label: "Toggle", help: "Turn the selected preference on or off",
                                disabledReason: readOnly))
        case .choice:
            b.append(KeyBinding([.char(" "), .enter, .right], .change(1), label: "Next choice", help: "The next of the choices",
                                disabledReason: readOnly))
            b.append(KeyBinding(.left, .change(-1), label: "Previous", help: "The previous of the choices",
                                disabledReason: readOnly, showInFooter: false))
        case .number:
            b.append(KeyBinding([.enter, .char(" ")], .edit, label: "Edit", help: "Type a new number (digits also start editing)",
                                disabledReason: readOnly))
        }
        b.append(KeyBinding(.tab, .toSchedules, label: "Schedules", help: "Move to the automation schedules (run now, on/off)"))
        b.append(KeyBinding(.char("l"), .changesLog, label: "Changes log", help: "Who changed which preference when, from → to"))
        b.append(importBinding(ctx))
        return KeyTable("Preferences", b)
    }

    private func importBinding(_ ctx: AppContext) -> KeyBinding<Action> {
        KeyBinding(.char("i"), .importFile, label: "Import",
                   help: "Import a CSV file (orders, purchase orders, stock, LICs, customers, vendors, locations) in the background",
                   disabledReason: ctx.jobs.isRunning("import") ? "an import is running" : ctx.refusal(.admin, "importing"),
                   showInFooter: false)
    }

    func footer(_ ctx: AppContext) -> [FooterItem] { keys(ctx).footerItems }

    func help(_ ctx: AppContext) -> [HelpSection] {
        guard editing == nil else { return [keys(ctx).helpSection] }
        let saved = focus
        focus = .preferences
        let a = keys(ctx).helpSection
        focus = .schedules
        let b = keys(ctx).helpSection
        focus = saved
        return [a, b, HelpSection(title: "Moving", entries: [HelpEntry(keys: "↑/↓", help: "Previous / next item")]),
                HelpSection(title: "Safe changes", entries: [
                    HelpEntry(keys: "y / N", help: "A change that alters the desk for everyone (back order management, the entry rules, a schedule on or off) asks first; Enter or Esc keeps the old value"),
                    HelpEntry(keys: "Log", help: "Every change is kept in the preferences log: who, when, from → to (l, or `backorders prefs log`)"),
                ])]
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        if var field = editing {
            switch keys(ctx).action(for: key) {
            case .save?: return saveNumber(ctx)
            case .cancelEdit?:
                editing = nil
                editError = nil
                return .info("Unchanged.")
            default:
                switch key {
                case .f, .ctrl("c"), .resize, .mouse: return nil
                default: break
                }
                if field.handle(key) == .edited { editError = nil }
                editing = field
                return .redraw
            }
        }
        if case .mouse(_, let y, .leftClick) = key {
            if prefsArea.contains(x: prefsArea.x, y: y),
               let i = TerminalKit.Table.rowIndex(atY: y, area: prefsArea, state: state, total: Self.keysInOrder.count,
                                                  showHeader: prefsArea.height > Self.keysInOrder.count) {
                focus = .preferences
                state.select(i, total: Self.keysInOrder.count, visibleRows: visiblePrefs)
                return .redraw
            }
            if schedulesArea.contains(x: schedulesArea.x, y: y),
               let i = TerminalKit.Table.rowIndex(atY: y, area: schedulesArea, state: scheduleState, total: Self.processes.count) {
                focus = .schedules
                scheduleState.select(i, total: Self.processes.count, visibleRows: visibleSchedules)
                return .redraw
            }
            return nil
        }
        if focus == .preferences {
            if state.handle(key, total: Self.keysInOrder.count, visibleRows: visiblePrefs) { return .redraw }
            if case .number = selectedKey.kind, case .char(let c) = key, c.isNumber, ctx.refusal(.admin, "changing preferences") == nil {
                editing = .numeric(nil, maxLength: 6)
                editing?.insert(String(c))
                return .redraw
            }
        } else if scheduleState.handle(key, total: Self.processes.count, visibleRows: visibleSchedules) {
            return .redraw
        }
        return dispatch(keys(ctx), key) { perform($0, ctx: ctx) }
    }

    private func perform(_ action: Action, ctx: AppContext) -> Effect {
        let key = selectedKey
        switch action {
        case .change(let d):
            switch key.kind {
            case .toggle:
                return set(key, ctx.prefs.value(key) == "true" ? "false" : "true", ctx: ctx)
            case .choice(let words):
                let i = words.firstIndex(of: ctx.prefs.value(key)) ?? 0
                return set(key, words[(i + d + words.count) % words.count], ctx: ctx)
            case .number:
                return .redraw
            }
        case .edit:
            editing = .numeric(Int(ctx.prefs.value(key)), maxLength: 6)
            editing?.selectAll()
            editError = nil
            return .redraw
        case .changesLog:
            return .modal(PreferenceLogModal(changes: changes))
        case .importFile:
            return .modal(ImportModal(directory: ctx.exportDirectory))
        case .save, .cancelEdit:
            return .redraw
        case .toSchedules:
            focus = .schedules
            return .redraw
        case .toPreferences:
            focus = .preferences
            return .redraw
        case .toggleSchedule:
            let p = selectedSchedule
            let k: Preferences.Key
            switch p {
            case .primary: k = .primaryEnabled
            case .secondary: k = .secondaryEnabled
            case .autoReserve: k = .autoBackorder
            case .replenish: k = .autoGeneratePOs
            }
            return set(k, ctx.prefs.value(k) == "true" ? "false" : "true", ctx: ctx)
        case .runNow:
            let p = selectedSchedule
            let title = "\(p.scheduleCode) \(p.title)"
            guard !ctx.jobs.isRunning(p.rawValue) else { return .info("\(title) is already running.") }
            let desk = ctx.desk
            return .all([.run(BackgroundJob(id: p.rawValue, title: title) { progress in
                do {
                    let r = try desk.runProcess(p) { progress.update(done: $0, total: $1, unit: "LIC(s)") }
                    let s = r.stats
                    return JobOutcome(id: p.rawValue, message: "\(title): \(r.keys) LIC(s), \(s.linesFilled) line(s) filled, \(s.unitsAllotted) unit(s) allotted, \(s.shipmentsCreated) shipment(s) created, \(s.shipmentsAppended) appended.", failed: false)
                } catch {
                    return JobOutcome(id: p.rawValue, message: "\(title) did not run: \(describe(error))", failed: true)
                }
            }), .info("Running \(title)… the screen stays usable.")])
        }
    }

    /// Sets a preference; one that alters the desk for everyone asks first ("Turn off back order
    /// management for everyone? [y/N]").
    private func set(_ key: Preferences.Key, _ value: String, ctx: AppContext) -> Effect {
        let apply = {
            Effect.attempt {
                let p = try ctx.desk.setPreference(key.rawValue, value)
                return .all([.reload, .success("\(key.title): \(self.display(key, p)). Logged in the preferences log.")])
            }
        }
        guard key.altersDeskForEveryone else { return apply() }
        var next = ctx.prefs
        guard (try? next.set(key, to: value)) != nil else { return apply() }
        return .modal(ConfirmModal(title: Self.question(key, from: ctx.prefs, to: next),
                                   message: key.explanation + " Every terminal follows the new setting at once; the change is logged.",
                                   yesLabel: Self.yesLabel(key, to: next)) { apply() })
    }

    /// "Turn off back order management for everyone?", "Change the split prompt from ask to always for everyone?"
    static func question(_ key: Preferences.Key, from: Preferences, to: Preferences) -> String {
        switch key.kind {
        case .toggle:
            return "Turn \(to.value(key) == "true" ? "on" : "off") \(subject(key)) for everyone?"
        default:
            return "Change \(subject(key)) from \(from.value(key)) to \(to.value(key)) for everyone?"
        }
    }

    static func yesLabel(_ key: Preferences.Key, to: Preferences) -> String {
        switch key.kind {
        case .toggle: return to.value(key) == "true" ? "Turn it on" : "Turn it off"
        default: return "Change it"
        }
    }

    /// What a preference is called in a question.
    static func subject(_ key: Preferences.Key) -> String {
        switch key {
        case .backorderManagement: return "back order management"
        case .fairQueue: return "the fair queue at entry"
        case .splitPrompt: return "the split prompt"
        case .defaultPolicy: return "the default fulfillment policy"
        case .processReceiptsOnPosting: return "processing receipts on posting"
        case .primaryEnabled: return "schedule 7792 Primary Backorder Process"
        case .secondaryEnabled: return "schedule 8050 Secondary Backorder Process"
        case .autoBackorder: return "automatic back order items (and schedule 8101)"
        case .autoGeneratePOs: return "auto-generated draft purchase orders (schedule 8102)"
        default: return key.title.lowercased()
        }
    }

    private func saveNumber(_ ctx: AppContext) -> Effect {
        guard let field = editing else { return .redraw }
        let key = selectedKey
        if case .number(let range) = key.kind, field.integerError(range: range) != nil {
            editError = limits(key)
            return .error("\(key.title) takes a whole number from \(limits(key)); nothing changed.")
        }
        do {
            let p = try ctx.desk.setPreference(key.rawValue, field.text)
            editing = nil
            editError = nil
            return .all([.reload, .success("\(key.title): \(display(key, p))")])
        } catch {
            editError = limits(key)
            return .error(error)
        }
    }

    private func display(_ key: Preferences.Key, _ prefs: Preferences) -> String {
        let v = prefs.value(key)
        switch key.kind {
        case .toggle: return v == "true" ? "[x] on" : "[ ] off"
        case .number:
            switch key {
            case .primaryIntervalMinutes, .secondaryIntervalMinutes, .autoReserveIntervalMinutes,
                 .replenishIntervalMinutes: return v + " min"
            case .maxDaysOut: return v == "0" ? "0 (none)" : v + " days"
            default: return v
            }
        case .choice: return v
        }
    }

    private func limits(_ key: Preferences.Key) -> String {
        switch key.kind {
        case .toggle: return "on / off"
        case .number(let r): return "\(Format.grouped(r.lowerBound))–\(Format.grouped(r.upperBound))"
        case .choice(let words): return words.joined(separator: " · ")
        }
    }

    // MARK: - Drawing

    func render(body: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let p = parts(body)
        let readOnly = ctx.refusal(.admin, "changing preferences")
        Draw.rule("Preferences", right: readOnly == nil ? "you may change these (admin)" : "read-only: changing them needs the admin role",
                  area: p.prefsTitle, focused: focus == .preferences, buffer: &buffer, ctx: ctx)
        prefsArea = p.prefs
        let showHeader = p.prefs.height > Self.keysInOrder.count
        let wide = p.prefs.width >= 110, widest = p.prefs.width >= 150
        var columns = [TableColumn("Setting", width: .fill, minWidth: 20), TableColumn("Value", width: .fixed(wide ? 14 : 18))]
        if wide { columns.append(TableColumn("Accepts", width: .fill, minWidth: 18)) }
        if widest { columns.append(TableColumn("prefs set KEY", width: .fixed(28))) }
        let shown = Self.keysInOrder.dropFirst(state.offset).prefix(visiblePrefs)
        let rows = shown.map { k -> [String] in
            var r = [k.title, display(k, ctx.prefs)]
            if wide { r.append(limits(k)) }
            if widest { r.append(k.rawValue) }
            return r
        }
        let styles: [ThemeRole?] = shown.map { _ in readOnly == nil ? nil : ThemeRole.dim }
        TerminalKit.Table.render(columns: columns, rows: rows, rowStyles: styles, state: state, total: Self.keysInOrder.count,
                                 focused: focus == .preferences, area: p.prefs, buffer: &buffer, theme: ctx.theme,
                                 showHeader: showHeader, showPosition: false)
        if readOnly == nil {
            let valueRoles: [ThemeRole?] = shown.map { k in
                guard case .toggle = k.kind else { return nil }
                return ctx.prefs.value(k) == "true" ? .good : .dim
            }
            Draw.tint(column: 1, roles: valueRoles, columns: columns, area: p.prefs, state: state, showHeader: showHeader,
                      buffer: &buffer, ctx: ctx)
        }
        let explained = TextWidth.wrap(explanation(ctx), width: max(10, p.explanation.width - 2))
        for (i, line) in explained.prefix(p.explanation.height).enumerated() {
            let cut = i == p.explanation.height - 1 && explained.count > p.explanation.height
            Draw.text(cut ? line + " …" : line, at: p.explanation, row: i, x: 1, role: .dim, buffer: &buffer, ctx: ctx)
        }
        if let field = editing {
            let widths = TerminalKit.Table.columnWidths(columns, totalWidth: p.prefs.width)
            let x = p.prefs.x + widths[0] + TerminalKit.Table.columnSpacing
            let y = p.prefs.y + (showHeader ? 1 : 0) + state.selected - state.offset
            let hint = editError.map { "✗ " + $0 } ?? limits(selectedKey)
            buffer.fill(Rect(x: x, y: y, width: p.prefs.maxX - x, height: 1), style: ctx.style(.normal))
            let input = TextField.render(label: "", state: field, focused: true, area: Rect(x: x, y: y, width: 6, height: 1),
                                         buffer: &buffer, theme: ctx.theme, fieldWidth: 6)
            buffer.put(" " + hint, x: input.maxX, y: y, style: ctx.style(editError == nil ? .dim : .inputError),
                       maxWidth: p.prefs.maxX - input.maxX)
        }

        let runner = ctx.scheduleRunner.map { "run by \($0)" } ?? "run by this desk while no scheduler service runs"
        Draw.rule("Automation schedules", right: ctx.prefs.backorderManagement ? runner : "idle: back order management is off",
                  area: p.schedulesTitle, focused: focus == .schedules, buffer: &buffer, ctx: ctx)
        schedulesArea = p.schedules
        let scheduleColumns = [
            TableColumn("Code", width: .fixed(4)),
            TableColumn("Process", width: .fixed(wide ? 28 : 9)),
            TableColumn("On", width: .fixed(3)),
            TableColumn("Every", width: .fixed(7), alignment: .right),
            TableColumn("Last run", width: .fixed(16)),
            TableColumn("Next run", width: .fixed(16)),
            TableColumn("Last result", width: .fill, minWidth: 8),
        ]
        let scheduleRows = Self.processes.map { proc -> [String] in
            let s = ctx.schedules.first { $0.process == proc }
            let running = ctx.jobs.isRunning(proc.rawValue)
            let result = running ? "running…" : (s?.lastResult ?? "—")
            return [String(proc.scheduleCode), wide ? proc.title : Self.shortTitle(proc),
                    s?.enabled == true ? "yes" : "no", s.map { Self.interval($0.intervalMinutes) } ?? "",
                    Format.minute(s?.lastRun), Format.minute(s?.nextRun), result]
        }
        let scheduleStyles: [ThemeRole?] = Self.processes.map { proc in
            if ctx.jobs.isRunning(proc.rawValue) { return .warning }
            let last = ctx.schedules.first { $0.process == proc }?.lastResult ?? ""
            return last.hasPrefix("error") ? .error : nil
        }
        TerminalKit.Table.render(columns: scheduleColumns, rows: scheduleRows, rowStyles: scheduleStyles, state: scheduleState,
                                 total: Self.processes.count, focused: focus == .schedules, area: p.schedules, buffer: &buffer,
                                 theme: ctx.theme, showPosition: false)

        if let title = p.bottomTitle, let changesArea = p.changes {
            let halves = p.runs == nil ? [title] : title.columns([.percent(50), .fill], spacing: 1)
            Draw.rule("Preference changes", right: changes.isEmpty ? "none yet" : "l: all", area: halves[0], focused: false,
                      buffer: &buffer, ctx: ctx)
            let changeColumns = [
                TableColumn("At", width: .fixed(16)),
                TableColumn("Who", width: .fixed(9)),
                TableColumn("Setting", width: .fill, minWidth: 10),
                TableColumn("From → to", width: .fixed(20)),
            ]
            let changeRows = changes.prefix(max(0, changesArea.height - 1)).map { c in
                [Format.minute(c.at), c.actor, c.key.title, "\(c.from) → \(c.to)"]
            }
            TerminalKit.Table.render(columns: changeColumns, rows: Array(changeRows), state: TableState(selected: -1),
                                     total: changeRows.count, focused: false, area: changesArea, buffer: &buffer, theme: ctx.theme,
                                     showPosition: false, emptyMessage: "No preference has been changed yet")
            if halves.count > 1, let area = p.runs { renderRuns(title: halves[1], area: area, buffer: &buffer, ctx: ctx) }
        }
    }

    private func renderRuns(title: Rect, area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        Draw.rule("Recent process runs", right: runs.isEmpty ? "none" : nil, area: title, focused: false, buffer: &buffer, ctx: ctx)
        let columns = [
            TableColumn("Run", width: .fixed(4), alignment: .right),
            TableColumn("Process", width: .fixed(9)),
            TableColumn("Started", width: .fixed(11)),
            TableColumn("By", width: .fixed(11)),
            TableColumn("Filled", width: .fixed(6), alignment: .right),
            TableColumn("Units", width: .fixed(6), alignment: .right),
            TableColumn("Error", width: .fill),
        ]
        let rows = runs.prefix(max(0, area.height - 1)).map { r in
            [String(r.id), r.process, String(Format.minute(r.startedAt).dropFirst(5)), r.actor, String(r.stats.linesFilled),
             String(r.stats.unitsAllotted), r.error ?? (r.finishedAt == nil ? "running…" : "")]
        }
        TerminalKit.Table.render(columns: columns, rows: Array(rows), state: TableState(selected: -1), total: rows.count,
                                 focused: false, area: area, buffer: &buffer, theme: ctx.theme, showPosition: false,
                                 emptyMessage: "No process has run yet")
    }
}
