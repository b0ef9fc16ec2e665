import Foundation
import TOMLKit

/// What a piece of the screen *means*; themes map each role to a style.
public enum ThemeRole: String, CaseIterable, Sendable, Hashable {
    case normal, dim, header, headerAccent, tabActive, tabInactive, footer, footerKey
    case title, border, selection, selectionUnfocused, columnHeader
    case input, inputFocused, inputError, question, warning, error, good
    case backordered, allotted, frozen, bar, sparkline, help
}

/// A colour scheme: a table from semantic role to style (htop-style).
public struct Theme: Sendable, Hashable {
    public var name: String
    public var styles: [ThemeRole: Style]

    /// Roles missing from `styles` take the style of `fallback` (itself
    /// complete); built-in themes are complete.
    public init(name: String, styles: [ThemeRole: Style], fallback: Theme? = nil) {
        self.name = name
        var all = fallback?.styles ?? [:]
        all.merge(styles) { _, new in new }
        self.styles = all
    }

    public func style(_ role: ThemeRole) -> Style {
        styles[role] ?? .plain
    }

    /// Attributes only: readable on a terminal without colour (and under NO_COLOR).
    public static let monochrome = Theme(name: "monochrome", styles: [
        .normal: Style(),
        .dim: Style(attrs: .dim),
        .header: Style(attrs: .reverse),
        .headerAccent: Style(attrs: [.reverse, .bold]),
        .tabActive: Style(attrs: [.bold, .underline]),
        .tabInactive: Style(),
        .footer: Style(),
        .footerKey: Style(attrs: [.bold, .underline]),
        .title: Style(attrs: .bold),
        .border: Style(),
        .selection: Style(attrs: .reverse),
        .selectionUnfocused: Style(attrs: .underline),
        .columnHeader: Style(attrs: [.bold, .underline]),
        .input: Style(attrs: .underline),
        .inputFocused: Style(attrs: [.underline, .bold]),
        .inputError: Style(attrs: [.bold, .reverse]),
        .question: Style(attrs: .bold),
        .warning: Style(attrs: .bold),
        .error: Style(attrs: [.bold, .reverse]),
        .good: Style(),
        .backordered: Style(attrs: .bold),
        .allotted: Style(),
        .frozen: Style(attrs: .dim),
        .bar: Style(),
        .sparkline: Style(),
        .help: Style(),
    ])

    /// The built-in colour theme; `themes/default.toml` spells out the same table.
    public static let `default` = Theme(name: "default", styles: [
        .normal: Style(),
        .dim: Style(fg: .brightBlack),
        .header: Style(fg: .black, bg: .cyan),
        .headerAccent: Style(fg: .black, bg: .cyan, attrs: .bold),
        .tabActive: Style(fg: .black, bg: .yellow, attrs: .bold),
        .tabInactive: Style(fg: .white, bg: .blue),
        .footer: Style(fg: .white, bg: .blue),
        .footerKey: Style(fg: .brightYellow, bg: .blue, attrs: .bold),
        .title: Style(fg: .cyan, attrs: .bold),
        .border: Style(fg: .blue),
        .selection: Style(fg: .black, bg: .cyan),
        .selectionUnfocused: Style(fg: .black, bg: .white),
        .columnHeader: Style(fg: .yellow, attrs: .bold),
        .input: Style(fg: .white, bg: .brightBlack),
        .inputFocused: Style(fg: .black, bg: .white),
        .inputError: Style(fg: .brightRed, attrs: .bold),
        .question: Style(fg: .brightYellow, attrs: .bold),
        .warning: Style(fg: .yellow),
        .error: Style(fg: .brightWhite, bg: .red, attrs: .bold),
        .good: Style(fg: .green),
        .backordered: Style(fg: .red),
        .allotted: Style(fg: .green),
        .frozen: Style(fg: .blue),
        .bar: Style(fg: .cyan),
        .sparkline: Style(fg: .green),
        .help: Style(fg: .white),
    ])

    public static let builtIn: [Theme] = [.default, .monochrome]

    public static func builtIn(named name: String) -> Theme? {
        builtIn.first { $0.name == name }
    }
}

/// Why a theme file could not be used. The description names the file and key.
public enum ThemeError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case unreadable(file: String, reason: String)
    case syntax(file: String, line: Int, column: Int, message: String)
    case unknownRole(file: String, key: String)
    case unknownColor(file: String, key: String, value: String)
    case unknownAttribute(file: String, key: String, value: String)
    case unknownKey(file: String, key: String)
    case wrongType(file: String, key: String, expected: String)
    case unknownBase(file: String, key: String, value: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read theme: \(reason)"
        case let .syntax(file, line, column, message):
            return "\(file):\(line):\(column): TOML syntax error: \(message)"
        case let .unknownRole(file, key):
            let known = ThemeRole.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(file): \(key): unknown role (known roles: \(known))"
        case let .unknownColor(file, key, value):
            return "\(file): \(key): unknown colour \"\(value)\" (use default, black, red, green, yellow, blue, magenta, cyan, white, bright-<name>, or 0-255)"
        case let .unknownAttribute(file, key, value):
            return "\(file): \(key): unknown attribute \"\(value)\" (use bold, dim, underline, reverse)"
        case let .unknownKey(file, key):
            return "\(file): \(key): unknown key"
        case let .wrongType(file, key, expected):
            return "\(file): \(key): expected \(expected)"
        case let .unknownBase(file, key, value):
            let names = Theme.builtIn.map(\.name).joined(separator: ", ")
            return "\(file): \(key): unknown base theme \"\(value)\" (built-in: \(names))"
        }
    }

    public var errorDescription: String? { description }
}

