import Foundation

/// Decides when an inbox file has stopped changing and may be claimed.
///
/// A file is ready once its size and modification time have stayed the same for the settle interval,
/// measured by the `now` the caller passes in, never by the file's own modification time: a copy can
/// carry an old one. Any change restarts the file's clock. The tracker does no I/O; feed it each scan.
public struct SettleTracker: Sendable {
    /// What was last seen at one path, and since when.
    private struct Sighting: Sendable {
        var size: Int64
        var modified: Date
        var since: Date
    }

    private let settleInterval: Duration
    private var sightings: [String: Sighting] = [:]

    /// A tracker that holds a file back until it has been unchanged for `settleInterval`.
    public init(settleInterval: Duration) {
        self.settleInterval = settleInterval
    }

    /// Records one scan's candidates at `now` and returns those that have settled, in the candidates' order.
    ///
    /// A file seen for the first time is not ready on that call unless the interval is zero. A file stays
    /// ready on later calls while it is unchanged. Paths missing from `candidates` are forgotten, so a
    /// file that comes back starts over.
    ///
    /// - Note: If `now` is earlier than a file was first seen with its size and time (the clock was set
    ///   back), the file's clock restarts at `now` rather than waiting for the old moment to come round.
    public mutating func ready(_ candidates: [InboxFile], now: Date) -> [InboxFile] {
        var seen: [String: Sighting] = [:]
        var settled: [InboxFile] = []
        for file in candidates {
            var sighting = Sighting(size: file.size, modified: file.modified, since: now)
            if let earlier = sightings[file.path], earlier.size == file.size, earlier.modified == file.modified,
                earlier.since <= now
            {
                sighting.since = earlier.since
            }
            seen[file.path] = sighting
            if Duration.seconds(now.timeIntervalSince(sighting.since)) >= settleInterval {
                settled.append(file)
            }
        }
        sightings = seen
        return settled
    }

    /// Forgets `path`, for a file that has been claimed: a new file at the same path starts over.
    public mutating func forget(_ path: String) {
        sightings[path] = nil
    }
}
