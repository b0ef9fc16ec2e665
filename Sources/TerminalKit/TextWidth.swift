/// Display-width aware text helpers: how many terminal columns text takes,
/// cutting and padding by columns, and making database text safe to draw.
public enum TextWidth {
    public enum Alignment: Sendable, Hashable {
        case left, right, center
    }

    /// Columns the string takes on a terminal.
    public static func width(of string: String) -> Int {
        // Fast path: printable ASCII is one column per byte.
        if string.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return string.utf8.count }
        var total = 0
        for g in string { total += width(of: g) }
        return total
    }

    /// Columns one grapheme takes: 0, 1 or 2.
    public static func width(of grapheme: Character) -> Int {
        let scalars = grapheme.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F {
            return first.value >= 0x20 ? 1 : 0
        }
        // Emoji presentation: the base is an emoji shown as a picture, or a
        // text-default emoji followed by VS16, or a flag (two regional indicators).
        if first.properties.isEmojiPresentation { return 2 }
        if scalars.count > 1 && first.properties.isEmoji && scalars.contains(where: { $0.value == 0xFE0F }) {
            return 2
        }
        // A cluster's width is its base character's; marks and joiners add none.
        for s in scalars {
            let w = width(of: s)
            if w > 0 { return w }
        }
        return 0
    }

    /// Columns one scalar takes in isolation: 0 for controls, combining marks,
    /// format characters and Hangul medial/final jamo; 2 for East Asian Wide and
    /// Fullwidth and emoji-presentation characters; 1 otherwise.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control:
            return 0
        default:
            break
        }
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return 0 }   // Hangul jungseong/jongseong
        if v == 0x200B { return 0 }                                                      // zero width space
        if scalar.properties.isEmojiPresentation { return 2 }
        return isWide(v) ? 2 : 1
    }

    /// East Asian Width W or F (Unicode 15), excluding the emoji handled above.
    static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        var lo = 0, hi = wideRanges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = wideRanges[mid]
            if v < r.lowerBound { hi = mid - 1 } else if v > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    // Sorted, non-overlapping.
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x2FF0...0x2FFF, 0x3000...0x303E,
        0x3041...0x3096, 0x3099...0x30FF, 0x3105...0x312F, 0x3131...0x318E, 0x3190...0x31E3,
        0x31EF...0x321E, 0x3220...0x3247, 0x3250...0x4DBF, 0x4E00...0xA48C, 0xA490...0xA4C6,
        0xA960...0xA97C, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE52,
        0xFE54...0xFE66, 0xFE68...0xFE6B, 0xFF01...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x16FF0...0x16FF1, 0x17000...0x187F7, 0x18800...0x18CD5, 0x18D00...0x18D08,
        0x1AFF0...0x1AFF3, 0x1AFF5...0x1AFFB, 0x1AFFD...0x1AFFE, 0x1B000...0x1B122, 0x1B132...0x1B132,
        0x1B150...0x1B152, 0x1B155...0x1B155, 0x1B164...0x1B167, 0x1B170...0x1B2FB,
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
        0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265,
        0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA,
        0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440,
        0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A,
        0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC,
        0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC,
        0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF,
        0x1FA70...0x1FA7C, 0x1FA80...0x1FA88, 0x1FA90...0x1FABD, 0x1FABF...0x1FAC5, 0x1FACE...0x1FADB,
        0x1FAE0...0x1FAE8, 0x1FAF0...0x1FAF8, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// Cuts `string` to at most `width` columns, ending with `ellipsis` when
    /// something was cut. A wide character that would straddle the limit is
    /// dropped, so the result may be one column short.
    public static func truncate(_ string: String, toWidth width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if Self.width(of: string) <= width { return string }
        let ellipsisWidth = Self.width(of: ellipsis)
        let room = ellipsisWidth <= width ? width - ellipsisWidth : width
        var out = ""
        var used = 0
        for g in string {
            let w = Self.width(of: g)
            if used + w > room { break }
            out.append(g)
            used += w
        }
        guard ellipsisWidth <= width else { return out }
        while out.last == " " { out.removeLast() }   // "available.…", not "available. …"
        return out + ellipsis
    }

    /// Pads (or truncates with an ellipsis) to exactly `width` columns.
    public static func pad(_ string: String, toWidth width: Int, alignment: Alignment = .left) -> String {
        guard width > 0 else { return "" }
        let cut = truncate(string, toWidth: width)
        let gap = width - Self.width(of: cut)
        if gap <= 0 { return cut }
        switch alignment {
        case .left: return cut + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + cut
        case .center:
            let left = gap / 2
            return String(repeating: " ", count: left) + cut + String(repeating: " ", count: gap - left)
        }
    }

    /// Wraps text at spaces into lines of at most `width` columns; words longer
    /// than a line are broken. Sanitizes first.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in sanitize(String(paragraph)).split(separator: " ", omittingEmptySubsequences: true) {
                var word = String(word)
                var w = Self.width(of: word)
                if lineWidth > 0 && lineWidth + 1 + w <= width {
                    line += " " + word
                    lineWidth += 1 + w
                    continue
                }
                if lineWidth > 0 {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                while w > width {
                    var head = ""
                    var hw = 0
                    var rest = Substring(word)
                    while let g = rest.first, hw + Self.width(of: g) <= width {
                        head.append(g)
                        hw += Self.width(of: g)
                        rest = rest.dropFirst()
                    }
                    if head.isEmpty { head = String(rest.removeFirst()) }   // wider than the line: emit alone
                    lines.append(head)
                    word = String(rest)
                    w = Self.width(of: word)
                }
                line = word
                lineWidth = w
            }
            lines.append(line)
        }
        return lines
    }

    /// The replacement shown for a neutralised control character.
    public static let replacement = "\u{FFFD}"

    /// Makes text from the database safe to draw: whole escape sequences
    /// (CSI, OSC, DCS, SOS, PM, APC, two-byte ESC sequences, and their 8-bit C1
    /// forms) are dropped; tabs, newlines and other line breaks become one space;
    /// any other C0/C1 control or DEL becomes "\u{FFFD}"; bidi override/isolate
    /// controls are dropped so text cannot reorder what follows it.
    public static func sanitize(_ string: String) -> String {
        if string.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return string }
        var out = String.UnicodeScalarView()
        let scalars = Array(string.unicodeScalars)
        var i = 0
        let n = scalars.count

        func skipString(from start: Int) -> Int {
            // Skips a control string up to and including its terminator: BEL, ESC \ or ST (0x9C).
            var j = start
            while j < n {
                let v = scalars[j].value
                if v == 0x07 || v == 0x9C { return j + 1 }
                if v == 0x1B {
                    return (j + 1 < n && scalars[j + 1] == "\\") ? j + 2 : j + 1
                }
                j += 1
            }
            return n
        }
        func skipCSI(from start: Int) -> Int {
            var j = start
            while j < n {
                let v = scalars[j].value
                if v >= 0x40 && v <= 0x7E { return j + 1 }      // final byte
                if v < 0x20 || v > 0x7E { return j }            // malformed: stop before it
                j += 1
            }
            return n
        }

        while i < n {
            let s = scalars[i]
            let v = s.value
            switch v {
            case 0x1B:
                guard i + 1 < n else { out.append("\u{FFFD}"); i += 1; continue }
                let next = scalars[i + 1].value
                switch next {
                case 0x5B: i = skipCSI(from: i + 2)                           // ESC [
                case 0x5D, 0x50, 0x58, 0x5E, 0x5F: i = skipString(from: i + 2) // ESC ] P X ^ _
                case 0x20...0x2F:                                              // ESC intermediates final
                    var j = i + 1
                    while j < n, (0x20...0x2F).contains(scalars[j].value) { j += 1 }
                    i = min(n, j + 1)
                case 0x30...0x7E: i += 2                                       // ESC c, ESC 7, ...
                default:
                    out.append("\u{FFFD}")
                    i += 1
                }
            case 0x9B: i = skipCSI(from: i + 1)
            case 0x9D, 0x90, 0x98, 0x9E, 0x9F: i = skipString(from: i + 1)
            case 0x0D:
                out.append(" ")
                i += (i + 1 < n && scalars[i + 1].value == 0x0A) ? 2 : 1
            case 0x09, 0x0A, 0x0B, 0x0C, 0x85, 0x2028, 0x2029:
                out.append(" ")
                i += 1
            case 0x00...0x1F, 0x7F...0x9F:
                out.append("\u{FFFD}")
                i += 1
            case 0x202A...0x202E, 0x2066...0x2069:
                i += 1
            default:
                out.append(s)
                i += 1
            }
        }
        return String(out)
    }
}
