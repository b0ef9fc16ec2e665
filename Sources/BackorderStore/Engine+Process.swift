import BackorderCore
import GRDB

extension Engine {

    /// The keys with supply waiting for a process, in key order.
    func waitingWork(_ process: ProcessKind) throws -> [StockKey] {
        try fetchRows(sql: """
            SELECT DISTINCT lic_id, location_id FROM supply_event WHERE process = ? AND run_id IS NULL ORDER BY 1, 2
            """, arguments: [process.rawValue]).map { StockKey(licID: $0[0], locationID: $0[1]) }
    }

    /// Runs the primary or secondary backorder process over the given (LIC, location)s: each is
    /// re-allocated canonically from its stock, its waiting supply events are marked consumed,
    /// and shipments are built. Only the keys with work are touched.
    func runBackorderProcess(_ process: ProcessKind, runID: Int64, keys: [StockKey]) throws {
        let source: AllotmentSource = process == .primary ? .primary : .secondary
        phase("run start")
        try canonicalizeInBulk(keys, source: source)
        try consumeSupply(process, runID: runID, keys: keys)
        phase("supply events")
        try finish()
        phase("finish")
    }

    /// Marks the keys' waiting supply events consumed by the run.
    func consumeSupply<S: Sequence>(_ process: ProcessKind, runID: Int64, keys: S) throws where S.Element == StockKey {
        let consume = try RawStatement(cached: db, sql: """
            UPDATE supply_event SET run_id = ?1 WHERE process = ?4 AND lic_id = ?2 AND location_id = ?3 AND run_id IS NULL
            """)
        for key in keys { try consume.execute([runID, key.licID, key.locationID], text: [process.rawValue]) }
    }

    func startRun(_ process: ProcessKind) throws -> Int64 {
        try exec(sql: "INSERT INTO process_run (process, started_at, actor) VALUES (?, ?, ?)",
                       arguments: [process.rawValue, at, actor])
        return try db.lastInsertedRowID
    }

    /// Adds one transaction's work to a run record (in that transaction).
    func addToRun(_ runID: Int64, stats: RunStats) throws {
        try exec(sql: """
            UPDATE process_run SET lines_filled = lines_filled + ?, units_allotted = units_allotted + ?,
                shipments_created = shipments_created + ?, shipments_appended = shipments_appended + ?
            WHERE id = ?
            """, arguments: [stats.linesFilled, stats.unitsAllotted, stats.shipmentsCreated, stats.shipmentsAppended, runID])
    }

    func finishRun(_ runID: Int64, stats: RunStats, error: String? = nil) throws {
        try exec(sql: """
            UPDATE process_run SET finished_at = ?, lines_filled = lines_filled + ?, units_allotted = units_allotted + ?,
                shipments_created = shipments_created + ?, shipments_appended = shipments_appended + ?, error = ?
            WHERE id = ?
            """, arguments: [at, stats.linesFilled, stats.unitsAllotted, stats.shipmentsCreated,
                             stats.shipmentsAppended, error, runID])
    }
}
