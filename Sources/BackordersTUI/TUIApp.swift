import BackorderApp
import BackorderCore
import Foundation
import TerminalKit

/// The terminal UI: reads keys from a `TerminalBackend`, dispatches them through the focused
/// pane's key table, applies the effects the actions return, and draws the whole screen into
/// a `ScreenBuffer` for the backend. Long operations run in the background; other processes'
/// commits reload what is shown within about a second.
public final class TUIApp {
    public struct Options {
        /// The database file's name, as the header shows it.
        public var databaseName: String
        /// Why the chosen theme could not be used, for the status line.
        public var themeProblem: String?
        /// How long a key read waits, so jobs and other processes' changes show promptly.
        public var keyTimeoutMs = 150
        /// How often the database is asked whether another process committed.
        public var pollSeconds = 0.25
        /// A first message for the status line (the demo's hints).
        public var welcome: String?
        /// Where an export from the Reports screen goes unless the user types another folder.
        public var exportDirectory = FileManager.default.currentDirectoryPath
        /// How often the desk looks for due schedules to run itself while no scheduler service
        /// runs them (0: never).
        public var scheduleCheckSeconds = 5.0

        public init(databaseName: String, themeProblem: String? = nil) {
            self.databaseName = databaseName
            self.themeProblem = themeProblem
        }
    }

    let ctx: AppContext
    let options: Options
    let orders = OrdersScreen()
    let backorders = BackordersScreen()
    let items = ItemsScreen()
    let purchasing = PurchasingScreen()
    let reports = ReportsScreen()
    let preferences = PreferencesScreen()
    private(set) var current = ScreenID.orders
    private(set) var modal: Modal?
    private(set) var status: StatusMessage? {
        didSet { if let status, status != oldValue { messages.append((ctx.now, status)); messages = messages.suffix(50) } }
    }
    /// Recent status messages, oldest first, for `m` (the status line may cut a long one).
    private(set) var messages: [(at: Moment, message: StatusMessage)] = []
    private(set) var quitRequested = false
    private var stale = Set(ScreenID.allCases)
    private var watcher: DeskChanges?
    private var lastPoll: UInt64 = 0
    private var lastScheduleCheck: UInt64 = 0
    /// Runs the due schedules while no service does (see `runDueSchedules`).
    private let schedules: Scheduler
    private var tabRanges: [Range<Int>] = []
    private var tabsRow = 1

    public init(desk: Desk, theme: Theme, options: Options) throws {
        self.options = options
        schedules = desk.deskScheduler()
        ctx = AppContext(desk: desk, theme: theme, databaseName: options.databaseName, jobs: JobRunner())
        ctx.exportDirectory = options.exportDirectory
        try ctx.reloadShared()
        watcher = try? desk.changes()
        if let welcome = options.welcome { status = StatusMessage(.info, welcome) }
        if let problem = options.themeProblem { status = StatusMessage(.warning, problem) }
    }

    func screen(_ id: ScreenID) -> Screen {
        switch id {
        case .orders: return orders
        case .backorders: return backorders
        case .items: return items
        case .purchasing: return purchasing
        case .reports: return reports
        case .preferences: return preferences
        }
    }

    var currentScreen: Screen { screen(current) }

    /// True while a text field or a dialog has the keys.
    var capturesText: Bool { modal != nil || currentScreen.capturesText }

    // MARK: - The loop

    /// Runs until the user quits or the terminal goes away; returns the exit status.
    public func run(on backend: TerminalBackend) -> Int32 {
        var dirty = true
        while !quitRequested && !backend.terminalGone {
            if dirty {
                backend.draw(frame(size: backend.size))
                dirty = false
            }
            if let key = backend.readKey(timeoutMs: options.keyTimeoutMs) {
                handle(key, size: backend.size)
                dirty = true
            }
            if tick() { dirty = true }
        }
        if !ctx.jobs.running.isEmpty && !backend.terminalGone {
            status = StatusMessage(.warning, "Waiting for \(ctx.jobs.running.joined(separator: ", ")) to finish before quitting…")
            backend.draw(frame(size: backend.size))
        }
        ctx.jobs.waitForAll()
        return 0
    }

