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

    @Test func errorsNameTheRedactedURL() {
        let error = MailError.connectionFailed(url: SMTPSettings.redacted("smtp://u:p4ss@h:25"), reason: "refused")
        #expect(error.description == "smtp://h:25: connection failed: refused")
    }
}
