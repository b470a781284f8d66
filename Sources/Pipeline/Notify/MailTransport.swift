import Foundation
import Mail

/// Where a notification's email goes.
protocol MailTransport: Sendable {
    /// Delivers the message; returns the recipients refused while the others got it.
    func deliver(_ message: MailMessage) async throws -> [MailAddress]
}

/// An SMTP server, through libcurl.
struct SMTPTransport: MailTransport {
    let sender: SMTPSender

    func deliver(_ message: MailMessage) async throws -> [MailAddress] {
        try await sender.send(message)
    }
}

/// No mail server configured: each message becomes `<state>/mail/<Message-ID>.eml`, which any
/// mail program opens.
struct EMLDirectory: MailTransport {
    let folder: String

    func deliver(_ message: MailMessage) async throws -> [MailAddress] {
        let name = message.messageID.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
        try AtomicFile.write(Data(message.rendered()), to: "\(folder)/\(String(name)).eml")
        return []
    }
}

/// Picks the transport the settings ask for.
enum MailTransportChoice {
    /// - Throws: `NotificationProblem.passwordUnavailable` when the settings name a password that
    ///   cannot be had (nothing is sent without it).
    static func make(settings: NotificationSettings, stateDirectory: String, environment: [String: String])
        throws(NotificationProblem) -> any MailTransport
    {
        guard let url = settings.smtpURL else { return EMLDirectory(folder: stateDirectory + "/mail") }
        return SMTPTransport(
            sender: SMTPSender(
                settings: SMTPSettings(
                    url: url, requireTLS: settings.requireTLS, caFile: settings.caFile, username: settings.username,
                    password: try settings.password(environment: environment))))
    }
}
