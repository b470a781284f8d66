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

/// `change-iccid-imei`: a new ICCID (SIM swap: a spare SIM of the tenant) or a new IMEI (modem
/// swap: one no device uses), never both, each replacement named by one row of a file.
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

    /// A new SIM must be a SIM of this tenant's inventory that no device uses (not ACTIVATED,
    /// RETIRED, PURGED, REPLACED or archived); a SIM of another tenant, or of none, is rejected in the words used for a device
    /// that does not exist, so no rejection tells one tenant about another's SIMs. A new IMEI must
    /// differ from the device's current one and be no device's IMEI, whoever's.
    public static func check(_ request: IdentifierChange, device: InventoryDevice, context: ValidationContext)
        throws(RowRejection)
    {
        switch request.replacement {
        case .iccid(let value):
            guard let spare = context.devices[value] else {
                throw RowRejection(newICCID, value: value, problem: Message.notInInventory)
            }
            // Its live status is checked on Control Center before the first step; here it must not be
            // in use, nor gone for good.
            if spare.isArchived || spare.status == .activated || spare.status?.isFinal == true {
                throw RowRejection(newICCID, value: value, problem: Message.notSpare(spare.status))
            }
        case .imei(let value):
            if value == device.imei { throw RowRejection(newIMEI, value: value, problem: Message.sameIMEI) }
            if context.identifiersInUse.contains(value) {
                throw RowRejection(newIMEI, value: value, problem: Message.imeiInUse)
            }
        }
    }

    /// Statuses a spare SIM may be in to replace a device's SIM.
    public static let spareStatuses: Set<SIMStatus> = [.inventory, .activationReady, .testReady]

    /// The column and value of the replacement a request names.
    static func replacement(of request: IdentifierChange) -> (FieldSpec, String) {
        switch request.replacement {
        case .iccid(let value): (newICCID, value)
        case .imei(let value): (newIMEI, value)
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
        summary: "The ICCID of the replacement SIM (19 or 20 digits, Luhn): a spare of the tenant's inventory "
            + "(INVENTORY, ACTIVATION_READY or TEST_READY), named by one row of the file. "
            + "Give it or new_imei, not both.")
    static let newIMEI = FieldSpec(
        "new_imei", kind: .imei, aliases: ["Replacement IMEI"],
        summary: "The IMEI of the replacement modem (15 digits, Luhn), unused by any other device and named by "
            + "one row of the file. Give it or new_iccid, not both.")

    private enum Message {
        static let neither = RowRejection(
            message: "neither new_iccid nor new_imei is given", hint: "give the new ICCID or the new IMEI")
        static let both = RowRejection(
            message: "both new_iccid and new_imei are given",
            hint: "give one per row; swap the SIM and the modem in two files")
        static let sameICCID = FieldProblem("is the device's own ICCID", hint: "give the replacement SIM's ICCID")
        static let sameIMEI = FieldProblem("is the device's current IMEI", hint: "give the replacement modem's IMEI")
        static let notInInventory = FieldProblem(
            "is not in this tenant's inventory for this provider",
            hint: "a replacement SIM must first be imported into the tenant's inventory as a spare (INVENTORY)")
        static func notSpare(_ status: SIMStatus?) -> FieldProblem {
            FieldProblem(
                "is \(status?.rawValue ?? "archived"), not a spare SIM",
                hint: "give a SIM of this tenant in INVENTORY, ACTIVATION_READY or TEST_READY")
        }
        static let imeiInUse = FieldProblem(
            "is already the IMEI of a device", hint: "check the IMEI of the replacement modem")
    }
}
