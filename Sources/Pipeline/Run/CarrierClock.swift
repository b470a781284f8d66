import Foundation
import Jasper
import Synchronization

/// How far Control Center's clock is from ours, learnt once per run from one device it just
/// changed (its `dateUpdated` against when we saw the edit accepted), so a device listing can
/// start just before a chunk's first edit instead of a generous margin earlier: a listing that
/// starts too early pages through devices confirmed before, one too late misses devices (which
/// are then read one by one: more calls, never a wrong outcome).
final class CarrierClock: Sendable {
    private let offset = Mutex<TimeInterval?>(nil)

    /// The margin kept on top of the measured offset (network time, rounding).
    static let margin: TimeInterval = 1
    /// The margin while the offset is not known.
    static let unknownMargin: TimeInterval = 60

    /// Where a listing of the devices changed since `date` (our clock) starts, in our clock.
    func listingStart(forChangesSince date: Date) -> Date {
        guard let offset = offset.withLock({ $0 }) else { return date - Self.unknownMargin }
        return date + offset - Self.margin
    }

    var isKnown: Bool { offset.withLock { $0 != nil } }

    /// Learns the offset from a device that shows an edit accepted at `acceptedAt` (our clock).
    func learn(from device: JasperDevice, acceptedAt: Date) {
        guard let updated = device.dateUpdated.flatMap(JasperTimestamp.parse) else { return }
        offset.withLock { $0 = $0 ?? min(0, updated.timeIntervalSince(acceptedAt)) }
    }
}
