/// The record log (product §4.8): every change to an order, as a sentence a clerk understands.
public enum LogEvent: Hashable, Sendable {
    case entered(order: String, customer: String, location: String, priority: Int, policy: FulfillmentPolicy)
    case lineAdded(line: Int, lic: String, quantity: Int, allotted: Int)
    case splitYes(lic: String, requested: Int, available: Int, firstLine: Int, secondLine: Int)
    case splitNo(lic: String, requested: Int, available: Int, line: Int)
    case nothingAvailable(lic: String, requested: Int, line: Int, wholeLine: Bool)
    case shortUnmanaged(lic: String, requested: Int, available: Int, line: Int)
    case allotted(line: Int, lic: String, quantity: Int, source: AllotmentSource, boCleared: Bool)
    /// A process run's allotments to one order's lines: one row, however many lines filled.
    case allottedLines(items: [Allotment], source: AllotmentSource)
    case preempted(line: Int, lic: String, quantity: Int, toOrder: String?, source: AllotmentSource)
    case released(line: Int, lic: String, quantity: Int, reason: String)
    case shipmentCreated(shipment: Int64, items: [(line: Int, quantity: Int)])
    case shipmentAppended(shipment: Int64, items: [(line: Int, quantity: Int)], fromOrder: String?)
    case shipmentReduced(shipment: Int64, line: Int, quantity: Int)
    case picked(shipment: Int64)
    case shipped(shipment: Int64, units: Int)
    case shipmentCancelled(shipment: Int64)
    case priorityChanged(from: Int, to: Int)
    case voided
    case returned(lic: String, quantity: Int)
    case cancelledRemaining(line: Int?, lic: String?, quantity: Int, reason: String)
    case note(String)

    public static func == (a: LogEvent, b: LogEvent) -> Bool { a.sentence == b.sentence }
    public func hash(into h: inout Hasher) { h.combine(sentence) }

    public var kind: String {
        switch self {
        case .entered: return "entry"
        case .lineAdded: return "line"
        case .splitYes, .splitNo, .nothingAvailable, .shortUnmanaged: return "split"
        case .allotted, .allottedLines: return "allot"
        case .preempted: return "preempt"
        case .released: return "release"
        case .shipmentCreated: return "shipment"
        case .shipmentAppended: return "append"
        case .shipmentReduced: return "shipment-reduced"
        case .picked: return "pick"
        case .shipped: return "ship"
        case .shipmentCancelled: return "shipment-cancel"
        case .priorityChanged: return "priority"
        case .voided: return "void"
        case .returned: return "return"
        case .cancelledRemaining: return "cancel"
        case .note: return "note"
        }
    }

    private static func units(_ n: Int) -> String { n == 1 ? "1 unit" : "\(n) units" }

    /// One line's part of `allottedLines`.
    public struct Allotment: Sendable, Equatable {
        public var line: Int
        public var lic: String
        public var quantity: Int
        public var boCleared: Bool
        public init(line: Int, lic: String, quantity: Int, boCleared: Bool) {
            self.line = line
            self.lic = lic
            self.quantity = quantity
            self.boCleared = boCleared
        }
    }

    public var sentence: String {
        switch self {
        case let .entered(order, customer, location, priority, policy):
            return "Order \(order) entered for \(customer) at \(location), priority \(priority), \(policy.label)."
        case let .lineAdded(line, lic, quantity, allotted):
            if allotted == quantity { return "Line \(line): \(quantity) \(lic), all allotted." }
            if allotted == 0 { return "Line \(line): \(quantity) \(lic), none allotted; backordered." }
            return "Line \(line): \(quantity) \(lic), \(allotted) allotted; \(quantity - allotted) backordered."
        case let .splitYes(lic, requested, available, first, second):
            return "Only \(available) of \(requested) \(lic) available: split by availability — line \(first) for \(available) allotted now, line \(second) for \(requested - available) backordered."
        case let .splitNo(lic, requested, available, line):
            return "Only \(available) of \(requested) \(lic) available: not split — line \(line) is backordered whole and ships nothing until all \(requested) are allotted."
        case let .nothingAvailable(lic, requested, line, wholeLine):
            if wholeLine {
                return "None of \(requested) \(lic) available: line \(line) is backordered whole and ships nothing until all \(requested) are allotted."
            }
            return "None of \(requested) \(lic) available: line \(line) is backordered for all \(requested) and ships as stock arrives."
        case let .shortUnmanaged(lic, requested, available, line):
            return "Only \(available) of \(requested) \(lic) available; back order management is off, so line \(line) keeps \(requested - available) unallotted."
        case .allotted, .allottedLines, .shipmentCreated, .shipmentAppended:
            var bytes = SentenceBytes()
            _ = writeSentence(into: &bytes)
            return bytes.string
        case let .preempted(line, lic, quantity, toOrder, source):
            let who = toOrder.map { " to order \($0)" } ?? ""
            return "Line \(line) gave up \(quantity) \(lic)\(who) \(source.phrase); backorder flag set."
        case let .released(line, lic, quantity, reason):
            return "Released \(quantity) \(lic) allotted to line \(line): \(reason)."
        case let .shipmentReduced(shipment, line, quantity):
            return "Pending shipment \(shipment): line \(line) reduced by \(quantity)."
        case let .picked(shipment):
            return "Shipment \(shipment) picked; its quantities are frozen."
        case let .shipped(shipment, units):
            return "Shipment \(shipment) shipped: \(Self.units(units))."
        case let .shipmentCancelled(shipment):
            return "Pending shipment \(shipment) cancelled; its quantities stay allotted."
        case let .priorityChanged(from, to):
            return "Fulfillment priority changed from \(from) to \(to)."
        case .voided:
            return "Order voided; its allotments are released to the secondary backorder process."
        case let .returned(lic, quantity):
            return "Customer returned \(quantity) \(lic) into stock."
        case let .cancelledRemaining(line, lic, quantity, reason):
            if let line, let lic { return "Cancelled the remaining \(quantity) \(lic) of line \(line): \(reason)." }
            return "Cancelled the remaining \(Self.units(quantity)) of the order: \(reason)."
        case let .note(text):
            return text
        }
    }

