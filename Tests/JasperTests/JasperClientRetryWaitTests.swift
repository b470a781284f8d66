import HTTP
import Jasper
import Synchronization
import Testing

/// The client's waits between attempts run on its limiter's clock, so a test clock times them.
@Suite("Jasper client retry waits", .timeLimit(.minutes(1)))
struct JasperClientRetryWaitTests {
    @Test func retryWaitsRunOnTheLimitersClock() async throws {
        // A server that throttles the first call, asking for 2 s, and answers the second.
        let requests = Mutex(0)
        let server = try HTTPServer.start { request in
            let number = requests.withLock { count in
                count += 1
                return count
            }
            guard number > 1 else {
                return .respond(
                    HTTPResponse(
                        status: 429, headers: ["Retry-After": "2"],
                        body: Array(#"{"errorCode":"40000029","errorMessage":"Rate limit exceeded"}"#.utf8)))
            }
            return .respond(HTTPResponse(status: 200, body: Array(#"{"echo":"hi"}"#.utf8)))
        }
        defer { server.shutdown() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let clock = TestClock()
        let account = JasperAccount(
            baseURL: server.baseURL, credentials: JasperCredentials(username: "u", apiKey: "k"), callsPerSecond: 5,
            maxInFlight: 1, retry: RetryPolicy(maxAttempts: 2, maxDelay: .seconds(1)))
        let client = JasperClient(
            account: account, http: http, limiter: RateLimiter(callsPerSecond: 5, maxInFlight: 1, clock: clock))

        let call = Task { try await client.echo("hi") }
        // The client waits the asked 2 s capped by the policy to 1 s, and the limiter lets no call
        // start before the 2 s are over: two waits, both on the test clock.
        #expect(await clock.advanceToNextDeadline() == .seconds(1))
        #expect(await clock.advanceToNextDeadline() == .seconds(2))
        #expect(try await call.value == "hi")
        #expect(requests.withLock { $0 } == 2)
    }
}
