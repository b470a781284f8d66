/// How large an input file BulkDrop agrees to read: the configuration's `maxJSONFileMegabytes`.
///
/// A JSON file over the limit is refused before it is parsed, naming the limit and its size.
/// (CSV files are streamed record by record and have no size limit; a field is capped at 1 MiB.)
public struct InputLimits: Equatable, Sendable {
    /// The largest JSON file read, in bytes.
    public var maxJSONBytes: Int

    /// When set, only this many bytes of the file are read: what was hashed when it was claimed,
    /// whatever a writer still at it has added since.
    public var readBytes: Int?

    /// A megabyte as the limits count it: 1,048,576 bytes.
    public static let megabyte = 1 << 20

    /// The default limit for JSON files, in megabytes: 256.
    public static let defaultMaxJSONMegabytes = 256

    /// Limits of `maxJSONBytes` bytes for a JSON file (256 MB by default).
    public init(maxJSONBytes: Int = InputLimits.defaultMaxJSONMegabytes * InputLimits.megabyte) {
        precondition(maxJSONBytes > 0, "maxJSONBytes must be positive")
        self.maxJSONBytes = maxJSONBytes
    }

    /// Limits of `maxJSONMegabytes` megabytes (of 1,048,576 bytes) for a JSON file.
    public init(maxJSONMegabytes: Int) {
        self.init(maxJSONBytes: maxJSONMegabytes * InputLimits.megabyte)
    }

    /// `256 MB`, or `1,000 bytes` for a limit that is not a whole number of megabytes.
    var jsonLimitText: String {
        maxJSONBytes % Self.megabyte == 0
            ? "\(Wording.number(maxJSONBytes / Self.megabyte)) MB" : Wording.count(maxJSONBytes, "byte")
    }
}
