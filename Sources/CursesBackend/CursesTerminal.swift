import CNCurses
import Foundation
import TerminalKit

#if canImport(Glibc)
import Glibc
#endif

/// The real terminal, through ncursesw. The only code that calls ncurses.
///
/// Raw mode (Ctrl-C arrives as `.ctrl("c")`), no echo, keypad on, a 25 ms
/// Escape delay, hidden cursor, mouse button presses, default colours. The
/// terminal is restored by `shutdown()`, by deinit, at exit, and on SIGTERM,
/// SIGHUP, SIGINT and SIGQUIT (which then exit with 128+signo); crash
/// signals restore it and re-raise.
public final class CursesTerminal: TerminalBackend {
    public private(set) var size: Size
    public private(set) var colorsAvailable: Bool
    public private(set) var terminalGone = false
    /// False when the locale is not UTF-8: box drawing falls back to ACS, other non-ASCII to "?".
    public let unicodeAvailable: Bool

    private let window: UnsafeMutablePointer<WINDOW>
    private var isShutdown = false
    private let mapping: ColorMapping
    private let maxPairs: Int
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private var quickErrors = 0
    private var wchars = [wchar_t](repeating: 0, count: 8)

    private struct PairKey: Hashable {
        let fg: Int32, bg: Int32
    }