    /// Job results and other processes' changes; true when the screen must be drawn again.
    func tick() -> Bool {
        var changed = false
        for outcome in ctx.jobs.drain() {
            if !outcome.quiet { status = StatusMessage(outcome.failed ? .error : .success, outcome.message) }
            reloadShown()
            if outcome.then == .showDraftPurchaseOrders, !outcome.failed {
                do { try purchasing.showDrafts(ctx) } catch { status = StatusMessage(.error, describe(error)) }
            }
            changed = true
        }
        let now = DispatchTime.now().uptimeNanoseconds
        if Double(now - lastPoll) / 1e9 >= options.pollSeconds {
            lastPoll = now
            if refreshIfChanged() { changed = true }
        }
        if options.scheduleCheckSeconds > 0, Double(now - lastScheduleCheck) / 1e9 >= options.scheduleCheckSeconds {
            lastScheduleCheck = now
            if runDueSchedules() { changed = true }
        }
        return changed || !ctx.jobs.running.isEmpty
    }

    /// While no scheduler service holds the schedules' lease, the open desk runs what is due
    /// itself, one process at a time in the background, under that lease — so two desks and a
    /// service never overlap. The run is recorded as this desk's ("desk:ann"). True when a run
    /// started.
    @discardableResult
    func runDueSchedules() -> Bool {
        guard !ProcessKind.allCases.contains(where: { ctx.jobs.isRunning($0.rawValue) }) else { return false }
        guard let due = try? schedules.due(), let process = due.first else { return false }
        // A scheduler service (or another desk, or cron) holds the schedules: it runs them.
        if (try? schedules.runner()) != nil { return false }
        let scheduler = schedules
        let title = "\(process.scheduleCode) \(process.title)"
        return ctx.jobs.start(BackgroundJob(id: process.rawValue, title: title) { progress in
            do {
                guard let outcome = try scheduler.runIfDue(process, progress: {
                    progress.update(done: $0, total: $1, unit: "LIC(s)")
                }) else {
                    return JobOutcome(id: process.rawValue, message: "", failed: false, quiet: true)
                }
                if let r = outcome.result {
                    return JobOutcome(id: process.rawValue, message: "\(title) ran on schedule (by this desk): \(r.summary).", failed: false)
                }
                return JobOutcome(id: process.rawValue, message: "\(title) did not run on schedule: \(outcome.error ?? "")", failed: true)
            } catch {
                return JobOutcome(id: process.rawValue, message: "\(title) did not run on schedule: \(describe(error))", failed: true)
            }
        })
    }

    /// Reloads what is shown if another connection committed since the last look.
    @discardableResult
    func refreshIfChanged() -> Bool {
        guard let watcher, (try? watcher.poll()) == true else { return false }
        reloadShown()
        return true
    }

    /// Reloads the shared figures and the current screen; the others reload when shown.
    private func reloadShown() {
        do {
            try ctx.reloadShared()
            stale = Set(ScreenID.allCases)
            try currentScreen.reload(ctx)
            stale.remove(current)
        } catch {
            status = StatusMessage(.error, describe(error))
        }
    }

    // MARK: - Keys

    enum GlobalAction { case quit, help, show(ScreenID), reload, messages }

    func globalKeys() -> KeyTable<GlobalAction> {
        let typing = capturesText
        var b: [KeyBinding<GlobalAction>] = ScreenID.allCases.map { s in
            KeyBinding(typing ? [s.functionKey] : [s.numberKey, s.functionKey], .show(s), label: s.title,
                       help: "Show the \(s.title) screen", showInFooter: false)
        }
        if !typing {
            b.append(KeyBinding(.char("?"), .help, label: "Help", help: "Every key of this screen"))
            b.append(KeyBinding(.char("q"), .quit, label: "Quit", help: "Leave Backorders (asks first if something typed is not saved)"))
        }
        b.append(KeyBinding(typing ? [.f(9)] : [.char("m"), .f(9)], .messages, label: "Messages",
                            help: "The recent messages of the status line, whole", showInFooter: false))
        b.append(KeyBinding(.ctrl("c"), .quit, label: "Quit", help: "Leave Backorders (works everywhere)", showInFooter: false))
        b.append(KeyBinding(.ctrl("l"), .reload, label: "Reload", help: "Reload and redraw the screen", showInFooter: false))
        return KeyTable("Everywhere", b)
    }

