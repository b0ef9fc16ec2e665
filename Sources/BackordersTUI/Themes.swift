import BackorderApp
import Foundation
import TerminalKit

/// Where the theme files are, and which theme a session gets.
public enum Themes {
    /// Finds `themes/`: `BACKORDERS_THEMES`, `./themes`, beside the executable (or up to four
    /// folders above it), or the source tree this program was built from — as `seeds/` is found.
    public static func directory(sourceFile: String = #filePath) -> URL? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["BACKORDERS_THEMES"], !env.isEmpty { candidates.append(env) }
        candidates.append(FileManager.default.currentDirectoryPath + "/themes")
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for up in 0...4 {
            var u = exe
            for _ in 0..<up { u = u.deletingLastPathComponent() }
            candidates.append(u.appendingPathComponent("themes").path)
        }
        // Sources/BackordersTUI/Themes.swift → the package root.
        candidates.append(URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("themes").path)
        return candidates.map { URL(fileURLWithPath: $0) }.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("default.toml").path)
        }
    }

    /// The theme for this session: `--theme`, else the user's own (the `theme` column), else
    /// the default; monochrome under NO_COLOR or without colours. `problem` says why a named
    /// theme could not be used.
    public static func choose(name: String?, userTheme: String?, colorsAvailable: Bool,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> (theme: Theme, problem: String?) {
        Theme.resolveWithDiagnostics(name: name ?? userTheme, themesDirectory: directory(), environment: environment,
                                     colorsAvailable: colorsAvailable)
    }
}
