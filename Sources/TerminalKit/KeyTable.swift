/// One entry of a key table: which keys, what they do, and the words the
/// footer and the help screen show for it (lazygit-style: bindings as data).
public struct KeyBinding<Action>: CustomStringConvertible {
    /// What a binding is for. Navigation (moving the selection, paging, the wheel, a click)
    /// is tagged so the footer can leave it out and the help can list it apart, as lazygit
    /// tags its list bindings "navigation"; it is still an ordinary binding of the table, so
    /// a pane that gives a movement key another meaning shows the conflict in one place.
    public enum Kind: Hashable, Sendable { case action, navigation }

    public var keys: [Key]
    public var action: Action
    /// Short, for the footer ("Save").
    public var label: String
    /// A sentence for the `?` screen.
    public var help: String
    /// When set, the binding is shown but does nothing, and this says why.
    public var disabledReason: String?
    /// False hides the binding from the footer (it still shows in help).
    public var showInFooter: Bool
    public var kind: Kind
    /// The keys in one word when they are a class ("0–9" for the ten digits); nil lists them.
    public var keyName: String?

    public init(_ keys: [Key], _ action: Action, label: String, help: String? = nil,
                disabledReason: String? = nil, showInFooter: Bool = true, kind: Kind = .action, keyName: String? = nil) {
        self.keys = keys
        self.action = action
        self.label = label
        self.help = help ?? label
        self.disabledReason = disabledReason
        self.showInFooter = showInFooter
        self.kind = kind
        self.keyName = keyName
    }

    public init(_ key: Key, _ action: Action, label: String, help: String? = nil,
                disabledReason: String? = nil, showInFooter: Bool = true, kind: Kind = .action) {
        self.init([key], action, label: label, help: help,
                  disabledReason: disabledReason, showInFooter: showInFooter, kind: kind)
    }

    /// A navigation binding: listed in the help under "Moving", never in the footer.
    public static func navigation(_ keys: [Key], _ action: Action, label: String, help: String? = nil,
                                  disabledReason: String? = nil, keyName: String? = nil) -> KeyBinding {
        KeyBinding(keys, action, label: label, help: help, disabledReason: disabledReason, showInFooter: false,
                   kind: .navigation, keyName: keyName)
    }

    public static func navigation(_ key: Key, _ action: Action, label: String, help: String? = nil,
                                  disabledReason: String? = nil) -> KeyBinding {
        navigation([key], action, label: label, help: help, disabledReason: disabledReason)
    }

    public var isNavigation: Bool { kind == .navigation }

    /// Whether the footer shows it: never navigation, which would crowd out the pane's actions.
    public var isInFooter: Bool { showInFooter && kind == .action }

    /// Whether `key` (a mouse event matched by its kind, wherever it happened) triggers it.
    public func matches(_ key: Key) -> Bool {
        keys.contains(key.bindingKey)
    }

    public var isEnabled: Bool { disabledReason == nil }

    /// The keys as shown to the user: "↑/k", "Ctrl-S", or the class's name ("0–9").
    public var keyText: String {
        keyName ?? keys.map(\.description).joined(separator: "/")
    }

    public var description: String { "\(keyText) \(label)" }
}

extension KeyBinding: Sendable where Action: Sendable {}

/// The result of looking a key up: an action, a disabled binding (with the
/// reason to show), or nothing bound.
public enum KeyLookup<Action> {
    case action(Action)
    case disabled(reason: String)
    case unbound
}

extension KeyLookup: Sendable where Action: Sendable {}

/// A named list of bindings: one per pane or mode. The footer and the help
/// screen are generated from the same tables the key dispatch uses.
public struct KeyTable<Action> {
    public var title: String
    public var bindings: [KeyBinding<Action>]

    public init(_ title: String, _ bindings: [KeyBinding<Action>]) {
        self.title = title
        self.bindings = bindings
    }

    /// The action of the first enabled binding for `key`.
    public func action(for key: Key) -> Action? {
        if case .action(let a) = lookup(key) { return a }
        return nil
    }

    public func lookup(_ key: Key) -> KeyLookup<Action> {
        var reason: String?
        for b in bindings where b.matches(key) {
            if b.isEnabled { return .action(b.action) }
            reason = reason ?? b.disabledReason
        }
        return reason.map { .disabled(reason: $0) } ?? .unbound
    }

    /// Bindings for the footer, in order (navigation never: the help lists it).
    public var footerBindings: [KeyBinding<Action>] {
        bindings.filter(\.isInFooter)
    }

    public var actionBindings: [KeyBinding<Action>] { bindings.filter { !$0.isNavigation } }
    public var navigationBindings: [KeyBinding<Action>] { bindings.filter(\.isNavigation) }

    /// The table's actions for the help screen, under its title (navigation apart, below).
    public var helpSection: HelpSection {
        HelpSection(title: title, entries: actionBindings.map(\.helpEntry))
    }

    /// The table's navigation bindings for the help screen.
    public func navigationSection(title: String = "Moving") -> HelpSection {
        HelpSection(title: title, entries: navigationBindings.map(\.helpEntry))
    }

    /// The actions, then the navigation under "Moving"; empty sections are left out.
    public var helpSections: [HelpSection] {
        [helpSection, navigationSection()].filter { !$0.entries.isEmpty }
    }
}

extension KeyBinding {
    public var helpEntry: HelpEntry { HelpEntry(keys: keyText, help: help, disabledReason: disabledReason) }
}

extension KeyTable: Sendable where Action: Sendable {}

/// A key table seen without its action type: what a check over every table of an app needs.
public protocol AnyKeyTable {
    var title: String { get }
    /// The keys of each binding, in order.
    var boundKeys: [[Key]] { get }
}

extension AnyKeyTable {
    /// Keys bound more than once in this table (a later binding would never be reached, or
    /// only while the earlier one is disabled): a table should have none.
    public var duplicateKeys: [Key] {
        var seen = Set<Key>(), twice: [Key] = []
        for key in boundKeys.joined() {
            if !seen.insert(key).inserted, !twice.contains(key) { twice.append(key) }
        }
        return twice
    }
}

extension KeyTable: AnyKeyTable {
    public var boundKeys: [[Key]] { bindings.map(\.keys) }
}

/// One line of the help screen.
public struct HelpEntry: Hashable, Sendable {
    public var keys: String
    public var help: String
    public var disabledReason: String?

    public init(keys: String, help: String, disabledReason: String? = nil) {
        self.keys = keys
        self.help = help
        self.disabledReason = disabledReason
    }
}

/// A titled group of help lines (usually one key table).
public struct HelpSection: Hashable, Sendable {
    public var title: String
    public var entries: [HelpEntry]

    public init(title: String, entries: [HelpEntry]) {
        self.title = title
        self.entries = entries
    }
}
