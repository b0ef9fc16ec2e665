import ArgumentParser
import BackorderApp
import BackorderCore
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create an empty database with location \(DefaultLocation.code); you become its admin.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Share the database with this group (file 0660) instead of you alone (0600).") var group: String?
    func run() throws {
        try Desk.initialize(path: global.databasePath, userName: global.userName, options: global.createOptions(group: group))
        global.emit(JSON.object([("database", .string(global.databasePath)), ("admin", .string(global.userName)),
                                 ("group", .opt(group))])) {
            "Created \(global.databasePath) with location \(DefaultLocation.code); \(global.userName) is its admin"
                + (group.map { "; members of group \($0) may open it too." } ?? "; only you may open it.")
        }
    }
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Users and roles.", subcommands: [Add.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user (admin).")
        @OptionGroup var global: GlobalOptions
        @Argument var name: String
        @Option(help: "clerk, supervisor or admin") var role: Role
        @Flag(name: .customLong("auto-backorder"), help: "May auto backorder at entry.") var autoBackorder = false
        func run() throws {
            try global.desk().addUser(name, role: role, autoBackorder: autoBackorder)
            global.emit(JSON.object([("user", .string(name)), ("role", .string(role.rawValue)), ("auto_backorder", .bool(autoBackorder))])) {
                "Added \(name) as \(role.rawValue)."
            }
        }
    }
}

extension Role: ExpressibleByArgument {}
extension Terms: ExpressibleByArgument {}
extension FulfillmentPolicy: ExpressibleByArgument {}
extension SplitAnswer: ExpressibleByArgument {}
extension ProcessKind: ExpressibleByArgument {}

struct LocationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "location", abstract: "Locations (warehouses, branches).",
                                                    subcommands: [Add.self, Restrict.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a location (admin).")
        @OptionGroup var global: GlobalOptions
        @Argument var code: String
        @Option var name: String?
        func run() throws {
            let c = try global.desk().addLocation(code, name: name)
            global.emit(JSON.object([("location", .string(c))])) { "Added location \(c)." }
        }
    }
    struct Restrict: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the PO locations this location may backorder from (admin).")
        @OptionGroup var global: GlobalOptions
        @Argument var code: String
        @Option(help: "Comma-separated location codes.") var from: String
        func run() throws {
            let list = from.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            try global.desk().restrictLocation(code, from: list)
            global.emit(JSON.object([("location", .string(code.uppercased())), ("from", .array(list.map { .string($0.uppercased()) }))])) {
                "\(code.uppercased()) may backorder from \(list.map { $0.uppercased() }.joined(separator: ", "))."
            }
        }
    }
}

struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "customer", abstract: "Customers.", subcommands: [Add.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a customer (supervisor).")
        @OptionGroup var global: GlobalOptions
        @Argument var code: String
        @Option var name: String?
        @Option(help: "Default fulfillment priority 0–9.") var priority = 0
        @Option(help: "ar or cod") var terms: Terms = .ar
        func run() throws {
            let c = try global.desk().addCustomer(code, name: name, priority: priority, terms: terms)
            global.emit(JSON.object([("customer", .string(c))])) { "Added customer \(c)." }
        }
    }
}

struct VendorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vendor", abstract: "Vendors.", subcommands: [Add.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a vendor (supervisor).")
        @OptionGroup var global: GlobalOptions
        @Argument var code: String
        @Option var name: String?
        func run() throws {
            let c = try global.desk().addVendor(code, name: name)
            global.emit(JSON.object([("vendor", .string(c))])) { "Added vendor \(c)." }
        }
    }
}

struct ReasonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reason", abstract: "Cancellation reason codes.", subcommands: [Add.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a cancellation reason code (admin).")
        @OptionGroup var global: GlobalOptions
        @Argument var code: String
        @Option var desc: String?
        func run() throws {
            let c = try global.desk().addReason(code, description: desc)
            global.emit(JSON.object([("reason", .string(c))])) { "Added reason \(c)." }
        }
    }
}

