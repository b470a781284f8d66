/// Reads a zip archive, such as an .xlsx workbook: the central directory when opened, an entry's
/// data only when asked for.
///
/// Opening checks the whole directory against the file's size and the `ZipLimits`, so a
/// hostile archive is refused before anything is inflated. Nothing is written to disk. An
/// archive file stays open (entries are read with `pread`) until the reader and every stream
/// from it are gone.
public final class ZipReader {
    /// The entries in central directory order.
    public let entries: [ZipEntry]
    /// The limits every entry is read under.
    public let limits: ZipLimits
    private let source: ZipSource
    private let indexByName: [String: Int]

    /// Opens the archive at `path` and reads its central directory.
    ///
    /// - Throws: `ZipError` when the file cannot be read, is not a zip archive, is damaged, uses
    ///   what this reader does not support (ZIP64, several disks, encryption, methods other than
    ///   stored and deflate), or breaks `limits`.
    public convenience init(path: String, limits: ZipLimits = ZipLimits()) throws(ZipError) {
        try self.init(source: .file(ReadOnlyFile(path: path)), limits: limits)
    }

    /// Reads an archive held in memory, as tests and the fuzzer do; the same checks as for a file.
    public convenience init(bytes: [UInt8], limits: ZipLimits = ZipLimits()) throws(ZipError) {
        try self.init(source: .memory(bytes), limits: limits)
    }

    private init(source: ZipSource, limits: ZipLimits) throws(ZipError) {
        entries = try ZipDirectory(source: source, limits: limits).entries()
        self.limits = limits
        self.source = source
        // The directory refuses duplicate names, so every name has one index.
        indexByName = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
    }

    /// The entry called `name` (a path such as `xl/workbook.xml`), if there is one.
    public func entry(named name: String) -> ZipEntry? {
        indexByName[name].map { entries[$0] }
    }

    /// A stream that inflates `entry` (one of `entries`) as it is read.
    ///
    /// - Throws: `ZipError` when the declared size breaks the limits, or zlib cannot start.
    public func stream(_ entry: ZipEntry) throws(ZipError) -> ZipEntryStream {
        precondition(self.entry(named: entry.name) == entry, "\(entry.name) is not an entry of this archive")
        return try ZipEntryStream(entry: entry, source: source, limits: limits)
    }

    /// The whole of `entry`, for small parts; the same checks as reading its stream.
    public func contents(of entry: ZipEntry) throws(ZipError) -> [UInt8] {
        let stream = try stream(entry)
        // Room for one byte more than declared, so the first read takes everything there is.
        let readSize = Int(entry.uncompressedSize) + 1
        var bytes: [UInt8] = []
        while case let chunk = try stream.read(upTo: readSize), !chunk.isEmpty {
            if bytes.isEmpty { bytes = chunk } else { bytes += chunk }
        }
        return bytes
    }

    /// `count` bytes of `entry`'s compressed data from `offset` on, as the archive holds them
    /// (`ZipWriter.copyEntry` copies entries with it).
    func rawBytes(of entry: ZipEntry, from offset: Int64, count: Int) throws(ZipError) -> [UInt8] {
        precondition(offset >= 0 && offset + Int64(count) <= entry.compressedSize, "past the entry's data")
        return try source.read(at: entry.dataOffset + offset, count: count)
    }
}
