import Foundation
import Mail
import TestSupport
import Testing

/// STARTTLS and logins against aiosmtpd with a self-signed certificate made by `openssl`.
@Suite struct SMTPSenderTLSTests {
    static func settings(
        _ server: SMTPTestServer, caFile: URL?, username: String? = nil, password: String? = nil
    ) -> SMTPSettings {
        SMTPSettings(
            url: server.url, caFile: caFile?.path, username: username, password: password,
            connectTimeout: .seconds(5), totalTimeout: .seconds(20))
    }

    @Test func startTLSWithTrustedCertificateDelivers() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let certificate = try await TestCertificate(in: folder.url)
        let server = try await SMTPTestServer(in: folder.url, tls: certificate)

        let refused = try await SMTPSender(settings: Self.settings(server, caFile: certificate.certificate))
            .send(SMTPSenderTests.message())
        let received = try await server.nextMessage()
        await server.stop()

        #expect(refused.isEmpty)
        #expect(received.tls)
        #expect(received.recipients == ["ops@example.com"])
    }

    @Test func untrustedCertificateFailsWithoutSending() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let certificate = try await TestCertificate(in: folder.url)
        let server = try await SMTPTestServer(in: folder.url, tls: certificate)

        let error = await #expect(throws: MailError.self) {
            try await SMTPSender(settings: Self.settings(server, caFile: nil)).send(SMTPSenderTests.message())
        }
        await server.stop()

        guard case .tlsFailed(server.url, _) = error else {
            Issue.record("expected tlsFailed, got \(String(describing: error))")
            return
        }
        #expect(error?.isRetryable == false, "the certificate will not verify later either")
        #expect(server.commands.isEmpty)
    }

    @Test func requiredTLSNeverFallsBackToClearText() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let server = try await SMTPTestServer(in: folder.url)  // no STARTTLS on offer

        let error = await #expect(throws: MailError.self) {
            try await SMTPSender(settings: Self.settings(server, caFile: nil)).send(SMTPSenderTests.message())
        }
        await server.stop()

        guard case .tlsFailed(server.url, _) = error else {
            Issue.record("expected tlsFailed, got \(String(describing: error))")
            return
        }
        #expect(error?.isRetryable == false)
        #expect(server.commands.isEmpty, "MAIL or RCPT went out in clear text")
    }

    @Test func loginOverStartTLSDelivers() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let certificate = try await TestCertificate(in: folder.url)
        let server = try await SMTPTestServer(in: folder.url, tls: certificate, login: ("ops", "correct horse"))
        let settings = Self.settings(
            server, caFile: certificate.certificate, username: "ops", password: "correct horse")

        _ = try await SMTPSender(settings: settings).send(SMTPSenderTests.message())
        let received = try await server.nextMessage()
        await server.stop()

        #expect(received.tls)
        #expect(received.authenticated)
    }

    @Test func wrongPasswordIsALoginRefusalThatNeverShowsThePassword() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let certificate = try await TestCertificate(in: folder.url)
        let server = try await SMTPTestServer(in: folder.url, tls: certificate, login: ("ops", "correct horse"))
        let settings = Self.settings(
            server, caFile: certificate.certificate, username: "ops", password: "battery staple")

        let error = await #expect(throws: MailError.self) {
            try await SMTPSender(settings: settings).send(SMTPSenderTests.message())
        }
        await server.stop()

        guard case .authenticationRefused(server.url, _, permanent: true) = error else {
            Issue.record("expected a permanent authenticationRefused, got \(String(describing: error))")
            return
        }
        #expect(error?.isRetryable == false, "the same password will be refused again")
        #expect(!String(describing: error).contains("battery"))
        #expect(!String(describing: settings).contains("battery"))
        #expect(!String(reflecting: settings).contains("battery"))
        var dumped = ""
        dump(settings, to: &dumped)
        #expect(!dumped.contains("battery"))
        #expect(server.commands.isEmpty)
    }
}
