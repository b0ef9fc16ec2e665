import TerminalKit

/// The parts of the screen.
public enum PaneID: String, CaseIterable, Sendable {
    /// Database, user, role, BO management, next scheduled runs.
    case header
    /// The screens: "1 Orders  2 Backorders  3 Items  6 Preferences".
    case tabs
    /// Everything between the tabs and the status line.
    case body
    /// The list of a list + detail screen (Orders): left half when wide, top when narrow.
    case list
    /// The detail of the selected row: right half when wide, below the list when narrow.
    case detail
    /// Messages: results, refusals, "running…".
    case status
    /// The keys that work here.
    case footer
}

/// Where everything goes, as a pure function of the terminal size (lazygit-style).
public enum Layout {
    /// Below this the UI shows only a message asking for a bigger terminal.
    public static let minimum = Size(width: 72, height: 20)
    /// From this width the list and its detail sit side by side.
    public static let sideBySideWidth = 110

    public static func isTooSmall(_ size: Size) -> Bool { !size.fits(minimum) }

    /// The rectangle of every pane, or an empty map when the terminal is too small.
    public static func panes(_ size: Size) -> [PaneID: Rect] {
        guard !isTooSmall(size) else { return [:] }
        let rows = Rect(size: size).rows([.fixed(1), .fixed(1), .fill, .fixed(1), .fixed(1)])
        let body = rows[2]
        let list: Rect, detail: Rect
        if size.width >= sideBySideWidth {
            let parts = body.columns([.percent(45), .fill], spacing: 1)
            (list, detail) = (parts[0], parts[1])
        } else {
            let parts = body.rows([.fixed(max(8, body.height * 45 / 100)), .fill])
            (list, detail) = (parts[0], parts[1])
        }
        return [.header: rows[0], .tabs: rows[1], .body: body, .list: list, .detail: detail,
                .status: rows[3], .footer: rows[4]]
    }
}
