import BackorderApp
import BackorderCore
import TerminalKit

/// 6 Preferences: every preference as a typed item (toggles, numbers with limits, choices),
/// editable by admins and read-only, with the reason, for everyone else; the automation
/// schedules 7792 and 8050 with *run now*, which runs on a background thread. State and what
/// the actions do; the key tables are in `+Keys`, the drawing in `+Drawing`.
final class PreferencesScreen: Screen {
    let id = ScreenID.preferences

    enum Focus { case preferences, schedules }

    private(set) var focus = Focus.preferences
    var state = TableState()
    var scheduleState = TableState()
    /// A number being typed, for the selected preference.
    var editing: TextFieldState?
    var editError: String?
    var runs: [Desk.RunRecord] = []
    var changes: [Desk.PreferenceChange] = []
    var visiblePrefs = 15
    var visibleSchedules = 4
    var prefsArea = Rect(x: 0, y: 0, width: 0, height: 0)
    var schedulesArea = Rect(x: 0, y: 0, width: 0, height: 0)

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

    struct Parts {
        var prefsTitle: Rect, prefs: Rect, explanation: Rect, schedulesTitle: Rect, schedules: Rect
        /// The recent runs and the preferences log, when there is room for them.
        var bottomTitle: Rect?, runs: Rect?, changes: Rect?
    }

    /// What the line under the preferences says: what the selected preference governs, or,
    /// on the schedules, the selected schedule's last result in full (its column cuts it).
    func explanation(_ ctx: AppContext?) -> String {
        guard focus == .schedules, let ctx else { return selectedKey.explanation }
        let p = Self.processes[min(scheduleState.selected, Self.processes.count - 1)]
        guard let s = ctx.schedules.first(where: { $0.process == p }) else { return p.title }
        let last = s.lastRun.map { "last run \(Format.minute($0))" } ?? "never run"
        return "\(p.scheduleCode) \(p.title), \(last): \(s.lastResult ?? "—") · next \(s.nextRunPhrase(prefs: ctx.prefs, now: ctx.now))"
    }

    func parts(_ body: Rect) -> Parts {
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

    // MARK: - Keys and effects

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
        return dispatch(keys(ctx), key) { perform($0, key: key, ctx: ctx) }
    }

    /// Moving in the focused pane; a click selects the preference or schedule under it.
    func move(_ m: ListMove, key: Key) -> Effect {
        switch m {
        case .move(let tm):
            if focus == .preferences {
                state.apply(tm, total: Self.keysInOrder.count, visibleRows: visiblePrefs)
            } else {
                scheduleState.apply(tm, total: Self.processes.count, visibleRows: visibleSchedules)
            }
        case .click:
            guard case .mouse(let x, let y, _) = key else { return .redraw }
            if prefsArea.contains(x: x, y: y),
               let i = TerminalKit.Table.rowIndex(atY: y, area: prefsArea, state: state, total: Self.keysInOrder.count,
                                                  showHeader: prefsArea.height > Self.keysInOrder.count) {
                focus = .preferences
                state.select(i, total: Self.keysInOrder.count, visibleRows: visiblePrefs)
            } else if schedulesArea.contains(x: x, y: y),
                      let i = TerminalKit.Table.rowIndex(atY: y, area: schedulesArea, state: scheduleState, total: Self.processes.count) {
                focus = .schedules
                scheduleState.select(i, total: Self.processes.count, visibleRows: visibleSchedules)
            }
        }
        return .redraw
    }

    func perform(_ action: Action, key pressed: Key, ctx: AppContext) -> Effect {
        let key = selectedKey
        switch action {
        case .move(let m):
            return move(m, key: pressed)
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
        case .typeDigit:
            guard case .char(let digit) = pressed else { return .redraw }
            editing = .numeric(nil, maxLength: 6)
            editing?.insert(String(digit))
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
                    return JobOutcome(id: p.rawValue, message: "\(p.scheduleCode) " + r.sentence, failed: false)
                } catch {
                    return JobOutcome(id: p.rawValue, message: "\(title) did not run: \(describe(error))", failed: true)
                }
            }), .info("Running \(title)… the screen stays usable.")])
        }
    }

    /// Sets a preference; one that alters the desk for everyone asks first ("Turn off back order
    /// management for everyone? [y/N]").
    func set(_ key: Preferences.Key, _ value: String, ctx: AppContext) -> Effect {
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

    func saveNumber(_ ctx: AppContext) -> Effect {
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

    func display(_ key: Preferences.Key, _ prefs: Preferences) -> String {
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

    func limits(_ key: Preferences.Key) -> String {
        switch key.kind {
        case .toggle: return "on / off"
        case .number(let r): return "\(Format.grouped(r.lowerBound))–\(Format.grouped(r.upperBound))"
        case .choice(let words): return words.joined(separator: " · ")
        }
    }
}
