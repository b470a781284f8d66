/// Why an `HTTPServer` could not start.
///
/// Descriptions read like `cannot listen on 127.0.0.1:80: Permission denied`.
public enum HTTPServerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The port is not in 0...65535.
    case invalidPort(Int)
    /// The host is neither an IP address nor a name the resolver knows.
    case cannotResolve(host: String, reason: String)
    /// Creating, binding or listening on the socket failed; `reason` is the system's text for `errno`.
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidPort(let port): "cannot listen on port \(port): a port is between 0 and 65535"
        case .cannotResolve(let host, let reason): "cannot listen on \(host): \(reason)"
        case .cannotListen(let host, let port, let reason): "cannot listen on \(host):\(port): \(reason)"
        }
    }
}
