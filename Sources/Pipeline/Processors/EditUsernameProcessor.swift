import BulkChange
import Foundation
import Jasper
import Store

/// Username and cost centres: the username is set on the provider's configured Control Center
/// field, and each cost centre on the account custom field the provider maps it to
/// (`costCenterFields`; an unmapped one is kept by BulkDrop only). For POD19 the device audit trail
/// must show the new values before the row is PROCESSED; elsewhere the device is read back. The
/// local record changes only then, and the message says what changed.
struct EditUsernameProcessor: ChangeProcessor {
    let changeType = ChangeType.editUsername

    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext)
        async throws(PipelineError) -> DeviceResult?
    {
        guard case .editUsername(let edit) = request else { return .mismatched(request, self) }
        var changes: [DeviceField: String?] = [:]
        var carrierEdit = DeviceEdit()
        var unmapped: [Int] = []
        let field = context.provider.usernameField
        if edit.username != device.username {
            changes[.username] = edit.username
            guard let usernameEdit = Self.edit(setting: field, to: edit.username) else {
                return .failed(
                    "the provider's username field \(field) is not an editable Control Center field; "
                        + "set it to deviceID or accountCustom1…10", oldValue: device.username, newValue: edit.username)
            }
            carrierEdit = usernameEdit
        }
        let costCenterFields: [DeviceField] = [.costCenter1, .costCenter2, .costCenter3]
        for (index, value) in edit.costCenters.prefix(3).enumerated() {
            guard let value, value != device.costCenters[safe: index] ?? nil else { continue }
            changes[costCenterFields[index]] = value
            if let mapped = context.costCenterFields[safe: index], let number = Self.customNumber(mapped) {
                carrierEdit.accountCustom[number] = value
            } else {
                unmapped.append(index + 1)
            }
        }
        guard !changes.isEmpty else { return .unchanged("already \(edit.username)", value: device.username) }
        let done = DeviceResult(
            outcome: .processed, message: Self.describe(changes, unmapped: unmapped), oldValue: device.username,
            newValue: edit.username, deviceChanges: changes)
        guard !carrierEdit.isEmpty else { return done }
        let answer = try await context.send(carrierEdit, to: device.iccid)
        guard context.provider.integration == .pod19, case .accepted(let later) = answer else {
            return answer.result(
                expecting: Expectation(iccid: device.iccid, step: "edit", edit: carrierEdit), done: done,
                doing: "changing the username")
        }
        let iccid = device.iccid
        let wanted = carrierEdit.changedFields
        let probe: @Sendable () async throws(JasperError) -> Bool = { () async throws(JasperError) -> Bool in
            let trail = try await context.jasper.auditTrail(iccid, daysOfHistory: 1)
            return wanted.allSatisfy { name, value in trail.first { $0.field == name }?.value == value }
        }
        switch try await context.confirmApplied(carrierEdit, to: iccid, step: "edit", appliedLater: later, probe: probe)
        {
        case .shown: return done
        case .stopped: return nil
        case .notShown(let reason):
            return .failed(
                "the audit trail does not show the new values: \(reason); the local record was left as it was",
                oldValue: device.username, newValue: edit.username)
        }
    }

    /// `username changed`, `cost centre 2 changed`, `username and cost centres 1 and 3 changed`,
    /// with a note for cost centres no Control Center field holds.
    static func describe(_ changes: [DeviceField: String?], unmapped: [Int]) -> String {
        let centres = [DeviceField.costCenter1, .costCenter2, .costCenter3].enumerated()
            .filter { changes[$0.element] != nil }.map { String($0.offset + 1) }
        var parts: [String] = []
        if changes[.username] != nil { parts.append("username") }
        if !centres.isEmpty {
            let list =
                centres.count == 1 ? centres[0] : centres.dropLast().joined(separator: ", ") + " and " + centres.last!
            parts.append((centres.count == 1 ? "cost centre " : "cost centres ") + list)
        }
        var text = parts.joined(separator: " and ") + " changed"
        if !unmapped.isEmpty {
            text +=
                "; cost centre " + unmapped.map(String.init).joined(separator: ", ")
                + " kept by BulkDrop only (no Control Center field is mapped to it: see costCenterFields)"
        }
        return text
    }

    /// The number N of `accountCustomN` (1…10).
    static func customNumber(_ field: String) -> Int? {
        guard field.hasPrefix("accountCustom"), let number = Int(field.dropFirst("accountCustom".count)),
            (1...10).contains(number)
        else { return nil }
        return number
    }

    /// The edit that sets `field` (`deviceID` or `accountCustomN`) to `value`.
    static func edit(setting field: String, to value: String) -> DeviceEdit? {
        if field == "deviceID" { return DeviceEdit(deviceID: value) }
        return customNumber(field).map { DeviceEdit(accountCustom: [$0: value]) }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
