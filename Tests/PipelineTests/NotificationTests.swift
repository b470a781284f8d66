import BulkChange
import Foundation
import JasperSim
import Pipeline
import Store
import TestSupport
import Testing

/// Failure notifications on the embedded defaults (no SMTP server: `.eml` files under
/// `<state>/mail/`): one per bulk change, the errors file attached byte for byte, and no failure
/// of the spool or the attachment left unsaid.
@Suite("failure notifications")
struct NotificationTests {
    /// Where the `.eml` files go.
    static func mailFolder(_ fixture: PipelineFixture) -> String {
        fixture.workspace.configuration.stateDirectory + "/mail"
    }

    /// The `.eml` files written so far; throws when the folder is missing or a file unreadable.
    static func emails(_ fixture: PipelineFixture) throws -> [String] {
        let folder = mailFolder(fixture)
        return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map {
            try String(contentsOfFile: "\(folder)/\($0)", encoding: .utf8)
        }
    }

    /// Every notification in the spool, whatever its status.
    static func spooled(_ fixture: PipelineFixture) async throws -> [NotificationRecord] {
        try await fixture.workspace.store.read { connection in
            try NotificationStatus.allCases.flatMap { try connection.notifications(status: $0) }
        }
    }

    /// The text of a single-part (quoted-printable) email's body.
    static func body(of email: String) -> String {
        String(decoding: MIMEDecoding.quotedPrintable(MIMEDecoding.split(Array(email.utf8)).body), as: UTF8.self)
    }

    /// Runs a file with two rejected rows for acme.
    static func runRejected(_ fixture: PipelineFixture, name: String = "status-update_mail.csv") async throws
        -> RunReport
    {
        let path = try fixture.write(name, "iccid,target_status\n\(fixture.iccid(0)),PURGED\n8.9E+19,ACTIVATED\n")
        return try await BulkChangeRunner(workspace: fixture.workspace).run(path: path, tenant: "acme")
    }

    /// The base64 body of the first attachment of a rendered message, decoded.
    static func attachment(in email: String) -> Data? {
        let lines = email.components(separatedBy: "\r\n")
        guard
            let disposition = lines.firstIndex(where: { $0.lowercased().hasPrefix("content-disposition: attachment") }),
            let blank = lines[disposition...].firstIndex(of: "")
        else { return nil }
        let encoded = lines[(blank + 1)...].prefix { !$0.hasPrefix("--") && !$0.isEmpty }.joined()
        return Data(base64Encoded: encoded)
    }

    @Test func failedRowsSendOneEmailWithTheErrorsFileAttached() async throws {
        try await PipelineFixture.make().use { fixture in
            let path = try fixture.write(
                "status-update_mail.csv", "iccid,target_status\n\(fixture.iccid(0)),PURGED\n8.9E+19,ACTIVATED\n")
            let report = try await BulkChangeRunner(workspace: fixture.workspace).run(path: path, tenant: "acme")
            let notifier = Notifier(workspace: fixture.workspace, log: EventLog(now: { fixture.clock.now }) { _ in })
            await notifier.fileFinished(report, name: "status-update_mail.csv")
            await notifier.fileFinished(report, name: "status-update_mail.csv")  // asked twice: still one email
            #expect(await notifier.deliverDue() == DeliveryReport(sent: 1))
            #expect(await notifier.deliverDue() == DeliveryReport(sent: 0), "sent once")
            let emails = try Self.emails(fixture)
            try #require(emails.count == 1)
            let unfolded = emails[0].replacingOccurrences(of: "\r\n ", with: " ")
            #expect(unfolded.contains("Subject: BulkDrop: status-update_mail.csv for acme: 0 failed, 2 rejected"))
            #expect(emails[0].contains("\r\nMIME-Version: 1.0\r\n"))
            let workbook = try Data(contentsOf: URL(fileURLWithPath: report.paths.workbook))
            #expect(Self.attachment(in: emails[0]) == workbook, "the results workbook, byte for byte")
            #expect(emails[0].contains("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
            #expect(Self.body(of: emails[0]).contains("holds every one of them on its Errors sheet"))
        }
    }

    @Test func aTenantThatAskedForCSVGetsTheErrorsFile() async throws {
        let settings = NotificationSettings(
            tenantContacts: ["acme": ["partner@acme.example"]], csvAttachmentTenants: ["acme"])
        try await PipelineFixture.make(notifications: settings).use { fixture in
            let report = try await Self.runRejected(fixture)
            let notifier = Notifier(workspace: fixture.workspace, log: EventLog(now: { fixture.clock.now }) { _ in })
            await notifier.fileFinished(report, name: "status-update_mail.csv")
            #expect(await notifier.deliverDue() == DeliveryReport(sent: 1))
            let emails = try Self.emails(fixture)
            try #require(emails.count == 1)
            let errors = try Data(contentsOf: URL(fileURLWithPath: report.paths.errors))
            #expect(Self.attachment(in: emails[0]) == errors, "the errors CSV, byte for byte")
            #expect(emails[0].contains("Content-Type: text/csv"))
        }
    }

