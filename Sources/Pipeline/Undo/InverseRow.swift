import BulkChange
import Store

/// What is known of one PROCESSED row when its inverse is built.
struct UndoInput: Sendable {
    let detail: DetailRecord
    let request: ChangeRequest?
    /// The device fields the row changed: the value before (what an undo sets back) and after,
    /// from the device history, or else from the row's recorded old and new value.
    let changes: [FieldChange]
    /// The device as the inventory holds it now (found by its ICCID after the change), if still there.
    let device: DeviceRecord?
    /// For a SIM swap: the replaced SIM as Control Center shows it now.
    let replacedSIM: ReplacedSIM?

    /// One changed field, as text (nil: it was or became empty).
    struct FieldChange: Sendable, Equatable {
        let field: DeviceField
        let before: String?
        let after: String?
    }

    /// The replaced SIM's status on Control Center, or why it could not be read.
    enum ReplacedSIM: Sendable, Equatable {
        case status(String?)
        case unreadable(String)
    }

    func change(of field: DeviceField) -> FieldChange? { changes.first { $0.field == field } }
}

/// Why one row cannot be undone.
struct UndoRowRefused: Error, Equatable {
    let reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}

/// The row of the undo file that sets one PROCESSED row back, as cells by column name (columns
/// left out stay empty: "leave it as it is"). Decided from the store and, for a SIM swap, the
/// replaced SIM's live status; a row whose change the carrier cannot take back is refused.
enum InverseRow {
    static func cells(for input: UndoInput, type: ChangeType, bulkChangeID: Int64) throws(UndoRowRefused)
        -> [String: String]
    {
        if type == .archival { throw archivalRefusal(input) }
        guard !input.changes.isEmpty else { throw UndoRowRefused("no old value was recorded for it") }
        let device = try currentDevice(input)
        var cells = ["iccid": device.iccid]
        switch type {
        case .statusUpdate:
            let old = try status(input, device: device)
            cells["target_status"] = old.rawValue
            cells["reason"] = "undo of bulk change \(bulkChangeID)"
        case .carrierRatePlan:
            cells["carrier_rate_plan"] = try restorable(input, .carrierRatePlan, "carrier rate plan")
            if input.change(of: .communicationPlan) != nil {
                cells["communication_plan"] = try restorable(input, .communicationPlan, "communication plan")
            }
        case .customerRatePlan:
            try customerRatePlan(input, device: device, into: &cells)
        case .editUsername:
            cells["username"] =
                input.change(of: .username) != nil ? try restorable(input, .username, "username") : device.username
            for (number, field) in [(1, DeviceField.costCenter1), (2, .costCenter2), (3, .costCenter3)]
            where input.change(of: field) != nil {
                cells["cost_center_\(number)"] = try restorable(input, field, "cost_center_\(number)")
            }
        case .changeICCIDOrIMEI:
            try identifier(input, device: device, into: &cells)
        case .archival:
            break
        }
        return cells
    }

    /// The device now, refused when gone, archived, or changed since the bulk change.
    private static func currentDevice(_ input: UndoInput) throws(UndoRowRefused) -> DeviceRecord {
        guard let device = input.device else {
            throw UndoRowRefused("the device is no longer in the tenant's inventory")
        }
        if device.archivedAt != nil {
            throw UndoRowRefused("the device was archived since; an archived device takes no further changes")
        }
        for change in input.changes where device.text(for: change.field) != change.after {
            let now = device.text(for: change.field)
            if now == change.before {
                throw UndoRowRefused("its \(change.field.rawValue) is \(now ?? "empty") again already (undone before?)")
            }
            throw UndoRowRefused(
                "its \(change.field.rawValue) changed since: it is \(now ?? "empty") now, the bulk change set "
                    + "\(change.after ?? "it empty"); undo leaves later changes alone")
        }
        return device
    }

    /// The value `field` had before; a bulk change cannot empty a field, so an empty one is refused.
    private static func restorable(_ input: UndoInput, _ field: DeviceField, _ name: String) throws(UndoRowRefused)
        -> String
    {
        guard let before = input.change(of: field)?.before, !before.isEmpty else {
            throw UndoRowRefused("it had no \(name) before, and a bulk change cannot empty one")
        }
        return before
    }

