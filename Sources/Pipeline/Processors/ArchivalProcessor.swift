import BulkChange
import Foundation
import Jasper
import Store

/// Archival: only without data usage in the last 30 days (unless overridden); an ACTIVATED SIM is
/// deactivated on Control Center first; the device record is marked archived and its history kept.
/// A future effective date defers the row: the scheduler processes it here on that date.
struct ArchivalProcessor: ChangeProcessor {
    let changeType = ChangeType.archival

    /// Usage more recent than this blocks archival.
    static let quietDays = 30
    /// How long an archived record is kept when the row does not say.
    static let defaultRetentionDays = 365

    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext)
        async throws(PipelineError) -> DeviceResult?
    {
        guard case .archival(let archival) = request else { return .mismatched(request, self) }
        let now = context.now()
        if let date = archival.effectiveDate, date > now {
            return .deferred(until: date, oldValue: device.status, newValue: "ARCHIVED")
        }
        if !archival.overrideUsageCheck {
            if let problem = await recentUsage(of: device, now: now, context: context) {
                return .failed(problem, oldValue: device.status, newValue: "ARCHIVED")
            }
        }
        let retainUntil = now.addingTimeInterval(Double(archival.retentionDays ?? Self.defaultRetentionDays) * 86_400)
        var done = DeviceResult(
            outcome: .processed, message: "archived; record kept until \(Timestamps.day(retainUntil))",
            oldValue: device.status, newValue: "ARCHIVED",
            deviceChanges: [.archivedAt: Timestamps.iso8601(now), .retainUntil: Timestamps.iso8601(retainUntil)])
        let deactivationStarted = context.journal.earlier("deactivate") != nil
        guard device.status == SIMStatus.activated.rawValue || deactivationStarted else { return done }
        // Deactivated on Control Center first; archived once the device is seen deactivated.
        done.deviceChanges[.status] = SIMStatus.deactivated.rawValue
        let edit = DeviceEdit(status: .deactivated)
        return try await context.send(edit, to: device.iccid, step: "deactivate").result(
            expecting: Expectation(iccid: device.iccid, step: "deactivate", edit: edit), done: done,
            doing: "deactivating before archival")
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
