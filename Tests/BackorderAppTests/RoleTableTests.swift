@testable import BackorderApp
import TestSupport
import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// Every use case of the desk × every role (§9): a role below the one a use case needs is refused
/// with a message naming that role and nothing changes; the role needed and those above it succeed.
final class RoleTableTests: XCTestCase {
    /// One use case: what it needs, how to set it up (as the admin), and the action as the role.
    struct UseCase {
        var name: String
        var needs: Role
        var setUp: (World) throws -> String
        var act: (Desk, String, World) throws -> Void
    }

    final class World {
        let f: DeskFixture
        var counter = 0
        init() throws {
            f = try DeskFixture()
            try f.customers("C1")
            try f.lic("W", stock: 1000)
            try f.lic("X")
            try f.admin.addVendor("V1", name: nil)
            try f.admin.addUser("cl", role: .clerk, autoBackorder: false)
            try f.admin.addUser("su", role: .supervisor, autoBackorder: false)
            try f.admin.addUser("ad", role: .admin, autoBackorder: true)
        }
        func unique(_ prefix: String) -> String { counter += 1; return "\(prefix)\(counter)" }
        /// An order of `qty` W (allotted, on a pending shipment) or X (backordered).
        func order(_ lic: String = "W", qty: Int = 1) throws -> OrderView { try f.order("C1", [(lic, qty)]) }
        func pendingShipment() throws -> String { "\(try order().shipments[0].id)" }
        func shippedOrder() throws -> String {
            let o = try order()
            try f.admin.shipShipment(o.shipments[0].id)
            return o.number
        }
        func po(draft: Bool = false) throws -> String {
            var r = Desk.PORequest(vendor: "V1", lines: [(lic: "X", qty: 5)])
            r.draft = draft
            return try f.admin.createPurchaseOrder(r).number
        }
    }

    nonisolated(unsafe) static let none: (World) throws -> String = { _ in "" }

