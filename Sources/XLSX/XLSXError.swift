import XMLStream
import Zip

/// Why a workbook cannot be read or written. Descriptions say what, where (the part of the
/// workbook, a cell) and how to fix it.
public enum XLSXError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not a readable ZIP archive, or an entry broke a limit.
    case zip(ZipError)
    /// A part's XML is broken or broke a limit.
    case xml(part: String, XMLError)
    /// A part the workbook needs is not in the archive.
    case missingPart(String)
    /// The workbook lists no worksheet.
    case noWorksheet
    /// More shared strings than `XLSXLimits.maxSharedStrings`.
    case tooManySharedStrings(limit: Int)
    /// Shared strings of more bytes in all than `XLSXLimits.maxSharedStringBytes`.
    case sharedStringsTooLarge(limit: Int)
    /// A cell points at a shared string that does not exist.
    case sharedStringIndex(cell: String, index: String)
    /// A cell or row reference that is not one (`A1`, `AB12`).
    case badReference(String)
    /// The workbook file could not be written.
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .zip(let error):
            "\(error)"
        case .xml(let part, let error):
            "\(part):\(error)"
        case .missingPart(let part):
            "the workbook has no \(part); save it again as an Excel workbook (.xlsx)"
        case .noWorksheet:
            "the workbook has no worksheet; put the rows on a worksheet and save again"
        case .tooManySharedStrings(let limit):
            "the workbook has more than \(limit) distinct texts; split the rows into smaller workbooks"
        case .sharedStringsTooLarge(let limit):
            "the workbook's distinct texts come to more than \(limit / (1 << 20)) MiB; split the rows into smaller "
                + "workbooks"
        case .sharedStringIndex(let cell, let index):
            "cell \(cell) points at text number \(index), which the workbook does not have; save it again in Excel"
        case .badReference(let reference):
            "\"\(reference)\" is not a cell reference; save the workbook again in Excel"
        case .unwritable(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
