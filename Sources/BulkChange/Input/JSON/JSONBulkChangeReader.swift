import CSV

/// Reads a JSON bulk change device by device, in bounded memory:
/// `{"changeType": …, "serviceProvider": …, "defaults": {…}, "devices": [{…}, …]}`.
///
/// Two passes over the file. Creating the reader makes the first: it checks that the whole file
/// is JSON (syntax, UTF-8, nesting, a key given twice at the top level or in `defaults`), reads
/// the envelope's values in whatever order its keys come, and notes where `defaults` and
/// `devices` start. So a broken file is refused before any device is handed out, and `devices`
/// may come before `changeType` or `defaults`. `nextRow()` makes the second pass: it reads
/// `defaults` and then the devices from where they start, one per call. Memory holds the read
/// buffer, the defaults and the device being read, whatever the size of the file.
///
/// ```swift
/// let reader = try JSONBulkChangeReader(source: try FileByteSource(path: path), fileName: name)
/// while let row = try reader.nextRow() { … }
/// ```
///
/// A device's keys are the change type's canonical column names; `defaults` apply to every device
/// that does not give the key itself (`null` in a device clears a default). A device that is not
/// an object, gives a key twice, or has a value no field can take becomes a row with a `problem`;
/// keys that name no field are ignored with a warning.
public final class JSONBulkChangeReader {
    /// The file's name, as messages show it.
    public let fileName: String
    /// The change every device asks for.
    public let changeType: ChangeType
    /// The service provider the file names, if any.
    public let serviceProvider: String?

    private var events: FileEvents
    private let envelope: JSONEnvelope
    private let specs: [FieldSpec]
    private let fieldNames: Set<String>
    /// The names of `specs`, shared by every row's `FieldValues`.
    private let rowFieldNames: FieldNames
    private let defaults: [String: JSONFieldValue]
    private var unknown: UnknownKeys
    private var devicesRead = 0
    private var finished = false

    /// Reads the envelope of the JSON text `source` holds (the first pass).
    ///
    /// - Throws: `InputFileError` for broken JSON anywhere in the file, a JSON file over the
    ///   limit, a change type that is missing, unknown or at odds with the file name, a key given
    ///   twice in the envelope or in `defaults`, or an envelope of the wrong shape.
    public init(source: some SeekableByteSource, fileName: String, limits: InputLimits = InputLimits())
        throws(InputFileError)
    {
        var events = FileEvents(source: source, fileName: fileName, limits: limits)
        var unknown = UnknownKeys()
        let envelope = try JSONEnvelope.scan(&events, unknown: &unknown)
        changeType = try envelope.changeType(fileName: fileName)
        serviceProvider = try envelope.serviceProvider(fileName: fileName)
        guard envelope.devicesStart != nil else {
            throw .unexpectedJSON(fileName: fileName, key: "\"devices\"", expected: "an array of device objects")
        }
        specs = changeType.fields
        fieldNames = Set(specs.map(\.name))
        rowFieldNames = FieldNames(specs.map(\.name))
        defaults = try envelope.readDefaults(&events, fieldNames: fieldNames, unknown: &unknown)
        self.fileName = fileName
        self.events = events
        self.envelope = envelope
        self.unknown = unknown
    }

    /// The columns rows are given in: the change type's canonical names.
    public var columns: [String] { specs.map(\.name) }

    /// The keys ignored so far: one warning per key (the first `InputWarning.namedLimit`), each
    /// with the first place it appears, then one counting the others. Complete once `nextRow()`
    /// has returned `nil`.
    public var warnings: [InputWarning] { unknown.warnings(fileName: fileName, changeType: changeType) }

    /// The next device as a row, or `nil` after the last one.
    ///
    /// - Throws: `InputFileError.unreadable` when the file cannot be read again (the first pass
    ///   found it to be JSON), or any error the first pass would give if the file changed since.
    public func nextRow() throws(InputFileError) -> InputRow? {
        guard !finished else { return nil }
        if devicesRead == 0, let start = envelope.devicesStart {
            try events.seek(to: start)
            _ = try events.next()
        }
        let first = try events.next()
        guard first != .arrayEnd else {
            finished = true
            return nil
        }
        let index = devicesRead
        devicesRead += 1
        guard first == .objectStart else {
            try events.skipValue(startingWith: first)
            let problem = RowRejection(
                message: "devices[\(index)] is not an object", hint: "write each device as {\"iccid\": \"…\", …}")
            return InputRow(number: index + 1, line: 0, values: specs.map { _ in "" }, fields: [:], problem: problem)
        }
        return try readDevice(index: index)
    }

    /// Reads the rest of the device object `devices[index]` and makes its row.
    private func readDevice(index: Int) throws(InputFileError) -> InputRow {
        var own: [String: JSONFieldValue] = [:]
        var keys: Set<String> = []
        var duplicate: String?
        while try events.next() == .key {
            let key = events.text
            let value = try events.next()
            if !keys.insert(key).inserted {
                duplicate = duplicate ?? key
                try events.skipValue(startingWith: value)
            } else if fieldNames.contains(key) {
                own[key] = try JSONFieldValue.read(value, from: &events)
            } else {
                unknown.note(key, at: "devices[\(index)]")
                try events.skipValue(startingWith: value)
            }
        }

        var problem = duplicate.map {
            RowRejection(message: "duplicate key \(Echo.quoted($0)) in devices[\(index)]", hint: "give each field once")
        }
        var fields: [String?] = []
        for spec in specs {
            guard let value = own[spec.name] ?? defaults[spec.name] else {
                fields.append(nil)
                continue
            }
            let (text, valueProblem) = value.text(for: spec)
            fields.append(text)
            problem = problem ?? valueProblem
        }
        return InputRow(
            number: index + 1, line: 0, values: fields.map { $0 ?? "" },
            fields: FieldValues(names: rowFieldNames, values: fields), problem: problem)
    }
}
