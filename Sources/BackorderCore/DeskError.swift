import Foundation

/// Every refusal the desk can give, with a message a clerk can act on.
public enum DeskError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Bad input: nothing was written.
    case invalid(String)
    /// The code, number or name does not exist.
    case notFound(String)
    /// The user's role does not allow this.
    case forbidden(String)
    /// The action is not possible in the current state.
    case refused(String)
    /// A question the user must answer before the action can be taken (a short line's split,
    /// cancelling a ship-complete-or-cancel order, a remainder at invoicing). Nothing was written;
    /// each front end words the question for itself (the TUI asks inline, the command line names
    /// its flags).
    case question(DeskQuestion)

    public var description: String {
        switch self {
        case .invalid(let m), .notFound(let m), .forbidden(let m), .refused(let m): return m
        case .question(let q): return q.text
        }
    }
}

/// The questions the desk asks, as values: the words belong to the front end.
public enum DeskQuestion: Equatable, Sendable {
    /// §4.2: a line of `requested` `lic` with only `available` available to the order (maybe 0).
    case split(lic: String, requested: Int, available: Int)
    /// §5 ship complete or cancel entire order: a line is short at entry; cancel the order or keep it.
    case cancelIfShort
    /// §5 ship partial, cancel backorders: invoicing `order` leaves `units` backordered; cancel them
    /// (with a reason) or keep them on an extended suborder.
    case remainder(order: String, units: Int)
    /// A receipt of `qty` against a PO with only `open` of the LIC open: record the excess as an
    /// unplanned receipt?
    case excessOverPO(po: String, lic: String, open: Int, qty: Int)

    /// The question in plain words, without any front end's keys or flags.
    public var text: String {
        switch self {
        case let .split(lic, requested, available):
            if available == 0 {
                return "None of \(requested) \(lic) available. Ship as it arrives, or wait for all \(requested)?"
            }
            return "Only \(available) of \(requested) \(lic) available. Split by availability?"
        case .cancelIfShort:
            return "A line is short and the order ships complete or is cancelled entirely: cancel the order, or keep it until everything is allotted?"
        case let .remainder(order, units):
            return "Order \(order) has \(units) unit(s) backordered: cancel them, or keep them on an extended suborder?"
        case let .excessOverPO(po, lic, open, qty):
            return "Purchase order \(po) has only \(open) \(lic) open: receive \(open) on it and record the other \(qty - open) as an unplanned receipt?"
        }
    }
}

/// Parsing of the quantities and codes users type, with the limits of product §9.
public enum Input {
    public static let maxQuantity = 1_000_000_000

    /// One of the desk's words (a status, a policy) as typed, any case: `field must be one of …`.
    public static func word<W: RawRepresentable & CaseIterable>(_ text: String, field: String, as type: W.Type = W.self) throws -> W
        where W.RawValue == String {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let w = W(rawValue: t) else {
            throw DeskError.invalid("\(field) must be one of \(W.allCases.map(\.rawValue).joined(separator: ", ")), not \(quote(text))")
        }
        return w
    }

