import CNCurses
#if canImport(Glibc)
import Glibc
#endif

/// Restores the terminal when the process is told to stop or crashes.
enum SignalHandling {
    static let exitSignals: [Int32] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT]
    static let crashSignals: [Int32] = [SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP]

    static func install() {
        for s in exitSignals {
            signal(s) { signo in
                // endwin is what every curses program does here; the process
                // exits at once, so nothing else touches curses afterwards.
                if !isendwin() { endwin() }
                _exit(128 + signo)
            }
        }
        for s in crashSignals {
            signal(s) { signo in
                if !isendwin() { endwin() }
                signal(signo, nil)   // SIG_DFL
                raise(signo)
            }
        }
        registerAtExitOnce()
    }

    static func uninstall() {
        for s in exitSignals + crashSignals { signal(s, nil) }
    }

    private static let atExitRegistration: Void = {
        atexit {
            if !isendwin() { endwin() }
        }
    }()

    private static func registerAtExitOnce() { _ = atExitRegistration }
}