    enum DialogAction { case help }

    /// The keys every dialog shares, after its own: `?` lists the dialog's keys (its table's
    /// actions and moving) over it — unless a text field in it has the keys (`?` is typed there,
    /// as on a screen's form) or the dialog binds `?` itself (the help closes with it).
    func dialogKeys(_ modal: Modal) -> KeyTable<DialogAction> {
        let own = modal.keyTables(ctx).flatMap { $0.boundKeys.joined() }
        guard !modal.typesText, !own.contains(.char("?")) else { return KeyTable("In every dialog", []) }
        return KeyTable("In every dialog", [
            KeyBinding(.char("?"), .help, label: "Help", help: "The keys of this dialog; Esc comes back to it"),
        ])
    }

    private func performDialog(_ action: DialogAction, _ modal: Modal) -> Effect {
        switch action {
        case .help:
            let shared = dialogKeys(modal).helpSection
            return .modal(HelpModal(sections: modal.help(ctx) + (shared.entries.isEmpty ? [] : [shared]), underneath: modal))
        }
    }

    /// Handles one key (or resize, or mouse event).
    func handle(_ key: Key, size: Size) {
        if key == .resize { return }
        if key == .ctrl("c") { return requestQuit() }
        if Layout.isTooSmall(size) {
            if key == .char("q") && !capturesText { apply(.quit) }
            return
        }
        status = nil
        if case .mouse(let x, let y, .leftClick) = key, y == tabsRow, modal == nil,
           let i = TabBar.tab(atX: x, in: tabRanges) {
            return apply(.show(ScreenID.allCases[i]))
        }
        if let modal {
            if let effect = modal.handle(key, ctx: ctx) ?? dispatch(dialogKeys(modal), key, { performDialog($0, modal) }) {
                apply(effect)
            }
            return
        }
        if let effect = currentScreen.handle(key, ctx: ctx) { return apply(effect) }
        if let effect = dispatch(globalKeys(), key, performGlobal) { apply(effect) }
    }

    private func performGlobal(_ action: GlobalAction) -> Effect {
        switch action {
        case .quit: return .quit
        case .show(let s): return .show(s)
        case .reload:
            reloadShown()
            return .info("Reloaded.")
        case .help:
            return .modal(HelpModal(sections: currentScreen.help(ctx) + [globalKeys().helpSection]))
        case .messages:
            return .modal(MessagesModal(messages: messages))
        }
    }

    /// Unsaved typed work anywhere, and the screen that holds it.
    private var unsaved: (screen: Screen, what: String)? {
        for id in [current] + ScreenID.allCases.filter({ $0 != current }) {
            let s = screen(id)
            if let what = s.unsavedWork { return (s, what) }
        }
        return nil
    }

    /// Quitting with typed work that is not saved asks first; Ctrl-C again while asked quits.
    private func requestQuit() {
        guard let (_, what) = unsaved else { quitRequested = true; return }
        if modal is DiscardModal { quitRequested = true; return }
        modal = DiscardModal(title: "Quit and discard \(what)?",
                             message: "It is not saved. Quit anyway, losing it, or go back to it.",
                             yesLabel: "Quit, discard it") { [weak self] in
            self?.quitRequested = true
            return .redraw
        }
    }

    /// Switching screens by key: typed work on the screen left asks first; the screen shown
    /// comes up at its top level.
    private func requestShow(_ id: ScreenID) {
        guard id != current else {
            // The screen's own key: back to its top level, unless that would drop typed work.
            if currentScreen.unsavedWork == nil { show(id) }
            return
        }
        if let what = currentScreen.unsavedWork {
            let leaving = currentScreen
            modal = DiscardModal(title: "Discard \(what)?",
                                 message: "It is not saved. Discard it and go to \(id.title), or go back to it.",
                                 yesLabel: "Discard it") { [weak self] in
                leaving.discardUnsavedWork()
                self?.show(id)
                return .info("Discarded \(what).")
            }
            return
        }
        show(id)
    }