    /// Writes the sentence of the events a process run logs for every order it fills (its
    /// allotments, its shipment) as UTF-8 into `bytes`, and says whether it did; other events
    /// are left to `sentence`. The same words as `sentence`, which these cases build from it:
    /// a run writes two a filled order, and as Swift strings they took 9 k instructions each.
    public func writeSentence(into bytes: inout SentenceBytes) -> Bool {
        switch self {
        case let .allotted(line, lic, quantity, source, boCleared):
            bytes.add("Allotted "); bytes.add(quantity); bytes.add(" "); bytes.add(lic); bytes.add(" to line "); bytes.add(line)
            bytes.add(" "); bytes.add(source.phrase); bytes.add(boCleared ? "; backorder flag cleared." : ".")
            return true
        case let .allottedLines(items, source):
            // By line; a line allotted twice in one run is one item.
            var merged: [Allotment] = []
            merged.reserveCapacity(items.count)
            let byLine = items.indices.dropFirst().allSatisfy { items[$0 - 1].line <= items[$0].line } ? items : items.sorted { $0.line < $1.line }
            for item in byLine {
                if let last = merged.last, last.line == item.line, last.lic == item.lic {
                    merged[merged.count - 1] = Allotment(line: item.line, lic: item.lic, quantity: last.quantity + item.quantity,
                                                         boCleared: last.boCleared || item.boCleared)
                } else {
                    merged.append(item)
                }
            }
            if merged.count == 1, let i = merged.first {
                return LogEvent.allotted(line: i.line, lic: i.lic, quantity: i.quantity, source: source, boCleared: i.boCleared).writeSentence(into: &bytes)
            }
            // "Allotted 3 W to line 1, 2 X to line 2 and 5 Y to line 3 (backorder flag cleared) by …."
            bytes.add("Allotted ")
            for (i, m) in merged.enumerated() {
                if i > 0 { bytes.add(i == merged.count - 1 ? " and " : ", ") }
                bytes.add(m.quantity); bytes.add(" "); bytes.add(m.lic); bytes.add(" to line "); bytes.add(m.line)
                if m.boCleared { bytes.add(" (backorder flag cleared)") }
            }
            bytes.add(" "); bytes.add(source.phrase); bytes.add(".")
            return true
        case let .shipmentCreated(shipment, items):
            bytes.add("Shipment "); bytes.add(Int(shipment)); bytes.add(" created: "); Self.list(items, into: &bytes); bytes.add(".")
            return true
        case let .shipmentAppended(shipment, items, fromOrder):
            bytes.add("Added "); Self.list(items, into: &bytes); bytes.add(" to pending shipment "); bytes.add(Int(shipment))
            if let fromOrder { bytes.add(" (of order "); bytes.add(fromOrder); bytes.add(", same customer and location)") }
            bytes.add(".")
            return true
        default:
            return false
        }
    }

    /// "line 1 × 3, line 2 × 5".
    private static func list(_ items: [(line: Int, quantity: Int)], into bytes: inout SentenceBytes) {
        for (i, item) in items.enumerated() {
            if i > 0 { bytes.add(", ") }
            bytes.add("line "); bytes.add(item.line); bytes.add(" × "); bytes.add(item.quantity)
        }
    }
}

/// A sentence being written as UTF-8 (`LogEvent.writeSentence`): reused from one to the next
/// with `removeAll`, so a run allocates it once.
public struct SentenceBytes: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() { bytes.reserveCapacity(256) }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    mutating func add(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func add(_ n: Int) {
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        // Digits last to first, then turned around in place.
        let start = bytes.count
        var m = n.magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(m % 10))
            m /= 10
        } while m > 0
        bytes[start...].reverse()
    }
}
