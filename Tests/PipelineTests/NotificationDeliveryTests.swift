import BulkChange
import Foundation
import Mail
import Pipeline
import Store
import TestSupport
import Testing

/// Notifications through a real SMTP server (aiosmtpd): spooled while the server is down, sent
/// exactly once when it is back, also across a restart.
@Suite("failure notifications over SMTP")
struct NotificationDeliveryTests {
    static func settings(port: Int) -> NotificationSettings {
        NotificationSettings(
            smtpURL: "smtp://127.0.0.1:\(port)", requireTLS: false, from: "bulkdrop@example.com",
            operators: ["noc@example.com"], tenantContacts: ["acme": ["partner@acme.example"]], maxAttempts: 3)
    }

    @Test func spooledWhileTheServerIsDownAndSentOnceWhenItIsBack() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let fixture = try await PipelineFixture.make(
            notifications: Self.settings(port: try SilentListener.unusedPort()))
        let path = try fixture.write("status-update_bad.csv", "iccid,target_status\n\(fixture.iccid(0)),PURGED\n")
        let report = try await BulkChangeRunner(workspace: fixture.workspace).run(path: path, tenant: "acme")
        let down = Notifier(workspace: fixture.workspace, log: EventLog(now: { fixture.clock.now }) { _ in })
        await down.fileFinished(report, name: "status-update_bad.csv")
        #expect(await down.deliverDue() == 0, "nobody is listening")
        let waiting = try await fixture.workspace.store.read { connection in
            try connection.notifications(status: .pending)
        }
        #expect(waiting.map(\.attempts) == [1])

        let server = try await SMTPTestServer(in: folder.url)
        let restarted = try await fixture.reopen(notifications: Self.settings(port: server.port))
        let back = Notifier(workspace: restarted, log: EventLog(now: { fixture.clock.now }) { _ in })
        #expect(await back.deliverDue() == 0, "not before its next attempt is due")
        fixture.clock.advance(seconds: 31)
        await back.fileFinished(report, name: "status-update_bad.csv")  // asked again after the restart
        #expect(await back.deliverDue() == 1)
        let received = try await server.nextMessage()
        #expect(received.recipients == ["partner@acme.example"])
        #expect(received.subject.contains("status-update_bad.csv for acme"))
        let errors = try Data(contentsOf: URL(fileURLWithPath: report.paths.errors))
        #expect(received.parts.first { $0.disposition == "attachment" }?.bytes == Array(errors))
        fixture.clock.advance(seconds: 3600)
        #expect(await back.deliverDue() == 0, "sent exactly once")
        await server.stop()
        await restarted.close()
        await fixture.close()
    }
}