    nonisolated(unsafe) static let cases: [UseCase] = [
        // Clerk: entry, voids, the split answer, picking and shipping, receipts and returns.
        UseCase(name: "enter an order", needs: .clerk, setUp: none) { d, _, _ in
            var r = OrderRequest(customer: "C1", lines: [.init(lic: "X", quantity: 2)]); r.split = .yes
            _ = try d.enterOrder(r)
        },
        UseCase(name: "place an order (the form)", needs: .clerk, setUp: none) { d, _, _ in
            var r = OrderRequest(customer: "C1", lines: [.init(lic: "W", quantity: 1)]); r.split = .no
            _ = try d.placeOrder(r)
        },
        UseCase(name: "void an order", needs: .clerk, setUp: { try $0.order("X").number }) { d, n, _ in try d.voidOrder(n) },
        UseCase(name: "pick a shipment", needs: .clerk, setUp: { try $0.pendingShipment() }) { d, id, _ in try d.pickShipment(Int64(id)!) },
        UseCase(name: "ship a shipment", needs: .clerk, setUp: { try $0.pendingShipment() }) { d, id, _ in try d.shipShipment(Int64(id)!) },
        UseCase(name: "cancel a shipment", needs: .clerk, setUp: { try $0.pendingShipment() }) { d, id, _ in try d.cancelShipment(Int64(id)!) },
        UseCase(name: "post a receipt", needs: .clerk, setUp: none) { d, _, _ in _ = try d.receive(lic: "X", qty: 1) },
        UseCase(name: "receive against a PO", needs: .clerk, setUp: { try $0.po() }) { d, po, _ in _ = try d.receive(lic: "X", qty: 1, po: po) },
        UseCase(name: "post a customer return", needs: .clerk, setUp: { try $0.shippedOrder() }) { d, n, _ in try d.recordReturn(order: n, lic: "W", qty: 1) },
        // Supervisor.
        UseCase(name: "adjust stock", needs: .supervisor, setUp: none) { d, _, _ in try d.adjust(lic: "W", delta: 1, reason: "count") },
        UseCase(name: "change a priority", needs: .supervisor, setUp: { try $0.order("X").number }) { d, n, _ in _ = try d.changePriority(n, to: 5, preview: false) },
        UseCase(name: "preview a priority change", needs: .supervisor, setUp: { try $0.order("X").number }) { d, n, _ in _ = try d.changePriority(n, to: 5, preview: true) },
        UseCase(name: "cancel what remains", needs: .supervisor, setUp: { try $0.order("X").number }) { d, n, _ in _ = try d.cancelRemaining(n, line: nil, reason: "CUST") },
        UseCase(name: "invoice", needs: .supervisor, setUp: { try $0.shippedOrder() }) { d, n, _ in _ = try d.invoice(n, choice: nil) },
        UseCase(name: "run the primary process", needs: .supervisor, setUp: none) { d, _, _ in _ = try d.runProcess(.primary, leaseWait: 5) },
        UseCase(name: "run the secondary process", needs: .supervisor, setUp: none) { d, _, _ in _ = try d.runProcess(.secondary, leaseWait: 5) },
        UseCase(name: "run auto reserve", needs: .supervisor, setUp: none) { d, _, _ in _ = try d.runProcess(.autoReserve, leaseWait: 5) },
        UseCase(name: "run replenishment", needs: .supervisor, setUp: none) { d, _, _ in _ = try d.runProcess(.replenish, leaseWait: 5) },
        UseCase(name: "create a purchase order", needs: .supervisor, setUp: none) { d, _, _ in
            _ = try d.createPurchaseOrder(Desk.PORequest(vendor: "V1", lines: [(lic: "X", qty: 3)]))
        },
        UseCase(name: "approve a purchase order", needs: .supervisor, setUp: { try $0.po(draft: true) }) { d, n, _ in _ = try d.approvePurchaseOrder(n) },
        UseCase(name: "close a purchase order", needs: .supervisor, setUp: { try $0.po() }) { d, n, _ in _ = try d.closePurchaseOrder(n) },
        UseCase(name: "add a LIC", needs: .supervisor, setUp: { $0.unique("L") }) { d, c, _ in _ = try d.addLIC(.init(code: c)) },
        UseCase(name: "add a customer", needs: .supervisor, setUp: { $0.unique("C") }) { d, c, _ in _ = try d.addCustomer(c, name: nil, priority: 0, terms: .ar) },
        UseCase(name: "add a vendor", needs: .supervisor, setUp: { $0.unique("V") }) { d, c, _ in _ = try d.addVendor(c, name: nil) },
        UseCase(name: "export", needs: .supervisor, setUp: none) { d, _, _ in _ = try d.export(.orders) },
        UseCase(name: "back up", needs: .supervisor, setUp: { w in w.f.dir.appendingPathComponent(w.unique("backup-") + ".sqlite").path }) { d, p, _ in
            _ = try d.backup(to: p)
        },
        // Admin.
        UseCase(name: "add a user", needs: .admin, setUp: { $0.unique("user") }) { d, n, _ in try d.addUser(n, role: .clerk, autoBackorder: false) },
        UseCase(name: "add a location", needs: .admin, setUp: { $0.unique("LOC") }) { d, c, _ in _ = try d.addLocation(c, name: nil) },
        UseCase(name: "restrict a location", needs: .admin, setUp: none) { d, _, _ in try d.restrictLocation("MAIN", from: ["MAIN"]) },
        UseCase(name: "add a reason code", needs: .admin, setUp: { $0.unique("R") }) { d, c, _ in _ = try d.addReason(c, description: nil) },
        UseCase(name: "change a preference", needs: .admin, setUp: none) { d, _, _ in _ = try d.setPreference("fair_queue", "false") },
        UseCase(name: "import", needs: .admin, setUp: { $0.unique("IMP") }) { d, c, _ in
            _ = try d.importCSV(.vendors, table: CSVTable(text: "code,name\n\(c),Imported\n", file: "v.csv", required: ["code"]))
        },
        UseCase(name: "import a file", needs: .admin, setUp: { w in
            let p = w.f.dir.appendingPathComponent(w.unique("lics-") + ".csv")
            try "code\n\(w.unique("IL"))\n".write(to: p, atomically: true, encoding: .utf8)
            return p.path
        }) { d, p, _ in _ = try d.importCSV(.lics, url: URL(fileURLWithPath: p)) },
        // Reading is for everyone.
        UseCase(name: "read orders, LICs, shipments, logs", needs: .clerk, setUp: { try $0.order().number }) { d, n, _ in
            _ = try d.order(n); _ = try d.orders(); _ = try d.orderLog(n); _ = try d.shipments(); _ = try d.lic("W")
            _ = try d.availableToOrder(lic: "W", location: "MAIN", priority: 0)
        },
        UseCase(name: "read the reports", needs: .clerk, setUp: none) { d, _, _ in
            _ = try d.backorderReport(); _ = try d.backlogReport(); _ = try d.reorderReport(); _ = try d.agingReport(); _ = try d.fillRateReport()
        },
        UseCase(name: "page the lists", needs: .clerk, setUp: none) { d, _, _ in
            _ = try d.orderPage(anchor: .first, limit: 10); _ = try d.backorderPage(anchor: .first, limit: 10)
            _ = try d.licPage(anchor: .first, limit: 10); _ = try d.queuePage(lic: "W", anchor: .first, limit: 10)
            _ = try d.orderCount(); _ = try d.backorderCount(); _ = try d.licCount(); _ = try d.queueCount(lic: "W")
        },
        UseCase(name: "look things up", needs: .clerk, setUp: none) { d, _, _ in
            _ = try d.customerMatches("C"); _ = try d.licMatches("W"); _ = try d.locations(); _ = try d.reasons()
            _ = try d.customerInfo("C1"); _ = try d.licInfo("W")
        },
        UseCase(name: "read preferences, schedules, runs, check, POs", needs: .clerk, setUp: { try $0.po() }) { d, po, _ in
            _ = try d.preferences(); _ = try d.schedules(); _ = try d.runs(); _ = try d.check()
            _ = try d.purchaseOrders(); _ = try d.purchaseOrder(po)
        },
    ]

