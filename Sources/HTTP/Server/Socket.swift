import Glibc

extension HTTPServer {
    /// One open socket descriptor, closed when the last reference to it goes away.
    ///
    /// The server shares a connection's `Socket` between the thread serving it and the registry that `shutdown()`
    /// walks, so the descriptor cannot be closed, and its number reused by another connection, while either of them
    /// may still call `shutdown(2)` on it.
    final class Socket: Sendable {
        let descriptor: Int32

        init(descriptor: Int32) {
            self.descriptor = descriptor
        }

        deinit {
            close(descriptor)
        }

        /// Reads what has arrived, up to `buffer.count` bytes, waiting for at least one.
        ///
        /// - Returns: the number of bytes read; 0 when there is nothing more to read: the peer closed or reset the
        ///   connection, the socket was shut down, or the receive timeout passed.
        func receive(into buffer: UnsafeMutableRawBufferPointer) -> Int {
            while true {
                let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
                if count >= 0 { return count }
                if errno != EINTR { return 0 }
            }
        }

        /// Sends every byte, never raising `SIGPIPE`.
        ///
        /// - Parameter more: more bytes follow at once, so the kernel may hold these back to fill a segment.
        /// - Returns: false if the connection broke first.
        func send(_ bytes: UnsafeRawBufferPointer, more: Bool = false) -> Bool {
            let flags = Int32(MSG_NOSIGNAL) | (more ? Int32(MSG_MORE) : 0)
            var rest = bytes
            while !rest.isEmpty {
                let count = Glibc.send(descriptor, rest.baseAddress, rest.count, flags)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                rest = UnsafeRawBufferPointer(rebasing: rest[count...])
            }
            return true
        }

        /// Sends every byte of `bytes`; see `send(_:more:)`.
        func send(_ bytes: [UInt8], more: Bool = false) -> Bool {
            bytes.withUnsafeBytes { send($0, more: more) }
        }

        /// Shuts down reading and writing, which wakes a thread blocked in `accept`, `recv` or `send` on this socket.
        func shutdownBoth() {
            _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
        }

        /// Shuts down writing only: the peer reads the end of the stream, and this side can still read.
        func shutdownWriting() {
            _ = Glibc.shutdown(descriptor, Int32(SHUT_WR))
        }

        /// Sets an integer socket option; failures are ignored (the options used here are hints).
        func setOption(level: Int32, name: Int32, value: Int32) {
            var value = value
            _ = setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }

        /// Makes a blocking `receive` give up after `timeout` (whole milliseconds) without data.
        func setReceiveTimeout(_ timeout: Duration) {
            let (seconds, attoseconds) = timeout.components
            var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000_000) * 1000)
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        /// What one `accept` call produced.
        enum Accepted {
            case connection(Socket)
            /// The call failed with this `errno` value.
            case failed(errno: Int32)
        }

        /// Waits for the next connection on this listening socket (`EINTR` is retried here).
        ///
        /// The new descriptor is marked close-on-exec (`accept4` is not visible to Swift), so a child process started
        /// meanwhile may briefly inherit it; nothing here starts processes.
        func accept() -> Accepted {
            while true {
                let descriptor = Glibc.accept(self.descriptor, nil, nil)
                if descriptor >= 0 {
                    _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
                    return .connection(Socket(descriptor: descriptor))
                }
                if errno != EINTR { return .failed(errno: errno) }
            }
        }

        /// The text of an `errno` value, as `strerror` gives it.
        static func errorText(_ code: Int32) -> String {
            String(cString: strerror(code))
        }
    }
}
