import Foundation

/// What a mouse event was.
public enum MouseKind: Hashable, Sendable {
    case leftClick, middleClick, rightClick, scrollUp, scrollDown
}

/// A key press (or resize / mouse event) as the app sees it.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    /// Ctrl plus a lowercase letter (or one of @ [ \ ] ^ _). Tab, Enter,
    /// Backspace and Escape have their own cases.
    case ctrl(Character)
    case enter, escape, tab, backTab
    case up, down, left, right
    case pageUp, pageDown, home, end
    case backspace, delete, insert
    case f(Int)
    case resize
    case mouse(x: Int, y: Int, kind: MouseKind)

    /// The name shown in the footer and the help screen.
    public var description: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .f(let n): return "F\(n)"
        case .resize: return "Resize"
        case .mouse(_, _, .scrollUp): return "Wheel↑"
        case .mouse(_, _, .scrollDown): return "Wheel↓"
        case .mouse(_, _, .leftClick): return "Click"
        case .mouse: return "Mouse"
        }
    }

    /// A mouse event as a key table binds it: its kind, wherever it happened. Bind these
    /// (`Key.wheelUp`, `Key.click`…); the handler reads the position from the event itself.
    public static func mouse(_ kind: MouseKind) -> Key { .mouse(x: -1, y: -1, kind: kind) }
    public static let wheelUp = Key.mouse(.scrollUp)
    public static let wheelDown = Key.mouse(.scrollDown)
    public static let click = Key.mouse(.leftClick)

    /// The ten digits, for a binding of the class ("0–9": a digit starts typing a number).
    public static let digits: [Key] = (0...9).map { .char(Character(String($0))) }

    /// The key a table looks up for this event: a mouse event without its position.
    public var bindingKey: Key {
        if case .mouse(_, _, let kind) = self { return .mouse(kind) }
        return self
    }

    /// Reads a key name as written by `description` or in a config file:
    /// "q", "Space", "Ctrl-S" / "C-s" / "^S", "Enter", "Esc", "F2", "PgDn", "Up", "↑"...
    public init?(name raw: String) {
        let name = raw.trimmingCharacters(in: .whitespaces)
        if name.count == 1, let c = name.first {
            switch c {
            case "↑": self = .up
            case "↓": self = .down
            case "←": self = .left
            case "→": self = .right
            default: self = .char(c)
            }
            return
        }
        let lower = name.lowercased()
        for prefix in ["ctrl-", "ctrl+", "c-", "^"] where lower.hasPrefix(prefix) {
            let rest = lower.dropFirst(prefix.count)
            guard rest.count == 1, let c = rest.first else { return nil }
            switch c {
            case "i": self = .tab
            case "m", "j": self = .enter
            case "[": self = .escape
            case "h": self = .backspace
            default: self = .ctrl(c)
            }
            return
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (0...63).contains(n) {
            self = .f(n)
            return
        }
        switch lower {
        case "space": self = .char(" ")
        case "enter", "return", "ret": self = .enter
        case "esc", "escape": self = .escape
        case "tab": self = .tab
        case "shift-tab", "backtab", "btab", "s-tab": self = .backTab
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "pgup", "pageup", "ppage": self = .pageUp
        case "pgdn", "pagedown", "npage": self = .pageDown
        case "home": self = .home
        case "end": self = .end
        case "backspace", "bspace", "bs": self = .backspace
        case "del", "delete", "dc": self = .delete
        case "ins", "insert", "ic": self = .insert
        default: return nil
        }
    }

    /// For letters, the same key ignoring case (so "y" and "Y" both answer Yes).
    public func matches(_ other: Key, ignoringCase: Bool) -> Bool {
        if self == other { return true }
        guard ignoringCase, case .char(let a) = self, case .char(let b) = other else { return false }
        return a.lowercased() == b.lowercased()
    }
}
