import ArgumentParser
import BackorderApp
import BackorderCore
import BackordersTUI
import CursesBackend
import Foundation
import TerminalKit

struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tui", abstract: "Open the terminal UI (what `backorders` alone does).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Colour theme: NAME.toml in themes/ (default: your own theme, else default; NO_COLOR gives monochrome).")
    var theme: String?
    @Flag(name: .customLong("first-frame"), help: .hidden) var firstFrame = false

    func run() throws {
        if firstFrame {
            // For `bench`: open the desk and draw one frame on an in-memory backend, then exit.
            try UIBench.firstFrame(desk: global.desk(), databaseName: Desk.shortName(global.databasePath))
            return
        }
        try TerminalUI.refuseWithoutTerminal()
        try TerminalUI.open(global: global, theme: theme)
    }
}

/// Starts the terminal UI on the curses backend.
enum TerminalUI {
    /// The UI needs a terminal on both stdin and stdout; scripts use the subcommands.
    static func refuseWithoutTerminal() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw DeskError.refused("the terminal UI needs a terminal on stdin and stdout; in scripts use the subcommands (see `backorders --help`), or `backorders demo --no-tui`")
        }
    }

    static func open(global: GlobalOptions, theme: String?, welcome: String? = nil) throws {
        let desk = try global.desk()
        let code = try CursesTerminal.withTerminal { terminal -> Int32 in
            let (chosen, problem) = Themes.choose(name: theme, userTheme: desk.user.theme, colorsAvailable: terminal.colorsAvailable)
            var options = TUIApp.Options(databaseName: Desk.shortName(global.databasePath),
                                         themeProblem: problem)
            options.welcome = welcome
            let app = try TUIApp(desk: desk, theme: chosen, options: options)
            return app.run(on: terminal)
        }
        if code != 0 { throw ExitCode(code) }
    }
}
