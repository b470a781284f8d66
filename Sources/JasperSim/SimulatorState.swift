import BulkChange
import Foundation
import Jasper

/// Everything the simulator knows; changed only under the simulator's lock.
struct SimulatorState {
    var devices: [String: SimulatedDevice] {
        didSet { listing = nil }
    }
    let initialDevices: [String: SimulatedDevice]
    /// Audit entries per ICCID, newest first.
    var auditTrails: [String: [AuditTrailEntry]] = [:]
    /// Edits waiting for their effective date (or for an asynchronous edit's delay).
    var scheduled: [ScheduledEdit] = []
    var ratePlans: Set<String>
    var communicationPlans: Set<String>
    var faults: SimulatorFaults
    var generator: SeededGenerator
    /// Calls per account in the current one-second window.
    var windows: [String: (second: Int64, count: Int)] = [:]
    /// Admitted edits per ICCID so far: the ordinal that keys each edit's fault draws.
    var editOrdinals: [String: Int] = [:]
    var counters = SimulatorCounters()
    /// The last device listing built, for the pages after the first: rebuilt whenever a device
    /// changes (`devices` is set), so a page never shows stale data.
    var listing: (account: String, since: Date, summaries: [DeviceSummary])?

    init(devices: [SimulatedDevice], configuration: SimulatorConfiguration) {
        let byICCID = Dictionary(devices.map { ($0.device.iccid, $0) }) { _, last in last }
        self.devices = byICCID
        initialDevices = byICCID
        ratePlans = Set(devices.compactMap(\.device.ratePlan) + configuration.extraRatePlans)
        communicationPlans = Set(devices.compactMap(\.device.communicationPlan) + configuration.extraCommunicationPlans)
        faults = configuration.faults
        generator = SeededGenerator(seed: configuration.seed)
    }

    /// Counts a call against the account's limit in the one-second window `second`; `false` when
    /// it is over.
    ///
    /// Windows are whole seconds of the machine's monotonic clock (`JasperSimulator.rateWindow`),
    /// not of the simulator's (possibly test-controlled) calendar clock: rate limits are about
    /// real time. Every user of an account shares its window.
    mutating func admit(account: String, limit: Int?, second: Int64) -> Bool {
        guard let limit else { return true }
        var window = windows[account] ?? (second, 0)
        if window.second != second { window = (second, 0) }
        window.count += 1
        windows[account] = window
        return window.count <= limit
    }

    /// Applies every scheduled edit that is due by `now`, oldest first.
    mutating func applyDue(now: Date) {
        guard scheduled.contains(where: { $0.due <= now }) else { return }
        let due = scheduled.filter { $0.due <= now }.sorted { $0.due < $1.due }
        scheduled.removeAll { $0.due <= now }
        for edit in due { apply(edit.changes, to: edit.iccid, at: edit.due, by: edit.user) }
    }

    /// Sets `changes` (Control Center field name → value) on a device, with one audit entry per
    /// field that really changes.
    ///
    /// `dateUpdated` moves only when at least one field changes: like Control Center, a change to
    /// the value a field already has leaves no trace, so Search Devices (`modifiedSince`) does not
    /// list the device for it.
    mutating func apply(_ changes: [String: String], to iccid: String, at date: Date, by user: String) {
        guard var simulated = devices[iccid] else { return }
        let stamp = JasperTimestamp.format(date)
        var changed = false
        for (field, value) in changes.sorted(by: { $0.key < $1.key }) {
            let prior = simulated.device.value(ofField: field)
            guard prior != value else { continue }
            changed = true
            simulated.device.setValue(value, of: field)
            auditTrails[iccid, default: []].insert(
                AuditTrailEntry(field: field, priorValue: prior, value: value, effectiveDate: stamp, userName: user),
                at: 0)
            if field == "status", value == SIMStatus.activated.rawValue, simulated.device.dateActivated == nil {
                simulated.device.dateActivated = stamp
            }
        }
        guard changed else { return }
        simulated.device.dateUpdated = stamp
        devices[iccid] = simulated
    }

    /// Pending changes (future-dated, or accepted with 202 and not applied yet) per ICCID: one per
    /// edit, so the same edit sent twice counts 2. Devices without any are left out.
    var scheduledChangesByDevice: [String: Int] {
        scheduled.reduce(into: [:]) { counts, edit in counts[edit.iccid, default: 0] += 1 }
    }
}

/// An edit held until it is due.
struct ScheduledEdit: Codable, Equatable, Sendable {
    var due: Date
    var iccid: String
    var changes: [String: String]
    var user: String
}

extension JasperDevice {
    /// The editable fields by their Control Center names.
    static let editableFields: Set<String> = Set(
        ["status", "ratePlan", "communicationPlan", "customer", "deviceID", "modemID", "overageLimitOverride"]
            + (1...10).map { "accountCustom\($0)" })

    mutating func setValue(_ value: String, of field: String) {
        switch field {
        case "status": status = value
        case "ratePlan": ratePlan = value
        case "communicationPlan": communicationPlan = value
        case "customer": customer = value
        case "deviceID": deviceID = value
        case "modemID": modemID = value
        default:
            if let number = Int(field.dropFirst("accountCustom".count)) { accountCustom[number] = value }
        }
    }
}
