import Testing

@testable import Jasper

/// How the rate adapts to throttling: the pure rules, with time given by the test.
@Suite("Pacing rules")
struct PacingRulesTests {
    private static func rules(_ callsPerSecond: Double = 100) -> PacingRules {
        PacingRules(callsPerSecond: callsPerSecond, window: .milliseconds(1020))
    }

    @Test func throttlingSlowsBy30PercentAtMostOncePerSecond() {
        var rules = Self.rules()
        rules.throttled(at: .seconds(10), retryAfter: nil)
        #expect(rules.currentRate == 70)
        rules.throttled(at: .seconds(10) + .milliseconds(500), retryAfter: nil)
        rules.throttled(at: .seconds(11) - .nanoseconds(1), retryAfter: nil)
        #expect(rules.currentRate == 70)
        rules.throttled(at: .seconds(11), retryAfter: nil)
        #expect(rules.currentRate == 49)
        #expect(rules.throttledCalls == 4)
        #expect(rules.spacing == .milliseconds(1020) / 49)
        #expect(rules.startsPerWindow == 49)
    }

    @Test func neverSlowerThanFivePercent() {
        var rules = Self.rules()
        for second in 0..<20 { rules.throttled(at: .seconds(second), retryAfter: nil) }
        #expect(rules.currentRate == 5)
    }

    @Test func climbsBackQuicklyTo90PercentOfTheThrottledRateThenSlowly() {
        var rules = Self.rules()
        rules.throttled(at: .zero, retryAfter: nil)
        rules.throttled(at: .seconds(1), retryAfter: nil)  // 49, throttled at 70
        var climb: [Double] = []
        for _ in 0..<8 {
            rules.succeeded()
            climb.append(rules.currentRate)
        }
        #expect(climb == [51, 53, 55, 57, 59, 61, 63, 63 + 0.2])
        for _ in 0..<500 { rules.succeeded() }
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
