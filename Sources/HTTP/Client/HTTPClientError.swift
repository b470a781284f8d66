/// Why a request got no HTTP response. An HTTP error status is a response, not one of these.
public enum HTTPClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No answer within the request timeout (or no connection within the connect timeout).
    case timeout(method: String, url: String)
    /// The connection could not be made: the request was never sent.
    case connectionFailed(method: String, url: String, reason: String)
    /// The connection broke after the request may have gone out, before a whole response came:
    /// the server may have acted on it.
    case noAnswer(method: String, url: String, reason: String)
    /// The server's certificate or the TLS handshake was refused.
    case tls(method: String, url: String, reason: String)
    /// Anything else libcurl reported, with its own words.
    case transport(method: String, url: String, reason: String)
    /// The task waiting for the response was cancelled.
    case cancelled
    /// The client was shut down before the request finished.
    case shutDown

    public var description: String {
        switch self {
        case .timeout(let method, let url): "\(method) \(url): no response within the timeout"
        case .connectionFailed(let method, let url, let reason): "\(method) \(url): connection failed: \(reason)"
        case .noAnswer(let method, let url, let reason): "\(method) \(url): the connection broke: \(reason)"
        case .tls(let method, let url, let reason): "\(method) \(url): TLS failed: \(reason)"
        case .transport(let method, let url, let reason): "\(method) \(url): \(reason)"
        case .cancelled: "the request was cancelled"
        case .shutDown: "the HTTP client was shut down"
        }
    }
}
