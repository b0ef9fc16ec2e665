/// What the app needs from a terminal. `CursesBackend` provides the real one;
/// `MemoryBackend` lets tests script keys and read the frames drawn.
public protocol TerminalBackend: AnyObject {
    var size: Size { get }
    /// Whether the terminal can show colours (false → use the monochrome theme).
    var colorsAvailable: Bool { get }
    /// True once the terminal has gone away (input closed); the app should leave.
    var terminalGone: Bool { get }
    func draw(_ buffer: ScreenBuffer)
    /// Waits up to `timeoutMs` (negative: forever) for a key; nil on timeout.
    func readKey(timeoutMs: Int) -> Key?
    /// Restores the terminal; safe to call more than once.
    func shutdown()
}

/// A terminal in memory, for tests: queue keys, run the app loop, inspect frames.
public final class MemoryBackend: TerminalBackend {
    public private(set) var size: Size
    public var colorsAvailable: Bool
    public var terminalGone: Bool = false
    public private(set) var frames: [ScreenBuffer] = []
    public private(set) var isShutdown = false
    private var queue: [Key] = []
    /// Keep only the last this-many frames (0 keeps all).
    public var frameLimit: Int

    public init(size: Size = Size(width: 80, height: 24), colorsAvailable: Bool = true, frameLimit: Int = 50) {
        self.size = size
        self.colorsAvailable = colorsAvailable
        self.frameLimit = frameLimit
    }

    /// The text of the last frame, or "" before anything was drawn.
    public var screenText: String { frames.last?.text() ?? "" }

    public func enqueue(_ keys: Key...) { queue.append(contentsOf: keys) }

    public func enqueue(_ keys: [Key]) { queue.append(contentsOf: keys) }

    /// Queues each character of `text` as a `.char` key.
    public func type(_ text: String) { queue.append(contentsOf: text.map { Key.char($0) }) }

    /// Changes the size and queues a `.resize` key, as a terminal would.
    public func resize(to newSize: Size) {
        size = newSize
        queue.append(.resize)
    }

    public func draw(_ buffer: ScreenBuffer) {
        frames.append(buffer)
        if frameLimit > 0, frames.count > frameLimit { frames.removeFirst(frames.count - frameLimit) }
    }

    /// When set, the terminal counts as gone after this many reads in a row found no key: a
    /// scripted loop that did not end as expected stops instead of spinning forever.
    public var goneAfterIdleReads: Int?
    private var idleReads = 0

    public func readKey(timeoutMs: Int) -> Key? {
        guard !queue.isEmpty else {
            idleReads += 1
            if let limit = goneAfterIdleReads, idleReads >= limit { terminalGone = true }
            return nil
        }
        idleReads = 0
        return queue.removeFirst()
    }

    public func shutdown() { isShutdown = true }
}