    private static func status(_ input: UndoInput, device: DeviceRecord) throws(UndoRowRefused) -> SIMStatus {
        let text = try restorable(input, .status, "status")
        guard let old = SIMStatus(rawValue: text) else {
            throw UndoRowRefused("its old status \(text) is not a SIM status")
        }
        if let now = device.status.flatMap(SIMStatus.init(rawValue:)), now.isFinal {
            throw UndoRowRefused(
                "the SIM is \(now.rawValue) now, which is final on Control Center: no change leaves it")
        }
        guard old.isSettableByAccount else {
            throw UndoRowRefused("its old status \(old.rawValue) is not one an account may set on Control Center")
        }
        return old
    }

    /// Plan, pool and allocation as they were; an unchanged plan (or pool) is named as it is, since
    /// a row needs one of them.
    private static func customerRatePlan(_ input: UndoInput, device: DeviceRecord, into cells: inout [String: String])
        throws(UndoRowRefused)
    {
        let columns: [(DeviceField, String, String)] = [
            (.customerRatePlan, "customer_rate_plan_id", "customer rate plan"),
            (.customerPool, "customer_pool_id", "customer pool"),
            (.dataAllocationMB, "data_allocation_mb", "data allocation"),
        ]
        for (field, column, name) in columns where input.change(of: field) != nil {
            cells[column] = try restorable(input, field, name)
        }
        if cells["customer_rate_plan_id"] == nil, cells["customer_pool_id"] == nil {
            cells["customer_rate_plan_id"] = device.customerRatePlan
            cells["customer_pool_id"] = device.customerRatePlan == nil ? device.customerPool : nil
        }
    }

    /// A new IMEI goes back to the recorded one. A SIM swap goes back only when the replaced SIM
    /// can be a replacement again (pre-active on Control Center).
    private static func identifier(_ input: UndoInput, device: DeviceRecord, into cells: inout [String: String])
        throws(UndoRowRefused)
    {
        guard input.change(of: .iccid) != nil || input.request.map(isSIMSwap) == true else {
            cells["new_imei"] = try restorable(input, .imei, "IMEI recorded")
            return
        }
        let old = try restorable(input, .iccid, "ICCID")
        if let now = device.status.flatMap(SIMStatus.init(rawValue:)), now.isFinal {
            throw UndoRowRefused("the SIM \(device.iccid) is \(now.rawValue) now, which is final on Control Center")
        }
        switch input.replacedSIM {
        case .status(let status?) where ChangeIdentifierKind.spareStatuses.contains { $0.rawValue == status }:
            cells["new_iccid"] = old
        case .status(let status?) where SIMStatus(rawValue: status)?.isFinal == true:
            throw UndoRowRefused(
                "the replaced SIM \(old) is \(status) on Control Center, which is final: it cannot be used again")
        case .status(let status):
            throw UndoRowRefused(
                "the replaced SIM \(old) is \(status ?? "in no status") on Control Center; a SIM swap needs it in "
                    + "INVENTORY, ACTIVATION_READY or TEST_READY: move it there on Control Center, then run undo again")
        case .unreadable(let reason):
            throw UndoRowRefused("the replaced SIM \(old) could not be read on Control Center (\(reason)); try again")
        case nil:
            throw UndoRowRefused("the replaced SIM \(old) was not read on Control Center; try again")
        }
    }

    private static func isSIMSwap(_ request: ChangeRequest) -> Bool {
        guard case .changeICCIDOrIMEI(let change) = request, case .iccid = change.replacement else { return false }
        return true
    }

    /// Archival is never undone: no change type brings an archived device back (and a purged
    /// record is gone); the reason says what the carrier holds.
    private static func archivalRefusal(_ input: UndoInput) -> UndoRowRefused {
        guard input.device != nil else {
            return UndoRowRefused("the archived record was purged: nothing is left to restore")
        }
        let deactivated =
            input.change(of: .status).map { change in
                "; its SIM was deactivated on Control Center (it was \(change.before ?? "in no status")): "
                    + "reactivate it there if it must come back"
            } ?? ""
        return UndoRowRefused(
            "an archived device takes no further changes and no change type brings one back" + deactivated)
    }
}
