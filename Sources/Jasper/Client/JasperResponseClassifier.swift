import Foundation
import HTTP

/// Turns an HTTP outcome into success or a `JasperError`.
///
/// Control Center's error code wins over the HTTP status, so a rate-limit answer (40000029) is
/// recognised whatever status carries it.
enum JasperResponseClassifier {
    /// `nil` when the response is a success, else the error it means.
    static func error(in response: HTTPResponse, call: String) -> JasperError? {
        let body = try? JSONDecoder().decode(JasperErrorBody.self, from: Data(response.body))
        if let body { return error(code: body.errorCode, message: body.errorMessage, response: response, call: call) }
        switch response.status {
        case 200..<300: return nil
        case 401: return .invalidCredentials(call: call, message: "HTTP 401")
        case 404: return .notFound(call: call, message: "HTTP 404")
        case 429: return .throttled(call: call, retryAfter: retryAfter(response))
        case 500...: return .serverError(call: call, status: response.status, code: "", message: snippet(response))
        default: return .badRequest(call: call, status: response.status, code: "", message: snippet(response))
        }
    }

    /// The error for a request that got no response.
    static func error(from failure: HTTPClientError, call: String) -> JasperError {
        switch failure {
        case .timeout: .timeout(call: call)
        case .connectionFailed(_, _, let reason): .connectionFailed(call: call, reason: reason)
        // libcurl's other failures come mid-exchange: the request may have gone out.
        case .noAnswer(_, _, let reason), .transport(_, _, let reason): .noAnswer(call: call, reason: reason)
        case .tls(_, _, let reason): .tls(call: call, reason: reason)
        case .cancelled: .cancelled(call: call)
        // The process is stopping: like a cancellation, sending again cannot help.
        case .shutDown: .cancelled(call: call)
        }
    }

    private static func error(code: String, message: String, response: HTTPResponse, call: String) -> JasperError {
        switch code {
        case JasperErrorCode.invalidCredentials: .invalidCredentials(call: call, message: message)
        case JasperErrorCode.notFound: .notFound(call: call, message: message)
        case JasperErrorCode.rateLimitExceeded: .throttled(call: call, retryAfter: retryAfter(response))
        case JasperErrorCode.serverError:
            .serverError(call: call, status: response.status, code: code, message: message)
        default:
            response.status >= 500
                ? .serverError(call: call, status: response.status, code: code, message: message)
                : .badRequest(call: call, status: response.status, code: code, message: message)
        }
    }

    /// `Retry-After` in seconds, when present and numeric.
    static func retryAfter(_ response: HTTPResponse) -> Duration? {
        guard let text = response.headers["Retry-After"], let seconds = Double(text), seconds >= 0 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }

    private static func snippet(_ response: HTTPResponse) -> String {
        let text = response.text
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