    @Test func cleanRunSendsNothing() async throws {
        try await PipelineFixture.make().use { fixture in
            let index = fixture.acmeDevices(withStatus: .activated)[0]
            let path = try fixture.write(
                "status-update_ok.csv", "iccid,target_status\n\(fixture.iccid(index)),DEACTIVATED\n")
            let report = try await BulkChangeRunner(workspace: fixture.workspace).run(path: path, tenant: "acme")
            let notifier = Notifier(workspace: fixture.workspace, log: EventLog(now: { fixture.clock.now }) { _ in })
            await notifier.fileFinished(report, name: "status-update_ok.csv")
            #expect(await notifier.deliverDue() == DeliveryReport(sent: 0))
            #expect(try await Self.spooled(fixture).isEmpty, "nothing was spooled")
            #expect(!FileManager.default.fileExists(atPath: Self.mailFolder(fixture)), "no .eml was written")
        }
    }

    @Test func writesDisabledAlsoTellsTheOperators() async throws {
        try await PipelineFixture.make(writesEnabled: false).use { fixture in
            let path = try fixture.write(
                "status-update_off.csv", "iccid,target_status\n\(fixture.iccid(0)),INVENTORY\n")
            let report = try await BulkChangeRunner(workspace: fixture.workspace).run(path: path, tenant: "acme")
            let notifier = Notifier(workspace: fixture.workspace, log: EventLog(now: { fixture.clock.now }) { _ in })
            await notifier.fileFinished(report, name: "status-update_off.csv")
            #expect(await notifier.deliverDue() == DeliveryReport(sent: 2))
            let emails = try Self.emails(fixture)
            #expect(emails.count == 2)
            #expect(emails.contains { $0.contains("To: operators@localhost") && $0.contains("writes are disabled") })
        }
    }