    private func show(_ id: ScreenID) {
        screen(id).willShow(ctx)
        current = id
    }

    func apply(_ effect: Effect) {
        switch effect {
        case .redraw: break
        case .reload: reloadShown()
        case .quit: requestQuit()
        case .status(let m): status = m
        case .run(let job):
            if !ctx.jobs.start(job) { status = StatusMessage(.info, "\(job.title) is already running.") }
        case .show(let s): requestShow(s)
        case .openOrder(let number, let line):
            current = .orders
            do {
                if stale.contains(.orders) {
                    try orders.reload(ctx)
                    stale.remove(.orders)
                }
                try orders.open(number: number, line: line, ctx: ctx)
            } catch {
                status = StatusMessage(.error, describe(error))
            }
        case .openLIC(let lic, let location):
            current = .items
            do { try items.open(lic: lic, location: location, ctx: ctx) } catch { status = StatusMessage(.error, describe(error)) }
        case .openPO(let number):
            current = .purchasing
            do { try purchasing.open(po: number, ctx: ctx) } catch { status = StatusMessage(.error, describe(error)) }
        case .modal(let m): modal = m
        case .closeModal: modal = nil
        case .all(let effects): effects.forEach(apply)
        }
    }

    // MARK: - Drawing

    /// The whole screen for a terminal of `size`.
    func frame(size: Size) -> ScreenBuffer {
        var buffer = ScreenBuffer(size: size, style: ctx.style(.normal))
        if TooSmall.render(minimum: Layout.minimum, buffer: &buffer, theme: ctx.theme) {
            tabRanges = []
            return buffer
        }
        let panes = Layout.panes(size)
        let body = panes[.body]!
        let screen = currentScreen
        do {
            if stale.contains(current) {
                try screen.reload(ctx)
                stale.remove(current)
            }
            try screen.fit(body: body, ctx: ctx)
        } catch {
            status = StatusMessage(.error, describe(error))
        }
        renderHeader(panes[.header]!, buffer: &buffer)
        renderTabs(panes[.tabs]!, buffer: &buffer)
        screen.render(body: body, buffer: &buffer, ctx: ctx)
        modal?.render(area: body, buffer: &buffer, ctx: ctx)
        renderStatus(panes[.status]!, buffer: &buffer)
        let items = modal.map { Self.fitFooter($0.footer(ctx), dialogKeys($0).footerItems, width: size.width) }
            ?? Self.fitFooter(screen.footer(ctx), globalKeys().footerItems, width: size.width)
        Footer.render(items: items, in: panes[.footer]!, buffer: &buffer, theme: ctx.theme)
        return buffer
    }

    /// The footer's items for a width: the pane's keys, then Help and Quit. When they do not
    /// fit, Quit goes first (q and Ctrl-C still work, and help lists them), then disabled keys,
    /// then keys from the end; Help always stays, since it lists everything.
    static func fitFooter(_ pane: [FooterItem], _ global: [FooterItem], width: Int) -> [FooterItem] {
        func needed(_ items: [FooterItem]) -> Int {
            1 + items.map { TextWidth.width(of: $0.keys) + 1 + TextWidth.width(of: $0.label) }.reduce(0, +) + 2 * max(0, items.count - 1)
        }
        var p = pane, g = global
        if needed(p + g) <= width { return p + g }
        g.removeAll { $0.label == "Quit" }
        while needed(p + g) > width, let i = p.lastIndex(where: { !$0.isEnabled }) { p.remove(at: i) }
        while needed(p + g) > width, !p.isEmpty { p.removeLast() }
        return p + g
    }

