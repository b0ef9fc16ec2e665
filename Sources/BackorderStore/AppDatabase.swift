import BackorderCore
import Foundation
import CSQLiteConfig
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one type that owns the database: opens it, checks it is ours, migrates it, and hands out
/// read snapshots and write transactions.
///
/// Several terminals and cron jobs share one file: WAL mode, a busy timeout, and every write a
/// `BEGIN IMMEDIATE` transaction, so a writer that reads quantities and then changes them cannot
/// interleave with another writer.
///
/// Reading never writes and never waits for a writer: the version is checked through a
/// read-only connection, reads go through read-only connections (WAL readers see the last
/// commit), and the one writing connection is opened only when something is first written.
/// Migrations run only when the file is behind this program.
public final class AppDatabase: SQLStore, @unchecked Sendable {
    public let path: String
    /// The file (or its folder) may not be written: reads work, every write is refused.
    public let isReadOnly: Bool
    let readers: DatabasePool
    private let writerLock = NSLock()
    private var writerQueue: DatabaseQueue?
    private let configuration: Configuration
    /// Lets this process's writes in between the slices of another's process run.
    let turnstile: Turnstile
    /// Copies the write-ahead log into the file off the writers' commits.
    let checkpointer: Checkpointer

    /// How long a write waits for another process's write transaction before it is refused as busy
    /// (seconds; `BACKORDERS_BUSY_TIMEOUT` overrides the default of 30).
    public static var busyTimeout: Double {
        ProcessInfo.processInfo.environment["BACKORDERS_BUSY_TIMEOUT"].flatMap(Double.init).map { max(0, $0) } ?? 30
    }

    public enum OpenError: Error, CustomStringConvertible, Equatable {
        case notOurs(String)
        case newer(String)
        case missing(String)
        case cannot(String, String)
        case directory(String)
        case noFolder(String)
        case readOnlyBehind(String)
        case group(String, String)

