import BulkChange
import Foundation
import Jasper
import Store

/// Username (and cost centres): set on the provider's configured Control Center field. For POD19
/// the device audit trail must show the new value before the row is PROCESSED; elsewhere the
/// device is read back. The local record changes only then.
struct EditUsernameProcessor: ChangeProcessor {
    let changeType = ChangeType.editUsername

    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext)
        async throws(PipelineError) -> DeviceResult?
    {
        guard case .editUsername(let edit) = request else { return .mismatched(request, self) }
        var changes: [DeviceField: String?] = [:]
        if edit.username != device.username { changes[.username] = edit.username }
        let costCenterFields: [DeviceField] = [.costCenter1, .costCenter2, .costCenter3]
        for (index, value) in edit.costCenters.prefix(3).enumerated() {
            if let value, value != device.costCenters[safe: index] ?? nil { changes[costCenterFields[index]] = value }
        }
        guard !changes.isEmpty else { return .unchanged("already \(edit.username)", value: device.username) }
        let done = DeviceResult(
            outcome: .processed, message: "username changed", oldValue: device.username, newValue: edit.username,
            deviceChanges: changes)
        guard changes[.username] != nil else { return done }
        let field = context.provider.usernameField
        guard let carrierEdit = Self.edit(setting: field, to: edit.username) else {
            return .failed(
                "the provider's username field \(field) is not an editable Control Center field; "
                    + "set it to deviceID or accountCustom1…10", oldValue: device.username, newValue: edit.username)
        }
        let answer = try await context.send(carrierEdit, to: device.iccid)
        guard context.provider.integration == .pod19, case .accepted(let later) = answer else {
            return answer.result(
                expecting: Expectation(iccid: device.iccid, step: "edit", edit: carrierEdit), done: done,
                doing: "changing the username")
        }
        let iccid = device.iccid
        let probe: @Sendable () async throws(JasperError) -> Bool = { () async throws(JasperError) -> Bool in
            let trail = try await context.jasper.auditTrail(iccid, daysOfHistory: 1)
            return trail.first { $0.field == field }?.value == edit.username
        }
        switch try await context.confirmApplied(carrierEdit, to: iccid, step: "edit", appliedLater: later, probe: probe)
        {
        case .shown: return done
        case .stopped: return nil
        case .notShown(let reason):
            return .failed(
                "the audit trail does not show the new username: \(reason); the local record was left as it was",
                oldValue: device.username, newValue: edit.username)
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

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
