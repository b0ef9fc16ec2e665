/// How far text taller than its box is scrolled (the help, a dialog's figures, the messages):
/// the first line shown. Moves change it freely; drawing keeps it inside the text with `clamp`,
/// as `TableState.clamp` does a list's selection. A pane binds the moves as navigation bindings
/// (`ScrollState.bindings`) and carries them out with `apply`.
public struct ScrollState: Hashable, Sendable {
    /// The first line shown. `Int.max` stands for the end until the next `clamp`.
    public var offset: Int
    /// Lines PgUp/PgDn move: the box's height (`clamp` sets it).
    public var page: Int

    /// `offset: .max` shows the text from its last page (the newest messages at the bottom).
    public init(offset: Int = 0, page: Int = 10) {
        self.offset = max(0, offset)
        self.page = max(1, page)
    }

    /// Keeps the offset inside `lines` of text shown `page` rows at a time, and returns it.
    @discardableResult
    public mutating func clamp(lines: Int, page: Int) -> Int {
        self.page = max(1, page)
        offset = min(max(0, offset), max(0, lines - self.page))
        return offset
    }

    public mutating func apply(_ move: TableMove) {
        func down(_ n: Int) { offset = offset > Int.max - n ? Int.max : offset + n }
        switch move {
        case .up: offset = max(0, offset - 1)
        case .down: down(1)
        case .pageUp: offset = max(0, offset - max(1, page))
        case .pageDown: down(max(1, page))
        case .home: offset = 0
        case .end: offset = .max
        case .wheelUp: offset = max(0, offset - TableMove.wheelRows)
        case .wheelDown: down(TableMove.wheelRows)
        }
    }

    /// What a move does to text, for the footer and the help.
    public static func label(_ move: TableMove) -> (label: String, help: String) {
        switch move {
        case .up: return ("Scroll up", "Scroll up a line")
        case .down: return ("Scroll down", "Scroll down a line")
        case .pageUp: return ("Page up", "Scroll up a page")
        case .pageDown: return ("Page down", "Scroll down a page")
        case .home: return ("Top", "Scroll to the top")
        case .end: return ("Bottom", "Scroll to the bottom")
        case .wheelUp: return ("Scroll up", "Scroll up \(TableMove.wheelRows) lines")
        case .wheelDown: return ("Scroll down", "Scroll down \(TableMove.wheelRows) lines")
        }
    }

    /// Navigation bindings that scroll text, one per move, each making the pane's action for it;
    /// `also` adds keys to a move (Space for a page down where nothing is typed).
    public static func bindings<Action>(also: [TableMove: [Key]] = [:], _ action: (TableMove) -> Action) -> [KeyBinding<Action>] {
        TableMove.allCases.map { move in
            let words = label(move)
            return KeyBinding.navigation(move.keys + (also[move] ?? []), action(move), label: words.label, help: words.help)
        }
    }
}
