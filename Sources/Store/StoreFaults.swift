import Synchronization

/// Picks which store writes fail, for tests: writes are numbered from 1 in the order they reach
/// the store's queue after the faults are injected, and a picked write fails before its
/// transaction begins, as a disk error would, so nothing of it is kept.
public final class StoreFaults: Sendable {
    private let writes = Mutex(0)
    private let picks: @Sendable (Int) -> Bool

    /// Fails the writes for whose number `picks` is true.
    public init(failing picks: @escaping @Sendable (Int) -> Bool) {
        self.picks = picks
    }

    /// Fails write `number` only.
    public static func write(_ number: Int) -> StoreFaults { StoreFaults { $0 == number } }

    /// Fails write `number` and every one after it: the database is gone for good, as for a
    /// process killed at that moment.
    public static func everyWrite(from number: Int) -> StoreFaults { StoreFaults { $0 >= number } }

    /// How many writes were attempted since the faults were injected.
    public var attempted: Int { writes.withLock { $0 } }

    /// Counts one write and throws when it is picked.
    func check() throws(StoreError) {
        let number = writes.withLock { count in
            count += 1
            return count
        }
        guard picks(number) else { return }
        throw .sqlite(
            operation: "write \(number) (an injected fault)", sql: nil, code: 10, message: "disk I/O error")
    }
}
