import BulkChange
import Testing

@Suite("IdentifierCheck")
struct IdentifierCheckTests {
    static let iccid20 = withCheckDigit("8901260123456789012")
    static let iccid19 = withCheckDigit("890126012345678901")
    static let imei = withCheckDigit("35209900176148")
    static let excel = IdentifierCheck.excelHint

    @Test(arguments: [iccid20, iccid19])
    func validICCID(_ text: String) throws {
        #expect(try IdentifierCheck.iccid(text) == text)
    }

    @Test func validIMEI() throws {
        #expect(try IdentifierCheck.imei(Self.imei) == Self.imei)
    }

    /// (input, message, hint) for ICCIDs that are not.
    static let badICCIDs: [(String, String, String?)] = [
        ("8.90126E+18", "Excel turned the ICCID into a number (8.90126E+18)", excel),
        ("8,90126E+18", "Excel turned the ICCID into a number (8,90126E+18)", excel),
        ("8.9012601E+19", "Excel turned the ICCID into a number (8.9012601E+19)", excel),
        ("89E18", "Excel turned the ICCID into a number (89E18)", excel),
        ("8901260123456789012.0", "the ICCID ends in a decimal part, as Excel writes numbers", excel),
        ("8901260123456789012,00", "the ICCID ends in a decimal part, as Excel writes numbers", excel),
        (
            "89012601234567800000",
            "the last digits look lost to Excel (it keeps 15 significant digits): the check digit does not match",
            excel
        ),
        ("89012601234567890129", "the check digit does not match (Luhn)", "look for a mistyped digit"),
        ("8901 2601 2345 6789 012", "an ICCID has digits only", "remove spaces, letters and other signs"),
        ("89O1260123456789012", "an ICCID has digits only", "remove spaces, letters and other signs"),
        ("８９０１２６０１２３４５６７８９０１２", "an ICCID has digits only", "remove spaces, letters and other signs"),
        ("1.5.3E+18", "an ICCID has digits only", "remove spaces, letters and other signs"),
        ("89012601234567", "has 14 digits; an ICCID has 19 or 20", nil),
        ("890126012345678901234", "has 21 digits; an ICCID has 19 or 20", nil),
    ]

    @Test(arguments: badICCIDs)
    func badICCID(_ text: String, message: String, hint: String?) {
        #expect(throws: FieldProblem(message, hint: hint)) { try IdentifierCheck.iccid(text) }
    }

    static let badIMEIs: [(String, String, String?)] = [
        ("3.52099E+14", "Excel turned the IMEI into a number (3.52099E+14)", excel),
        ("352099001761480.0", "the IMEI ends in a decimal part, as Excel writes numbers", excel),
        ("352099001761480", "the check digit does not match (Luhn)", "look for a mistyped digit"),
        ("35209900176148", "has 14 digits; an IMEI has 15", nil),
        ("35-209900-176148-1", "an IMEI has digits only", "remove spaces, letters and other signs"),
    ]

    @Test(arguments: badIMEIs)
    func badIMEI(_ text: String, message: String, hint: String?) {
        #expect(throws: FieldProblem(message, hint: hint)) { try IdentifierCheck.imei(text) }
    }

    @Test func rowMessageForExcel() {
        let verdict = RowValidator.validate(inputFile(.archival, [["iccid": "8.90126E+18"]]), context: Sample.context)
        #expect(
            verdict.map(\.rejection?.description) == [
                "iccid \"8.90126E+18\": Excel turned the ICCID into a number (8.90126E+18); "
                    + "format the column as Text and export again"
            ])
    }
}
