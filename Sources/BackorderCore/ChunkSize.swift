import Foundation

/// How many lines the next chunk of a process run changes. A run works in chunks: after each,
/// it commits if another terminal waits to write (so a clerk waits for one chunk at most) and
/// goes on in the same transaction otherwise (a commit writes every page the slice dirtied; a
/// first cut that committed every ~20 ms, queue by queue, was seven times slower at a million
/// lines). Each chunk is sized from the last ones to take about `targetMs` — 5 ms: a clerk who
/// starts to wait mid-chunk waits for the rest of it, then for the slice's caches and commit
/// (20 ms chunks gave entry during a 1M run p99 95 ms, 5 ms ones 59; the run alone no slower);
/// `BACKORDERS_CHUNK_LINES` fixes the size instead and commits after every chunk (tests cut
/// small runs so).
public struct ChunkSize: Equatable, Sendable {
    public static let targetMs = 5.0
    public static let range = 64...(1 << 19)
    public var lines: Int
    /// Fixed: every chunk is a slice of its own.
    public let fixed: Bool

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let n = environment["BACKORDERS_CHUNK_LINES"].flatMap(Int.init), n > 0 {
            (lines, fixed) = (n, true)
        } else {
            (lines, fixed) = (1_024, false)
        }
    }

    /// After a chunk that changed `changed` lines in `ms`: halfway (geometrically) to the size
    /// that would have taken `targetMs`.
    public mutating func observe(changed: Int, ms: Double) {
        guard !fixed, changed > 0, ms > 0 else { return }
        let aimed = Double(changed) / ms * Self.targetMs
        let next = (Double(lines) * aimed).squareRoot()
        lines = min(Self.range.upperBound, max(Self.range.lowerBound, Int(next)))
    }
}
