/// One kind of bulk change: its columns, how a row becomes its typed request, and the rules that
/// need the inventory.
///
/// Each kind lives in its own file in `Changes/` with its columns and messages; `ChangeKinds.all`
/// lists them, so a seventh kind is one new file and one line there.
public protocol ChangeKind {
    /// The typed request a valid row becomes.
    associatedtype Request: Sendable

    /// The change type this kind implements.
    static var changeType: ChangeType { get }

    /// The columns, `FieldSpec.iccid` first.
    static var fields: [FieldSpec] { get }

    /// The request a row asks for on the device `iccid` (already checked), judging each field on
    /// its own and the fields together, without the inventory.
    ///
    /// - Throws: `RowRejection` for the first field at fault.
    static func request(for iccid: String, from row: RowFields) throws(RowRejection) -> Request

    /// The rules that need the device as the inventory knows it and the plans of the tenant and the
    /// provider; the device is known to exist and not to be archived.
    ///
    /// - Throws: `RowRejection` for the first rule broken.
    static func check(_ request: Request, device: InventoryDevice, context: ValidationContext) throws(RowRejection)

    /// `request` wrapped as a `ChangeRequest`.
    static func changeRequest(_ request: Request) -> ChangeRequest
}

extension ChangeKind {
    /// No inventory rules beyond the common ones.
    public static func check(_ request: Request, device: InventoryDevice, context: ValidationContext)
        throws(RowRejection)
    {}

    /// Rejects `value` of the column `spec` when `known` does not hold it.
    static func requireKnown(
        _ value: String?, of spec: FieldSpec, in known: Set<String>, _ problem: FieldProblem
    ) throws(RowRejection) {
        if let value, !known.contains(value) { throw RowRejection(spec, value: value, problem: problem) }
    }
}

/// The kinds of bulk change BulkDrop knows, one per `ChangeType`.
public enum ChangeKinds {
    /// Every kind, in the order of `ChangeType.allCases`.
    public static var all: [any ChangeKind.Type] {
        [
            CustomerRatePlanKind.self,
            CarrierRatePlanKind.self,
            StatusUpdateKind.self,
            EditUsernameKind.self,
            ChangeIdentifierKind.self,
            ArchivalKind.self,
        ]
    }
}

extension ChangeType {
    /// The kind that implements this change type.
    public var kind: any ChangeKind.Type {
        guard let kind = ChangeKinds.all.first(where: { $0.changeType == self }) else {
            preconditionFailure("ChangeKinds.all has no kind for \(slug)")
        }
        return kind
    }

    /// The columns of this change type, `iccid` first.
    public var fields: [FieldSpec] { kind.fields }
}