        public var description: String {
            switch self {
            case .notOurs(let p): return "\(p) is not a Backorders database; nothing was changed"
            case .newer(let p): return "\(p) was written by a newer version of Backorders; upgrade the program to open it (nothing was changed)"
            case .missing(let p):
                let dir = (p as NSString).deletingLastPathComponent
                if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
                    return "no database at \(p): the folder \(dir) does not exist; create one with `backorders init` or `backorders demo`"
                }
                return "no database at \(p); create one with `backorders init` or `backorders demo`"
            case .cannot(let p, let why): return "cannot open \(p): \(why)"
            case .directory(let p): return "\(p) is a directory, not a Backorders database; give the path of a database file"
            case .noFolder(let p):
                return "cannot create \(p): the folder \((p as NSString).deletingLastPathComponent) does not exist; create it first (nothing was created)"
            case .readOnlyBehind(let p):
                return "\(p) is read-only and was written by an older version of Backorders; open it once with write access to upgrade it (nothing was changed)"
            case .group(let name, let why): return "cannot share the database with group \(name): \(why) (nothing was created)"
            }
        }
    }

    /// How a new database file is made.
    public struct CreateOptions: Sendable {
        /// Share the file with this group (0660, its folder 0770) instead of the owner only (0600/0700).
        public var group: String?
        /// Create missing folders on the way (the default data directory); otherwise a missing
        /// folder is refused.
        public var createFolders: Bool
        public init(group: String? = nil, createFolders: Bool = false) {
            self.group = group
            self.createFolders = createFolders
        }
    }

    /// Waiting for another process's write: tries again every 0.2–2 ms until the budget is spent.
    /// SQLite's own busy timeout sleeps up to 100 ms between tries, so a waiting clerk misses the
    /// moments the lock is free while a dozen writers take turns (entry p99 under load fell from
    /// ~470 ms to the figures in docs/reliability.md).
    static func busyMode(budget: Double) -> Database.BusyMode {
        .callback { tries in
            // Sleeps: 0.2, 0.4, … 2 ms, then 2 ms each; the total after `tries` tries, in µs:
            let ramp = min(tries, 10)
            let slept = 100 * ramp * (ramp + 1) + max(0, tries - 10) * 2_000
            guard Double(slept) < budget * 1_000_000 else { return false }
            usleep(UInt32(200 * min(tries + 1, 10)))
            return true
        }
    }

    /// SQLite configured once per process, before its first connection: no per-call connection
    /// mutex and no allocation counting (`CSQLiteConfig`). At 100k lines the run took ~4.9M
    /// mutex locks, 3.7% of its instructions. If SQLite was already in use (a test that opened a
    /// GRDB queue first), nothing changes and everything works as before.
    static let leanSQLite: Int32 = backorders_sqlite_lean()
    /// Whether this process's SQLite got that configuration (the bench reports it).
    public static var sqliteIsLean: Bool { leanSQLite == 0 }

    /// Where the schema of an existing file stands against this program's migrations.
    enum SchemaState { case current, behind, newer }

    /// Opens (and, if `create`, creates) the database at `path`.
    public init(path: String, create: Bool, options: CreateOptions = CreateOptions()) throws {
        _ = Self.leanSQLite
        self.path = path
        turnstile = Turnstile(databasePath: path)
        checkpointer = Checkpointer(path: path)
        let fm = FileManager.default
        try Self.refuseDirectory(path)
        if !fm.fileExists(atPath: path) {
            guard create else { throw OpenError.missing(path) }
            try Self.createFile(path, options: options)
        } else {
            try Self.verifyIsOurs(path: path)
        }
        isReadOnly = !Self.isWritable(path)

        var config = Configuration()
        config.busyMode = Self.busyMode(budget: Self.busyTimeout)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A desk of a million lines is a few hundred MB: 32 MB of page cache per connection keeps
            // queues and indexes in memory. (The writer checkpoints in the background: `Checkpointer`.)
            try db.execute(sql: "PRAGMA cache_size = -32768")
            // BACKORDERS_TRACE_SQL=ms prints every statement slower than ms milliseconds to stderr;
            // BACKORDERS_TRACE_SQL=sum, each statement's executions and time summed, at exit.
            if ProcessInfo.processInfo.environment["BACKORDERS_TRACE_SQL"] == "sum" {
                db.trace(options: .profile) { event in
                    if case let .profile(statement, duration) = event { StatementTimes.shared.add(statement.sql, duration) }
                }
            } else if let limit = ProcessInfo.processInfo.environment["BACKORDERS_TRACE_SQL"].flatMap(Double.init) {
                db.trace(options: .profile) { event in
                    if case let .profile(statement, duration) = event, duration * 1000 >= limit {
                        FileHandle.standardError.write(Data(String(format: "sql %.1f ms: %@\n", duration * 1000, statement.sql).utf8))
                    }
                }
            }
        }
        configuration = config

        // The version, through a read-only connection: a newer file is refused before anything
        // could touch it, and a current one is never written to just for being opened.
        switch try Self.schemaState(path: path) {
        case .newer: throw OpenError.newer(path)
        case .behind:
            if isReadOnly { throw OpenError.readOnlyBehind(path) }
            do {
                let writer = try Self.openWriter(path: path, configuration: config, checkpointer: checkpointer)
                try Schema.migrator.migrate(writer)
                writerQueue = writer
            } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED {
                throw DeskError.refused(Self.busyMessage(path: path, holders: []))
            } catch let e as DatabaseError {
                throw OpenError.cannot(path, Self.plain(e))
            }
        case .current: break
        }

        var readConfig = config
        readConfig.readonly = true
        do {
            readers = try DatabasePool(path: path, configuration: readConfig)
        } catch let e as DatabaseError {
            throw OpenError.cannot(path, Self.plain(e))
        }
        Self.alignSidecars(path)
    }

    // MARK: - Files

    public static func refuseDirectory(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { throw OpenError.directory(path) }
    }

    /// May this process change the file? Its write bits count even for root: a file someone made
    /// read-only (`chmod a-w`) is treated as read-only.
    static func isWritable(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        if st.st_mode & 0o222 == 0 { return false }
        return access(path, W_OK) == 0
    }

    /// Creates an empty file readable and writable by its owner only (0600), or by a group
    /// (0660); missing folders only when allowed (0700, or 02770 for a group: new files in it
    /// keep the group).
    static func createFile(_ path: String, options: CreateOptions) throws {
        var gid: gid_t?
        if let name = options.group {
            guard let g = getgrnam(name) else { throw OpenError.group(name, "there is no such group") }
            gid = g.pointee.gr_gid
        }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
            guard options.createFolders else { throw OpenError.noFolder(path) }
            try makeFolders(dir, gid: gid)
        }
        let mode: mode_t = gid == nil ? 0o600 : 0o660
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode)
        guard fd >= 0 else { throw OpenError.cannot(path, String(cString: strerror(errno))) }
        defer { closeDescriptor(fd) }
        if let gid, let name = options.group, fchown(fd, uid_t.max, gid) != 0 {
            let why = errno == EPERM ? "you are not a member of it" : String(cString: strerror(errno))
            unlink(path)
            throw OpenError.group(name, why)
        }
        fchmod(fd, mode) // exactly this mode, whatever the umask
    }

    private static func makeFolders(_ dir: String, gid: gid_t?) throws {
        let parent = (dir as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != dir && !FileManager.default.fileExists(atPath: parent) {
            try makeFolders(parent, gid: nil)
        }
        let mode: mode_t = gid == nil ? 0o700 : 0o2770
        guard mkdir(dir, mode) == 0 || errno == EEXIST else {
            throw OpenError.cannot(dir, String(cString: strerror(errno)))
        }
        if let gid { chown(dir, uid_t.max, gid) }
        chmod(dir, mode)
    }

    /// SQLite gives `-wal` and `-shm` the database file's mode; the group of a shared desk's file
    /// is set here too, so that every member of the group can open it after whoever made them.
    static func alignSidecars(_ path: String) {
        var db = stat()
        guard stat(path, &db) == 0 else { return }
        for suffix in ["-wal", "-shm"] {
            var st = stat()
            let p = path + suffix
            guard stat(p, &st) == 0, st.st_uid == geteuid() else { continue }
            if st.st_gid != db.st_gid { chown(p, uid_t.max, db.st_gid) }
            let want = db.st_mode & 0o666
            if st.st_mode & 0o777 != want { chmod(p, want) }
        }
    }

    /// A file that exists must be a SQLite database with our application id (or empty).
    public static func verifyIsOurs(path: String) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size == 0 { return }
        do {
            let (appID, tables) = try readOnly(path) { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0)
            }
            if appID == Schema.applicationID { return }
            if appID == 0 && tables == 0 { return }
            throw OpenError.notOurs(path)
        } catch let e as OpenError {
            throw e
        } catch let e as DatabaseError where e.resultCode == .SQLITE_NOTADB || e.resultCode == .SQLITE_CORRUPT {
            throw OpenError.notOurs(path)
        } catch let e as DatabaseError {
            throw OpenError.cannot(path, plain(e))
        } catch {
            throw OpenError.cannot(path, "\(error)")
        }
    }

    /// One read through a connection of its own, opened read-only and closed again.
    static func readOnly<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        var config = Configuration()
        config.readonly = true
        // Other terminals may be writing: WAL readers do not wait for them, but a recovery might.
        config.busyMode = busyMode(budget: busyTimeout)
        let queue = try DatabaseQueue(path: path, configuration: config)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    static func schemaState(path: String) throws -> SchemaState {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size == 0 { return .behind }
        do {
            return try readOnly(path) { db in
                let applied = try Schema.migrator.appliedIdentifiers(db)
                let known = Schema.migrator.migrations
                if applied.contains(where: { !known.contains($0) }) { return .newer }
                return known.allSatisfy(applied.contains) ? .current : .behind
            }
        } catch let e as DatabaseError {
            throw OpenError.cannot(path, plain(e))
        }
    }

    /// An SQLite error in a user's words (never "disk I/O error" alone).
    static func plain(_ e: DatabaseError) -> String {
        switch e.resultCode {
        case .SQLITE_READONLY: return "the file or its folder is read-only"
        case .SQLITE_CANTOPEN: return "it cannot be opened here (its folder may be missing, unreadable or read-only)"
        case .SQLITE_IOERR: return "reading or writing the file failed (a full disk, a removed drive or a folder without write permission?)"
        case .SQLITE_FULL: return "the disk is full"
        case .SQLITE_PERM, .SQLITE_AUTH: return "permission denied"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return "the file is damaged or not a database"
        case .SQLITE_BUSY, .SQLITE_LOCKED: return "another process is busy writing to it; try again in a moment"
        default: return e.message ?? "\(e.resultCode)"
        }
    }

    // MARK: - Transactions

    /// The connection that writes, opened on first use.
    private func writer() throws -> DatabaseQueue {
        writerLock.lock()
        defer { writerLock.unlock() }
        if let writerQueue { return writerQueue }
        let queue = try Self.openWriter(path: path, configuration: configuration, checkpointer: checkpointer)
        writerQueue = queue
        return queue
    }

    private static func openWriter(path: String, configuration: Configuration, checkpointer: Checkpointer) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            checkpointer.install(on: db)
            if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                    throw DatabaseError(resultCode: .SQLITE_BUSY, message: "could not switch to WAL")
                }
            }
        }
        alignSidecars(path)
        return queue
    }

    /// A consistent snapshot for reading. Never waits for a writer. (Internal: the store's
    /// operations are its public surface; no `Database` leaves it.)
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try readers.read(body)
        } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED {
            // Only while another process recovers the file after a crash, or holds it exclusively.
            throw DeskError.refused("the database is busy: another process is recovering or holding it exclusively; nothing was changed, try again in a moment")
        }
    }

    /// One `BEGIN IMMEDIATE` transaction: all of it commits, or none of it. A write that cannot
    /// get the lock within the busy budget is refused with a message saying who is writing; it
    /// changed nothing and is safe to retry. (Internal, as `read`.)
    /// Every write waits in turn at the `turnstile` but a process run's slices.
    func write<T>(waitsInTurn: Bool = true, _ body: (Database) throws -> T) throws -> T {
        if isReadOnly { throw DeskError.refused(readOnlyMessage) }
        return try Self.busyMapped(path: path, readers: self) {
            try turnstile.passing(waitsInTurn) { try writer().writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            } }
        }
    }

    public func reading<T>(_ body: (SQLConnection) throws -> T) throws -> T {
        try read { db in try body(SQLConnection(db)) }
    }

    public func writing<T>(waitsInTurn: Bool, _ body: (SQLConnection) throws -> T) throws -> T {
        try write(waitsInTurn: waitsInTurn) { db in try body(SQLConnection(db)) }
    }

    public var busyTimeout: Double { Self.busyTimeout }

    /// I1–I6 recomputed in two reads of the lines (`InvariantCheck`).
    public func check() throws -> [InvariantCheck.Violation] {
        try read { db in try InvariantCheck.run(db) }
    }

    public func othersWaitToWrite(_ db: SQLConnection) -> Bool {
        Turnstile.isAnyoneWaiting(databasePath: path)
    }

    public func letWaitingWritesIn(_ plan: RunPlan) {
        // A clerk who came while the slice applied and committed (most of a short slice's time:
        // a 5 ms slice commits in 15–20 ms) is seen here, not by the slice: without this, clerks
        // entering every 20 ms went unseen for two seconds at a time, and the next slice, taken
        // to be alone, grew until one of them waited 60–200 ms.
        if Turnstile.letThrough(databasePath: path), !LeaseRenewals.waiting {
            plan.clerksActiveUntil = DispatchTime.now().uptimeNanoseconds + RunPlan.clerksActiveFor
        }
    }

    public var readOnlyMessage: String {
        "\(path) is read-only: the desk can show it but not change it; nothing was changed"
    }

    /// Runs `body`; a busy database becomes a refusal naming what is writing.
    static func busyMapped<T>(path: String, readers: AppDatabase?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED {
            throw DeskError.refused(busyMessage(path: path, holders: (try? readers?.leaseHolders()) ?? []))
        }
    }

    static func busyMessage(path: String, holders: [LeaseHolder]) -> String {
        let seconds = Int(busyTimeout.rounded())
        var text = "the database is busy: another process kept writing to it for over \(seconds) s"
        if holders.isEmpty {
            text += " (no Backorders process run or import holds a lease: perhaps another terminal's long change, or another program)"
        } else {
            text += " — " + holders.map { "\($0.title) (\($0.who)) is running" }.joined(separator: "; ")
        }
        return text + ". Nothing was changed; it is safe to try again."
    }

    /// Copies the write-ahead log into the database and truncates it: after a bulk load, so that
    /// the terminals that follow do not wade through a long log.
    public func checkpoint() throws {
        if isReadOnly { return }
        // A checkpoint under way elsewhere (this process's `Checkpointer`, another process's)
        // makes SQLite refuse at once rather than wait: wait for ours, then retry for a while.
        checkpointer.drain()
        try Self.busyMapped(path: path, readers: self) {
            try writer().writeWithoutTransaction { db in
                var tries = 0
                while true {
                    do {
                        try db.checkpoint(.truncate)
                        return
                    } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY && tries < 100 {
                        tries += 1
                        usleep(20_000)
                    }
                }
            }
        }
    }

    /// Closes every connection of this process to the file (before it is replaced).
    public func close() throws {
        writerLock.lock()
        defer { writerLock.unlock() }
        checkpointer.stop(forGood: false)
        try writerQueue?.close()
        writerQueue = nil
        try readers.close()
    }

    deinit {
        // A one-shot command's due checkpoint runs now rather than never.
        checkpointer.drain()
        checkpointer.stop(forGood: true)
    }
}

