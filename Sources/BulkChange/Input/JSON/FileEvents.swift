import CSV

/// The `JSONEventReader` of one file, whose errors name that file (`InputFileError`).
struct FileEvents {
    private var reader: JSONEventReader
    /// The file's name, as messages show it.
    let fileName: String
    /// The limits the file is read under, for the message when it grows past them.
    let limits: InputLimits

    init(source: some SeekableByteSource, fileName: String, limits: InputLimits) {
        reader = JSONEventReader(source: source, maxBytes: limits.maxJSONBytes)
        self.fileName = fileName
        self.limits = limits
    }

    /// Where the last event's token starts.
    var position: JSONPosition { reader.position }

    /// The key, string or number of the last event.
    var text: String { reader.text }

    /// See `JSONEventReader.start()`.
    mutating func start() throws(InputFileError) {
        do { try reader.start() } catch { throw InputFileError(fileName: fileName, error, limits: limits) }
    }

    /// See `JSONEventReader.seek(to:)`.
    mutating func seek(to position: JSONPosition) throws(InputFileError) {
        do { try reader.seek(to: position) } catch { throw InputFileError(fileName: fileName, error, limits: limits) }
    }

    /// See `JSONEventReader.next()`.
    mutating func next() throws(InputFileError) -> JSONEventKind {
        do { return try reader.next() } catch { throw InputFileError(fileName: fileName, error, limits: limits) }
    }

    /// See `JSONEventReader.skipValue(startingWith:)`.
    mutating func skipValue(startingWith first: JSONEventKind) throws(InputFileError) {
        do {
            try reader.skipValue(startingWith: first)
        } catch {
            throw InputFileError(fileName: fileName, error, limits: limits)
        }
    }
}
