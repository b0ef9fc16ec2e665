import Foundation
import XCTest

/// What one run of the `backorders` executable did.
struct Outcome: CustomStringConvertible {
    var args: [String]
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String {
        "`backorders \(args.joined(separator: " "))` → exit \(status)\n--- stdout:\n\(stdout)\n--- stderr:\n\(stderr)"
    }

    /// The JSON document on stdout.
    func json() throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        } catch {
            throw CLIError("not JSON: \(self)")
        }
    }

    func object() throws -> [String: Any] {
        guard let o = try json() as? [String: Any] else { throw CLIError("not a JSON object: \(self)") }
        return o
    }

    func array() throws -> [Any] {
        guard let a = try json() as? [Any] else { throw CLIError("not a JSON array: \(self)") }
        return a
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(stdout.utf8))
        } catch {
            throw CLIError("cannot read \(T.self) (\(error)) from \(self)")
        }
    }
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Runs the built `backorders` binary against one database, as a subprocess.
final class Backorders: @unchecked Sendable {
    /// The executable built beside this test bundle (the products directory), else `.build/debug`.
    static func locate(file: String = #filePath) -> URL? {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["BACKORDERS_BIN"] { candidates.append(URL(fileURLWithPath: explicit)) }
        let bundle = Bundle(for: Backorders.self).bundleURL
        candidates.append(bundle.appendingPathComponent("backorders"))
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("backorders"))
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent().appendingPathComponent("backorders")) }
        candidates.append(repositoryRoot(file: file).appendingPathComponent(".build/debug/backorders"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Tests/<target>/Support/Subprocess.swift → the package root.
    static func repositoryRoot(file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    let binary: URL
    let home: String
    let db: String
    var user: String
    private let outputs: String
    private let lock = NSLock()
    private var counter = 0

    init(home: String, db: String, user: String = "boss") throws {
        guard let binary = Backorders.locate() else {
            throw CLIError("the backorders executable was not found beside the test bundle nor in .build/debug; `swift build` first")
        }
        self.binary = binary
        self.home = home
        self.db = db
        self.user = user
        outputs = (home as NSString).appendingPathComponent("outputs")
        try FileManager.default.createDirectory(atPath: outputs, withIntermediateDirectories: true)
    }

    /// The environment of every run: a private HOME, the database and user, nothing inherited
    /// that could change the outcome (XDG_DATA_HOME, BACKORDERS_*).
    func environment(_ extra: [String: String?]) -> [String: String] {
        var env: [String: String] = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home,
            "LANG": "C.UTF-8",
            "BACKORDERS_DB": db,
            "BACKORDERS_USER": user,
        ]
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Starts a run without waiting; `finish` collects it.
    func start(_ args: [String], env: [String: String?] = [:]) throws -> Running {
        try launch(binary, args, env: env)
    }

    /// Starts `/bin/sh -c script` with `$BIN` naming the executable (for several commands in a row).
    func startShell(_ script: String, env: [String: String?] = [:]) throws -> Running {
        var env = env
        env["BIN"] = binary.path
        return try launch(URL(fileURLWithPath: "/bin/sh"), ["-c", script], env: env)
    }

    private func launch(_ executable: URL, _ args: [String], env: [String: String?]) throws -> Running {
        let n: Int = lock.withLock { counter += 1; return counter }
        let out = (outputs as NSString).appendingPathComponent("\(n).out")
        let err = (outputs as NSString).appendingPathComponent("\(n).err")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.environment = environment(env)
        p.currentDirectoryURL = URL(fileURLWithPath: home)
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try p.run()
        return Running(process: p, args: args, out: out, err: err)
    }

    struct Running {
        var process: Process
        var args: [String]
        var out: String
        var err: String

        func finish() -> Outcome {
            process.waitUntilExit()
            let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
            return Outcome(args: args, status: process.terminationStatus, stdout: read(out), stderr: read(err))
        }
    }

    func run(_ args: [String], env: [String: String?] = [:]) throws -> Outcome {
        try start(args, env: env).finish()
    }

    func run(_ args: String..., env: [String: String?] = [:]) throws -> Outcome { try run(args, env: env) }

    /// Runs and requires exit 0.
    @discardableResult
    func ok(_ args: String..., env: [String: String?] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        let o = try run(args, env: env)
        XCTAssertEqual(o.status, 0, "\(o)", file: file, line: line)
        if o.status != 0 { throw CLIError("command failed: \(o)") }
        return o
    }

    /// Runs and requires a refusal: the given exit status(es) and a message on stderr.
    @discardableResult
    func refused(_ args: String..., status: Set<Int32> = [1], mentions: String? = nil, env: [String: String?] = [:],
                 file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        let o = try run(args, env: env)
        XCTAssertTrue(status.contains(o.status), "expected exit \(status.sorted()): \(o)", file: file, line: line)
        XCTAssertFalse(o.stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "no message on stderr: \(o)", file: file, line: line)
        if let mentions {
            XCTAssertTrue(o.stderr.lowercased().contains(mentions.lowercased()), "stderr should mention '\(mentions)': \(o)", file: file, line: line)
        }
        return o
    }
}
