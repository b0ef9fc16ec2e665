/// The size of a terminal or buffer in character cells.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public static let zero = Size(width: 0, height: 0)

    /// True when both dimensions are at least those of `minimum`.
    public func fits(_ minimum: Size) -> Bool {
        width >= minimum.width && height >= minimum.height
    }

    public var description: String { "\(width)×\(height)" }
}

/// How much of one axis a layout slot takes.
public enum LayoutLength: Hashable, Sendable {
    /// Exactly `n` cells (or less, when the space runs out).
    case fixed(Int)
    /// `p` percent of the whole space (rounded down).
    case percent(Int)
    /// An equal share of what is left after the fixed and percent slots.
    case fill

    /// Resolves lengths against `total` cells.
    ///
    /// Fixed and percent slots are sized first, in order, each clamped to what
    /// is still free; fill slots share the remainder equally, the leftmost
    /// getting the odd cells. Optional per-slot `minimums`/`maximums` clamp the
    /// result (a fill slot that hits its maximum hands the excess to the other
    /// fill slots). The sum never exceeds `total`: when minimums do not fit,
    /// the slots at the end are cut.
    public static func resolve(
        _ lengths: [LayoutLength], total: Int,
        minimums: [Int]? = nil, maximums: [Int?]? = nil
    ) -> [Int] {
        let total = max(0, total)
        let count = lengths.count
        func minimum(_ i: Int) -> Int { max(0, minimums?[safe: i] ?? 0) }
        func maximum(_ i: Int) -> Int? { maximums?[safe: i] ?? nil }
        func clamp(_ value: Int, _ i: Int) -> Int {
            var v = max(value, minimum(i))
            if let m = maximum(i) { v = min(v, max(m, minimum(i))) }
            return v
        }

        var sizes = [Int](repeating: 0, count: count)
        var used = 0
        for (i, length) in lengths.enumerated() {
            switch length {
            case .fixed(let n):
                sizes[i] = clamp(max(0, n), i)
            case .percent(let p):
                sizes[i] = clamp(total * max(0, min(100, p)) / 100, i)
            case .fill:
                continue
            }
            used += sizes[i]
        }

        var fills = lengths.indices.filter { lengths[$0] == .fill }
        var remaining = max(0, total - used)
        // Settle fill slots whose min or max binds, then share the rest.
        while !fills.isEmpty {
            let share = remaining / fills.count
            var settled = false
            for i in fills {
                let clamped = clamp(share, i)
                if clamped != share {
                    sizes[i] = clamped
                    remaining = max(0, remaining - clamped)
                    fills.removeAll { $0 == i }
                    settled = true
                    break
                }
            }
            if settled { continue }
            let odd = remaining - share * fills.count
            for (n, i) in fills.enumerated() {
                sizes[i] = share + (n < odd ? 1 : 0)
            }
            fills.removeAll()
        }

        // Cut at the end so the slots never exceed the space.
        var left = total
        for i in 0..<count {
            sizes[i] = min(sizes[i], left)
            left -= sizes[i]
        }
        return sizes
    }
}

/// A rectangle of cells: `x`,`y` is the top-left corner.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public init(size: Size) {
        self.init(x: 0, y: 0, width: size.width, height: size.height)
    }

    public var size: Size { Size(width: width, height: height) }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }
    public var area: Int { width * height }

    public var description: String { "(\(x),\(y) \(width)×\(height))" }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// The overlap of two rectangles (empty, positioned at `self`, when none).
    public func intersection(_ other: Rect) -> Rect {
        let nx = max(x, other.x), ny = max(y, other.y)
        let nmx = min(maxX, other.maxX), nmy = min(maxY, other.maxY)
        if nmx <= nx || nmy <= ny { return Rect(x: nx, y: ny, width: 0, height: 0) }
        return Rect(x: nx, y: ny, width: nmx - nx, height: nmy - ny)
    }

    /// Shrinks every side by `n` cells.
    public func inset(by n: Int) -> Rect {
        inset(top: n, left: n, bottom: n, right: n)
    }

    public func inset(horizontal: Int = 0, vertical: Int = 0) -> Rect {
        inset(top: vertical, left: horizontal, bottom: vertical, right: horizontal)
    }

    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        let w = max(0, width - left - right)
        let h = max(0, height - top - bottom)
        return Rect(x: x + min(left, width), y: y + min(top, height), width: w, height: h)
    }

    /// Cuts with a horizontal line: the first `at` rows on top, the rest below.
    /// A negative `at` counts from the bottom (`-1` puts the last row below).
    public func splitHorizontally(at offset: Int) -> (top: Rect, bottom: Rect) {
        let cut = offset >= 0 ? min(offset, height) : max(0, height + offset)
        return (Rect(x: x, y: y, width: width, height: cut),
                Rect(x: x, y: y + cut, width: width, height: height - cut))
    }

    /// Stacks rows top to bottom with the given heights, `spacing` blank rows between.
    public func rows(_ heights: [LayoutLength], spacing: Int = 0) -> [Rect] {
        let gaps = max(0, spacing) * max(0, heights.count - 1)
        let sizes = LayoutLength.resolve(heights, total: height - gaps)
        var cy = y
        return sizes.map { h in
            defer { cy += h + max(0, spacing) }
            return Rect(x: x, y: min(cy, maxY), width: width, height: h)
        }
    }

    /// Places columns left to right with the given widths, `spacing` blank columns between.
    public func columns(_ widths: [LayoutLength], spacing: Int = 0) -> [Rect] {
        let gaps = max(0, spacing) * max(0, widths.count - 1)
        let sizes = LayoutLength.resolve(widths, total: width - gaps)
        var cx = x
        return sizes.map { w in
            defer { cx += w + max(0, spacing) }
            return Rect(x: min(cx, maxX), y: y, width: w, height: height)
        }
    }

    /// A rectangle of at most the given size centred in this one.
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width), ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