func closeDescriptor(_ fd: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(fd)
    #else
    _ = Darwin.close(fd)
    #endif
}

/// Who holds a lease (`process_lease`), as the store reads it.
public struct LeaseHolder: Sendable, Hashable {
    public var name: String
    public var token: String
    public var pid: Int32?
    public var host: String?
    /// The holder process's start time (Linux: /proc/PID/stat), so a reused pid is not taken for it.
    public var started: String?
    public var acquiredAt: Double?
    public var heartbeatAt: Double
    public var runID: Int64?
    public var what: String?

    /// What holds it, in words: "the primary backorder process".
    public var title: String {
        if let what, !what.isEmpty { return what }
        if let p = ProcessKind(rawValue: name) { return "the \(p.title.lowercased())" }
        if name == "scheduler" { return "the scheduler" }
        return "the \(name) lease holder"
    }

    /// "pid 1234 on host".
    public var who: String {
        switch (pid, host) {
        case let (p?, h?): return "pid \(p) on \(h)"
        case let (p?, nil): return "pid \(p)"
        default: return token
        }
    }
}

extension SQLStore {
    /// Every lease row, live or not (the lease's own rules say which are alive).
    public func leaseHolders() throws -> [LeaseHolder] {
        try reading { db in try LeaseHolder.fetchAll(db) }
    }
}

