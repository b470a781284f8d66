/// Why a message was not sent to anyone.
///
/// Each case carries the server URL (without any user information) and, where there is one,
/// libcurl's error text followed by the server's last reply. No case ever holds the password.
/// `isRetryable` tells a failure that waiting may cure from one that needs a person.
public enum MailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The settings cannot work: not an `smtp://` or `smtps://` URL, a password without TLS, or an
    /// option libcurl refused.
    case invalidSettings(url: String, reason: String)
    /// The message has no recipients.
    case noRecipients
    /// The server could not be reached, or the connection (or its TLS handshake) broke.
    case connectionFailed(url: String, reason: String)
    /// TLS could not be set up: no STARTTLS while TLS is required, a certificate that does not
    /// verify, or a CA file or cipher libcurl cannot use.
    case tlsFailed(url: String, reason: String)
    /// The server refused the user name and password; `permanent` unless it answered 4xx (try later).
    case authenticationRefused(url: String, reason: String, permanent: Bool)
    /// The server refused every recipient, so nothing was sent; `permanent` when every refusal was
    /// 5xx, not when some recipient was only deferred with 4xx.
    case allRecipientsRefused(url: String, recipients: [MailAddress], reason: String, permanent: Bool)
    /// The server refused the sender or the message, or answered something libcurl did not expect;
    /// `permanent` when the reply was 5xx, not when it was 4xx.
    case serverError(url: String, reason: String, permanent: Bool)
    /// The connection or the whole delivery took longer than its timeout.
    case timeout(url: String, reason: String)
    /// The task sending the message was cancelled.
    case cancelled(url: String)

    /// Whether the same message may go through if sent again later with the same settings.
    ///
    /// `false` for what waiting cannot cure: settings libcurl refuses, no recipients, TLS that
    /// cannot be set up (no STARTTLS, a certificate that does not verify), a refused login, and
    /// 5xx refusals of the sender, the message or every recipient. `true` for connection
    /// failures (a broken TLS handshake included), timeouts, 4xx answers and cancellation.
    public var isRetryable: Bool {
        switch self {
        case .invalidSettings, .noRecipients, .tlsFailed: false
        case .authenticationRefused(_, _, let permanent), .allRecipientsRefused(_, _, _, let permanent),
            .serverError(_, _, let permanent):
            !permanent
        case .connectionFailed, .timeout, .cancelled: true
        }
    }

    /// A one-line explanation such as `smtp://mail.example:587: TLS failed: STARTTLS not supported.`
    public var description: String {
        switch self {
        case .invalidSettings(let url, let reason): "\(url): invalid mail settings: \(reason)"
        case .noRecipients: "the message has no recipients"
        case .connectionFailed(let url, let reason): "\(url): connection failed: \(reason)"
        case .tlsFailed(let url, let reason): "\(url): TLS failed: \(reason)"
        case .authenticationRefused(let url, let reason, _): "\(url): login refused: \(reason)"
        case .allRecipientsRefused(let url, let recipients, let reason, _):
            "\(url): every recipient was refused (\(recipients.map(\.address).joined(separator: ", "))): \(reason)"
        case .serverError(let url, let reason, _): "\(url): the server refused the mail: \(reason)"
        case .timeout(let url, let reason): "\(url): timed out: \(reason)"
        case .cancelled(let url): "\(url): sending was cancelled"
        }
    }
}
