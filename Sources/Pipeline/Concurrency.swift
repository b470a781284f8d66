/// Runs `body(0..<count)` with at most `width` calls in flight: a bounded task group.
///
/// After the first failure no further index is started; the calls already running finish (a
/// carrier call is never abandoned half way), and then that first failure is thrown.
public func forEachConcurrently<Failure: Error>(
    count: Int, width: Int, _ body: @escaping @Sendable (Int) async throws(Failure) -> Void
) async throws(Failure) {
    let firstFailure = await withTaskGroup(of: Failure?.self) { group -> Failure? in
        var next = 0
        var failure: Failure?
        func start() {
            let index = next
            group.addTask {
                do throws(Failure) {
                    try await body(index)
                    return nil
                } catch {
                    return error
                }
            }
            next += 1
        }
        while next < min(width, count) { start() }
        while let finished = await group.next() {
            if failure == nil, let finished { failure = finished }
            if failure == nil, next < count { start() }
        }
        return failure
    }
    if let firstFailure { throw firstFailure }
}

/// Seconds in a `Duration`, as a `Double`.
extension Duration {
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
