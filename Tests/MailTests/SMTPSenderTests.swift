import Foundation
import TestSupport
import Testing

@testable import Mail

/// Sending to a real SMTP server (aiosmtpd) on 127.0.0.1 through libcurl.
@Suite struct SMTPSenderTests {
    static let date = Date(timeIntervalSince1970: 1_795_770_000)  // Fri, 27 Nov 2026 09:00:00 +0000

    static func message(
        to: [String] = ["ops@example.com"], subject: String = "Bulk change failed",
        body: String = "See the attachment.",
        attachments: [MailAttachment] = []
    ) -> MailMessage {
        MailMessage(
            from: .test("bulkdrop@example.com"), to: to.map(MailAddress.test), subject: subject, body: body,
            attachments: attachments, date: date, messageID: "test-1@bulkdrop")
    }

    static func clearText(_ url: String) -> SMTPSettings {
        SMTPSettings(url: url, requireTLS: false, connectTimeout: .seconds(5), totalTimeout: .seconds(20))
    }

    @Test func messageWithCSVAttachmentArrivesWhole() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let server = try await SMTPTestServer(in: folder.url)
        let body = "Bulk change 42 failed.\nThe next line is a lone dot:\n.\n..two dots\n.leading dot\nZürich ✓\n"
        let csv = Array(
            "iccid,status,note\r\n8901,ACTIVATED,\"line one\r\n.\r\nline three\"\r\n8902,Zürich,ok\r\n.\r\n".utf8)
        let message = Self.message(
            to: ["ops@example.com", "oncall@example.org"], body: body,
            attachments: [MailAttachment(fileName: "fleet.results.csv", contentType: "text/csv", data: csv)])

        let refused = try await SMTPSender(settings: Self.clearText(server.url)).send(message)
        let received = try await server.nextMessage()
        await server.stop()

