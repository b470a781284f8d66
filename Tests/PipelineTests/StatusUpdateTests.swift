import BulkChange
import Foundation
import JasperSim
import Pipeline
import TestSupport
import Testing

/// status-update end to end against the simulator: successes, every kind of failure, and the
/// invariant that results, store and simulator agree.
@Suite("status-update end to end")
struct StatusUpdateTests {
    @Test(arguments: TestEngine.allCases) func mixedFileGivesOneHonestOutcomePerRow(on engine: TestEngine) async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let notActive = (0..<PipelineFixture.inventory).filter { !active.contains($0) }
            try #require(active.count >= 2 && !notActive.isEmpty)
            let target = fixture.iccid(active[0])
            let already = fixture.iccid(notActive[0])
            let alreadyStatus = fixture.devices[notActive[0]].device.status ?? ""
            let badCheckDigit = String(target.dropLast()) + (target.last == "0" ? "1" : "0")
            let path = try fixture.write(
                "status-update_mixed.csv",
                """
                ICCID,Target Status,Reason
                \(target),DEACTIVATED,lost
                \(already),\(alreadyStatus),
                \(badCheckDigit),ACTIVATED,
                8.90126E+18,ACTIVATED,
                \(fixture.iccid(8)),DEACTIVATED,
                \(target),ACTIVATED,
                \(fixture.iccid(active[1])),PURGED,

                """)
            let report = try await fixture.run(path)
            #expect(
                report.results.map(\.outcome) == [
                    .processed, .unchanged, .rejected, .rejected, .rejected, .rejected, .rejected,
                ])
            #expect(fixture.carrier(target)?.status == "DEACTIVATED")
            #expect(try await fixture.stored(target)?.status == "DEACTIVATED")
            #expect(report.results[3].message.contains("format the column as Text"))
            #expect(report.results[4].message.contains("not in this tenant's inventory"))
            #expect(!report.results[4].message.lowercased().contains("other"))
            #expect(fixture.carrier(fixture.iccid(8))?.status == fixture.devices[8].device.status, "never sent")
            #expect(fixture.carrier(fixture.iccid(active[1]))?.status == "ACTIVATED")
            let errors = try fixture.outboxText(report.paths.errors)
            #expect(errors.hasPrefix("\u{FEFF}ICCID,Target Status,Reason,error\r\n"))
            #expect(errors.components(separatedBy: "\r\n").count == 5 + 2)
            #expect(report.summary.status == "COMPLETED_WITH_ERRORS")
        }
    }

    @Test(arguments: TestEngine.allCases) func theReasonIsKeptInTheDeviceHistoryAndTheLog(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let iccid = fixture.iccid(fixture.acmeDevices(withStatus: .activated)[0])
            let path = try fixture.write(
                "status-update_why.csv", "iccid,target_status,reason\n\(iccid),DEACTIVATED,end of pilot\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.processed])
            let deviceID = try #require(try await fixture.stored(iccid)?.id)
            let id = report.summary.bulkChangeID
            let (history, logs) = try await fixture.workspace.store.read { connection in
                let details = try connection.details(bulkChangeID: id)
                return (try connection.history(deviceID: deviceID), try connection.logs(detailID: details[0].id))
            }
            #expect(history.last?.field == .status && history.last?.reason == "end of pilot")
            #expect(logs.contains { $0.description.contains("reason: end of pilot") })
        }
    }

    @Test(arguments: TestEngine.allCases) func carrierErrorOnSomeDevicesFailsOnlyThoseAndWritesNothingForThem(
        on engine: TestEngine
    ) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            try #require(active.count >= 2)
            let (refused, accepted) = (fixture.iccid(active[0]), fixture.iccid(active[1]))
            fixture.simulator.setFaults(SimulatorFaults(deviceFaults: [refused: DeviceFault(.refuse)]))
            let path = try fixture.write(
                "status-update_refused.csv", "iccid,target_status\n\(refused),DEACTIVATED\n\(accepted),DEACTIVATED\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.failed, .processed])
            #expect(report.results[0].message.contains("10000028"))
            #expect(fixture.carrier(refused)?.status == "ACTIVATED")
            #expect(try await fixture.stored(refused)?.status == "ACTIVATED", "nothing refused is written locally")
            #expect(try await fixture.stored(accepted)?.status == "DEACTIVATED")
        }
    }

    @Test func acceptedForLaterButNotShownYetAwaitsConfirmation() async throws {
        try await PipelineFixture.make(
            simulator: SimulatorConfiguration(asyncEditDelay: .seconds(3600)), verificationChecks: 3
        ).use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let iccid = fixture.iccid(active[0])
            let path = try fixture.write("status-update_async.csv", "iccid,target_status\n\(iccid),DEACTIVATED\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.awaitingConfirmation])
            #expect(report.summary.status == "AWAITING_CONFIRMATION")
            #expect(try await fixture.stored(iccid)?.status == "ACTIVATED", "the inventory waits for the carrier")
            #expect(fixture.simulator.counters.editsByDevice == [iccid: 1], "a 202 is not sent again")
        }
    }

    @Test(arguments: TestEngine.allCases) func acceptedButNotAppliedIsSentOnceMoreThenFailed(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(verificationChecks: 3, engine: engine).use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let (ignored, applied) = (fixture.iccid(active[0]), fixture.iccid(active[1]))
            fixture.simulator.setFaults(SimulatorFaults(deviceFaults: [ignored: DeviceFault(.ignore)]))
            let path = try fixture.write(
                "status-update_ignored.csv", "iccid,target_status\n\(ignored),DEACTIVATED\n\(applied),DEACTIVATED\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.failed, .processed])
            #expect(report.results[0].message.hasPrefix("accepted by Control Center but not applied"))
            #expect(fixture.simulator.counters.editsByDevice == [ignored: 2, applied: 1])
            #expect(try await fixture.stored(ignored)?.status == "ACTIVATED", "nothing written that the carrier lacks")
            #expect(try await fixture.stored(applied)?.status == "DEACTIVATED")
        }
    }

    @Test func acceptedAndAppliedLaterIsProcessedOnceItShows() async throws {
        try await PipelineFixture.make(
            simulator: SimulatorConfiguration(asyncEditDelay: .seconds(90)), verificationChecks: 3
        ).use { fixture in
            let iccid = fixture.iccid(fixture.acmeDevices(withStatus: .activated)[0])
            let path = try fixture.write("status-update_later.csv", "iccid,target_status\n\(iccid),DEACTIVATED\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.processed])
            #expect(fixture.carrier(iccid)?.status == "DEACTIVATED")
            #expect(try await fixture.stored(iccid)?.status == "DEACTIVATED")
        }
    }

    @Test(arguments: TestEngine.allCases) func aTimedOutEditIsReadBackAndTheOutcomeFollowsTheCarrier(
        on engine: TestEngine
    ) async throws {
        try await PipelineFixture.make(requestTimeoutSeconds: 0.3, engine: engine).use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let (slow, fast) = (fixture.iccid(active[0]), fixture.iccid(active[1]))
            fixture.simulator.setFaults(SimulatorFaults(deviceFaults: [slow: DeviceFault(.slow, slowDelayMs: 1500)]))
            let path = try fixture.write(
                "status-update_slow.csv", "iccid,target_status\n\(slow),DEACTIVATED\n\(fast),DEACTIVATED\n")
            let report = try await fixture.run(path)
            #expect(report.results[1].outcome == .processed)
            // The slow device applies the edit only after its answer timed out: the row says so only
            // once it shows, and the inventory changes only then.
            switch report.results[0].outcome {
            case .processed?: #expect(try await fixture.stored(slow)?.status == "DEACTIVATED")
            case .awaitingConfirmation?: #expect(try await fixture.stored(slow)?.status == "ACTIVATED")
            case let other:
                Issue.record("the slow device ended \(String(describing: other)): \(report.results[0].message)")
            }
        }
    }

    @Test(arguments: TestEngine.allCases) func throttlingIsRetriedUntilEveryDeviceIsDone(on engine: TestEngine)
        async throws
    {
        // More throttled answers than devices, so some calls are throttled again on their retry;
        // enough attempts that even a call throttled every time gets through.
        let throttled = PipelineFixture.inventory + 4
        try await PipelineFixture.make(retryAttempts: throttled + 1, engine: engine).use { fixture in
            fixture.simulator.setFaults(SimulatorFaults(throttleNextCalls: throttled))
            let rows = (0..<PipelineFixture.inventory).map { index in
                let status = fixture.devices[index].device.status == "ACTIVATED" ? "DEACTIVATED" : "ACTIVATED"
                return "\(fixture.iccid(index)),\(status)"
            }
            let path = try fixture.write(
                "status-update_busy.csv", "iccid,target_status\n" + rows.joined(separator: "\n"))
            let report = try await fixture.run(path)
            #expect(report.results.allSatisfy { $0.outcome == .processed }, "\(report.results.map(\.message))")
            let counters = fixture.simulator.counters
            #expect(counters.throttledCalls == throttled)
            #expect(counters.calls.values.map { $0["429", default: 0] }.reduce(0, +) == throttled)
        }
    }

    @Test(arguments: TestEngine.allCases) func preflightFailureFailsEveryRowAndTouchesNothing(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(writesEnabled: false, engine: engine).use { fixture in
            let iccid = fixture.iccid(fixture.acmeDevices(withStatus: .activated)[0])
            let path = try fixture.write(
                "status-update_disabled.csv",
                "iccid,target_status\n\(iccid),DEACTIVATED\n\(fixture.iccid(1)),ACTIVATED\n")
            let report = try await fixture.run(path)
            #expect(report.results.allSatisfy { $0.outcome == .failed })
            #expect(report.results.allSatisfy { $0.message.contains("writes are disabled") })
            #expect(report.summary.status == "FAILED")
            #expect(fixture.simulator.counters.calls.isEmpty, "no call was made")
        }
    }

    @Test(arguments: TestEngine.allCases) func missingCredentialsFailEveryRow(on engine: TestEngine) async throws {
        try await PipelineFixture.make(apiKeyEnvironment: "BULKDROP_TEST_KEY_THAT_IS_NOT_SET", engine: engine).use {
            fixture in
            let path = try fixture.write(
                "status-update_nokey.csv", "iccid,target_status\n\(fixture.iccid(0)),INVENTORY\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.failed])
            #expect(report.results[0].message.contains("export BULKDROP_TEST_KEY_THAT_IS_NOT_SET"))
        }
    }
}
