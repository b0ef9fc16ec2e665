import BackorderCore
import Foundation
import GRDB

/// Named migrations. A migration that has shipped is never edited: add a new one.
enum Schema {
    /// `PRAGMA application_id` of a Backorders database ("BKOR").
    static let applicationID: Int32 = 0x424B_4F52

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-desk") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(sql: v1)
        }
        m.registerMigration("v2-invoicing") { db in
            try db.execute(sql: v2)
        }
        m.registerMigration("v3-purchasing") { db in
            try db.execute(sql: v3)
            // Backfill the queue-need cache from the lines already there.
            try db.execute(sql: """
                INSERT INTO queue_need (lic_id, location_id, priority, need, movable)
                SELECT lic_id, location_id, priority, sum(ordered - cancelled - shipped - min(allotted, frozen + dedicated)),
                       sum(allotted - min(allotted, frozen + dedicated))
                FROM order_line WHERE is_open = 1 GROUP BY 1, 2, 3
                """)
        }
        m.registerMigration("v4-scale") { db in
            try db.execute(sql: v4)
        }
        m.registerMigration("v5-fewer-line-indexes") { db in
            try db.execute(sql: v5)
        }
        m.registerMigration("v6-desk") { db in
            try db.execute(sql: v6)
        }
        m.registerMigration("v7-reliability") { db in
            try db.execute(sql: v7)
        }
        m.registerMigration("v8-one-name-each") { db in
            try db.execute(sql: v8)
        }
        m.registerMigration("v9-unmet-span") { db in
            try db.execute(sql: v9)
        }
        // No row changes, so no foreign key can break: checked as they go, not all re-read.
        m.registerMigration("v10-checks-as-comparisons", foreignKeyChecks: .immediate) { db in
            try checksAsComparisons(db)
        }
        // An index rebuilt, no row changed: no foreign key check over the whole desk (0.8 s at 1M).
        m.registerMigration("v11-line-short-covers-the-fill", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: v11)
        }
        return m
    }

    static let v1 = """
    CREATE TABLE location (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT ''
    );
    -- PO locations an order's location may backorder from (none listed = any).
    CREATE TABLE location_restriction (
        location_id INTEGER NOT NULL REFERENCES location(id),
        from_location_id INTEGER NOT NULL REFERENCES location(id),
        PRIMARY KEY (location_id, from_location_id)
    ) WITHOUT ROWID;
    CREATE TABLE app_user (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('clerk','supervisor','admin')),
        auto_backorder INTEGER NOT NULL DEFAULT 0,
        theme TEXT
    );
    CREATE TABLE vendor (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE lic (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        price_cents INTEGER NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
        min_stock INTEGER NOT NULL DEFAULT 0 CHECK (min_stock >= 0),
        reorder_multiple INTEGER NOT NULL DEFAULT 1 CHECK (reorder_multiple >= 1),
        vendor_id INTEGER REFERENCES vendor(id),
        inventoried INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE customer (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT '',
        priority INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 9),
        terms TEXT NOT NULL DEFAULT 'ar' CHECK (terms IN ('ar','cod'))
    );
    CREATE TABLE reason (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT ''
    );

    -- Cached figures per (LIC, location); `check` recomputes every one of them (I5).
    CREATE TABLE balance (
        lic_id INTEGER NOT NULL REFERENCES lic(id),
        location_id INTEGER NOT NULL REFERENCES location(id),
        on_hand INTEGER NOT NULL DEFAULT 0,
        allotted INTEGER NOT NULL DEFAULT 0,
        frozen INTEGER NOT NULL DEFAULT 0,
        dedicated INTEGER NOT NULL DEFAULT 0,
        demand INTEGER NOT NULL DEFAULT 0,
        on_order INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (lic_id, location_id)
    ) WITHOUT ROWID;

    -- Every stock movement (I6). Append-only: the triggers below refuse changes.
    CREATE TABLE ledger (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        lic_id INTEGER NOT NULL REFERENCES lic(id),
        location_id INTEGER NOT NULL REFERENCES location(id),
        kind TEXT NOT NULL CHECK (kind IN ('receipt','adjustment','return','shipment')),
        qty INTEGER NOT NULL CHECK (qty <> 0),
        order_id INTEGER,
        shipment_id INTEGER,
        po_id INTEGER,
        actor TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX ledger_lic ON ledger(lic_id, location_id, id);
    CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
        BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only'); END;
    CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
        BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only'); END;

    -- Increases of available stock waiting for a backorder process:
    -- 'primary' for receipts, 'secondary' for everything else (returns, adjustments, releases).
    CREATE TABLE supply_event (
        id INTEGER PRIMARY KEY,
        process TEXT NOT NULL CHECK (process IN ('primary','secondary')),
        lic_id INTEGER NOT NULL,
        location_id INTEGER NOT NULL,
        qty INTEGER NOT NULL,
        source TEXT NOT NULL,
        at TEXT NOT NULL,
        run_id INTEGER
    );
    CREATE INDEX supply_event_waiting ON supply_event(process, lic_id, location_id) WHERE run_id IS NULL;

    CREATE TABLE orders (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        base_number INTEGER NOT NULL,
        suffix INTEGER NOT NULL DEFAULT 0,
        parent_id INTEGER REFERENCES orders(id),
        customer_id INTEGER NOT NULL REFERENCES customer(id),
        location_id INTEGER NOT NULL REFERENCES location(id),
        status TEXT NOT NULL CHECK (status IN ('open','invoiced','closed','cancelled','void')),
        policy TEXT NOT NULL,
        priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 9),
        entered_seq INTEGER NOT NULL,
        entered_at TEXT NOT NULL,
        entered_day TEXT NOT NULL,
        entered_by TEXT NOT NULL,
        schedule_date TEXT,
        prepaid_cents INTEGER NOT NULL DEFAULT 0,
        min_deposit_cents INTEGER NOT NULL DEFAULT 0,
        handling_cents INTEGER NOT NULL DEFAULT 0,
        tax_rate_ppm INTEGER NOT NULL DEFAULT 0,
        bo_lines INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX orders_customer ON orders(customer_id, id);
    CREATE INDEX orders_status ON orders(status, id);
    CREATE INDEX orders_base ON orders(base_number, suffix);

    CREATE TABLE order_line (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES orders(id),
        line_no INTEGER NOT NULL,
        lic_id INTEGER NOT NULL REFERENCES lic(id),
        location_id INTEGER NOT NULL,
        priority INTEGER NOT NULL,
        entered_seq INTEGER NOT NULL,
        ordered INTEGER NOT NULL CHECK (ordered >= 0),
        cancelled INTEGER NOT NULL DEFAULT 0,
        shipped INTEGER NOT NULL DEFAULT 0,
        invoiced INTEGER NOT NULL DEFAULT 0,
        allotted INTEGER NOT NULL DEFAULT 0,
        frozen INTEGER NOT NULL DEFAULT 0,
        on_shipment INTEGER NOT NULL DEFAULT 0,
        dedicated INTEGER NOT NULL DEFAULT 0,
        unit_cents INTEGER NOT NULL DEFAULT 0,
        whole_line INTEGER NOT NULL DEFAULT 0,
        inventoried INTEGER NOT NULL DEFAULT 1,
        is_open INTEGER NOT NULL DEFAULT 1,
        bo INTEGER NOT NULL DEFAULT 0,
        UNIQUE (order_id, line_no)
    );
    -- The queue of a (LIC, location): allocation order.
    CREATE INDEX line_queue ON order_line(lic_id, location_id, priority DESC, entered_seq, order_id, line_no)
        WHERE is_open = 1;
    CREATE INDEX line_bo ON order_line(entered_seq, order_id, line_no) WHERE bo = 1;
    CREATE INDEX line_lic ON order_line(lic_id, location_id);

    CREATE TABLE shipment (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES orders(id),
        customer_id INTEGER NOT NULL,
        location_id INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending','picked','shipped','cancelled')),
        created_at TEXT NOT NULL,
        picked_at TEXT,
        shipped_at TEXT,
        first_for_order INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX shipment_order ON shipment(order_id, status);
    CREATE INDEX shipment_pending ON shipment(customer_id, location_id) WHERE status = 'pending';
    CREATE TABLE shipment_item (
        id INTEGER PRIMARY KEY,
        shipment_id INTEGER NOT NULL REFERENCES shipment(id),
        line_id INTEGER NOT NULL REFERENCES order_line(id),
        qty INTEGER NOT NULL CHECK (qty > 0)
    );
    CREATE INDEX shipment_item_shipment ON shipment_item(shipment_id);
    CREATE INDEX shipment_item_line ON shipment_item(line_id);

    CREATE TABLE order_log (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES orders(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        message TEXT NOT NULL
    );
    CREATE INDEX order_log_order ON order_log(order_id, id);

    CREATE TABLE preferences (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        backorder_management INTEGER NOT NULL DEFAULT 0,
        fair_queue INTEGER NOT NULL DEFAULT 1,
        split_prompt TEXT NOT NULL DEFAULT 'ask',
        default_policy TEXT NOT NULL DEFAULT 'partial',
        append_by_location INTEGER NOT NULL DEFAULT 0,
        process_receipts_on_posting INTEGER NOT NULL DEFAULT 0,
        primary_enabled INTEGER NOT NULL DEFAULT 0,
        primary_interval_minutes INTEGER NOT NULL DEFAULT 30,
        secondary_enabled INTEGER NOT NULL DEFAULT 0,
        secondary_interval_minutes INTEGER NOT NULL DEFAULT 240,
        auto_backorder INTEGER NOT NULL DEFAULT 0,
        auto_backorder_same_branch INTEGER NOT NULL DEFAULT 0,
        require_min_deposit INTEGER NOT NULL DEFAULT 0,
        max_days_out INTEGER NOT NULL DEFAULT 0,
        auto_generate_pos INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO preferences (id) VALUES (1);

    -- Runtime state of the automation schedules; their enabled flags and intervals are preferences.
    CREATE TABLE schedule (
        process TEXT PRIMARY KEY,
        code INTEGER NOT NULL,
        last_run_at TEXT,
        next_run_at TEXT,
        last_result TEXT
    );
    INSERT INTO schedule (process, code) VALUES ('primary', 7792), ('secondary', 8050),
        ('auto-reserve', 8101), ('replenish', 8102);

    CREATE TABLE process_run (
        id INTEGER PRIMARY KEY,
        process TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        actor TEXT NOT NULL,
        lines_filled INTEGER NOT NULL DEFAULT 0,
        units_allotted INTEGER NOT NULL DEFAULT 0,
        shipments_created INTEGER NOT NULL DEFAULT 0,
        shipments_appended INTEGER NOT NULL DEFAULT 0,
        error TEXT
    );
    CREATE INDEX process_run_process ON process_run(process, id);

    -- At most one runner of a process at a time, across processes and machines.
    CREATE TABLE process_lease (
        process TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at REAL NOT NULL
    );

    CREATE TABLE counter (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    );
    INSERT INTO counter (name, value) VALUES ('order_number', 1000), ('entry_seq', 0);
    """

    static let v2 = """
    CREATE TABLE invoice (
        id INTEGER PRIMARY KEY,
        number INTEGER NOT NULL UNIQUE,
        order_id INTEGER NOT NULL REFERENCES orders(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        subtotal_cents INTEGER NOT NULL,
        tax_cents INTEGER NOT NULL,
        handling_cents INTEGER NOT NULL,
        total_cents INTEGER NOT NULL,
        cash_applied_cents INTEGER NOT NULL,
        suborder_id INTEGER REFERENCES orders(id)
    );
    CREATE INDEX invoice_order ON invoice(order_id);
    CREATE TABLE invoice_line (
        id INTEGER PRIMARY KEY,
        invoice_id INTEGER NOT NULL REFERENCES invoice(id),
        line_id INTEGER NOT NULL REFERENCES order_line(id),
        qty INTEGER NOT NULL CHECK (qty > 0),
        unit_cents INTEGER NOT NULL,
        extension_cents INTEGER NOT NULL
    );
    CREATE INDEX invoice_line_invoice ON invoice_line(invoice_id);
    CREATE INDEX invoice_line_line ON invoice_line(line_id);
    INSERT INTO counter (name, value) VALUES ('invoice_number', 0);
    """

    static let v3 = """
    CREATE TABLE purchase_order (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        vendor_id INTEGER NOT NULL REFERENCES vendor(id),
        location_id INTEGER NOT NULL REFERENCES location(id),
        order_date TEXT NOT NULL,
        expected TEXT,
        status TEXT NOT NULL CHECK (status IN ('draft','open','received','closed')),
        allow_attach INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    );
    CREATE INDEX purchase_order_status ON purchase_order(status, order_date, number);
    CREATE TABLE po_line (
        id INTEGER PRIMARY KEY,
        po_id INTEGER NOT NULL REFERENCES purchase_order(id),
        line_no INTEGER NOT NULL,
        lic_id INTEGER NOT NULL REFERENCES lic(id),
        qty INTEGER NOT NULL CHECK (qty > 0),
        received INTEGER NOT NULL DEFAULT 0,
        cancelled INTEGER NOT NULL DEFAULT 0,
        attached INTEGER NOT NULL DEFAULT 0,
        UNIQUE (po_id, line_no)
    );
    CREATE INDEX po_line_lic ON po_line(lic_id, po_id);
    -- An order line's claim on a PO line's incoming quantity (auto backorder, §6).
    CREATE TABLE po_attachment (
        id INTEGER PRIMARY KEY,
        line_id INTEGER NOT NULL REFERENCES order_line(id),
        po_line_id INTEGER NOT NULL REFERENCES po_line(id),
        qty INTEGER NOT NULL CHECK (qty > 0),
        at TEXT NOT NULL
    );
    CREATE INDEX po_attachment_line ON po_attachment(line_id);
    CREATE INDEX po_attachment_po_line ON po_attachment(po_line_id, id);
    ALTER TABLE order_line ADD COLUMN attached INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX line_unattached ON order_line(lic_id, location_id) WHERE bo = 1;
    -- Short lines in queue order: where released stock goes first.
    CREATE INDEX line_short ON order_line(lic_id, location_id, priority DESC, entered_seq, order_id, line_no) WHERE bo = 1;
    -- 1 while a queue may differ from its canonical fill (supply waiting, a fair-queue-off entry);
    -- 0 once re-allocated. `check` verifies every settled queue against the greedy fill.
    ALTER TABLE balance ADD COLUMN unsettled INTEGER NOT NULL DEFAULT 0;
    -- Lines whose allotment can be taken (priority entry, negative adjustments), from the queue's end.
    CREATE INDEX line_movable ON order_line(lic_id, location_id, priority, entered_seq DESC, order_id DESC, line_no DESC)
        WHERE is_open = 1 AND allotted > frozen + dedicated;
    -- Unmet need and movable allotment of the open lines of a queue, by priority: what entry
    -- needs to know about the lines ahead of and behind a new line without reading the queue.
    CREATE TABLE queue_need (
        lic_id INTEGER NOT NULL,
        location_id INTEGER NOT NULL,
        priority INTEGER NOT NULL,
        need INTEGER NOT NULL DEFAULT 0,
        movable INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (lic_id, location_id, priority)
    ) WITHOUT ROWID;
    -- Returns look up what an order already returned.
    CREATE INDEX ledger_order ON ledger(order_id) WHERE order_id IS NOT NULL;
    INSERT INTO counter (name, value) VALUES ('po_number', 5000);
    INSERT OR IGNORE INTO schedule (process, code) VALUES ('auto-reserve', 8101), ('replenish', 8102);
    ALTER TABLE preferences ADD COLUMN auto_reserve_interval_minutes INTEGER NOT NULL DEFAULT 60;
    ALTER TABLE preferences ADD COLUMN replenish_interval_minutes INTEGER NOT NULL DEFAULT 1440;
    """

    /// BO lines counted per block of entry sequence (`Derivation.blockShift`) and priority: the
    /// Backorders list's length and a line's position in it (by age or by priority) without
    /// counting half a million index entries.
    static let v4 = """
    CREATE TABLE bo_bucket (
        bucket INTEGER NOT NULL,
        priority INTEGER NOT NULL,
        lines INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (bucket, priority)
    ) WITHOUT ROWID;
    INSERT INTO bo_bucket (bucket, priority, lines)
        SELECT entered_seq >> \(Derivation.blockShift), priority, count(*) FROM order_line WHERE bo = 1 GROUP BY 1, 2;
    -- The Backorders list by priority (highest first, then oldest) as one ascending index.
    ALTER TABLE order_line ADD COLUMN neg_priority INTEGER GENERATED ALWAYS AS (-priority) VIRTUAL;
    CREATE INDEX line_bo_priority ON order_line(neg_priority, entered_seq, order_id, line_no) WHERE bo = 1;
    -- Unattached unmet need (ordered − cancelled − shipped − allotted − attached) of the open
    -- lines of a queue, per priority and block of entry sequence: what a projected fill date
    -- needs to know about the lines ahead of a line without reading them.
    CREATE TABLE unmet_block (
        lic_id INTEGER NOT NULL,
        location_id INTEGER NOT NULL,
        priority INTEGER NOT NULL,
        block INTEGER NOT NULL,
        unmet INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (lic_id, location_id, priority, block)
    ) WITHOUT ROWID;
    INSERT INTO unmet_block (lic_id, location_id, priority, block, unmet)
        SELECT lic_id, location_id, priority, entered_seq >> \(Derivation.blockShift),
               sum(max(0, ordered - cancelled - shipped - allotted - attached))
        FROM order_line WHERE bo = 1 GROUP BY 1, 2, 3, 4;
    -- line_short (lic_id, location_id, …) WHERE bo = 1 serves every look-up this one did.
    DROP INDEX line_unattached;
    """
}

