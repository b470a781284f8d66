import Glibc

extension HTTPServer.Socket {
    /// Opens a listening socket on `host` and `port` (0 lets the system choose) with `SO_REUSEADDR`.
    ///
    /// `host` is an IP address or a name; when a name has both, an IPv4 address is tried first.
    ///
    /// - Returns: the socket and the port it is bound to.
    /// - Throws: `HTTPServerError` naming the address and the system's reason.
    static func listen(host: String, port: Int, backlog: Int32) throws(HTTPServerError) -> (HTTPServer.Socket, Int) {
        guard (0...65535).contains(port) else { throw .invalidPort(port) }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            throw .cannotResolve(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }

        var addresses: [addrinfo] = []
        var next: UnsafeMutablePointer<addrinfo>? = list
        while let entry = next {
            addresses.append(entry.pointee)
            next = entry.pointee.ai_next
        }
        addresses.sort { $0.ai_family == AF_INET && $1.ai_family != AF_INET }

        var failure = ENOENT
        for address in addresses {
            switch open(address, backlog: backlog) {
            case .success(let socket): return (socket, socket.localPort)
            case .failure(let code): failure = code.value
            }
        }
        throw .cannotListen(host: host, port: port, reason: errorText(failure))
    }

    /// An `errno` value as an `Error`, so it can travel in a `Result`.
    private struct Failure: Error {
        let value: Int32
    }

    private static func open(_ address: addrinfo, backlog: Int32) -> Result<HTTPServer.Socket, Failure> {
        let descriptor = socket(address.ai_family, address.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return .failure(Failure(value: errno)) }
        let socket = HTTPServer.Socket(descriptor: descriptor)
        socket.setOption(level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
        guard bind(descriptor, address.ai_addr, address.ai_addrlen) == 0, Glibc.listen(descriptor, backlog) == 0
        else { return .failure(Failure(value: errno)) }
        return .success(socket)
    }

    /// The local port this socket is bound to.
    private var localPort: Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard status == 0 else { return 0 }
        return withUnsafeBytes(of: storage) { bytes in
            // sin_port and sin6_port sit at the same offset, in network byte order.
            let offset = MemoryLayout<sockaddr_in>.offset(of: \sockaddr_in.sin_port)!
            return Int(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        }
    }
}
