/// Why a Control Center call failed, classified so callers can tell what to do next.
///
/// Descriptions name the call and Control Center's own code and message; they never contain the
/// API key (it only ever travels in the Authorization header).
public enum JasperError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 10000001: wrong username or API key, or the caller's IP is not allowed.
    case invalidCredentials(call: String, message: String)
    /// 20000001 or 404: no such device (an ICCID unknown to the account).
    case notFound(call: String, message: String)
    /// 1000002x / 1000003x and other 4xx: the request itself is wrong; sending it again will not help.
    case badRequest(call: String, status: Int, code: String, message: String)
    /// 40000029: over the account's rate limit; `retryAfter` when the server said how long to wait.
    case throttled(call: String, retryAfter: Duration?)
    /// 5xx or 30000001: Control Center failed.
    case serverError(call: String, status: Int, code: String, message: String)
    /// No answer in time.
    case timeout(call: String)
    /// No connection could be made: the call never reached Control Center.
    case connectionFailed(call: String, reason: String)
    /// The connection broke after the call may have reached Control Center, before its answer.
    case noAnswer(call: String, reason: String)
    /// The TLS handshake failed or Control Center's certificate was refused; this does not fix
    /// itself, so it is never retried.
    case tls(call: String, reason: String)
    /// A 2xx answer that is not what the call promises (not JSON, or an edit without the ICCID).
    case malformedResponse(call: String, reason: String)
    /// The task making the call was cancelled.
    case cancelled(call: String)
    /// Not sent: BulkDrop is stopping and starts no new call.
    case stopped(call: String)

    /// Whether the same call may succeed if sent again later.
    public var isRetryable: Bool {
        switch self {
        case .throttled, .serverError, .timeout, .connectionFailed, .noAnswer: true
        case .invalidCredentials, .notFound, .badRequest, .tls, .malformedResponse, .cancelled, .stopped: false
        }
    }

    /// Whether Control Center may have acted on the call although it failed: its answer was lost
    /// (a timeout, a broken connection), or it failed in a way that does not say (5xx, an answer
    /// that makes no sense). An edit failing this way must be read back, never sent again blind.
    public var mayHaveBeenApplied: Bool {
        switch self {
        case .timeout, .noAnswer, .serverError, .malformedResponse, .cancelled: true
        case .invalidCredentials, .notFound, .badRequest, .throttled, .connectionFailed, .tls, .stopped: false
        }
    }

    public var description: String {
        switch self {
        case .invalidCredentials(let call, let message):
            "\(call): Control Center refused the credentials (10000001: \(message)); check the username, "
                + "the API key and the allowed IP addresses of the account"
        case .notFound(let call, let message):
            "\(call): not found on Control Center (20000001: \(message))"
        case .badRequest(let call, let status, let code, let message):
            "\(call): Control Center rejected the request (HTTP \(status), \(code): \(message))"
        case .throttled(let call, let retryAfter):
            "\(call): over the account's rate limit (40000029)"
                + (retryAfter.map { "; retry after \($0.components.seconds) s" } ?? "")
        case .serverError(let call, let status, let code, let message):
            "\(call): Control Center failed (HTTP \(status), \(code): \(message))"
        case .timeout(let call):
            "\(call): no answer from Control Center within the timeout"
        case .connectionFailed(let call, let reason):
            "\(call): cannot reach Control Center: \(reason)"
        case .noAnswer(let call, let reason):
            "\(call): the connection to Control Center broke before its answer: \(reason)"
        case .tls(let call, let reason):
            "\(call): cannot reach Control Center over TLS: \(reason); check the certificate authorities this "
                + "machine trusts (or the CA file configured for the client), the provider's baseURL and "
                + "Control Center's certificate (name, expiry, chain)"
        case .malformedResponse(let call, let reason):
            "\(call): unexpected answer from Control Center: \(reason)"
        case .cancelled(let call):
            "\(call): cancelled"
        case .stopped(let call):
            "\(call): not sent, BulkDrop is stopping"
        }
    }
}
