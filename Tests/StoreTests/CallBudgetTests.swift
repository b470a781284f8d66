import Foundation
import Store
import TestSupport
import Testing

/// The token bucket several workers share per Control Center account.
@Suite("Store: call budgets")
struct CallBudgetTests {
    let start = utc("2026-11-27T10:00:00Z")

    @Test(arguments: TestEngine.allCases) func bucketStartsFullGrantsWhatItHoldsAndFillsByTime(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let steps: [(wanted: Int, after: Double, account: String)] = [
                (3, 0, "acct"), (3, 0, "acct"), (1, 0, "acct"), (9, 0.25, "acct"), (9, 10, "acct"), (9, 0, "other"),
            ]
            var grants: [CallGrant] = []
            for step in steps {
                let time = start.addingTimeInterval(step.after)
                grants.append(
                    try await store.write { connection in
                        try connection.takeCalls(
                            account: step.account, wanted: step.wanted, rate: 10, capacity: 5, now: time)
                    })
            }
            #expect(
                grants == [
                    CallGrant(granted: 3, wait: .zero),
                    CallGrant(granted: 2, wait: .zero),  // only 5 in a full bucket
                    CallGrant(granted: 0, wait: .milliseconds(100)),  // the next one fills in 0.1 s
                    CallGrant(granted: 2, wait: .zero),  // 2.5 filled in 0.25 s
                    CallGrant(granted: 5, wait: .zero),  // never more than the 5 it holds
                    CallGrant(granted: 5, wait: .zero),  // each account has its own bucket
                ])
        }
    }
}
