import TestSupport
import Testing

@testable import Mail

/// Following libcurl's SMTP transcript. Each transcript is fed whole, byte by byte, and in odd-sized
/// pieces, since libcurl may hand it over in any pieces.
@Suite struct SMTPConversationTests {
    /// One transcript entry: `>` a command libcurl sent, `<` a reply line received.
    typealias Transcript = [(direction: Character, text: String)]

    static func follow(_ transcript: Transcript, chunkSize: Int?) -> SMTPConversation {
        var conversation = SMTPConversation()
        for (direction, text) in transcript {
            let bytes = Array((text + "\r\n").utf8)
            let size = chunkSize ?? bytes.count
            for start in stride(from: 0, to: bytes.count, by: size) {
                let piece = bytes[start..<min(start + size, bytes.count)]
                if direction == ">" { conversation.sent(piece) } else { conversation.received(piece) }
            }
        }
        return conversation
    }

    static let greeting: Transcript = [
        ("<", "220 localhost ESMTP"), (">", "EHLO client"), ("<", "250-localhost"), ("<", "250-SIZE 33554432"),
        ("<", "250 HELP"),
    ]

    /// `deferred`: some recipient was refused with 4xx only (worth another try later).
    static let cases:
        [(
            name: String, transcript: Transcript, accepted: [Bool], messageAccepted: Bool, refusedAll: Bool,
            deferred: Bool
        )] = [
            (
                "all accepted",
                greeting + [
                    (">", "MAIL FROM:<a@b.example>"), ("<", "250 OK"), (">", "RCPT TO:<c@d.example>"),
                    ("<", "250 OK"),
                    (">", "RCPT TO:<e@f.example>"), ("<", "250 OK"), (">", "DATA"), ("<", "354 go ahead"),
                    ("<", "250 2.0.0 queued"),
                ],
                [true, true], true, false, false
            ),
            (
                "middle recipient refused with a multi-line reply",
                greeting + [
                    (">", "MAIL FROM:<a@b.example>"), ("<", "250 OK"), (">", "RCPT TO:<c@d.example>"),
                    ("<", "250 OK"),
                    (">", "RCPT TO:<x@d.example>"), ("<", "550-5.1.1 no such user"), ("<", "550 5.1.1 really"),
                    (">", "RCPT TO:<e@f.example>"), ("<", "250 OK"), (">", "DATA"), ("<", "354 go ahead"),
                    ("<", "250 queued"),
                ],
                [true, false, true], true, false, false
            ),
            (
                "every recipient refused",
                greeting + [
                    (">", "MAIL FROM:<a@b.example>"), ("<", "250 OK"), (">", "RCPT TO:<c@d.example>"),
                    ("<", "550 no"), (">", "RCPT TO:<e@f.example>"), ("<", "450 later"), (">", "QUIT"),
                    ("<", "221 bye"),
                ],
                [false, false], false, true, true
            ),
            (
                "every recipient refused for good",
                greeting + [
                    (">", "MAIL FROM:<a@b.example>"), ("<", "250 OK"), (">", "RCPT TO:<c@d.example>"),
                    ("<", "550 no"), (">", "RCPT TO:<e@f.example>"), ("<", "553 never"), (">", "QUIT"),
                    ("<", "221 bye"),
                ],
                [false, false], false, true, false
            ),
            (
                "login with SASL responses that look like commands",
                greeting + [
                    (">", "AUTH LOGIN"), ("<", "334 VXNlcm5hbWU6"), (">", "DATA"), ("<", "334 UGFzc3dvcmQ6"),
                    (">", "RCPT TO:<not@a.command>"), ("<", "235 2.7.0 Authentication successful"),
                    (">", "MAIL FROM:<a@b.example>"), ("<", "250 OK"), (">", "RCPT TO:<c@d.example>"),
                    ("<", "250 OK"),
                    (">", "DATA"), ("<", "354 go ahead"), ("<", "554 rejected"),
                ],
                [true], false, false, false
            ),
            (
                "STARTTLS first",
                greeting + [
                    (">", "STARTTLS"), ("<", "220 ready"), (">", "EHLO client"), ("<", "250 localhost"),
                    (">", "MAIL FROM:<a@b.example>"), ("<", "250 OK"), (">", "RCPT TO:<c@d.example>"),
                    ("<", "250 OK"),
                    (">", "DATA"), ("<", "354 go ahead"), ("<", "250 queued"),
                ],
                [true], true, false, false
            ),
        ]

    @Test(arguments: cases.indices, [nil, 1, 3, 7])
    func follows(caseIndex: Int, chunkSize: Int?) {
        let (name, transcript, accepted, messageAccepted, refusedAll, deferred) = Self.cases[caseIndex]
        let conversation = Self.follow(transcript, chunkSize: chunkSize)
        #expect(conversation.recipientAccepted == accepted, "\(name)")
        #expect(conversation.messageAccepted == messageAccepted, "\(name)")
        #expect(conversation.everyRecipientRefused == refusedAll, "\(name)")
        #expect(conversation.recipientDeferred == deferred, "\(name)")
    }

    @Test(arguments: [
        ("451 4.3.0 try later", true, true), ("554 5.7.1 refused", true, false), ("250 OK", false, false),
    ])
    func tellsTemporaryFailuresFromPermanentOnes(reply: String, failed: Bool, temporary: Bool) {
        var conversation = SMTPConversation()
        conversation.received(Array((reply + "\r\n").utf8))
        #expect(conversation.lastReplyFailed == failed)
        #expect(conversation.lastReplyTemporary == temporary)
    }

    @Test func lastReplyIsPrintableAndShort() {
        var conversation = SMTPConversation()
        conversation.received(Array("550 5.1.1 bad\u{7}\u{1b}[31m é \(String(repeating: "x", count: 300))\r\n".utf8))
        let reply = conversation.lastReply ?? ""
        #expect(reply.hasPrefix("550 5.1.1 bad??[31m ?? x"))
        #expect(reply.utf8.count == 200)
        #expect(conversation.lastReplyFailed)
    }

    @Test func theGoodbyeDoesNotHideTheRefusal() {
        let conversation = Self.follow(
            Self.greeting + [(">", "MAIL FROM:<a@b.example>"), ("<", "553 5.7.1 no"), (">", "QUIT"), ("<", "221 bye")],
            chunkSize: nil)
        #expect(conversation.lastReply == "553 5.7.1 no")
        #expect(conversation.lastReplyFailed)
        #expect(!conversation.lastReplyTemporary)
    }

    @Test func continuationLinesDoNotCountAsReplies() {
        var conversation = SMTPConversation()
        conversation.received(Array("250-first\r\n".utf8))
        #expect(conversation.lastReply == nil)
        conversation.received(Array("250 last\r\n".utf8))
        #expect(conversation.lastReply == "250 last")
        #expect(!conversation.lastReplyFailed)
    }
}
