import BulkChange
import Foundation
import Jasper

/// A device as the simulator keeps it: what `GET /devices/{iccid}` shows, plus usage.
public struct SimulatedDevice: Codable, Equatable, Sendable {
    public var device: JasperDevice
    /// When the device last used data (drives the archival usage check).
    public var lastUsageDate: Date?
    /// Cycle-to-date data usage in bytes.
    public var cycleDataBytes: Int64

    public init(device: JasperDevice, lastUsageDate: Date? = nil, cycleDataBytes: Int64 = 0) {
        self.device = device
        self.lastUsageDate = lastUsageDate
        self.cycleDataBytes = cycleDataBytes
    }
}

/// Devices made up deterministically for rehearsals and benchmarks (`--generate N`).
public enum GeneratedDevices {
    /// `value` in decimal, left-padded with zeros to `width` digits.
    private static func digits(_ value: Int, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    public static let ratePlans = ["POD19 IoT 1GB Pooled", "POD19 IoT 5GB Pooled", "POD19 IoT 100MB Individual"]
    public static let communicationPlans = ["POD19 Data Only", "POD19 Data + SMS"]

    /// `count` devices with valid ICCIDs (20 digits, Luhn) and IMEIs (15 digits, Luhn); the same
    /// `seed` always gives the same devices. Usage dates are relative to `now`.
    public static func make(count: Int, seed: UInt64, accountId: String, now: Date) -> [SimulatedDevice] {
        var generator = SeededGenerator(seed: seed)
        let statuses: [SIMStatus] = [
            .activated, .activated, .activated, .activated, .deactivated, .activationReady,
            .inventory,
        ]
        return (0..<count).map { index in
            let iccidBody = "8901260" + digits(index, width: 12)
            let imeiBody = "35" + digits(Int.random(in: 0..<1_000_000_000_000, using: &generator), width: 12)
            let status = statuses.randomElement(using: &generator)!
            let idleDays = Int.random(in: 0...90, using: &generator)
            let device = JasperDevice(
                iccid: iccidBody + String(Luhn.checkDigit(for: iccidBody)),
                imsi: "31041" + digits(index, width: 10),
                msisdn: "1555" + digits(index % 10_000_000, width: 7),
                imei: imeiBody + String(Luhn.checkDigit(for: imeiBody)),
                status: status.rawValue,
                ratePlan: ratePlans.randomElement(using: &generator),
                communicationPlan: communicationPlans.randomElement(using: &generator),
                dateUpdated: JasperTimestamp.format(now.addingTimeInterval(-Double(idleDays) * 86_400)),
                accountId: accountId,
                deviceID: "unit-\(index)")
            return SimulatedDevice(
                device: device,
                lastUsageDate: status == .activated ? now.addingTimeInterval(-Double(idleDays) * 86_400) : nil,
                cycleDataBytes: status == .activated ? Int64.random(in: 0..<500_000_000, using: &generator) : 0)
        }
    }
}
