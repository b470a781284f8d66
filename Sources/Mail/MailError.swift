/// Why a message was not sent to anyone.
///
/// Each case carries the server URL (without any user information) and, where there is one,
/// libcurl's error text followed by the server's last reply. No case ever holds the password.
public enum MailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The settings cannot work: not an `smtp://` or `smtps://` URL, a password without TLS, or an
    /// option libcurl refused.
    case invalidSettings(url: String, reason: String)
    /// The message has no recipients.
    case noRecipients
    /// The server could not be reached, or the connection broke.
    case connectionFailed(url: String, reason: String)
    /// TLS could not be set up: no STARTTLS while TLS is required, a handshake failure, or a
    /// certificate that does not verify.
    case tlsFailed(url: String, reason: String)
    /// The server refused the user name and password.
    case authenticationRefused(url: String, reason: String)
    /// The server refused every recipient, so nothing was sent.
    case allRecipientsRefused(url: String, recipients: [MailAddress], reason: String)
    /// The server refused the sender or the message, or answered something libcurl did not expect.
    case serverError(url: String, reason: String)
    /// The connection or the whole delivery took longer than its timeout.
    case timeout(url: String, reason: String)
    /// The task sending the message was cancelled.
    case cancelled(url: String)

    /// A one-line explanation such as `smtp://mail.example:587: TLS failed: STARTTLS not supported.`
    public var description: String {
        switch self {
        case .invalidSettings(let url, let reason): "\(url): invalid mail settings: \(reason)"
        case .noRecipients: "the message has no recipients"
        case .connectionFailed(let url, let reason): "\(url): connection failed: \(reason)"
        case .tlsFailed(let url, let reason): "\(url): TLS failed: \(reason)"
        case .authenticationRefused(let url, let reason): "\(url): login refused: \(reason)"
        case .allRecipientsRefused(let url, let recipients, let reason):
            "\(url): every recipient was refused (\(recipients.map(\.address).joined(separator: ", "))): \(reason)"
        case .serverError(let url, let reason): "\(url): the server refused the mail: \(reason)"
        case .timeout(let url, let reason): "\(url): timed out: \(reason)"
        case .cancelled(let url): "\(url): sending was cancelled"
        }
    }
}