    func fingerprint(_ database: AppDatabase) throws -> String {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'process_lease' ORDER BY name")
                .map { t in "\(t): " + (try Row.fetchAll(db, sql: "SELECT * FROM \(t)").map(\.description).joined(separator: "|")) }
                .joined(separator: "\n")
        }
    }

    func testEveryUseCaseForEveryRole() throws {
        var tried = 0
        for role in Role.allCases {
            let world = try World()
            let user = ["clerk": "cl", "supervisor": "su", "admin": "ad"][role.rawValue]!
            let desk = try world.f.desk(user)
            for c in Self.cases {
                let arg = try c.setUp(world)
                let before = try fingerprint(world.f.database)
                tried += 1
                if role >= c.needs {
                    XCTAssertNoThrow(try c.act(desk, arg, world), "\(role.rawValue) may \(c.name)")
                } else {
                    XCTAssertThrowsError(try c.act(desk, arg, world), "\(role.rawValue) may not \(c.name)") { e in
                        guard case DeskError.forbidden(let m) = e else { return XCTFail("\(c.name) as \(role.rawValue): not a role refusal: \(e)") }
                        XCTAssertTrue(m.contains("needs the \(c.needs.rawValue) role"), "\(c.name): \(m)")
                        XCTAssertTrue(m.contains("\(user) is a \(role.rawValue)"), "\(c.name): \(m)")
                    }
                    XCTAssertEqual(try fingerprint(world.f.database), before, "\(c.name) refused to \(role.rawValue) changed the desk")
                }
            }
            try world.f.assertInvariants()
        }
        XCTAssertEqual(tried, Self.cases.count * 3)
    }

    func testRestoreNeedsAnAdmin() throws {
        let world = try World()
        let copy = world.f.dir.appendingPathComponent("copy.sqlite").path
        _ = try world.f.admin.backup(to: copy)
        for user in ["cl", "su"] {
            XCTAssertThrowsError(try Desk.restore(path: world.f.path, from: copy, userName: user, clock: world.f.clock)) { e in
                XCTAssertTrue("\(e)".contains("restoring a backup needs the admin role"), "\(e)")
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: world.f.dir.path).filter { $0.contains("replaced") }, [])
    }
}
