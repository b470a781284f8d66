/// Why the server refused a request; each answer closes the connection.
///
/// Line numbers are 1-based and count the lines of the request head, the request line being line 1.
enum HTTPRequestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The request line is not `METHOD SP target SP HTTP/x.y`.
    case malformedRequestLine
    /// The version is well formed but not HTTP/1.x.
    case unsupportedVersion(String)
    /// A header line is not `name: value`, or holds a control character, or is an obsolete folded line.
    case malformedHeader(line: Int)
    /// The request line and headers together are larger than the limit.
    case headTooLarge(limit: Int)
    /// `Content-Length` is not a decimal number, or two of them disagree.
    case invalidContentLength
    /// The announced body is larger than the limit.
    case bodyTooLarge(length: Int, limit: Int)
    /// The body is chunked; this server reads bodies by `Content-Length` only.
    case chunkedBody
    /// A transfer coding other than chunked.
    case unsupportedTransferEncoding(String)

    /// The status code the server answers with.
    var status: Int {
        switch self {
        case .malformedRequestLine, .malformedHeader, .invalidContentLength: 400
        case .headTooLarge: 431
        case .bodyTooLarge: 413
        case .chunkedBody: 411
        case .unsupportedTransferEncoding: 501
        case .unsupportedVersion: 505
        }
    }

    var description: String {
        switch self {
        case .malformedRequestLine:
            "malformed request line; expected METHOD SP target SP HTTP/1.1"
        case .unsupportedVersion(let version):
            "unsupported HTTP version \(version); this server speaks HTTP/1.0 and HTTP/1.1"
        case .malformedHeader(let line):
            "line \(line): malformed header field; expected name: value"
        case .headTooLarge(let limit):
            "request line and headers are larger than \(limit) bytes"
        case .invalidContentLength:
            "invalid Content-Length; expected one decimal number"
        case .bodyTooLarge(let length, let limit):
            "request body of \(length) bytes is larger than \(limit) bytes"
        case .chunkedBody:
            "chunked request bodies are not supported; send Content-Length"
        case .unsupportedTransferEncoding(let coding):
            "transfer coding \(coding) is not supported; send Content-Length"
        }
    }
}
