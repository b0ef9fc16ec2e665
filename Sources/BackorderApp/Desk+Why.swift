import BackorderCore
import BackorderStore
import GRDB

/// "Why is this backordered?" (§10): where a BO line stands in its queue, what is ahead of it,
/// what stock waits for which process, what purchase orders it counts on, when it should fill,
/// and what happened to it lately.
public struct WhyView: JSONConvertible, Sendable {
    /// The lines ahead of this one that also wait, at one priority.
    public struct Band: Sendable, Hashable {
        public var priority: Int
        public var lines: Int
        public var units: Int
    }
    /// Stock on hand that no process has given out yet.
    public struct Waiting: Sendable, Hashable {
        public var process: ProcessKind
        public var qty: Int
        public var at: String
        public var source: String
    }
    public struct Attachment: Sendable, Hashable {
        public var po: String
        public var qty: Int
        public var expected: String?
    }

    public var order: String
    public var line: Int
    public var lic: String
    public var description: String
    public var location: String
    public var customer: String
    public var customerName: String
    public var priority: Int
    public var enteredDay: String
    public var policy: FulfillmentPolicy
    public var remaining: Int
    public var allotted: Int
    public var wholeLine: Bool
    public var backordered: Int { remaining - allotted }
    /// 1-based place among the lines of the queue that still lack stock; nil when this one does not.
    public var position: Int?
    public var waitingLines: Int
    public var ahead: [Band]
    public var unitsAhead: Int { ahead.reduce(0) { $0 + $1.units } }
    public var linesAhead: Int { ahead.reduce(0) { $0 + $1.lines } }
    public var balance: Balance
    public var waiting: [Waiting]
    /// When each backorder process runs next, as a phrase ("due now", "in 12 min", "off").
    public var nextRuns: [ProcessKind: String]
    public var attachments: [Attachment]
    public var promise: String?
    public var projected: String?
    public var log: [LogEntry]
    /// The desk's today, for "received today 08:00".
    public var today: Day

    /// The answer, a sentence each: the shortfall, the queue, the stock, what waits for a
    /// process, the purchase orders, the dates.
    public var sentences: [String] {
        var s: [String] = []
        if backordered <= 0 {
            s.append("Line \(line) of order \(order) is not backordered: all \(remaining) \(lic) it still needs are allotted.")
        } else {
            s.append("Line \(line) of order \(order) lacks \(backordered) of \(remaining) \(lic)"
                     + (allotted > 0 ? " (\(allotted) allotted)." : "."))
        }
        if wholeLine && backordered > 0 {
            s.append("It is a whole-line backorder: nothing of it ships until all \(remaining) are allotted.")
        } else if policy.shipsComplete && backordered > 0 && allotted > 0 {
            s.append("The order ships complete: what is allotted waits for the rest.")
        }
        if let position {
            if ahead.isEmpty {
                s.append("It is first of \(waitingLines) waiting line(s) for \(lic) at \(location): nothing waits ahead of it.")
            } else {
                let bands = ahead.map { "priority \($0.priority): \($0.lines) line(s), \($0.units) unit(s)" }.joined(separator: "; ")
                s.append("It is number \(position) of \(waitingLines) waiting line(s) for \(lic) at \(location); "
                         + "\(linesAhead) line(s) ahead of it need \(unitsAhead) unit(s) (\(bands)).")
            }
            s.append("Queue order: priority \(priority) (higher first), then entry \(enteredDay) (earlier first).")
        }
        let free = balance.onHand - balance.allotted
        s.append("On hand at \(location): \(balance.onHand); allotted \(balance.allotted)"
                 + (free > 0 ? "; \(free) not yet given out." : "; nothing free."))
        if waiting.isEmpty {
            if backordered > 0 { s.append("No received or released stock waits for a backorder process.") }
        } else {
            for w in waiting.prefix(6) {
                let verb = w.process == .primary ? "received" : "released"
                let next = nextRuns[w.process].map { ", \($0)" } ?? ""
                s.append("\(w.qty) \(verb) \(when(w.at)) (\(w.source)) wait for \(w.process.scheduleCode) \(w.process.title)\(next).")
            }
            if waiting.count > 6 { s.append("… and \(waiting.count - 6) more waiting supply event(s).") }
        }
        if attachments.isEmpty {
            if backordered > 0 { s.append("It is not attached to a purchase order.") }
        } else {
            for a in attachments {
                s.append("Attached to purchase order \(a.po) for \(a.qty)" + (a.expected.map { ", expected \($0)" } ?? ", no expected date") + ".")
            }
            if let promise { s.append("Promise date \(promise): when the last PO it counts on is expected.") }
        }
        if backordered > 0 {
            if let projected {
                s.append("Projected fill date \(projected): the queue played against the open purchase orders by expected date.")
            } else {
                s.append("No projected fill date: the open purchase orders do not cover it.")
            }
        }
        return s
    }