extension Schema {
    /// Every filled line entered `line_movable` — a quarter of a process run's line update. A
    /// greedy-filled queue holds movable allotment only up to its first short line
    /// (`line_short`), so `movableFromEnd` walks back from there on `line_queue` instead.
    ///
    /// `unmet_block.need`: the need (remaining − frozen − dedicated) of a queue's open lines per
    /// priority and block of entry sequence, so the need ahead of a line — what a priority change
    /// computes for each line it moves — is a few cached rows plus one block, not every line of
    /// its priority ahead of it (90,000 at the bottom of the longest queue at 1M).
    static let v5 = """
    DROP INDEX line_movable;
    ALTER TABLE unmet_block ADD COLUMN need INTEGER NOT NULL DEFAULT 0;
    INSERT INTO unmet_block (lic_id, location_id, priority, block, need)
        SELECT lic_id, location_id, priority, entered_seq >> \(Derivation.blockShift),
               sum(ordered - cancelled - shipped - min(allotted, frozen + dedicated))
        FROM order_line WHERE is_open = 1 AND inventoried = 1 GROUP BY 1, 2, 3, 4
        ON CONFLICT (lic_id, location_id, priority, block) DO UPDATE SET need = excluded.need;
    """
}

extension Schema {
    /// `preference_log`: who changed which preference when, from → to (every change, by the
    /// Preferences screen or `prefs set`). `shipment_open`: the pending-shipments view (pending and
    /// picked shipments, oldest first) without reading shipped ones.
    static let v6 = """
    CREATE TABLE preference_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        key TEXT NOT NULL,
        from_value TEXT NOT NULL,
        to_value TEXT NOT NULL
    );
    CREATE INDEX shipment_open ON shipment(id) WHERE status IN ('pending', 'picked');
    """

