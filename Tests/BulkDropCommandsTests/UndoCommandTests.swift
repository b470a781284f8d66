import Foundation
import TestSupport
import Testing

/// `bulkdrop undo` as a real process against a `bulkdrop sim` process: files of four change types
/// are applied by the service, undone with `--apply` (or dropped into the inbox), and every device
/// is back to its old value on Control Center.
@Suite("bulkdrop undo", .serialized)
struct UndoCommandTests {
    static let devices = 4
    static let key = [ServiceWorld.keyVariable: "demo-key"]

    /// A device as the simulator holds it.
    struct CarrierDevice: Decodable, Equatable {
        var status: String?
        var ratePlan: String?
        var deviceID: String?
        var modemID: String?
    }

    static func carrier(_ world: ServiceWorld, _ index: Int) throws -> CarrierDevice {
        struct State: Decodable {
            struct Simulated: Decodable { var device: CarrierDevice }
            var device: Simulated
        }
        return try world.admin(State.self, "devices/\(ServiceWorld.iccid(index))").device.device
    }

    /// The bulk change id in the summary of the drop named `stem`.
    static func bulkChangeID(_ world: ServiceWorld, _ stem: String) throws -> Int {
        struct Summary: Decodable { var bulkChangeID: Int }
        let path = world.folder.appendingPathComponent("outbox/acme/\(stem).summary.json")
        return try JSONDecoder().decode(Summary.self, from: Data(contentsOf: path)).bulkChangeID
    }

    static func undo(_ world: ServiceWorld, _ arguments: [String]) async throws -> BinaryRunner.Result {
        try await BinaryRunner.run(["undo"] + arguments + ["--config", world.config], environment: key)
    }

    static func drop(_ world: ServiceWorld, _ name: String, _ lines: (Int) -> String, header: String) throws {
        let text = ([header] + (0..<devices).map(lines)).joined(separator: "\n") + "\n"
        try text.write(
            to: world.folder.appendingPathComponent("inbox/acme/\(name)"), atomically: true, encoding: .utf8)
    }

    @Test func everyDeviceIsBackToItsOldValueOnControlCenter() async throws {
        let world = try await ServiceWorld(
            devices: Self.devices, plans: { $0 % 2 == 0 ? "Plan A" : "Plan B" }, identities: true,
            file: ("status-update_fleet.csv", "iccid,target_status", { "\(ServiceWorld.iccid($0)),DEACTIVATED" }))
        let before = try (0..<Self.devices).map { try Self.carrier(world, $0) }
        try Self.drop(
            world, "carrier-rate-plan_fleet.csv", { "\(ServiceWorld.iccid($0)),Plan \($0 % 2 == 0 ? "B" : "A")" },
            header: "iccid,carrier_rate_plan")
        try Self.drop(
            world, "edit-username_fleet.csv", { "\(ServiceWorld.iccid($0)),truck-\($0)" }, header: "iccid,username")
        try Self.drop(
            world, "change-iccid-imei_fleet.csv",
            { "\(ServiceWorld.iccid($0)),\(ServiceWorld.imei($0, offset: 500))" }, header: "iccid,new_imei")
        try await world.runOnce()
        let changed = try (0..<Self.devices).map { try Self.carrier(world, $0) }
        for (old, new) in zip(before, changed) {
            #expect(new.status == "DEACTIVATED" && new.ratePlan != old.ratePlan && new.deviceID != old.deviceID)
            #expect(new.modemID != nil && new.modemID != old.modemID)
        }

        for stem in ["status-update_fleet", "carrier-rate-plan_fleet", "change-iccid-imei_fleet"] {
            let id = try Self.bulkChangeID(world, stem)
            let applied = try await Self.undo(world, ["\(id)", "--apply"])
            #expect(applied.status == 0, "\(stem): \(applied.errors)")
            #expect(applied.output.contains("undo of bulk change \(id) "), "\(applied.output)")
            #expect(applied.output.contains("\(Self.devices) PROCESSED"), "\(applied.output)")
        }

        let usernames = try Self.bulkChangeID(world, "edit-username_fleet")
        let dropped = try await Self.undo(world, ["\(usernames)"])
        #expect(dropped.status == 0, "\(dropped.errors)")
        let inbox = world.folder.appendingPathComponent("inbox/acme/edit-username_undo-\(usernames).csv")
        let first = try Data(contentsOf: inbox)
        #expect(try await Self.undo(world, ["\(usernames)"]).status == 0)
        #expect(try Data(contentsOf: inbox) == first, "the same undo writes the same content")
        try await world.runOnce()

        for (index, old) in before.enumerated() {
            let now = try Self.carrier(world, index)
            #expect(now.status == "ACTIVATED" && now.ratePlan == old.ratePlan, "device \(index): \(now)")
            #expect(now.deviceID == "unit-\(index)", "device \(index): \(now)")
            #expect(now.modemID == ServiceWorld.imei(index), "device \(index): \(now)")
        }

        try first.write(to: inbox)
        try await world.runOnce()
        let duplicate = world.folder.appendingPathComponent("outbox/acme/edit-username_undo-\(usernames).duplicate.txt")
        #expect(FileManager.default.fileExists(atPath: duplicate.path), "dropped twice: caught as a duplicate")
        await world.finish()
    }

    @Test func nothingToUndoUnknownIdsAndDryRunsAreClear() async throws {
        let world = try await ServiceWorld(
            devices: 2,
            file: ("status-update_fleet.csv", "iccid,target_status", { "\(ServiceWorld.iccid($0)),RETIRED" }))
        try await world.runOnce()
        let id = try Self.bulkChangeID(world, "status-update_fleet")

        let retired = try await Self.undo(world, ["\(id)", "--dry-run"])
        #expect(retired.status == 1)
        #expect(
            retired.errors.hasPrefix(
                "bulkdrop: error: nothing to undo in bulk change \(id): none of its PROCESSED rows can go back\n"
                    + "bulkdrop: error: bulk change \(id) row 1 (\(ServiceWorld.iccid(0))): the SIM is RETIRED now"),
            "\(retired.errors)")
        #expect(retired.output.isEmpty)

        let unknown = try await Self.undo(world, ["\(id + 100)"])
        #expect(unknown.status == 2)
        #expect(unknown.errors.contains("no bulk change \(id + 100); 'bulkdrop status' lists the recent ones"))

        let both = try await Self.undo(world, ["\(id)", "--dry-run", "--apply"])
        #expect(both.status == 2)
        #expect(both.errors.contains("options '--dry-run' and '--apply' cannot be used together"))
        #expect(
            !FileManager.default.fileExists(
                atPath: world.folder.appendingPathComponent("inbox/acme").path + "/status-update_undo-\(id).csv"))
        await world.finish()
    }
}
