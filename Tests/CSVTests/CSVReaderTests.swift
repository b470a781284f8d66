import CSV
import Testing

/// One reading rule: an input and the records it must give.
struct ReadCase: CustomTestStringConvertible, Sendable {
    let name: String
    let input: [UInt8]
    let expected: [[String]]
    var testDescription: String { name }

    init(_ name: String, _ input: String, _ expected: [[String]]) {
        self.name = name
        self.input = Array(input.utf8)
        self.expected = expected
    }

    init(_ name: String, bytes: [UInt8], _ expected: [[String]]) {
        self.name = name
        self.input = bytes
        self.expected = expected
    }
}

let readCases: [ReadCase] = [
    ReadCase("plain records with LF", "a,b,c\n1,2,3\n", [["a", "b", "c"], ["1", "2", "3"]]),
    ReadCase("no final line break", "a,b\n1,2", [["a", "b"], ["1", "2"]]),
    ReadCase("CRLF record ends", "a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]]),
    ReadCase("lone CR record ends", "a,b\r1,2\r", [["a", "b"], ["1", "2"]]),
    ReadCase("mixed record ends", "a\r\nb\nc\rd", [["a"], ["b"], ["c"], ["d"]]),
    ReadCase("separator inside quotes", "\"a,b\",c\n", [["a,b", "c"]]),
    ReadCase("doubled quotes", "\"say \"\"hi\"\"\",x\n", [["say \"hi\"", "x"]]),
    ReadCase("CRLF inside quotes kept exactly", "\"l1\r\nl2\",x\r\n", [["l1\r\nl2", "x"]]),
    ReadCase("LF and CR inside quotes kept exactly", "\"a\nb\rc\n\r\",x", [["a\nb\rc\n\r", "x"]]),
    ReadCase("empty fields", "a,,c\n,,\n", [["a", "", "c"], ["", "", ""]]),
    ReadCase("trailing separator", "a,b,\n", [["a", "b", ""]]),
    ReadCase("trailing separator at end of input", "a,b,", [["a", "b", ""]]),
    ReadCase("empty quoted fields", "\"\",x,\"\"\n", [["", "x", ""]]),
    ReadCase("fully empty lines skipped", "\n\na\n\r\n\n\rb\n\n", [["a"], ["b"]]),
    ReadCase("spaces preserved", " a , b \n  ,\t\n", [[" a ", " b "], ["  ", "\t"]]),
    ReadCase("quote inside an unquoted field is literal", "ab\"c,d\"\"e\n", [["ab\"c", "d\"\"e"]]),
    ReadCase("quote after leading space is literal", " \"a\",b\n", [[" \"a\"", "b"]]),
    ReadCase(
        "ragged records are not an error", "a,b,c\n1\n1,2,3,4\n", [["a", "b", "c"], ["1"], ["1", "2", "3", "4"]]),
    ReadCase("UTF-8 BOM stripped", "\u{FEFF}iccid,status\n1,ACTIVATED\n", [["iccid", "status"], ["1", "ACTIVATED"]]),
    ReadCase("Unicode content", "naïve,日本,🙂\n", [["naïve", "日本", "🙂"]]),
    ReadCase("semicolon detected", "a;b;c\n1;2,5;3\n", [["a", "b", "c"], ["1", "2,5", "3"]]),
    ReadCase("tab detected", "a\tb\n1\t2\n", [["a", "b"], ["1", "2"]]),
    ReadCase("pipe detected", "a|b\n1|2\n", [["a", "b"], ["1", "2"]]),
    ReadCase("detection ignores quoted separators", "\"a;b;c\",d\n", [["a;b;c", "d"]]),
    ReadCase("detection tie goes to comma", "a,b;c\n", [["a", "b;c"]]),
    ReadCase("no separator means one column with comma", "iccid\n8901\n", [["iccid"], ["8901"]]),
    ReadCase("sep= line honoured and removed", "sep=;\na;b\n1;2\n", [["a", "b"], ["1", "2"]]),
    ReadCase("sep= line with CRLF and upper case", "SEP=|\r\na|b,c\r\n", [["a", "b,c"]]),
    ReadCase("sep= after BOM", "\u{FEFF}sep=\t\na\tb\n", [["a", "b"]]),
    ReadCase("sep= alone", "sep=;", []),
    ReadCase("empty input", "", []),
    ReadCase("only line breaks", "\r\n\n\r", []),
    ReadCase("single empty quoted field", "\"\"\n", [[""]]),
]

@Suite("CSVReader rules")
struct CSVReaderRuleTests {
    @Test(arguments: readCases)
    func readsEveryChunking(_ testCase: ReadCase) throws {
        for chunkSize in chunkSizes {
            #expect(try readFields(testCase.input, chunkSize: chunkSize) == testCase.expected, "chunk \(chunkSize)")
            #expect(try readFields(testCase.input, options: tinyBuffer, chunkSize: chunkSize) == testCase.expected)
        }
    }

    @Test func explicitDelimiterWins() throws {
        let input = Array("a;b,c\n".utf8)
        #expect(try readFields(input, options: CSVReadOptions(delimiter: UInt8(ascii: ";"))) == [["a", "b,c"]])
        let withSepLine = Array("sep=;\na;b,c\n".utf8)
        #expect(try readFields(withSepLine, options: CSVReadOptions(delimiter: UInt8(ascii: ","))) == [["a;b", "c"]])
    }

    @Test func reportsTheDelimiterInUse() throws {
        let reader = CSVReader(bytes: Array("a|b\n".utf8))
        _ = try reader.next()
        #expect(reader.delimiter == UInt8(ascii: "|"))
    }

    @Test func recordsKnowTheirLine() throws {
        let input = Array("sep=,\nh1,h2\n\n\"multi\nline\",x\r\nlast,y".utf8)
        for chunkSize in chunkSizes {
            let records = try CSVReader(bytes: input, chunkSize: chunkSize).readAll()
            #expect(records.map(\.line) == [2, 4, 6])
        }
    }

    @Test func keptRecordIsNotOverwritten() throws {
        let reader = CSVReader(bytes: Array("a,b\nc,d\n".utf8))
        var record = CSVRecord()
        _ = try reader.readRecord(into: &record)
        let kept = record
        _ = try reader.readRecord(into: &record)
        #expect(Array(kept) == ["a", "b"])
        #expect(Array(record) == ["c", "d"])
        #expect(try reader.readRecord(into: &record) == false)
    }

    @Test func fieldsAsBytesWithoutDecoding() throws {
        let record = try #require(try CSVReader(bytes: Array("8901,\"x\"\"y\"\n".utf8)).next())
        #expect(record.bytes(ofField: 0) == Array("8901".utf8))
        #expect(record.withUnsafeBytes(ofField: 1) { Array($0) } == Array("x\"y".utf8))
        #expect(record.count == 2)
    }
}
