import Foundation
import FoundationNetworking
import Synchronization
import TestSupport
import Testing

/// The rules that decide on the carrier's live state, against `bulkdrop sim` as a real process:
/// credentials proved before the first edit, and a breaker that stops a file when Control Center
/// fails for the whole account.
@Suite("bulkdrop process: the carrier's live state")
struct LiveStateTests {
    /// Every API call the simulator counted, whatever the endpoint and answer.
    static func totalCalls(_ world: ServiceWorld) throws -> Int {
        struct Counters: Decodable { var calls: [String: [String: Int]] }
        return try world.admin(Counters.self, "counters").calls.values.flatMap(\.values).reduce(0, +)
    }

    /// Sets the simulator's faults (`PUT /_sim/faults`).
    static func setFaults(_ world: ServiceWorld, _ json: String) throws {
        var request = URLRequest(
            url: URL(string: world.baseURL.replacingOccurrences(of: "/rws/api/v1", with: "") + "/_sim/faults")!)
        request.httpMethod = "PUT"
        request.httpBody = Data(json.utf8)
        let done = DispatchSemaphore(value: 0)
        let status = Mutex<Int?>(nil)
        URLSession.shared.dataTask(with: request) { _, response, _ in
            status.withLock { $0 = (response as? HTTPURLResponse)?.statusCode }
            done.signal()
        }.resume()
        done.wait()
        #expect(status.withLock { $0 } == 200)
    }

    /// Runs `bulkdrop process` on the world's file with `key` as the API key.
    static func process(_ world: ServiceWorld, key: String) async throws -> BinaryRunner.Result {
        let file = world.folder.appendingPathComponent("inbox/acme/\(world.stem).csv").path
        return try await BinaryRunner.run(
            ["process", file, "--tenant", "acme", "--config", world.config],
            environment: [ServiceWorld.keyVariable: key])
    }

    @Test func aWrongKeyCostsOneCallAndFailsEveryRowWithOneReason() async throws {
        let world = try await ServiceWorld(
            devices: 30,
            file: ("status-update_key.csv", "iccid,target_status", { "\(ServiceWorld.iccid($0)),DEACTIVATED" }))
        let before = try Self.totalCalls(world)
        let result = try await Self.process(world, key: "not-the-key")
        #expect(result.status == 1, "\(result.errors)")
        #expect(try Self.totalCalls(world) - before <= 2, "the wrong key is found out once, not per row")
        let rows = try world.resultRows()
        #expect(rows.count == 30 && rows.allSatisfy { $0.outcome == "FAILED" })
        #expect(Set(rows.map(\.message)).count == 1, "one reason: \(Set(rows.map(\.message)))")
        #expect(rows[0].message.contains("refused the credentials"))
        #expect(try world.editsByDevice().isEmpty)
        await world.finish()
    }

    @Test func aStormOfServerErrorsStopsTheFileEarly() async throws {
        let world = try await ServiceWorld(
            devices: 60, settings: "\"retryAttempts\": 1",
            file: ("status-update_storm.csv", "iccid,target_status", { "\(ServiceWorld.iccid($0)),DEACTIVATED" }))
        try Self.setFaults(world, #"{"serverErrorRate": 1}"#)
        let before = try Self.totalCalls(world)
        let result = try await Self.process(world, key: "demo-key")
        #expect(result.status == 1, "\(result.errors)")
        let calls = try Self.totalCalls(world) - before
        #expect(calls < 30, "the breaker stopped the file after a few failures, not 60 devices: \(calls) calls")
        let rows = try world.resultRows()
        // The devices in flight when it opened were sent and not answered: they are to be checked.
        #expect(rows.count == 60 && rows.allSatisfy { ["FAILED", "NEEDS_CHECK"].contains($0.outcome) })
        let unsent = rows.filter { $0.message.hasPrefix("not sent: Control Center failed") }
        #expect(unsent.count >= 40, "\(Set(rows.map(\.message)))")
        await world.finish()
    }

    @Test func aSwapTakesTheTenantsSpareOnceAndNoOtherSIM() async throws {
        let iccid = ServiceWorld.iccid
        let world = try await ServiceWorld(
            devices: 8, statuses: { $0 >= 6 ? "ACTIVATION_READY" : "ACTIVATED" },
            file: (
                "change-iccid-imei_spares.csv", "iccid,new_iccid",
                { index in
                    switch index {
                    case 0: "\(iccid(0)),\(iccid(6))"  // the tenant's spare
                    case 1: "\(iccid(1)),\(iccid(6))"  // the same spare again
                    case 2: "\(iccid(2)),\(iccid(3))"  // a SIM in use
                    case 3: "\(iccid(3)),\(iccid(99))"  // a SIM in nobody's inventory
                    default: "\(iccid(index)),"
                    }
                }
            ))
        let result = try await Self.process(world, key: "demo-key")
        #expect(result.status == 1, "\(result.errors)")
        let rows = try world.resultRows()
        #expect(rows.prefix(4).map(\.outcome) == ["PROCESSED", "REJECTED", "REJECTED", "REJECTED"], "\(rows)")
        #expect(rows[1].message.hasPrefix("new_iccid \"\(iccid(6))\": is already the replacement in row 1"))
        #expect(rows[2].message.hasPrefix("new_iccid \"\(iccid(3))\": is ACTIVATED, not a spare SIM"))
        #expect(rows[3].message.hasPrefix("new_iccid \"\(iccid(99))\": is not in this tenant's inventory"))
        #expect(try world.carrierStatus(iccid(6)) == "ACTIVATED")
        #expect(try world.carrierStatus(iccid(0)) == "DEACTIVATED")
        #expect(try world.carrierStatus(iccid(1)) == "ACTIVATED", "the second claim on the spare changed nothing")
        #expect(try world.editsByDevice().keys.sorted() == [iccid(0), iccid(6)].sorted())
        await world.finish()
    }

    @Test func archivalDeactivatesWhatTheCarrierShowsActive() async throws {
        let world = try await ServiceWorld(
            devices: 3, statuses: { ["ACTIVATION_READY", "DEACTIVATED", "ACTIVATED"][$0] },
            file: (
                "archival_live.csv", "iccid,reason,override_usage_check", { "\(ServiceWorld.iccid($0)),stolen,yes" }
            ))
        let result = try await Self.process(world, key: "demo-key")
        #expect(result.status == 0, "\(result.errors)")
        let rows = try world.resultRows()
        #expect(rows.map(\.outcome) == ["PROCESSED", "PROCESSED", "PROCESSED"], "\(rows)")
        #expect(rows[0].message.hasPrefix("deactivated (it was ACTIVATION_READY on Control Center)"))
        #expect(rows[1].message.hasPrefix("archived"), "already DEACTIVATED: no edit")
        for index in 0..<3 { #expect(try world.carrierStatus(ServiceWorld.iccid(index)) == "DEACTIVATED") }
        #expect(try world.editsByDevice().keys.sorted() == [ServiceWorld.iccid(0), ServiceWorld.iccid(2)].sorted())
        await world.finish()
    }
}
