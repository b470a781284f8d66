import BulkChange
import Foundation
import Jasper
import Store

/// Username (and cost centres): set on the provider's configured Control Center field; for POD19
/// the device audit trail must show the new value before the local record changes.
struct EditUsernameProcessor: ChangeProcessor {
    let changeType = ChangeType.editUsername

    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext) async -> DeviceResult {
        guard case .editUsername(let edit) = request else { return .mismatched(request, self) }
        var changes: [DeviceField: String?] = [:]
        if edit.username != device.username { changes[.username] = edit.username }
        let costCenterFields: [DeviceField] = [.costCenter1, .costCenter2, .costCenter3]
        for (index, value) in edit.costCenters.prefix(3).enumerated() {
            if let value, value != device.costCenters[safe: index] ?? nil { changes[costCenterFields[index]] = value }
        }
        guard !changes.isEmpty else { return .unchanged("already \(edit.username)", value: device.username) }
        if changes[.username] != nil {
            if let problem = await setOnCarrier(edit.username, device: device, context: context) {
                return .failed(problem, oldValue: device.username, newValue: edit.username)
            }
        }
        return DeviceResult(
            outcome: .processed, message: "username changed", oldValue: device.username, newValue: edit.username,
            deviceChanges: changes)
    }

    /// Sends the username and confirms it; the problem to report, or `nil` when it landed.
    private func setOnCarrier(_ username: String, device: DeviceRecord, context: ProcessingContext) async -> String? {
        let field = context.provider.usernameField
        guard let edit = Self.edit(setting: field, to: username) else {
            return "the provider's username field \(field) is not an editable Control Center field; "
                + "set it to deviceID or accountCustom1…10"
        }
        switch await context.checkInFlight(
            device.iccid, future: nil, oldValue: device.username, newValue: username,
            { $0.value(ofEditableField: field) == username })
        {
        case .alreadyShown: return nil
        case .stop(let result): return result.message
        case .notShown: break
        }
        let receipt: EditReceipt
        do {
            receipt = try await context.jasper.editDevice(device.iccid, edit)
        } catch {
            return "changing the username failed: \(error)"
        }
        if context.provider.integration == .pod19 {
            return await confirmInAuditTrail(field: field, value: username, iccid: device.iccid, context: context)
        }
        guard receipt.appliedLater else { return nil }
        return await context.confirm(device.iccid) { $0.value(ofEditableField: field) == username }.problem
    }

    private func confirmInAuditTrail(field: String, value: String, iccid: String, context: ProcessingContext) async
        -> String?
    {
        do {
            let landed = try await context.verification.confirm { () async throws(JasperError) -> Bool in
                let trail = try await context.jasper.auditTrail(iccid, daysOfHistory: 1)
                return trail.first { $0.field == field }?.value == value
            }
            return landed
                ? nil
                : "Control Center accepted the username but its audit trail does not show it after "
                    + "\(context.verification.patience); the local record was left as it was"
        } catch {
            return "reading the audit trail failed: \(error); the local record was left as it was"
        }
    }

    /// The edit that sets `field` (`deviceID` or `accountCustomN`) to `value`.
    static func edit(setting field: String, to value: String) -> DeviceEdit? {
        if field == "deviceID" { return DeviceEdit(deviceID: value) }
        guard field.hasPrefix("accountCustom"), let number = Int(field.dropFirst("accountCustom".count)),
            (1...10).contains(number)
        else { return nil }
        return DeviceEdit(accountCustom: [number: value])
    }
}

extension JasperDevice {
    /// The value of `deviceID` or `accountCustomN`.
    func value(ofEditableField field: String) -> String? {
        if field == "deviceID" { return deviceID }
        return Int(field.dropFirst("accountCustom".count)).flatMap { accountCustom[$0] }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
