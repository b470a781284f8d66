import Dispatch

/// Blocking file work (reading and parsing a dropped file, hashing it, writing outbox files,
/// scanning the inbox, moving files) runs here, on threads of its own, never on Swift's
/// cooperative pool, which must stay free for the fan-out's tasks.
enum FileWork {
    private static let queue = DispatchQueue(label: "bulkdrop.files", attributes: .concurrent)

    /// Runs `body` on a file-work thread and returns its result to the waiting task.
    static func run<T: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> T)
        async throws(Failure) -> T
    {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, Failure>, Never>) in
            queue.async { continuation.resume(returning: Result(catching: body)) }
        }
        return try result.get()
    }
}
