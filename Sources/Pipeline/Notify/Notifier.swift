import Foundation
import Mail
import Store

/// Failure notifications: spooled in the store first (one per bulk change or file, however often
/// it is asked for), then delivered by `deliverDue`, retried with backoff while the mail server is
/// away, and kept as dead after `maxAttempts`. Never lost, never sent twice.
public struct Notifier: Sendable {
    public let workspace: Workspace
    let log: EventLog

    public init(workspace: Workspace, log: EventLog) {
        self.workspace = workspace
        self.log = log
    }

    private var settings: NotificationSettings { workspace.configuration.notifications }

    /// After a file ran: the tenant's contacts hear about failed or rejected rows (errors file
    /// attached); operators hear about a provider-wide problem.
    public func fileFinished(_ report: RunReport, name: String) async {
        let summary = report.summary
        guard summary.bulkChangeID > 0, summary.count(.failed) + summary.count(.rejected) > 0 else { return }
        // Decoded by hand: `String(contentsOfFile:)` drops the byte order mark Excel needs.
        let attachment = (try? Data(contentsOf: URL(fileURLWithPath: report.paths.errors))).map {
            String(decoding: $0, as: UTF8.self)
        }
        await spool(
            key: "bulk-change-\(summary.bulkChangeID)", to: contacts(of: summary.tenant),
            subject: NotificationText.fileSubject(summary, name: name),
            body: NotificationText.fileBody(report, name: name),
            attachment: attachment.map { ((report.paths.errors as NSString).lastPathComponent, $0) },
            bulkChangeID: summary.bulkChangeID)
        if let problem = NotificationText.systemProblem(in: report.results) {
            await spool(
                key: "operators-bulk-change-\(summary.bulkChangeID)", to: settings.operators,
                subject: NotificationText.operatorSubject(summary),
                body: NotificationText.operatorBody(report, problem: problem, name: name), attachment: nil,
                bulkChangeID: summary.bulkChangeID)
        }
    }

    /// A file that could not be used at all.
    func fileRejected(name: String, tenant: String, reason: String, ledgerID: Int64) async {
        await spool(
            key: "file-\(ledgerID)", to: contacts(of: tenant),
            subject: NotificationText.rejectedSubject(name: name, tenant: tenant),
            body: NotificationText.rejectedBody(name: name, tenant: tenant, reason: reason), attachment: nil,
            bulkChangeID: nil)
    }

    /// Sends every spooled message that is due; returns how many went out.
    @discardableResult
    public func deliverDue() async -> Int {
        let now = workspace.now()
        let due: [NotificationRecord]
        do {
            due = try await workspace.store.read { connection in try connection.dueNotifications(asOf: now) }
        } catch {
            log.event("notify-failed", level: .error, ["reason": "\(error)"])
            return 0
        }
        guard !due.isEmpty else { return 0 }
        let transport = MailTransportChoice.make(
            settings: settings, stateDirectory: workspace.configuration.stateDirectory)
        var sent = 0
        for record in due {
            if await deliver(record, through: transport) { sent += 1 }
        }
        return sent
    }

    private func deliver(_ record: NotificationRecord, through transport: any MailTransport) async -> Bool {
        let id = record.id ?? 0
        let now = workspace.now()
        do {
            let refused = try await transport.deliver(try message(for: record))
            try await workspace.store.write { connection in try connection.markNotificationSent(id: id, at: now) }
            log.event(
                "notified",
                [
                    "notification": "\(id)", "subject": record.subject,
                    "refused": refused.map(\.description).joined(separator: ","),
                ])
            return true
        } catch {
            let attempts = record.attempts + 1
            let giveUp = attempts >= settings.maxAttempts
            let wait = min(3600, 30 * pow(2, Double(attempts - 1)))
            try? await workspace.store.write { connection in
                try connection.markNotificationFailed(
                    id: id, error: "\(error)", nextAttemptAt: now.addingTimeInterval(wait), giveUp: giveUp)
            }
            log.event(
                giveUp ? "notification-dead" : "notify-retry", level: giveUp ? .error : .warning,
                ["notification": "\(id)", "attempt": "\(attempts)", "reason": "\(error)"])
            return false
        }
    }

    /// The email of a spooled notification (its Message-ID stays the same on every attempt).
    func message(for record: NotificationRecord) throws(NotificationProblem) -> MailMessage {
        guard let from = MailAddress(settings.from) else { throw .badAddress(settings.from) }
        let recipients = record.recipients.compactMap(MailAddress.init)
        guard !recipients.isEmpty else { throw .noRecipients(record.dedupeKey) }
        let attachments = zip(record.attachmentName.map { [$0] } ?? [], record.attachment.map { [$0] } ?? []).map {
            MailAttachment(fileName: $0, contentType: "text/csv", data: Array($1.utf8))
        }
        return MailMessage(
            from: from, to: recipients, subject: record.subject, body: record.body, attachments: attachments,
            date: record.createdAt,
            messageID:
                "bulkdrop-\(record.dedupeKey)-\(record.id ?? 0)@\(from.address.split(separator: "@").last ?? "localhost")"
        )
    }

    private func contacts(of tenant: String) -> [String] {
        settings.tenantContacts[tenant] ?? settings.operators
    }

    private func spool(
        key: String, to recipients: [String], subject: String, body: String, attachment: (String, String)?,
        bulkChangeID: Int64?
    ) async {
        let now = workspace.now()
        let record = NotificationRecord(
            dedupeKey: key, bulkChangeID: bulkChangeID, recipients: recipients, subject: subject, body: body,
            attachmentName: attachment?.0, attachment: attachment?.1, nextAttemptAt: now, createdAt: now)
        do {
            if let id = try await workspace.store.write({ connection in try connection.spoolNotification(record) }) {
                log.event("notification-spooled", ["notification": "\(id)", "key": key])
            }
        } catch {
            log.event("notify-failed", level: .error, ["key": key, "reason": "\(error)"])
        }
    }
}

/// Why a spooled notification cannot become an email.
enum NotificationProblem: Error, CustomStringConvertible {
    case badAddress(String)
    case noRecipients(String)

    var description: String {
        switch self {
        case .badAddress(let text): "the sender address \"\(text)\" is not an email address; fix notifications.from"
        case .noRecipients(let key): "notification \(key) has no valid recipient; check notifications.tenantContacts"
        }
    }
}