    /// Leases name their holder (process id, host, the process's start time against a reused pid)
    /// and carry a heartbeat; a lease whose holder is gone is taken over at once. A run whose
    /// holder died is closed as interrupted with what it had committed.
    static let v7 = """
    ALTER TABLE process_lease ADD COLUMN pid INTEGER;
    ALTER TABLE process_lease ADD COLUMN host TEXT;
    ALTER TABLE process_lease ADD COLUMN started TEXT;
    ALTER TABLE process_lease ADD COLUMN acquired_at REAL;
    ALTER TABLE process_lease ADD COLUMN heartbeat_at REAL;
    ALTER TABLE process_lease ADD COLUMN run_id INTEGER;
    ALTER TABLE process_lease ADD COLUMN what TEXT;
    ALTER TABLE process_run ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;
    """

    /// One name for each thing (issue 15): what is known of a queue is its settledness (three
    /// states, `Engine.Settledness`), not "unsettled"; the Backorders list's count per block of
    /// entry sequence is `bo_block`, as the queues' is `unmet_block`.
    static let v8 = """
    ALTER TABLE balance RENAME COLUMN unsettled TO settledness;
    ALTER TABLE bo_bucket RENAME TO bo_block;
    ALTER TABLE bo_block RENAME COLUMN bucket TO block;
    """
}

