/// What the first pass over a JSON bulk change learns: the envelope's values and where its
/// `defaults` and `devices` start, after checking that the whole file is JSON.
///
/// The envelope's keys may come in any order, so `devices` may come before `changeType` or
/// `defaults`; the devices are read in a second pass, from `devicesStart`, once everything they
/// depend on is known.
struct JSONEnvelope {
    /// The keys the envelope has.
    static let keys: Set<String> = ["changeType", "serviceProvider", "defaults", "devices"]

    var changeType: JSONFieldValue?
    var serviceProvider: JSONFieldValue?
    /// Where the `defaults` object starts (`{`); `nil` when absent or `null`.
    var defaultsStart: JSONPosition?
    /// Where the `devices` array starts (`[`).
    var devicesStart: JSONPosition?

    /// Reads the whole file: every byte is checked, the envelope's values kept, `defaults` and
    /// `devices` skipped after their start is noted, and other top-level keys noted in `unknown`.
    ///
    /// - Throws: `InputFileError` for broken JSON anywhere in the file, a top level that is not
    ///   an object, a key given twice at the top level, or `defaults` or `devices` of the wrong kind.
    static func scan(_ events: inout FileEvents, unknown: inout UnknownKeys) throws(InputFileError) -> JSONEnvelope {
        try events.start()
        guard try events.next() == .objectStart else {
            throw .unexpectedJSON(
                fileName: events.fileName, key: "the top level",
                expected: "an object with \"changeType\" and \"devices\"")
        }
        var envelope = JSONEnvelope()
        var firstAt: [String: JSONPosition] = [:]
        while try events.next() == .key {
            let key = events.text
            if let earlier = firstAt[key] {
                throw .duplicateJSONKey(
                    fileName: events.fileName, key: key, place: "at the top level", at: events.position,
                    firstAt: earlier)
            }
            firstAt[key] = events.position
            let value = try events.next()
            let valueStart = events.position
            switch key {
            case "changeType":
                envelope.changeType = try JSONFieldValue.read(value, from: &events)
            case "serviceProvider":
                envelope.serviceProvider = try JSONFieldValue.read(value, from: &events)
            case "defaults":
                guard value == .objectStart || value == .null else {
                    throw .unexpectedJSON(
                        fileName: events.fileName, key: "\"defaults\"", expected: "an object of field values")
                }
                envelope.defaultsStart = value == .null ? nil : valueStart
                try events.skipValue(startingWith: value)
            case "devices":
                guard value == .arrayStart else {
                    throw .unexpectedJSON(
                        fileName: events.fileName, key: "\"devices\"", expected: "an array of device objects")
                }
                envelope.devicesStart = valueStart
                try events.skipValue(startingWith: value)
            default:
                unknown.note(key, at: "the top level")
                try events.skipValue(startingWith: value)
            }
        }
        // The grammar allows nothing but white space after the top-level object.
        _ = try events.next()
        return envelope
    }

    /// The change type: the envelope's `changeType` checked against the file-name prefix, or the
    /// file name alone when `changeType` is absent or `null`.
    func changeType(fileName: String) throws(InputFileError) -> ChangeType {
        let named = ChangeType(fileName: fileName)
        let text: String
        switch changeType {
        case nil, .null?:
            guard let named else { throw .unknownChangeType(fileName: fileName) }
            return named
        case .string(let value)?, .number(let value)?: text = value
        case .bool(let value)?: text = value ? "true" : "false"
        case .nested?:
            throw .unexpectedJSON(
                fileName: fileName, key: "\"changeType\"", expected: "a string naming the change type")
        }
        guard let declared = ChangeType(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw .notAChangeType(fileName: fileName, value: text)
        }
        if let named, named != declared {
            throw .changeTypeMismatch(fileName: fileName, declared: declared, named: named)
        }
        return declared
    }

    /// The service provider the file names, trimmed; `nil` when absent, `null` or empty.
    func serviceProvider(fileName: String) throws(InputFileError) -> String? {
        switch serviceProvider {
        case nil, .null?: return nil
        case .string(let value)?: return InputRow.clean(value)
        default: throw .unexpectedJSON(fileName: fileName, key: "\"serviceProvider\"", expected: "a string")
        }
    }

    /// Reads the `defaults` object again (the change type now known): the values of the
    /// change type's fields by name, other keys noted in `unknown`.
    ///
    /// - Throws: `InputFileError.duplicateJSONKey` for a key given twice.
    func readDefaults(
        _ events: inout FileEvents, fieldNames: Set<String>, unknown: inout UnknownKeys
    ) throws(InputFileError) -> [String: JSONFieldValue] {
        guard let defaultsStart else { return [:] }
        try events.seek(to: defaultsStart)
        _ = try events.next()
        var values: [String: JSONFieldValue] = [:]
        var firstAt: [String: JSONPosition] = [:]
        while try events.next() == .key {
            let key = events.text
            if let earlier = firstAt[key] {
                throw .duplicateJSONKey(
                    fileName: events.fileName, key: key, place: "in \"defaults\"", at: events.position, firstAt: earlier
                )
            }
            firstAt[key] = events.position
            let value = try events.next()
            if fieldNames.contains(key) {
                values[key] = try JSONFieldValue.read(value, from: &events)
            } else {
                unknown.note(key, at: "defaults")
                try events.skipValue(startingWith: value)
            }
        }
        return values
    }
}
