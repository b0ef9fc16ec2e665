import Foundation

/// A terminal colour: the terminal's own default, one of the 16 ANSI colours,
/// or an entry of the 256-colour palette.
public enum Color: Hashable, Sendable, CustomStringConvertible {
    case `default`
    /// 0...15: black, red, green, yellow, blue, magenta, cyan, white, then the bright variants.
    case ansi(UInt8)
    /// 0...255 in the xterm palette.
    case index(UInt8)

    public static let black = Color.ansi(0)
    public static let red = Color.ansi(1)
    public static let green = Color.ansi(2)
    public static let yellow = Color.ansi(3)
    public static let blue = Color.ansi(4)
    public static let magenta = Color.ansi(5)
    public static let cyan = Color.ansi(6)
    public static let white = Color.ansi(7)
    public static let brightBlack = Color.ansi(8)
    public static let brightRed = Color.ansi(9)
    public static let brightGreen = Color.ansi(10)
    public static let brightYellow = Color.ansi(11)
    public static let brightBlue = Color.ansi(12)
    public static let brightMagenta = Color.ansi(13)
    public static let brightCyan = Color.ansi(14)
    public static let brightWhite = Color.ansi(15)

    /// The base names of ANSI colours 0...7.
    public static let ansiNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// The palette number (0...255), or nil for `.default`.
    public var paletteIndex: Int? {
        switch self {
        case .default: return nil
        case .ansi(let n): return Int(n & 15)
        case .index(let n): return Int(n)
        }
    }

    /// Parses a theme colour: "default", a name ("red", "bright-red",
    /// "brightRed", "bright_red", "grey"/"gray" = bright black), or a palette
    /// number 0...255 written as "123", "color123" or "colour123".
    public init?(name raw: String) {
        let s = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if s == "default" || s == "none" || s == "reset" {
            self = .default
            return
        }
        if s == "grey" || s == "gray" {
            self = .brightBlack
            return
        }
        var base = s
        var bright = false
        for prefix in ["bright-", "bright_", "bright ", "bright", "light-", "light_", "light"] where base.hasPrefix(prefix) {
            base = String(base.dropFirst(prefix.count))
            bright = true
            break
        }
        if let i = Color.ansiNames.firstIndex(of: base) {
            self = .ansi(UInt8(i + (bright ? 8 : 0)))
            return
        }
        if bright { return nil }
        var digits = s
        for prefix in ["colour", "color", "index"] where digits.hasPrefix(prefix) {
            digits = String(digits.dropFirst(prefix.count))
            break
        }
        if let n = Int(digits), (0...255).contains(n) {
            self = n < 16 ? .ansi(UInt8(n)) : .index(UInt8(n))
            return
        }
        return nil
    }

    /// The canonical theme-file spelling, which `init?(name:)` reads back.
    public var name: String {
        switch self {
        case .default: return "default"
        case .ansi(let n):
            let i = Int(n & 15)
            return i < 8 ? Color.ansiNames[i] : "bright-" + Color.ansiNames[i - 8]
        case .index(let n): return "color\(n)"
        }
    }

    public var description: String { name }
}

/// Text attributes a terminal can show without colour.
public struct Attributes: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let underline = Attributes(rawValue: 1 << 2)
    public static let reverse = Attributes(rawValue: 1 << 3)

    public static let named: [(String, Attributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline), ("reverse", .reverse),
    ]

    public init?(name: String) {
        let s = name.trimmingCharacters(in: .whitespaces).lowercased()
        switch s {
        case "bold", "bright": self = .bold
        case "dim", "faint": self = .dim
        case "underline", "underlined": self = .underline
        case "reverse", "reversed", "inverse", "standout": self = .reverse
        default: return nil
        }
    }

    public var names: [String] {
        Attributes.named.filter { contains($0.1) }.map(\.0)
    }

    public var description: String { "[" + names.joined(separator: ", ") + "]" }
}

/// Colours and attributes for one cell.
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public var fg: Color
    public var bg: Color
    public var attrs: Attributes

    public init(fg: Color = .default, bg: Color = .default, attrs: Attributes = []) {
        self.fg = fg
        self.bg = bg
        self.attrs = attrs
    }

    /// The terminal's default colours, no attributes.
    public static let plain = Style()

    public func adding(_ more: Attributes) -> Style {
        var s = self
        s.attrs.formUnion(more)
        return s
    }

    /// This style with the other's non-default colours and its attributes on top.
    public func patched(with other: Style) -> Style {
        Style(fg: other.fg == .default ? fg : other.fg,
              bg: other.bg == .default ? bg : other.bg,
              attrs: attrs.union(other.attrs))
    }

    public var description: String {
        "Style(fg: \(fg), bg: \(bg), attrs: \(attrs))"
    }
}
