/// A point in time as the desk records it: a local calendar day and a second of that day.
public struct Moment: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var day: Day
    public var secondOfDay: Int

    public init(day: Day, secondOfDay: Int) {
        self.day = day
        self.secondOfDay = max(0, min(86_399, secondOfDay))
    }

    /// Seconds since 1970-01-01 00:00 of the desk's calendar.
    public var seconds: Int { day.ordinal * 86_400 + secondOfDay }

    public init(seconds: Int) {
        let d = Int((Double(seconds) / 86_400).rounded(.down))
        self.init(day: Day(ordinal: d), secondOfDay: seconds - d * 86_400)
    }

    public func adding(seconds s: Int) -> Moment { Moment(seconds: seconds + s) }

    /// `YYYY-MM-DD HH:MM:SS`, which sorts as text in time order.
    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(day) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
    }

    public init?(_ text: String) {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let day = Day(String(parts[0])) else { return nil }
        let hms = parts[1].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3 else { return nil }
        self.init(day: day, secondOfDay: hms[0] * 3600 + hms[1] * 60 + hms[2])
    }

    public static func < (a: Moment, b: Moment) -> Bool { a.seconds < b.seconds }
}

/// The clock, injected so that every rule that reads the date is reproducible (`--today`).
public struct Clock: Sendable {
    public var now: @Sendable () -> Moment

    public init(now: @escaping @Sendable () -> Moment) { self.now = now }

    public var today: Day { now().day }

    /// A clock stopped at one moment (tests).
    public static func fixed(_ moment: Moment) -> Clock { Clock { moment } }
}
