import Glibc

/// A POSIX thread of our own, for blocking work that must never run on Swift's cooperative pool
/// (libcurl's event loop, a server's blocking sockets).
public final class DedicatedThread: Sendable {
    private let handle: pthread_t

    /// Starts `body` on a new thread with the given stack size.
    public init(stackSize: Int = 512 * 1024, _ body: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        // The box is retained here and released by the thread once it has taken the closure.
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(
            &handle, &attributes,
            { context in
                let body = Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue()
                body.run()
                return nil
            }, box)
        precondition(result == 0, "pthread_create failed: \(String(cString: strerror(result)))")
        self.handle = handle
    }

    /// Waits until the thread has finished; call once.
    public func join() {
        pthread_join(handle, nil)
    }
}

private final class ThreadBody {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}
