internal import CCurl
internal import CurlRuntime
import Synchronization

/// One libcurl easy handle delivering one rendered message: the options, the upload, libcurl's
/// transcript and the outcome.
///
/// Made, used and freed on `SMTPSender`'s serial queue during one `send`, so it is never shared
/// between threads. libcurl's callbacks reach it through the unretained pointer set as their
/// userdata; the transfer outlives every callback because `curl_easy_perform` returns before the
/// caller can let go of it, and `deinit` frees the handle.
final class SMTPTransfer {
    private let easy: UnsafeMutableRawPointer
    private let url: String
    private let payload: [UInt8]
    private let cancellation: SMTPCancellation
    private var uploadOffset = 0
    private var recipientList: UnsafeMutablePointer<curl_slist>?
    /// libcurl writes its detailed message here; it must stay valid as long as the handle.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private(set) var conversation = SMTPConversation()

    /// A handle set up to send `payload` from `sender` with `settings`.
    ///
    /// - Throws: `MailError.invalidSettings` when the settings cannot work or libcurl refuses one.
    init(settings: SMTPSettings, sender: MailAddress, payload: [UInt8], cancellation: SMTPCancellation)
        throws(MailError)
    {
        CurlRuntime.ensureInitialized()
        url = SMTPSettings.redacted(settings.url)
        self.payload = payload
        self.cancellation = cancellation
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        guard let easy = curl_easy_init() else {
            errorBuffer.deallocate()
            throw .invalidSettings(url: url, reason: "curl_easy_init failed")
        }
        self.easy = easy
        try configure(settings, sender: sender)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(recipientList)
        errorBuffer.deallocate()
    }

    private func configure(_ settings: SMTPSettings, sender: MailAddress) throws(MailError) {
        let scheme = settings.url.prefix { $0 != ":" }.lowercased()
        guard scheme == "smtp" || scheme == "smtps" else {
            throw .invalidSettings(url: url, reason: "the URL must start with smtp:// or smtps://")
        }
        let hasPassword = settings.password != nil || url != settings.url  // or user information in the URL
        if hasPassword, !settings.requireTLS, scheme == "smtp" {
            throw .invalidSettings(url: url, reason: "a password is only sent over TLS; set requireTLS or use smtps://")
        }
        let userdata = Unmanaged.passUnretained(self).toOpaque()

        try check(ccurl_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(ccurl_setopt_ptr(easy, CURLOPT_URL, settings.url), "CURLOPT_URL")
        try check(ccurl_setopt_ptr(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps"), "CURLOPT_PROTOCOLS_STR")
        try check(ccurl_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        let connectTimeout = settings.connectTimeout.wholeMilliseconds
        try check(ccurl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, connectTimeout), "CURLOPT_CONNECTTIMEOUT_MS")
        try check(
            ccurl_setopt_long(easy, CURLOPT_TIMEOUT_MS, settings.totalTimeout.wholeMilliseconds), "CURLOPT_TIMEOUT_MS")
        try check(ccurl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1), "CURLOPT_SSL_VERIFYPEER")
        try check(ccurl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2), "CURLOPT_SSL_VERIFYHOST")
        if settings.requireTLS {
            try check(ccurl_setopt_long(easy, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)), "CURLOPT_USE_SSL")
        }
        if let caFile = settings.caFile { try check(ccurl_setopt_ptr(easy, CURLOPT_CAINFO, caFile), "CURLOPT_CAINFO") }
        if let username = settings.username {
            try check(ccurl_setopt_ptr(easy, CURLOPT_USERNAME, username), "CURLOPT_USERNAME")
        }
        if let password = settings.password {
            try check(ccurl_setopt_ptr(easy, CURLOPT_PASSWORD, password), "CURLOPT_PASSWORD")
        }

        try check(ccurl_setopt_ptr(easy, CURLOPT_MAIL_FROM, "<\(sender.address)>"), "CURLOPT_MAIL_FROM")
        try check(ccurl_setopt_long(easy, CURLOPT_UPLOAD, 1), "CURLOPT_UPLOAD")
        try check(
            ccurl_setopt_off_t(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(payload.count)), "CURLOPT_INFILESIZE_LARGE")
        try check(ccurl_setopt_ptr(easy, CURLOPT_READDATA, userdata), "CURLOPT_READDATA")
        try check(
            ccurl_setopt_ptr(easy, CURLOPT_READFUNCTION, unsafeBitCast(smtpRead, to: UnsafeRawPointer.self)),
            "CURLOPT_READFUNCTION")
        // The transcript reaches the debug callback only in verbose mode; it prints nothing itself.
        try check(ccurl_setopt_long(easy, CURLOPT_VERBOSE, 1), "CURLOPT_VERBOSE")
        try check(ccurl_setopt_ptr(easy, CURLOPT_DEBUGDATA, userdata), "CURLOPT_DEBUGDATA")
        try check(
            ccurl_setopt_ptr(easy, CURLOPT_DEBUGFUNCTION, unsafeBitCast(smtpDebug, to: UnsafeRawPointer.self)),
            "CURLOPT_DEBUGFUNCTION")
        try check(ccurl_setopt_long(easy, CURLOPT_NOPROGRESS, 0), "CURLOPT_NOPROGRESS")
        try check(ccurl_setopt_ptr(easy, CURLOPT_XFERINFODATA, userdata), "CURLOPT_XFERINFODATA")
        try check(
            ccurl_setopt_ptr(easy, CURLOPT_XFERINFOFUNCTION, unsafeBitCast(smtpProgress, to: UnsafeRawPointer.self)),
            "CURLOPT_XFERINFOFUNCTION")
    }

