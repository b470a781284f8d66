import Testing

@testable import Jasper

/// How the rate adapts to throttling: the pure rules, with time given by the test.
@Suite("Pacing rules")
struct PacingRulesTests {
    private static func rules(_ callsPerSecond: Double = 100) -> PacingRules {
        PacingRules(callsPerSecond: callsPerSecond, window: .milliseconds(1020))
    }

    @Test func throttlingBringsTheRateToWhatTheServerLetThroughAtMostOncePerSecond() {
        var rules = Self.rules()
        // 40 calls came back fine in the last window: the server's real limit is about 40.
        for tenth in 0..<40 { rules.succeeded(at: .seconds(9) + .milliseconds(25 * tenth)) }
        rules.throttled(at: .seconds(10), retryAfter: nil)
        #expect(rules.currentRate == 39.2)
        rules.throttled(at: .seconds(10) + .milliseconds(500), retryAfter: nil)
        rules.throttled(at: .seconds(11) - .nanoseconds(1), retryAfter: nil)
        #expect(rules.currentRate == 39.2, "once a second at most")
        #expect(rules.throttledCalls == 3)
        #expect(rules.spacing == .milliseconds(1020) / 39.2)
        #expect(rules.startsPerWindow == 39)
    }

    @Test func withNothingLetThroughTheRateFallsBy30PercentAndNeverBelowFivePercent() {
        var rules = Self.rules()
        rules.throttled(at: .zero, retryAfter: nil)
        #expect(rules.currentRate == 70)
        for second in 1..<20 { rules.throttled(at: .seconds(second), retryAfter: nil) }
        #expect(rules.currentRate == 5)
    }

    @Test func aThrottleAlwaysSlowsByAtLeastTwoPercent() {
        var rules = Self.rules()
        for call in 0..<100 { rules.succeeded(at: .milliseconds(10 * call)) }  // 100 let through
        rules.throttled(at: .seconds(1), retryAfter: nil)
        #expect(rules.currentRate == 98)
    }

    @Test func probesUpwardsSlowlyUpToTheConfiguredRate() {
        var rules = Self.rules()
        rules.throttled(at: .zero, retryAfter: nil)  // 70
        for call in 1...100 { rules.succeeded(at: .milliseconds(20 * call)) }
        #expect(abs(rules.currentRate - 71) < 1e-9, "100 calls: +1 call a second")
        for call in 101...5000 { rules.succeeded(at: .milliseconds(20 * call)) }
        #expect(rules.currentRate == 100)
    }

    @Test func retryAfterPausesEveryStartFromWhenItCame() {
        var rules = Self.rules()
        rules.recordStart(at: .zero)
        rules.throttled(at: .milliseconds(100), retryAfter: .seconds(3))
        #expect(rules.earliestStart == .milliseconds(3100))
        // A shorter pause asked later does not cut the longer one short.
        rules.throttled(at: .milliseconds(200), retryAfter: .seconds(1))
        #expect(rules.earliestStart == .milliseconds(3100))
        #expect(rules.currentRate == 70, "one slow-down for both")
    }
}
