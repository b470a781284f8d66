import BulkChange
import Foundation
import Jasper
import Store

/// Builds the inverse of a finished bulk change (`bulkdrop undo`) from what the store recorded:
/// each PROCESSED row's device changes with their old values, and the devices as they are now.
/// Only a SIM swap reads Control Center (the replaced SIM's live status).
public struct UndoPlanner: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// The inverse of bulk change `id`.
    ///
    /// - Throws: `UndoError` for an unknown or unfinished bulk change, one without PROCESSED rows
    ///   or old values, or one none of whose rows can go back.
    public func plan(bulkChangeID id: Int64) async throws(UndoError) -> UndoPlan {
        let recorded = try await load(id)
        let change = recorded.change
        guard !Self.openStatuses.contains(change.status) else { throw .notFinished(id, status: change.status) }
        guard let type = ChangeType(rawValue: change.changeType) else {
            throw .pipeline(.store(.invalidValue(field: "change_type", value: change.changeType, expected: "a slug")))
        }
        let processed = recorded.details.filter { $0.status == Outcome.processed.rawValue }
        guard !processed.isEmpty else { throw .nothingProcessed(id, counts: change.counts) }
        let inputs = processed.map { detail in
            let request = Self.request(detail)
            let changes = Self.changes(detail, request: request, type: type, history: recorded.history[detail.id] ?? [])
            let current = changes.first { $0.field == .iccid }?.after ?? detail.iccid
            return (detail, request, changes, recorded.devices[current])
        }
        guard inputs.contains(where: { !$0.2.isEmpty }) else { throw .noOldValues(id, changeType: type.slug) }
        let replaced = await replacedSIMs(inputs.compactMap { $0.2.first { $0.field == .iccid }?.before }, recorded)
        let columns = type.fields.map(\.name)
        var rows: [[String]] = []
        var refused = Self.notUndone(recorded.details)
        for (detail, request, changes, device) in inputs {
            let input = UndoInput(
                detail: detail, request: request, changes: changes, device: device,
                replacedSIM: changes.first { $0.field == .iccid }?.before.flatMap { replaced[$0] })
            do {
                let cells = try InverseRow.cells(for: input, type: type, bulkChangeID: id)
                rows.append(columns.map { cells[$0] ?? "" })
            } catch {
                refused.append(UndoRefusal(row: detail.rowNumber, iccid: detail.iccid, reason: error.reason))
            }
        }
        refused.sort { $0.row < $1.row }
        guard !rows.isEmpty else { throw .nothingToUndo(id, refused: refused) }
        return UndoPlan(
            bulkChangeID: id, tenant: recorded.tenant, provider: recorded.provider.name, changeType: type,
            sourceFile: change.sourceFileName, columns: columns, rows: rows, refused: refused)
    }

    /// Writes the plan's file into the tenant's inbox (atomically, under a name the watcher skips
    /// until it is whole) and returns its path; the same plan writes the same bytes.
    public func drop(_ plan: UndoPlan) async throws(UndoError) -> String {
        try await write(plan, into: "\(workspace.configuration.inbox)/\(plan.tenant)")
    }

    /// Writes the plan's file into `<state>/undo/` for applying it at once, and returns its path.
    public func stage(_ plan: UndoPlan) async throws(UndoError) -> String {
        try await write(plan, into: "\(workspace.configuration.stateDirectory)/undo")
    }

    private func write(_ plan: UndoPlan, into folder: String) async throws(UndoError) -> String {
        let path = "\(folder)/\(plan.fileName)"
        let bytes = Data(plan.csv)
        do {
            try await FileWork.run { () throws(OutboxError) in try AtomicFile.write(bytes, to: path) }
        } catch {
            throw .pipeline(.outbox(error))
        }
        return path
    }

    /// Bulk change statuses with rows still open.
    static let openStatuses: Set = ["PENDING", "PROCESSING", "AWAITING_CONFIRMATION"]

    /// Rows that changed something, or may have, but are not undone: future-dated (not applied yet)
    /// and unknown ones.
    private static func notUndone(_ details: [DetailRecord]) -> [UndoRefusal] {
        details.compactMap { detail in
            switch detail.status {
            case Outcome.scheduled.rawValue:
                UndoRefusal(
                    row: detail.rowNumber, iccid: detail.iccid,
                    reason: "SCHEDULED: a future-dated change is not applied yet, and undo cannot cancel it")
            case Outcome.needsCheck.rawValue:
                UndoRefusal(
                    row: detail.rowNumber, iccid: detail.iccid,
                    reason: "NEEDS_CHECK: whether Control Center applied it is not known; check the device there")
            default: nil
            }
        }
    }

    private static func request(_ detail: DetailRecord) -> ChangeRequest? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return detail.requestJSON.flatMap { try? decoder.decode(ChangeRequest.self, from: Data($0.utf8)) }
    }

    /// What the row changed: its device history, first value before and last value after per
    /// field; without history, the row's recorded old and new value of the type's main field.
    private static func changes(
        _ detail: DetailRecord, request: ChangeRequest?, type: ChangeType, history: [DeviceHistoryEntry]
    ) -> [UndoInput.FieldChange] {
        var changes: [UndoInput.FieldChange] = []
        for entry in history {
            if let index = changes.firstIndex(where: { $0.field == entry.field }) {
                changes[index] = .init(field: entry.field, before: changes[index].before, after: entry.after)
            } else {
                changes.append(.init(field: entry.field, before: entry.before, after: entry.after))
            }
        }
        guard changes.isEmpty, detail.oldValue != nil, let field = mainField(type, request: request) else {
            return changes
        }
        return [.init(field: field, before: detail.oldValue, after: detail.newValue)]
    }

    /// The field a row's old and new value are about, when they name one.
    private static func mainField(_ type: ChangeType, request: ChangeRequest?) -> DeviceField? {
        switch (type, request) {
        case (.statusUpdate, _): .status
        case (.carrierRatePlan, _): .carrierRatePlan
        case (.editUsername, _): .username
        case (.changeICCIDOrIMEI, .changeICCIDOrIMEI(let change)?):
            if case .iccid = change.replacement { .iccid } else { .imei }
        default: nil
        }
    }

    /// The live status of each replaced SIM, read on Control Center.
    private func replacedSIMs(_ iccids: [String], _ recorded: Recorded) async -> [String: UndoInput.ReplacedSIM] {
        guard !iccids.isEmpty else { return [:] }
        let jasper: any JasperEndpoint
        do {
            jasper = try workspace.endpoint(for: recorded.provider)
        } catch {
            return Dictionary(uniqueKeysWithValues: Set(iccids).map { ($0, .unreadable("\(error)")) })
        }
        var found: [String: UndoInput.ReplacedSIM] = [:]
        for iccid in iccids where found[iccid] == nil {
            do {
                found[iccid] = .status(try await jasper.device(iccid).status)
            } catch {
                found[iccid] = .unreadable("\(error)")
            }
        }
        return found
    }

    /// What the store holds of the bulk change.
    private struct Recorded: Sendable {
        var change: BulkChangeRecord
        var tenant: String
        var provider: ServiceProviderRecord
        var details: [DetailRecord]
        var history: [Int64: [DeviceHistoryEntry]]
        /// The tenant's devices by ICCID: those the rows name, and the new SIMs of swaps.
        var devices: [String: DeviceRecord]
    }

    private func load(_ id: Int64) async throws(UndoError) -> Recorded {
        let recorded: Recorded?
        do {
            recorded = try await workspace.store.read { connection in
                guard let change = try connection.bulkChange(id: id) else { return nil }
                guard let provider = try connection.provider(id: change.providerID) else {
                    throw StoreError.notFound(kind: "service provider", id: change.providerID)
                }
                let details = try connection.details(bulkChangeID: id)
                let history = try connection.history(bulkChangeID: id)
                let swapped = history.values.joined().filter { $0.field == .iccid }.compactMap(\.after)
                let iccids = details.map(\.iccid) + swapped
                let devices = try connection.devices(
                    tenantID: change.tenantID, providerID: change.providerID, iccids: Array(Set(iccids)).sorted())
                return Recorded(
                    change: change, tenant: try connection.tenantName(id: change.tenantID) ?? "", provider: provider,
                    details: details, history: history, devices: devices)
            }
        } catch {
            throw .pipeline(.store(error))
        }
        guard let recorded else { throw .unknownBulkChange(id) }
        return recorded
    }
}
