import ArgumentParser
import BackorderApp
import BackorderCore
import BackorderStore
import Foundation

/// Options every command takes, before or after the subcommand.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Database file or postgres://USER@HOST[:PORT]/DB[?host=SOCKET_DIR] (else BACKORDERS_DB, else $XDG_DATA_HOME/backorders/backorders.sqlite).")
    var db: String?

    @Option(name: .long, help: "Who is working (else BACKORDERS_USER, else the login name).")
    var user: String?

    @Flag(name: .long, help: "Print one JSON document instead of a table.")
    var json = false

    @Option(name: .long, help: "Use this date (YYYY-MM-DD) as today for every rule that reads it.")
    var today: String?

    static let names: Set<String> = ["--db", "--user", "--today"]
    static let flags: Set<String> = ["--json"]

    var databasePath: String {
        let env = ProcessInfo.processInfo.environment
        if let db, !db.isEmpty { return db }
        if let p = env["BACKORDERS_DB"], !p.isEmpty { return p }
        // XDG: $XDG_DATA_HOME, else $HOME/.local/share. (NSHomeDirectory() alone would ignore
        // $HOME on Linux and use the password database's home.)
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (home as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("backorders/backorders.sqlite")
    }

    var userName: String {
        let env = ProcessInfo.processInfo.environment
        if let user, !user.isEmpty { return user }
        if let u = env["BACKORDERS_USER"], !u.isEmpty { return u }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return env["USER"] ?? "admin"
    }

    func clock() throws -> Clock {
        let fixedDay: Day? = try today.map { try Input.day($0, field: "--today") }
        return Clock {
            let now = Date()
            let offset = TimeZone.current.secondsFromGMT(for: now)
            let local = Moment(seconds: Int(now.timeIntervalSince1970) + offset)
            guard let day = fixedDay else { return local }
            return Moment(day: day, secondOfDay: local.secondOfDay)
        }
    }

    /// The default database's folder is created when missing (0700); a path given with `--db` or
    /// `BACKORDERS_DB` must be in a folder that exists.
    var isDefaultPath: Bool {
        let env = ProcessInfo.processInfo.environment
        return (db ?? "").isEmpty && (env["BACKORDERS_DB"] ?? "").isEmpty
    }

    func createOptions(group: String? = nil) -> AppDatabase.CreateOptions {
        AppDatabase.CreateOptions(group: group, createFolders: isDefaultPath)
    }

    /// The desk's store: a SQLite file, or PostgreSQL for `postgres://…`.
    func database(create: Bool = false) throws -> any BackorderStoring {
        try Desk.openStore(databasePath, create: create, options: createOptions())
    }

    func desk() throws -> Desk {
        try Desk(store: database(), userName: userName, clock: clock())
    }

    /// Prints a result: JSON with `--json`, else the human form.
    func emit(_ value: JSONConvertible, human: () -> String) {
        if json { print(value.json.render(pretty: true)) } else {
            let text = human()
            if !text.isEmpty { print(text) }
        }
    }
}

/// Moves global options found before the subcommand to the end, so that
/// `backorders --db x order show 1001` and `backorders order show 1001 --db x` mean the same.
///
/// A negative number where a value is expected on its own (`adjust LIC -3`, cli.md) would be read
/// as an unknown option; such numbers are passed after a `--` terminator, which keeps them values.
/// One right after an option (`--priority -1`) is that option's value and stays where it is.
func rearrangeGlobalOptions(_ args: [String]) -> [String] {
    var globals: [String] = []
    var rest: [String] = []
    var negatives: [String] = []
    var i = 0
    var seenTerminator = false
    let hasTerminator = args.contains("--")
    func isNegativeNumber(_ s: String) -> Bool { s.count > 1 && s.first == "-" && s.dropFirst().allSatisfy(\.isASCII) && Int(s) != nil }
    while i < args.count {
        let a = args[i]
        if seenTerminator { rest.append(a); i += 1; continue }
        if a == "--" { seenTerminator = true; rest.append(a); i += 1; continue }
        if GlobalOptions.flags.contains(a) { globals.append(a); i += 1; continue }
        if GlobalOptions.names.contains(a), i + 1 < args.count { globals += [a, args[i + 1]]; i += 2; continue }
        if let eq = a.firstIndex(of: "="), GlobalOptions.names.contains(String(a[..<eq])) { globals.append(a); i += 1; continue }
        if !hasTerminator, isNegativeNumber(a) {
            let previous = i > 0 ? args[i - 1] : ""
            if !previous.hasPrefix("-") || GlobalOptions.flags.contains(previous) || knownFlags.contains(previous)
                || isNegativeNumber(previous) || previous.contains("=") {
                negatives.append(a)
                i += 1
                continue
            }
            // `--priority -1`: the option's value, joined to it (`--priority=-1`) so that it is not
            // read as an option of its own; the command then says what range the value must be in.
            if previous.hasPrefix("--"), let last = rest.last, last == previous {
                rest[rest.count - 1] = "\(previous)=\(a)"
                i += 1
                continue
            }
        }
        rest.append(a)
        i += 1
    }
    if let t = rest.firstIndex(of: "--") { rest.insert(contentsOf: globals, at: t); return rest }
    return rest + globals + (negatives.isEmpty ? [] : ["--"] + negatives)
}

/// The commands' flags (options without a value): a negative number after one is a value of its own.
let knownFlags: Set<String> = ["--json", "--preview", "--keep-if-short", "--keep-backorders", "--no-attach", "--draft", "--reset",
                               "--no-tui", "--once", "--keep", "--non-inventoried", "--auto-backorder", "--help", "-h"]

/// Formats rows as an aligned text table; numbers are right-aligned.
func table(_ header: [String], _ rows: [[String]]) -> String {
    guard !rows.isEmpty else { return "(none)" }
    var widths = header.map(\.count)
    for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
    func isNumber(_ s: String) -> Bool { !s.isEmpty && Double(s.replacingOccurrences(of: ",", with: "")) != nil }
    func line(_ cells: [String], alignNumbers: Bool) -> String {
        cells.enumerated().map { i, c in
            let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
            return alignNumbers && isNumber(c) ? pad + c : c + pad
        }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    return ([line(header, alignNumbers: false), line(widths.map { String(repeating: "-", count: $0) }, alignNumbers: false)]
            + rows.map { line($0, alignNumbers: true) }).joined(separator: "\n")
}

func money(_ cents: Int) -> String {
    let sign = cents < 0 ? "-" : ""
    let c = abs(cents)
    let frac = c % 100
    return "\(sign)\(c / 100).\(frac < 10 ? "0" : "")\(frac)"
}

/// Text from the database, made safe for a terminal: control characters and escape sequences
/// are neutralised.
func safe(_ s: String) -> String {
    String(String.UnicodeScalarView(s.unicodeScalars.map { u in
        (u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value)) ? "\u{FFFD}" : u
    }))
}

/// Writes a line to standard output at once (the scheduler's log is read live).
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
