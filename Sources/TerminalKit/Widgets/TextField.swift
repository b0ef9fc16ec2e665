/// The editable contents of a one-line input: text, cursor and what it accepts.
public struct TextFieldState: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case text
        /// Digits only, with an optional leading minus.
        case integer(allowNegative: Bool)
    }

    /// What a key did to the field.
    public enum Change: Hashable, Sendable {
        case edited, moved, ignored
    }

    public private(set) var text: String
    /// Cursor position in characters (graphemes), 0...text.count.
    public private(set) var cursor: Int
    /// The whole text is selected: the first typed character replaces it (a field that shows
    /// a value gets focus this way); Backspace, Delete and the arrows edit it instead.
    public private(set) var isSelected = false
    public var kind: Kind
    public var maxLength: Int?

    public init(text: String = "", kind: Kind = .text, maxLength: Int? = nil) {
        let clean = TextWidth.sanitize(text)
        self.text = clean
        self.cursor = clean.count
        self.kind = kind
        self.maxLength = maxLength
    }

    /// A field for whole numbers.
    public static func numeric(_ value: Int? = nil, allowNegative: Bool = false, maxLength: Int? = 10) -> TextFieldState {
        TextFieldState(text: value.map(String.init) ?? "", kind: .integer(allowNegative: allowNegative), maxLength: maxLength)
    }

    public var intValue: Int? { Int(text) }

    /// For numeric fields: nil when valid, else a short message.
    public func integerError(range: ClosedRange<Int>? = nil, required: Bool = true) -> String? {
        if text.isEmpty { return required ? "Required" : nil }
        guard let v = Int(text) else { return "Enter a whole number" }
        if let range, !range.contains(v) {
            return "Must be \(range.lowerBound)–\(range.upperBound)"
        }
        return nil
    }

    /// Replaces the text and puts the cursor at its end.
    public mutating func setText(_ newText: String) {
        text = ""
        cursor = 0
        isSelected = false
        insert(newText)
    }

    public mutating func clear() {
        text = ""
        cursor = 0
        isSelected = false
    }

    /// Selects the whole text (nothing when empty), with the cursor at its end: what a field
    /// showing a value does when it gets focus.
    public mutating func selectAll() {
        isSelected = !text.isEmpty
        cursor = text.count
    }

    public func accepts(_ c: Character, at position: Int) -> Bool {
        switch kind {
        case .text:
            return TextWidth.width(of: c) > 0 || c.unicodeScalars.allSatisfy { $0.properties.generalCategory != .control }
        case .integer(let allowNegative):
            if c.isASCII, c.isNumber { return true }
            return allowNegative && c == "-" && position == 0 && !text.hasPrefix("-")
        }
    }

    /// Inserts at the cursor whatever of `string` the field accepts (a paste).
    @discardableResult
    public mutating func insert(_ string: String) -> Bool {
        if isSelected {
            // Typing over a selected value replaces it — unless nothing typed is accepted.
            var fresh = self
            fresh.clear()
            guard fresh.insert(string) else { return false }
            self = fresh
            return true
        }
        var changed = false
        for c in TextWidth.sanitize(string) {
            if let maxLength, text.count >= maxLength { break }
            guard accepts(c, at: cursor) else { continue }
            let i = text.index(text.startIndex, offsetBy: cursor)
            text.insert(c, at: i)
            cursor += 1
            changed = true
        }
        return changed
    }

    @discardableResult
    public mutating func backspace() -> Bool {
        guard cursor > 0 else { return false }
        let i = text.index(text.startIndex, offsetBy: cursor - 1)
        text.remove(at: i)
        cursor -= 1
        return true
    }

    @discardableResult
    public mutating func deleteForward() -> Bool {
        guard cursor < text.count else { return false }
        text.remove(at: text.index(text.startIndex, offsetBy: cursor))
        return true
    }

    /// Deletes the word before the cursor (Ctrl-W).
    @discardableResult
    public mutating func deleteWordBackward() -> Bool {
        guard cursor > 0 else { return false }
        let chars = Array(text)
        var start = cursor
        while start > 0, chars[start - 1] == " " { start -= 1 }
        while start > 0, chars[start - 1] != " " { start -= 1 }
        text = String(chars[..<start] + chars[cursor...])
        cursor = start
        return true
    }

    /// Deletes from the cursor to the end (Ctrl-K).
    @discardableResult
    public mutating func killToEnd() -> Bool {
        guard cursor < text.count else { return false }
        text = String(text.prefix(cursor))
        return true
    }

    public mutating func moveCursor(to position: Int) {
        cursor = min(max(0, position), text.count)
    }

    /// Editing keys: characters, Backspace, Del, ←/→, Home/End (and Ctrl-A/E),
    /// Ctrl-U clear, Ctrl-K kill to end, Ctrl-W delete word.
    @discardableResult
    public mutating func handle(_ key: Key) -> Change {
        let before = (text, cursor, isSelected)
        if isSelected {
            switch key {
            case .char: break   // replaces the selection (insert)
            case .backspace, .delete, .ctrl("d"), .left, .right, .home, .end, .ctrl("a"), .ctrl("e"),
                 .ctrl("b"), .ctrl("f"), .ctrl("k"), .ctrl("w"):
                isSelected = false   // edit the value instead of replacing it
            default: break
            }
        }
        switch key {
        case .char(let c): insert(String(c))
        case .backspace: backspace()
        case .delete, .ctrl("d"): deleteForward()
        case .left, .ctrl("b"): moveCursor(to: cursor - 1)
        case .right, .ctrl("f"): moveCursor(to: cursor + 1)
        case .home, .ctrl("a"): moveCursor(to: 0)
        case .end, .ctrl("e"): moveCursor(to: text.count)
        case .ctrl("u"): clear()
        case .ctrl("k"): killToEnd()
        case .ctrl("w"): deleteWordBackward()
        default: return .ignored
        }
        if text != before.0 { return .edited }
        return cursor != before.1 || isSelected != before.2 ? .moved : .ignored
    }
}

