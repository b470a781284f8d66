import BulkChange
import CSV
import Foundation

/// Writes the outbox files of one input file into `outbox/<tenant>/`: the results (one row per
/// input row, in input order), the rows to fix (input columns plus `error`, ready to drop again),
/// a JSON summary, and the three as a workbook for people (`ResultWorkbook`). Each file appears
/// whole or not at all.
public struct OutboxWriter: Sendable {
    /// The outbox root; files go into a folder per tenant.
    public var root: String
    /// Added to the stem (`<stem>.validation.results.csv`), so a dry run never replaces real results.
    public var variant: String?

    public init(root: String, variant: String? = nil) {
        self.root = root
        self.variant = variant
    }

    /// The column names of a results file, in order.
    public static let resultColumns = [
        "row", "iccid", "change_type", "outcome", "message", "old_value", "new_value", "processed_at",
    ]

    /// The stem a file's outbox files take by default: its name without folder and extension.
    public static func stem(of sourceFile: String) -> String {
        (URL(fileURLWithPath: sourceFile).lastPathComponent as NSString).deletingPathExtension
    }

    /// Where the files named `stem` go: `<root>/<tenant>/<stem>.results.csv` and its siblings.
    public func paths(tenant: String, stem: String) -> OutboxPaths {
        let base = "\(root)/\(tenant)/\(stem)" + (variant.map { ".\($0)" } ?? "")
        return OutboxPaths(
            results: base + ".results.csv", errors: base + ".errors.csv", summary: base + ".summary.json",
            workbook: base + ".results.xlsx")
    }

    /// Writes results, errors (only when a row needs attention; a stale one is removed) and summary.
    ///
    /// - Parameters:
    ///   - stem: the files' name (`<stem>.results.csv`).
    ///   - inputColumns: the input's column names, repeated in the errors file.
    ///   - inputValues: each row's input cells by row number (1-based), for the errors file.
    public func write(
        results: [ResultRow], summary: RunSummary, stem: String, inputColumns: [String], inputValues: [Int: [String]]
    ) throws(OutboxError) -> OutboxPaths {
        let stream = try OutboxStream(writer: self, tenant: summary.tenant, stem: stem, inputColumns: inputColumns)
        try stream.append(results, inputValues: inputValues)
        return try stream.finish(summary)
    }

    /// Writes `summary` as JSON to `path`, atomically.
    static func writeSummary(_ summary: RunSummary, to path: String) throws(OutboxError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let json: Data
        do {
            json = try encoder.encode(summary)
        } catch {
            throw .unwritable(path: path, reason: "\(error)")
        }
        try AtomicFile.write(json, to: path)
    }

    /// Removes an errors file an earlier run of the same name left, so it cannot be taken for this one's.
    static func removeStale(_ path: String) throws(OutboxError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw .unwritable(
                path: path,
                reason: "the errors file of an earlier run cannot be removed: "
                    + String(cString: strerror(errno)))
        }
    }

    /// Whether a header cell is the `error` column of an earlier errors file (matched as input
    /// headers are: without regard to case, spaces, `_` and `-`).
    static func isErrorColumn(_ header: String) -> Bool {
        header.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" } == "error"
    }

    static func cells(_ result: ResultRow) -> [CSVCell] {
        [
            .number(String(result.row)), .text(result.iccid), .text(result.changeType.slug),
            .text(result.outcomeLabel), .text(result.message), .text(result.oldValue ?? ""),
            .text(result.newValue ?? ""), .text(result.processedAt.map(Timestamps.iso8601) ?? ""),
        ]
    }
}

/// The files written for one input file: three for machines, one workbook for people.
public struct OutboxPaths: Equatable, Sendable {
    public var results: String
    public var errors: String
    public var summary: String
    /// The results, the rows to fix and the summary as one workbook (`ResultWorkbook`).
    public var workbook: String
}
