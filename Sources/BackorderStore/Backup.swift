import BackorderCore
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a backup copy holds, as checked.
public struct CopyReport: Sendable, Hashable {
    public var file: String
    public var bytes: Int
    public var counts: [(name: String, rows: Int)]
    public var violations: [InvariantCheck.Violation]
    public var integrity: String

    public static func == (a: CopyReport, b: CopyReport) -> Bool {
        a.file == b.file && a.bytes == b.bytes && a.counts.map(\.name) == b.counts.map(\.name)
            && a.counts.map(\.rows) == b.counts.map(\.rows) && a.violations == b.violations && a.integrity == b.integrity
    }
    public func hash(into h: inout Hasher) { h.combine(file); h.combine(bytes) }

    public var isSound: Bool { integrity == "ok" && violations.isEmpty }
}

extension AppDatabase {
    /// The tables a backup reports the rows of, with their names in words.
    static let countedTables: [(table: String, name: String)] = [
        ("orders", "orders"), ("order_line", "order_lines"), ("lic", "lics"), ("customer", "customers"),
        ("vendor", "vendors"), ("location", "locations"), ("app_user", "users"), ("purchase_order", "purchase_orders"),
        ("shipment", "shipments"), ("invoice", "invoices"), ("ledger", "ledger_rows"), ("process_run", "process_runs"),
    ]

