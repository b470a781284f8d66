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
}