/// Draws a labelled one-line input.
public enum TextField {
    /// Draws "Label  [text      ]" on the first row of `area`. An error goes
    /// on the row below when `area` has two rows, else beside the input. When
    /// focused, the cursor cell is drawn reversed. Returns the input's rect
    /// (to anchor a completion list under it).
    @discardableResult
    public static func render(label: String, state: TextFieldState, focused: Bool, error: String? = nil,
                              area: Rect, buffer: inout ScreenBuffer, theme: Theme,
                              labelWidth: Int? = nil, fieldWidth: Int? = nil,
                              placeholder: String? = nil) -> Rect {
        guard !area.isEmpty else { return area }
        let lw = labelWidth ?? (label.isEmpty ? 0 : TextWidth.width(of: label))
        var x = area.x
        if lw > 0 {
            buffer.put(TextWidth.pad(label, toWidth: lw), x: x, y: area.y,
                       style: theme.style(focused ? .title : .normal), maxWidth: area.maxX - x)
            x += lw + 1
        }
        let errorInline = error != nil && area.height < 2
        let errorText = error.map { " " + $0 } ?? ""
        var available = max(0, area.maxX - x)
        if errorInline { available = max(min(available, 6), available - TextWidth.width(of: errorText)) }
        let inputWidth = min(available, fieldWidth ?? available)
        let input = Rect(x: x, y: area.y, width: inputWidth, height: 1)
        let style = error != nil && !focused
            ? theme.style(.input).patched(with: theme.style(.inputError))
            : theme.style(focused ? .inputFocused : .input)
        buffer.fill(input, style: style)

        if inputWidth > 0 {
            if state.text.isEmpty, !focused, let placeholder {
                buffer.put(placeholder, x: input.x, y: input.y, style: style.adding(.dim),
                           maxWidth: inputWidth)
            }
            // Scroll so the cursor (one column past the text when at the end) stays visible.
            let chars = Array(state.text)
            var cursorCol = 0
            for c in chars.prefix(state.cursor) { cursorCol += TextWidth.width(of: c) }
            let cursorWidth = state.cursor < chars.count ? max(1, TextWidth.width(of: chars[state.cursor])) : 1
            let start = max(0, cursorCol + cursorWidth - inputWidth)
            var col = 0
            var cx = input.x
            for (i, c) in chars.enumerated() {
                let w = TextWidth.width(of: c)
                defer { col += w }
                if col < start { continue }
                if cx + w > input.maxX { break }
                var cellStyle = style
                if focused && state.isSelected { cellStyle = theme.style(.selection) }
                else if focused && i == state.cursor { cellStyle = cursorStyle(style) }
                buffer.put(String(c), x: cx, y: input.y, style: cellStyle)
                cx += w
            }
            if focused && state.cursor >= chars.count && cx < input.maxX {
                buffer.put(" ", x: cx, y: input.y, style: cursorStyle(style))
            }
        }

        if let error {
            if errorInline {
                buffer.put(errorText, x: input.maxX, y: area.y, style: theme.style(.inputError),
                           maxWidth: area.maxX - input.maxX)
            } else {
                buffer.put(error, x: input.x, y: area.y + 1, style: theme.style(.inputError),
                           maxWidth: area.maxX - input.x)
            }
        }
        return input
    }

    static func cursorStyle(_ style: Style) -> Style {
        var s = style
        if s.attrs.contains(.reverse) { s.attrs.remove(.reverse) } else { s.attrs.insert(.reverse) }
        return s
    }
}
