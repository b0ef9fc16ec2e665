import Foundation

/// The single-row preferences record (product §8). Defaults are those of an empty database.
public struct Preferences: Hashable, Sendable, Codable {
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
    public enum Key: String, CaseIterable, Sendable {
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

        public var kind: Kind {
            switch self {
            case .splitPrompt: return .choice(SplitPrompt.allCases.map(\.rawValue))
            case .defaultPolicy: return .choice(FulfillmentPolicy.allCases.map(\.rawValue))
            case .primaryIntervalMinutes, .secondaryIntervalMinutes, .autoReserveIntervalMinutes,
                 .replenishIntervalMinutes: return .number(1...10_080)
            case .maxDaysOut: return .number(0...3650)
            default: return .toggle
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
        switch key {
        case .backorderManagement: return String(backorderManagement)
        case .fairQueue: return String(fairQueue)
        case .splitPrompt: return splitPrompt.rawValue
        case .defaultPolicy: return defaultPolicy.rawValue
        case .appendByLocation: return String(appendByLocation)
        case .processReceiptsOnPosting: return String(processReceiptsOnPosting)
        case .primaryEnabled: return String(primaryEnabled)
        case .primaryIntervalMinutes: return String(primaryIntervalMinutes)
        case .secondaryEnabled: return String(secondaryEnabled)
        case .secondaryIntervalMinutes: return String(secondaryIntervalMinutes)
        case .autoBackorder: return String(autoBackorder)
        case .autoBackorderSameBranch: return String(autoBackorderSameBranch)
        case .requireMinDeposit: return String(requireMinDeposit)
        case .maxDaysOut: return String(maxDaysOut)
        case .autoGeneratePOs: return String(autoGeneratePOs)
        case .autoReserveIntervalMinutes: return String(autoReserveIntervalMinutes)
        case .replenishIntervalMinutes: return String(replenishIntervalMinutes)
        }
    }

    /// Sets a preference from text, or throws a message naming what is accepted.
    public mutating func set(_ key: Key, to text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        func bool() throws -> Bool {
            switch t {
            case "true", "yes", "on", "1": return true
            case "false", "no", "off", "0": return false
            default: throw DeskError.invalid("\(key.rawValue) takes true or false, not '\(text)'")
            }
        }
        func number(_ range: ClosedRange<Int>) throws -> Int {
            guard let n = Int(t), range.contains(n) else {
                throw DeskError.invalid("\(key.rawValue) takes a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            }
            return n
        }
        func choice<T: RawRepresentable>(_ type: T.Type) throws -> T where T.RawValue == String {
            guard let v = T(rawValue: t) else {
                if case .choice(let words) = key.kind {
                    throw DeskError.invalid("\(key.rawValue) takes one of \(words.joined(separator: ", ")), not '\(text)'")
                }
                throw DeskError.invalid("bad value '\(text)' for \(key.rawValue)")
            }
            return v
        }
        switch key {
        case .backorderManagement: backorderManagement = try bool()
        case .fairQueue: fairQueue = try bool()
        case .splitPrompt: splitPrompt = try choice(SplitPrompt.self)
        case .defaultPolicy: defaultPolicy = try choice(FulfillmentPolicy.self)
        case .appendByLocation: appendByLocation = try bool()
        case .processReceiptsOnPosting: processReceiptsOnPosting = try bool()
        case .primaryEnabled: primaryEnabled = try bool()
        case .primaryIntervalMinutes: primaryIntervalMinutes = try number(1...10_080)
        case .secondaryEnabled: secondaryEnabled = try bool()
        case .secondaryIntervalMinutes: secondaryIntervalMinutes = try number(1...10_080)
        case .autoBackorder: autoBackorder = try bool()
        case .autoBackorderSameBranch: autoBackorderSameBranch = try bool()
        case .requireMinDeposit: requireMinDeposit = try bool()
        case .maxDaysOut: maxDaysOut = try number(0...3650)
        case .autoGeneratePOs: autoGeneratePOs = try bool()
        case .autoReserveIntervalMinutes: autoReserveIntervalMinutes = try number(1...10_080)
        case .replenishIntervalMinutes: replenishIntervalMinutes = try number(1...10_080)
        }
    }
}
