import BulkChange
import Foundation
import Mail
import Pipeline
import Store
import TestSupport
import Testing

/// Notifications through a real SMTP server (aiosmtpd): spooled while the server is down, sent
/// exactly once when it is back, also across a restart; given up at once when waiting cannot
/// help (a recipient refused for good, a refused login, a password that cannot be had).
@Suite("failure notifications over SMTP")
struct NotificationDeliveryTests {
    static func settings(port: Int) -> NotificationSettings {
        NotificationSettings(
            smtpURL: "smtp://127.0.0.1:\(port)", requireTLS: false, from: "bulkdrop@example.com",
            operators: ["noc@example.com"], tenantContacts: ["acme": ["partner@acme.example"]], maxAttempts: 3)
    }

    /// STARTTLS with the test certificate and a login whose password comes from a file or a variable.
    static func loginSettings(
        server: SMTPTestServer, certificate: TestCertificate, passwordEnvironment: String? = nil,
        passwordFile: String? = nil
    ) -> NotificationSettings {
        var settings = Self.settings(port: server.port)
        settings.requireTLS = true
        settings.caFile = certificate.certificate.path
        settings.username = "ops"
        settings.passwordEnvironment = passwordEnvironment
        settings.passwordFile = passwordFile
        return settings
    }

    /// The spool's notifications in `status`.
    static func spooled(_ fixture: PipelineFixture, _ status: NotificationStatus) async throws -> [NotificationRecord] {
        try await fixture.workspace.store.read { connection in try connection.notifications(status: status) }
    }

    /// Runs a file whose rows are rejected and spools its notification; the recorder sees the log.
    static func spoolRejected(_ fixture: PipelineFixture) async throws -> (LogRecorder, Notifier) {
        let report = try await NotificationTests.runRejected(fixture)
        let recorder = LogRecorder(clock: fixture.clock)
        let notifier = Notifier(workspace: fixture.workspace, log: recorder.log)
        await notifier.fileFinished(report, name: "status-update_mail.csv")
        return (recorder, notifier)
    }

