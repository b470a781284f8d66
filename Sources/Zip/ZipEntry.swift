/// One file in an archive, as its central directory describes it.
///
/// The sizes and the CRC-32 are the central directory's, which the reader holds authoritative:
/// an entry whose data inflates to anything else is refused.
public struct ZipEntry: Sendable, Equatable {
    /// How an entry's bytes are stored; the only two a reader of workbooks needs.
    public enum Method: UInt16, Sendable {
        /// Stored as is (method 0).
        case stored = 0
        /// Raw deflate (method 8).
        case deflated = 8
    }

    /// The path inside the archive, such as `xl/worksheets/sheet1.xml`.
    public let name: String
    /// How the data is compressed.
    public let method: Method
    /// Bytes of data in the archive.
    public let compressedSize: Int64
    /// Bytes once inflated.
    public let uncompressedSize: Int64
    /// CRC-32 of the uncompressed bytes.
    public let crc32: UInt32
    /// Byte offset of the entry's local header in the archive (0-based).
    public let localHeaderOffset: Int64
    /// Byte offset of the entry's data, just after its local header (0-based).
    public let dataOffset: Int64
}
