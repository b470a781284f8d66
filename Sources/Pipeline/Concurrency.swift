/// Runs `body(0..<count)` with at most `width` calls in flight: a bounded task group.
public func forEachConcurrently(
    count: Int, width: Int, _ body: @escaping @Sendable (Int) async -> Void
) async {
    await withTaskGroup(of: Void.self) { group in
        var next = 0
        while next < min(width, count) {
            let index = next
            group.addTask { await body(index) }
            next += 1
        }
        while await group.next() != nil, next < count {
            let index = next
            group.addTask { await body(index) }
            next += 1
        }
    }
}

/// Seconds in a `Duration`, as a `Double`.
extension Duration {
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
