import Foundation
import HTTP
import Testing

@testable import Monitoring

/// Who may read the listener when a token guards it.
@Suite("Token on the listener")
struct RequestAccessTests {
    private func request(_ authorization: String?) -> HTTPRequest {
        var headers = HTTPHeaders()
        if let authorization { headers.add("Authorization", authorization) }
        return HTTPRequest(method: "GET", target: "/metrics", headers: headers)
    }

    private func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    @Test func withoutATokenEveryRequestIsAnswered() {
        #expect(RequestAccess(token: nil).allows(request(nil)))
    }

    @Test func theTokenAsBearerOrAsBasicPasswordIsAccepted() {
        let access = RequestAccess(token: "t0ken:with-colon")
        #expect(access.allows(request("Bearer t0ken:with-colon")))
        #expect(access.allows(request("bearer t0ken:with-colon")))
        #expect(access.allows(request(basic("ops", "t0ken:with-colon"))))
    }

    @Test func anythingElseIsRefused() {
        let access = RequestAccess(token: "t0ken")
        for header in [
            nil, "", "Bearer", "Bearer t0ke", "Bearer t0ken0", "Bearer T0KEN", "Token t0ken", basic("t0ken", "x"),
            "Basic not-base64!", "Basic " + Data("t0ken".utf8).base64EncodedString(),
        ] {
            #expect(!access.allows(request(header)), "\(header ?? "no header")")
        }
        #expect(RequestAccess.refusal.status == 401)
        #expect(RequestAccess.refusal.headers["WWW-Authenticate"]?.hasPrefix("Basic") == true)
    }
}
