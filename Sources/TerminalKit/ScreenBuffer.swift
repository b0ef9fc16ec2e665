/// One character cell: a single grapheme (or "" for the right half of a wide
/// character) and its style.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var style: Style

    public init(text: String = " ", style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public static let blank = Cell()

    /// True for the right half of a wide character.
    public var isContinuation: Bool { text.isEmpty }
}

/// A run of text in one style, for drawing mixed-style lines.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// A grid of cells the widgets draw into; a backend shows it on a terminal.
/// Nothing here knows about ncurses, so every screen can be tested as text.
public struct ScreenBuffer: Hashable, Sendable {
    public private(set) var size: Size
    public private(set) var cells: [Cell]

    public init(size: Size, style: Style = .plain) {
        self.size = size
        self.cells = Array(repeating: Cell(text: " ", style: style), count: size.width * size.height)
    }

    public var area: Rect { Rect(size: size) }

    /// The cell at (x, y). Reading outside the buffer gives a blank cell;
    /// writing outside is ignored. Setting does no wide-character repair: use
    /// `put` to write text.
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < size.width, y < size.height else { return .blank }
            return cells[y * size.width + x]
        }
        set {
            guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
            cells[y * size.width + x] = newValue
        }
    }

    /// Writes one grapheme of the given display width at (x, y), turning the
    /// other half of any wide character it partly covers into a space.
    private mutating func set(_ text: String, width: Int, x: Int, y: Int, style: Style) {
        let base = y * size.width
        // Overwriting the right half of a wide char: blank its left half.
        if cells[base + x].isContinuation, x > 0 {
            cells[base + x - 1].text = " "
        }
        // Overwriting the left half of a wide char with something narrower
        // (or shifting it): blank the orphaned right half.
        let end = x + width   // first column after what we write
        if end < size.width, cells[base + end].isContinuation {
            cells[base + end].text = " "
        }
        cells[base + x] = Cell(text: text, style: style)
        if width == 2 {
            cells[base + x + 1] = Cell(text: "", style: style)
        }
    }

    /// Writes `string` (sanitized) from (x, y) in `style`, clipped at the
    /// buffer's right edge and at `maxWidth` columns. A wide character that
    /// would not fit whole is not written. Text that is cut ends with "…" in
    /// its last column (cut blanks are not marked), so a reader always knows
    /// there is more. Returns the columns written.
    @discardableResult
    public mutating func put(_ string: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < size.height, size.width > 0 else { return 0 }
        let limit = min(size.width, maxWidth.map { x + max(0, $0) } ?? Int.max)
        var cx = x
        let text = TextWidth.sanitize(string)
        var last: (x: Int, width: Int)?
        var index = text.startIndex
        while index < text.endIndex {
            let g = text[index]
            let w = TextWidth.width(of: g)
            if w == 0 { index = text.index(after: index); continue }
            if cx + w > limit {
                if text[index...].contains(where: { !$0.isWhitespace }) {
                    if cx >= 0, cx < limit {
                        // A wide character left a column free: the ellipsis goes there.
                        set("…", width: 1, x: cx, y: y, style: style)
                        cx += 1
                    } else if let last, last.x >= 0 {
                        set("…", width: 1, x: last.x, y: y, style: style)
                        if last.width == 2 { set(" ", width: 1, x: last.x + 1, y: y, style: style) }
                    }
                }
                break
            }
            if cx >= 0 {
                set(String(g), width: w, x: cx, y: y, style: style)
                last = (cx, w)
            } else if cx + w > 0 {
                // A wide char cut by the left edge: show its visible half as a space.
                set(" ", width: 1, x: 0, y: y, style: style)
            }
            cx += w
            index = text.index(after: index)
        }
        return max(0, cx - max(x, 0))
    }

    /// Writes styled spans one after another; returns the columns written.
    @discardableResult
    public mutating func put(spans: [Span], x: Int, y: Int, maxWidth: Int? = nil) -> Int {
        var cx = x
        let limit = maxWidth.map { x + $0 }
        for span in spans {
            let room = limit.map { max(0, $0 - cx) }
            if room == 0 { break }
            cx += put(span.text, x: cx, y: y, style: span.style, maxWidth: room)
        }
        return cx - x
    }

    /// Fills `rect` (clipped to the buffer) with `character` in `style`.
    public mutating func fill(_ rect: Rect, style: Style, character: Character = " ") {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        let w = TextWidth.width(of: character)
        let text = w == 1 ? String(character) : " "
        for y in r.y..<r.maxY {
            if r.x > 0, self[r.x, y].isContinuation { cells[y * size.width + r.x - 1].text = " " }
            if r.maxX < size.width, self[r.maxX, y].isContinuation { cells[y * size.width + r.maxX].text = " " }
            for x in r.x..<r.maxX {
                cells[y * size.width + x] = Cell(text: text, style: style)
            }
        }
    }

    /// Changes the style of the cells in `rect`, keeping their text.
    public mutating func setStyle(_ rect: Rect, style: Style) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * size.width + x].style = style }
        }
    }

    /// Row `y` as text, trailing spaces trimmed.
    public func row(_ y: Int) -> String {
        guard y >= 0, y < size.height else { return "" }
        var s = ""
        for x in 0..<size.width { s += cells[y * size.width + x].text }
        while s.last == " " { s.removeLast() }
        return s
    }

    /// Every row (trailing spaces trimmed) joined by "\n".
    public func text() -> String {
        (0..<size.height).map(row).joined(separator: "\n")
    }

    /// The text within `rect`, one line per row, trailing spaces trimmed.
    public func text(in rect: Rect) -> String {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return "" }
        return (r.y..<r.maxY).map { y in
            var s = ""
            for x in r.x..<r.maxX { s += cells[y * size.width + x].text }
            while s.last == " " { s.removeLast() }
            return s
        }.joined(separator: "\n")
    }
}
