/// Limits against hostile archives; every refusal names the limit and the value.
///
/// The entry count and the total are checked when an archive is opened; an entry's size and
/// ratio when it is opened for reading, on its declared size, and again on the bytes inflated
/// as they come.
public struct ZipLimits: Sendable, Equatable {
    /// Entries in the central directory.
    public var maxEntries: Int
    /// Uncompressed bytes of one entry.
    public var maxEntryBytes: Int64
    /// Uncompressed bytes of all entries together.
    public var maxTotalBytes: Int64
    /// Uncompressed bytes per compressed byte of one entry; entries under `ratioExemptBytes`
    /// uncompressed are exempt, as small parts full of repeats compress far better than this.
    public var maxCompressionRatio: Int

    /// Entries smaller than this (1 MiB) uncompressed may expand by any ratio.
    public static let ratioExemptBytes: Int64 = 1 << 20

    /// Limits for workbooks a person uploads: 10,000 entries, 1 GiB per entry, 2 GiB in all, and
    /// at most 200 times the compressed size.
    public init(
        maxEntries: Int = 10_000, maxEntryBytes: Int64 = 1 << 30, maxTotalBytes: Int64 = 2 << 30,
        maxCompressionRatio: Int = 200
    ) {
        self.maxEntries = maxEntries
        self.maxEntryBytes = maxEntryBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxCompressionRatio = maxCompressionRatio
    }

    /// Throws when `entry` expanding to `size` bytes breaks the size or the ratio limit.
    func check(_ entry: ZipEntry, expandingTo size: Int64) throws(ZipError) {
        if size > maxEntryBytes {
            throw .entryTooLarge(entry: entry.name, bytes: size, limit: maxEntryBytes)
        }
        let ratio = size / max(entry.compressedSize, 1)
        if size >= Self.ratioExemptBytes, ratio > maxCompressionRatio {
            throw .compressionRatioTooHigh(entry: entry.name, ratio: ratio, limit: maxCompressionRatio)
        }
    }
}
