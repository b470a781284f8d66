import BulkChange
import Foundation
import Jasper
import Store

/// Archival: only without data usage in the last 30 days (unless overridden); an ACTIVATED SIM is
/// deactivated on Control Center first; the device record is marked archived and its history kept.
struct ArchivalProcessor: ChangeProcessor {
    let changeType = ChangeType.archival

    /// Usage more recent than this blocks archival.
    static let quietDays = 30
    /// How long an archived record is kept when the row does not say.
    static let defaultRetentionDays = 365

    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext) async -> DeviceResult {
        guard case .archival(let archival) = request else { return .mismatched(request, self) }
        let now = context.now()
        if !archival.overrideUsageCheck {
            if let problem = await recentUsage(of: device, now: now, context: context) {
                return .failed(problem, oldValue: device.status, newValue: "ARCHIVED")
            }
        }
        var changes: [DeviceField: String?] = [:]
        let deactivated = await context.checkInFlight(
            device.iccid, future: nil, oldValue: device.status, newValue: "ARCHIVED", { $0.simStatus == .deactivated })
        if case .stop(let result) = deactivated { return result }
        if case .alreadyShown = deactivated {
            changes[.status] = SIMStatus.deactivated.rawValue
        } else if device.status == SIMStatus.activated.rawValue {
            do {
                let receipt = try await context.jasper.editDevice(device.iccid, DeviceEdit(status: .deactivated))
                if receipt.appliedLater, let problem = await context.confirmStatus(device.iccid, .deactivated).problem {
                    return .failed(problem, oldValue: device.status, newValue: "ARCHIVED")
                }
            } catch {
                return .failed(
                    error, doing: "deactivating before archival", oldValue: device.status, newValue: "ARCHIVED")
            }
            changes[.status] = SIMStatus.deactivated.rawValue
        }
        let retainUntil = now.addingTimeInterval(Double(archival.retentionDays ?? Self.defaultRetentionDays) * 86_400)
        changes[.archivedAt] = Timestamps.iso8601(now)
        changes[.retainUntil] = Timestamps.iso8601(retainUntil)
        return DeviceResult(
            outcome: .processed, message: "archived; record kept until \(Timestamps.day(retainUntil))",
            oldValue: device.status, newValue: "ARCHIVED", deviceChanges: changes)
    }

    /// Why the device may not be archived yet, or `nil` when it has been quiet long enough.
    private func recentUsage(of device: DeviceRecord, now: Date, context: ProcessingContext) async -> String? {
        let usage: DeviceUsage
        do {
            usage = try await context.jasper.usage(device.iccid)
        } catch {
            return "checking usage failed: \(error)"
        }
        let cutoff = now.addingTimeInterval(-Double(Self.quietDays) * 86_400)
        let hint = "; set override_usage_check to true to archive it anyway"
        if let last = usage.lastUsageDate.flatMap(JasperTimestamp.parse) ?? device.lastUsageDate {
            guard last >= cutoff else { return nil }
            return "used data on \(Timestamps.day(last)), within the last \(Self.quietDays) days" + hint
        }
        guard usage.ctdDataUsage == 0 else {
            return "used \(usage.ctdDataUsage) bytes of data this cycle" + hint
        }
        return nil
    }
}
