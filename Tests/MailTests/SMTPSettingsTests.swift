import TestSupport
import Testing

@testable import Mail

@Suite struct SMTPSettingsTests {
    @Test func defaultsRequireTLS() {
        let settings = SMTPSettings(url: "smtp://mail.example:587")
        #expect(settings.requireTLS)
        #expect(settings.connectTimeout == .seconds(10))
        #expect(settings.totalTimeout == .seconds(60))
    }

    @Test func descriptionsNeverShowThePassword() {
        let settings = SMTPSettings(
            url: "smtp://ops:url-secret@mail.example:587/bulkdrop.example", caFile: "/etc/ca.pem", username: "ops",
            password: "hunter2")
        var dumped = ""
        dump(settings, to: &dumped)
        for text in [settings.description, String(reflecting: settings), String(describing: settings), dumped] {
            #expect(!text.contains("hunter2"), "\(text)")
            #expect(!text.contains("url-secret"), "\(text)")
        }
        #expect(
            settings.description
                == "smtp://mail.example:587/bulkdrop.example (TLS required, CA file /etc/ca.pem, user ops, password set)"
        )
    }

    @Test(arguments: [
        ("smtp://mail.example:587", "smtp://mail.example:587"),
        ("smtps://user:pass@mail.example:465", "smtps://mail.example:465"),
        ("smtp://user@mail.example/dom@ain", "smtp://mail.example/dom@ain"),
        ("smtp://mail.example/path@x", "smtp://mail.example/path@x"),
        ("not a url", "not a url"),
    ])
    func redactedURL(url: String, expected: String) {
        #expect(SMTPSettings.redacted(url) == expected)
    }

    /// The sender's own error for a URL with user information: nobody listens on the port, so
    /// the connection fails, and the URL it names has lost `u:p4ss@`.
    @Test func errorsNameTheRedactedURL() async throws {
        let port = try SilentListener.unusedPort()
        let settings = SMTPSettings(
            url: "smtp://u:p4ss@127.0.0.1:\(port)", password: "hunter2", connectTimeout: .seconds(5),
            totalTimeout: .seconds(20))
        let error = await #expect(throws: MailError.self) {
            try await SMTPSender(settings: settings).send(SMTPSenderTests.message())
        }
        guard case .connectionFailed(let url, _) = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(url == "smtp://127.0.0.1:\(port)")
        let description = try #require(error).description
        #expect(description.hasPrefix("smtp://127.0.0.1:\(port): connection failed: "), "\(description)")
        #expect(!description.contains("p4ss") && !description.contains("hunter2"), "\(description)")
    }
}
