import BulkChange
import Foundation

/// `bulkdrop validate`: the verdict of each row without calling Control Center or writing data.
enum DryRun {
    static func result(row: InputRow, verdict: RowVerdict, type: ChangeType) -> ResultRow {
        switch verdict {
        case .success(let request):
            ResultRow(
                row: row.number, iccid: request.iccid, changeType: type, outcome: nil,
                message: "valid; not sent (dry run)")
        case .failure(let rejection):
            ResultRow(
                row: row.number, iccid: row.fields["iccid"] ?? "", changeType: type, outcome: .rejected,
                message: rejection.description)
        }
    }

    /// Writes `<stem>.validation.*` for a dry run.
    static func report(_ results: [ResultRow], header: RunHeader, input: InputKept, workspace: Workspace)
        async throws(PipelineError) -> RunReport
    {
        let summary = RunSummary(
            bulkChangeID: 0, tenant: header.tenant, serviceProvider: header.provider.name,
            changeType: header.changeType, sourceFile: header.sourceFile, status: "VALIDATED", results: results,
            startedAt: header.startedAt, finishedAt: workspace.now(), warnings: input.warnings)
        let writer = OutboxWriter(root: workspace.configuration.outbox, variant: "validation")
        do {
            let paths = try await FileWork.run { () throws(OutboxError) in
                try writer.write(
                    results: results, summary: summary, stem: OutboxWriter.stem(of: header.sourceFile),
                    inputColumns: input.columns, inputValues: input.values)
            }
            return RunReport(summary: summary, results: results, paths: paths)
        } catch {
            throw .outbox(error)
        }
    }
}
