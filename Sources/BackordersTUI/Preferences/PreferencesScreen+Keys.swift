import BackorderApp
import BackorderCore
import TerminalKit

/// The Preferences screen's key tables: the preferences', the schedules', a number being typed.
extension PreferencesScreen {
    enum Action {
        case change(Int), edit, typeDigit, toSchedules, toPreferences, runNow, toggleSchedule, save, cancelEdit, changesLog, importFile
        case move(ListMove)
    }

    /// The table in force: the number being typed, or the focused pane's.
    func keys(_ ctx: AppContext) -> KeyTable<Action> {
        editing != nil ? editKeys : keys(ctx, focus: focus)
    }

    var editKeys: KeyTable<Action> {
        KeyTable("Edit number", [
            KeyBinding(.enter, .save, label: "Save", help: "Save the number (it must be within the limits shown)"),
            KeyBinding(.escape, .cancelEdit, label: "Cancel", help: "Keep the old value"),
        ])
    }

    /// A pane's table as it would be with that pane focused (a function of the state: the help
    /// builds both without moving the focus).
    func keys(_ ctx: AppContext, focus: Focus) -> KeyTable<Action> {
        let readOnly = ctx.refusal(.admin, "changing preferences")
        if focus == .schedules {
            return KeyTable("Automation schedules", [
                KeyBinding(.char("r"), .runNow, label: "Run now",
                           help: "Run the selected process now, in the background; the screen stays usable",
                           disabledReason: ctx.refusal(.supervisor, "running processes now")),
                KeyBinding([.char(" "), .enter], .toggleSchedule, label: "On/off", help: "Turn the selected schedule on or off",
                           disabledReason: readOnly),
                KeyBinding([.tab, .escape], .toPreferences, label: "Preferences", help: "Back to the preferences"),
                KeyBinding(.char("l"), .changesLog, label: "Changes log", help: "Who changed which preference when, from → to"),
                importBinding(ctx),
            ] + ListMove.bindings(noun: "schedule", Action.move))
        }
        let kind = selectedKey.kind
        var b: [KeyBinding<Action>] = []
        switch kind {
        case .toggle:
            b.append(KeyBinding([.char(" "), .enter], .change(1), label: "Toggle", help: "Turn the selected preference on or off",
                                disabledReason: readOnly))
        case .choice:
            b.append(KeyBinding([.char(" "), .enter, .right], .change(1), label: "Next choice", help: "The next of the choices",
                                disabledReason: readOnly))
            b.append(KeyBinding(.left, .change(-1), label: "Previous", help: "The previous of the choices",
                                disabledReason: readOnly, showInFooter: false))
        case .number:
            b.append(KeyBinding([.enter, .char(" ")], .edit, label: "Edit", help: "Type a new number over the old one",
                                disabledReason: readOnly))
            // Only for those who may change it: for anyone else 1–6 still show the screens.
            if readOnly == nil {
                b.append(KeyBinding(Key.digits, .typeDigit, label: "Type", help: "Start typing the new number with this digit (F1–F6 still show the screens)",
                                    showInFooter: false, keyName: "0–9"))
            }
        }
        b.append(KeyBinding(.tab, .toSchedules, label: "Schedules", help: "Move to the automation schedules (run now, on/off)"))
        b.append(KeyBinding(.char("l"), .changesLog, label: "Changes log", help: "Who changed which preference when, from → to"))
        b.append(importBinding(ctx))
        return KeyTable("Preferences", b + ListMove.bindings(noun: "preference", Action.move))
    }

    func importBinding(_ ctx: AppContext) -> KeyBinding<Action> {
        KeyBinding(.char("i"), .importFile, label: "Import",
                   help: "Import a CSV file (orders, purchase orders, stock, LICs, customers, vendors, locations) in the background",
                   disabledReason: ctx.jobs.isRunning("import") ? "an import is running" : ctx.refusal(.admin, "importing"),
                   showInFooter: false)
    }

    func footer(_ ctx: AppContext) -> [FooterItem] { keys(ctx).footerItems }

    func keyTables(_ ctx: AppContext) -> [any AnyKeyTable] {
        editing != nil ? [editKeys] : [keys(ctx, focus: .preferences), keys(ctx, focus: .schedules)]
    }

    func help(_ ctx: AppContext) -> [HelpSection] {
        guard editing == nil else { return editKeys.helpSections }
        let tables = [keys(ctx, focus: .preferences), keys(ctx, focus: .schedules)]
        return tables.map(\.helpSection) + tables.map { $0.navigationSection(title: "Moving in " + $0.title.lowercased()) } + [
            HelpSection(title: "Safe changes", entries: [
                HelpEntry(keys: "y / N", help: "A change that alters the desk for everyone (back order management, the entry rules, a schedule on or off) asks first; Enter or Esc keeps the old value"),
                HelpEntry(keys: "Log", help: "Every change is kept in the preferences log: who, when, from → to (l, or `backorders prefs log`)"),
            ])]
    }
}
