import BulkChange
import Testing

@Suite("Echo: input values in messages")
struct EchoTests {
    @Test func shortValuesAreRepeatedWhole() {
        #expect(Echo.quoted("ACTIVE") == "\"ACTIVE\"")
        #expect(Echo.plain("8.9E+18") == "8.9E+18")
        let longest = String(repeating: "é", count: Echo.limit)
        #expect(Echo.quoted(longest) == "\"\(longest)\"")
    }

    @Test func longValuesAreCutWithANote() {
        let value = String(repeating: "1234", count: 250_000)
        let quoted = Echo.quoted(value)
        #expect(quoted == "\"\(value.prefix(Echo.limit))…\" (1,000,000 characters, cut)")
        #expect(Echo.plain(value) == "\(value.prefix(Echo.limit))… (1,000,000 characters, cut)")
        #expect(Echo.quoted(String(repeating: "x", count: Echo.limit + 1)).hasSuffix("(201 characters, cut)"))
    }

    @Test func aMegabyteInAnICCIDCellGivesAShortRejection() throws {
        let huge = String(repeating: "8", count: 1_000_000)
        let file = try InputFile.read(
            csv: Array("ICCID,Status\n\(huge),RETIRED\n".utf8), fileName: "status-update_huge.csv")
        let verdicts = RowValidator.validate(file, context: Sample.context)
        let message = try #require(verdicts.first?.rejection?.description)
        #expect(message.count < 300, "\(message.count) characters")
        #expect(message.hasPrefix("iccid \"8888"))
        #expect(message.contains("(1,000,000 characters, cut)"))
    }

    @Test func aLongUsernameIsCut() throws {
        let username = String(repeating: "a", count: 5000)
        let rejection = RowValidator.validate(
            inputFile(.editUsername, [["iccid": Sample.iccid, "username": username]]), context: Sample.context)[0]
            .rejection
        #expect(rejection?.message == "has 5000 characters")
        #expect((rejection?.description.count ?? .max) < 300)
    }

    @Test func excelNumbersAreCut() {
        let mangled = String(repeating: "9", count: 10_000) + "E+18"
        let problem = catching(IdentifierCheck.iccid, mangled)
        #expect(problem?.message.hasPrefix("Excel turned the ICCID into a number (999") == true)
        #expect((problem?.message.count ?? .max) < 300)
    }

    @Test func fileErrorsCutTheValuesTheyQuote() {
        let long = String(repeating: "z", count: 100_000)
        let changeType = readError { () throws(InputFileError) in
            try InputFile.read(json: Array(#"{"changeType": "\#(long)", "devices": []}"#.utf8), fileName: "x.json")
        }
        #expect((changeType?.description.count ?? .max) < 500)
        #expect(changeType?.description.contains("(100,000 characters, cut)") == true)
        let duplicate = readError { () throws(InputFileError) in
            try InputFile.read(csv: Array("ICCID,Status,SIM \(long)\n".utf8), fileName: "status-update_x.csv")
        }
        #expect(duplicate == nil, "an unknown column, not a second ICCID")
        let twice = InputFileError.duplicateColumn(
            fileName: "status-update_x.csv", line: 1, field: "iccid", headers: ["ICCID", long])
        #expect(twice.description.count < 400)
    }

    @Test func aHeaderWith100kUnknownColumnsNamesTwenty() throws {
        let unknown = (0..<100_000).map { "extra \($0)" }
        let header = (["ICCID", "Status"] + unknown).joined(separator: ",")
        let file = try InputFile.read(csv: Array((header + "\n").utf8), fileName: "status-update_wide.csv")
        let columnWarnings = file.warnings.filter {
            if case .unknownColumns = $0 { true } else { false }
        }
        #expect(columnWarnings.count == 1)
        let text = try #require(columnWarnings.first?.description)
        #expect(
            text
                == "status-update_wide.csv:1: warning: ignored columns "
                + (0..<20).map { "\"extra \($0)\"" }.joined(separator: ", ")
                + " and 99,980 more; the status-update columns are iccid, target_status, reason, effective_date")
    }

    @Test func unknownColumnNamesAreCut() throws {
        let long = String(repeating: "n", count: 10_000)
        let file = try InputFile.read(
            csv: Array("ICCID,Status,\(long)\n\(Sample.iccid),RETIRED,x\n".utf8), fileName: "status-update_a.csv")
        #expect((file.warnings.first?.description.count ?? .max) < 500)
    }
}
