import Foundation

/// The single-row preferences record (product §8). Defaults are those of an empty database.
///
/// Spelled once: each preference is a property here (with its default), a `Key` (its column
/// and its `prefs set` name, which are the record's coding keys — the store reads and writes
/// the row through `Codable`), and one entry of `Key.field` (its type, limits and property),
/// from which its kind, its value as text and its setting from text all follow.
public struct Preferences: Hashable, Sendable, Codable {
    public typealias CodingKeys = Key

    public var backorderManagement = false
    public var fairQueue = true
    public var splitPrompt: SplitPrompt = .ask
    public var defaultPolicy: FulfillmentPolicy = .partial
    public var appendByLocation = false
    public var processReceiptsOnPosting = false
    public var primaryEnabled = false
    public var primaryIntervalMinutes = 30
    public var secondaryEnabled = false
    public var secondaryIntervalMinutes = 240
    public var autoBackorder = false
    public var autoBackorderSameBranch = false
    public var requireMinDeposit = false
    public var maxDaysOut = 0
    public var autoGeneratePOs = false
    public var autoReserveIntervalMinutes = 60
    public var replenishIntervalMinutes = 1440

    public init() {}

    /// A preference as `prefs set` names it, with its type and limits.
    public enum Key: String, CaseIterable, Sendable, CodingKey {
        case backorderManagement = "backorder_management"
        case fairQueue = "fair_queue"
        case splitPrompt = "split_prompt"
        case defaultPolicy = "default_policy"
        case appendByLocation = "append_by_location"
        case processReceiptsOnPosting = "process_receipts_on_posting"
        case primaryEnabled = "primary_enabled"
        case primaryIntervalMinutes = "primary_interval_minutes"
        case secondaryEnabled = "secondary_enabled"
        case secondaryIntervalMinutes = "secondary_interval_minutes"
        case autoBackorder = "auto_backorder"
        case autoBackorderSameBranch = "auto_backorder_same_branch"
        case requireMinDeposit = "require_min_deposit"
        case maxDaysOut = "max_days_out"
        case autoGeneratePOs = "auto_generate_pos"
        case autoReserveIntervalMinutes = "auto_reserve_interval_minutes"
        case replenishIntervalMinutes = "replenish_interval_minutes"

        public enum Kind: Sendable, Equatable {
            case toggle
            case number(ClosedRange<Int>)
            case choice([String])
        }

        /// A preference's type, limits and property.
        enum Field {
            case toggle(WritableKeyPath<Preferences, Bool>)
            case number(WritableKeyPath<Preferences, Int>, ClosedRange<Int>)
            case choice(words: [String], get: (Preferences) -> String, set: (inout Preferences, String) -> Bool)

            static func choice<T: RawRepresentable & CaseIterable>(_ path: WritableKeyPath<Preferences, T>) -> Field where T.RawValue == String {
                .choice(words: T.allCases.map(\.rawValue), get: { $0[keyPath: path].rawValue }, set: { p, word in
                    guard let v = T(rawValue: word) else { return false }
                    p[keyPath: path] = v
                    return true
                })
            }
        }

        static let interval: ClosedRange<Int> = 1...10_080

        var field: Field {
            switch self {
            case .backorderManagement: return .toggle(\.backorderManagement)
            case .fairQueue: return .toggle(\.fairQueue)
            case .splitPrompt: return .choice(\.splitPrompt)
            case .defaultPolicy: return .choice(\.defaultPolicy)
            case .appendByLocation: return .toggle(\.appendByLocation)
            case .processReceiptsOnPosting: return .toggle(\.processReceiptsOnPosting)
            case .primaryEnabled: return .toggle(\.primaryEnabled)
            case .primaryIntervalMinutes: return .number(\.primaryIntervalMinutes, Key.interval)
            case .secondaryEnabled: return .toggle(\.secondaryEnabled)
            case .secondaryIntervalMinutes: return .number(\.secondaryIntervalMinutes, Key.interval)
            case .autoBackorder: return .toggle(\.autoBackorder)
            case .autoBackorderSameBranch: return .toggle(\.autoBackorderSameBranch)
            case .requireMinDeposit: return .toggle(\.requireMinDeposit)
            case .maxDaysOut: return .number(\.maxDaysOut, 0...3650)
            case .autoGeneratePOs: return .toggle(\.autoGeneratePOs)
            case .autoReserveIntervalMinutes: return .number(\.autoReserveIntervalMinutes, Key.interval)
            case .replenishIntervalMinutes: return .number(\.replenishIntervalMinutes, Key.interval)
            }
        }

        public var kind: Kind {
            switch field {
            case .toggle: return .toggle
            case .number(_, let range): return .number(range)
            case .choice(let words, _, _): return .choice(words)
            }
        }

