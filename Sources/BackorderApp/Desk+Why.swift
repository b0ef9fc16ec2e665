import BackorderCore
import BackorderStore

/// "Why is this backordered?" (§10) in words: the store reads where the line stands (`WhyView`),
/// the desk adds when the processes run next and says it, a sentence each.
extension WhyView: JSONConvertible {
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
        let now = clock.now()
        let prefs = try preferences()
        let schedules = try self.schedules()
        var view = try store.why(order: number, line: lineNo, today: clock.today)
        for s in schedules where s.process == .primary || s.process == .secondary {
            view.nextRuns[s.process] = s.nextRunPhrase(prefs: prefs, now: now)
        }
        return view
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