extension LeaseHolder {
    static func fetchAll(_ db: SQLConnection, name: String? = nil) throws -> [LeaseHolder] {
        let columns = db.isSQLite ? Set(try db.fetchAll(sql: "PRAGMA table_info(process_lease)").map { $0["name"] as String }) : ["pid"]
        guard columns.contains("pid") else {
            // Before v7: a holder string and an expiry.
            return try db.fetchAll(sql: "SELECT process, holder, expires_at FROM process_lease").map {
                LeaseHolder(name: $0[0], token: $0[1], pid: nil, host: nil, started: nil, acquiredAt: nil, heartbeatAt: ($0[2] as Double) - 600,
                            runID: nil, what: nil)
            }.filter { name == nil || $0.name == name }
        }
        let sql = "SELECT process, holder, pid, host, started, acquired_at, coalesce(heartbeat_at, expires_at - 600), run_id, what FROM process_lease"
            + (name == nil ? " ORDER BY process" : " WHERE process = ?")
        return try db.fetchAll(sql: sql, arguments: name.map { [$0] } ?? []).map {
            LeaseHolder(name: $0[0], token: $0[1], pid: $0[2], host: $0[3], started: $0[4], acquiredAt: $0[5], heartbeatAt: $0[6] ?? 0,
                        runID: $0[7], what: $0[8])
        }
    }

