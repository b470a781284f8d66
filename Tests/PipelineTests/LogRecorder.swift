import Foundation
import JasperSim
import Pipeline
import Synchronization

/// An event log whose lines a test can read back.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])
    private let clock: ManualClock

    init(clock: ManualClock) { self.clock = clock }

    /// A log writing into this recorder, stamped with the test's clock.
    var log: EventLog {
        EventLog(now: { [clock] in clock.now }) { [self] line in lines.withLock { $0.append(line) } }
    }

    /// Every line so far, each ending in a line break.
    var text: String { lines.withLock { $0.joined() } }

    /// The lines of one event (`event=NAME`).
    func events(_ name: String) -> [String] {
        lines.withLock { $0.filter { $0.contains(" event=\(name) ") || $0.hasSuffix(" event=\(name)\n") } }
    }
}
