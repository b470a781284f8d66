import XMLStream
import Zip

/// Limits against hostile workbooks: the archive's (entry count, sizes, compression ratio), the
/// XML's (depth, names, text) and the number of distinct texts kept in memory.
public struct XLSXLimits: Sendable, Equatable {
    public var zip: ZipLimits
    public var xml: XMLLimits
    /// Distinct texts (shared strings) a workbook may hold; they are kept in memory while it is read.
    public var maxSharedStrings: Int
    /// The UTF-8 bytes of all those texts together, for the same reason.
    public var maxSharedStringBytes: Int

    public init(
        zip: ZipLimits = ZipLimits(), xml: XMLLimits = XMLLimits(), maxSharedStrings: Int = 2_000_000,
        maxSharedStringBytes: Int = 128 << 20
    ) {
        self.zip = zip
        self.xml = xml
        self.maxSharedStrings = maxSharedStrings
        self.maxSharedStringBytes = maxSharedStringBytes
    }
}
