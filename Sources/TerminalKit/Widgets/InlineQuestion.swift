/// One answer to an inline question.
public struct QuestionChoice<Value> {
    public var keys: [Key]
    public var label: String
    public var value: Value

    /// `key` is shown: "[Y]es" when the label starts with the key's letter,
    /// else "[Esc] Back". `alternates` also answer but are not shown.
    public init(_ key: Key, _ label: String, _ value: Value, alternates: [Key] = []) {
        self.keys = [key] + alternates
        self.label = label
        self.value = value
    }

    /// "[Y]es", "[Esc] back".
    public var displayText: String {
        guard let key = keys.first else { return label }
        if case .char(let c) = key, let first = label.first, first.lowercased() == c.lowercased() {
            return "[\(first.uppercased())]" + label.dropFirst()
        }
        return "[\(key.description)] \(label)"
    }
}

extension QuestionChoice: Sendable where Value: Sendable {}

/// A one-line question with keyed answers, shown inline under what it is
/// about: "Only 20 of 25 available. Split by availability?  [Y]es  [N]o  [Esc] back".
public struct InlineQuestion<Value> {
    public var text: String
    public var choices: [QuestionChoice<Value>]

    public init(_ text: String, choices: [QuestionChoice<Value>]) {
        self.text = text
        self.choices = choices
    }

    /// The answer for `key` (letters ignore case), or nil.
    public func answer(for key: Key) -> Value? {
        for choice in choices where choice.keys.contains(where: { $0.matches(key, ignoringCase: true) }) {
            return choice.value
        }
        return nil
    }

    public var choicesText: String {
        choices.map(\.displayText).joined(separator: "  ")
    }

    public var line: String { text + "  " + choicesText }

    /// Draws on the first row of `area`; the choices always show and the
    /// question text is cut first. Returns the x-range of each choice (for mouse).
    @discardableResult
    public func render(area: Rect, buffer: inout ScreenBuffer, theme: Theme) -> [Range<Int>] {
        guard !area.isEmpty else { return [] }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(row, style: theme.style(.normal))
        let choicesWidth = TextWidth.width(of: choicesText)
        let textRoom = max(0, area.width - choicesWidth - 2)
        var x = area.x
        if textRoom > 0 {
            x += buffer.put(TextWidth.truncate(text, toWidth: textRoom), x: x, y: area.y,
                            style: theme.style(.question))
            x += 2
        }
        var ranges: [Range<Int>] = []
        for (i, choice) in choices.enumerated() {
            if i > 0 { x += 2 }
            let start = x
            x += buffer.put(choice.displayText, x: x, y: area.y, style: theme.style(.footerKey),
                            maxWidth: max(0, area.maxX - x))
            ranges.append(start..<x)
        }
        return ranges
    }
}

extension InlineQuestion: Sendable where Value: Sendable {}
