import TerminalKit

/// Maps theme colours onto what the terminal has: palette numbers beyond
/// COLORS are approximated (256 → 16 by nearest RGB, 16 → 8 by dropping
/// brightness), and `.default` becomes -1 (use_default_colors).
struct ColorMapping: Sendable {
    let colors: Int

    func number(for color: Color) -> Int32 {
        guard let n = color.paletteIndex else { return -1 }
        return Int32(approximate(n))
    }

    func approximate(_ n: Int) -> Int {
        if colors <= 0 { return -1 }
        if n < colors { return n }
        if n >= 16 { return approximate(Self.nearestANSI(to: Self.rgb(of: n))) }
        return n >= 8 ? n - 8 : n % max(1, colors)
    }

    /// xterm's RGB for a palette entry.
    static func rgb(of n: Int) -> (Int, Int, Int) {
        switch n {
        case 0..<16:
            return ansiRGB[n]
        case 16..<232:
            let i = n - 16
            let steps = [0, 95, 135, 175, 215, 255]
            return (steps[i / 36], steps[(i / 6) % 6], steps[i % 6])
        default:
            let v = 8 + (n - 232) * 10
            return (v, v, v)
        }
    }

    static let ansiRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func nearestANSI(to rgb: (Int, Int, Int)) -> Int {
        var best = 0
        var bestDistance = Int.max
        for (i, c) in ansiRGB.enumerated() {
            let d = (c.0 - rgb.0) * (c.0 - rgb.0) + (c.1 - rgb.1) * (c.1 - rgb.1) + (c.2 - rgb.2) * (c.2 - rgb.2)
            if d < bestDistance {
                bestDistance = d
                best = i
            }
        }
        return best
    }
}
