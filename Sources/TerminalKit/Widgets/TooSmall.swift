/// The message shown instead of the UI when the terminal is below the minimum size.
public enum TooSmall {
    public static func message(size: Size, minimum: Size) -> String {
        "Terminal too small: need at least \(minimum.width)×\(minimum.height), have \(size.width)×\(size.height)"
    }

    /// If `buffer` is smaller than `minimum`, clears it, draws the message
    /// centred (wrapped when narrow) and returns true; otherwise returns false
    /// and draws nothing.
    @discardableResult
    public static func render(minimum: Size, buffer: inout ScreenBuffer, theme: Theme) -> Bool {
        let size = buffer.size
        guard !size.fits(minimum) else { return false }
        buffer.fill(buffer.area, style: theme.style(.normal))
        let lines = TextWidth.wrap(message(size: size, minimum: minimum), width: max(1, size.width))
        let top = max(0, (size.height - lines.count) / 2)
        for (i, line) in lines.enumerated() where top + i < size.height {
            let w = TextWidth.width(of: line)
            buffer.put(line, x: max(0, (size.width - w) / 2), y: top + i, style: theme.style(.warning))
        }
        return true
    }
}