    /// How old a heartbeat may be before its holder is taken for gone, in seconds (default 60;
    /// `BACKORDERS_LEASE_STALE` overrides). Holders renew every few seconds; a write transaction of
    /// another process can delay a renewal by at most the busy budget.
    public static var staleAfter: Double {
        ProcessInfo.processInfo.environment["BACKORDERS_LEASE_STALE"].flatMap(Double.init) ?? 60
    }

    /// Real time (never `--today`): leases are about processes actually running now.
    public static func wallClock() -> Double { Date().timeIntervalSince1970 }

    /// This machine's name as leases record it.
    public static let thisHost: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(cString: buffer)
    }()

    /// The start time of a running process (Linux), nil where it cannot be read.
    public static func startTime(of pid: Int32) -> String? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After "(comm)": state is field 3, starttime field 22.
        guard fields.count > 19 else { return nil }
        if fields[0] == "Z" || fields[0] == "X" { return "dead" }
        return String(fields[19])
    }

    /// Whether a process of this machine is still running (a zombie is not).
    public static func isRunning(_ pid: Int32) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        return startTime(of: pid) != "dead"
    }

    /// The holder is gone: its heartbeat is stale, or it was a process of this machine that is no
    /// longer running (or whose pid now belongs to another process).
    public func isGone(now: Double) -> Bool {
        if now - heartbeatAt > Self.staleAfter { return true }
        guard let pid, let host, host == Self.thisHost else { return false }
        if !Self.isRunning(pid) { return true }
        if let started, let current = Self.startTime(of: pid), current != started { return true }
        return false
    }
}

