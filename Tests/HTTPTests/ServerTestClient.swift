import Glibc
import HTTP
import Synchronization

/// Runs blocking work (socket calls, joins, semaphores) on a thread of its own and waits for it without holding
/// one of Swift's cooperative threads.
///
/// Swift Testing cannot tell which test an `#expect` on another thread belongs to, so `body` returns what it saw
/// (or throws) and the test checks it.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let thread = Mutex<DedicatedThread?>(nil)
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>, Never>) in
        thread.withLock { thread in
            thread = DedicatedThread { continuation.resume(returning: Result { try body() }) }
        }
    }
    thread.withLock { $0 }?.join()
    return try result.get()
}

/// A socket call in a test client failed.
struct TestClientError: Error, CustomStringConvertible {
    let description: String

    init(_ call: String, _ code: Int32 = errno) {
        description = "\(call): \(String(cString: strerror(code)))"
    }
}

/// A response as the test client read it off the wire.
struct WireResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking HTTP/1.1 client on a raw socket, so tests see exactly the bytes the server sends.
///
/// Reads give up after `receiveTimeout`, so a server that never answers fails the test instead of hanging it.
final class RawClient: @unchecked Sendable {  // used by one thread at a time
    static let receiveTimeout = 10

    private var descriptor: Int32
    private var buffered: [UInt8] = []

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestClientError("socket") }
        var timeout = timeval(tv_sec: Self.receiveTimeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // On failure deinit closes the descriptor.
        guard Self.connect(descriptor, port: port) == 0 else { throw TestClientError("connect to port \(port)") }
    }

    deinit {
        close()
    }

    /// Closes the connection (again is fine).
    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    /// Whether connecting to `port` on 127.0.0.1 is refused.
    static func connectionRefused(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(descriptor) }
        return connect(descriptor, port: port) != 0 && errno == ECONNREFUSED
    }

    private static func connect(_ descriptor: Int32, port: Int) -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { throw TestClientError("send") }
            offset += count
        }
    }

    /// Reads one response; nil if the server closed the connection before sending a byte of it.
    ///
    /// - Parameter bodyless: the answer to HEAD, which has `Content-Length` but no body.
    func readResponse(bodyless: Bool = false) throws -> WireResponse? {
        guard let head = try readHead() else { return nil }
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines[0].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1", let status = Int(statusLine[1]) else {
            throw TestClientError("bad status line \(lines[0])", 0)
        }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() where !line.isEmpty {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers.add(String(parts[0]), parts.count > 1 ? String(parts[1].drop { $0 == " " }) : "")
        }
        let length = bodyless ? 0 : Int(headers["Content-Length"] ?? "0") ?? 0
        while buffered.count < length {
            guard try receive() else { throw TestClientError("body cut short", 0) }
        }
        let body = Array(buffered.prefix(length))
        buffered.removeFirst(length)
        return WireResponse(status: status, headers: headers, body: body)
    }

    /// Reads one response, throwing if the server closed the connection instead.
    func response(bodyless: Bool = false) throws -> WireResponse {
        guard let response = try readResponse(bodyless: bodyless) else { throw TestClientError("no response", 0) }
        return response
    }

    /// Reads one line-terminated head, such as `HTTP/1.1 100 Continue`; nil at the end of the stream.
    func readHead() throws -> String? {
        while true {
            if let end = headEnd() {
                let head = String(decoding: buffered[..<end], as: UTF8.self)
                buffered.removeFirst(end)
                return head
            }
            guard try receive() else {
                if buffered.isEmpty { return nil }
                throw TestClientError("stream ended inside a head", 0)
            }
        }
    }

    /// Reads until the server closes the connection and returns what came; throws if it does not close in time.
    func readToEnd() throws -> [UInt8] {
        while try receive() {}
        defer { buffered.removeAll() }
        return buffered
    }

    /// Closes at once with a reset instead of the usual goodbye.
    func reset() {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    private func headEnd() -> Int? {
        guard buffered.count >= 4 else { return nil }
        for index in 0...(buffered.count - 4) where buffered[index..<index + 4].elementsEqual("\r\n\r\n".utf8) {
            return index + 4
        }
        return nil
    }

    /// Appends what arrives; false at the end of the stream (or a reset).
    private func receive() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffered += chunk[..<count]
                return true
            }
            if count == 0 { return false }
            switch errno {
            case EINTR: continue
            case ECONNRESET: return false
            default: throw TestClientError("recv")
            }
        }
    }
}
