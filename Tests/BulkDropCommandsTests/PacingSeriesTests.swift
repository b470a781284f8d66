import Testing

@testable import BulkDropCommands

/// `bench pacing`'s per-second series and its `settled_after_s`.
@Suite("Pacing series")
struct PacingSeriesTests {
    @Test func callsFallIntoTheirWholeSecondAndTheLastPartialSecondIsLeftOut() {
        var series = PacingSeries()
        for milliseconds in [10, 990, 1_000, 2_500, 2_999, 4_200] { series.record(at: .milliseconds(milliseconds)) }
        #expect(series.perSecond == [2, 1, 2, 0, 1])
        #expect(series.fullSeconds(of: .milliseconds(4_300)) == [2, 1, 2, 0])
        #expect(series.fullSeconds(of: .seconds(7)) == [2, 1, 2, 0, 1, 0, 0])
    }

    @Test(arguments: [
        ([30, 70, 52, 48, 50, 55], 50, 2 as Int?),
        ([50, 50, 50], 50, 0),
        ([50, 60, 50], 50, 2),
        ([50, 50, 44], 50, nil),
        ([], 50, nil),
        ([45, 55, 45], 50, 0),
    ])
    func settlesFromTheFirstSecondThatStaysWithinTenPercent(windows: [Int], target: Int, expected: Int?) {
        #expect(PacingSeries.settledAfter(windows, target: target) == expected)
    }

    @Test func longSeriesAreCut() {
        #expect(PacingSeries.text([1, 2, 3]) == "1,2,3")
        #expect(PacingSeries.text(Array(repeating: 5, count: 62), limit: 3) == "5,5,5,…+59")
    }
}
