import BackorderApp
import BackorderCore
import Foundation
import TerminalKit

/// `e` on the Reports screen: the path to export to (a file named after the report and today,
/// in the current directory, filled in), a question before a file is overwritten, then the
/// export in the background with its progress — Esc cancels it, and a cancelled export leaves
/// nothing behind (it writes a side file and renames it only when done).
final class ExportModal: KeyedModal {
    let request: Desk.ReportRequest
    let rows: Int
    /// The desk's export folder: the default file goes here, and a relative name is resolved here.
    let directory: String
    private var field: TextFieldState
    private var error: String?

    init(request: Desk.ReportRequest, rows: Int, today: Day, directory: String = FileManager.default.currentDirectoryPath) {
        self.request = request
        self.rows = rows
        self.directory = directory
        let name = request.name.rawValue + (request.summary ? "-by-product" : "")
        field = TextFieldState(text: (directory as NSString).appendingPathComponent("\(name)-\(today).csv"), maxLength: 400)
        field.selectAll()
    }

    /// The file's path is typed.
    var typesText: Bool { true }

    enum Action { case export, cancel }
    var keys: KeyTable<Action> {
        KeyTable("Export", [
            KeyBinding(.enter, .export, label: "Export", help: "Write the CSV to this path (asks before replacing a file)"),
            KeyBinding(.escape, .cancel, label: "Cancel", help: "Close; nothing is written"),
        ])
    }

    /// The path as typed, with ~ resolved and a relative name resolved in the export folder.
    var path: String {
        let t = (field.text.trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        return t.hasPrefix("/") ? t : (directory as NSString).appendingPathComponent(t)
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        switch keys.action(for: key) {
        case .export?:
            let path = self.path
            var isDir: ObjCBool = false
            let folder = (path as NSString).deletingLastPathComponent
            guard !field.text.trimmingCharacters(in: .whitespaces).isEmpty else { error = "type a file path"; return .redraw }
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
                error = "there is no folder \(folder)"
                return .redraw
            }
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
                guard !isDir.boolValue else { error = "\(path) is a folder"; return .redraw }
                return .modal(ConfirmModal(title: "Replace \((path as NSString).lastPathComponent)?",
                                           message: "\(path) already exists. Replace it with the \(rows) row(s) of this report?",
                                           yesLabel: "Replace it") { [self] in
                    ExportModal.job(request, to: path, ctx: ctx)
                })
            }
            return .all([.closeModal, ExportModal.job(request, to: path, ctx: ctx)])
        case .cancel?:
            return .all([.closeModal, .info("Nothing was exported.")])
        case nil:
            if field.handle(key) == .edited { error = nil }
            return .redraw
        }
    }

    /// Writes the report's CSV — `Report.csv` line by line, byte for byte what `backorders report
    /// NAME --format csv` prints for the same filters — to a side file, then moves it into place.
    static func job(_ request: Desk.ReportRequest, to path: String, ctx: AppContext) -> Effect {
        let desk = ctx.desk
        let title = "Exporting the \(request.summary ? "backlog by product" : request.name.rawValue) report"
        return .all([.run(BackgroundJob(id: ReportsScreen.exportJob, title: title, cancellable: true) { progress in
            let id = ReportsScreen.exportJob
            let part = path + ".part"
            do {
                let report = try desk.report(request)
                let total = report.rows.count
                _ = FileManager.default.createFile(atPath: part, contents: nil)
                guard let handle = FileHandle(forWritingAtPath: part) else {
                    return JobOutcome(id: id, message: "Cannot write \(part): check the folder's permissions.", failed: true)
                }
                var chunk = ""
                for i in 0...total {
                    chunk += report.csvLine(i)
                    if i % 500 == 0 || i == total {
                        handle.write(Data(chunk.utf8))
                        chunk = ""
                        progress.update(done: i, total: total, unit: "row(s)")
                        if progress.isCancelled {
                            try? handle.close()
                            try? FileManager.default.removeItem(atPath: part)
                            return JobOutcome(id: id, message: "Export cancelled; nothing was written.", failed: false)
                        }
                    }
                }
                try handle.close()
                if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
                try FileManager.default.moveItem(atPath: part, toPath: path)
                return JobOutcome(id: id, message: "Exported \(total) row(s) to \(path).", failed: false)
            } catch {
                try? FileManager.default.removeItem(atPath: part)
                return JobOutcome(id: id, message: "Export failed: \(describe(error))", failed: true)
            }
        }), .info("\(title)…")])
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let rect = area.centered(width: min(area.width, 76), height: min(area.height, 7))
        buffer.fill(rect, style: ctx.style(.normal))
        let inner = Box.draw(rect, title: "Export \(rows) row(s) as CSV", buffer: &buffer, theme: ctx.theme).inset(left: 1, right: 1)
        Draw.text("The same CSV as `backorders report \(request.name.rawValue)\(request.summary ? " --summary" : "")` with these filters.",
                  at: inner, buffer: &buffer, ctx: ctx)
        TextField.render(label: "File", state: field, focused: true, error: error,
                         area: Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: 2), buffer: &buffer, theme: ctx.theme)
        Draw.text("Enter exports · Esc cancels", at: inner, row: inner.height - 1, role: .question, buffer: &buffer, ctx: ctx)
    }
}