    /// A positive whole quantity, 1 … 1,000,000,000.
    public static func quantity(_ text: String, field: String = "quantity") throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let n = Int(t) else {
            throw DeskError.invalid("\(field) must be a whole number 1–1,000,000,000, not \(quote(text))")
        }
        return try quantity(n, field: field)
    }

    public static func quantity(_ n: Int, field: String = "quantity") throws -> Int {
        guard n > 0 else { throw DeskError.invalid("\(field) must be at least 1 (1–1,000,000,000), not \(n)") }
        guard n <= maxQuantity else { throw DeskError.invalid("\(field) must be at most 1,000,000,000 (1–1,000,000,000), not \(n)") }
        return n
    }

    /// A number grouped by thousands for messages: 1000000000 → "1,000,000,000".
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Text a user typed or a file held, quoted for a message: at most `limit` characters, control
    /// characters neutralised ("'AAAA…' (10,485,760 characters)").
    public static func quote(_ text: String, limit: Int = 40) -> String {
        func clean<S: StringProtocol>(_ s: S) -> String {
            String(String.UnicodeScalarView(s.unicodeScalars.map { u in
                (u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value)) ? "\u{FFFD}" : u
            }))
        }
        let n = text.count
        if n <= limit { return "'\(clean(text))'" }
        return "'\(clean(text.prefix(limit)))…' (\(grouped(n)) characters)"
    }

    /// "0–9", "1–1,000,000,000", "1 or more".
    public static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "\(grouped(range.lowerBound)) or more" : "\(grouped(range.lowerBound))–\(grouped(range.upperBound))"
    }

    /// A whole number in `range`; the refusal says the range ("line must be 1–999, not -1").
    public static func integer(_ n: Int, field: String, range: ClosedRange<Int>) throws -> Int {
        guard range.contains(n) else { throw DeskError.invalid("\(field) must be \(describe(range)), not \(n)") }
        return n
    }

    public static func integer(_ text: String, field: String, range: ClosedRange<Int>) throws -> Int {
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw DeskError.invalid("\(field) must be a whole number \(describe(range)), not \(quote(text))")
        }
        return try integer(n, field: field, range: range)
    }

    /// A signed adjustment like +5 or -3 (never 0).
    public static func delta(_ text: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        let body = t.hasPrefix("+") ? String(t.dropFirst()) : t
        guard let n = Int(body), !body.hasPrefix("+") else {
            throw DeskError.invalid("adjustment must be a whole number like +5 or -3, not '\(text)'")
        }
        guard n != 0 else { throw DeskError.invalid("adjustment must not be 0") }
        guard abs(n) <= maxQuantity else { throw DeskError.invalid("adjustment must be -1,000,000,000 to +1,000,000,000 units (not 0), not \(n)") }
        return n
    }

    /// Money in cents: a whole number ≥ 0.
    public static func cents(_ text: String, field: String) throws -> Int {
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)), n >= 0, n <= 100_000_000_000 else {
            throw DeskError.invalid("\(field) must be a whole number of cents 0–100,000,000,000, not \(quote(text))")
        }
        return n
    }

    public static func priority(_ n: Int) throws -> Int {
        guard (0...9).contains(n) else { throw DeskError.invalid("priority must be 0–9, not \(n)") }
        return n
    }

    public static func day(_ text: String, field: String = "date") throws -> Day {
        guard let d = Day(text.trimmingCharacters(in: .whitespaces)) else {
            throw DeskError.invalid("\(field) must be a date like 2026-01-31, not \(quote(text))")
        }
        return d
    }

    /// A code for a LIC, customer, vendor, location or reason: letters, digits and - _ . /, 1–32 chars.
    public static func code(_ text: String, kind: String) throws -> String {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let allowed = t.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains(Character($0)))) || "-_./".unicodeScalars.contains($0)
        }
        guard !t.isEmpty, t.count <= 32, allowed else {
            throw DeskError.invalid("\(kind) code must be 1–32 letters, digits or - _ . /, not \(quote(text))")
        }
        return t
    }

    /// A tax rate in percent such as 8.25, kept as parts per million of the amount (82500).
    public static func taxRatePPM(_ text: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, whole <= 100,
              parts[0].allSatisfy(\.isNumber) else {
            throw DeskError.invalid("tax rate must be a percentage 0–100 like 8.25, not '\(text)'")
        }
        var fraction = 0
        if parts.count == 2 {
            let f = parts[1]
            guard !f.isEmpty, f.count <= 4, f.allSatisfy(\.isNumber), let v = Int(f) else {
                throw DeskError.invalid("tax rate must be a percentage like 8.25 (at most 4 decimals), not '\(text)'")
            }
            fraction = v * [1, 1000, 100, 10, 1][f.count]
        }
        let ppm = whole * 10_000 + fraction
        guard ppm <= 1_000_000 else { throw DeskError.invalid("tax rate must be 0–100 percent, not \(text)") }
        return ppm
    }
}
