/// The file an email about rows to fix carries: the results workbook (its Errors sheet), or the
/// errors CSV for tenants that asked for CSV; attached when it can be, otherwise named in the
/// body with the reason.
struct ErrorsAttachment: Equatable {
    /// The file offered.
    let path: String
    /// What is spooled: the CSV's text, or the workbook in base64 (`NotificationRecord.attachment`);
    /// `nil` when it could not be attached.
    let content: String?
    /// Why it could not be attached.
    let problem: String?

    /// The name and content the notification spool keeps, when it is attached.
    var spooled: (String, String)? { content.map { (name, $0) } }

    /// The file's name, as the email shows it.
    var name: String { String(path.split(separator: "/").last ?? Substring(path)) }

    /// The results workbook, not the errors CSV.
    var isWorkbook: Bool { name.lowercased().hasSuffix(".xlsx") }

    /// The lines of the email body about it; `rows` says which rows it holds.
    func lines(rows: String) -> [String] {
        switch (problem, isWorkbook) {
        case (let problem?, true):
            [
                "", "The workbook \(name) could not be attached (\(problem)).",
                "Ask your BulkDrop operator for \(path): its Errors sheet holds \(rows) with its",
                "input columns and an error column.",
            ]
        case (let problem?, false):
            [
                "", "The errors file \(name) could not be attached (\(problem)).",
                "Ask your BulkDrop operator for \(path): it holds \(rows) with its",
                "input columns and an error column.",
            ]
        case (nil, true):
            [
                "", "The attached workbook \(name) holds \(rows) on its Errors sheet, with its",
                "input columns and an error column: fix the rows there and drop the workbook again.",
            ]
        case (nil, false):
            [
                "", "The attached \(name) holds \(rows) with its",
                "input columns and an error column: fix the rows and drop the file again.",
            ]
        }
    }
}
