/// Why an archive cannot be read or written.
///
/// Each case says what is wrong and where: the entry's name, or a 0-based byte offset into the
/// archive when no entry is known yet. Descriptions read
/// `xl/worksheets/sheet1.xml: expands 1000 times its compressed size, …`; callers put the
/// archive's file name in front.
public enum ZipError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The archive file could not be opened.
    case cannotOpen(path: String, reason: String)
    /// Reading the archive failed at `offset`.
    case cannotRead(path: String, offset: Int64, reason: String)
    /// The output file could not be created or written.
    case cannotWrite(path: String, reason: String)
    /// No end of central directory record: not a zip archive, or one cut short.
    case notAZipArchive(size: Int64)
    /// A record or field at `offset` contradicts the format or the file's size.
    case malformed(offset: Int64, problem: String)
    /// The archive uses ZIP64 (for an entry, when `entry` is given), which is not supported.
    case zip64(entry: String?)
    /// The archive is split over several disks (files).
    case multiDisk
    /// More entries than `ZipLimits.maxEntries`.
    case tooManyEntries(count: Int, limit: Int)
    /// The declared uncompressed sizes add up to more than `ZipLimits.maxTotalBytes`.
    case totalTooLarge(bytes: Int64, limit: Int64)
    /// One entry is larger than `ZipLimits.maxEntryBytes` uncompressed.
    case entryTooLarge(entry: String, bytes: Int64, limit: Int64)
    /// One entry expands more than `ZipLimits.maxCompressionRatio` times its compressed size.
    case compressionRatioTooHigh(entry: String, ratio: Int64, limit: Int)
    /// The entry is encrypted.
    case encrypted(entry: String)
    /// The entry uses a compression method other than stored (0) and deflate (8).
    case unsupportedMethod(entry: String, method: UInt16)
    /// The entry inflates to more bytes than the central directory declares.
    case longerThanDeclared(entry: String, declared: Int64)
    /// The entry inflates to fewer bytes than the central directory declares.
    case shorterThanDeclared(entry: String, declared: Int64, actual: Int64)
    /// The CRC-32 of the inflated bytes is not the declared one.
    case checksumMismatch(entry: String, declared: UInt32, actual: UInt32)
    /// The entry's compressed bytes end before its deflate stream does.
    case compressedDataTruncated(entry: String)
    /// zlib refused an operation on the entry: `code` is its return code, `message` its reason.
    case zlib(operation: String, entry: String, code: Int32, message: String)
    /// The writer cannot store an entry under this name.
    case invalidEntryName(name: String, problem: String)
    /// Writing would pass a limit of the zip format without ZIP64, `limit` says which.
    case overZipLimit(entry: String?, limit: String)

    /// What is wrong, where, and how to fix it.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open \(path): \(reason)"
        case .cannotRead(let path, let offset, let reason):
            "cannot read \(path) at byte \(offset): \(reason)"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        case .notAZipArchive(let size):
            "no end of central directory record in the \(size) bytes of the file; this is not a zip archive "
                + "(an .xlsx workbook is one) or it was cut short: save or download it again"
        case .malformed(let offset, let problem):
            "byte \(offset): \(problem); the archive is damaged: save it again from the application that made it"
        case .zip64(let entry):
            "\(entry ?? "the archive"): uses ZIP64 (made for more than 4 GiB or 65,535 entries), which is not "
                + "supported; split the data over smaller files"
        case .multiDisk:
            "the archive is split over several disks, which is not supported; join the parts into one file"
        case .tooManyEntries(let count, let limit):
            "the archive has \(count) entries, more than the \(limit) allowed; this looks like a crafted archive"
        case .totalTooLarge(let bytes, let limit):
            "the entries add up to \(bytes) bytes uncompressed, more than the \(limit) allowed; "
                + "split the data over smaller files"
        case .entryTooLarge(let entry, let bytes, let limit):
            "\(entry): \(bytes) bytes uncompressed, more than the \(limit) allowed; split the data over smaller files"
        case .compressionRatioTooHigh(let entry, let ratio, let limit):
            "\(entry): expands \(ratio) times its compressed size, more than the \(limit) allowed; "
                + "this looks like a zip bomb"
        case .encrypted(let entry):
            "\(entry): is encrypted; save the file without a password and try again"
        case .unsupportedMethod(let entry, let method):
            "\(entry): compressed with method \(method), but only stored (0) and deflate (8) are supported; "
                + "save the file again with ordinary compression"
        case .longerThanDeclared(let entry, let declared):
            "\(entry): inflates to more than the \(declared) bytes its header declares; the archive is damaged "
                + "or crafted"
        case .shorterThanDeclared(let entry, let declared, let actual):
            "\(entry): inflates to \(actual) bytes, fewer than the \(declared) its header declares; "
                + "the archive is damaged"
        case .checksumMismatch(let entry, let declared, let actual):
            "\(entry): CRC-32 of the data is \(hex(actual)), not the \(hex(declared)) its header declares; "
                + "the archive is damaged"
        case .compressedDataTruncated(let entry):
            "\(entry): the compressed data ends before the deflate stream does; the archive is damaged"
        case .zlib(let operation, let entry, let code, let message):
            "\(entry): \(operation) failed: \(message) (zlib code \(code)); the archive is damaged"
        case .invalidEntryName(let name, let problem):
            "entry name \"\(name)\": \(problem)"
        case .overZipLimit(let entry, let limit):
            "\(entry ?? "the archive"): more than \(limit), the most a zip archive holds without ZIP64, "
                + "which is not written; split the data over several files"
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
