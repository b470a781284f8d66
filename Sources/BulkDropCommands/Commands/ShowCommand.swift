import BulkChange
import Foundation
import Pipeline
import Store
import Synchronization

/// `bulkdrop show ID`: the outcome of every row of one bulk change, as text or as JSON.
enum ShowCommand: Command {
    static let spec = CommandSpec(
        path: ["show"],
        summary: "Show the outcome of every row of one bulk change, as text or JSON.",
        synopsis: "BULK-CHANGE-ID [--outcome O,P] [--json] [--config FILE]",
        positionals: ["BULK-CHANGE-ID"],
        options: [
            WorkspaceAccess.configOption,
            .init("--outcome", value: "O,P", "only rows with these outcomes, such as FAILED,REJECTED"),
        ],
        flags: [.init("--json", "one JSON object: the bulk change and its rows")],
        details: """
            Text: a line for the bulk change (tenant, change type, file, status, counts), then a line per
            row: row number, ICCID, outcome, message. JSON: {"bulkChange": {…}, "rows": [{"row", "iccid",
            "outcome", "message", "oldValue", "newValue", "processedAt"}]}. Rows are read a page at a time,
            so a bulk change of a million rows is shown in flat memory. Exit status 2 for an unknown id.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let id = try CommandSupport.bulkChangeID(arguments, spec)
        let outcomes = Set(OptionValues(arguments, spec: spec).list("--outcome").map { $0.uppercased() })
        if let unknown = outcomes.first(where: { DetailStatus(rawValue: $0) == nil }) {
            throw UsageError.invalidValue(
                option: "--outcome", value: unknown,
                expected: "outcomes among PROCESSED, SCHEDULED, UNCHANGED, NEEDS_CHECK, AWAITING_CONFIRMATION, "
                    + "FAILED, REJECTED, PENDING, PROCESSING", command: spec.displayName)
        }
        let json = arguments.flags.contains("--json")
        let output = SharedOutput(console.output)
        do {
            let found = try WorkspaceAccess.with(arguments) { workspace in
                let rows = BulkChangeRows(workspace: workspace)
                guard let (change, tenant) = try await rows.header(id) else { return false }
                output.write(
                    json ? ShowFormat.jsonHead(change, tenant: tenant) : ShowFormat.textHead(change, tenant: tenant))
                let first = Mutex(true)
                try await rows.forEachPage(id, outcomes: outcomes) { page in
                    for row in page {
                        let separator = first.withLock { isFirst in
                            defer { isFirst = false }
                            return isFirst ? "" : ","
                        }
                        output.write(json ? separator + ShowFormat.json(row) : ShowFormat.text(row))
                    }
                }
                if json { output.write("]}\n") }
                return true
            }
            guard found else {
                console.error("no bulk change \(id) in the database; 'bulkdrop status' lists the recent ones")
                return ExitStatus.usageOrInput
            }
        } catch let error as PipelineError {
            return CommandSupport.fail(console, error)
        }
        console.output.flush()
        return ExitStatus.success
    }
}

/// The console's output, handed to the workspace's task. Unchecked: every write holds the lock,
/// and the command touches the output again only after that task has ended.
final class SharedOutput: @unchecked Sendable {
    private let output: FileOutput
    private let lock = Mutex(())

    init(_ output: FileOutput) {
        self.output = output
    }

    func write(_ text: String) {
        lock.withLock { _ in output.write(text) }
    }
}
