import BulkChange
import Foundation
import Pipeline

/// `bulkdrop undo ID`: the inverse of a finished bulk change as an ordinary bulk-change file, dropped
/// into its tenant's inbox, printed (`--dry-run`) or applied at once (`--apply`).
enum UndoCommand: Command {
    static let spec = CommandSpec(
        path: ["undo"],
        summary: "Write the inverse of a finished bulk change into its tenant's inbox (or apply it at once).",
        synopsis: "BULK-CHANGE-ID [--dry-run | --apply] [--config FILE]",
        positionals: ["BULK-CHANGE-ID"],
        options: [WorkspaceAccess.configOption],
        flags: [
            .init("--dry-run", "print the file and the rows that cannot be undone; write nothing"),
            .init("--apply", "apply the file at once, like 'process', instead of dropping it into the inbox"),
        ],
        details: """
            The file is INBOX/<tenant>/<slug>_undo-<id>.csv: the bulk change's PROCESSED rows with their
            recorded old values (status, rate plans, customer plan and pool, username and cost centres,
            IMEI; a SIM swap only when the replaced SIM is pre-active again). Rows that cannot go back
            (a RETIRED SIM, a value changed since, an archival, a future-dated row) are listed on
            standard error with the reason. Exit status 1 when a row was refused or nothing can be
            undone, 2 for an unknown id.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let id = try CommandSupport.bulkChangeID(arguments, spec)
        let (dryRun, apply) = (arguments.flags.contains("--dry-run"), arguments.flags.contains("--apply"))
        if dryRun, apply { throw UsageError.conflictingOptions("--dry-run", "--apply", command: spec.displayName) }
        do {
            let (plan, path, applied) = try WorkspaceAccess.with(arguments, sendsMail: apply) { workspace in
                let planner = UndoPlanner(workspace: workspace)
                let plan = try await planner.plan(bulkChangeID: id)
                if dryRun { return (plan, String?.none, (RunReport, [NotificationIssue])?.none) }
                guard apply else { return (plan, try await planner.drop(plan), nil) }
                let path = try await planner.stage(plan)
                let applied = try await FileRun.apply(
                    path: path, tenant: plan.tenant, provider: plan.provider, dryRun: false, in: workspace)
                return (plan, path, applied)
            }
            for refusal in plan.refused { console.warning("bulk change \(id) \(refusal): not undone") }
            guard let path else {
                console.output.write(plan.text)
                return plan.refused.isEmpty ? ExitStatus.success : ExitStatus.failure
            }
            console.output.write(
                "undo of bulk change \(id) (\(plan.changeType.slug) from \(plan.sourceFile), tenant \(plan.tenant)): "
                    + "\(Wording.count(plan.rows.count, "row")) in \(path)"
                    + (applied == nil ? "; the service applies it from the inbox\n" : "\n"))
            let status = applied.map { FileRun.show($0.0, $0.1, console: console) } ?? ExitStatus.success
            return plan.refused.isEmpty ? status : ExitStatus.failure
        } catch let error as UndoError {
            for line in error.diagnostics { console.error(line) }
            return error.exitStatus
        } catch let error as PipelineError {
            return CommandSupport.fail(console, error)
        }
    }
}

extension UndoError {
    /// 2 for an id that names no bulk change, the pipeline's status for its failures, 1 otherwise.
    var exitStatus: Int32 {
        switch self {
        case .unknownBulkChange: ExitStatus.usageOrInput
        case .pipeline(let error): error.exitStatus
        default: ExitStatus.failure
        }
    }
}
