import BackorderApp
import BackorderCore
import TerminalKit

/// How the Preferences screen looks: the preferences, what the selected one governs, the
/// schedules, the recent runs and changes.
extension PreferencesScreen {
    func render(body: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let p = parts(body)
        let readOnly = ctx.refusal(.admin, "changing preferences")
        Draw.rule("Preferences", right: readOnly == nil ? "you may change these (admin)" : "read-only: changing them needs the admin role",
                  area: p.prefsTitle, focused: focus == .preferences, buffer: &buffer, ctx: ctx)
        prefsArea = p.prefs
        let showHeader = p.prefs.height > Self.keysInOrder.count
        let wide = p.prefs.width >= 110, widest = p.prefs.width >= 150
        var columns = [TableColumn("Setting", width: .fill, minWidth: 20), TableColumn("Value", width: .fixed(wide ? 14 : 18))]
        if wide { columns.append(TableColumn("Accepts", width: .fill, minWidth: 18)) }
        if widest { columns.append(TableColumn("prefs set KEY", width: .fixed(28))) }
        let shown = Self.keysInOrder.dropFirst(state.offset).prefix(visiblePrefs)
        let rows = shown.map { k -> [String] in
            var r = [k.title, display(k, ctx.prefs)]
            if wide { r.append(limits(k)) }
            if widest { r.append(k.rawValue) }
            return r
        }
        let styles: [ThemeRole?] = shown.map { _ in readOnly == nil ? nil : ThemeRole.dim }
        TerminalKit.Table.render(columns: columns, rows: rows, rowStyles: styles, state: state, total: Self.keysInOrder.count,
                                 focused: focus == .preferences, area: p.prefs, buffer: &buffer, theme: ctx.theme,
                                 showHeader: showHeader, showPosition: false)
        if readOnly == nil {
            let valueRoles: [ThemeRole?] = shown.map { k in
                guard case .toggle = k.kind else { return nil }
                return ctx.prefs.value(k) == "true" ? .good : .dim
            }
            Draw.tint(column: 1, roles: valueRoles, columns: columns, area: p.prefs, state: state, showHeader: showHeader,
                      buffer: &buffer, ctx: ctx)
        }
        let explained = TextWidth.wrap(explanation(ctx), width: max(10, p.explanation.width - 2))
        for (i, line) in explained.prefix(p.explanation.height).enumerated() {
            let cut = i == p.explanation.height - 1 && explained.count > p.explanation.height
            Draw.text(cut ? line + " …" : line, at: p.explanation, row: i, x: 1, role: .dim, buffer: &buffer, ctx: ctx)
        }
        if let field = editing {
            let widths = TerminalKit.Table.columnWidths(columns, totalWidth: p.prefs.width)
            let x = p.prefs.x + widths[0] + TerminalKit.Table.columnSpacing
            let y = p.prefs.y + (showHeader ? 1 : 0) + state.selected - state.offset
            let hint = editError.map { "✗ " + $0 } ?? limits(selectedKey)
            buffer.fill(Rect(x: x, y: y, width: p.prefs.maxX - x, height: 1), style: ctx.style(.normal))
            let input = TextField.render(label: "", state: field, focused: true, area: Rect(x: x, y: y, width: 6, height: 1),
                                         buffer: &buffer, theme: ctx.theme, fieldWidth: 6)
            buffer.put(" " + hint, x: input.maxX, y: y, style: ctx.style(editError == nil ? .dim : .inputError),
                       maxWidth: p.prefs.maxX - input.maxX)
        }

        let runner = ctx.scheduleRunner.map { "run by \($0)" } ?? "run by this desk while no scheduler service runs"
        Draw.rule("Automation schedules", right: ctx.prefs.backorderManagement ? runner : "idle: back order management is off",
                  area: p.schedulesTitle, focused: focus == .schedules, buffer: &buffer, ctx: ctx)
        schedulesArea = p.schedules
        let scheduleColumns = [
            TableColumn("Code", width: .fixed(4)),
            TableColumn("Process", width: .fixed(wide ? 28 : 9)),
            TableColumn("On", width: .fixed(3)),
            TableColumn("Every", width: .fixed(7), alignment: .right),
            TableColumn("Last run", width: .fixed(16)),
            TableColumn("Next run", width: .fixed(16)),
            TableColumn("Last result", width: .fill, minWidth: 8),
        ]
        let scheduleRows = Self.processes.map { proc -> [String] in
            let s = ctx.schedules.first { $0.process == proc }
            let running = ctx.jobs.isRunning(proc.rawValue)
            let result = running ? "running…" : (s?.lastResult ?? "—")
            return [String(proc.scheduleCode), wide ? proc.title : Self.shortTitle(proc),
                    s?.enabled == true ? "yes" : "no", s.map { Self.interval($0.intervalMinutes) } ?? "",
                    Format.minute(s?.lastRun), Format.minute(s?.nextRun), result]
        }
        let scheduleStyles: [ThemeRole?] = Self.processes.map { proc in
            if ctx.jobs.isRunning(proc.rawValue) { return .warning }
            let last = ctx.schedules.first { $0.process == proc }?.lastResult ?? ""
            return last.hasPrefix("error") ? .error : nil
        }
        TerminalKit.Table.render(columns: scheduleColumns, rows: scheduleRows, rowStyles: scheduleStyles, state: scheduleState,
                                 total: Self.processes.count, focused: focus == .schedules, area: p.schedules, buffer: &buffer,
                                 theme: ctx.theme, showPosition: false)

        if let title = p.bottomTitle, let changesArea = p.changes {
            let halves = p.runs == nil ? [title] : title.columns([.percent(50), .fill], spacing: 1)
            Draw.rule("Preference changes", right: changes.isEmpty ? "none yet" : "l: all", area: halves[0], focused: false,
                      buffer: &buffer, ctx: ctx)
            let changeColumns = [
                TableColumn("At", width: .fixed(16)),
                TableColumn("Who", width: .fixed(9)),
                TableColumn("Setting", width: .fill, minWidth: 10),
                TableColumn("From → to", width: .fixed(20)),
            ]
            let changeRows = changes.prefix(max(0, changesArea.height - 1)).map { c in
                [Format.minute(c.at), c.actor, c.key.title, "\(c.from) → \(c.to)"]
            }
            TerminalKit.Table.render(columns: changeColumns, rows: Array(changeRows), state: TableState(selected: -1),
                                     total: changeRows.count, focused: false, area: changesArea, buffer: &buffer, theme: ctx.theme,
                                     showPosition: false, emptyMessage: "No preference has been changed yet")
            if halves.count > 1, let area = p.runs { renderRuns(title: halves[1], area: area, buffer: &buffer, ctx: ctx) }
        }
    }

    func renderRuns(title: Rect, area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        Draw.rule("Recent process runs", right: runs.isEmpty ? "none" : nil, area: title, focused: false, buffer: &buffer, ctx: ctx)
        let columns = [
            TableColumn("Run", width: .fixed(4), alignment: .right),
            TableColumn("Process", width: .fixed(9)),
            TableColumn("Started", width: .fixed(11)),
            TableColumn("By", width: .fixed(11)),
            TableColumn("Filled", width: .fixed(6), alignment: .right),
            TableColumn("Units", width: .fixed(6), alignment: .right),
            TableColumn("Error", width: .fill),
        ]
        let rows = runs.prefix(max(0, area.height - 1)).map { r in
            [String(r.id), r.process.rawValue, String(Format.minute(r.startedAt).dropFirst(5)), r.actor, String(r.stats.linesFilled),
             String(r.stats.unitsAllotted), r.error ?? (r.finishedAt == nil ? "running…" : "")]
        }
        TerminalKit.Table.render(columns: columns, rows: Array(rows), state: TableState(selected: -1), total: rows.count,
                                 focused: false, area: area, buffer: &buffer, theme: ctx.theme, showPosition: false,
                                 emptyMessage: "No process has run yet")
    }
}
