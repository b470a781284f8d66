import Mail
import TestSupport
import Testing

@Suite struct MailAddressTests {
    @Test(arguments: [
        "ops@example.com", "first.last+tag@sub.example.org", "o'brien@example.ie", "a@b", "x@[127.0.0.1]",
        "user_1-2=3@mail-relay.example", "UPPER@EXAMPLE.COM",
    ])
    func accepts(_ text: String) throws {
        let address = try #require(MailAddress(text))
        #expect(address.address == text)
        #expect(address.description == text)
    }

    @Test(arguments: [
        ("empty", ""), ("no at sign", "ops.example.com"), ("empty local part", "@example.com"),
        ("empty domain", "ops@"), ("two at signs", "a@b@example.com"), ("space", "ops @example.com"),
        ("angle brackets", "<ops@example.com>"), ("display name", "Ops <ops@example.com>"),
        ("CRLF", "ops@example.com\r\nRCPT TO:<x@y>"), ("LF", "ops@example.com\n"), ("CR", "ops@exa\rmple.com"),
        ("leading dot", ".ops@example.com"), ("trailing dot", "ops.@example.com"), ("double dot", "o..ps@example.com"),
        ("empty label", "ops@example..com"), ("hyphen label", "ops@-example.com"), ("quoted", "\"o p\"@example.com"),
        ("non-ASCII", "zoë@example.com"), ("comma", "a@b.example,c@d.example"), ("tab", "ops\t@example.com"),
        ("NUL", "ops\u{0}@example.com"),
        ("too long", String(repeating: "a", count: 64) + "@" + String(repeating: "b.", count: 100) + "com"),
    ])
    func refuses(name: String, text: String) {
        #expect(MailAddress(text) == nil, "\(name)")
    }
}