/// `BACKORDERS_TRACE_SQL=sum`: where a command's time in SQLite went, by statement, printed to
/// stderr as the process exits (slowest first).
final class StatementTimes: @unchecked Sendable {
    static let shared: StatementTimes = {
        let t = StatementTimes()
        atexit { StatementTimes.shared.report() }
        return t
    }()
    private let lock = NSLock()
    private var bySQL: [String: (count: Int, seconds: Double)] = [:]

    func add(_ sql: String, _ seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        let t = bySQL[sql] ?? (0, 0)
        bySQL[sql] = (t.count + 1, t.seconds + seconds)
    }

    func report() {
        lock.lock()
        defer { lock.unlock() }
        let total = bySQL.values.reduce(0) { $0 + $1.seconds }
        var out = String(format: "sql total %.0f ms in %d statements\n", total * 1000, bySQL.values.reduce(0) { $0 + $1.count })
        for (sql, t) in bySQL.sorted(by: { $0.value.seconds > $1.value.seconds }).prefix(40) {
            let oneLine = sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            out += String(format: "%8.0f ms %8d× %6.1f µs  ", t.seconds * 1000, t.count, t.seconds * 1e6 / Double(t.count)) + String(oneLine.prefix(160)) + "\n"
        }
        FileHandle.standardError.write(Data(out.utf8))
    }
}
