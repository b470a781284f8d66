import Foundation
import HTTP

/// Whether a request may be answered: always without a token; with one, only when it carries it
/// as `Authorization: Bearer TOKEN` (Prometheus, curl) or as the password of Basic authentication
/// (a browser asks for it; any user name).
struct RequestAccess: Sendable {
    let token: String?

    func allows(_ request: HTTPRequest) -> Bool {
        guard let token else { return true }
        guard let header = request.headers["Authorization"] else { return false }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return false }
        switch parts[0].lowercased() {
        case "bearer":
            return Self.same(String(parts[1]), token)
        case "basic":
            guard let decoded = Data(base64Encoded: String(parts[1])),
                let colon = decoded.firstIndex(of: UInt8(ascii: ":"))
            else { return false }
            return Self.same(String(decoding: decoded[(colon + 1)...], as: UTF8.self), token)
        default:
            return false
        }
    }

    /// The answer to a request without the token: a browser then asks for it.
    static let refusal = HTTPResponse(
        status: 401,
        headers: [
            "WWW-Authenticate": "Basic realm=\"bulkdrop\", charset=\"UTF-8\"",
            "Content-Type": "text/plain; charset=utf-8",
        ],
        body: Array(
            "this listener needs the token named by listenTokenEnvironment: send it as a Bearer token, or as the password\n"
                .utf8))

    /// Compares without stopping at the first difference, so the time taken does not tell how much of a guess was right.
    private static func same(_ given: String, _ expected: String) -> Bool {
        let (a, b) = (Array(given.utf8), Array(expected.utf8))
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<b.count { difference |= (index < a.count ? a[index] : 0) ^ b[index] }
        return difference == 0
    }
}