        #expect(refused.isEmpty)
        #expect(received.mailFrom == "bulkdrop@example.com")
        #expect(received.recipients == ["ops@example.com", "oncall@example.org"])
        #expect(received.defects.isEmpty)
        #expect(
            received.headerNames == ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type"])
        #expect(received.subject == "Bulk change failed")
        #expect(received.to == "ops@example.com, oncall@example.org")
        let head = String(decoding: received.raw, as: UTF8.self)
        #expect(head.hasPrefix("Date: Fri, 27 Nov 2026 09:00:00 +0000\r\nFrom: bulkdrop@example.com\r\n"))
        #expect(head.contains("\r\nMessage-ID: <test-1@bulkdrop>\r\nMIME-Version: 1.0\r\n"))
        try #require(received.parts.count == 2)
        #expect(received.parts[0].contentType == "text/plain")
        #expect(received.parts[0].charset == "utf-8")
        #expect(received.parts[0].text == body.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(received.parts[1].contentType == "text/csv")
        #expect(received.parts[1].disposition == "attachment")
        #expect(received.parts[1].fileName == "fleet.results.csv")
        #expect(received.parts[1].bytes == csv)
    }

    @Test func subjectWithLineBreaksCannotAddHeaders() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let server = try await SMTPTestServer(in: folder.url)
        let sender = SMTPSender(settings: Self.clearText(server.url))
        let subjects = [
            "Échec du lot 42 — Zürich\r\nBcc: victim@example.com",
            "Report\r\nBcc: victim@example.com\nX-Injected: yes",
        ]
        var received: [SMTPTestServer.Received] = []
        for subject in subjects {
            _ = try await sender.send(Self.message(subject: subject, body: "x"))
            received.append(try await server.nextMessage())
        }
        await server.stop()

        for (subject, message) in zip(subjects, received) {
            let expectedSubject = subject.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : String($0) }.joined()
            #expect(message.subject == expectedSubject)
            #expect(
                message.headerNames == [
                    "Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type",
                    "Content-Transfer-Encoding",
                ])
            #expect(message.recipients == ["ops@example.com"])
            #expect(message.defects.isEmpty)
            let head = String(decoding: message.raw, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
            #expect(head.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        }
        #expect(String(decoding: received[0].raw, as: UTF8.self).contains("Subject: =?UTF-8?B?"))
    }

    @Test(arguments: [SMTPSender.RecipientMode.automatic, .onePerTransaction])
    func refusedRecipientDoesNotStopTheOthers(mode: SMTPSender.RecipientMode) async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let server = try await SMTPTestServer(in: folder.url, refusing: ["nobody@example.com"])
        let sender = SMTPSender(settings: Self.clearText(server.url), recipientMode: mode)

        let refused = try await sender.send(
            Self.message(to: ["ops@example.com", "nobody@example.com", "oncall@example.org"]))
        var recipients = try await server.nextMessage().recipients
        if mode == .onePerTransaction { recipients += try await server.nextMessage().recipients }
        await server.stop()

        #expect(refused == [.test("nobody@example.com")])
        #expect(recipients == ["ops@example.com", "oncall@example.org"])
    }

    @Test(arguments: [SMTPSender.RecipientMode.automatic, .onePerTransaction])
    func everyRecipientRefusedThrows(mode: SMTPSender.RecipientMode) async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let server = try await SMTPTestServer(in: folder.url, refusing: ["a@example.com", "b@example.com"])
        let sender = SMTPSender(settings: Self.clearText(server.url), recipientMode: mode)

        let error = await #expect(throws: MailError.self) {
            try await sender.send(Self.message(to: ["a@example.com", "b@example.com"]))
        }
        await server.stop()

        guard case .allRecipientsRefused(let url, let recipients, let reason, let permanent) = error else {
            Issue.record("expected allRecipientsRefused, got \(String(describing: error))")
            return
        }
        #expect(url == server.url)
        #expect(recipients == [.test("a@example.com"), .test("b@example.com")])
        #expect(reason.contains("550"))
        #expect(permanent, "550 to everyone: sending again cannot help")
        #expect(error?.isRetryable == false)
        #expect(!server.commands.isEmpty)
    }

    /// Recipients the server only deferred (450) may take the message later; one refused for good
    /// (550) next to one deferred still leaves the message worth another try.
    @Test(arguments: [SMTPSender.RecipientMode.automatic, .onePerTransaction], [["a@example.com"], []])
    func deferredRecipientsAreWorthAnotherTry(mode: SMTPSender.RecipientMode, refused: [String]) async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let server = try await SMTPTestServer(in: folder.url, refusing: refused, deferring: ["b@example.com"])
        let sender = SMTPSender(settings: Self.clearText(server.url), recipientMode: mode)

        let error = await #expect(throws: MailError.self) {
            try await sender.send(Self.message(to: refused + ["b@example.com"]))
        }
        await server.stop()

        guard case .allRecipientsRefused(_, _, let reason, let permanent) = error else {
            Issue.record("expected allRecipientsRefused, got \(String(describing: error))")
            return
        }
        #expect(!permanent)
        #expect(error?.isRetryable == true)
        #expect(reason.contains("450") || reason.contains("550"), "\(reason)")
    }

    /// The server's answer to MAIL FROM decides: 5xx is for good, 4xx asks to try again later.
    @Test(arguments: [("553 5.7.1 sender not allowed", true), ("451 4.3.0 try again later", false)])
    func refusedSenderIsPermanentOnlyFor5xx(reply: String, permanent: Bool) async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let server = try await SMTPTestServer(in: folder.url, mailReply: reply)

        let error = await #expect(throws: MailError.self) {
            try await SMTPSender(settings: Self.clearText(server.url)).send(Self.message())
        }
        await server.stop()

        guard case .serverError(server.url, let reason, let wasPermanent) = error else {
            Issue.record("expected serverError, got \(String(describing: error))")
            return
        }
        #expect(reason.contains(String(reply.prefix(3))), "\(reason)")
        #expect(wasPermanent == permanent)
        #expect(error?.isRetryable == !permanent)
        #expect(server.commands == ["MAIL bulkdrop@example.com"], "nothing after the refused sender")
    }

    @Test func serverDownIsAConnectionFailure() async throws {
        let url = "smtp://127.0.0.1:\(try SilentListener.unusedPort())"
        let error = await #expect(throws: MailError.self) {
            try await SMTPSender(settings: Self.clearText(url)).send(Self.message())
        }
        guard case .connectionFailed(let errorURL, let reason) = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(errorURL == url)
        #expect(!reason.isEmpty)
        #expect(error?.isRetryable == true, "the server may be back later")
    }

    @Test func silentServerTimesOut() async throws {
        let listener = try SilentListener()
        let url = "smtp://127.0.0.1:\(listener.port)"
        let settings = SMTPSettings(
            url: url, requireTLS: false, connectTimeout: .seconds(5), totalTimeout: .milliseconds(300))
        let error = await #expect(throws: MailError.self) {
            try await SMTPSender(settings: settings).send(Self.message())
        }
        guard case .timeout(url, _) = error else {
            Issue.record("expected timeout, got \(String(describing: error))")
            return
        }
        #expect(error?.isRetryable == true)
    }

    @Test func cancellingBeforeTheTransferStartsSendsNothing() async throws {
        let listener = try SilentListener()
        let url = "smtp://127.0.0.1:\(listener.port)"
        let sender = SMTPSender(settings: SMTPSettings(url: url, requireTLS: false, totalTimeout: .seconds(60)))
        let task = Task { try await sender.send(Self.message()) }
        task.cancel()
        // A lost cancel would end in .timeout after the 60 s limit; no wall-clock bound is needed.
        let result = await task.result
        #expect(throws: MailError.cancelled(url: url)) { try result.get() }
    }

    @Test func cancellingDuringTheConversationStopsTheTransfer() async throws {
        let listener = try SilentListener()
        let url = "smtp://127.0.0.1:\(listener.port)"
        // The connection phase (which waits for the greeting) may last as long as the whole transfer:
        // on a loaded run the cancel can come more than the default 10 s after the connect.
        let sender = SMTPSender(
            settings: SMTPSettings(
                url: url, requireTLS: false, connectTimeout: .seconds(60), totalTimeout: .seconds(60)))
        let task = Task { try await sender.send(Self.message()) }
        // Returns as soon as libcurl connects (then it waits for the greeting); the bound only keeps a
        // broken sender from hanging the run, so it is generous for a loaded machine.
        #expect(await listener.waitForConnection(milliseconds: 60_000))
        task.cancel()
        // A cancel that did not stop the transfer would end in .timeout after the 60 s limit.
        let result = await task.result
        #expect(throws: MailError.cancelled(url: url)) { try result.get() }
    }

    @Test func noRecipientsThrowsBeforeConnecting() async {
        let sender = SMTPSender(settings: Self.clearText("smtp://127.0.0.1:1"))
        await #expect(throws: MailError.noRecipients) { try await sender.send(Self.message(to: [])) }
    }

    @Test(arguments: [
        SMTPSettings(url: "smtp://127.0.0.1:1", requireTLS: false, username: "ops", password: "s3cret"),
        SMTPSettings(url: "smtp://ops:s3cret@127.0.0.1:1", requireTLS: false),
    ])
    func passwordWithoutTLSIsRefusedBeforeConnecting(settings: SMTPSettings) async {
        let error = await #expect(throws: MailError.self) {
            try await SMTPSender(settings: settings).send(Self.message())
        }
        guard case .invalidSettings("smtp://127.0.0.1:1", _) = error else {
            Issue.record("expected invalidSettings, got \(String(describing: error))")
            return
        }
        #expect(error?.isRetryable == false, "the settings must change first")
        #expect(!String(describing: error).contains("s3cret"))
    }

    @Test func otherSchemesAreRefused() async {
        let settings = SMTPSettings(url: "http://127.0.0.1:1", requireTLS: false)
        let error = await #expect(throws: MailError.self) {
            try await SMTPSender(settings: settings).send(Self.message())
        }
        guard case .invalidSettings = error else {
            Issue.record("expected invalidSettings, got \(String(describing: error))")
            return
        }
    }
}
