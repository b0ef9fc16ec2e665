import BackorderCore
import GRDB

// Orders, stock and shipments: each write one transaction through the engine.

extension SQLStore {
    public func enterOrder(_ request: OrderRequest, userAutoBackorder: Bool, today: Day, _ stamp: Stamp) throws -> String {
        try change(stamp) { e -> String in
            let db = e.db
            let customerID = try Lookup.customerID(db, request.customer)
            let locationID = try Lookup.locationID(db, request.location)
            let defaultPriority = try db.fetchOne(Int.self, sql: "SELECT priority FROM customer WHERE id = ?", arguments: [customerID]) ?? 0
            var lines: [NewOrder.Line] = []
            for l in request.lines {
                let licID = try Lookup.licID(db, l.lic)
                let price = try l.unitCents ?? db.fetchOne(Int.self, sql: "SELECT price_cents FROM lic WHERE id = ?", arguments: [licID]) ?? 0
                var line = NewOrder.Line(licID: licID, quantity: l.quantity, unitCents: price)
                line.split = l.split
                lines.append(line)
            }
            var new = NewOrder(customerID: customerID, locationID: locationID,
                               priority: request.priority ?? defaultPriority,
                               policy: request.policy ?? e.prefs.defaultPolicy, lines: lines)
            new.split = request.split
            new.ifShort = request.ifShort
            new.scheduleDate = request.scheduleDate
            new.prepaidCents = request.depositCents
            new.minDepositCents = request.minDepositCents
            new.handlingCents = request.handlingCents
            new.taxRatePPM = request.taxRatePPM
            let id = try e.enterOrder(new, enteredDay: request.enteredDay)
            // Auto backorder at entry (§6 rule 5: the preference and the user's permission).
            if e.prefs.autoBackorder && e.prefs.backorderManagement && userAutoBackorder {
                for lineID in try db.fetchAll(Int64.self, sql: "SELECT id FROM order_line WHERE order_id = ? AND +bo = 1 ORDER BY line_no", arguments: [id]) {
                    _ = try e.attach(lineID: lineID, today: today)
                }
            }
            return try db.fetchOne(String.self, sql: "SELECT number FROM orders WHERE id = ?", arguments: [id])!
        }
    }

    public func availableToOrder(lic: String, location: String, priority: Int) throws -> Int {
        try reading { db in
            let key = StockKey(licID: try Lookup.licID(db, lic), locationID: try Lookup.locationID(db, location))
            return try Snapshot(db: db).availableToOrder(key, priority: priority).available
        }
    }

    public func changePriority(order: String, to priority: Int, preview: Bool, _ stamp: Stamp) throws -> (from: Int, outcome: PriorityOutcome) {
        // The preview is the change itself, rolled back inside the transaction: nothing is written.
        try change(stamp) { e in
            let id = try Lookup.orderID(e.db, order)
            let from = try e.db.fetchOne(Int.self, sql: "SELECT priority FROM orders WHERE id = ?", arguments: [id])!
            let outcome = preview ? try e.previewPriority(orderID: id, to: priority) : try e.changePriority(orderID: id, to: priority)
            return (from, outcome)
        }
    }

    public func voidOrder(_ order: String, _ stamp: Stamp) throws {
        try change(stamp) { e in try e.voidOrder(orderID: try Lookup.orderID(e.db, order)) }
    }

    public func cancelRemaining(order: String, line: Int?, reason: String, _ stamp: Stamp) throws -> Int {
        try change(stamp) { e in
            try e.cancelRemaining(orderID: try Lookup.orderID(e.db, order), lineNo: line, reasonCode: reason)
        }
    }

    public func recordReturn(order: String, lic: String, qty: Int, _ stamp: Stamp) throws {
        try change(stamp) { e in
            try e.recordReturn(orderID: try Lookup.orderID(e.db, order), licID: try Lookup.licID(e.db, lic), qty: qty)
        }
    }

    public func invoice(order: String, choice: RemainderChoice?, preview: Bool, _ stamp: Stamp) throws -> InvoiceResult {
        try change(stamp) { e in
            let id = try Lookup.orderID(e.db, order)
            return preview ? try e.previewInvoice(orderID: id, choice: choice) : try e.invoice(orderID: id, choice: choice)
        }
    }

    // MARK: - Stock and shipments

    public func receive(lic: String, qty: Int, location: String, _ stamp: Stamp) throws -> RunOutcome? {
        try change(stamp) { e -> RunOutcome? in
            let key = StockKey(licID: try Lookup.licID(e.db, lic), locationID: try Lookup.locationID(e.db, location))
            try e.receive(key, qty: qty, reason: "unplanned receipt")
            return try e.processReceipt(key)
        }
    }

    public func adjust(lic: String, delta: Int, reason: String, location: String, _ stamp: Stamp) throws {
        try change(stamp) { e in
            let key = StockKey(licID: try Lookup.licID(e.db, lic), locationID: try Lookup.locationID(e.db, location))
            try e.adjust(key, delta: delta, reason: reason)
        }
    }

    public func pickShipment(_ id: Int64, _ stamp: Stamp) throws {
        try change(stamp) { e in try e.pickShipment(id: id) }
    }

    public func shipShipment(_ id: Int64, _ stamp: Stamp) throws {
        try change(stamp) { e in try e.shipShipment(id: id) }
    }

    public func cancelShipment(_ id: Int64, _ stamp: Stamp) throws {
        try change(stamp) { e in try e.cancelShipment(id: id) }
    }
}

extension Engine {
    /// With *process receipts on posting* (and back order management on), the primary process
    /// for the received (LIC, location), in the receipt's transaction.
    func processReceipt(_ key: StockKey) throws -> RunOutcome? {
        guard prefs.processReceiptsOnPosting && prefs.backorderManagement else { return nil }
        let run = try startRun(.primary)
        try runBackorderProcess(.primary, runID: run, keys: [key])
        try finishRun(run, stats: stats)
        return RunOutcome(process: .primary, runID: run, stats: stats, licsProcessed: 1)
    }
}
