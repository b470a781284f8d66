import Foundation
import Mail
import Store

extension Notifier {
    /// Sends every spooled message that is due.
    ///
    /// A failure waiting may cure (the server is away, a timeout, a 4xx answer) is retried with
    /// backoff until `maxAttempts`; one it cannot (a refused login, TLS that cannot be set up, a
    /// recipient refused for good, an unusable sender address or password) makes the notification
    /// dead at once. Each failure is logged and returned in the report.
    @discardableResult
    public func deliverDue() async -> DeliveryReport {
        let now = workspace.now()
        let due: [NotificationRecord]
        do {
            due = try await workspace.store.read { connection in try connection.dueNotifications(asOf: now) }
        } catch {
            log.event("notify-failed", level: .error, ["reason": "\(error)"])
            let reason = "the spool could not be read, so nothing was sent: \(error)"
            return DeliveryReport(issues: [NotificationIssue(key: "spool", reason: reason, next: .unknown)])
        }
        guard !due.isEmpty else { return DeliveryReport() }
        let transport = Result { () throws(NotificationProblem) -> any MailTransport in
            try MailTransportChoice.make(
                settings: settings, stateDirectory: workspace.configuration.stateDirectory, environment: environment)
        }
        var report = DeliveryReport()
        for listed in due {
            // Each is claimed first (and read again), so two processes never send the same one.
            guard let record = await claim(listed, asOf: now) else { continue }
            let (sent, issue) = await deliver(record, through: transport)
            await workspace.leases.release(.notification, record.id ?? 0)
            if sent { report.sent += 1 }
            if let issue { report.issues.append(issue) }
        }
        return report
    }

    /// The notification once this process holds its lease, if it is still due; `nil` when another
    /// process holds it or has sent it.
    private func claim(_ listed: NotificationRecord, asOf now: Date) async -> NotificationRecord? {
        let id = listed.id ?? 0
        let leases = workspace.leases
        do {
            let record = try await workspace.store.write { connection -> NotificationRecord? in
                guard try leases.claim(.notification, id, in: connection) else { return nil }
                return try connection.dueNotification(id: id, asOf: now)
            }
            leases.keepRenewing()
            if record == nil { await leases.release(.notification, id) }
            return record
        } catch {
            log.event("notify-failed", level: .error, ["notification": "\(id)", "reason": "\(error)"])
            return nil
        }
    }

    /// One attempt at one notification: whether it went out, and what went wrong.
    private func deliver(
        _ record: NotificationRecord, through transport: Result<any MailTransport, NotificationProblem>
    )
        async -> (sent: Bool, issue: NotificationIssue?)
    {
        let refused: [MailAddress]
        do {
            let message = try message(for: record)
            refused = try await transport.get().deliver(message)
        } catch {
            return (false, await recordFailure(of: record, error))
        }
        let id = record.id ?? 0
        let now = workspace.now()
        // Recipients refused by the server, or left out because they are not addresses, are no silent loss.
        let missed = refused.map(\.description) + record.recipients.filter { MailAddress($0) == nil }
        let fields: KeyValuePairs<String, String> = [
            "notification": "\(id)", "key": record.dedupeKey, "subject": record.subject,
            "refused": missed.joined(separator: ","),
        ]
        log.event("notified", level: missed.isEmpty ? .info : .warning, fields)
        do {
            try await workspace.store.write { connection in try connection.markNotificationSent(id: id, at: now) }
            return (true, nil)
        } catch {
            let reason = "sent, but the database could not record it, so it may be sent again: \(error)"
            log.event(
                "notification-unrecorded", level: .error,
                ["notification": "\(id)", "key": record.dedupeKey, "reason": reason])
            return (true, NotificationIssue(key: record.dedupeKey, reason: reason, next: .unknown))
        }
    }

    /// Records a failed attempt: retried later, or dead when waiting cannot help or attempts ran out.
    private func recordFailure(of record: NotificationRecord, _ error: any Error) async -> NotificationIssue {
        let id = record.id ?? 0
        let now = workspace.now()
        let attempts = record.attempts + 1
        let permanent = !Self.isRetryable(error)
        let giveUp = permanent || attempts >= settings.maxAttempts
        let nextAttempt = now.addingTimeInterval(min(3600, 30 * pow(2, Double(attempts - 1))))
        let reason = permanent ? "\(error) (not retried: waiting cannot fix this)" : "\(error)"
        do {
            try await workspace.store.write { connection in
                try connection.markNotificationFailed(
                    id: id, error: reason, nextAttemptAt: nextAttempt, giveUp: giveUp)
            }
        } catch let storeError {
            let reason = "not sent: \(reason); and the database could not record the attempt: \(storeError)"
            log.event(
                "notification-unrecorded", level: .error,
                ["notification": "\(id)", "key": record.dedupeKey, "reason": reason])
            return NotificationIssue(key: record.dedupeKey, reason: reason, next: .unknown)
        }
        if giveUp {
            log.event(
                "notification-dead", level: .error,
                [
                    "notification": "\(id)", "key": record.dedupeKey, "attempt": "\(attempts)",
                    "permanent": "\(permanent)", "reason": reason,
                ])
            return NotificationIssue(key: record.dedupeKey, reason: "not sent: \(reason)", next: .dead)
        }
        log.event(
            "notify-retry", level: .warning,
            [
                "notification": "\(id)", "key": record.dedupeKey, "attempt": "\(attempts)",
                "next": Timestamps.iso8601(nextAttempt), "reason": reason,
            ])
        return NotificationIssue(key: record.dedupeKey, reason: "not sent: \(reason)", next: .retry(at: nextAttempt))
    }

    /// Whether sending again later may succeed: mail failures as `MailError` says, a message
    /// that cannot be built never, anything else (the `.eml` folder not writable) yes.
    static func isRetryable(_ error: any Error) -> Bool {
        switch error {
        case is NotificationProblem: false
        case let mail as MailError: mail.isRetryable
        default: true
        }
    }

    /// The email of a spooled notification (its Message-ID stays the same on every attempt).
    func message(for record: NotificationRecord) throws(NotificationProblem) -> MailMessage {
        guard let from = MailAddress(settings.from) else { throw .badAddress(settings.from) }
        let recipients = record.recipients.compactMap(MailAddress.init)
        guard !recipients.isEmpty else { throw .noRecipients(record.dedupeKey) }
        let attachments = zip(record.attachmentName.map { [$0] } ?? [], record.attachment.map { [$0] } ?? []).map {
            name, text in
            name.lowercased().hasSuffix(".xlsx")
                ? MailAttachment(
                    fileName: name, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    data: Array(Data(base64Encoded: text) ?? Data()))
                : MailAttachment(fileName: name, contentType: "text/csv", data: Array(text.utf8))
        }
        return MailMessage(
            from: from, to: recipients, subject: record.subject, body: record.body, attachments: attachments,
            date: record.createdAt,
            messageID:
                "bulkdrop-\(record.dedupeKey)-\(record.id ?? 0)@\(from.address.split(separator: "@").last ?? "localhost")"
        )
    }
}
