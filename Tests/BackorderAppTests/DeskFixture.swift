import TestSupport
import BackorderApp
import BackorderCore
import BackorderStore
import Foundation
import XCTest

/// A fresh desk with an admin and helpers to set up master data quickly: a database file in a
/// temporary directory, or — when `BACKORDERS_TEST_POSTGRES` names a server — a new database on
/// that PostgreSQL server (dropped afterwards), so that the same tests run on either store.
final class DeskFixture {
    let dir: URL
    /// Where the desk is: the file, or the PostgreSQL address.
    let path: String
    let store: any BackorderStoring
    /// The SQLite store, for the tests that read its file directly; they are skipped on PostgreSQL.
    var database: AppDatabase {
        get throws {
            guard let sqlite = store as? AppDatabase else { throw XCTSkip("reads SQLite's file directly") }
            return sqlite
        }
    }
    let admin: Desk
    var clock = Clock.fixed(Moment(day: Day("2026-11-21")!, secondOfDay: 9 * 3600))
    private var postgres: (server: PostgresAddress, name: String)?

    /// The PostgreSQL server the tests run on, if any (`BACKORDERS_TEST_POSTGRES`).
    static var postgresServer: PostgresAddress? {
        guard let text = ProcessInfo.processInfo.environment["BACKORDERS_TEST_POSTGRES"], !text.isEmpty else { return nil }
        return try? PostgresAddress(text)
    }

    init(managed: Bool = true) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("bo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if let server = Self.postgresServer {
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try PostgresStore.createDatabase(name, on: server)
            postgres = (server, name)
            path = server.with(database: name).description
        } else {
            path = dir.appendingPathComponent("desk.sqlite").path
        }
        try Desk.initialize(path: path, userName: "boss")
        store = try Desk.openStore(path)
        admin = try Desk(store: store, userName: "boss", clock: clock)
        if managed { _ = try admin.setPreference("backorder_management", "true") }
        try admin.addReason("CUST", description: "Customer request")
    }

    deinit {
        try? FileManager.default.removeItem(at: dir)
        if let postgres { try? PostgresStore.dropDatabase(postgres.name, on: postgres.server) }
    }

    func desk(_ user: String = "boss") throws -> Desk { try Desk(store: store, userName: user, clock: clock) }

    func customers(_ codes: String..., priority: Int = 0) throws {
        for c in codes { try admin.addCustomer(c, name: nil, priority: priority, terms: .ar) }
    }

    func lic(_ code: String, stock: Int = 0, location: String = "MAIN") throws {
        var spec = Desk.LICSpec(code: code)
        spec.priceCents = 1000
        try admin.addLIC(spec)
        if stock > 0 {
            _ = try admin.receive(lic: code, qty: stock, location: location)
            _ = try admin.runProcess(.primary)
        }
    }

    @discardableResult
    func order(_ customer: String, _ lines: [(String, Int)], priority: Int? = nil, split: SplitAnswer? = .yes,
               policy: FulfillmentPolicy? = nil, location: String = "MAIN") throws -> OrderView {
        var r = OrderRequest(customer: customer, lines: lines.map { .init(lic: $0.0, quantity: $0.1) })
        r.priority = priority
        r.split = split
        r.policy = policy
        r.location = location
        return try admin.enterOrder(r)
    }

    func assertInvariants(file: StaticString = #filePath, line: UInt = #line) throws {
        let v = try admin.check().violations
        XCTAssertTrue(v.isEmpty, v.map(\.description).joined(separator: "\n"), file: file, line: line)
    }
}
