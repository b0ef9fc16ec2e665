import TerminalKit

/// "Void order 1190? [y/N]": a question before anything that cannot be undone or that changes
/// the desk for everyone. No is the default: Enter and Esc answer it.
class ConfirmModal: KeyedModal {
    enum Action { case yes, no }
    let title: String
    let message: String
    let yesLabel: String
    private let onYes: () -> Effect

    init(title: String, message: String, yesLabel: String, onYes: @escaping () -> Effect) {
        self.title = title
        self.message = message
        self.yesLabel = yesLabel
        self.onYes = onYes
    }

    var keys: KeyTable<Action> {
        KeyTable(title, [
            KeyBinding(.char("y"), .yes, label: yesLabel, help: "Yes: \(yesLabel.lowercased())"),
            KeyBinding([.char("n"), .escape, .enter], .no, label: "No", help: "No (the default): change nothing"),
        ])
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        guard let action = keys.action(for: key.lowercased) else { return nil }
        switch action {
        case .yes: return .all([.closeModal, onYes()])
        case .no: return .all([.closeModal, .info("Nothing changed.")])
        }
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        Dialog.render(title: title, message: message, footer: "[y] \(yesLabel)   [N]o (Enter)",
                      maxWidth: 70, area: area, buffer: &buffer, theme: ctx.theme)
    }
}

/// "Quit and discard the order you are typing? [y/N]": unsaved work is never dropped without
/// asking. Ctrl-C while it shows quits (the user asked twice).
final class DiscardModal: ConfirmModal {}

/// A question with a few keyed answers ("[K]eep on a suborder  [C]ancel them  [Esc] back").
final class QuestionModal: KeyedModal {
    struct Choice {
        var key: Key
        var label: String
        var help: String
        var perform: () -> Effect
    }
    let title: String
    let message: String
    let choices: [Choice]

    init(title: String, message: String, choices: [Choice]) {
        self.title = title
        self.message = message
        self.choices = choices
    }

    enum Action { case choose(Int), back }

    var keys: KeyTable<Action> {
        KeyTable(title, choices.enumerated().map { i, c in
            KeyBinding(c.key, Action.choose(i), label: c.label, help: c.help)
        } + [KeyBinding(.escape, .back, label: "Back", help: "Close this question; nothing changes")])
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        switch keys.action(for: key.lowercased) {
        case .choose(let i)?: return .all([.closeModal, choices[i].perform()])
        case .back?: return .all([.closeModal, .info("Nothing changed.")])
        case nil: return nil
        }
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let line = choices.map { QuestionChoice($0.key, $0.label, 0).displayText }.joined(separator: "  ") + "  [Esc] back"
        Dialog.render(title: title, message: message, footer: line, maxWidth: 70, area: area, buffer: &buffer, theme: ctx.theme)
    }
}