extension Theme {
    /// Reads a theme file:
    ///
    /// ```toml
    /// name = "amber"
    /// base = "monochrome"        # optional: built-in theme for roles left out
    /// [roles.selection]
    /// fg = "black"
    /// bg = "cyan"
    /// attrs = ["bold"]
    /// ```
    ///
    /// Roles the file leaves out come from `base` (monochrome when absent, so
    /// they stay readable). Unknown roles, keys, colours and attributes throw a
    /// `ThemeError` naming the file and key.
    public static func load(contentsOf url: URL) throws -> Theme {
        let file = url.path
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ThemeError.unreadable(file: file, reason: error.localizedDescription)
        }
        let fallbackName = url.deletingPathExtension().lastPathComponent
        return try parse(text, file: file, defaultName: fallbackName)
    }

    /// Parses theme TOML; `file` is only used in error messages.
    public static func parse(_ text: String, file: String, defaultName: String = "custom") throws -> Theme {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ThemeError.syntax(file: file, line: Int(error.source.begin.line),
                                    column: Int(error.source.begin.column), message: error.description)
        }

        var name = defaultName
        var base = Theme.monochrome
        var styles: [ThemeRole: Style] = [:]

        for (key, value) in table {
            switch key {
            case "name":
                guard let s = value.string else {
                    throw ThemeError.wrongType(file: file, key: key, expected: "a string")
                }
                name = s
            case "base":
                guard let s = value.string else {
                    throw ThemeError.wrongType(file: file, key: key, expected: "a string")
                }
                guard let b = Theme.builtIn(named: s) else {
                    throw ThemeError.unknownBase(file: file, key: key, value: s)
                }
                base = b
            case "roles":
                guard let roles = value.table else {
                    throw ThemeError.wrongType(file: file, key: key, expected: "a table of roles")
                }
                for (roleName, spec) in roles {
                    let path = "roles.\(roleName)"
                    guard let role = ThemeRole(rawValue: roleName) else {
                        throw ThemeError.unknownRole(file: file, key: path)
                    }
                    guard let specTable = spec.table else {
                        throw ThemeError.wrongType(file: file, key: path, expected: "a table with fg, bg, attrs")
                    }
                    styles[role] = try parseStyle(specTable, path: path, file: file)
                }
            default:
                throw ThemeError.unknownKey(file: file, key: key)
            }
        }
        return Theme(name: name, styles: styles, fallback: base)
    }

    private static func parseStyle(_ table: TOMLTable, path: String, file: String) throws -> Style {
        var style = Style()
        for (key, value) in table {
            let keyPath = "\(path).\(key)"
            switch key {
            case "fg", "bg":
                let color: Color
                if let s = value.string {
                    guard let c = Color(name: s) else {
                        throw ThemeError.unknownColor(file: file, key: keyPath, value: s)
                    }
                    color = c
                } else if let n = value.int {
                    guard (0...255).contains(n) else {
                        throw ThemeError.unknownColor(file: file, key: keyPath, value: String(n))
                    }
                    color = n < 16 ? .ansi(UInt8(n)) : .index(UInt8(n))
                } else {
                    throw ThemeError.wrongType(file: file, key: keyPath, expected: "a colour name or number")
                }
                if key == "fg" { style.fg = color } else { style.bg = color }
            case "attrs":
                var names: [String] = []
                if let array = value.array {
                    for item in array {
                        guard let s = item.string else {
                            throw ThemeError.wrongType(file: file, key: keyPath, expected: "an array of attribute names")
                        }
                        names.append(s)
                    }
                } else if let s = value.string {
                    names = [s]
                } else {
                    throw ThemeError.wrongType(file: file, key: keyPath, expected: "an array of attribute names")
                }
                for n in names {
                    guard let a = Attributes(name: n) else {
                        throw ThemeError.unknownAttribute(file: file, key: keyPath, value: n)
                    }
                    style.attrs.insert(a)
                }
            default:
                throw ThemeError.unknownKey(file: file, key: keyPath)
            }
        }
        return style
    }

    /// Picks the theme to use:
    /// - `NO_COLOR` set (to any value) or a terminal without colours → monochrome;
    /// - otherwise `<themesDirectory>/<name>.toml` (name defaults to "default");
    /// - a missing or broken file falls back to the built-in theme of that name,
    ///   or the built-in default, and `problem` says why, for a status line.
    public static func resolveWithDiagnostics(
        name: String?, themesDirectory: URL?,
        environment: [String: String], colorsAvailable: Bool
    ) -> (theme: Theme, problem: String?) {
        if environment["NO_COLOR"] != nil || !colorsAvailable {
            return (.monochrome, nil)
        }
        let wanted = (name?.isEmpty == false ? name! : "default")
        var problem: String?
        if let dir = themesDirectory {
            let url = dir.appendingPathComponent(wanted + ".toml")
            if FileManager.default.fileExists(atPath: url.path) {
                do {
                    return (try load(contentsOf: url), nil)
                } catch {
                    problem = String(describing: error)
                }
            } else if Theme.builtIn(named: wanted) == nil {
                problem = "theme \"\(wanted)\" not found in \(dir.path)"
            }
        } else if Theme.builtIn(named: wanted) == nil {
            problem = "theme \"\(wanted)\" not found (no themes directory)"
        }
        return (Theme.builtIn(named: wanted) ?? .default, problem)
    }
}
