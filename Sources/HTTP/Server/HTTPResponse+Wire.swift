extension HTTPResponse {
    /// The status line and header section as the server sends them, ending with the empty line.
    ///
    /// The server owns the framing, so any `Content-Length`, `Transfer-Encoding` or `Connection` field the handler
    /// set is left out. `Content-Length` gives the body's length, also in answer to HEAD (which gets no body);
    /// statuses 1xx and 204 have no body and no `Content-Length`, and 304 sends neither. `connection`, when given,
    /// becomes the `Connection` field.
    func serializedHead(connection: String?) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reasonPhrase(status))\r\n"
        for (name, value) in headers
        where !Self.framingFields.contains(where: { name.caseInsensitiveEquals($0) }) {
            head += "\(name): \(value)\r\n"
        }
        if statusAllowsBody {
            head += "Content-Length: \(body.count)\r\n"
        }
        if let connection {
            head += "Connection: \(connection)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8)
    }

    /// Whether a response with this status ever carries a body (RFC 9110: not 1xx, 204 or 304).
    var statusAllowsBody: Bool {
        status >= 200 && status != 204 && status != 304
    }

    /// Whether this is a status a handler can answer with: a final status (2xx to 9xx, three digits).
    var hasFinalStatus: Bool {
        (200...999).contains(status)
    }

    /// Whether the handler asked for the connection to close after this response.
    var asksToClose: Bool {
        headers.hasConnectionOption("close")
    }

    /// A plain-text response the server makes itself, for requests it refuses.
    static func plainText(status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "text/plain; charset=utf-8"],
            body: Array("\(status) \(reasonPhrase(status)): \(text)\n".utf8))
    }

    private static let framingFields = ["Content-Length", "Transfer-Encoding", "Connection"]

    /// The usual reason phrase of a status; empty for one this table does not know (the phrase is optional).
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: ""
        }
    }
}
