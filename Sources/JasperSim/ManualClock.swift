import Foundation
import Synchronization

/// A calendar clock moved by hand, for tests and rehearsals: give `{ clock.now }` to the
/// simulator and the pipeline, then `advance` it instead of waiting.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func advance(days: Double = 0, seconds: Double = 0) {
        current.withLock { $0 = $0.addingTimeInterval(days * 86_400 + seconds) }
    }

    public func advance(by duration: Duration) {
        advance(seconds: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
