import Synchronization

/// A `Clock` that moves only when the test moves it, so waits on it are exact and never real.
///
/// `sleep(until:)` suspends until `advance(to:)` reaches the deadline (or the task is cancelled).
/// `untilSleepers(_:)` suspends until that many sleeps are pending, so a test knows that whatever
/// it drives has settled into waiting before it moves time on: no real sleeps, no polling.
/// Made with a `tick`, the clock also moves on by that much after every reading of `now`, as a
/// real one does while code looks at it.
final class TestClock: Clock, Sendable {
    /// A point on the test clock: the time since the clock was made.
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
        /// Sleeps and watches cancelled before they were registered.
        var cancelled: Set<Int> = []
        var watchers: [(id: Int, count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        /// Moves to `offset` (never back) and takes the sleeps due by then, earliest first.
        mutating func move(to offset: Duration) -> [Sleeper] {
            now = Instant(offset: max(offset, now.offset))
            let due = sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { sleepers[id] = nil }
            return due.values.sorted { $0.deadline < $1.deadline }
        }

        /// Takes the watchers whose count of sleepers has been reached.
        mutating func satisfiedWatchers() -> [CheckedContinuation<Void, Never>] {
            let count = sleepers.count
            let satisfied = watchers.filter { $0.count <= count }.map(\.continuation)
            watchers.removeAll { $0.count <= count }
            return satisfied
        }
    }

    private let state = Mutex(State())
    private let tick: Duration

    init(tick: Duration = .zero) {
        self.tick = tick
    }

    var now: Instant {
        let (now, due) = state.withLock { state in
            let now = state.now
            return (now, tick > .zero ? state.move(to: now.offset + tick) : [])
        }
        for sleeper in due { sleeper.continuation.resume() }
        return now
    }
    var minimumResolution: Duration { .zero }

    /// The time since the clock was made.
    var elapsed: Duration { now.offset }

    /// The deadlines of the pending sleeps, earliest first.
    var deadlines: [Duration] { state.withLock { $0.sleepers.values.map(\.deadline.offset).sorted() } }

    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Registration { case cancelled, due, waiting([CheckedContinuation<Void, Never>]) }
                let registration = state.withLock { state -> Registration in
                    if state.cancelled.remove(id) != nil { return .cancelled }
                    if deadline <= state.now { return .due }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .waiting(state.satisfiedWatchers())
                }
                switch registration {
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .due: continuation.resume()
                case .waiting(let watchers): for watcher in watchers { watcher.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                guard let sleeper = state.sleepers.removeValue(forKey: id) else {
                    state.cancelled.insert(id)
                    return Sleeper?.none
                }
                return sleeper
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Suspends until at least `count` sleeps are pending, or the task is cancelled.
    func untilSleepers(_ count: Int) async {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waits = state.withLock { state in
                    guard state.sleepers.count < count, state.cancelled.remove(id) == nil else { return false }
                    state.watchers.append((id, count, continuation))
                    return true
                }
                if !waits { continuation.resume() }
            }
        } onCancel: {
            let watcher = state.withLock { state in
                guard let index = state.watchers.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)
                    return CheckedContinuation<Void, Never>?.none
                }
                return state.watchers.remove(at: index).continuation
            }
            watcher?.resume()
        }
    }

    /// Moves the clock to `offset` (never back) and wakes every sleep due by then, earliest first.
    func advance(to offset: Duration) {
        let due = state.withLock { $0.move(to: offset) }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits until a sleep is pending and returns the earliest deadline (`nil` when cancelled first).
    func nextDeadline() async -> Duration? {
        while !Task.isCancelled {
            await untilSleepers(1)
            // A sleep may have been cancelled since; then wait for the next one.
            if let next = deadlines.first { return next }
        }
        return nil
    }

    /// Waits until a sleep is pending, moves the clock to the earliest deadline and returns it
    /// (`nil` when cancelled first).
    @discardableResult
    func advanceToNextDeadline() async -> Duration? {
        guard let next = await nextDeadline() else { return nil }
        advance(to: next)
        return next
    }

    /// Moves the clock from each deadline to the next as soon as something sleeps, until cancelled:
    /// for a single task that reads the clock between its waits.
    func keepAdvancing() async {
        while await advanceToNextDeadline() != nil {}
    }
}
