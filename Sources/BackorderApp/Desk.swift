import BackorderCore
import BackorderStore
import Foundation
import GRDB

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
/// UI alike. Each write is one transaction through the store's `Engine`; roles are checked here
/// before anything is read for writing, and refusals name the role needed.
public final class Desk: @unchecked Sendable {
    public let database: AppDatabase
    public let user: User
    public let clock: Clock

    /// Opens a desk for a named user. An unknown user is refused.
    public init(database: AppDatabase, userName: String, clock: Clock) throws {
        self.database = database
        self.clock = clock
        let name = userName
        guard let u = try database.read({ db in try Desk.fetchUser(db, name: name) }) else {
            let count = try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user") ?? 0 }
            if count == 0 {
                throw DeskError.forbidden("this database has no users yet; create it with `backorders init` (you become its admin)")
            }
            throw DeskError.forbidden("unknown user '\(userName)'; an admin can add it with `backorders user add \(userName) --role clerk`")
        }
        user = u
    }

    init(database: AppDatabase, user: User, clock: Clock) {
        self.database = database
        self.user = user
        self.clock = clock
    }

    static func fetchUser(_ db: Database, name: String) throws -> User? {
        try Row.fetchOne(db, sql: "SELECT name, role, auto_backorder, theme FROM app_user WHERE name = ?", arguments: [name]).map {
            User(name: $0[0], role: Role(rawValue: $0[1]) ?? .clerk, autoBackorder: $0[2], theme: $0[3])
        }
    }

    /// Creates a new database with location MAIN and `userName` as its first user, an admin.
    public static func initialize(path: String, userName: String, options: AppDatabase.CreateOptions = .init()) throws {
        try AppDatabase.refuseDirectory(path)
        if FileManager.default.fileExists(atPath: path),
           ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) > 0 {
            throw DeskError.refused("a database already exists at \(path); nothing was changed")
        }
        let db = try AppDatabase(path: path, create: true, options: options)
        try db.write { db in
            try db.execute(sql: "INSERT INTO location (code, name) VALUES ('MAIN', 'Main warehouse')")
            try db.execute(sql: "INSERT INTO app_user (name, role, auto_backorder) VALUES (?, 'admin', 1)", arguments: [userName])
        }
    }

    // MARK: - Permissions

    /// Refuses unless the user's role is at least `role`.
    public func require(_ role: Role, to action: String) throws {
        guard user.role >= role else {
            throw DeskError.forbidden("\(action) needs the \(role.rawValue) role; \(user.name) is a \(user.role.rawValue)")
        }
    }

    public func can(_ role: Role) -> Bool { user.role >= role }

    // MARK: - Transactions

    /// One write transaction with an engine acting as this user now.
    func write<T>(_ body: (Engine) throws -> T) throws -> T {
        let actor = user.name
        let now = clock.now()
        return try database.write { db in
            try body(Engine(db, actor: actor, now: now))
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try database.read(body)
    }

    // MARK: - Lookups by code

    static func id(_ db: Database, table: String, code: String, kind: String) throws -> Int64 {
        let c = code.trimmingCharacters(in: .whitespaces).uppercased()
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM \(table) WHERE code = ?", arguments: [c]) else {
            throw DeskError.notFound("unknown \(kind) '\(code)'")
        }
        return id
    }

    static func licID(_ db: Database, _ code: String) throws -> Int64 { try id(db, table: "lic", code: code, kind: "LIC") }
    static func locationID(_ db: Database, _ code: String) throws -> Int64 { try id(db, table: "location", code: code, kind: "location") }
    static func customerID(_ db: Database, _ code: String) throws -> Int64 { try id(db, table: "customer", code: code, kind: "customer") }
    static func vendorID(_ db: Database, _ code: String) throws -> Int64 { try id(db, table: "vendor", code: code, kind: "vendor") }

    static func orderID(_ db: Database, _ number: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM orders WHERE number = ?",
                                          arguments: [number.trimmingCharacters(in: .whitespaces)]) else {
            throw DeskError.notFound("unknown order '\(number)'")
        }
        return id
    }

    public func preferences() throws -> Preferences {
        try read { db in Engine(db, actor: user.name, now: clock.now()).prefs }
    }
}