    /// Starts curses on the controlling terminal. Throws when stdout is not a terminal.
    public init(mouse: Bool = true) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw CursesError.notATerminal
        }
        setlocale(LC_ALL, "")
        unicodeAvailable = tk_codeset_is_utf8() != 0
        guard let win = initscr() else { throw CursesError.initFailed }
        window = win
        raw()
        noecho()
        nonl()
        keypad(win, true)
        _ = tk_set_escdelay(25)
        curs_set(0)
        if mouse {
            mouseinterval(0)
            mousemask(tk_mouse_mask_buttons(), nil)
        }
        var colors = false
        if has_colors() {
            start_color()
            use_default_colors()
            colors = tk_colors() >= 8
        }
        colorsAvailable = colors
        mapping = ColorMapping(colors: colors ? Int(tk_colors()) : 0)
        maxPairs = colors ? min(Int(tk_color_pairs()), 65535) : 0
        var y: Int32 = 0, x: Int32 = 0
        tk_getmaxyx(win, &y, &x)
        size = Size(width: Int(x), height: Int(y))
        SignalHandling.install()
    }

    deinit { shutdown() }

    /// Runs `body` with a terminal and restores the terminal afterwards,
    /// also when `body` throws.
    public static func withTerminal<T>(mouse: Bool = true, _ body: (CursesTerminal) throws -> T) throws -> T {
        let terminal = try CursesTerminal(mouse: mouse)
        defer { terminal.shutdown() }
        return try body(terminal)
    }

    public func shutdown() {
        guard !isShutdown else { return }
        isShutdown = true
        mousemask(0, nil)
        curs_set(1)
        if !isendwin() { endwin() }
        SignalHandling.uninstall()
    }

    // MARK: Drawing

    public func draw(_ buffer: ScreenBuffer) {
        guard !isShutdown else { return }
        var y: Int32 = 0, x: Int32 = 0
        tk_getmaxyx(window, &y, &x)
        let rows = min(Int(y), buffer.size.height)
        let cols = min(Int(x), buffer.size.width)
        if buffer.size.width != Int(x) || buffer.size.height != Int(y) { werase(window) }
        for row in 0..<rows {
            var col = 0
            while col < cols {
                var cell = buffer[col, row]
                // Right halves are skipped with their wide character below, so
                // a continuation met here is an orphan: show a space.
                if cell.isContinuation { cell.text = " " }
                let width = max(1, TextWidth.width(of: cell.text))
                let fitsWide = width == 2 && col + 1 < cols
                let isLastCell = row == Int(y) - 1 && col + (fitsWide ? 1 : 0) >= Int(x) - 1
                drawCell(cell, width: fitsWide ? 2 : 1, row: row, col: col, last: isLastCell)
                col += fitsWide ? 2 : 1
            }
        }
        wnoutrefresh(window)
        doupdate()
    }

    private func drawCell(_ cell: Cell, width: Int, row: Int, col: Int, last: Bool) {
        let (attrs, pair) = attributes(for: cell.style)
        var text = cell.text.isEmpty ? " " : cell.text
        var padRight = false

        if !unicodeAvailable, !text.unicodeScalars.allSatisfy({ $0.isASCII }) {
            if let acs = acsFallback(text) {
                mvwaddch(window, Int32(row), Int32(col), acs | attrs | tk_COLOR_PAIR(pair))
                return
            }
            text = width == 2 ? "??" : "?"
        }

        // Build the cchar: the base plus the zero-width characters that follow,
        // keeping what ncurses (glibc wcwidth) and our width agree on.
        var n = 0
        for scalar in text.unicodeScalars {
            let w = tk_wcwidth(wchar_t(bitPattern: scalar.value))
            if n == 0 {
                if w < 0 {
                    wchars[0] = wchar_t(UInt8(ascii: "?"))
                    n = 1
                    padRight = width == 2
                    break
                }
                if width == 2 && w == 1 { padRight = true }   // e.g. "❤️": we say 2, libc says 1
                if width == 1 && w == 2 {
                    wchars[0] = wchar_t(UInt8(ascii: "?"))
                    n = 1
                    break
                }
                wchars[0] = wchar_t(bitPattern: scalar.value)
                n = 1
            } else if w == 0 && n < 5 && scalar.value != 0xFE0F && !(padRight && scalar.value == 0x200D) {
                wchars[n] = wchar_t(bitPattern: scalar.value)
                n += 1
            }
        }
        wchars[n] = 0
        wchars.withUnsafeBufferPointer { p in
            if last && !padRight {
                _ = tk_mvins_cell(window, Int32(row), Int32(col), p.baseAddress, attrs, pair)
            } else {
                _ = tk_mvadd_cell(window, Int32(row), Int32(col), p.baseAddress, attrs, pair)
            }
        }
        if padRight {
            wchars[0] = wchar_t(UInt8(ascii: " "))
            wchars[1] = 0
            wchars.withUnsafeBufferPointer { p in
                if last {
                    _ = tk_mvins_cell(window, Int32(row), Int32(col + 1), p.baseAddress, attrs, pair)
                } else {
                    _ = tk_mvadd_cell(window, Int32(row), Int32(col + 1), p.baseAddress, attrs, pair)
                }
            }
        }
    }

    private func acsFallback(_ text: String) -> chtype? {
        switch text {
        case "─", "━", "═": return tk_ACS_HLINE()
        case "│", "┃", "║": return tk_ACS_VLINE()
        case "┌", "╭": return tk_ACS_ULCORNER()
        case "┐", "╮": return tk_ACS_URCORNER()
        case "└", "╰": return tk_ACS_LLCORNER()
        case "┘", "╯": return tk_ACS_LRCORNER()
        case "├": return tk_ACS_LTEE()
        case "┤": return tk_ACS_RTEE()
        case "┬": return tk_ACS_TTEE()
        case "┴": return tk_ACS_BTEE()
        case "┼": return tk_ACS_PLUS()
        case "█", "▉", "▊", "▋", "▇", "▆": return tk_ACS_BLOCK()
        case "▌", "▍", "▎", "▏", "▁", "▂", "▃", "▄", "▅": return tk_ACS_CKBOARD()
        case "↑": return tk_ACS_UARROW()
        case "↓": return tk_ACS_DARROW()
        case "←": return tk_ACS_LARROW()
        case "→": return tk_ACS_RARROW()
        case "…": return chtype(UInt8(ascii: "~"))
        default: return nil
        }
    }

    private func attributes(for style: Style) -> (attr_t, Int32) {
        var attrs = tk_A_NORMAL()
        if style.attrs.contains(.bold) { attrs |= tk_A_BOLD() }
        if style.attrs.contains(.dim) { attrs |= tk_A_DIM() }
        if style.attrs.contains(.underline) { attrs |= tk_A_UNDERLINE() }
        if style.attrs.contains(.reverse) { attrs |= tk_A_REVERSE() }
        return (attrs, colorsAvailable ? pair(fg: style.fg, bg: style.bg) : 0)
    }

    /// The colour pair for fg/bg, allocated on first use. When the terminal's
    /// pairs run out, a pair with the same foreground is reused, else pair 0.
    private func pair(fg: Color, bg: Color) -> Int32 {
        let key = PairKey(fg: mapping.number(for: fg), bg: mapping.number(for: bg))
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let p = pairs[key] { return p }
        guard Int(nextPair) < maxPairs, tk_init_pair(nextPair, key.fg, key.bg) != ERR else {
            return pairs.first { $0.key.fg == key.fg }?.value ?? 0
        }
        let p = nextPair
        pairs[key] = p
        nextPair += 1
        return p
    }

    // MARK: Input

    public func readKey(timeoutMs: Int) -> Key? {
        guard !isShutdown, !terminalGone else { return nil }
        wtimeout(window, Int32(clamping: timeoutMs < 0 ? -1 : timeoutMs))
        var ch: wint_t = 0
        let started = DispatchTime.now().uptimeNanoseconds
        let result = wget_wch(window, &ch)
        if result == ERR {
            // A timeout waits; EOF or a vanished terminal returns at once, again
            // and again. Count those to tell the app the terminal is gone.
            let elapsedMs = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
            if timeoutMs < 0 || (timeoutMs >= 10 && elapsedMs < timeoutMs / 2) {
                quickErrors += 1
                if quickErrors >= 20 || timeoutMs < 0 { markGoneIfInputClosed() }
            } else {
                quickErrors = 0
            }
            return nil
        }
        quickErrors = 0
        if result == KEY_CODE_YES {
            let code = Int32(bitPattern: ch)
            if code == KEY_MOUSE { return mouseEvent() }
            if code == KEY_RESIZE { updateSize() }
            return KeyMapping.key(forKeyCode: code)
        }
        return KeyMapping.key(forCharacter: UInt32(ch))
    }

    private func markGoneIfInputClosed() {
        var pfd = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        let r = poll(&pfd, 1, 0)
        let hungUp = r < 0 || (pfd.revents & Int16(POLLHUP | POLLERR | POLLNVAL)) != 0
        let eof: Bool = {
            guard r > 0, pfd.revents & Int16(POLLIN) != 0 else { return false }
            var available: Int32 = 0
            return ioctl(STDIN_FILENO, UInt(FIONREAD), &available) == 0 && available == 0
        }()
        if hungUp || eof || quickErrors >= 200 { terminalGone = true }
    }

    private func mouseEvent() -> Key? {
        var x: Int32 = 0, y: Int32 = 0
        let kind: MouseKind
        switch Int(tk_getmouse(&x, &y)) {
        case Int(TK_MOUSE_LEFT): kind = .leftClick
        case Int(TK_MOUSE_MIDDLE): kind = .middleClick
        case Int(TK_MOUSE_RIGHT): kind = .rightClick
        case Int(TK_MOUSE_SCROLL_UP): kind = .scrollUp
        case Int(TK_MOUSE_SCROLL_DOWN): kind = .scrollDown
        default: return nil
        }
        return .mouse(x: Int(x), y: Int(y), kind: kind)
    }

    private func updateSize() {
        var y: Int32 = 0, x: Int32 = 0
        tk_getmaxyx(window, &y, &x)
        size = Size(width: Int(x), height: Int(y))
    }
}

public enum CursesError: Error, CustomStringConvertible {
    case notATerminal
    case initFailed

    public var description: String {
        switch self {
        case .notATerminal: return "not a terminal: the interactive UI needs a terminal on stdin and stdout"
        case .initFailed: return "could not initialise the terminal (is TERM set?)"
        }
    }
}