    /// "today 08:00", "yesterday 16:30", "11-18 09:00" (or as stored when it is not a moment).
    func when(_ at: String) -> String {
        guard let m = Moment(at) else { return at }
        let hm = String(at.dropFirst(11).prefix(5))
        switch today.days(since: m.day) {
        case 0: return "today \(hm)"
        case 1: return "yesterday \(hm)"
        default: return "\(at.dropFirst(5).prefix(5)) \(hm)"
        }
    }

    public var json: JSON {
        .object([
            ("order", .string(order)), ("line", .int(line)), ("lic", .string(lic)), ("location", .string(location)),
            ("customer", .string(customer)), ("customer_name", .string(customerName)), ("priority", .int(priority)),
            ("entered", .string(enteredDay)), ("policy", .string(policy.rawValue)),
            ("remaining", .int(remaining)), ("allotted", .int(allotted)), ("backordered", .int(backordered)),
            ("whole_line", .bool(wholeLine)), ("position", .opt(position)), ("waiting_lines", .int(waitingLines)),
            ("lines_ahead", .int(linesAhead)), ("units_ahead", .int(unitsAhead)),
            ("ahead", .array(ahead.map { .object([("priority", .int($0.priority)), ("lines", .int($0.lines)), ("units", .int($0.units))]) })),
            ("on_hand", .int(balance.onHand)), ("allotted_at_location", .int(balance.allotted)),
            ("available", .int(balance.available)),
            ("waiting_supply", .array(waiting.map {
                .object([("process", .string($0.process.rawValue)), ("schedule", .int($0.process.scheduleCode)), ("qty", .int($0.qty)),
                         ("at", .string($0.at)), ("source", .string($0.source)), ("next_run", .opt(nextRuns[$0.process]))])
            })),
            ("attachments", .array(attachments.map { .object([("po", .string($0.po)), ("qty", .int($0.qty)), ("expected", .opt($0.expected))]) })),
            ("promise", .opt(promise)), ("projected", .opt(projected)),
            ("log", log.json),
            ("why", .array(sentences.map(JSON.string))),
        ])
    }
}

