import Foundation
import TestSupport
import Testing

@testable import Mail

/// The whole rendered message: header, structure and line ends.
@Suite struct MailMessageTests {
    static let csv = Array("iccid,status,note\r\n8901,ACTIVATED,\"two\r\nlines\"\r\n.\r\n8902,Zürich,ok\r\n".utf8)

    static func message(attachments: [MailAttachment] = [], body: String = "Hello\n.\nZürich\n") -> MailMessage {
        MailMessage(
            from: .test("bulkdrop@example.com"), to: [.test("ops@example.com"), .test("oncall@example.org")],
            subject: "Bulk change failed", body: body, attachments: attachments,
            date: Date(timeIntervalSince1970: 1_795_770_000), messageID: "abc@bulkdrop")
    }

    static let attachment = MailAttachment(fileName: "fleet.results.csv", contentType: "text/csv", data: csv)

    @Test func plainMessageHeaderAndBody() {
        let rendered = String(decoding: Self.message().rendered(), as: UTF8.self)
        #expect(
            rendered == """
                Date: Fri, 27 Nov 2026 09:00:00 +0000\r
                From: bulkdrop@example.com\r
                To: ops@example.com, oncall@example.org\r
                Subject: Bulk change failed\r
                Message-ID: <abc@bulkdrop>\r
                MIME-Version: 1.0\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                Hello\r
                .\r
                Z=C3=BCrich\r

                """)
    }

    @Test(arguments: [[], [attachment], [attachment, MailAttachment(fileName: "empty.bin", data: [])]])
    func linesEndInCRLFOnly(attachments: [MailAttachment]) {
        let bytes = Self.message(attachments: attachments, body: "a\rb\nc\r\nd").rendered()
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A { #expect(index > 0 && bytes[index - 1] == 0x0D, "bare LF at \(index)") }
            if byte == 0x0D { #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A, "bare CR at \(index)") }
        }
        #expect(bytes.suffix(2) == [0x0D, 0x0A])
        #expect(bytes.allSatisfy { $0 < 0x80 }, "8-bit data in a 7-bit message")
    }

    @Test func multipartHoldsTheTextAndEachAttachmentInBase64() throws {
        let second = MailAttachment(fileName: "Résumé.bin", data: Array(0...255))
        let (fields, body) = MIMEDecoding.split(Self.message(attachments: [Self.attachment, second]).rendered())
        let contentType = try #require(fields.first { $0.name == "Content-Type" }?.value)
        let boundary = try #require(contentType.split(separator: "\"").dropFirst().first.map(String.init))
        #expect(contentType == "multipart/mixed; boundary=\"\(boundary)\"")
        #expect(boundary.hasPrefix("=_bulkdrop_") && boundary.utf8.count <= 70)
        #expect(String(decoding: body, as: UTF8.self).hasSuffix("\r\n--\(boundary)--\r\n"))

        let parts = MIMEDecoding.parts(body, boundary: boundary)
        try #require(parts.count == 3)
        let text = MIMEDecoding.split(parts[0])
        #expect(text.fields.map(\.name) == ["Content-Type", "Content-Transfer-Encoding"])
        #expect(text.fields.map(\.value) == ["text/plain; charset=utf-8", "quoted-printable"])
        #expect(MIMEDecoding.quotedPrintable(text.body) == Array("Hello\r\n.\r\nZürich\r\n".utf8))

        for (part, attachment) in zip(parts.dropFirst(), [Self.attachment, second]) {
            let (partFields, encoded) = MIMEDecoding.split(part)
            #expect(partFields.map(\.name) == ["Content-Type", "Content-Transfer-Encoding", "Content-Disposition"])
            #expect(partFields[0].value == attachment.contentType)
            #expect(partFields[1].value == "base64")
            let lines = String(decoding: encoded, as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines.dropLast().allSatisfy { $0.utf8.count == 76 } && lines.last!.utf8.count <= 76)
            #expect(Array(try #require(Data(base64Encoded: lines.joined()))) == attachment.data)
        }
        let disposition = MIMEDecoding.split(parts[2]).fields[2].value
        #expect(disposition == "attachment; filename=\"R_sum_.bin\"; filename*=UTF-8''R%C3%A9sum%C3%A9.bin")
    }

    @Test func boundaryFoundInTheContentIsReplaced() throws {
        // "AAA" encodes to "QUFB": a boundary of "QUFB" would end the part early.
        let message = Self.message(attachments: [MailAttachment(fileName: "a", data: Array("AAA".utf8))])
        let rendered = message.rendered(boundary: "QUFB")
        let (fields, body) = MIMEDecoding.split(rendered)
        let contentType = try #require(fields.first { $0.name == "Content-Type" }?.value)
        #expect(!contentType.contains("QUFB"))
        let boundary = try #require(contentType.split(separator: "\"").dropFirst().first.map(String.init))
        #expect(MIMEDecoding.parts(body, boundary: boundary).count == 2)
    }

    @Test func boundariesAreRandom() {
        let message = Self.message(attachments: [Self.attachment])
        #expect(message.rendered() != message.rendered())
    }

    @Test func headerLinesStayWithin78CharactersWhenFoldingCan() {
        let message = MailMessage(
            from: .test("bulkdrop@example.com"), to: (1...12).map { .test("person\($0)@example.com") },
            subject: String(repeating: "Échec du lot 42 — ", count: 8), body: "",
            attachments: [MailAttachment(fileName: "fleet inventory, November 2026.csv", data: [1])],
            date: Date(timeIntervalSince1970: 0))
        let lines = String(decoding: message.rendered(), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines.filter { $0.utf8.count > 78 })")
        let to = MIMEDecoding.split(message.rendered()).fields.first { $0.name == "To" }?.value
        #expect(to == (1...12).map { "person\($0)@example.com" }.joined(separator: ", "))
    }

    @Test(arguments: [
        ("abc@bulkdrop", "abc@bulkdrop"), ("<abc@bulkdrop>", "abc@bulkdrop"), ("a b\r\nX: y@z", "abX:y@z"),
    ])
    func messageIDKeepsOnlyWhatFitsBetweenTheBrackets(given: String, rendered: String) {
        var message = Self.message()
        message.messageID = given
        #expect(message.renderedMessageID == rendered)
    }

    @Test func defaultMessageIDsAreUnique() {
        let first = MailMessage(from: .test("a@b.example"), to: [], subject: "", body: "", date: Date())
        let second = MailMessage(from: .test("a@b.example"), to: [], subject: "", body: "", date: Date())
        #expect(first.messageID != second.messageID)
        #expect(first.messageID.hasSuffix("@bulkdrop"))
    }
}
