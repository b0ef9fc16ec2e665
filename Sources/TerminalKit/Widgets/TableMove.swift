/// A movement in a list or table: what the arrows, PgUp/PgDn, Home/End and the wheel do.
/// Panes bind them as navigation bindings (`TableMove.bindings`), so the keys are data in the
/// pane's table like every other key, and `TableState.apply` carries them out.
public enum TableMove: CaseIterable, Hashable, Sendable {
    case up, down, pageUp, pageDown, home, end, wheelUp, wheelDown

    /// The keys bound to this move by default.
    public var keys: [Key] {
        switch self {
        case .up: return [.up]
        case .down: return [.down]
        case .pageUp: return [.pageUp]
        case .pageDown: return [.pageDown]
        case .home: return [.home]
        case .end: return [.end]
        case .wheelUp: return [.wheelUp]
        case .wheelDown: return [.wheelDown]
        }
    }

    /// Rows the wheel moves per notch.
    public static let wheelRows = 3

    /// The moves without paging: for a pane whose PgUp/PgDn mean something else.
    public static let withoutPaging: [TableMove] = [.up, .down, .home, .end, .wheelUp, .wheelDown]

    public func label(noun: String) -> String {
        switch self {
        case .up: return "Previous \(noun)"
        case .down: return "Next \(noun)"
        case .pageUp: return "Previous page"
        case .pageDown: return "Next page"
        case .home: return "First \(noun)"
        case .end: return "Last \(noun)"
        case .wheelUp: return "Scroll up"
        case .wheelDown: return "Scroll down"
        }
    }

    /// Navigation bindings for `moves`, each making the pane's action for it. `noun` names a
    /// row in the help ("Next order"); `pageNote` is added to the paging help.
    public static func bindings<Action>(_ moves: [TableMove] = TableMove.allCases, noun: String = "row",
                                        pageNote: String? = nil,
                                        _ action: (TableMove) -> Action) -> [KeyBinding<Action>] {
        moves.map { move in
            var help = move.label(noun: noun)
            switch move {
            case .pageUp, .pageDown: if let pageNote { help += " (\(pageNote))" }
            case .wheelUp, .wheelDown: help += " \(wheelRows) rows"
            default: break
            }
            return KeyBinding.navigation(move.keys, action(move), label: move.label(noun: noun), help: help)
        }
    }
}

extension TableState {
    /// Carries out a move on a list of `total` rows with `visibleRows` on screen.
    public mutating func apply(_ move: TableMove, total: Int, visibleRows: Int) {
        switch move {
        case .up: moveSelection(by: -1, total: total, visibleRows: visibleRows)
        case .down: moveSelection(by: 1, total: total, visibleRows: visibleRows)
        case .pageUp: pageUp(total: total, visibleRows: visibleRows)
        case .pageDown: pageDown(total: total, visibleRows: visibleRows)
        case .home: home(total: total, visibleRows: visibleRows)
        case .end: end(total: total, visibleRows: visibleRows)
        case .wheelUp: moveSelection(by: -TableMove.wheelRows, total: total, visibleRows: visibleRows)
        case .wheelDown: moveSelection(by: TableMove.wheelRows, total: total, visibleRows: visibleRows)
        }
    }
}