struct PrefsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prefs", abstract: "Preferences.", subcommands: [Show.self, Set.self, Log.self])

    static func render(_ p: Preferences) -> JSON {
        .object(Preferences.Key.allCases.map { k in
            let v = p.value(k)
            switch k.kind {
            case .toggle: return (k.rawValue, .bool(v == "true"))
            case .number: return (k.rawValue, .int(Int(v) ?? 0))
            case .choice: return (k.rawValue, .string(v))
            }
        })
    }

    static func human(_ p: Preferences) -> String {
        table(["key", "value", "setting"], Preferences.Key.allCases.map { [$0.rawValue, p.value($0), $0.title] })
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every preference.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            let desk = try global.desk()
            let p = try desk.preferences()
            global.emit(PrefsCommand.render(p)) {
                let schedules = (try? desk.schedules()) ?? []
                return PrefsCommand.human(p) + "\n\nAutomation schedules\n" + table(
                    ["code", "process", "enabled", "every (min)", "last run", "next run", "last result"],
                    schedules.map { ["\($0.code)", $0.process.title, $0.enabled ? "yes" : "no", "\($0.intervalMinutes)",
                                     $0.lastRun ?? "-", $0.nextRun ?? "-", safe($0.lastResult ?? "-")] })
            }
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who changed which preference when, from → to (newest first).")
        @OptionGroup var global: GlobalOptions
        @Option var limit = 100
        func run() throws {
            let rows = try global.desk().preferenceLog(limit: limit)
            global.emit(rows) {
                table(["at", "who", "key", "from", "to"], rows.map { [$0.at, safe($0.actor), $0.key.rawValue, $0.from, $0.to] })
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a preference (admin).")
        @OptionGroup var global: GlobalOptions
        @Argument var key: String
        @Argument var value: String
        func run() throws {
            let p = try global.desk().setPreference(key, value)
            let k = Preferences.Key(rawValue: key.lowercased())!
            global.emit(PrefsCommand.render(p)) { "\(k.rawValue) = \(p.value(k))" }
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Verify invariants I1–I6 from scratch; exit 1 listing every violation.")
    @OptionGroup var global: GlobalOptions
    func run() throws {
        let result = try global.desk().check()
        global.emit(result) {
            result.violations.isEmpty ? "OK: invariants I1–I6 hold." : result.violations.map { safe($0.description) }.joined(separator: "\n")
        }
        if !result.violations.isEmpty { throw ExitCode(1) }
    }
}

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup",
        abstract: "A consistent copy of the database while others work (supervisor), checked before it takes the name FILE.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The copy to write (replaced if it exists, once the new copy checks out).") var file: String
    func run() throws {
        let r = try global.desk().backup(to: file)
        global.emit(r) {
            "Backed up \(r.database) to \(r.file): \(r.size); \(r.countsText). Integrity ok; invariants I1–I6 hold."
        }
    }
}

struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "copy",
        abstract: "Copy the whole desk into an empty PostgreSQL database or a new SQLite file (admin), all or nothing; checks both sides.")
    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "postgres://USER@HOST[:PORT]/DB[?host=SOCKET_DIR] (an empty database), or a new file.") var to: String
    func run() throws {
        let r = try global.desk().copy(to: to)
        global.emit(r) {
            "Copied \(r.from) to \(r.to): \(r.countsText). "
                + (r.sourceViolations.isEmpty && r.targetViolations.isEmpty ? "Invariants I1–I6 hold on both sides."
                   : "Check: \(r.sourceViolations.count) violation(s) on the source, \(r.targetViolations.count) on the copy.")
        }
        if !(r.sourceViolations.isEmpty && r.targetViolations.isEmpty) { throw ExitCode(1) }
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore",
        abstract: "Replace the database with a checked backup (admin), only when no other process has it open; the replaced file is kept beside it.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A file written by `backorders backup`.") var file: String
    func run() throws {
        let r = try Desk.restore(path: global.databasePath, from: file, userName: global.userName, clock: try global.clock())
        global.emit(r) {
            "Restored \(r.database) from \(r.file): \(r.size); \(r.countsText)."
                + (r.replacedKeptAs.map { "\nThe replaced database is kept as \($0)." } ?? "")
        }
    }
}
