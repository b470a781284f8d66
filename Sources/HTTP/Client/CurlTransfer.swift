internal import CCurl

/// One request in flight: its easy handle, the response as it arrives, and who waits for it.
///
/// Owned by `CurlMultiLoop.Core` (in its `running` table) from the moment the handle joins the
/// multi handle until the transfer completes; libcurl's callbacks reach it through the unretained
/// pointer set as their userdata, which that table keeps alive. It is created by the caller and
/// from `enqueue` on touched by one thread at a time: the loop thread once it has taken it, or the
/// thread that takes it back out of the queue under the loop's lock to cancel it. A hand-over,
/// hence the unchecked `Sendable`.
final class CurlTransfer: @unchecked Sendable {
    let id: Int
    let request: HTTPRequest
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// libcurl writes its detailed message here; it must stay valid as long as the handle.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private(set) var continuation: CheckedContinuation<HTTPResponse, any Error>?
    var responseBody: [UInt8] = []
    var responseHeaders = HTTPHeaders()

    init(id: Int, request: HTTPRequest, continuation: CheckedContinuation<HTTPResponse, any Error>) {
        self.id = id
        self.request = request
        self.continuation = continuation
        easy = curl_easy_init()!
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Sets every option for this request; returns the first failure libcurl reports.
    func configure(_ configuration: HTTPClientConfiguration) -> CURLcode {
        let userdata = Unmanaged.passUnretained(self).toOpaque()
        var result = CURLE_OK
        func set(_ code: CURLcode) { if result == CURLE_OK { result = code } }

        set(ccurl_setopt_ptr(easy, CURLOPT_PRIVATE, UnsafeRawPointer(bitPattern: id)))
        set(ccurl_setopt_ptr(easy, CURLOPT_URL, request.target))
        set(ccurl_setopt_ptr(easy, CURLOPT_PROTOCOLS_STR, "http,https"))
        set(ccurl_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        set(ccurl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.wholeMilliseconds))
        set(ccurl_setopt_long(easy, CURLOPT_TIMEOUT_MS, configuration.requestTimeout.wholeMilliseconds))
        set(ccurl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1))
        set(ccurl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2))
        if let caFile = configuration.caFile { set(ccurl_setopt_ptr(easy, CURLOPT_CAINFO, caFile)) }
        if let proxy = configuration.proxy { set(ccurl_setopt_ptr(easy, CURLOPT_PROXY, proxy)) }
        set(ccurl_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer))

        if request.method == "GET" {
            set(ccurl_setopt_long(easy, CURLOPT_HTTPGET, 1))
        } else if request.method == "HEAD" {
            set(ccurl_setopt_long(easy, CURLOPT_NOBODY, 1))  // a custom HEAD would wait for the body it announces
        } else {
            set(ccurl_setopt_ptr(easy, CURLOPT_CUSTOMREQUEST, request.method))
        }
        if !request.body.isEmpty || request.method == "PUT" || request.method == "POST" {
            // COPYPOSTFIELDS copies the body, so the request may go away while the transfer runs.
            set(ccurl_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            if request.body.isEmpty {
                set(ccurl_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, ""))
            } else {
                request.body.withUnsafeBytes { set(ccurl_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress)) }
            }
        }

        var headers = request.headers
        if headers["Expect"] == nil { headers.add("Expect", "") }  // no 100-continue round trip
        for (name, value) in headers {
            headerList = curl_slist_append(headerList, value.isEmpty ? "\(name):" : "\(name): \(value)")
        }
        set(ccurl_setopt_ptr(easy, CURLOPT_HTTPHEADER, headerList))

        set(ccurl_setopt_ptr(easy, CURLOPT_WRITEDATA, userdata))
        set(ccurl_setopt_ptr(easy, CURLOPT_WRITEFUNCTION, unsafeBitCast(curlWriteBody, to: UnsafeRawPointer.self)))
        set(ccurl_setopt_ptr(easy, CURLOPT_HEADERDATA, userdata))
        set(ccurl_setopt_ptr(easy, CURLOPT_HEADERFUNCTION, unsafeBitCast(curlWriteHeader, to: UnsafeRawPointer.self)))
        return result
    }

    /// Resumes the waiting task exactly once.
    func complete(_ result: Result<HTTPResponse, HTTPClientError>) {
        continuation?.resume(with: result.mapError { $0 as any Error })
        continuation = nil
    }

    /// The response status libcurl recorded.
    var responseStatus: Int {
        var status = 0
        _ = ccurl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return status
    }

    /// The id a finished easy handle was configured with (`CURLOPT_PRIVATE`).
    static func id(of easy: UnsafeMutableRawPointer) -> Int {
        var value: UnsafeMutableRawPointer?
        _ = ccurl_getinfo_ptr(easy, CURLINFO_PRIVATE, &value)
        return Int(bitPattern: value)
    }

    /// The failure for a transfer the multi handle refused to take (`curl_multi_add_handle`).
    func error(adding code: CURLMcode) -> HTTPClientError {
        .transport(
            method: request.method, url: request.target,
            reason: "libcurl could not start the request (curl_multi_add_handle: "
                + "\(String(cString: curl_multi_strerror(code))))")
    }

    /// The failure for a transfer caught in a failure of libcurl's event loop itself.
    func loopFailure(_ reason: String) -> HTTPClientError {
        .transport(method: request.method, url: request.target, reason: reason)
    }

    /// The failure for a transfer libcurl ended with `code`.
    func error(for code: CURLcode) -> HTTPClientError {
        let detail = String(cString: errorBuffer)
        let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let method = request.method
        let url = request.target
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(method: method, url: url)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .connectionFailed(method: method, url: url, reason: reason)
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            return .noAnswer(method: method, url: url, reason: reason)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CERTPROBLEM:
            return .tls(method: method, url: url, reason: reason)
        default:
            return .transport(method: method, url: url, reason: reason)
        }
    }
}

/// libcurl's body callback: appends the bytes to the transfer's response body.
private let curlWriteBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, userdata in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    let length = size * count
    if let data, length > 0 {
        data.withMemoryRebound(to: UInt8.self, capacity: length) {
            transfer.responseBody.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
        }
    }
    return length
}

/// libcurl's header callback: one header line per call; a status line starts a new set (after a
/// redirect or an interim 1xx response).
private let curlWriteHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int =
    {
        data, size, count, userdata in
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
        let length = size * count
        guard let data, length > 0 else { return length }
        let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }.trimmingTrailingLineBreak()
        if line.hasPrefix("HTTP/") {
            transfer.responseHeaders = HTTPHeaders()
        } else if let colon = line.firstIndex(of: ":") {
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            transfer.responseHeaders.add(String(line[..<colon]), String(value))
        }
        return length
    }

extension String {
    fileprivate func trimmingTrailingLineBreak() -> String {
        var text = self
        while let last = text.last, last == "\r\n" || last == "\n" || last == "\r" { text.removeLast() }
        return text
    }
}
