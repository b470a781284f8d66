import BulkChange
import CSV
import Foundation

/// The inverse of one finished bulk change: the rows of an ordinary bulk-change file that set its
/// PROCESSED rows back to their recorded old values, and the rows that cannot go back, each with why.
///
/// The same bulk change and the same inventory always give the same file, byte for byte, so
/// dropping an undo twice is caught by the duplicate-content rule like any other file.
public struct UndoPlan: Sendable, Equatable {
    public var bulkChangeID: Int64
    public var tenant: String
    public var provider: String
    public var changeType: ChangeType
    /// The file the undone bulk change came from.
    public var sourceFile: String
    /// The change type's columns, `iccid` first.
    public var columns: [String]
    /// One row per device that goes back, in the bulk change's row order, cells in `columns` order.
    public var rows: [[String]]
    /// The rows that cannot be undone, in row order.
    public var refused: [UndoRefusal]

    /// `<slug>_undo-<id>.csv`: a bulk-change file whose name gives its change type.
    public var fileName: String { "\(changeType.slug)_undo-\(bulkChangeID).csv" }

    /// The file's bytes: UTF-8 with a byte order mark, CRLF, a header and one record per row.
    public var csv: [UInt8] {
        var writer = CSVWriter()
        writer.write(columns)
        for row in rows { writer.write(row) }
        return writer.takeBytes()
    }

    /// The file as text, without the byte order mark (for printing).
    public var text: String {
        String(decoding: csv.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }, as: UTF8.self)
    }
}

/// A PROCESSED row of a bulk change that cannot be undone, and why.
public struct UndoRefusal: Sendable, Equatable, CustomStringConvertible {
    /// The row's 1-based number in the undone file.
    public var row: Int
    public var iccid: String
    public var reason: String

    public init(row: Int, iccid: String, reason: String) {
        self.row = row
        self.iccid = iccid
        self.reason = reason
    }

    public var description: String { "row \(row) (\(iccid)): \(reason)" }
}

/// Why `bulkdrop undo` wrote nothing.
public enum UndoError: Error, CustomStringConvertible {
    /// No bulk change has that id.
    case unknownBulkChange(Int64)
    /// The bulk change still has rows without a final outcome.
    case notFinished(Int64, status: String)
    /// No row of the bulk change was PROCESSED: it changed nothing.
    case nothingProcessed(Int64, counts: [String: Int])
    /// Rows were PROCESSED, but none has an old value recorded to go back to.
    case noOldValues(Int64, changeType: String)
    /// Every PROCESSED row was refused.
    case nothingToUndo(Int64, refused: [UndoRefusal])
    /// The store, the carrier or a file failed.
    case pipeline(PipelineError)

    /// The message first, then one line per refused row.
    public var diagnostics: [String] {
        switch self {
        case .nothingToUndo(let id, let refused):
            ["nothing to undo in bulk change \(id): none of its PROCESSED rows can go back"]
                + refused.map { "bulk change \(id) \($0)" }
        case .pipeline(let error): error.diagnostics
        default: [description]
        }
    }

    public var description: String {
        switch self {
        case .unknownBulkChange(let id):
            "no bulk change \(id); 'bulkdrop status' lists the recent ones with their ids"
        case .notFinished(let id, let status):
            "bulk change \(id) is still \(status): undo it once every row has its outcome "
                + "('bulkdrop status' shows when it is done)"
        case .nothingProcessed(let id, let counts):
            "nothing to undo in bulk change \(id): no row was PROCESSED ("
                + (counts.isEmpty
                    ? "no rows" : counts.sorted { $0.key < $1.key }.map { "\($1) \($0)" }.joined(separator: ", "))
                + ")"
        case .noOldValues(let id, let changeType):
            "bulk change \(id) (\(changeType)) recorded no old values for its PROCESSED rows, so there is nothing "
                + "to go back to; write the file of the values you want and drop it"
        case .nothingToUndo: diagnostics.joined(separator: "\n")
        case .pipeline(let error): "\(error)"
        }
    }
}
