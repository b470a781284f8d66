import Foundation

/// An email to send: plain text with optional attachments.
///
/// `rendered()` turns it into RFC 5322 / MIME bytes; `SMTPSender` sends those to the `to` addresses.
public struct MailMessage: Sendable, Equatable {
    /// The sender, used for the `From` header and the SMTP envelope (`MAIL FROM`).
    public var from: MailAddress
    /// The recipients, used for the `To` header and the SMTP envelope (`RCPT TO`).
    public var to: [MailAddress]
    /// The subject; any Unicode. Line breaks become spaces.
    public var subject: String
    /// The plain-text body; any line breaks (CRLF, CR or LF) are sent as CRLF.
    public var body: String
    /// Files sent along, in this order, after the body.
    public var attachments: [MailAttachment]
    /// The `Date` header, written in UTC.
    public var date: Date
    /// The `Message-ID` header without its angle brackets, e.g. `8c0f…@bulkdrop`.
    ///
    /// Angle brackets, whitespace, line breaks and non-ASCII characters are left out when rendered.
    public var messageID: String

    /// A message; `messageID` defaults to a fresh `<uuid>@bulkdrop`.
    public init(
        from: MailAddress, to: [MailAddress], subject: String, body: String, attachments: [MailAttachment] = [],
        date: Date, messageID: String = MailMessage.makeMessageID()
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.attachments = attachments
        self.date = date
        self.messageID = messageID
    }

    /// A new unique message id such as `1b4e28ba-2fa1-11d2-883f-0016d3cca427@bulkdrop`.
    public static func makeMessageID() -> String {
        UUID().uuidString.lowercased() + "@bulkdrop"
    }

    /// The whole message as RFC 5322 / MIME bytes with CRLF line ends.
    ///
    /// A message without attachments is one quoted-printable `text/plain; charset=utf-8` part;
    /// with attachments it is `multipart/mixed` with a random boundary, the text first, then each
    /// attachment in base64. Header lines are folded to at most 78 characters where possible.
    /// The bytes are not dot-stuffed: that is the SMTP layer's job.
    public func rendered() -> [UInt8] {
        rendered(boundary: MIME.randomBoundary())
    }

    /// `rendered()` with a given multipart boundary (tests); a boundary found in the content is replaced.
    func rendered(boundary: String) -> [UInt8] {
        var fields = [
            "Date: " + MIME.rfc5322Date(date),
            "From: " + from.address,
            MIME.foldedField(
                "To", words: to.enumerated().map { $0.offset < to.count - 1 ? "\($0.element)," : "\($0.element)" }),
            MIME.unstructuredField("Subject", subject),
            "Message-ID: <\(renderedMessageID)>",
            "MIME-Version: 1.0",
        ]
        let textPart = MIME.quotedPrintable(body)
        guard !attachments.isEmpty else {
            fields += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"]
            return Self.head(fields) + textPart
        }

        var parts: [(fields: [String], content: [UInt8])] = [
            (["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"], textPart)
        ]
        for attachment in attachments {
            let partFields = [
                "Content-Type: " + MIME.safeContentType(attachment.contentType),
                "Content-Transfer-Encoding: base64",
                MIME.attachmentDisposition(fileName: attachment.fileName),
            ]
            parts.append((partFields, MIME.base64Lines(attachment.data)))
        }
        var boundary = boundary
        while parts.contains(where: { MIME.contains($0.content, Array(boundary.utf8)) }) {
            boundary = MIME.randomBoundary()
        }

        fields.append("Content-Type: multipart/mixed; boundary=\"\(boundary)\"")
        var output = Self.head(fields)
        let delimiter = Array("--\(boundary)".utf8)
        for part in parts {
            output += delimiter + MIME.crlf + Self.head(part.fields) + part.content
            // The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
            output += MIME.crlf
        }
        output += delimiter + Array("--".utf8) + MIME.crlf
        return output
    }

    /// The message id as it goes between the angle brackets.
    var renderedMessageID: String {
        let kept = messageID.unicodeScalars.filter { (0x21...0x7E).contains($0.value) && $0 != "<" && $0 != ">" }
        return kept.isEmpty ? Self.makeMessageID() : String(String.UnicodeScalarView(kept))
    }

    /// Header fields, each ended by CRLF, and the empty line that ends the header.
    private static func head(_ fields: [String]) -> [UInt8] {
        fields.flatMap { Array($0.utf8) + MIME.crlf } + MIME.crlf
    }
}
