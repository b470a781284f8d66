/// Judges the rows of one file chunk by chunk (see `RowValidator` for the rules), remembering
/// across chunks what the rules across rows need: the first row of each ICCID, and of each
/// replacement ICCID or IMEI. ICCIDs are kept as numbers, not strings, so a million-row file
/// costs tens of megabytes here, not hundreds.
public struct RowValidation: Sendable {
    /// The change every row asks for.
    public let changeType: ChangeType
    private var firstRows = FirstRowTable()
    private var replacementRow: [String: Int] = [:]

    /// Validation of a file of `changeType`, before its first row.
    public init(changeType: ChangeType) {
        self.changeType = changeType
    }

    /// One verdict per row of `rows` (the next rows of the file, in order), against `context`,
    /// which must know the devices these rows name.
    public mutating func validate(_ rows: [InputRow], context: ValidationContext) -> [RowVerdict] {
        rows.map { row in Result { () throws(RowRejection) in try verdict(row, context: context) } }
    }

    private mutating func verdict(_ row: InputRow, context: ValidationContext) throws(RowRejection) -> ChangeRequest {
        if let problem = row.problem { throw problem }
        let fields = RowFields(row.fields, now: context.now)
        let iccid = try fields.required(.iccid, fields.iccid)
        if let first = firstRows.firstRow(of: Self.number(iccid), recordingIfNew: Int32(truncatingIfNeeded: row.number))
        {
            throw RowRejection(FieldSpec.iccid, value: iccid, problem: RowValidator.Message.duplicate(Int(first)))
        }
        let request = try RowValidator.verdict(changeType.kind, iccid: iccid, fields: fields, context: context)
        if case .changeICCIDOrIMEI(let change) = request {
            let (spec, value) = ChangeIdentifierKind.replacement(of: change)
            if let taken = replacementRow[value] {
                throw RowRejection(spec, value: value, problem: RowValidator.Message.replacementTaken(taken))
            }
            replacementRow[value] = row.number
        }
        return request
    }

    /// The ICCID's digits as one number, with their count in the low bits so that leading zeros
    /// still make another key (an ICCID has 19 or 20 digits; checked before).
    private static func number(_ iccid: String) -> UInt128 {
        var text = iccid
        return text.withUTF8 { bytes in
            let digits = bytes.reduce(UInt128(0)) { $0 &* 10 &+ UInt128($1 &- UInt8(ascii: "0")) }
            return digits << 5 | UInt128(bytes.count & 31)
        }
    }
}
