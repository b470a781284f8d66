import Foundation
import Jasper
import Pipeline
import Synchronization
import Testing

/// What `CallMetrics` makes of the client's exchanges, on a clock the test moves.
@Suite("Call metrics")
struct CallMetricsTests {
    final class TestClock: Sendable {
        private let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
    }

    private func exchange(
        status: Int?, error: JasperError? = nil, attempt: Int = 1, milliseconds: Int = 40
    ) -> JasperExchange {
        JasperExchange(
            call: "PUT /devices/8901", attempt: attempt, requestBody: "{}", status: status, responseBody: "",
            error: error, duration: .milliseconds(milliseconds))
    }

    @Test func callsAreCountedByResultWithThrottlingRetriesAndLatency() throws {
        let clock = TestClock()
        let metrics = CallMetrics(now: { clock.now })
        metrics.record(exchange(status: 200, milliseconds: 20), provider: "POD19")
        metrics.record(exchange(status: 429, error: .throttled(call: "PUT", retryAfter: nil)), provider: "POD19")
        metrics.record(exchange(status: 200, attempt: 2, milliseconds: 700), provider: "POD19")
        metrics.record(exchange(status: nil, error: .timeout(call: "PUT"), milliseconds: 31_000), provider: "POD19")
        metrics.record(exchange(status: nil, error: .stopped(call: "PUT")), provider: "POD19")
        let calls = try #require(metrics.snapshot()["POD19"])
        #expect(calls.callsByResult == ["200": 2, "429": 1, "timeout": 1], "a stopped call is not the carrier's")
        #expect(calls.throttled == 1)
        #expect(calls.retries == 1)
        // Buckets 0.025 … 30 and +Inf: 20 ms, 40 ms, 700 ms, 31 s.
        #expect(calls.latencyCounts == [1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1])
        #expect(abs(calls.latencySumSeconds - 31.76) < 0.001)
        #expect(calls.lastCall.result == "timeout")
        #expect(!calls.lastCall.healthy)
        #expect(calls.failuresInARow == 1, "the stopped call after the timeout does not count")
    }

    @Test func theRateCoversTheLastTenSecondsAndTheHistoryAnHour() throws {
        let clock = TestClock()
        let metrics = CallMetrics(now: { clock.now })
        for _ in 0..<30 { metrics.record(exchange(status: 200), provider: "POD19") }
        #expect(metrics.snapshot()["POD19"]?.callsPerSecond == 3)
        clock.advance(Double(CallMetrics.rateWindowSeconds))
        let later = try #require(metrics.snapshot()["POD19"])
        #expect(later.callsPerSecond == 0)
        #expect(later.callsPerMinute.reduce(0, +) == 30)
        #expect(later.callsPerMinute.count == CallMetrics.historyMinutes)
        clock.advance(Double(CallMetrics.historyMinutes * 60))
        #expect(metrics.snapshot()["POD19"]?.callsPerMinute.reduce(0, +) == 0, "an hour later the minute is gone")
    }

    @Test func aBusinessErrorIsAHealthyAnswerAndRefusedCredentialsAreNot() {
        let metrics = CallMetrics()
        metrics.record(exchange(status: 404, error: .notFound(call: "GET", message: "no device")), provider: "A")
        metrics.record(
            exchange(status: 401, error: .invalidCredentials(call: "GET", message: "bad key")), provider: "B")
        metrics.record(
            exchange(status: 503, error: .serverError(call: "GET", status: 503, code: "", message: "")), provider: "B")
        let snapshot = metrics.snapshot()
        #expect(snapshot["A"]?.lastCall.healthy == true)
        #expect(snapshot["A"]?.failuresInARow == 0)
        #expect(snapshot["B"]?.lastCall.healthy == false)
        #expect(snapshot["B"]?.failuresInARow == 2)
        metrics.record(exchange(status: 200), provider: "B")
        #expect(metrics.snapshot()["B"]?.failuresInARow == 0, "one good answer ends the streak")
    }
}
