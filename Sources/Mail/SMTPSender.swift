import Dispatch

/// Sends mail over SMTP through libcurl, one message at a time.
///
/// libcurl's blocking `curl_easy_perform` runs on the sender's own serial dispatch queue, never
/// on Swift's cooperative pool; `send` waits for it without blocking a thread. A sender sends
/// one message at a time, each on a fresh connection; concurrent calls wait their turn.
public final class SMTPSender: Sendable {
    /// How recipients are put into SMTP transactions.
    enum RecipientMode: Sendable {
        /// All in one transaction when libcurl can go past a refused one (curl ≥ 7.69), else one each.
        case automatic
        /// One transaction per recipient, as with a libcurl too old for `CURLOPT_MAIL_RCPT_ALLOWFAILS`.
        case onePerTransaction
    }

    private let settings: SMTPSettings
    private let recipientMode: RecipientMode
    private let queue = DispatchQueue(label: "bulkdrop.mail.smtp")

    /// A sender that delivers through the server in `settings`.
    public convenience init(settings: SMTPSettings) {
        self.init(settings: settings, recipientMode: .automatic)
    }

    init(settings: SMTPSettings, recipientMode: RecipientMode) {
        self.settings = settings
        self.recipientMode = recipientMode
    }

    /// Sends one message; returns the recipients the server refused (the others got it).
    ///
    /// The envelope holds `message.from` and every address in `message.to`. A server refusing some
    /// recipients does not stop the others from getting the message.
    ///
    /// - Throws: `MailError` when nobody got the message: no recipients, a connection, TLS or
    ///   login failure, every recipient refused, the message refused, a timeout, or cancellation
    ///   of the calling task.
    public func send(_ message: MailMessage) async throws(MailError) -> [MailAddress] {
        guard !message.to.isEmpty else { throw .noRecipients }
        let cancellation = SMTPCancellation()
        let (settings, recipientMode) = (settings, recipientMode)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation {
                (continuation: CheckedContinuation<Result<[MailAddress], MailError>, Never>) in
                queue.async {
                    let result = Self.deliver(
                        message, settings: settings, mode: recipientMode, cancellation: cancellation)
                    continuation.resume(returning: result)
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }

    /// Renders and sends `message`; runs on the queue and blocks it until libcurl is done.
    private static func deliver(
        _ message: MailMessage, settings: SMTPSettings, mode: RecipientMode, cancellation: SMTPCancellation
    ) -> Result<[MailAddress], MailError> {
        guard !cancellation.isCancelled else { return .failure(.cancelled(url: SMTPSettings.redacted(settings.url))) }
        do throws(MailError) {
            let transfer = try SMTPTransfer(
                settings: settings, sender: message.from, payload: message.rendered(), cancellation: cancellation)
            if mode == .automatic, try transfer.allowRecipientFailures() {
                return transfer.send(to: message.to).map { accepted in
                    zip(message.to, accepted).filter { !$0.1 }.map(\.0)
                }
            }
            return sendOneByOne(message.to, with: transfer)
        } catch {
            return .failure(error)
        }
    }

    /// One transaction per recipient. A refused recipient is skipped; any other failure before
    /// anyone got the message is thrown, and after that leaves the rest counted as refused.
    private static func sendOneByOne(_ recipients: [MailAddress], with transfer: SMTPTransfer) -> Result<
        [MailAddress], MailError
    > {
        var refused: [MailAddress] = []
        var delivered = false
        var lastRefusal: MailError?
        var everyRefusalPermanent = true
        for (index, recipient) in recipients.enumerated() {
            switch transfer.send(to: [recipient]) {
            case .success:
                delivered = true
            case .failure(let error):
                if case .allRecipientsRefused(_, _, _, let permanent) = error {
                    refused.append(recipient)
                    lastRefusal = error
                    everyRefusalPermanent = everyRefusalPermanent && permanent
                } else if delivered {
                    return .success(refused + recipients[index...])
                } else {
                    return .failure(error)
                }
            }
        }
        guard delivered else {
            guard case .allRecipientsRefused(let url, _, let reason, _) = lastRefusal else {
                return .failure(.noRecipients)
            }
            return .failure(
                .allRecipientsRefused(
                    url: url, recipients: recipients, reason: reason, permanent: everyRefusalPermanent))
        }
        return .success(refused)
    }
}
