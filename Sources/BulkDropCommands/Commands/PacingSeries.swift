/// Successful calls per whole second of a run, and from which second their rate held near a target.
struct PacingSeries: Sendable, Equatable {
    /// Calls finished in second 0, 1, 2… of the run.
    private(set) var perSecond: [Int] = []

    /// Counts a call that finished `elapsed` after the run started.
    mutating func record(at elapsed: Duration) {
        let second = max(0, Int(elapsed.components.seconds))
        if perSecond.count <= second { perSecond += Array(repeating: 0, count: second + 1 - perSecond.count) }
        perSecond[second] += 1
    }

    /// The whole seconds of a run that lasted `length`: its last, partial second is left out, since
    /// a rate over part of a second says nothing.
    func fullSeconds(of length: Duration) -> [Int] {
        let whole = Int(length.components.seconds)
        return (0..<whole).map { $0 < perSecond.count ? perSecond[$0] : 0 }
    }

    /// The first second from which every following one of `windows` is within `tolerance` (a
    /// fraction) of `target`; `nil` when even the last one is not, or there is none.
    static func settledAfter(_ windows: [Int], target: Int, tolerance: Double = 0.1) -> Int? {
        let allowed = Double(target) * tolerance
        var first: Int?
        for (second, count) in windows.enumerated().reversed() {
            guard abs(Double(count - target)) <= allowed else { break }
            first = second
        }
        return first
    }

    /// `windows` as `a,b,c`, at most `limit` of them, then how many more (`…+12`).
    static func text(_ windows: [Int], limit: Int = 60) -> String {
        let shown = windows.prefix(limit).map(String.init).joined(separator: ",")
        return windows.count > limit ? shown + ",…+\(windows.count - limit)" : shown
    }
}