    /// A million rejected rows make an errors file of a hundred megabytes: it is named in the body,
    /// never read into memory and mailed.
    @Test func anErrorsFileTooLargeForAnEmailIsNamedNotAttached() async throws {
        try await PipelineFixture.make().use { fixture in
            let report = try await Self.runRejected(fixture)
            let large = Data(repeating: UInt8(ascii: "x"), count: Notifier.largestAttachment + 1)
            try large.write(to: URL(fileURLWithPath: report.paths.workbook))
            let recorder = LogRecorder(clock: fixture.clock)
            let notifier = Notifier(workspace: fixture.workspace, log: recorder.log)
            #expect(await notifier.fileFinished(report, name: "status-update_mail.csv").isEmpty)
            #expect(await notifier.deliverDue() == DeliveryReport(sent: 1))
            let emails = try Self.emails(fixture)
            try #require(emails.count == 1)
            #expect(!emails[0].lowercased().contains("content-disposition: attachment"))
            let body = Self.body(of: emails[0])
            #expect(
                body.contains("could not be attached (it is 10 MB, more than the 10 MB an email carries)"), "\(body)")
            #expect(recorder.events("attachment-too-large").count == 1)
        }
    }

    @Test func unreadableErrorsFileIsSaidInTheBodyAndLogged() async throws {
        try await PipelineFixture.make().use { fixture in
            let report = try await Self.runRejected(fixture)
            try FileManager.default.removeItem(atPath: report.paths.workbook)
            let recorder = LogRecorder(clock: fixture.clock)
            let notifier = Notifier(workspace: fixture.workspace, log: recorder.log)
            #expect(await notifier.fileFinished(report, name: "status-update_mail.csv").isEmpty)
            #expect(await notifier.deliverDue() == DeliveryReport(sent: 1), "the email still goes out")

            let emails = try Self.emails(fixture)
            try #require(emails.count == 1)
            #expect(!emails[0].lowercased().contains("content-disposition: attachment"))
            let body = Self.body(of: emails[0])
            #expect(
                body.contains(
                    "The workbook status-update_mail.results.xlsx could not be attached "
                        + "(No such file or directory)."), "\(body)")
            #expect(body.contains("Ask your BulkDrop operator for \(report.paths.workbook)"), "\(body)")
            let logged = recorder.events("attachment-missing")
            #expect(logged.count == 1)
            #expect(logged.first?.contains("level=error") == true)
            #expect(logged.first?.contains("No such file or directory") == true, "\(recorder.text)")
        }
    }

    /// A store that refuses notification rows: spooling and recording are reported, never swallowed.
    static func refuseNotificationWrites(_ fixture: PipelineFixture, on operation: String) async throws {
        try await fixture.workspace.store.write { connection in
            try connection.execute(
                "CREATE TRIGGER refuse_\(operation.lowercased()) BEFORE \(operation) ON notification "
                    + "BEGIN SELECT RAISE(ABORT, 'test: notification \(operation.lowercased()) refused'); END")
        }
    }

    @Test func spoolFailureIsReturnedAndLogged() async throws {
        try await PipelineFixture.make().use { fixture in
            let report = try await Self.runRejected(fixture)
            try await Self.refuseNotificationWrites(fixture, on: "INSERT")
            let recorder = LogRecorder(clock: fixture.clock)
            let notifier = Notifier(workspace: fixture.workspace, log: recorder.log)
            let issues = await notifier.fileFinished(report, name: "status-update_mail.csv")
            #expect(issues.map(\.key) == ["bulk-change-\(report.summary.bulkChangeID)"])
            #expect(issues.first?.reason.contains("could not be spooled") == true)
            #expect(issues.first?.reason.contains("test: notification insert refused") == true, "\(issues)")
            let logged = recorder.events("notify-failed")
            #expect(logged.count == 1 && logged[0].contains("level=error"), "\(recorder.text)")
        }
    }

    @Test func sentButUnrecordedIsReturnedAndLogged() async throws {
        try await PipelineFixture.make().use { fixture in
            let report = try await Self.runRejected(fixture)
            let recorder = LogRecorder(clock: fixture.clock)
            let notifier = Notifier(workspace: fixture.workspace, log: recorder.log)
            await notifier.fileFinished(report, name: "status-update_mail.csv")
            try await Self.refuseNotificationWrites(fixture, on: "UPDATE")

            let delivery = await notifier.deliverDue()
            #expect(delivery.sent == 1)
            try #require(delivery.issues.count == 1)
            #expect(delivery.issues[0].next == .unknown)
            #expect(delivery.issues[0].reason.hasPrefix("sent, but the database could not record it"))
            #expect(delivery.issues[0].reason.contains("test: notification update refused"))
            #expect(try Self.emails(fixture).count == 1)
            #expect(recorder.events("notification-unrecorded").count == 1, "\(recorder.text)")
        }
    }

    /// The `.eml` folder cannot be made (a file is in its place): a failure worth another try,
    /// so it is retried; and when even recording the attempt fails, that is reported too.
    @Test func failedAttemptIsRetriedAndAnUnrecordedOneReported() async throws {
        try await PipelineFixture.make().use { fixture in
            let report = try await Self.runRejected(fixture)
            try Data("not a folder".utf8).write(to: URL(fileURLWithPath: Self.mailFolder(fixture)))
            let recorder = LogRecorder(clock: fixture.clock)
            let notifier = Notifier(workspace: fixture.workspace, log: recorder.log)
            await notifier.fileFinished(report, name: "status-update_mail.csv")

            let first = await notifier.deliverDue()
            #expect(first.sent == 0)
            #expect(first.issues.map(\.next) == [.retry(at: fixture.clock.now.addingTimeInterval(30))], "\(first)")
            let pending = try await fixture.workspace.store.read { connection in
                try connection.notifications(status: .pending)
            }
            #expect(pending.map(\.attempts) == [1])
            #expect(recorder.events("notify-retry").count == 1, "\(recorder.text)")

            try await Self.refuseNotificationWrites(fixture, on: "UPDATE")
            fixture.clock.advance(seconds: 31)
            let second = await notifier.deliverDue()
            #expect(second.sent == 0)
            try #require(second.issues.count == 1)
            #expect(second.issues[0].next == .unknown)
            #expect(second.issues[0].reason.contains("the database could not record the attempt"), "\(second)")
            #expect(recorder.events("notification-unrecorded").count == 1, "\(recorder.text)")
        }
    }

    @Test func unreadableSpoolIsReported() async throws {
        try await PipelineFixture.make().use { fixture in
            try await fixture.workspace.store.write { connection in try connection.execute("DROP TABLE notification") }
            let recorder = LogRecorder(clock: fixture.clock)
            let delivery = await Notifier(workspace: fixture.workspace, log: recorder.log).deliverDue()
            #expect(delivery.sent == 0)
            #expect(delivery.issues.map(\.key) == ["spool"])
            #expect(delivery.issues.first?.reason.hasPrefix("the spool could not be read") == true, "\(delivery)")
            #expect(recorder.events("notify-failed").count == 1)
        }
    }
}
