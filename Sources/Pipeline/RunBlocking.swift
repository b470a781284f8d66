import Dispatch
import Synchronization

/// Runs async work to completion from a thread outside Swift's cooperative pool (the process's
/// main thread, or a connection thread of the status server), so waiting blocks nothing else.
///
/// - Parameter timeLimit: how long to wait; past it `BlockingTimeout` is thrown and the work is
///   cancelled (it finishes on its own, its result is dropped).
public func runBlocking<Value: Sendable>(
    timeLimit: Duration? = nil, _ work: @escaping @Sendable () async throws -> Value
) throws -> Value {
    let result = Mutex<Result<Value, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    let task = Task.detached {
        do {
            let value = try await work()
            result.withLock { $0 = .success(value) }
        } catch {
            result.withLock { $0 = .failure(error) }
        }
        done.signal()
    }
    if let timeLimit {
        let nanoseconds =
            Int(timeLimit.components.seconds) * 1_000_000_000 + Int(timeLimit.components.attoseconds / 1_000_000_000)
        guard done.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success else {
            task.cancel()
            throw BlockingTimeout(limit: timeLimit)
        }
    } else {
        done.wait()
    }
    return try result.withLock { $0! }.get()
}

/// Async work that `runBlocking` stopped waiting for.
public struct BlockingTimeout: Error, CustomStringConvertible {
    public let limit: Duration

    public var description: String { "no answer within \(limit.seconds) s" }
}
