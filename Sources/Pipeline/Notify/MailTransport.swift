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
    static func make(settings: NotificationSettings, stateDirectory: String) -> any MailTransport {
        guard let url = settings.smtpURL else { return EMLDirectory(folder: stateDirectory + "/mail") }
        let password =
            settings.passwordEnvironment.flatMap { ProcessInfo.processInfo.environment[$0] }
            ?? settings.passwordFile.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return SMTPTransport(
            sender: SMTPSender(
                settings: SMTPSettings(
                    url: url, requireTLS: settings.requireTLS, caFile: settings.caFile, username: settings.username,
                    password: password)))
    }
}