    private func renderHeader(_ area: Rect, buffer: inout ScreenBuffer) {
        // The two backorder schedules of §8, with when each runs next ("7792 in 12 min"); the
        // purchasing ones are on the Preferences screen. When the full words do not fit, the
        // same items in short words; only then does the header drop items from its end.
        func items(compact: Bool) -> [String] {
            var items = [ctx.databaseName, "\(ctx.user.name) (\(ctx.user.role.rawValue))",
                         (compact ? "BO " : "BO mgmt ") + (ctx.prefs.backorderManagement ? "on" : "off")]
            for s in ctx.schedules where s.process == .primary || s.process == .secondary {
                if ctx.jobs.isRunning(s.process.rawValue) { items.append("\(s.code) running…"); continue }
                var next = s.nextRunPhrase(prefs: ctx.prefs, now: ctx.now)
                if next == "due now" { next = "due" }
                if compact { next = next.replacingOccurrences(of: " min", with: "m").replacingOccurrences(of: " h", with: "h") }
                items.append("\(s.code) \(next)")
            }
            return items
        }
        let room = area.width - TextWidth.width(of: " Backorders ") - 2
        let full = items(compact: false)
        let chosen = TextWidth.width(of: full.joined(separator: " · ")) <= room ? full : items(compact: true)
        HeaderLine.render(title: "Backorders", status: chosen, area: area, buffer: &buffer, theme: ctx.theme)
    }

    private func renderTabs(_ area: Rect, buffer: inout ScreenBuffer) {
        tabsRow = area.y
        let tabs = ScreenID.allCases.map { Tab($0.title, key: $0.numberKey) }
        tabRanges = TabBar.render(tabs: tabs, selected: ScreenID.allCases.firstIndex(of: current) ?? 0, area: area,
                                  buffer: &buffer, theme: ctx.theme)
        var right = "today \(ctx.today)"
        let running = ctx.jobs.running
        if !running.isEmpty { right = "⟳ " + running.joined(separator: ", ") + " running  " + right }
        let w = TextWidth.width(of: right)
        if let end = tabRanges.last?.upperBound, area.maxX - w - 1 > end + 1 {
            buffer.put(right, x: area.maxX - w - 1, y: area.y, style: ctx.style(.tabInactive))
        }
    }

    private func renderStatus(_ area: Rect, buffer: inout ScreenBuffer) {
        buffer.fill(area, style: ctx.style(.normal))
        // A long job's progress, unless something more important than a plain note came since.
        if let p = ctx.jobs.progress.first, status == nil || status?.kind == .info {
            let count = " \(Format.grouped(p.done))/\(Format.grouped(p.total)) \(p.unit)" + (p.cancellable ? "  Esc cancels" : "")
            let title = " ⟳ " + p.title + "  "
            let barWidth = max(4, min(30, area.width - TextWidth.width(of: title) - TextWidth.width(of: count) - 1))
            var x = area.x + buffer.put(title, x: area.x, y: area.y, style: ctx.style(.warning), maxWidth: area.width)
            let bar = BarChart.bar(value: p.done, maxValue: max(1, p.total), width: barWidth)
            buffer.put(TextWidth.pad(bar, toWidth: barWidth), x: x, y: area.y, style: ctx.style(.bar), maxWidth: max(0, area.maxX - x))
            x += barWidth
            buffer.put(count, x: x, y: area.y, style: ctx.style(.normal), maxWidth: max(0, area.maxX - x))
            return
        }
        if let status {
            let style = ctx.style(status.role)
            var text = " " + status.text + " "
            if TextWidth.width(of: text) > area.width {
                // Cut, and say where the whole of it is.
                let hint = capturesText ? " F9: all of it " : " m: all of it "
                text = TextWidth.truncate(text, toWidth: max(1, area.width - TextWidth.width(of: hint))) + hint
            }
            buffer.put(text, x: area.x, y: area.y, style: style, maxWidth: area.width)
        } else if !ctx.jobs.running.isEmpty {
            buffer.put(" Running \(ctx.jobs.running.joined(separator: ", "))…", x: area.x, y: area.y, style: ctx.style(.warning),
                       maxWidth: area.width)
        }
    }
}
