import Foundation

/// Finds a folder that ships beside the program (`seeds/`, `themes/`): an explicit path, an
/// environment variable, `./folder`, beside the executable (or up to four folders above it), or in
/// the source tree this program was built from. The first candidate holding `marker` wins.
public enum ProjectFiles {
    public static func locate(_ folder: String, containing marker: String, explicit: String? = nil,
                              environmentVariable: String, sourceFile: String = #filePath) -> URL? {
        var candidates: [String] = []
        if let explicit, !explicit.isEmpty { candidates.append(explicit) }
        if let env = ProcessInfo.processInfo.environment[environmentVariable], !env.isEmpty { candidates.append(env) }
        candidates.append(FileManager.default.currentDirectoryPath + "/" + folder)
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for up in 0...4 {
            var u = exe
            for _ in 0..<up { u = u.deletingLastPathComponent() }
            candidates.append(u.appendingPathComponent(folder).path)
        }
        // Sources/BackorderApp/ProjectFiles.swift → the package root.
        candidates.append(URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(folder).path)
        return candidates.map { URL(fileURLWithPath: $0) }.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent(marker).path)
        }
    }
}
