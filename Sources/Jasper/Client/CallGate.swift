import Synchronization

/// Closed when BulkDrop stops: from then on no Control Center call starts (a call already on the
/// wire finishes and is recorded), retries included, so a stop never waits for new work.
public final class CallGate: Sendable {
    private let closed = Atomic<Bool>(false)

    public init() {}

    /// No call starts after this.
    public func close() {
        closed.store(true, ordering: .releasing)
    }

    public var isClosed: Bool { closed.load(ordering: .acquiring) }
}
