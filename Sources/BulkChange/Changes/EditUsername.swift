/// A new username (and cost centres) for a device.
public struct UsernameEdit: Codable, Equatable, Sendable {
    /// The device.
    public var iccid: String
    /// The new username (Control Center's device ID).
    public var username: String
    /// Cost centres 1–3; `nil` leaves one as it is.
    public var costCenters: [String?]

    /// A username edit.
    public init(iccid: String, username: String, costCenters: [String?] = [nil, nil, nil]) {
        self.iccid = iccid
        self.username = username
        self.costCenters = costCenters
    }
}

/// `edit-username`: a new username of 1–64 plain characters, and up to three cost centres.
public enum EditUsernameKind: ChangeKind {
    /// `edit-username`.
    public static let changeType = ChangeType.editUsername
    /// The columns, in the order results show them.
    public static var fields: [FieldSpec] { [.iccid, username] + costCenters }

    /// Needs a username of letters, digits, spaces and `. _ - @`; cost centres are optional.
    public static func request(for iccid: String, from row: RowFields) throws(RowRejection) -> UsernameEdit {
        let name = try row.required(username, row.text)
        if let character = name.first(where: { !allowedCharacters.contains($0) }) {
            throw RowRejection(username, value: name, problem: Message.notAllowed(character))
        }
        let centers = try costCenters.map { (spec) throws(RowRejection) in try row.text(spec) }
        return UsernameEdit(iccid: iccid, username: name, costCenters: centers)
    }

    /// The request as `.editUsername`.
    public static func changeRequest(_ request: UsernameEdit) -> ChangeRequest {
        .editUsername(request)
    }

    /// Letters, digits, space and `. _ - @`, all ASCII.
    static let allowedCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ._-@")
}

// MARK: - Columns and messages

extension EditUsernameKind {
    static let username = FieldSpec(
        "username", kind: .text, required: true, aliases: ["User Name", "Device ID"], maxLength: 64,
        pattern: "^[A-Za-z0-9._@-]([A-Za-z0-9 ._@-]*[A-Za-z0-9._@-])?$",
        summary: "The new username (Control Center's device ID): 1 to 64 letters, digits, spaces and . _ - @, "
            + "not starting or ending with a space.")
    static let costCenters = (1...3).map { number in
        FieldSpec(
            "cost_center_\(number)", kind: .text, maxLength: 64,
            summary: "Cost centre \(number), at most 64 characters; empty leaves it as it is.")
    }

    private enum Message {
        static func notAllowed(_ character: Character) -> FieldProblem {
            FieldProblem(
                "\(Echo.quoted(String(character))) is not allowed",
                hint: "use letters, digits, spaces and . _ - @ only")
        }
    }
}
