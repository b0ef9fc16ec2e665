import Foundation

/// A JSON value with ordered keys and explicit nulls, so that `--json` output has exactly the
/// fields of the command-line contract, in a stable order.
public indirect enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    /// A measurement, printed with three decimals.
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.render() == b.render() }

    public static func opt(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
    public static func opt(_ n: Int?) -> JSON { n.map(JSON.int) ?? .null }
    /// One of the desk's words (a status, a policy, a kind) as the JSON spells it: its raw value.
    public static func word<W: RawRepresentable>(_ w: W) -> JSON where W.RawValue == String { .string(w.rawValue) }

    public func render(pretty: Bool = false, indent: String = "") -> String {
        let nl = pretty ? "\n" : ""
        let inner = pretty ? indent + "  " : ""
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let n): return String(n)
        case .number(let d): return d.isFinite ? String(format: "%.3f", d) : "null"
        case .string(let s): return JSON.quote(s)
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[" + nl + items.map { inner + $0.render(pretty: pretty, indent: inner) }.joined(separator: "," + nl) + nl + indent + "]"
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            let sep = pretty ? ": " : ":"
            return "{" + nl + pairs.map { inner + JSON.quote($0.0) + sep + $0.1.render(pretty: pretty, indent: inner) }
                .joined(separator: "," + nl) + nl + indent + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value) {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// Field access for tests and table printing.
    public subscript(key: String) -> JSON? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }
}

/// Something the command line can print as JSON.
public protocol JSONConvertible {
    var json: JSON { get }
}

extension Array: JSONConvertible where Element: JSONConvertible {
    public var json: JSON { .array(map(\.json)) }
}

extension JSON: JSONConvertible {
    public var json: JSON { self }
}
