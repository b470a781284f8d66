/// What was said during one SMTP transaction, followed from libcurl's transcript: which command
/// each reply answers, and so which recipients the server accepted.
///
/// libcurl runs the conversation and, with `CURLOPT_MAIL_RCPT_ALLOWFAILS`, goes on past a
/// refused recipient without saying which one it was; this state machine reads the command and
/// reply lines it reports (`CURLINFO_HEADER_OUT` / `CURLINFO_HEADER_IN`) to find out. It keeps
/// no command text: lines sent while logging in carry the credentials and are only counted as
/// part of the login. Pure: the transfer feeds it the transcript in whatever pieces libcurl
/// hands over, and it splits them into lines itself.
struct SMTPConversation: Equatable {
    /// The command the next reply answers.
    enum Stage: Equatable {
        case greeting
        case hello
        case startTLS
        case authentication
        case sender
        /// `RCPT TO` for the recipient at this position in the envelope (0-based).
        case recipient(Int)
        case data
        /// The message itself, after the server's 354 go-ahead.
        case message
        case quit
        case other
    }

    private(set) var stage = Stage.greeting
    /// For each `RCPT TO` in the order sent, whether the server accepted it (a 2xx reply).
    private(set) var recipientAccepted: [Bool] = []
    /// Whether the server took the message (a 2xx reply after the data).
    private(set) var messageAccepted = false
    /// The last line of the latest reply, printable ASCII and at most 200 characters, e.g.
    /// `550 5.1.1 <nobody@example.com>: recipient refused`. The reply to `QUIT` is not kept: libcurl
    /// says goodbye after a refusal, and the refusal is what tells what went wrong.
    private(set) var lastReply: String?
    /// Whether the latest reply was a failure (4xx or 5xx).
    private(set) var lastReplyFailed = false
    /// Whether the latest reply was a temporary failure (4xx: the server asks to try again later).
    private(set) var lastReplyTemporary = false
    /// Whether the server deferred some `RCPT TO` with a 4xx reply instead of refusing it for good.
    private(set) var recipientDeferred = false
    private var recipientsSent = 0
    /// Transcript bytes not yet ended by a line break, commands and replies apart.
    private var pendingSent: [UInt8] = []
    private var pendingReceived: [UInt8] = []

    /// libcurl sent these bytes of one or more commands.
    mutating func sent<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        for byte in bytes {
            if let line = Self.append(byte, to: &pendingSent) { sent(line: line) }
        }
    }

    /// libcurl received these bytes of one or more reply lines.
    mutating func received<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        for byte in bytes {
            if let line = Self.append(byte, to: &pendingReceived) { received(line: line) }
        }
    }

    /// Adds `byte` to the line in `pending`; the line without its CRLF once `byte` ends it.
    private static func append(_ byte: UInt8, to pending: inout [UInt8]) -> String? {
        guard byte == 0x0A else {
            pending.append(byte)
            return nil
        }
        if pending.last == 0x0D { pending.removeLast() }
        defer { pending.removeAll(keepingCapacity: true) }
        return String(decoding: pending, as: UTF8.self)
    }

    private mutating func sent(line: String) {
        // A line sent during the login is a SASL response, base64 credentials that could even
        // read "DATA": never kept, never parsed.
        guard stage != .authentication else { return }
        let command = line.uppercased()
        if command.hasPrefix("EHLO ") || command.hasPrefix("HELO ") {
            stage = .hello
        } else if command == "STARTTLS" {
            stage = .startTLS
        } else if command.hasPrefix("AUTH ") {
            stage = .authentication
        } else if command.hasPrefix("MAIL FROM:") {
            stage = .sender
        } else if command.hasPrefix("RCPT TO:") {
            stage = .recipient(recipientsSent)
            recipientsSent += 1
        } else if command == "DATA" {
            stage = .data
        } else if command == "QUIT" {
            stage = .quit
        } else {
            stage = .other
        }
    }

    /// Only the last line of a reply (`250 …`, not `250-…`) moves the conversation on.
    private mutating func received(line: String) {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes[0..<3].allSatisfy({ (0x30...0x39).contains($0) }),
            bytes.count == 3 || bytes[3] != UInt8(ascii: "-")
        else { return }
        guard stage != .quit else { return }
        let succeeded = bytes[0] == UInt8(ascii: "2") || bytes[0] == UInt8(ascii: "3")
        lastReply = String(
            decoding: bytes.prefix(200).map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
        lastReplyFailed = !succeeded
        lastReplyTemporary = bytes[0] == UInt8(ascii: "4")
        switch stage {
        case .recipient(let index) where index == recipientAccepted.count:
            recipientAccepted.append(bytes[0] == UInt8(ascii: "2"))
            if lastReplyTemporary { recipientDeferred = true }
        case .data where bytes.starts(with: Array("354".utf8)):
            stage = .message
        case .message:
            messageAccepted = bytes[0] == UInt8(ascii: "2")
        case .authentication where !bytes.starts(with: Array("334".utf8)):
            stage = .other  // the login is over, in success or failure
        default:
            break
        }
    }

    /// Whether every `RCPT TO` was answered and none was accepted.
    var everyRecipientRefused: Bool {
        !recipientAccepted.isEmpty && recipientAccepted.count == recipientsSent && !recipientAccepted.contains(true)
    }
}
