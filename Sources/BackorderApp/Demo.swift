import BackorderCore
import BackorderStore
import Foundation

/// Loads the demo data set (`seeds/`) into a fresh database and plays a short history over it,
/// so that every screen has orders in every state: entered over three months, shipped, picked,
/// voided, cancelled short, re-prioritised, with returns and receipts waiting for the processes.
public enum Demo {
    /// What `demo` prints: where the database is and the desk's counts in it.
    public struct Summary: JSONConvertible, Sendable {
        public var database: String
        public var desk: DeskSummary

        public var json: JSON {
            .object([("database", .string(database)),
                     ("orders", .object(desk.orders.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
                     ("bo_lines", .int(desk.boLines)), ("units_backordered", .int(desk.unitsBackordered)),
                     ("top_lics", .array(desk.topLICs.map { .object([("lic", .string($0.lic)), ("backordered", .int($0.backordered)), ("lines", .int($0.lines))]) })),
                     ("waiting_primary", .int(desk.waitingPrimary)), ("waiting_secondary", .int(desk.waitingSecondary))])
        }

        public var text: String {
            var s = "Demo database: \(database)\n"
            s += "Orders: " + desk.orders.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + "\n"
            s += "Backlog: \(desk.boLines) backordered lines, \(desk.unitsBackordered) units short.\n"
            s += "Longest queues: " + desk.topLICs.map { "\($0.lic) (\($0.backordered) units, \($0.lines) lines)" }.joined(separator: ", ") + "\n"
            s += "Waiting for the processes: \(desk.waitingPrimary) receipt(s) for 7792 Primary, \(desk.waitingSecondary) other increase(s) for 8050 Secondary."
            return s
        }
    }

    /// Finds `seeds/`: the given directory, `BACKORDERS_SEEDS`, `./seeds`, beside the executable, or
    /// in the source tree this program was built from.
    public static func seedsDirectory(explicit: String?) -> URL? {
        ProjectFiles.locate("seeds", containing: "orders.csv", explicit: explicit, environmentVariable: "BACKORDERS_SEEDS")
    }

    /// The day the seed files' dates are written for (seeds/generate.py). Loaded on another day,
    /// every date moves by the difference: entries over the last three months, POs expected over
    /// the coming weeks, ages and lateness as on that day.
    public static let seedsToday = Day(year: 2026, month: 11, day: 21)!

    /// Creates the demo database at `path` (replacing it if `reset`) as `userName`, the admin,
    /// as of `today` at 10:00.
    public static func load(path: String, userName: String, seeds: URL, reset: Bool, today: Day,
                            options: AppDatabase.CreateOptions = .init()) throws -> Summary {
        try load(path: path, userName: userName, seeds: seeds, reset: reset, now: Moment(day: today, secondOfDay: 10 * 3600),
                 options: options)
    }

    /// Creates the demo database at `path` (replacing it if `reset`) as `userName`, the admin, as
    /// the desk stands at `now`: its history happened over the months and hours before it, the
    /// schedules ran minutes ago, and this morning's receipts wait for the next 7792 run.
    public static func load(path: String, userName: String, seeds: URL, reset: Bool, now: Moment,
                            options: AppDatabase.CreateOptions = .init()) throws -> Summary {
        let today = now.day
        let fm = FileManager.default
        if PostgresAddress.isPostgres(path) {
            let address = try PostgresAddress(path)
            if try PostgresStore.holdsDesk(address) {
                guard reset else {
                    throw DeskError.refused("\(address) already holds a desk; open it with `backorders --db \(address)`, or start over with `backorders demo --reset`")
                }
                try PostgresStore.erase(address)
            }
        } else {
        try AppDatabase.refuseDirectory(path)
        if fm.fileExists(atPath: path) {
            guard reset else {
                throw DeskError.refused("\(path) already exists; open it with `backorders`, or start over with `backorders demo --reset`")
            }
            try AppDatabase.verifyIsOurs(path: path)
            for suffix in ["", "-wal", "-shm", "-turn"] { try? fm.removeItem(atPath: path + suffix) }
        }
        }
        try Desk.initialize(path: path, userName: userName, options: options)
        let database = try Desk.openStore(path)
        func desk(on day: Day, hour: Int = 9) throws -> Desk {
            try Desk(store: database, userName: userName, clock: .fixed(Moment(day: day, secondOfDay: hour * 3600)))
        }
        let shift = today.days(since: seedsToday)
        let start = Day(year: 2026, month: 8, day: 1)!.adding(days: shift)
        let admin = try desk(on: start)
        for (name, role) in [("ann", Role.clerk), ("sue", .supervisor), ("raj", .clerk)] where name != userName {
            try admin.addUser(name, role: role, autoBackorder: role != .clerk)
        }
        for (code, text) in [("CUST", "Customer request"), ("DISC", "Discontinued by vendor"), ("DUP", "Duplicate order"), ("LATE", "Supply too late")] {
            try admin.addReason(code, description: text)
        }
        _ = try admin.setPreference("backorder_management", "true")
        for kind in [ImportKind.locations, .vendors, .lics, .customers] {
            _ = try admin.importCSV(kind, url: seeds.appendingPathComponent("\(kind.rawValue).csv"))
        }
        _ = try admin.importCSV(.stock, url: seeds.appendingPathComponent("stock.csv"))
        _ = try admin.runProcess(.primary)
        let pos = try CSVTable(url: seeds.appendingPathComponent("purchase-orders.csv"), required: ImportKind.purchaseOrders.required)
        _ = try admin.importCSV(.purchaseOrders, table: try pos.shiftingDates(["order_date", "expected"], byDays: shift))

        // Orders, one day at a time, as clerks entered them.
        let orders = try CSVTable(url: seeds.appendingPathComponent("orders.csv"), required: ImportKind.orders.required)
            .shiftingDates(["entered_date", "schedule_date"], byDays: shift)
        var byDay: [Day: [CSVTable.Row]] = [:]
        for r in try orders.rows { byDay[try r.day("entered_date") ?? today, default: []].append(r) }
        for day in byDay.keys.sorted() {
            let rows = byDay[day]!
            let table = CSVTable(file: orders.file, header: orders.header, rows: rows)
            _ = try desk(on: day).importCSV(.orders, table: table, split: .yes)
            try playDay(day, store: database, desk: desk(on: day, hour: 16), today: today)
        }
        try history(store: database, desk: { try desk(on: $0, hour: $1) }, now: now, userName: userName)
        return try summary(store: database, path: path)
    }

    /// End of a business day in the demo's past: shipments older than two weeks went out, the
    /// processes ran.
    static func playDay(_ day: Day, store: any BackorderStoring, desk: Desk, today: Day) throws {
        let ids = try store.pendingShipments(enteredOnOrBefore: day.adding(days: -14))
        if today.days(since: day) > 10 {
            for id in ids { try desk.shipShipment(id) }
        }
    }

    static func history(store: any BackorderStoring, desk: (Day, Int) throws -> Desk, now: Moment, userName: String) throws {
        let today = now.day
        let yesterday = today.adding(days: -1)
        /// A desk whose clock stands `minutes` before `now` (this morning's events, the schedules' runs).
        func recent(_ minutes: Int, scheduler: Bool = false) throws -> Desk {
            let clock = Clock.fixed(now.adding(seconds: -minutes * 60))
            return scheduler ? Desk.scheduler(store: store, clock: clock)
                             : try Desk(store: store, userName: userName, clock: clock)
        }
        let clerk = try desk(yesterday, 10)
        // Some recent shipments are on the picking floor.
        let pending = try clerk.shipments(status: .pending)
        for s in pending.enumerated().filter({ $0.offset % 4 == 0 }).map(\.element).prefix(12) { try clerk.pickShipment(s.id) }
        // A few orders voided and cut short.
        let open = try clerk.orders(status: .backorder).reversed()
        var voided = 0
        for o in open where voided < 3 {
            if (try? clerk.voidOrder(o.number)) != nil { voided += 1 }
        }
        let supervisor = try desk(yesterday, 11)
        var cancelled = 0
        for o in try supervisor.orders(status: .backorder) where cancelled < 3 && o.lines > 2 {
            if (try? supervisor.cancelRemaining(o.number, line: nil, reason: cancelled == 0 ? "CUST" : "LATE")) != nil { cancelled += 1 }
        }
        // An important order moved ahead of the queue.
        if let target = try supervisor.orders(status: .backorder).dropFirst(5).first(where: { $0.priority < 5 }) {
            _ = try supervisor.changePriority(target.number, to: 6, preview: false)
        }
        // Auto backorder: open POs reserved for the waiting lines, then part of one PO arrives.
        _ = try supervisor.setPreference("auto_backorder", "true")
        _ = try supervisor.setPreference("auto_backorder_same_branch", "true")
        let reserve = try desk(yesterday, 12)
        _ = try reserve.runProcess(.autoReserve)
        if let po = try reserve.purchaseOrders(status: .open).first(where: { $0.attachments.count > 1 }), let line = po.lines.first {
            _ = try reserve.receive(lic: line.lic, qty: max(1, line.qty / 2), po: po.number)
        }
        _ = try supervisor.setPreference("primary_enabled", "true")
        _ = try supervisor.setPreference("secondary_enabled", "true")

        // The schedules ran within their intervals: 8050 an hour ago (yesterday's voids and
        // cancellations went to the queues), 8101 forty minutes ago, 7792 twenty minutes ago.
        _ = try recent(60, scheduler: true).runProcess(.secondary)
        _ = try recent(40, scheduler: true).runProcess(.autoReserve)
        _ = try recent(20, scheduler: true).runProcess(.primary)
        // Since then: returns of shipped goods wait for 8050, this morning's receipts for 7792.
        let shippedOrders = try store.shippedLines(minimum: 4, limit: 2)
        let returns = try recent(15)
        for s in shippedOrders { try returns.recordReturn(order: s.order, lic: s.lic, qty: s.shipped / 4) }
        let receiving = try recent(10)
        for (lic, qty) in [("PEN-BLK", 120), ("CHAIR-STK", 40), ("PAPER-LTR", 60)] {
            _ = try receiving.receive(lic: lic, qty: qty)
        }
    }

    static func summary(store: any BackorderStoring, path: String) throws -> Summary {
        Summary(database: path, desk: try store.deskSummary())
    }
}
