import Foundation
import Store
import TestSupport
import Testing

/// Every worker's calls per provider and minute, as the heartbeats write them and the status page
/// reads them.
@Suite("Store: calls per minute of every worker")
struct CallMinuteTests {
    @Test(arguments: TestEngine.allCases) func minutesAreReplacedSummedOverOtherWorkersAndPruned(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let minute: Int64 = 30_000_000
            let read = try await store.write { connection in
                try connection.recordCallMinutes(
                    owner: "a",
                    [
                        CallMinute(provider: "POD19", minute: minute - 1, calls: 5),
                        CallMinute(provider: "POD19", minute: minute, calls: 2),
                    ], keepingFrom: minute - 120)
                // The same minute again takes the newer count.
                try connection.recordCallMinutes(
                    owner: "a", [CallMinute(provider: "POD19", minute: minute, calls: 4)], keepingFrom: minute - 120)
                try connection.recordCallMinutes(
                    owner: "b",
                    [
                        CallMinute(provider: "POD19", minute: minute, calls: 3),
                        CallMinute(provider: "Other", minute: minute - 200, calls: 9),
                    ], keepingFrom: minute - 300)
                return (
                    try connection.callMinutes(from: minute - 59, excluding: "reader"),
                    try connection.callMinutes(from: minute - 59, excluding: "a")
                )
            }
            #expect(
                read.0 == [
                    CallMinute(provider: "POD19", minute: minute - 1, calls: 5),
                    CallMinute(provider: "POD19", minute: minute, calls: 7),
                ])
            #expect(read.1 == [CallMinute(provider: "POD19", minute: minute, calls: 3)], "the reader's own left out")
            let pruned = try await store.write { connection in
                try connection.recordCallMinutes(owner: "a", [], keepingFrom: minute - 120)
                return try connection.callMinutes(from: 0, excluding: "reader")
            }
            #expect(!pruned.contains { $0.provider == "Other" }, "minutes older than the kept ones are removed")
        }
    }
}
