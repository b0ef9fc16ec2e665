import BackorderApp
import Foundation
import TerminalKit

/// Where the theme files are, and which theme a session gets.
public enum Themes {
    /// Finds `themes/`: `BACKORDERS_THEMES`, `./themes`, beside the executable, or the source tree
    /// this program was built from — as `seeds/` is found.
    public static func directory() -> URL? {
        ProjectFiles.locate("themes", containing: "default.toml", environmentVariable: "BACKORDERS_THEMES")
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
