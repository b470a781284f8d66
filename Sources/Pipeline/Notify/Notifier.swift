import BulkChange
import Foundation
import Mail
import Store

/// Failure notifications: spooled in the store first (one per bulk change or file, however often
/// it is asked for), then delivered by `deliverDue`, retried with backoff while the mail server is
/// away, and kept as dead after `maxAttempts` or at once when waiting cannot help (a refused login,
/// a recipient refused for good, a password that cannot be read). Never sent twice, and never
/// lost without an error in the log.
public struct Notifier: Sendable {
    public let workspace: Workspace
    let log: EventLog
    /// Where `passwordEnvironment` is looked up: the process's environment unless a test gives one.
    let environment: [String: String]

    public init(
        workspace: Workspace, log: EventLog, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.workspace = workspace
        self.log = log
        self.environment = environment
    }

    var settings: NotificationSettings { workspace.configuration.notifications }

    /// After a file ran: the tenant's contacts hear about failed or rejected rows (errors file
    /// attached, or the body says why it is not) and rows to check on Control Center; operators
    /// hear about a provider-wide problem.
    ///
    /// - Returns: the notifications that could not be spooled (each also logged as an error).
    @discardableResult
    public func fileFinished(_ report: RunReport, name: String) async -> [NotificationIssue] {
        let summary = report.summary
        let attention = summary.count(.failed) + summary.count(.rejected) + summary.count(.needsCheck)
        guard summary.bulkChangeID > 0, attention > 0 else { return [] }
        let key = "bulk-change-\(summary.bulkChangeID)"
        let errors = errorsFile(of: report, key: key)
        var issues: [NotificationIssue] = []
        issues += await spool(
            key: key, to: contacts(of: summary.tenant), subject: NotificationText.fileSubject(summary, name: name),
            body: NotificationText.fileBody(report, name: name, errors: errors),
            attachment: errors?.spooled, bulkChangeID: summary.bulkChangeID)
        if let problem = NotificationText.systemProblem(in: report.results) {
            issues += await spool(
                key: "operators-bulk-change-\(summary.bulkChangeID)", to: settings.operators,
                subject: NotificationText.operatorSubject(summary),
                body: NotificationText.operatorBody(report, problem: problem, name: name), attachment: nil,
                bulkChangeID: summary.bulkChangeID)
        }
        return issues
    }

    /// After a scheduler run applied queued rows of a bulk change and some of them (`rows`) failed
    /// or need a check: the tenant's contacts hear about those rows, once per run and bulk change,
    /// with the bulk change's errors file (written again with them) attached.
    ///
    /// - Returns: the notification, when it could not be spooled (also logged as an error).
    @discardableResult
    func scheduledRowsFailed(_ report: RunReport, rows: [ResultRow], runID: Int64) async -> [NotificationIssue] {
        let summary = report.summary
        let key = "scheduled-run-\(runID)-bulk-change-\(summary.bulkChangeID)"
        let errors = errorsFile(of: report, key: key)
        return await spool(
            key: key, to: contacts(of: summary.tenant), subject: NotificationText.scheduledSubject(summary, rows: rows),
            body: NotificationText.scheduledBody(report, rows: rows, errors: errors),
            attachment: errors?.spooled, bulkChangeID: summary.bulkChangeID)
    }

    /// The largest errors file attached to an email, in bytes; a larger one is named in the body.
    public static let largestAttachment = 10_000_000

    /// The report's errors as an attachment when a row needs attention — the results workbook,
    /// or the errors CSV for tenants that asked for it (`csvAttachmentTenants`) — or why it cannot
    /// be attached: unreadable (logged as an error) or too large for an email (logged).
    private func errorsFile(of report: RunReport, key: String) -> ErrorsAttachment? {
        guard report.summary.needingAttention > 0 else { return nil }
        let asCSV = settings.csvAttachmentTenants.contains(report.summary.tenant)
        let path = asCSV ? report.paths.errors : report.paths.workbook
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if size > Self.largestAttachment {
            let problem =
                "it is \(Wording.number(size / 1_000_000)) MB, more than the "
                + "\(Wording.number(Self.largestAttachment / 1_000_000)) MB an email carries"
            log.event("attachment-too-large", level: .warning, ["key": key, "file": path, "bytes": "\(size)"])
            return ErrorsAttachment(path: path, content: nil, problem: problem)
        }
        do {
            let bytes = try LocalFile.read(path)
            // Decoded by hand: `String(contentsOfFile:)` drops the byte order mark Excel needs.
            let content = asCSV ? String(decoding: bytes, as: UTF8.self) : Data(bytes).base64EncodedString()
            return ErrorsAttachment(path: path, content: content, problem: nil)
        } catch {
            log.event("attachment-missing", level: .error, ["key": key, "file": path, "reason": "\(error)"])
            return ErrorsAttachment(path: path, content: nil, problem: error.reason)
        }
    }

    /// A file that could not be used at all.
    ///
    /// - Returns: the notification, when it could not be spooled (also logged as an error).
    @discardableResult
    func fileRejected(name: String, tenant: String, reason: String, ledgerID: Int64) async -> [NotificationIssue] {
        await spool(
            key: "file-\(ledgerID)", to: contacts(of: tenant),
            subject: NotificationText.rejectedSubject(name: name, tenant: tenant),
            body: NotificationText.rejectedBody(name: name, tenant: tenant, reason: reason), attachment: nil,
            bulkChangeID: nil)
    }

    /// A file that changed after it was claimed, or may be the rest of one claimed shortly
    /// before: the warnings, also in its summary.json.
    @discardableResult
    func fileChanged(name: String, tenant: String, warnings: [String], ledgerID: Int64, bulkChangeID: Int64) async
        -> [NotificationIssue]
    {
        await spool(
            key: "file-changed-\(ledgerID)", to: contacts(of: tenant),
            subject: NotificationText.changedSubject(name: name, tenant: tenant),
            body: NotificationText.changedBody(
                name: name, tenant: tenant, warnings: warnings, bulkChangeID: bulkChangeID),
            attachment: nil, bulkChangeID: bulkChangeID)
    }

    private func contacts(of tenant: String) -> [String] {
        settings.tenantContacts[tenant] ?? settings.operators
    }

    /// Stores the notification for delivery; the issue (also logged) when the store refused it.
    private func spool(
        key: String, to recipients: [String], subject: String, body: String, attachment: (String, String)?,
        bulkChangeID: Int64?
    ) async -> [NotificationIssue] {
        let now = workspace.now()
        let record = NotificationRecord(
            dedupeKey: key, bulkChangeID: bulkChangeID, recipients: recipients, subject: subject, body: body,
            attachmentName: attachment?.0, attachment: attachment?.1, nextAttemptAt: now, createdAt: now)
        do {
            if let id = try await workspace.store.write({ connection in try connection.spoolNotification(record) }) {
                log.event("notification-spooled", ["notification": "\(id)", "key": key])
            }
            return []
        } catch {
            log.event("notify-failed", level: .error, ["key": key, "reason": "\(error)"])
            return [
                NotificationIssue(
                    key: key, reason: "could not be spooled, so nobody will be told: \(error)", next: .unknown)
            ]
        }
    }
}
