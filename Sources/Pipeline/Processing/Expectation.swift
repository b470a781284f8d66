import Foundation
import Jasper
import Store

/// What a row waits for once Control Center accepted its edit: the fields the device must show,
/// and the edit to send once more if it never does. Kept in the store with the row.
struct Expectation: Codable, Sendable, Equatable {
    var iccid: String
    /// Control Center field name → the value the device must show.
    var fields: [String: String]
    /// The step and the edit that were accepted.
    var step: String
    var edit: DeviceEdit

    /// Whether a device listing (50 devices a call) carries every field, or the device must be read.
    var isListed: Bool { fields.keys.allSatisfy(DeviceSummary.listedFields.contains) }

    /// What an edit must show once applied (its fields, without the effective date).
    init(iccid: String, step: String, edit: DeviceEdit) {
        self.iccid = iccid
        self.step = step
        self.edit = edit
        fields = edit.changedFields
    }
}

/// The outcome a waiting row gets once its change shows: kept with it in the store.
struct SettledResult: Codable, Sendable, Equatable {
    var message: String
    var oldValue: String?
    var newValue: String?
    /// Device fields to set then, by `DeviceField` raw value (`nil` clears a field).
    var deviceChanges: [String: String?]
    /// Why the change was made, as the row said.
    var reason: String?

    init(_ result: DeviceResult) {
        reason = result.reason
        message = result.message
        oldValue = result.oldValue
        newValue = result.newValue
        deviceChanges = Dictionary(uniqueKeysWithValues: result.deviceChanges.map { ($0.key.rawValue, $0.value) })
    }

    /// The PROCESSED result to record.
    var processed: DeviceResult {
        var changes: [DeviceField: String?] = [:]
        for (name, value) in deviceChanges {
            if let field = DeviceField(rawValue: name) { changes[field] = value }
        }
        var result = DeviceResult(
            outcome: .processed, message: message, oldValue: oldValue, newValue: newValue, deviceChanges: changes)
        result.reason = reason
        return result
    }
}

/// JSON for the store's confirmation rows.
enum ConfirmationJSON {
    static func text(_ value: some Encodable) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw .invalidValue(field: "confirmation", value: "\(value)", expected: "a value that encodes ( \(error))")
        }
    }

    static func value<Value: Decodable>(_ type: Value.Type, from text: String) throws(StoreError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw .invalidValue(field: "confirmation", value: String(text.prefix(80)), expected: "\(type) as JSON")
        }
    }
}
