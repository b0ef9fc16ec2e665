import BackorderApp
import TerminalKit

/// What moves a list: a `TableMove` (arrows, PgUp/PgDn, Home/End, the wheel) or a click on a row.
enum ListMove: Hashable {
    case move(TableMove)
    case click

    /// Navigation bindings for a list's key table: the moves given, then click-to-select.
    static func bindings<Action>(_ moves: [TableMove] = TableMove.allCases, noun: String, pageNote: String? = nil,
                                 _ action: (ListMove) -> Action) -> [KeyBinding<Action>] {
        TableMove.bindings(moves, noun: noun, pageNote: pageNote) { action(.move($0)) }
            + [KeyBinding.navigation(.click, action(.click), label: "Select", help: "Select the \(noun) clicked")]
    }
}

/// The skeleton the list screens share (Orders, Backorders, Items, Purchasing' PO list): the
/// paged list, its `/` filter, movement and click-to-select as navigation bindings, and the
/// list's title rule and table. A screen composes one and supplies its source (how its filter
/// is read), its columns and its own actions; its key table takes `bindings` for the moving.
struct ListPane<Row> {
    private(set) var list: PagedList<Row>
    private(set) var filter: ListFilter
    /// Where the table was drawn last (clicks select the row under them).
    private(set) var tableArea = Rect(x: 0, y: 0, width: 0, height: 0)
    /// A row in the help's words ("order", "line", "LIC").
    let noun: String
    private let key: (Row) -> Int64

    init(noun: String, key: @escaping (Row) -> Int64, filter: String = "") {
        self.noun = noun
        self.key = key
        self.list = PagedList(key: key)
        self.filter = ListFilter(text: filter)
    }

    var filterText: String { filter.text }
    var isFiltering: Bool { filter.isEditing }

    // MARK: - Data

    mutating func reload(_ source: PageSource<Row>) throws { try list.reload(source) }
    mutating func select(id: Int64, _ source: PageSource<Row>) throws { try list.select(id: id, source) }
    /// Fits the page to the rows of a table drawn in `area`.
    mutating func fit(table area: Rect, _ source: PageSource<Row>) throws {
        try list.setVisibleRows(TerminalKit.Table.visibleRows(in: area), source)
    }

    /// Forgets selection and scroll (a new sort starts at the top); the filter stays.
    mutating func restart() { list = PagedList(key: key) }

    // MARK: - Moving

    /// The list's navigation bindings, each making the screen's action for it.
    func bindings<Action>(_ action: (ListMove) -> Action) -> [KeyBinding<Action>] {
        ListMove.bindings(noun: noun, pageNote: "only the visible page is loaded", action)
    }

    /// Carries out a move; `key` is the event that asked for it (a click's position). False
    /// when a click missed the rows.
    @discardableResult
    mutating func perform(_ move: ListMove, key: Key, _ source: PageSource<Row>) throws -> Bool {
        switch move {
        case .move(let m):
            try list.move(m, source)
            return true
        case .click:
            guard case .mouse(let x, let y, _) = key, tableArea.contains(x: x, y: y) else { return false }
            return try list.click(y: y, area: tableArea, source)
        }
    }

    // MARK: - Filter

    mutating func beginFilter() { filter.begin() }
    mutating func endFilter() { filter.end() }
    /// A filter already in force, or none (a key that picks a status, an order that must show).
    mutating func setFilter(_ text: String) { filter = ListFilter(text: text) }

    /// A key while the filter is typed: what to show, and whether the list must be read again
    /// (the screen reloads, then shows the effect: `afterFilter`).
    mutating func typeFilter(_ key: Key) -> (effect: Effect?, reload: Bool) { filter.handle(key) }

    // MARK: - Drawing

    /// The list's title rule: the title and "filter: … · 12/200" at its right (or `right`), or
    /// the filter field while it is typed.
    func drawTitle(_ title: String, right: String? = nil, area: Rect, focused: Bool = true,
                   buffer: inout ScreenBuffer, ctx: AppContext) {
        let position = TerminalKit.Table.positionText(state: list.table, total: list.total)
        if let field = filter.field {
            Draw.filterRule(title, field: field, right: position, area: area, buffer: &buffer, ctx: ctx)
        } else {
            let right = right ?? (filter.text.isEmpty ? "" : "filter: \(filter.text) · ") + position
            Draw.rule(title, right: right, area: area, focused: focused, buffer: &buffer, ctx: ctx)
        }
    }

    /// The visible page as a table in `area`; `empty` when the list is empty, `noMatch` when the
    /// filter leaves nothing.
    mutating func drawTable(columns: [TableColumn], rows: [[String]], rowStyles: [ThemeRole?] = [], focused: Bool = true,
                            area: Rect, empty: String, noMatch: String, buffer: inout ScreenBuffer, ctx: AppContext) {
        tableArea = area
        TerminalKit.Table.render(columns: columns, rows: rows, rowStyles: rowStyles, state: list.table, total: list.total,
                                 focused: focused, area: area, buffer: &buffer, theme: ctx.theme, showPosition: false,
                                 emptyMessage: filter.text.isEmpty ? empty : noMatch)
    }
}

/// The end of a filter keystroke: reload when the text changed, then show what the filter said.
func afterFilter(_ typed: (effect: Effect?, reload: Bool), reload: () throws -> Void) -> Effect? {
    guard typed.reload else { return typed.effect }
    return Effect.attempt { try reload(); return typed.effect ?? .redraw }
}