    /// Asks libcurl to go on when some recipients are refused; `false` when this libcurl cannot.
    func allowRecipientFailures() throws(MailError) -> Bool {
        let code = ccurl_setopt_mail_rcpt_allowfails(easy, 1)
        if code == CURLE_UNKNOWN_OPTION { return false }
        try check(code, "CURLOPT_MAIL_RCPT_ALLOWFAILS")
        return true
    }

    /// Sends the message to `recipients` in one SMTP transaction (on the cached connection when
    /// there is one); returns whether each recipient was accepted, in order.
    func send(to recipients: [MailAddress]) -> Result<[Bool], MailError> {
        curl_slist_free_all(recipientList)
        recipientList = nil
        for recipient in recipients { recipientList = curl_slist_append(recipientList, "<\(recipient.address)>") }
        do throws(MailError) {
            try check(ccurl_setopt_ptr(easy, CURLOPT_MAIL_RCPT, recipientList), "CURLOPT_MAIL_RCPT")
        } catch {
            return .failure(error)
        }
        uploadOffset = 0
        conversation = SMTPConversation()
        errorBuffer[0] = 0

        let code = curl_easy_perform(easy)
        guard code == CURLE_OK else { return .failure(error(for: code, recipients: recipients)) }
        guard conversation.messageAccepted, conversation.recipientAccepted.count == recipients.count else {
            // libcurl reported success, so the server took the message; the transcript is incomplete.
            return .success(Array(repeating: true, count: recipients.count))
        }
        return .success(conversation.recipientAccepted)
    }

    /// Throws `invalidSettings` naming `option` when libcurl refused it.
    private func check(_ code: CURLcode, _ option: String) throws(MailError) {
        guard code == CURLE_OK else {
            throw .invalidSettings(
                url: url, reason: "libcurl refused \(option): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    /// The failure for a transfer libcurl ended with `code`, told apart with the transcript.
    private func error(for code: CURLcode, recipients: [MailAddress]) -> MailError {
        let detail = String(cString: errorBuffer)
        var reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        if let reply = conversation.lastReply, conversation.lastReplyFailed { reason += " (server: \(reply))" }
        switch code {
        case CURLE_ABORTED_BY_CALLBACK where cancellation.isCancelled:
            return .cancelled(url: url)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(url: url, reason: reason)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN:
            return .invalidSettings(url: url, reason: reason)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_GOT_NOTHING:
            return .connectionFailed(url: url, reason: reason)
        case CURLE_SSL_CONNECT_ERROR:
            // The handshake broke off: a dropped connection as often as a real mismatch, so worth another try.
            return .connectionFailed(url: url, reason: "TLS handshake: " + reason)
        case CURLE_USE_SSL_FAILED, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE:
            return .tlsFailed(url: url, reason: reason)
        case CURLE_LOGIN_DENIED:
            return .authenticationRefused(url: url, reason: reason, permanent: !conversation.lastReplyTemporary)
        default:
            if conversation.everyRecipientRefused {
                return .allRecipientsRefused(
                    url: url, recipients: recipients, reason: reason, permanent: !conversation.recipientDeferred)
            }
            // A reply the server refused with is the server's doing; anything else broke the connection.
            return conversation.lastReplyFailed
                ? .serverError(url: url, reason: reason, permanent: !conversation.lastReplyTemporary)
                : .connectionFailed(url: url, reason: reason)
        }
    }

    /// Copies the next bytes of the message into libcurl's buffer; 0 at the end.
    fileprivate func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, payload.count - uploadOffset)
        payload.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + uploadOffset, byteCount: count)
        }
        uploadOffset += count
        return count
    }

    /// Takes transcript bytes: the commands sent and the replies received.
    fileprivate func transcript(_ type: curl_infotype, _ bytes: UnsafeBufferPointer<UInt8>) {
        switch type {
        case CURLINFO_HEADER_OUT: conversation.sent(bytes)
        case CURLINFO_HEADER_IN: conversation.received(bytes)
        default: break  // libcurl's notes, TLS records and the message itself
        }
    }

    fileprivate var isCancelled: Bool { cancellation.isCancelled }
}

/// Set from any thread when the task waiting for a send is cancelled; polled by libcurl's progress callback.
final class SMTPCancellation: Sendable {
    private let cancelled = Atomic(false)

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    func cancel() { cancelled.store(true, ordering: .releasing) }
}

/// libcurl's read callback (`CURLOPT_READFUNCTION`): the next bytes of the rendered message.
private let smtpRead: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    buffer, size, count, userdata in
    guard let buffer else { return 0 }
    let transfer = Unmanaged<SMTPTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    return transfer.read(into: buffer, capacity: size * count)
}

/// libcurl's debug callback (`CURLOPT_DEBUGFUNCTION`): the SMTP transcript, for the conversation.
private let smtpDebug:
    @convention(c) (
        UnsafeMutableRawPointer?, curl_infotype, UnsafeMutablePointer<CChar>?, Int, UnsafeMutableRawPointer?
    ) -> Int32 = { _, type, data, size, userdata in
        guard let data, size > 0 else { return 0 }
        let transfer = Unmanaged<SMTPTransfer>.fromOpaque(userdata!).takeUnretainedValue()
        data.withMemoryRebound(to: UInt8.self, capacity: size) {
            transfer.transcript(type, UnsafeBufferPointer(start: $0, count: size))
        }
        return 0
    }

/// libcurl's progress callback (`CURLOPT_XFERINFOFUNCTION`): a non-zero answer aborts the transfer.
private let smtpProgress:
    @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = {
        userdata, _, _, _, _ in
        Unmanaged<SMTPTransfer>.fromOpaque(userdata!).takeUnretainedValue().isCancelled ? 1 : 0
    }

extension Duration {
    /// The duration in milliseconds, rounded up and at least 1 so that libcurl never reads 0 as "no limit".
    fileprivate var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000))
    }
}
