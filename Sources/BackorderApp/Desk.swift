import BackorderCore
import BackorderStore
import Foundation

/// Who is working: a known user with a role.
public struct User: Hashable, Sendable, Codable {
    public var name: String
    public var role: Role
    public var autoBackorder: Bool
    public var theme: String?
    /// The scheduler (the service, cron, or an open desk running due schedules): not a row of
    /// the users table; it may run the processes whatever the role of the desk it runs in.
    public var runsSchedules = false
}

/// The controller layer: one method per user action, used by the command line and the terminal
/// UI alike. Each write is one named operation of the store (one transaction); roles are
/// checked here before anything is read for writing, and refusals name the role needed.
public final class Desk: @unchecked Sendable {
    /// The store: named operations and read models (`BackorderStoring`), never SQL. Internal:
    /// the front ends call the desk, which checks roles, never the store.
    let store: any BackorderStoring
    public let user: User
    public let clock: Clock

    /// Opens a desk for a named user. An unknown user is refused.
    public init(store: any BackorderStoring, userName: String, clock: Clock) throws {
        self.store = store
        self.clock = clock
        guard let u = try store.user(named: userName) else {
            if try store.userCount() == 0 {
                throw DeskError.forbidden("this database has no users yet; create it with `backorders init` (you become its admin)")
            }
            throw DeskError.forbidden("unknown user '\(userName)'; an admin can add it with `backorders user add \(userName) --role clerk`")
        }
        user = User(name: u.name, role: u.role, autoBackorder: u.autoBackorder, theme: u.theme)
    }

    init(store: any BackorderStoring, user: User, clock: Clock) {
        self.store = store
        self.user = user
        self.clock = clock
    }

    /// Creates a new database with location MAIN and `userName` as its first user, an admin.
    /// (A file: SQLite's; another store is created its own way.)
    public static func initialize(path: String, userName: String, options: AppDatabase.CreateOptions = .init()) throws {
        if PostgresAddress.isPostgres(path) {
            let address = try PostgresAddress(path)
            if try PostgresStore.holdsDesk(address) {
                throw DeskError.refused("a desk already exists at \(address); nothing was changed")
            }
            try PostgresStore(address: address, create: true).setUpNewDesk(admin: userName)
            return
        }
        try AppDatabase.refuseDirectory(path)
        if FileManager.default.fileExists(atPath: path),
           ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) > 0 {
            throw DeskError.refused("a database already exists at \(path); nothing was changed")
        }
        try AppDatabase(path: path, create: true, options: options).setUpNewDesk(admin: userName)
    }

    /// Opens the desk at `path`: a PostgreSQL server's database for `postgres://…`, else a
    /// SQLite file.
    public static func openStore(_ path: String, create: Bool = false, options: AppDatabase.CreateOptions = .init()) throws -> any BackorderStoring {
        if PostgresAddress.isPostgres(path) { return try PostgresStore(address: PostgresAddress(path), create: create) }
        return try AppDatabase(path: path, create: create, options: options)
    }

    /// A short name of where the desk is, for a title bar: the file's name, or the server's database.
    public static func shortName(_ path: String) -> String {
        if PostgresAddress.isPostgres(path), let a = try? PostgresAddress(path) { return "\(a.database)@\(a.host.isEmpty ? "local" : a.host)" }
        return URL(fileURLWithPath: path).lastPathComponent
    }

    /// Where the desk's data is (the database file), as messages name it.
    public var databasePath: String { store.path }

    // MARK: - Permissions

    /// Refuses unless the user's role is at least `role`.
    public func require(_ role: Role, to action: String) throws {
        guard user.role >= role else {
            throw DeskError.forbidden("\(action) needs the \(role.rawValue) role; \(user.name) is a \(user.role.rawValue)")
        }
    }

    public func can(_ role: Role) -> Bool { user.role >= role }

    /// Who writes, and when: this user, now.
    func stamp() -> Stamp { Stamp(actor: user.name, now: clock.now()) }

    public func preferences() throws -> Preferences {
        try store.preferences()
    }
}
