import BulkChange
import Foundation
import Jasper
import Store

/// Archival on the carrier's live state: the device is read on Control Center first, whatever the
/// inventory says. A change still pending on the carrier (a future-dated edit BulkDrop recorded)
/// fails the row, since Control Center's API cannot cancel it. Without data usage in the last 30
/// days (unless overridden), a SIM that is not DEACTIVATED, RETIRED or INVENTORY on Control Center
/// is deactivated there first; then the device record is marked archived and its history kept.
/// A future effective date defers the row, before any call: the scheduler processes it here on
/// that date.
struct ArchivalProcessor: ChangeProcessor {
    let changeType = ChangeType.archival

    /// Usage more recent than this blocks archival.
    static let quietDays = 30
    /// How long an archived record is kept when the row does not say.
    static let defaultRetentionDays = 365
    /// Live statuses that need no deactivation before archival.
    static let atRest: Set<SIMStatus> = [.deactivated, .retired, .inventory]

    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext)
        async throws(PipelineError) -> DeviceResult?
    {
        guard case .archival(let archival) = request else { return .mismatched(request, self) }
        let now = context.now()
        if let date = archival.effectiveDate, date > now {
            return .deferred(until: date, oldValue: device.status, newValue: "ARCHIVED")
        }
        let failed = { (message: String) in DeviceResult.failed(message, oldValue: device.status, newValue: "ARCHIVED")
        }
        let deactivationStarted = context.journal.earlier("deactivate") != nil
        let live: JasperDevice
        do {
            live = try await context.jasper.device(device.iccid)
        } catch {
            return failed("reading the device on Control Center failed: \(error); it was not archived")
        }
        if !deactivationStarted, let pending = await pendingChange(of: device.iccid, after: now, context: context) {
            return failed(pending)
        }
        if !archival.overrideUsageCheck {
            if let problem = await recentUsage(of: device, now: now, context: context) { return failed(problem) }
        }
        let retainUntil = now.addingTimeInterval(Double(archival.retentionDays ?? Self.defaultRetentionDays) * 86_400)
        var done = DeviceResult(
            outcome: .processed, message: "archived; record kept until \(Timestamps.day(retainUntil))",
            oldValue: live.status ?? device.status, newValue: "ARCHIVED",
            deviceChanges: [.archivedAt: Timestamps.iso8601(now), .retainUntil: Timestamps.iso8601(retainUntil)])
        if let status = live.status { done.deviceChanges[.status] = status }
        let atRest = live.simStatus.map(Self.atRest.contains) ?? false
        guard !atRest || deactivationStarted else { return done }
        guard live.simStatus?.allowsTransition(to: .deactivated) ?? true else {
            return failed("the device is \(live.status ?? "in no status") on Control Center and cannot be deactivated")
        }
        // Deactivated on Control Center first; archived once the device is seen deactivated.
        done.deviceChanges[.status] = SIMStatus.deactivated.rawValue
        done.message = "deactivated (it was \(live.status ?? "in no status") on Control Center) and " + done.message
        let edit = DeviceEdit(status: .deactivated)
        return try await context.send(edit, to: device.iccid, step: "deactivate").result(
            expecting: Expectation(iccid: device.iccid, step: "deactivate", edit: edit), done: done,
            doing: "deactivating before archival")
    }

    /// Why a change still pending on Control Center stops the archival, or `nil` when none is.
    private func pendingChange(of iccid: String, after now: Date, context: ProcessingContext) async -> String? {
        let pending: [CarrierEditRecord]
        do {
            pending = try await context.store.read { connection in
                try connection.scheduledCarrierEdits(iccid: iccid, after: now)
            }
        } catch {
            return "looking for changes pending on Control Center failed: \(error); it was not archived"
        }
        guard let first = pending.first, let date = first.effectiveDate else { return nil }
        let change =
            (try? JSONDecoder().decode(DeviceEdit.self, from: Data(first.requestJSON.utf8)))
            .map { $0.changedFields.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
            ?? "a change"
        return "Control Center holds \(change) for this device from \(Timestamps.day(date)) (sent by BulkDrop on "
            + "\(Timestamps.day(first.sentAt))); its API cannot cancel a scheduled change, so the device was not "
            + "archived: cancel the change on Control Center, then drop the row again"
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