        /// Whether changing it alters how the desk works for everyone at once (back order
        /// management, the allocation and entry rules, a schedule turned on or off): the
        /// Preferences screen asks before it changes.
        public var altersDeskForEveryone: Bool {
            switch self {
            case .backorderManagement, .processReceiptsOnPosting, .fairQueue, .splitPrompt, .defaultPolicy,
                 .primaryEnabled, .secondaryEnabled, .autoBackorder, .autoGeneratePOs: return true
            default: return false
            }
        }

        /// What the preference governs, in a sentence (the Preferences screen shows it under the list).
        public var explanation: String {
            switch self {
            case .backorderManagement:
                return "Off: no split question, entry allots what it can and leaves the rest unmet, the processes and schedules stay idle."
            case .fairQueue:
                return "On: a new order sees only stock the waiting backorders ahead of it do not need; off: plain available (aACE)."
            case .splitPrompt:
                return "ask: the clerk answers \"split by availability?\" for every short line; always / never answer it for them."
            case .defaultPolicy:
                return "The fulfillment policy a new order starts with; the clerk can change it per order."
            case .appendByLocation:
                return "New shipment items go onto a pending shipment of the same customer at the same location, not only the same order."
            case .processReceiptsOnPosting:
                return "On: posting a receipt runs the primary backorder process for that LIC at once, instead of waiting for 7792."
            case .primaryEnabled:
                return "Schedule 7792: receipts not yet processed are allotted to their queues every interval."
            case .primaryIntervalMinutes:
                return "How often 7792 Primary Backorder Process runs when it is on."
            case .secondaryEnabled:
                return "Schedule 8050: returns, positive adjustments, voids and cancellations are allotted to their queues every interval."
            case .secondaryIntervalMinutes:
                return "How often 8050 Secondary Backorder Process runs when it is on."
            case .autoBackorder:
                return "Backordered lines attach to the oldest open PO that can fill them, at entry (users with the permission) and by schedule 8101."
            case .autoBackorderSameBranch:
                return "Auto backorder attaches a line only to POs of the order's own location."
            case .requireMinDeposit:
                return "Auto backorder skips an order whose prepaid cash is below its minimum deposit (COD orders excepted)."
            case .maxDaysOut:
                return "Auto backorder skips orders scheduled more than this many days ahead (0: no limit)."
            case .autoGeneratePOs:
                return "Schedule 8102: replenishment makes draft purchase orders from its suggestions every interval (Purchasing shows them)."
            case .autoReserveIntervalMinutes:
                return "How often 8101 Auto Reserve Utility runs while automatic back order items is on."
            case .replenishIntervalMinutes:
                return "How often 8102 Replenishment makes draft purchase orders while auto-generate is on."
            }
        }

        public var title: String {
            switch self {
            case .backorderManagement: return "Enable back order management"
            case .fairQueue: return "Fair queue at entry"
            case .splitPrompt: return "Split prompt"
            case .defaultPolicy: return "Default fulfillment policy"
            case .appendByLocation: return "Append auto-generated items to pending shipments by location"
            case .processReceiptsOnPosting: return "Process receipts on posting"
            case .primaryEnabled: return "7792 Primary Backorder Process enabled"
            case .primaryIntervalMinutes: return "7792 interval (minutes)"
            case .secondaryEnabled: return "8050 Secondary Backorder Process enabled"
            case .secondaryIntervalMinutes: return "8050 interval (minutes)"
            case .autoBackorder: return "Automatic back order items"
            case .autoBackorderSameBranch: return "Only from same branch"
            case .requireMinDeposit: return "Cannot auto backorder without min deposit"
            case .maxDaysOut: return "Max days out to auto backorder (0 = none)"
            case .autoGeneratePOs: return "Auto-generate draft purchase orders"
            case .autoReserveIntervalMinutes: return "Auto reserve utility interval (minutes)"
            case .replenishIntervalMinutes: return "Replenishment interval (minutes)"
            }
        }
    }

    /// The value of a preference as text (`true`/`false`, a number or a word).
    public func value(_ key: Key) -> String {
        switch key.field {
        case .toggle(let path): return String(self[keyPath: path])
        case .number(let path, _): return String(self[keyPath: path])
        case .choice(_, let get, _): return get(self)
        }
    }

    /// Sets a preference from text, or throws a message naming what is accepted.
    public mutating func set(_ key: Key, to text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch key.field {
        case .toggle(let path):
            switch t {
            case "true", "yes", "on", "1": self[keyPath: path] = true
            case "false", "no", "off", "0": self[keyPath: path] = false
            default: throw DeskError.invalid("\(key.rawValue) takes true or false, not '\(text)'")
            }
        case .number(let path, let range):
            guard let n = Int(t), range.contains(n) else {
                throw DeskError.invalid("\(key.rawValue) takes a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            }
            self[keyPath: path] = n
        case .choice(let words, _, let set):
            guard set(&self, t) else {
                throw DeskError.invalid("\(key.rawValue) takes one of \(words.joined(separator: ", ")), not '\(text)'")
            }
        }
    }
}
