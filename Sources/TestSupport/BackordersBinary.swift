import Foundation
import XCTest

// The driver of the built `backorders` executable shared by the command-line and concurrency tests.

/// What one run of the `backorders` executable did.
public struct Outcome: CustomStringConvertible {
    public var args: [String]
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public var description: String {
        "`backorders \(args.joined(separator: " "))` → exit \(status)\n--- stdout:\n\(stdout)\n--- stderr:\n\(stderr)"
    }

    /// The JSON document on stdout.
    public func json() throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        } catch {
            throw CLIError("not JSON: \(self)")
        }
    }

    public func object() throws -> [String: Any] {
        guard let o = try json() as? [String: Any] else { throw CLIError("not a JSON object: \(self)") }
        return o
    }

    public func array() throws -> [Any] {
        guard let a = try json() as? [Any] else { throw CLIError("not a JSON array: \(self)") }
        return a
    }

    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(stdout.utf8))
        } catch {
            throw CLIError("cannot read \(T.self) (\(error)) from \(self)")
        }
    }
}

public struct CLIError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// Runs the built `backorders` binary against one database, as a subprocess.
public final class Backorders: @unchecked Sendable {
    /// The executable built beside this test bundle (the products directory), else `.build/debug`.
    public static func locate(file: String = #filePath) -> URL? {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["BACKORDERS_BIN"] { candidates.append(URL(fileURLWithPath: explicit)) }
        let bundle = Bundle(for: Backorders.self).bundleURL
        candidates.append(bundle.appendingPathComponent("backorders"))
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("backorders"))
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent().appendingPathComponent("backorders")) }
        candidates.append(repositoryRoot(file: file).appendingPathComponent(".build/debug/backorders"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Sources/TestSupport/BackordersBinary.swift → the package root.
    public static func repositoryRoot(file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    public let binary: URL
    public let home: String
    public let db: String
    public var user: String
    private let outputs: String
    private let lock = NSLock()
    private var counter = 0

    public init(home: String, db: String, user: String = "boss") throws {
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
    public func environment(_ extra: [String: String?]) -> [String: String] {
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
    public func start(_ args: [String], env: [String: String?] = [:]) throws -> Running {
        try launch(binary, args, env: env)
    }

    /// Starts `/bin/sh -c script` with `$BIN` naming the executable (for several commands in a row).
    public func startShell(_ script: String, env: [String: String?] = [:]) throws -> Running {
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

    public struct Running {
        public var process: Process
        public var args: [String]
        public var out: String
        public var err: String

        public func finish() -> Outcome {
            process.waitUntilExit()
            let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
            return Outcome(args: args, status: process.terminationStatus, stdout: read(out), stderr: read(err))
        }
    }

    public func run(_ args: [String], env: [String: String?] = [:]) throws -> Outcome {
        try start(args, env: env).finish()
    }

    public func run(_ args: String..., env: [String: String?] = [:]) throws -> Outcome { try run(args, env: env) }

    /// Runs and requires exit 0.
    @discardableResult
    public func ok(_ args: String..., env: [String: String?] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        let o = try run(args, env: env)
        XCTAssertEqual(o.status, 0, "\(o)", file: file, line: line)
        if o.status != 0 { throw CLIError("command failed: \(o)") }
        return o
    }

    /// Runs and requires a refusal: the given exit status(es) and a message on stderr.
    @discardableResult
    public func refused(_ args: String..., status: Set<Int32> = [1], mentions: String? = nil, env: [String: String?] = [:],
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

/// A fresh directory under the system temporary directory, removed when the value goes away.
public final class TempDir: @unchecked Sendable {
    public let url: URL
    public init(prefix: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("backorders-\(prefix)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    public var path: String { url.path }
    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit {
        if ProcessInfo.processInfo.environment["KEEP_TEST_DIRS"] == nil {
            try? FileManager.default.removeItem(at: url)
        }
    }

    /// A directory shared by every test of the run (a template database made once): kept until
    /// the test process exits, then removed.
    public static func forTheRun(prefix: String) throws -> TempDir {
        let dir = try TempDir(prefix: prefix)
        KeptUntilExit.shared.keep(dir)
        return dir
    }
}

/// Holds the run's shared directories and lets them go (so they are removed) at exit.
private final class KeptUntilExit: @unchecked Sendable {
    static let shared = KeptUntilExit()
    private let lock = NSLock()
    private var dirs: [TempDir] = []

    private init() {
        atexit { KeptUntilExit.shared.releaseAll() }
    }

    func keep(_ dir: TempDir) {
        lock.lock()
        dirs.append(dir)
        lock.unlock()
    }

    private func releaseAll() {
        lock.lock()
        dirs.removeAll()
        lock.unlock()
    }
}
