import BackorderApp
import BackorderCore
import Foundation
import TerminalKit

/// `i` on the Preferences screen (admins): import a CSV file from the desk, as `backorders
/// import KIND FILE` does — checked whole first, then written in one transaction, in the
/// background with its progress. A bad row is refused naming its row and column, and nothing of
/// the file is written.
final class ImportModal: KeyedModal {
    private var kind = ImportKind.orders
    /// The desk's export folder: the field starts here, and a relative name is resolved here.
    private let directory: String
    private var field: TextFieldState
    private var error: String?

    init(directory: String) {
        self.directory = directory
        field = TextFieldState(text: directory.hasSuffix("/") ? directory : directory + "/", maxLength: 400)
    }

    /// The file's path is typed.
    var typesText: Bool { true }

    enum Action { case importFile, nextKind, previousKind, cancel }
    var keys: KeyTable<Action> {
        KeyTable("Import", [
            KeyBinding(.enter, .importFile, label: "Import", help: "Check the whole file, then import it in one transaction"),
            KeyBinding([.tab, .down], .nextKind, label: "Kind", help: "What the file holds: orders, purchase orders, stock, LICs, customers, vendors, locations"),
            KeyBinding([.backTab, .up], .previousKind, label: "Previous kind", help: "The previous kind", showInFooter: false),
            KeyBinding(.escape, .cancel, label: "Cancel", help: "Close; nothing is imported"),
        ])
    }

    private var path: String {
        let t = (field.text.trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        return t.hasPrefix("/") ? t : (directory as NSString).appendingPathComponent(t)
    }

    func handle(_ key: Key, ctx: AppContext) -> Effect? {
        switch keys.action(for: key) {
        case .importFile?:
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
                error = "there is no file \(path)"
                return .redraw
            }
            return .all([.closeModal, Self.job(kind, path: path, ctx: ctx)])
        case .nextKind?, .previousKind?:
            let all = ImportKind.allCases
            let d = keys.action(for: key).map { if case .nextKind = $0 { return 1 } else { return -1 } } ?? 1
            kind = all[((all.firstIndex(of: kind) ?? 0) + d + all.count) % all.count]
            return .redraw
        case .cancel?:
            return .all([.closeModal, .info("Nothing was imported.")])
        case nil:
            if field.handle(key) == .edited { error = nil }
            return .redraw
        }
    }

    static func job(_ kind: ImportKind, path: String, ctx: AppContext) -> Effect {
        let desk = ctx.desk
        let name = (path as NSString).lastPathComponent
        let title = "Importing \(name) (\(kind.rawValue))"
        return .all([.run(BackgroundJob(id: "import", title: title) { progress in
            progress.update(done: 0, total: 0, unit: "row(s) checked")
            do {
                let r = try desk.importCSV(kind, url: URL(fileURLWithPath: path)) { progress.update(done: $0, total: $1, unit: "row(s)") }
                return JobOutcome(id: "import", message: "Imported \(name): \(r.rows) row(s), \(r.created.count) \(kind == .orders || kind == .purchaseOrders ? "made" : "written")"
                                  + (r.created.isEmpty || r.created.count > 6 ? "." : ": \(r.created.joined(separator: ", ")).") , failed: false)
            } catch {
                return JobOutcome(id: "import", message: "Nothing imported from \(name): \(describe(error))", failed: true)
            }
        }), .info("\(title)… the screen stays usable.")])
    }

    func render(area: Rect, buffer: inout ScreenBuffer, ctx: AppContext) {
        let rect = area.centered(width: min(area.width, 76), height: min(area.height, 8))
        buffer.fill(rect, style: ctx.style(.normal))
        let inner = Box.draw(rect, title: "Import a CSV file", buffer: &buffer, theme: ctx.theme).inset(left: 1, right: 1)
        Draw.spans([("Kind  ", .normal), ("◂ \(kind.rawValue) ▸", .inputFocused), ("  Tab changes it", .dim)], at: inner, buffer: &buffer, ctx: ctx)
        TextField.render(label: "File", state: field, focused: true, error: error,
                         area: Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: 2), buffer: &buffer, theme: ctx.theme)
        Draw.text("Columns as `backorders import \(kind.rawValue)` takes them; nothing is written if a row is bad.",
                  at: inner, row: 4, role: .dim, buffer: &buffer, ctx: ctx)
        Draw.text("Enter imports · Esc cancels", at: inner, row: inner.height - 1, role: .question, buffer: &buffer, ctx: ctx)
    }
}
