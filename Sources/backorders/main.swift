import ArgumentParser
import BackorderCore
import BackorderStore
import Foundation

setlocale(LC_ALL, "")
let arguments = rearrangeGlobalOptions(Array(CommandLine.arguments.dropFirst()))
do {
    var command = try Backorders.parseAsRoot(arguments)
    do {
        try command.run()
    } catch let error as DeskError {
        FileHandle.standardError.write(Data("backorders: \(commandLineText(error))\n".utf8))
        exit(1)
    } catch let error as AppDatabase.OpenError {
        FileHandle.standardError.write(Data("backorders: \(error.description)\n".utf8))
        exit(1)
    } catch let error as ExitCode {
        exit(error.rawValue)
    } catch let error as CleanExit {
        Backorders.exit(withError: error)
    } catch where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
        // With `tui` as the default subcommand, `--help` and usage errors arrive from run().
        Backorders.exit(withError: error)
    } catch {
        FileHandle.standardError.write(Data("backorders: \(error)\n".utf8))
        exit(1)
    }
} catch {
    Backorders.exit(withError: error)
}
