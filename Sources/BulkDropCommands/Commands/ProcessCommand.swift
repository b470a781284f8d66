import BulkChange
import Foundation
import Glibc
import Pipeline

/// `bulkdrop process FILE --tenant T`: one file through the whole pipeline, result files in the outbox.
enum ProcessCommand: Command {
    static let spec = CommandSpec(
        path: ["process"],
        summary: "Apply one bulk-change file (CSV or JSON) for a tenant and write its result files.",
        synopsis: "FILE --tenant T [--provider P] [--config FILE]",
        positionals: ["FILE"],
        options: [
            .init("--tenant", value: "T", "the tenant whose devices the file changes (required)"),
            .init("--provider", value: "P", "service provider, when the file does not name one"),
            WorkspaceAccess.configOption,
        ],
        details: """
            The change type comes from the file name's prefix (status-update_fleet.csv) or the JSON
            envelope. Results go to OUTBOX/<tenant>/<stem>.results.csv, rows to fix to
            <stem>.errors.csv, counts to <stem>.summary.json. Exit status 1 when a row FAILED or was
            REJECTED, 2 when the file or the configuration cannot be used at all.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        try FileRun.run(arguments, console: console, spec: spec, dryRun: false)
    }
}

/// `bulkdrop validate FILE --tenant T`: the same report as `process`, without calling Control Center
/// or changing data.
enum ValidateCommand: Command {
    static let spec = CommandSpec(
        path: ["validate"],
        summary: "Check a bulk-change file against the tenant's inventory without changing anything (dry run).",
        synopsis: "FILE --tenant T [--provider P] [--config FILE]",
        positionals: ["FILE"],
        options: ProcessCommand.spec.options,
        details: """
            Writes the same report as 'process' under <stem>.validation.results.csv (and .errors.csv,
            .summary.json), so real results are never replaced; valid rows show the outcome VALID.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        try FileRun.run(arguments, console: console, spec: spec, dryRun: true)
    }
}

/// What `process` and `validate` share.
enum FileRun {
    static func run(_ arguments: ParsedArguments, console: Console, spec: CommandSpec, dryRun: Bool) throws -> Int32 {
        guard let tenant = arguments.options["--tenant"] else {
            throw UsageError.missingArgument("--tenant T", command: spec.displayName)
        }
        let path = arguments.positionals[0]
        let provider = arguments.options["--provider"]
        do {
            let (report, notificationIssues) = try WorkspaceAccess.with(arguments, sendsMail: !dryRun) { workspace in
                try await apply(path: path, tenant: tenant, provider: provider, dryRun: dryRun, in: workspace)
            }
            return show(report, notificationIssues, console: console)
        } catch let error as PipelineError {
            return CommandSupport.fail(console, error)
        }
    }

    /// Runs the file through the pipeline (progress lines on standard error for a large one),
    /// then, unless a dry run, sends the notifications it calls for.
    static func apply(path: String, tenant: String, provider: String?, dryRun: Bool, in workspace: Workspace)
        async throws(PipelineError) -> (RunReport, [NotificationIssue])
    {
        let report = try await BulkChangeRunner(workspace: workspace).run(
            path: path, tenant: tenant, provider: provider, dryRun: dryRun
        ) { done, total in
            guard total >= progressThreshold, done % max(1, total / 10) == 0 || done == total else { return }
            FileOutput.writeNow("bulkdrop: \(done)/\(total) devices done\n", to: STDERR_FILENO)
        }
        guard !dryRun else { return (report, []) }
        let notifier = Notifier(workspace: workspace, log: EventLog(now: workspace.now))
        let issues = await notifier.fileFinished(report, name: (path as NSString).lastPathComponent)
        return (report, issues + (await notifier.deliverDue()).issues)
    }

    /// Prints the report and the warnings; exit status 1 when a row needs attention.
    static func show(_ report: RunReport, _ notificationIssues: [NotificationIssue], console: Console) -> Int32 {
        for warning in report.summary.warnings { console.warning(warning) }
        for issue in notificationIssues { console.warning("\(issue)") }
        console.output.write(describe(report))
        let attention =
            report.summary.count(.failed) + report.summary.count(.rejected) + report.summary.count(.needsCheck)
        return attention == 0 ? ExitStatus.success : ExitStatus.failure
    }

    /// Files with fewer valid rows finish too quickly to need progress lines.
    static let progressThreshold = 1000

    static func describe(_ report: RunReport) -> String {
        let summary = report.summary
        let counts = (Outcome.allCases.map(\.rawValue) + (summary.counts["VALID"] != nil ? ["VALID"] : []))
            .compactMap { key in summary.counts[key].flatMap { $0 > 0 ? "\($0) \(key)" : nil } }
            .joined(separator: ", ")
        var lines = [
            "\(summary.sourceFile): \(summary.changeType.slug) for \(summary.tenant) on \(summary.serviceProvider): "
                + "\(Wording.count(summary.rows, "row")): \(counts.isEmpty ? "none" : counts) (\(summary.status))",
            "results: \(report.paths.results)",
        ]
        // The report keeps the first rows only; the summary counts them all.
        if summary.needingAttention > 0 {
            lines.append("errors:  \(report.paths.errors)")
        }
        lines.append("summary: \(report.paths.summary)")
        return lines.joined(separator: "\n") + "\n"
    }
}