extension Desk {
    /// Why a line of an order is backordered: `line` nil = its first backordered line.
    public func why(order number: String, line lineNo: Int? = nil) throws -> WhyView {
        let today = clock.today
        let now = clock.now()
        let prefs = try preferences()
        let schedules = try self.schedules()
        return try read { db in
            let orderID = try Desk.orderID(db, number)
            let lines = try LineRow.fetchAll(db, sql: "WHERE order_id = ? ORDER BY line_no", arguments: [orderID])
            let line: LineRow
            if let lineNo {
                guard let l = lines.first(where: { $0.lineNo == lineNo }) else {
                    throw DeskError.notFound("order \(number) has no line \(lineNo)")
                }
                line = l
            } else {
                guard let l = lines.first(where: \.bo) else {
                    throw DeskError.refused("order \(number) has no backordered line")
                }
                line = l
            }
            guard line.inventoried else {
                throw DeskError.refused("line \(line.lineNo) of order \(number) is a service; it needs no stock and is never backordered")
            }
            let head = try Row.fetchOne(db, sql: """
                SELECT o.number, c.code, c.name, l.code, o.entered_day, o.policy, li.code, li.description
                FROM orders o JOIN customer c ON c.id = o.customer_id JOIN location l ON l.id = ?
                JOIN lic li ON li.id = ? WHERE o.id = ?
                """, arguments: [line.locationID, line.licID, orderID])!
            let key = StockKey(licID: line.licID, locationID: line.locationID)
            let b = try Row.fetchOne(db, sql: """
                SELECT on_hand, allotted, demand, on_order, frozen, dedicated FROM balance WHERE lic_id = ? AND location_id = ?
                """, arguments: [key.licID, key.locationID])
            let balance = b.map { Balance(onHand: $0[0], allotted: $0[1], demand: $0[2], onOrder: $0[3], frozen: $0[4], dedicated: $0[5]) } ?? Balance()

            // The waiting lines ahead of it, per priority, on the short-line index.
            var ahead: [WhyView.Band] = []
            var position: Int?
            if line.bo {
                ahead = try Row.fetchAll(db, sql: """
                    SELECT priority, count(*), sum(ordered - cancelled - shipped - allotted) FROM order_line INDEXED BY line_short
                    WHERE lic_id = ?1 AND location_id = ?2 AND bo = 1
                      AND (priority > ?3 OR (priority = ?3 AND (entered_seq, order_id, line_no) < (?4, ?5, ?6)))
                    GROUP BY priority ORDER BY priority DESC
                    """, arguments: [key.licID, key.locationID, line.priority, line.enteredSeq, line.orderID, line.lineNo])
                    .map { WhyView.Band(priority: $0[0], lines: $0[1], units: $0[2]) }
                position = ahead.reduce(0) { $0 + $1.lines } + 1
            }
            let waitingLines = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM order_line INDEXED BY line_short WHERE lic_id = ? AND location_id = ? AND bo = 1
                """, arguments: [key.licID, key.locationID]) ?? 0

            // Supply no process has consumed yet, as far as it is still free stock: an entry may
            // have taken some of it (free stock is counted against the newest events first).
            var free = max(0, balance.onHand - balance.allotted)
            var waiting: [WhyView.Waiting] = []
            for r in try Row.fetchAll(db, sql: """
                SELECT process, qty, at, source FROM supply_event
                WHERE lic_id = ? AND location_id = ? AND run_id IS NULL ORDER BY id DESC
                """, arguments: [key.licID, key.locationID]) where free > 0 {
                guard let process = ProcessKind(rawValue: r[0]) else { continue }
                let qty = min(r[1] as Int, free)
                free -= qty
                waiting.insert(WhyView.Waiting(process: process, qty: qty, at: r[2], source: r[3]), at: 0)
            }
            var nextRuns: [ProcessKind: String] = [:]
            for s in schedules where s.process == .primary || s.process == .secondary {
                nextRuns[s.process] = s.nextRunPhrase(prefs: prefs, now: now)
            }

            let promises = try Desk.promises(db, sql: "l.id = ?", arguments: [line.id])
            let attachments = (promises[line.id]?.attachments ?? []).map { WhyView.Attachment(po: $0.po, qty: $0.qty, expected: $0.expected) }
            var projected: String?
            if line.bo {
                let engine = Engine(db, actor: user.name, now: now)
                projected = (try engine.projectedDates(key, today: today, window: [line])[line.id] ?? nil)?.description
            }

            // The record log names lines as "line 3" / "Line 3:": the rows that mention this one.
            let pattern = "%line \(line.lineNo)%"
            let log = try Row.fetchAll(db, sql: """
                SELECT at, actor, kind, message FROM order_log WHERE order_id = ? AND message LIKE ? ORDER BY id DESC LIMIT 60
                """, arguments: [orderID, pattern]).map { LogEntry(at: $0[0], actor: $0[1], kind: $0[2], message: $0[3]) }
                .filter { WhyView.mentions($0.message, line: line.lineNo) }
                .prefix(8).reversed()

            return WhyView(order: head[0], line: line.lineNo, lic: head[6], description: head[7], location: head[3],
                           customer: head[1], customerName: head[2], priority: line.priority, enteredDay: head[4],
                           policy: FulfillmentPolicy(rawValue: head[5]) ?? .partial, remaining: line.remaining,
                           allotted: line.allotted, wholeLine: line.wholeLine, position: position, waitingLines: waitingLines,
                           ahead: ahead, balance: balance, waiting: waiting, nextRuns: nextRuns, attachments: attachments,
                           promise: promises[line.id]?.promise, projected: projected, log: Array(log), today: today)
        }
    }
}

extension WhyView {
    /// Whether a record-log sentence is about line `n` ("line 3", "Line 3:", "line 3 × 2"), not line 30.
    static func mentions(_ message: String, line n: Int) -> Bool {
        let words = Array(message.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "(" }))
        for (i, w) in words.enumerated() where i + 1 < words.count && w.lowercased() == "line" {
            let next = words[i + 1].prefix { $0.isNumber }
            if Int(next) == n { return true }
        }
        return false
    }
}

extension Desk.ScheduleView {
    /// When the schedule runs next, as the header and the why view say it: "due now", "in 12 min",
    /// "in 3 h", "at 11-22 09:00", "off", or "idle" while back order management is off.
    public func nextRunPhrase(prefs: Preferences, now: Moment) -> String {
        guard prefs.backorderManagement || process == .replenish else { return "idle" }
        guard enabled else { return "off" }
        guard let text = nextRun, let next = Moment(text) else { return "due now" }
        let seconds = next.seconds - now.seconds
        if seconds <= 0 { return "due now" }
        let minutes = (seconds + 59) / 60
        if minutes < 60 { return "in \(minutes) min" }
        if minutes < 6 * 60 { return "in \(minutes / 60) h" + (minutes % 60 == 0 ? "" : " \(minutes % 60) min") }
        let hm = String(text.dropFirst(11).prefix(5))
        return next.day == now.day ? "at \(hm)" : "at \(text.dropFirst(5).prefix(5)) \(hm)"
    }
}
