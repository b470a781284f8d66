/// What became of one input row: its typed request, or why it is REJECTED.
public typealias RowVerdict = Result<ChangeRequest, RowRejection>

/// Judges every row of an input file against its change type and the inventory.
///
/// The rules, in the order they are applied to each row: a problem found while reading; a valid
/// ICCID; the ICCID not already in an earlier row; each field on its own and the fields together
/// (the change type's `request(for:from:)`); the device in this tenant's inventory for this
/// provider; not archived; the change type's inventory rules (`check(_:device:context:)`); a
/// replacement ICCID or IMEI not already taken by an earlier valid row.
public enum RowValidator {
    /// One verdict per row of `file`, in the same order.
    public static func validate(_ file: InputFile, context: ValidationContext) -> [RowVerdict] {
        var validation = RowValidation(changeType: file.changeType)
        return validation.validate(file.rows, context: context)
    }

    static func verdict<Kind: ChangeKind>(
        _ kind: Kind.Type, iccid: String, fields: RowFields, context: ValidationContext
    ) throws(RowRejection) -> ChangeRequest {
        let request = try Kind.request(for: iccid, from: fields)
        guard let device = context.devices[iccid] else {
            throw RowRejection(FieldSpec.iccid, value: iccid, problem: Message.notInInventory)
        }
        if device.isArchived { throw RowRejection(FieldSpec.iccid, value: iccid, problem: Message.archived) }
        try Kind.check(request, device: device, context: context)
        return Kind.changeRequest(request)
    }

    enum Message {
        static func duplicate(_ row: Int) -> FieldProblem {
            FieldProblem("already appears in row \(row)", hint: "give each device one row per file")
        }
        static func replacementTaken(_ row: Int) -> FieldProblem {
            FieldProblem(
                "is already the replacement in row \(row)", hint: "give each replacement SIM or modem to one device")
        }
        static let notInInventory = FieldProblem(
            "is not in this tenant's inventory for this provider",
            hint: "check the ICCID and that the file is for the right service provider")
        static let archived = FieldProblem("the device is archived", hint: "an archived device takes no changes")
    }
}
