import BulkChange
import Foundation
import JasperSim
import Pipeline
import Store
import Testing

/// Failure notifications on the embedded defaults (no SMTP server: `.eml` files under
/// `<state>/mail/`): one per bulk change, the errors file attached byte for byte.
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
        let fixture = try await PipelineFixture.make()
        let path = try fixture.write(
            "status-update_mail.csv", "iccid,target_status\n\(fixture.iccid(0)),PURGED\n8.9E+19,ACTIVATED\n")
        let report = try await BulkChangeRunner(workspace: fixture.workspace).run(path: path, tenant: "acme")
        let notifier = Notifier(workspace: fixture.workspace, log: EventLog(now: { fixture.clock.now }) { _ in })
        await notifier.fileFinished(report, name: "status-update_mail.csv")
        await notifier.fileFinished(report, name: "status-update_mail.csv")  // asked twice: still one email
        #expect(await notifier.deliverDue() == 1)
        #expect(await notifier.deliverDue() == 0, "sent once")
        let emails = try Self.emails(fixture)
        try #require(emails.count == 1)
        let unfolded = emails[0].replacingOccurrences(of: "\r\n ", with: " ")
        #expect(unfolded.contains("Subject: BulkDrop: status-update_mail.csv for acme: 0 failed, 2 rejected"))
        #expect(emails[0].contains("\r\nMIME-Version: 1.0\r\n"))
        let errors = try Data(contentsOf: URL(fileURLWithPath: report.paths.errors))
        #expect(Self.attachment(in: emails[0]) == errors, "the errors CSV, byte for byte")
        await fixture.close()
    }

    @Test func cleanRunSendsNothing() async throws {
        let fixture = try await PipelineFixture.make()
        let index = fixture.acmeDevices(withStatus: .activated)[0]
        let path = try fixture.write(
            "status-update_ok.csv", "iccid,target_status\n\(fixture.iccid(index)),DEACTIVATED\n")
        let report = try await BulkChangeRunner(workspace: fixture.workspace).run(path: path, tenant: "acme")
        let notifier = Notifier(workspace: fixture.workspace, log: EventLog(now: { fixture.clock.now }) { _ in })
        await notifier.fileFinished(report, name: "status-update_ok.csv")
        #expect(await notifier.deliverDue() == 0)
        #expect(try await Self.spooled(fixture).isEmpty, "nothing was spooled")
        #expect(!FileManager.default.fileExists(atPath: Self.mailFolder(fixture)), "no .eml was written")
        await fixture.close()
    }

    @Test func writesDisabledAlsoTellsTheOperators() async throws {
        let fixture = try await PipelineFixture.make(writesEnabled: false)
        let path = try fixture.write("status-update_off.csv", "iccid,target_status\n\(fixture.iccid(0)),INVENTORY\n")
        let report = try await BulkChangeRunner(workspace: fixture.workspace).run(path: path, tenant: "acme")
        let notifier = Notifier(workspace: fixture.workspace, log: EventLog(now: { fixture.clock.now }) { _ in })
        await notifier.fileFinished(report, name: "status-update_off.csv")
        #expect(await notifier.deliverDue() == 2)
        let emails = try Self.emails(fixture)
        #expect(emails.count == 2)
        #expect(emails.contains { $0.contains("To: operators@localhost") && $0.contains("writes are disabled") })
        await fixture.close()
    }
}