extension Schema {
    /// `unmet_span`: `unmet_block`'s sums per span of 2^`Derivation.spanShift` blocks, so the
    /// need ahead of a line deep in a popular LIC's queue (a projected fill date, a priority
    /// change) reads a few hundred cached rows instead of one per 256 entries of the queue —
    /// 5,035 block rows for the busiest LIC at 1M lines, ~80 spans.
    static let v9 = """
    CREATE TABLE unmet_span (
        lic_id INTEGER NOT NULL,
        location_id INTEGER NOT NULL,
        priority INTEGER NOT NULL,
        span INTEGER NOT NULL,
        unmet INTEGER NOT NULL DEFAULT 0,
        need INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (lic_id, location_id, priority, span)
    ) WITHOUT ROWID;
    \(spanBackfill)
    """

    /// v10: every `CHECK (column IN ('a', 'b', …))` becomes `CHECK (column = 'a' OR column = 'b' OR …)`.
    /// The same rule, but SQLite compiles a list of three or more into an ephemeral table it
    /// builds, fills and drops on every insert or update that checks it: 8.9 k instructions a
    /// shipment insert (6.6 µs where an item takes 2.0). A constraint that only changes form
    /// leaves every stored row valid, so this is SQLite's documented in-place schema edit (ALTER
    /// TABLE, "making other kinds of table schema changes"): the stored CREATE text rewritten
    /// under `writable_schema`, the schema version bumped, nothing rebuilt.
    static func checksAsComparisons(_ db: Database) throws {
        let tables = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%CHECK (% IN (%'")
        var changed: [(name: String, sql: String)] = []
        for t in tables {
            let sql: String = t["sql"]
            let rewritten = listChecksAsComparisons(sql)
            if rewritten != sql { changed.append((t["name"], rewritten)) }
        }
        guard !changed.isEmpty else { return }
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        for c in changed {
            try db.execute(sql: "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?", arguments: [c.sql, c.name])
        }
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
        let verdict = try String.fetchAll(db, sql: "PRAGMA quick_check")
        guard verdict == ["ok"] else {
            throw DeskError.invalid("the schema edit left the database failing its check: \(verdict.prefix(3).joined(separator: "; "))")
        }
    }

    /// `CHECK (c IN ('a', 'b'))` → `CHECK (c = 'a' OR c = 'b')` throughout one CREATE statement;
    /// anything else is left as it is.
    static func listChecksAsComparisons(_ sql: String) -> String {
        var out = ""
        var rest = Substring(sql)
        while let open = rest.range(of: "CHECK (") {
            out += rest[..<open.upperBound]
            rest = rest[open.upperBound...]
            // `column IN (` then quoted words separated by commas, then `))`.
            guard let inRange = rest.range(of: " IN ("),
                  case let column = rest[..<inRange.lowerBound],
                  !column.isEmpty, column.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
                  let close = rest[inRange.upperBound...].range(of: "))") else { continue }
            let list = rest[inRange.upperBound..<close.lowerBound]
            let words = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard words.count >= 2, words.allSatisfy({ $0.count >= 2 && $0.first == "'" && $0.last == "'" && !$0.dropFirst().dropLast().contains("'") }) else { continue }
            out += words.map { "\(column) = \($0)" }.joined(separator: " OR ") + ")"
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// Fills `unmet_span` from `unmet_block` (both engines' migration).
    static let spanBackfill = """
    INSERT INTO unmet_span (lic_id, location_id, priority, span, unmet, need)
        SELECT lic_id, location_id, priority, block >> \(Derivation.spanShift), sum(unmet), sum(need)
        FROM unmet_block GROUP BY 1, 2, 3, 4 HAVING sum(unmet) <> 0 OR sum(need) <> 0;
    """
}

extension Schema {
    /// `line_short` holds every column a process run reads of a short line (`Engine.fillColumns`),
    /// so the run's fill read walks the index alone: one page of index entries for dozens of lines
    /// instead of a table b-tree seek per line (half a million of them at 1M). `bo` is in it too:
    /// SQLite calls a partial index covering only when the columns of its WHERE are in it.
    static let v11 = """
    DROP INDEX line_short;
    CREATE INDEX line_short ON order_line(lic_id, location_id, priority DESC, entered_seq, order_id, line_no,
        ordered, cancelled, shipped, allotted, attached, frozen, dedicated, bo) WHERE bo = 1;
    """
}
