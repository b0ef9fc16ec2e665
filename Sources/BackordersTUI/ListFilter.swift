import TerminalKit

/// The `/` filter of a list: the field while it is being typed, and the text in force. Every
/// list screen uses it, so they filter alike.
struct ListFilter {
    private(set) var text = ""
    private(set) var field: TextFieldState?
    var isEditing: Bool { field != nil }

    /// A filter already in force (a status picked by a key).
    init(text: String = "") { self.text = text }

    enum Action { case apply, clear }
    static let keys = KeyTable<Action>("Filter", [
        KeyBinding(.enter, .apply, label: "Keep filter", help: "Keep the filter and go back to the list"),
        KeyBinding(.escape, .clear, label: "Clear", help: "Clear the filter"),
    ])

    /// Opens the field showing the filter in force, selected: typing replaces it, Backspace and
    /// the arrows edit it.
    mutating func begin() {
        var f = TextFieldState(text: text, maxLength: 40)
        f.selectAll()
        field = f
    }

    /// Closes the field, keeping the filter in force.
    mutating func end() { field = nil }

    /// A key while the field is open: what to show, and whether the list must be read again with
    /// the new text (the caller reloads after this returns). A nil effect without reload lets the
    /// app handle the key (function keys, Ctrl-C, resize).
    mutating func handle(_ key: Key) -> (effect: Effect?, reload: Bool) {
        switch Self.keys.action(for: key) {
        case .apply?:
            field = nil
            return (.info(text.isEmpty ? "No filter." : "Filter: \(text)"), false)
        case .clear?:
            field = nil
            text = ""
            return (.info("Filter cleared."), true)
        case nil:
            switch key {
            case .f, .ctrl("c"), .resize: return (nil, false)
            default: break
            }
            guard var edited = field, edited.handle(key) == .edited else { return (.redraw, false) }
            field = edited
            text = edited.text.trimmingCharacters(in: .whitespaces)
            return (.redraw, true)
        }
    }
}
