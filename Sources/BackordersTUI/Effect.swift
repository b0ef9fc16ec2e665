import BackorderApp
import BackorderCore
import TerminalKit

/// What an action asks the app to do next (htop-style): actions change pane state and return
/// an effect; only the app reloads data, switches screens, opens dialogs or starts jobs.
enum Effect {
    /// Handled; just draw again.
    case redraw
    /// Data changed (our own write): reload what is shown, keeping selections.
    case reload
    case quit
    case status(StatusMessage)
    /// Start a long operation on a background thread; the screen stays responsive.
    case run(BackgroundJob)
    case show(ScreenID)
    /// Switch to Orders and select this order (and, with a line number, that line).
    case openOrder(String, line: Int? = nil)
    /// Switch to Items and open the demand drill-down of this LIC at this location.
    case openLIC(String, location: String)
    /// Switch to Purchasing and select this purchase order.
    case openPO(String)
    case modal(Modal)
    case closeModal
    case all([Effect])

    static func info(_ text: String) -> Effect { .status(StatusMessage(.info, text)) }
    static func success(_ text: String) -> Effect { .status(StatusMessage(.success, text)) }
    static func error(_ text: String) -> Effect { .status(StatusMessage(.error, text)) }
    static func error(_ error: Error) -> Effect { .status(StatusMessage(.error, describe(error))) }

    /// Runs `body`; a thrown error becomes a status-line message (the Desk's words).
    static func attempt(_ body: () throws -> Effect) -> Effect {
        do { return try body() } catch { return .error(error) }
    }
}

/// The text of an error as a clerk should read it.
func describe(_ error: Error) -> String {
    if let e = error as? DeskError { return e.description }
    return String(describing: error)
}

/// The line above the footer.
struct StatusMessage: Equatable {
    enum Kind { case info, success, warning, error }
    var kind: Kind
    var text: String
    init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    var role: ThemeRole {
        switch kind {
        case .info: return .normal
        case .success: return .good
        case .warning: return .warning
        case .error: return .error
        }
    }
}

extension Key {
    /// Letters as lowercase, so answers like Y and y mean the same.
    var lowercased: Key {
        if case .char(let c) = self, c.isLetter { return .char(Character(c.lowercased())) }
        return self
    }
}

/// Looks a key up in a table: an enabled binding runs its action; a disabled one says why.
func dispatch<A>(_ table: KeyTable<A>, _ key: Key, _ perform: (A) -> Effect) -> Effect? {
    switch table.lookup(key) {
    case .action(let a): return perform(a)
    case .disabled(let reason): return .error(reason)
    case .unbound: return nil
    }
}
