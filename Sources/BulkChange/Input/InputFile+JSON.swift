import CSV

extension InputFile {
    /// Reads a JSON bulk change held in memory; see `read(json:fileName:limits:)`.
    ///
    /// - Throws: `InputFileError`, also `.jsonTooLarge` when `bytes` are more than the limit.
    public static func read(
        json bytes: [UInt8], fileName: String, limits: InputLimits = InputLimits()
    ) throws(InputFileError) -> InputFile {
        guard bytes.count <= limits.maxJSONBytes else {
            throw .jsonTooLarge(fileName: fileName, bytes: bytes.count, limits: limits)
        }
        return try read(json: MemoryByteSource(bytes), fileName: fileName, limits: limits)
    }

    /// Reads a JSON bulk change:
    /// `{"changeType": "status-update", "serviceProvider": "POD19", "defaults": {…}, "devices": [{…}]}`,
    /// with `JSONBulkChangeReader`, collecting its rows.
    ///
    /// Keys are the canonical field names, in any order. `defaults` applies to every device that
    /// does not give the key itself (`null` in a device clears a default). Numbers and booleans
    /// become text, except that an ICCID or IMEI written as a number is a row problem. Unknown
    /// keys are ignored with a warning; a device that is not an object, or that gives a key
    /// twice, is a row problem.
    ///
    /// - Throws: `InputFileError` for broken JSON (with its line and column), a change type that
    ///   is missing, unknown or at odds with the file name, a key given twice in the envelope or
    ///   its `defaults`, or an envelope of the wrong shape.
    public static func read(
        json source: some SeekableByteSource, fileName: String, limits: InputLimits = InputLimits()
    ) throws(InputFileError) -> InputFile {
        try InputFile(draining: InputRowReader.json(source, fileName: fileName, limits: limits))
    }
}
