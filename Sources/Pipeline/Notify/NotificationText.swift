import BulkChange
import Foundation

/// The words of the emails: pure functions of a run's report, so they can be read in tests.
enum NotificationText {
    /// Errors listed in the body; the attachment has them all.
    static let errorsInBody = 5

    static func fileSubject(_ summary: RunSummary, name: String) -> String {
        let failed = summary.count(.failed)
        let rejected = summary.count(.rejected)
        let check = summary.count(.needsCheck)
        return "BulkDrop: \(name) for \(summary.tenant): \(failed) failed, \(rejected) rejected"
            + (check > 0 ? ", \(check) to check" : "") + " of \(summary.rows) rows"
    }

    /// - Parameter errors: the file the email carries for the rows to fix, attached or not.
    static func fileBody(_ report: RunReport, name: String, errors: ErrorsAttachment? = nil) -> String {
        let summary = report.summary
        let counts = Outcome.allCases.compactMap { outcome in
            summary.count(outcome) > 0 ? "\(summary.count(outcome)) \(outcome.rawValue)" : nil
        }.joined(separator: ", ")
        let problems = report.results.filter(\.needsAttention)
        var lines = [
            "BulkDrop applied \(name) for tenant \(summary.tenant) on \(summary.serviceProvider)",
            "(\(summary.changeType.slug), bulk change \(summary.bulkChangeID)).", "",
            "Outcomes: \(counts).",
        ]
        if !problems.isEmpty { lines += ["", "First rows that need attention:"] }
        for result in problems.prefix(errorsInBody) {
            lines.append(
                "  row \(result.row), ICCID \(result.iccid.isEmpty ? "(none)" : Echo.plain(result.iccid)): \(result.message)"
            )
        }
        // The report keeps the first rows of a large file only; the counts cover every row.
        let listed = min(problems.count, errorsInBody)
        if summary.needingAttention > listed { lines.append("  … and \(summary.needingAttention - listed) more.") }
        let checks = report.results.filter { $0.outcome == .needsCheck }
        if !checks.isEmpty {
            lines += [
                "", "Rows to check on Control Center before anything is sent again (NEEDS_CHECK; they are not in the",
                "errors file, so dropping it again cannot apply them twice):",
            ]
            for result in checks.prefix(errorsInBody) {
                lines.append("  row \(result.row), ICCID \(Echo.plain(result.iccid)): \(result.message)")
            }
            if checks.count > errorsInBody { lines.append("  … and \(checks.count - errorsInBody) more.") }
        }
        if problems.isEmpty {
            lines.append("")
        } else if let errors {
            lines += errors.lines(rows: "every one of them")
        }
        lines.append("Full results: \(report.paths.results)")
        return lines.joined(separator: "\n") + "\n"
    }

    static func scheduledSubject(_ summary: RunSummary, rows: [ResultRow]) -> String {
        let failed = rows.filter { $0.outcome == .failed }.count
        let check = rows.count - failed
        return "BulkDrop: \((summary.sourceFile as NSString).lastPathComponent) for \(summary.tenant): "
            + "\(Wording.count(failed, "scheduled change")) failed" + (check > 0 ? ", \(check) to check" : "")
    }

    /// The rows of one scheduler run that failed or need a check, in the bulk change they came from.
    ///
    /// - Parameter errors: the file the email carries for the rows that failed, attached or not.
    static func scheduledBody(_ report: RunReport, rows: [ResultRow], errors: ErrorsAttachment?) -> String {
        let summary = report.summary
        let name = (summary.sourceFile as NSString).lastPathComponent
        var lines = [
            "BulkDrop applied changes of \(name) for tenant \(summary.tenant) that were queued for",
            "their effective date (\(summary.changeType.slug), bulk change \(summary.bulkChangeID)).", "",
            rows.count == 1 ? "One of them did not go through:" : "\(rows.count) of them did not go through:",
        ]
        for result in rows.prefix(errorsInBody) {
            lines.append(
                "  row \(result.row), ICCID \(Echo.plain(result.iccid)): \(result.outcomeLabel): \(result.message)")
        }
        if rows.count > errorsInBody { lines.append("  … and \(rows.count - errorsInBody) more.") }
        if let errors, errors.problem != nil || rows.contains(where: \.needsAttention) {
            lines += errors.lines(rows: "every row of the bulk change that failed")
        }
        lines += ["", "Full results, with the bulk change's final outcome: \(report.paths.results)"]
        return lines.joined(separator: "\n") + "\n"
    }

    static func rejectedSubject(name: String, tenant: String) -> String {
        "BulkDrop: \(name) for \(tenant) could not be read"
    }

    static func rejectedBody(name: String, tenant: String, reason: String) -> String {
        """
        BulkDrop could not apply \(name) for tenant \(tenant), and applied none of its rows:

          \(reason)

        The file was moved to the tenant's rejected folder. Fix it and drop it again.

        """
    }

    static func changedSubject(name: String, tenant: String) -> String {
        "BulkDrop: \(name) for \(tenant) changed while it was applied"
    }

    static func changedBody(name: String, tenant: String, warnings: [String], bulkChangeID: Int64) -> String {
        """
        BulkDrop applied \(name) for tenant \(tenant) as bulk change \(bulkChangeID), and found:

        \(warnings.map { "  - " + $0 }.joined(separator: "\n"))

        The bulk change's summary.json lists the same warnings; its results file shows every row applied.

        """
    }

    /// Messages that mean the whole provider is in trouble, not one row.
    static let systemProblems = [
        "refused the credentials", "cannot reach Control Center", "writes are disabled", "API key",
        "calls in a row",
    ]

    /// The first result that shows a system-level problem, if any.
    static func systemProblem(in results: [ResultRow]) -> ResultRow? {
        results.first { result in
            result.outcome == .failed && systemProblems.contains { result.message.contains($0) }
        }
    }

    static func operatorSubject(_ summary: RunSummary) -> String {
        "BulkDrop: service provider \(summary.serviceProvider) needs attention"
    }

    static func operatorBody(_ report: RunReport, problem: ResultRow, name: String) -> String {
        let summary = report.summary
        let affected = report.results.filter { $0.outcome == .failed && $0.message == problem.message }.count
        return """
            While applying \(name) for tenant \(summary.tenant) (bulk change \(summary.bulkChangeID)), \
            \(affected) of \(summary.rows) rows failed for a reason that concerns the whole service provider \
            \(summary.serviceProvider):

              \(problem.message)

            Check the provider's settings and Control Center, then ask the partner to drop the file again.

            """
    }
}
