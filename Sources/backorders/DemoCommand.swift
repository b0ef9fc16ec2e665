import ArgumentParser
import BackorderApp
import BackorderCore
import Foundation

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo data (seeds/) into a fresh database.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Replace an existing database.") var reset = false
    @Flag(name: .customLong("no-tui"), help: "Load and print a summary; do not open the terminal UI.") var noTUI = false
    @Option(help: "The seeds directory (default: ./seeds or the source tree's).") var seeds: String?

    func run() throws {
        if !noTUI { try TerminalUI.refuseWithoutTerminal() }
        guard let dir = BackorderApp.Demo.seedsDirectory(explicit: seeds) else {
            throw DeskError.notFound("cannot find the demo data (a seeds/ directory with orders.csv); pass --seeds DIR")
        }
        let summary = try BackorderApp.Demo.load(path: global.databasePath, userName: global.userName, seeds: dir,
                                                 reset: reset, now: try global.clock().now(), options: global.createOptions())
        global.emit(summary) {
            summary.text + "\n\nYou (\(global.userName)) are its admin; ann and raj are clerks, sue a supervisor (--user NAME)."
        }
        if !noTUI {
            try TerminalUI.open(global: global, theme: nil, welcome: "Demo loaded · 2 backorders · 3+Enter a LIC's demand · n new order (try TEXTBOOK 25) · ? keys")
        }
    }
}
