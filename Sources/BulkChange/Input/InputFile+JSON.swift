import Foundation

extension InputFile {
    /// Reads a JSON bulk change:
    /// `{"changeType": "status-update", "serviceProvider": "POD19", "defaults": {…}, "devices": [{…}]}`.
    ///
    /// Keys are the canonical field names. `defaults` applies to every device that does not give
    /// the key itself (`null` in a device clears a default). Numbers and booleans become text, except
    /// that an ICCID or IMEI written as a number is a row problem. Unknown keys are ignored with a
    /// warning; a device that is not an object is a row problem.
    ///
    /// - Throws: `InputFileError` for broken JSON, a change type that is missing, unknown or at odds
    ///   with the file name, or an envelope of the wrong shape.
    public static func read(json bytes: [UInt8], fileName: String) throws(InputFileError) -> InputFile {
        let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Data(bytes.dropFirst(3)) : Data(bytes)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: text)
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw .malformedJSON(fileName: fileName, reason: reason ?? error.localizedDescription)
        }
        guard let envelope = object as? [String: Any] else {
            throw .unexpectedJSON(
                fileName: fileName, key: "the top level", expected: "an object with \"changeType\" and \"devices\"")
        }
        let changeType = try jsonChangeType(envelope["changeType"], fileName: fileName)
        let serviceProvider = try jsonMember(envelope, "serviceProvider", as: String.self, "a string", fileName)
        let defaults = try jsonMember(
            envelope, "defaults", as: [String: Any].self, "an object of field values", fileName)
        guard let devices = envelope["devices"] as? [Any] else {
            throw .unexpectedJSON(fileName: fileName, key: "\"devices\"", expected: "an array of device objects")
        }

        let specs = changeType.fields
        var unknown = UnknownKeys(known: Set(specs.map(\.name)))
        unknown.note(
            envelope.keys, at: "the top level", known: ["changeType", "serviceProvider", "defaults", "devices"])
        unknown.note((defaults ?? [:]).keys, at: "defaults")
        let rows = devices.enumerated().map { index, device in
            if let device = device as? [String: Any] { unknown.note(device.keys, at: "devices[\(index)]") }
            return jsonRow(device, number: index + 1, defaults: defaults ?? [:], specs: specs)
        }

        var warnings = unknown.keys.map {
            InputWarning.unknownKey(fileName: fileName, key: $0.key, firstAt: $0.firstAt, changeType: changeType)
        }
        if rows.isEmpty { warnings.append(.noRows(fileName: fileName)) }
        return InputFile(
            fileName: fileName, changeType: changeType, serviceProvider: serviceProvider.flatMap(InputRow.clean),
            columns: specs.map(\.name), rows: rows, warnings: warnings)
    }

    /// The JSON `changeType`, checked against the file-name prefix; the file name alone when absent.
    private static func jsonChangeType(_ value: Any?, fileName: String) throws(InputFileError) -> ChangeType {
        let named = ChangeType(fileName: fileName)
        guard let value, !(value is NSNull) else {
            guard let named else { throw .unknownChangeType(fileName: fileName) }
            return named
        }
        guard let text = value as? String,
            let declared = ChangeType(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
        else {
            throw .notAChangeType(fileName: fileName, value: "\(value)")
        }
        if let named, named != declared {
            throw .changeTypeMismatch(fileName: fileName, declared: declared, named: named)
        }
        return declared
    }

    /// The envelope's `key` as a `Value`, `nil` when absent or null.
    private static func jsonMember<Value>(
        _ envelope: [String: Any], _ key: String, as type: Value.Type, _ expected: String, _ fileName: String
    ) throws(InputFileError) -> Value? {
        guard let value = envelope[key], !(value is NSNull) else { return nil }
        guard let typed = value as? Value else {
            throw .unexpectedJSON(fileName: fileName, key: "\"\(key)\"", expected: expected)
        }
        return typed
    }

    /// One device as a row: `defaults` under the device's own keys, in the change type's columns.
    private static func jsonRow(_ device: Any, number: Int, defaults: [String: Any], specs: [FieldSpec]) -> InputRow {
        guard let device = device as? [String: Any] else {
            let problem = RowRejection(
                message: "devices[\(number - 1)] is not an object", hint: "write each device as {\"iccid\": \"…\", …}")
            return InputRow(number: number, line: 0, values: specs.map { _ in "" }, fields: [:], problem: problem)
        }
        let merged = defaults.merging(device) { _, own in own }
        var fields: [String: String] = [:]
        var problem: RowRejection?
        for spec in specs {
            guard let value = merged[spec.name] else { continue }
            let (text, valueProblem) = jsonText(value, spec: spec)
            fields[spec.name] = text
            problem = problem ?? valueProblem
        }
        return InputRow(
            number: number, line: 0, values: specs.map { fields[$0.name] ?? "" }, fields: fields, problem: problem)
    }

    /// A JSON value as the text of a field, and what is wrong with it, if anything.
    private static func jsonText(_ value: Any, spec: FieldSpec) -> (text: String?, problem: RowRejection?) {
        switch value {
        case is NSNull:
            return (nil, nil)
        case let text as String:
            return (InputRow.clean(text), nil)
        case let number as NSNumber where String(cString: number.objCType) == "c":
            return (number.boolValue ? "true" : "false", nil)
        case let number as NSNumber:
            let text = numberText(number)
            guard spec.kind == .iccid || spec.kind == .imei else { return (text, nil) }
            let name = spec.kind == .iccid ? "ICCID" : "IMEI"
            return (
                text,
                RowRejection(
                    column: spec.name, value: text, message: "is a JSON number",
                    hint: "write \(name)s as JSON strings; numbers lose digits")
            )
        default:
            return (
                nil,
                RowRejection(
                    column: spec.name, message: "is a JSON array or object",
                    hint: "give a string, a number or true/false")
            )
        }
    }

    /// `500` rather than `500.0` for a whole number written as a decimal (`5e2`).
    private static func numberText(_ number: NSNumber) -> String {
        let value = number.doubleValue
        guard !(number is NSDecimalNumber), value == value.rounded(), abs(value) < 1e15 else {
            return number.stringValue
        }
        return String(Int64(value))
    }
}

/// The unknown keys of a JSON file, each with the first place it appears, in order of appearance.
private struct UnknownKeys {
    let known: Set<String>
    private(set) var keys: [(key: String, firstAt: String)] = []
    private var seen: Set<String> = []

    init(known: Set<String>) { self.known = known }

    /// Notes the keys of an object at `place`, alphabetically (JSON objects have no order).
    mutating func note(_ objectKeys: some Collection<String>, at place: String, known: Set<String>? = nil) {
        for key in objectKeys.sorted() where !(known ?? self.known).contains(key) && seen.insert(key).inserted {
            keys.append((key, place))
        }
    }
}
