import Foundation
import TestSupport
import Testing

/// Every carrier edit applied at most once, and every outcome what the carrier holds: `bulkdrop
/// run` as a real process against a `bulkdrop sim` process that answers late, ignores edits,
/// applies them later, or throttles below the configured rate.
@Suite("bulkdrop run: exactly once, outcomes the carrier holds", .serialized)
struct ExactlyOnceTests {
    /// Short confirmation rounds, so an edit that never shows is settled in a fraction of a second.
    static let quickChecks = "\"verificationChecks\": 2, \"verificationIntervalSeconds\": 0.2"

    /// A day `days` from now, as the files write it.
    static func day(_ days: Int) -> String {
        Date().addingTimeInterval(Double(days) * 86_400).formatted(Date.ISO8601FormatStyle().year().month().day())
    }

    @Test func severalKillsDuringAFutureDatedFileLeaveNoChangeScheduledTwice() async throws {
        let devices = 200
        let date = Self.day(40)
        // Paced, so the rows left after a kill's threshold take seconds, not the moment a loaded
        // machine needs to deliver the progress line and the kill: both kills land before the end.
        let world = try await ServiceWorld(
            devices: devices, providerSettings: "\"callsPerSecond\": 40", plans: { $0 % 2 == 0 ? "Plan A" : "Plan B" },
            file: (
                "carrier-rate-plan_later.csv", "iccid,carrier_rate_plan,effective_date",
                { "\(ServiceWorld.iccid($0)),\($0 % 2 == 0 ? "Plan B" : "Plan A"),\(date)" }
            ))
        for threshold in [30, 60] {
            let service = try world.service([])
            // A start on a machine busy with the rest of the suite can take long: wait for it.
            _ = try await service.line(within: .seconds(120)) { line in
                guard line.contains("event=progress"),
                    let done = line.split(separator: " ").first(where: { $0.hasPrefix("done=") })
                else { return false }
                return (Int(done.dropFirst(5)) ?? 0) >= threshold
            }
            service.send(SIGKILL)
            #expect(await service.exit().bySignal)
        }
        #expect(!FileManager.default.fileExists(atPath: world.results), "both kills came before the end")
        try await world.runOnce()
        let rows = try world.resultRows()
        #expect(rows.map(\.row) == Array(1...devices), "every row has exactly one result, in order")
        let scheduled = try world.scheduledByDevice()
        #expect(scheduled.values.allSatisfy { $0 == 1 }, "no device holds the change twice: \(scheduled)")
        for row in rows {
            switch row.outcome {
            case "SCHEDULED": #expect(scheduled[row.iccid] == 1, "row \(row.row) is on Control Center")
            case "NEEDS_CHECK": #expect(row.message.contains("check the device's pending changes"))
            default: Issue.record("row \(row.row) ended \(row.outcome): \(row.message)")
            }
        }
        await world.finish()
    }

