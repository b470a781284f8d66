/// A SIM swap (new ICCID) or a modem swap (new IMEI): exactly one of the two.
public struct IdentifierChange: Codable, Equatable, Sendable {
    /// The replacement identifier.
    public enum Replacement: Codable, Equatable, Sendable {
        /// A new SIM.
        case iccid(String)
        /// A new modem.
        case imei(String)
    }

    /// The device (its current ICCID).
    public var iccid: String
    /// What replaces what.
    public var replacement: Replacement

    /// A swap.
    public init(iccid: String, replacement: Replacement) {
        self.iccid = iccid
        self.replacement = replacement
    }
}

/// `change-iccid-imei`: a new ICCID (SIM swap) or a new IMEI (modem swap), never both, that no
/// other device of the provider uses.
public enum ChangeIdentifierKind: ChangeKind {
    /// `change-iccid-imei`.
    public static let changeType = ChangeType.changeICCIDOrIMEI
    /// The columns, in the order results show them.
    public static var fields: [FieldSpec] { [.iccid, newICCID, newIMEI] }

    /// Needs exactly one of new_iccid (not the device's own) and new_imei.
    public static func request(for iccid: String, from row: RowFields) throws(RowRejection) -> IdentifierChange {
        switch (try row.iccid(newICCID), try row.imei(newIMEI)) {
        case (let newICCID?, nil):
            if newICCID == iccid { throw RowRejection(Self.newICCID, value: newICCID, problem: Message.sameICCID) }
            return IdentifierChange(iccid: iccid, replacement: .iccid(newICCID))
        case (nil, let newIMEI?):
            return IdentifierChange(iccid: iccid, replacement: .imei(newIMEI))
        case (nil, nil):
            throw Message.neither
        case (.some, .some):
            throw Message.both
        }
    }

    /// The new identifier must be unused; a new IMEI must differ from the device's current one.
    public static func check(_ request: IdentifierChange, device: InventoryDevice, context: ValidationContext)
        throws(RowRejection)
    {
        let (spec, value) =
            switch request.replacement {
            case .iccid(let value): (newICCID, value)
            case .imei(let value): (newIMEI, value)
            }
        if value == device.imei { throw RowRejection(spec, value: value, problem: Message.sameIMEI) }
        if context.identifiersInUse.contains(value) || context.devices[value] != nil {
            throw RowRejection(spec, value: value, problem: Message.inUse)
        }
    }

    /// The request as `.changeICCIDOrIMEI`.
    public static func changeRequest(_ request: IdentifierChange) -> ChangeRequest {
        .changeICCIDOrIMEI(request)
    }
}

// MARK: - Columns and messages

extension ChangeIdentifierKind {
    static let newICCID = FieldSpec(
        "new_iccid", kind: .iccid, aliases: ["New SIM", "Replacement ICCID"],
        summary: "The ICCID of the replacement SIM (19 or 20 digits, Luhn), unused by any other device. "
            + "Give it or new_imei, not both.")
    static let newIMEI = FieldSpec(
        "new_imei", kind: .imei, aliases: ["Replacement IMEI"],
        summary: "The IMEI of the replacement modem (15 digits, Luhn), unused by any other device. "
            + "Give it or new_iccid, not both.")

    private enum Message {
        static let neither = RowRejection(
            message: "neither new_iccid nor new_imei is given", hint: "give the new ICCID or the new IMEI")
        static let both = RowRejection(
            message: "both new_iccid and new_imei are given",
            hint: "give one per row; swap the SIM and the modem in two files")
        static let sameICCID = FieldProblem("is the device's own ICCID", hint: "give the replacement SIM's ICCID")
        static let sameIMEI = FieldProblem("is the device's current IMEI", hint: "give the replacement modem's IMEI")
        static let inUse = FieldProblem(
            "is already used by another device", hint: "check the identifier of the replacement")
    }
}
