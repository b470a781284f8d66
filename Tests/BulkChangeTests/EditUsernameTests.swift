import BulkChange
import Testing

@Suite("edit-username")
struct EditUsernameTests {
    static let iccid = Sample.iccid
    static let longest = String(repeating: "a", count: 64)
    static let tooLong = String(repeating: "a", count: 65)

    static func edit(_ username: String, _ costCenters: [String?] = [nil, nil, nil]) -> Expected {
        .request(.editUsername(UsernameEdit(iccid: iccid, username: username, costCenters: costCenters)))
    }

    static let cases: [RowCase] = [
        RowCase("plain", ["iccid": iccid, "username": "sensor 17"], edit("sensor 17")),
        RowCase(
            "every allowed sign", ["iccid": iccid, "username": "Pump-7_b.north@site"], edit("Pump-7_b.north@site")),
        RowCase("one character", ["iccid": iccid, "username": "x"], edit("x")),
        RowCase("64 characters", ["iccid": iccid, "username": longest], edit(longest)),
        RowCase(
            "cost centres",
            ["iccid": iccid, "username": "meter", "cost_center_2": "CC-2", "cost_center_3": longest],
            edit("meter", [nil, "CC-2", longest])),
        RowCase("no username", ["iccid": iccid], .rejected(column: "username", message: "missing")),
        RowCase(
            "65 characters", ["iccid": iccid, "username": tooLong],
            .rejected(column: "username", message: "has 65 characters")),
        RowCase(
            "a hash", ["iccid": iccid, "username": "bob#1"],
            .rejected(column: "username", message: "\"#\" is not allowed")),
        RowCase(
            "a letter outside ASCII", ["iccid": iccid, "username": "Zoë"],
            .rejected(column: "username", message: "\"ë\" is not allowed")),
        RowCase(
            "a tab inside", ["iccid": iccid, "username": "a\tb"],
            .rejected(column: "username", message: "is not allowed")),
        RowCase(
            "cost centre too long", ["iccid": iccid, "username": "meter", "cost_center_1": tooLong],
            .rejected(column: "cost_center_1", message: "has 65 characters")),
    ]

    @Test(arguments: cases)
    func row(_ row: RowCase) {
        row.verify(.editUsername)
    }

    @Test func columns() {
        #expect(
            ChangeType.editUsername.fields.map(\.name) == [
                "iccid", "username", "cost_center_1", "cost_center_2", "cost_center_3",
            ])
        #expect(ChangeType.editUsername.fields.compactMap(\.maxLength) == [64, 64, 64, 64])
    }
}
