import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program and collects its output, with posix_spawn and waitpid.
///
/// Not Foundation.Process: its waitUntilExit can hang when the child leaves
/// a daemon behind (tmux does). Here the pipes are close-on-exec in the
/// parent, the child gets a clean signal mask and default dispositions, and
/// stdout/stderr are drained on their own threads so a chatty child never
/// blocks on a full pipe.
public enum Subprocess {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `executable` (a path, or a name looked up in PATH) with
    /// `arguments`. `environment` nil inherits this process's environment.
    /// `stdin` nil connects /dev/null. With `timeout`, the child is killed
    /// (SIGKILL) when it runs longer, and the status is 128+9.
    /// The status is the exit code, or 128+signal when the child was killed.
    @discardableResult
    public static func run(executable: String, arguments: [String] = [],
                           environment: [String: String]? = nil, stdin: String? = nil,
                           timeout: TimeInterval? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let outPipe = try makePipe()
        let errPipe = try makePipe()
        let inPipe = try makePipe()
        var parentEnds = [outPipe.read, errPipe.read, inPipe.write]
        var childEnds = [outPipe.write, errPipe.write, inPipe.read]
        defer {
            for fd in parentEnds + childEnds where fd >= 0 { close(fd) }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdin != nil {
            posix_spawn_file_actions_adddup2(&actions, inPipe.read, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe.write, 2)

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attr, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        sigdelset(&allSignals, SIGKILL)
        sigdelset(&allSignals, SIGSTOP)
        posix_spawnattr_setsigdefault(&attr, &allSignals)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let env = environment ?? ProcessInfo.processInfo.environment
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }

        var pid: pid_t = 0
        let spawnResult: Int32
        if executable.contains("/") {
            spawnResult = posix_spawn(&pid, executable, &actions, &attr, argv, envp)
        } else {
            // posix_spawnp searches the PATH of *this* process; use the child's.
            let path = resolve(executable, path: env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") ?? executable
            spawnResult = path.contains("/")
                ? posix_spawn(&pid, path, &actions, &attr, argv, envp)
                : posix_spawnp(&pid, executable, &actions, &attr, argv, envp)
        }
        guard spawnResult == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(spawnResult)))")
        }
        for fd in childEnds { close(fd) }
        childEnds = []

        let stdoutReader = PipeReader(fd: outPipe.read)
        let stderrReader = PipeReader(fd: errPipe.read)
        let inputFD = inPipe.write
        parentEnds = []   // now owned by the readers / writer below
        let writer = stdin.map { PipeWriter(fd: inputFD, data: Data($0.utf8)) }
        if writer == nil { close(inputFD) }

        let watchdog = timeout.map { Watchdog(pid: pid, seconds: $0) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { break }
        }
        watchdog?.cancel()
        writer?.wait()
        let out = stdoutReader.wait()
        let err = stderrReader.wait()

        let code: Int32
        if status & 0x7f == 0 {
            code = (status >> 8) & 0xff
        } else {
            code = 128 + (status & 0x7f)
        }
        return (code, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// The full path of `name` in a PATH string, if found and executable.
    public static func resolve(_ name: String, path: String) -> String? {
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        // pipe2 needs _GNU_SOURCE, which Swift's Glibc module lacks; set
        // close-on-exec right after, so only our own dup2s reach the child.
        guard pipe(&fds) == 0 else {
            throw Failure(description: "pipe failed: \(String(cString: strerror(errno)))")
        }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }
}

/// Reads a pipe to its end on a background thread.
private final class PipeReader: @unchecked Sendable {
    private let fd: Int32
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(fd: Int32) {
        self.fd = fd
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(self.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    self.data.append(contentsOf: chunk[0..<n])
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(self.fd)
            self.done.signal()
        }
        thread.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// Writes all of `data` to a pipe on a background thread, then closes it.
private final class PipeWriter: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(fd: Int32, data: Data) {
        let thread = Thread { [done] in
            // A child that exits without reading must not kill us with SIGPIPE.
            var offset = 0
            let bytes = [UInt8](data)
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { send_or_write(fd, $0.baseAddress, $0.count) }
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { break }
            }
            close(fd)
            done.signal()
        }
        thread.start()
    }

    func wait() { done.wait() }
}

private func send_or_write(_ fd: Int32, _ p: UnsafeRawPointer?, _ count: Int) -> Int {
    // Block SIGPIPE for this thread only while writing; EPIPE is then returned instead.
    var block = sigset_t()
    sigemptyset(&block)
    sigaddset(&block, SIGPIPE)
    var old = sigset_t()
    pthread_sigmask(SIG_BLOCK, &block, &old)
    let n = write(fd, p, count)
    let saved = errno
    if n < 0 && saved == EPIPE {
        // Consume the pending SIGPIPE so unblocking does not deliver it.
        var pending = sigset_t()
        sigpending(&pending)
        if sigismember(&pending, SIGPIPE) == 1 {
            var sig: Int32 = 0
            sigwait(&block, &sig)
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, nil)
    errno = saved
    return n
}

/// Kills a child that runs too long.
private final class Watchdog: @unchecked Sendable {
    private let cancelled = DispatchSemaphore(value: 0)

    init(pid: pid_t, seconds: TimeInterval) {
        let thread = Thread { [cancelled] in
            if cancelled.wait(timeout: .now() + seconds) == .timedOut {
                kill(pid, SIGKILL)
            }
        }
        thread.start()
    }

    func cancel() { cancelled.signal() }
}
