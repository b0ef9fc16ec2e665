import TestSupport
import BackorderApp
import BackorderCore
import BackorderStore
import Foundation
import XCTest

/// A fresh database file in a temporary directory, with an admin desk and helpers to set up
/// master data quickly.
final class DeskFixture {
    let dir: URL
    let path: String
    let database: AppDatabase
    let admin: Desk
    var clock = Clock.fixed(Moment(day: Day("2026-11-21")!, secondOfDay: 9 * 3600))

    init(managed: Bool = true) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("bo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("desk.sqlite").path
        try Desk.initialize(path: path, userName: "boss")
        database = try AppDatabase(path: path, create: false)
        admin = try Desk(store: database, userName: "boss", clock: clock)
        if managed { _ = try admin.setPreference("backorder_management", "true") }
        try admin.addReason("CUST", description: "Customer request")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func desk(_ user: String = "boss") throws -> Desk { try Desk(store: database, userName: user, clock: clock) }

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