    @Test func spooledWhileTheServerIsDownAndSentOnceWhenItIsBack() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try await PipelineFixture.make(
            notifications: Self.settings(port: try SilentListener.unusedPort())
        ).use { fixture in
            let path = try fixture.write("status-update_bad.csv", "iccid,target_status\n\(fixture.iccid(0)),PURGED\n")
            let report = try await BulkChangeRunner(workspace: fixture.workspace).run(path: path, tenant: "acme")
            let down = Notifier(workspace: fixture.workspace, log: EventLog(now: { fixture.clock.now }) { _ in })
            await down.fileFinished(report, name: "status-update_bad.csv")
            let first = await down.deliverDue()
            #expect(first.sent == 0, "nobody is listening")
            #expect(first.issues.map(\.next) == [.retry(at: fixture.clock.now.addingTimeInterval(30))], "\(first)")
            let waiting = try await fixture.workspace.store.read { connection in
                try connection.notifications(status: .pending)
            }
            #expect(waiting.map(\.attempts) == [1])

            let server = try await SMTPTestServer(in: folder.url)
            let restarted = try await fixture.reopen(notifications: Self.settings(port: server.port))
            let back = Notifier(workspace: restarted, log: EventLog(now: { fixture.clock.now }) { _ in })
            #expect(await back.deliverDue() == DeliveryReport(sent: 0), "not before its next attempt is due")
            fixture.clock.advance(seconds: 31)
            await back.fileFinished(report, name: "status-update_bad.csv")  // asked again after the restart
            #expect(await back.deliverDue() == DeliveryReport(sent: 1))
            let received = try await server.nextMessage()
            #expect(received.recipients == ["partner@acme.example"])
            #expect(received.subject.contains("status-update_bad.csv for acme"))
            let workbook = try Data(contentsOf: URL(fileURLWithPath: report.paths.workbook))
            #expect(received.parts.first { $0.disposition == "attachment" }?.bytes == Array(workbook))
            fixture.clock.advance(seconds: 3600)
            #expect(await back.deliverDue() == DeliveryReport(sent: 0), "sent exactly once")
            await server.stop()
            await restarted.close()
        }
    }

    @Test func recipientRefusedForGoodIsDeadAtOnce() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let server = try await SMTPTestServer(in: folder.url, refusing: ["partner@acme.example"])
        try await PipelineFixture.make(notifications: Self.settings(port: server.port)).use { fixture in
            let (recorder, notifier) = try await Self.spoolRejected(fixture)

            let delivery = await notifier.deliverDue()
            #expect(delivery.sent == 0)
            #expect(delivery.issues.map(\.next) == [.dead], "\(delivery)")
            let dead = try await Self.spooled(fixture, .dead)
            #expect(dead.map(\.attempts) == [1], "given up after the first attempt")
            let lastError = dead.first?.lastError ?? ""
            #expect(lastError.contains("every recipient was refused") && lastError.contains("550"), "\(lastError)")
            #expect(lastError.hasSuffix("(not retried: waiting cannot fix this)"))
            let logged = recorder.events("notification-dead")
            #expect(logged.count == 1 && logged[0].contains("level=error") && logged[0].contains("permanent=true"))
            let commands = server.commands
            fixture.clock.advance(seconds: 3600)
            #expect(await notifier.deliverDue() == DeliveryReport(sent: 0), "never tried again")
            #expect(server.commands == commands)
            await server.stop()
        }
    }

    @Test func deferredRecipientIsTriedAgainLater() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let server = try await SMTPTestServer(in: folder.url, deferring: ["partner@acme.example"])
        try await PipelineFixture.make(notifications: Self.settings(port: server.port)).use { fixture in
            let (recorder, notifier) = try await Self.spoolRejected(fixture)

            let delivery = await notifier.deliverDue()
            #expect(delivery.issues.map(\.next) == [.retry(at: fixture.clock.now.addingTimeInterval(30))])
            #expect(try await Self.spooled(fixture, .pending).map(\.attempts) == [1])
            #expect(recorder.events("notify-retry").count == 1, "\(recorder.text)")
            #expect(recorder.events("notification-dead").isEmpty)
            await server.stop()
        }
    }

    enum PasswordSource: String, CaseIterable {
        case file, environment
    }

    @Test(arguments: PasswordSource.allCases)
    func passwordFromAFileOrAVariableLogsIn(source: PasswordSource) async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let certificate = try await TestCertificate(in: folder.url)
        let server = try await SMTPTestServer(in: folder.url, tls: certificate, login: ("ops", "correct horse"))
        let passwordFile = folder.url.appendingPathComponent("smtp-password").path
        try "correct horse\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let settings = Self.loginSettings(
            server: server, certificate: certificate,
            passwordEnvironment: source == .environment ? "BULKDROP_TEST_SMTP_PASSWORD" : nil,
            passwordFile: source == .file ? passwordFile : nil)
        try await PipelineFixture.make(notifications: settings).use { fixture in
            let report = try await NotificationTests.runRejected(fixture)
            let notifier = Notifier(
                workspace: fixture.workspace, log: LogRecorder(clock: fixture.clock).log,
                environment: ["BULKDROP_TEST_SMTP_PASSWORD": "correct horse"])
            await notifier.fileFinished(report, name: "status-update_mail.csv")

            #expect(await notifier.deliverDue() == DeliveryReport(sent: 1))
            let received = try await server.nextMessage()
            #expect(received.tls && received.authenticated)
            await server.stop()
        }
    }

    /// A configured password that cannot be had: nothing is sent, the notification is given up at
    /// once with a reason that names where the password was looked for, and the log says so.
    @Test(arguments: ["missing file", "empty file", "unset variable", "empty variable"])
    func unavailablePasswordSendsNothingAndSaysWhy(problem: String) async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let certificate = try await TestCertificate(in: folder.url)
        let server = try await SMTPTestServer(in: folder.url, tls: certificate, login: ("ops", "correct horse"))
        let passwordFile = folder.url.appendingPathComponent("smtp-password").path
        if problem == "empty file" { try " \n".write(toFile: passwordFile, atomically: true, encoding: .utf8) }
        let variable = "BULKDROP_TEST_SMTP_PASSWORD_\(UUID().uuidString.prefix(8))"
        let usesFile = problem.hasSuffix("file")
        let settings = Self.loginSettings(
            server: server, certificate: certificate, passwordEnvironment: usesFile ? nil : variable,
            passwordFile: usesFile ? passwordFile : nil)
        try await PipelineFixture.make(notifications: settings).use { fixture in
            let report = try await NotificationTests.runRejected(fixture)
            let recorder = LogRecorder(clock: fixture.clock)
            let notifier = Notifier(
                workspace: fixture.workspace, log: recorder.log,
                environment: problem == "empty variable" ? [variable: ""] : [:])
            await notifier.fileFinished(report, name: "status-update_mail.csv")

            let delivery = await notifier.deliverDue()
            #expect(delivery.sent == 0)
            try #require(delivery.issues.count == 1)
            #expect(delivery.issues[0].next == .dead)
            let expected =
                switch problem {
                case "missing file":
                    "the SMTP password file \(passwordFile) (notifications.passwordFile) cannot be read: "
                        + "No such file or directory"
                case "empty file": "the SMTP password file \(passwordFile) (notifications.passwordFile) is empty"
                default:
                    "the SMTP password variable \(variable) (notifications.passwordEnvironment) is not set or empty"
                }
            #expect(delivery.issues[0].reason.contains(expected), "\(delivery.issues[0].reason)")
            #expect(try await Self.spooled(fixture, .dead).map(\.attempts) == [1])
            #expect(recorder.events("notification-dead").count == 1, "\(recorder.text)")
            #expect(server.commands.isEmpty, "nothing was sent")
            await server.stop()
        }
    }

    @Test func refusedLoginIsDeadAtOnceAndThePasswordIsNeverShown() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let certificate = try await TestCertificate(in: folder.url)
        let server = try await SMTPTestServer(in: folder.url, tls: certificate, login: ("ops", "correct horse"))
        let passwordFile = folder.url.appendingPathComponent("smtp-password").path
        try "battery staple".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        try await PipelineFixture.make(
            notifications: Self.loginSettings(server: server, certificate: certificate, passwordFile: passwordFile)
        ).use { fixture in
            let (recorder, notifier) = try await Self.spoolRejected(fixture)

            let delivery = await notifier.deliverDue()
            #expect(delivery.issues.map(\.next) == [.dead], "\(delivery)")
            let dead = try await Self.spooled(fixture, .dead)
            #expect(dead.map(\.attempts) == [1])
            #expect(
                dead.first?.lastError?.contains("login refused") == true, "\(String(describing: dead.first?.lastError))"
            )
            for text in [recorder.text, dead.first?.lastError ?? "", "\(delivery)"] {
                #expect(!text.contains("battery"), "\(text)")
            }
            #expect(server.commands.isEmpty)
            await server.stop()
        }
    }
}
