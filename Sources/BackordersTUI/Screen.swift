import BackorderApp
import BackorderCore
import Foundation
import TerminalKit

/// The screens, by the number key that shows them.
public enum ScreenID: Int, CaseIterable, Sendable {
    case orders = 1
    case backorders = 2
    case items = 3
    case purchasing = 4
    case reports = 5
    case preferences = 6

    var title: String {
        switch self {
        case .orders: return "Orders"
        case .backorders: return "Backorders"
        case .items: return "Items"
        case .purchasing: return "Purchasing"
        case .reports: return "Reports"
        case .preferences: return "Preferences"
        }
    }

    var numberKey: Key { .char(Character(String(rawValue))) }
    var functionKey: Key { .f(rawValue) }
}

/// What every screen and dialog may use: the desk (all reads and writes go through it), the
/// theme, and the shared figures the header shows.
final class AppContext {
    let desk: Desk
    var theme: Theme
    let databaseName: String
    let jobs: JobRunner
    /// Where an export goes by default.
    var exportDirectory = FileManager.default.currentDirectoryPath
    private(set) var prefs = Preferences()
    private(set) var schedules: [Desk.ScheduleView] = []
    private(set) var reasons: [CodeName] = []
    private(set) var locations: [CodeName] = []

    init(desk: Desk, theme: Theme, databaseName: String, jobs: JobRunner) {
        self.desk = desk
        self.theme = theme
        self.databaseName = databaseName
        self.jobs = jobs
    }

    var user: User { desk.user }
    var today: Day { desk.clock.today }
    var now: Moment { desk.clock.now() }

    /// Who runs the schedules now, when not this desk (a service, cron, another desk).
    private(set) var scheduleRunner: String?

    /// Reloads the preferences, schedules and code tables.
    func reloadShared() throws {
        prefs = try desk.preferences()
        schedules = try desk.schedules()
        scheduleRunner = (try? desk.deskScheduler().runner()).flatMap { $0 }.map { "\($0.title) (\($0.who))" }
        reasons = try desk.reasons()
        locations = try desk.locations()
    }

    /// Nil when the user may do `action`, else the Desk's refusal (it names the role needed).
    func refusal(_ role: Role, _ action: String) -> String? {
        do {
            try desk.require(role, to: action)
            return nil
        } catch {
            return describe(error)
        }
    }

    func style(_ role: ThemeRole) -> Style { theme.style(role) }
}

/// One screen of the app: state that persists (selection, filter, forms), a key table per
/// mode, and a render that is a function of that state.
protocol Screen: AnyObject {
    var id: ScreenID { get }
    /// True while a text field has the keyboard: q, digits and ? are typed, not global keys.
    var capturesText: Bool { get }
    /// Loads what the screen shows (only the visible page), keeping selections by key.
    func reload(_ ctx: AppContext) throws
    /// Fits pages to the rows `body` gives them (may fetch); called before every render.
    func fit(body: Rect, ctx: AppContext) throws
    func render(body: Rect, buffer: inout ScreenBuffer, ctx: AppContext)
    /// The effect of a key, or nil when this screen does not use it.
    func handle(_ key: Key, ctx: AppContext) -> Effect?
    /// The bindings of the current mode, for the footer.
    func footer(_ ctx: AppContext) -> [FooterItem]
    /// Every table of this screen, for the `?` screen. Pure: built from each pane's table as a
    /// function of the state, never by moving the focus to build it.
    func help(_ ctx: AppContext) -> [HelpSection]
    /// Every key table the current mode offers, each pane's (what `help` lists), for checks such
    /// as "no table binds a key twice".
    func keyTables(_ ctx: AppContext) -> [any AnyKeyTable]
    /// Typed work that is not saved, named for a question ("the order you are typing"), or nil.
    var unsavedWork: String? { get }
    /// Drops the unsaved work (the user said to discard it).
    func discardUnsavedWork()
    /// The user asked for this screen by its key: show it at its top level (a list, not a
    /// drill-down left open earlier), so its footer is true for the keys that follow.
    func willShow(_ ctx: AppContext)
}

extension Screen {
    var unsavedWork: String? { nil }
    func discardUnsavedWork() {}
    func willShow(_ ctx: AppContext) {}
}

/// A dialog over the screen; it gets every key (except Ctrl-C) until it closes. Its keys are a
/// table like a pane's, scrolling included as navigation bindings; a key it does not use goes
/// to the keys every dialog shares (`TUIApp.dialogKeys`: `?` lists the dialog's keys), never to
/// the screen or the global table.
protocol Modal: AnyObject {
    /// True while a text field in the dialog has the keys (a file path, a priority): `?` and
    /// letters are typed there.
    var typesText: Bool { get }
    /// The effect of a key, or nil when the dialog does not use it.
    func handle(_ key: Key, ctx: AppContext) -> Effect?
    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext)
    /// The dialog's key table (of its current step), for checks such as "no table binds a key twice".
    func keyTables(_ ctx: AppContext) -> [any AnyKeyTable]
    func footer(_ ctx: AppContext) -> [FooterItem]
    /// The dialog's keys for the help `?` opens over it: its actions, then its moving.
    func help(_ ctx: AppContext) -> [HelpSection]
}

/// A dialog whose keys are one table (for its current step): the footer, the help and the
/// checks come from it.
protocol KeyedModal: Modal {
    associatedtype Action
    var keys: KeyTable<Action> { get }
}

extension KeyedModal {
    var typesText: Bool { false }
    func keyTables(_ ctx: AppContext) -> [any AnyKeyTable] { [keys] }
    func footer(_ ctx: AppContext) -> [FooterItem] { keys.footerItems }
    func help(_ ctx: AppContext) -> [HelpSection] { keys.helpSections }
}

/// The help of a screen of one or more panes, from each pane's table (built as a function of
/// the state, not by moving the focus): the first table's actions, then what each other pane
/// adds (keys the first already lists are left out), then each pane's moving — "Moving" when
/// there is one pane, "Moving in order lines" and so on when there are several.
func paneHelp<A>(_ tables: [KeyTable<A>]) -> [HelpSection] {
    guard let first = tables.first else { return [] }
    var sections = [first.helpSection]
    let listed = Set(first.helpSection.entries.map(\.keys))
    for table in tables.dropFirst() {
        var section = table.helpSection
        section.entries.removeAll { listed.contains($0.keys) }
        if !section.entries.isEmpty { sections.append(section) }
    }
    for table in tables {
        let title = tables.count == 1 ? "Moving" : "Moving in " + table.title.lowercased()
        let moving = table.navigationSection(title: title)
        if !moving.entries.isEmpty { sections.append(moving) }
    }
    return sections
}
