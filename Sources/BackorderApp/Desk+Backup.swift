import BackorderCore
import BackorderStore
import Foundation

/// What `backup` and `restore` report: the file, its size and what it holds.
public struct CopyResult: JSONConvertible, Sendable {
    public var database: String
    public var file: String
    public var report: CopyReport
    /// Restore: where the replaced database was kept (nil if there was none).
    public var replacedKeptAs: String?

    public var json: JSON {
        var fields: [(String, JSON)] = [("database", .string(database)), ("file", .string(file)), ("bytes", .int(report.bytes)),
                                        ("integrity", .string(report.integrity)), ("check", .string(report.violations.isEmpty ? "ok" : "violations"))]
        fields += report.counts.map { ($0.name, JSON.int($0.rows)) }
        if let replacedKeptAs { fields.append(("replaced_kept_as", .string(replacedKeptAs))) }
        return .object(fields)
    }

    /// "12.3 MB"
    public var size: String {
        let b = Double(report.bytes)
        if b >= 1_000_000_000 { return String(format: "%.1f GB", b / 1_000_000_000) }
        if b >= 1_000_000 { return String(format: "%.1f MB", b / 1_000_000) }
        return String(format: "%.0f kB", max(1, b / 1_000))
    }

    public var countsText: String {
        report.counts.map { "\(Input.grouped($0.rows)) \($0.name.replacingOccurrences(of: "_", with: " "))" }.joined(separator: ", ")
    }
}

/// What `copy` reports: where from, where to, the rows of every table, each side's check.
public struct DeskCopyResult: JSONConvertible, Sendable {
    public var from: String
    public var to: String
    public var counts: [(table: String, rows: Int)]
    public var sourceViolations: [InvariantCheck.Violation]
    public var targetViolations: [InvariantCheck.Violation]

    public var json: JSON {
        .object([("from", .string(from)), ("to", .string(to)),
                 ("rows", .object(counts.map { ($0.table, JSON.int($0.rows)) })),
                 ("source_check", .string(sourceViolations.isEmpty ? "ok" : "violations")),
                 ("target_check", .string(targetViolations.isEmpty ? "ok" : "violations"))])
    }

    public var countsText: String {
        counts.filter { $0.rows > 0 }.map { "\(Input.grouped($0.rows)) \($0.table)" }.joined(separator: ", ")
    }
}

extension Desk {
    /// Copies the whole desk into an empty one — a PostgreSQL database (`postgres://…`) or a new
    /// SQLite file — in one transaction, and checks both sides (admin).
    public func copy(to target: String) throws -> DeskCopyResult {
        try require(.admin, to: "copying the desk")
        guard let source = store as? any SQLStore else { throw DeskError.refused("this store cannot be copied") }
        if PostgresAddress.isPostgres(target) {
            let address = try PostgresAddress(target)
            if address == (store as? PostgresStore)?.address { throw DeskError.invalid("\(address) is the desk itself; give another database") }
            let to = try PostgresStore(address: address, create: true)
            let r = try DeskCopy.copy(from: source, to: to)
            return DeskCopyResult(from: store.path, to: to.path, counts: r.counts, sourceViolations: r.sourceViolations,
                                  targetViolations: r.targetViolations)
        }
        let report = try DeskCopy.copy(from: source, toFile: target)
        return DeskCopyResult(from: store.path, to: target, counts: report.counts.map { (table: $0.name, rows: $0.rows) },
                              sourceViolations: try store.check(), targetViolations: report.violations)
    }

    /// A restore onto a PostgreSQL desk: an admin of it replaces every row with the checked copy's
    /// in one transaction, after the current desk is kept as a SQLite file beside the copy
    /// (`NAME.replaced-STAMP.sqlite`).
    static func restorePostgres(path: String, from file: String, report: CopyReport, userName: String, clock: Clock) throws -> CopyResult {
        let address = try PostgresAddress(path)
        let current = try PostgresStore(address: address, create: false)
        try Desk(store: current, userName: userName, clock: clock).require(.admin, to: "restoring a backup")
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.locale = Locale(identifier: "en_US_POSIX")
        let dir = (file as NSString).deletingLastPathComponent
        let kept = ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent("\(address.database).replaced-\(f.string(from: Date())).sqlite")
        _ = try DeskCopy.copy(from: current, toFile: kept)
        // A backup from an older version is upgraded on a working copy (`inspectCopy` has checked
        // the desk it becomes); the backup stays as it was.
        let working = FileManager.default.temporaryDirectory.appendingPathComponent("backorders-restoring-\(getpid())-\(UUID().uuidString).sqlite").path
        try AppDatabase.workingCopy(of: file, at: working, like: file)
        defer { AppDatabase.removeFiles(working) }
        let copy = try AppDatabase(path: working, create: false)
        let r = try DeskCopy.copy(from: copy, to: current, replacing: true)
        try copy.close()
        guard r.targetViolations.isEmpty else {
            throw DeskError.refused("the restored desk does not check out (\(r.targetViolations.count) violation(s)); the replaced desk is kept as \(kept)")
        }
        return CopyResult(database: path, file: file, report: report, replacedKeptAs: kept)
    }

    /// A consistent copy of the database while others keep working, checked (integrity, I1–I6)
    /// before it takes the name `file` (supervisor: it holds everything an export does).
    public func backup(to file: String) throws -> CopyResult {
        try require(.supervisor, to: "backing up the database")
        let report = try store.backup(to: file)
        return CopyResult(database: store.path, file: file, report: report, replacedKeptAs: nil)
    }

    /// Replaces the database at `path` with the backup `file`, after checking the copy, only when
    /// no other process has the database open; the replaced file is kept beside it. The user
    /// must be an admin of the current database — or, when there is none or it cannot be opened
    /// (damaged), of the copy. (Files: SQLite's, outside `BackorderStoring`; another store restores its own way.)
    public static func restore(path: String, from file: String, userName: String, clock: Clock) throws -> CopyResult {
        let report = try AppDatabase.inspectCopy(file)
        guard report.isSound else {
            throw DeskError.refused("\(file) does not check out (\(report.integrity == "ok" ? report.violations.map(\.description).prefix(3).joined(separator: "; ") : report.integrity)); nothing was changed")
        }
        if PostgresAddress.isPostgres(path) { return try restorePostgres(path: path, from: file, report: report, userName: userName, clock: clock) }
        var checkedAgainstCurrent = false
        if FileManager.default.fileExists(atPath: path) {
            do {
                let current = try AppDatabase(path: path, create: false)
                let desk = try Desk(store: current, userName: userName, clock: clock)
                try desk.require(.admin, to: "restoring a backup")
                try current.close()
                checkedAgainstCurrent = true
            } catch let e as AppDatabase.OpenError {
                switch e {
                case .notOurs, .cannot: break // damaged: the copy's admins decide
                default: throw e
                }
            }
        }
        let now = Date()
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.locale = Locale(identifier: "en_US_POSIX")
        let kept = try AppDatabase.replace(path, with: file, stamp: f.string(from: now)) { copy in
            let violations = try copy.check()
            guard violations.isEmpty else {
                throw DeskError.refused("\(file) does not check out after upgrading it: \(violations.prefix(3).map(\.description).joined(separator: "; ")); nothing was changed")
            }
            if !checkedAgainstCurrent {
                try Desk(store: copy, userName: userName, clock: clock).require(.admin, to: "restoring a backup")
            }
        }
        var final = report
        final.file = file
        return CopyResult(database: path, file: file, report: final, replacedKeptAs: kept)
    }
}