    @Test func lateAnswersAreReadBackAndEveryOutcomeAgreesWithTheCarrier() async throws {
        let devices = 20
        let world = try await ServiceWorld(
            devices: devices, simulatorArguments: ["--late-answer-rate", "1", "--late-answer-ms", "2500"],
            settings: "\"requestTimeoutSeconds\": 1, " + Self.quickChecks,
            file: ("status-update_late.csv", "iccid,target_status", { "\(ServiceWorld.iccid($0)),DEACTIVATED" }))
        try await world.runOnce()
        let rows = try world.resultRows()
        #expect(rows.count == devices)
        for row in rows {
            let carrier = try world.carrierStatus(row.iccid)
            #expect(
                row.outcome == "PROCESSED" && carrier == "DEACTIVATED", "row \(row.row): \(row.outcome) \(row.message)")
        }
        #expect(try world.editsByDevice().values.allSatisfy { $0 == 1 }, "read back, never sent again")
        await world.finish()
    }

    @Test func lateAnswersToFutureDatedEditsAreNeverSentAgain() async throws {
        let date = Self.day(30)
        let world = try await ServiceWorld(
            devices: 10, simulatorArguments: ["--late-answer-rate", "1", "--late-answer-ms", "2500"],
            settings: "\"requestTimeoutSeconds\": 1, " + Self.quickChecks,
            plans: { $0 % 2 == 0 ? "Plan A" : "Plan B" },
            file: (
                "carrier-rate-plan_future.csv", "iccid,carrier_rate_plan,effective_date",
                { "\(ServiceWorld.iccid($0)),\($0 % 2 == 0 ? "Plan B" : "Plan A"),\(date)" }
            ))
        try await world.runOnce()
        let rows = try world.resultRows()
        #expect(rows.allSatisfy { $0.outcome == "NEEDS_CHECK" })
        #expect(rows.first?.message.contains("was not sent again") == true)
        let scheduled = try world.scheduledByDevice()
        #expect(scheduled.count == 10 && scheduled.values.allSatisfy { $0 == 1 }, "each held once: \(scheduled)")
        await world.finish()
    }

    @Test func ignoredEditsAreNeverReportedProcessed() async throws {
        let devices = 21
        let world = try await ServiceWorld(
            devices: devices, simulatorArguments: ["--ignore-rate", "0.33", "--seed", "7"], settings: Self.quickChecks,
            file: ("status-update_ignored.csv", "iccid,target_status", { "\(ServiceWorld.iccid($0)),DEACTIVATED" }))
        try await world.runOnce()
        let rows = try world.resultRows()
        let edits = try world.editsByDevice()
        var failed = 0
        for row in rows {
            let carrier = try world.carrierStatus(row.iccid)
            if row.outcome == "PROCESSED" {
                #expect(carrier == "DEACTIVATED", "row \(row.row) PROCESSED but the carrier shows \(carrier ?? "-")")
            } else {
                failed += 1
                #expect(row.outcome == "FAILED" && row.message.contains("accepted by Control Center but not applied"))
                #expect(carrier == "ACTIVATED")
                #expect(edits[row.iccid] == 2, "sent once more, then given up")
            }
        }
        #expect(failed > 0, "the simulator ignored some edits")
        await world.finish()
    }

    @Test func aLateApplyIsConfirmedByTheServiceLoopAndTheFilesAreWrittenAgain() async throws {
        let world = try await ServiceWorld(
            devices: 3, simulatorArguments: ["--apply-later-rate", "1", "--apply-later-ms", "3000"],
            settings: Self.quickChecks,
            file: ("status-update_later.csv", "iccid,target_status", { "\(ServiceWorld.iccid($0)),DEACTIVATED" }))
        let service = try world.service([])
        #expect(try await service.line { $0.contains("event=finished") && $0.contains("awaiting=3") } != nil)
        #expect(try world.resultRows().map(\.outcome) == Array(repeating: "AWAITING_CONFIRMATION", count: 3))
        #expect(try await service.line { $0.contains("event=confirmations-settled") } != nil)
        #expect(try world.resultRows().map(\.outcome) == Array(repeating: "PROCESSED", count: 3), "written again")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: world.summary)))
        #expect((summary as? [String: Any])?["awaitingConfirmation"] as? [Int] == [])
        #expect((summary as? [String: Any])?["status"] as? String == "PROCESSED")
        service.send(SIGTERM)
        #expect(await service.exit().status == 0)
        await world.finish()
    }

    @Test func aRealLimitBelowTheConfiguredOneFailsNoRow() async throws {
        let devices = 30
        let world = try await ServiceWorld(
            devices: devices, simulatorArguments: ["--rate-limit", "10"],
            providerSettings: "\"callsPerSecond\": 200",
            file: ("status-update_fast.csv", "iccid,target_status", { "\(ServiceWorld.iccid($0)),DEACTIVATED" }))
        try await world.runOnce()
        let rows = try world.resultRows()
        #expect(rows.count == devices)
        #expect(rows.allSatisfy { $0.outcome == "PROCESSED" }, "\(rows.filter { $0.outcome != "PROCESSED" })")
        struct Counters: Decodable { var throttledCalls: Int }
        #expect(try world.admin(Counters.self, "counters").throttledCalls > 0, "the carrier did throttle")
        await world.finish()
    }
}
