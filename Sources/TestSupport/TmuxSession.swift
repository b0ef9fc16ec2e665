import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private tmux server running one command in a detached session, for
/// end-to-end tests: type keys, read the screen, wait for text.
///
/// Each session has its own server socket in a temporary directory and no
/// config file, so it neither sees nor disturbs the user's tmux. The command
/// runs as `<command>; echo "[exit:$?]"; exec sleep 600` because tmux 3.3a
/// does not keep a dead pane's exit status: wait for "[exit:0]".
public final class TmuxSession {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let socketPath: String
    public let directory: URL
    public let target = "tk:0.0"
    private let tmux: String
    private let environment: [String: String]
    private var killed = false

    /// Starts `command` (a shell command line) in a `width`×`height` window.
    /// `environment` adds variables for the command (LANG=C.UTF-8 is set).
    public init(command: String, width: Int = 100, height: Int = 30,
                environment: [String: String] = [:], workingDirectory: String? = nil) throws {
        guard let tmux = Subprocess.resolve("tmux", path: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") else {
            throw Failure(description: "tmux is not installed")
        }
        self.tmux = tmux
        // mkdtemp's template: six X's it replaces.
        var template = Array(("/tmp/tk-tmux-" + String(repeating: "X", count: 6)).utf8CString)
        guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw Failure(description: "mkdtemp failed")
        }
        let path = String(cString: dir)
        directory = URL(fileURLWithPath: path)
        socketPath = path + "/socket"

        var env = ProcessInfo.processInfo.environment
        env["TMUX"] = nil
        env["TMUX_PANE"] = nil
        env["SHELL"] = "/bin/sh"
        env["TERM"] = env["TERM"].flatMap { $0.isEmpty || $0 == "dumb" ? nil : $0 } ?? "xterm-256color"
        self.environment = env

        var args = ["new-session", "-d", "-s", "tk", "-x", String(width), "-y", String(height),
                    "-e", "LANG=C.UTF-8", "-e", "LC_ALL=C.UTF-8"]
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { args += ["-e", "\(k)=\(v)"] }
        if let workingDirectory { args += ["-c", workingDirectory] }
        args.append("\(command); echo \"[exit:$?]\"; exec sleep 600")
        do {
            try tmuxCommand(args)
        } catch {
            kill()
            throw error
        }
    }

    deinit { kill() }

    @discardableResult
    private func tmuxCommand(_ args: [String]) throws -> String {
        let result = try Subprocess.run(executable: tmux, arguments: ["-S", socketPath, "-f", "/dev/null"] + args,
                                        environment: environment, timeout: 10)
        guard result.status == 0 else {
            throw Failure(description: "tmux \(args.first ?? "") failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    /// Sends keys as tmux's send-keys reads them: key names ("Enter",
    /// "Escape", "C-s", "F2", "Up", "BSpace", "PPage") are keys, anything else
    /// is typed as text. `sendKeys("abc", "Enter")`.
    public func sendKeys(_ keys: String...) throws {
        try sendKeys(keys)
    }

    public func sendKeys(_ keys: [String]) throws {
        try tmuxCommand(["send-keys", "-t", target] + keys)
    }

    /// Types `text` literally, even if it looks like a key name.
    public func sendText(_ text: String) throws {
        try tmuxCommand(["send-keys", "-t", target, "-l", text])
    }

    /// The visible pane as text, one line per row.
    public func capture() throws -> String {
        try tmuxCommand(["capture-pane", "-p", "-t", target])
    }

    /// Polls the screen every 20 ms until it contains `text`; returns that
    /// screen, or throws with the last screen after `timeout` seconds.
    @discardableResult
    public func waitFor(_ text: String, timeout: TimeInterval = 5) throws -> String {
        try waitUntil(timeout: timeout, description: "\"\(text)\"") { $0.contains(text) }
    }

    /// Polls until `condition` holds for the captured screen.
    @discardableResult
    public func waitUntil(timeout: TimeInterval = 5, description: String = "condition",
                          _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while true {
            screen = try capture()
            if condition(screen) { return screen }
            if Date() >= deadline { break }
            usleep(20_000)
        }
        throw Failure(description: "timed out after \(timeout)s waiting for \(description); screen:\n\(screen)")
    }

    /// Resizes the window (the program gets SIGWINCH).
    public func resize(width: Int, height: Int) throws {
        try tmuxCommand(["resize-window", "-t", "tk", "-x", String(width), "-y", String(height)])
    }

    /// The pid of the pane's shell, for sending signals.
    public func panePID() throws -> pid_t {
        let out = try tmuxCommand(["display-message", "-p", "-t", target, "#{pane_pid}"])
        guard let pid = pid_t(out.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Failure(description: "no pane pid in \(out)")
        }
        return pid
    }

    /// Stops the server and removes the temporary directory. Idempotent.
    public func kill() {
        guard !killed else { return }
        killed = true
        _ = try? Subprocess.run(executable: tmux, arguments: ["-S", socketPath, "-f", "/dev/null", "kill-server"],
                                environment: environment, timeout: 10)
        try? FileManager.default.removeItem(at: directory)
    }
}