    /// A consistent copy of the database at `destination` while others keep working: SQLite's
    /// online backup from one read snapshot (writers are not held up), into a new file beside the
    /// destination that is checked (integrity, I1–I6) and only then renamed into place. The copy
    /// gets the database's mode (0600, or 0660 for a shared desk) and is a single file (no WAL).
    public func backup(to destination: String) throws -> CopyReport {
        try Self.refuseDirectory(destination)
        let dir = (destination as NSString).deletingLastPathComponent
        if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
            throw DeskError.invalid("cannot write \(destination): the folder \(dir) does not exist")
        }
        if Self.sameFile(destination, path) {
            throw DeskError.invalid("\(destination) is the database itself; give the backup another name")
        }
        let partial = destination + ".partial-\(getpid())"
        try? FileManager.default.removeItem(atPath: partial)
        try Self.createCopyFile(partial, like: path)
        do {
            let queue = try DatabaseQueue(path: partial)
            try readers.backup(to: queue)
            try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }
            try queue.close()
            return try Self.publishCheckedCopy(partial, as: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            if let e = error as? DatabaseError { throw DeskError.refused("the backup failed: \(Self.plain(e)); nothing was written to \(destination)") }
            throw error
        }
    }

    /// Checks the copy `partial` (integrity, I1–I6) and, if it is sound, gives it the name
    /// `destination` (replacing what had it); its report, named `destination`.
    static func publishCheckedCopy(_ partial: String, as destination: String) throws -> CopyReport {
        let report = try inspectCopy(partial)
        guard report.isSound else {
            throw DeskError.refused("the copy did not check out (\(report.integrity == "ok" ? "\(report.violations.count) invariant violation(s)" : report.integrity)); nothing was written to \(destination)")
        }
        guard rename(partial, destination) == 0 else {
            throw DeskError.refused("cannot write \(destination): \(String(cString: strerror(errno)))")
        }
        var final = report
        final.file = destination
        return final
    }

    /// Checks a copy without changing it: ours, not newer than this program, integrity, I1–I6 (a copy
    /// from an older version as the desk it becomes once upgraded), and its row counts.
    public static func inspectCopy(_ file: String) throws -> CopyReport {
        try refuseDirectory(file)
        guard FileManager.default.fileExists(atPath: file) else { throw DeskError.notFound("there is no file \(file)") }
        try verifyIsOurs(path: file)
        let state = try schemaState(path: file)
        if state == .newer { throw OpenError.newer(file) }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        guard state == .behind else { return try inspect(file, as: file, bytes: bytes) }
        // A copy an older version wrote: what is checked is the desk it becomes, on an upgraded
        // working copy; the copy itself stays as it was.
        let working = FileManager.default.temporaryDirectory.appendingPathComponent("backorders-inspecting-\(getpid())-\(UUID().uuidString).sqlite").path
        try workingCopy(of: file, at: working, like: file)
        defer { removeFiles(working) }
        do {
            try AppDatabase(path: working, create: false).close()
        } catch let e as DatabaseError {
            throw DeskError.refused("\(file) cannot be upgraded to this version: \(plain(e))")
        }
        return try inspect(working, as: file, bytes: bytes)
    }

    /// The integrity, counts and invariants of the current-version database at `path`, reported as `file`'s.
    private static func inspect(_ path: String, as file: String, bytes: Int) throws -> CopyReport {
        do {
            return try readOnly(path) { db in
                let integrity = (try String.fetchAll(db, sql: "PRAGMA integrity_check")).joined(separator: "; ")
                let counts = try countedTables.map { t in
                    (t.name, (try? Int.fetchOne(db, sql: "SELECT count(*) FROM \(t.table)")) ?? 0)
                }
                let violations = integrity == "ok" ? try InvariantCheck.run(db) : []
                return CopyReport(file: file, bytes: bytes, counts: counts, violations: violations, integrity: integrity)
            }
        } catch let e as DatabaseError {
            throw DeskError.refused("\(file) cannot be read as a Backorders database: \(plain(e))")
        }
    }

    static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    /// An empty file with the mode and group of `model` (0600 when there is none).
    static func createCopyFile(_ file: String, like model: String) throws {
        var st = stat()
        let haveModel = stat(model, &st) == 0
        let mode: mode_t = haveModel ? st.st_mode & 0o660 : 0o600
        let fd = open(file, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode)
        guard fd >= 0 else { throw DeskError.refused("cannot write \(file): \(String(cString: strerror(errno)))") }
        if haveModel { _ = fchown(fd, uid_t.max, st.st_gid) }
        fchmod(fd, mode == 0 ? 0o600 : mode)
        closeDescriptor(fd)
    }

    /// The first other process holding a lock on the file (SQLite holds one for as long as a
    /// connection is open), or nil.
    static func otherHolder(_ file: String) -> pid_t? {
        let fd = open(file, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { closeDescriptor(fd) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 0
        guard fcntl(fd, F_GETLK, &lock) == 0 else { return nil }
        return lock.l_type == Int16(F_UNLCK) ? nil : lock.l_pid
    }

    /// A copy of the backup `file` at `working` (its mode and group those of `model`) to open,
    /// upgrade and check instead of the backup itself, which stays as it was.
    public static func workingCopy(of file: String, at working: String, like model: String) throws {
        removeFiles(working)
        try createCopyFile(working, like: model)
        do {
            // A byte copy through SQLite's backup (the copy may be in WAL or rollback mode).
            let source = try DatabaseQueue(path: file, configuration: { var c = Configuration(); c.readonly = true; return c }())
            let target = try DatabaseQueue(path: working)
            try source.backup(to: target)
            try target.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }
            try source.close()
            try target.close()
        } catch let e as DatabaseError {
            removeFiles(working)
            throw DeskError.refused("cannot copy \(file): \(plain(e)); nothing was changed")
        }
    }

    /// Removes a database file and its -wal and -shm, those that exist.
    public static func removeFiles(_ path: String) {
        for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
    }

    /// Replaces the database at `path` with the checked copy `file` — only when no other process
    /// has it open — keeping the replaced file (and any write-ahead log of it) beside it as
    /// `path.replaced-STAMP`. `prepare` runs on a working copy before the swap (it is migrated
    /// to this version and checked there); returns the name the replaced file was given, if any.
    public static func replace(_ path: String, with file: String, stamp: String,
                               check: (AppDatabase) throws -> Void) throws -> String? {
        try refuseDirectory(path)
        if sameFile(file, path) { throw DeskError.invalid("\(file) is the database itself") }
        let working = path + ".restoring-\(getpid())"
        var swapped = false
        defer { if !swapped { removeFiles(working) } }
        try workingCopy(of: file, at: working, like: FileManager.default.fileExists(atPath: path) ? path : file)
        do {
            let copy = try AppDatabase(path: working, create: false)
            try check(copy)
            try copy.close()
        }

        let exists = FileManager.default.fileExists(atPath: path)
        // Nobody may have it open: SQLite keeps a lock on the file (and on its -shm) while open.
        for f in [path, path + "-shm"] where FileManager.default.fileExists(atPath: f) {
            if let pid = otherHolder(f) {
                throw DeskError.refused("\(path) is open in another process (pid \(pid)): close every desk on it and stop its scheduler, then restore again; nothing was changed")
            }
        }
        var kept: String?
        if exists {
            let aside = path + ".replaced-\(stamp)"
            guard rename(path, aside) == 0 else {
                throw DeskError.refused("cannot move \(path) aside: \(String(cString: strerror(errno))); nothing was changed")
            }
            for s in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + s) { rename(path + s, aside + s) }
            kept = aside
        }
        guard rename(working, path) == 0 else {
            let why = String(cString: strerror(errno))
            if let kept { rename(kept, path) }
            throw DeskError.refused("cannot put the copy in place: \(why); nothing was changed")
        }
        swapped = true
        return kept
    }
}
