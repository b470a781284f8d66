import CSV
import Testing

@Suite("CSVReader errors")
struct CSVReaderErrorTests {
    @Test func unterminatedQuotedFieldPointsAtItsStart() {
        let input = Array("a,b\nc,\"open\nstill open,".utf8)
        for chunkSize in chunkSizes {
            #expect(readError(input, chunkSize: chunkSize) == .unterminatedQuotedField(start: .at(2, 3, offset: 6)))
        }
    }

    @Test func charactersAfterClosingQuote() {
        let input = Array("x\n\"ab\"c,d\n".utf8)
        for chunkSize in chunkSizes {
            #expect(readError(input, chunkSize: chunkSize) == .charactersAfterClosingQuote(at: .at(2, 5, offset: 6)))
        }
    }

    @Test func spaceAfterClosingQuoteIsAnError() {
        #expect(readError(Array("\"a\" ,b".utf8)) == .charactersAfterClosingQuote(at: .at(1, 4, offset: 3)))
    }

    @Test func positionsCountLinesInsideQuotedFields() {
        let input = Array("\"a\r\nb\",\"c\"x\n".utf8)
        #expect(readError(input) == .charactersAfterClosingQuote(at: .at(2, 7, offset: 10)))
    }

    @Test func fieldOverTheCapStops() throws {
        let options = CSVReadOptions(maxFieldSize: 10)
        #expect(try readFields(Array("0123456789,x\n".utf8), options: options) == [["0123456789", "x"]])
        for chunkSize in chunkSizes {
            let unquoted = readError(Array("ok\n01234567890\n".utf8), options: options, chunkSize: chunkSize)
            #expect(unquoted == .fieldTooLarge(start: .at(2, 1, offset: 3), limit: 10))
            let runaway = readError(
                Array("a,\"runaway quote, never closed\n".utf8), options: options, chunkSize: chunkSize)
            #expect(runaway == .fieldTooLarge(start: .at(1, 3, offset: 2), limit: 10))
        }
    }

    @Test func runawayQuoteInABigInputEndsInAnErrorNotMemoryExhaustion() {
        var input = Array("iccid,notes\n8901,\"".utf8)
        input += [UInt8](repeating: UInt8(ascii: "x"), count: 3 << 20)
        #expect(
            readError(input) == .fieldTooLarge(start: .at(2, 6, offset: 17), limit: CSVReadOptions.defaultMaxFieldSize))
    }

    @Test func errorIsRepeatedOnLaterCalls() {
        let reader = CSVReader(bytes: Array("\"a\"b\n".utf8))
        #expect(throws: CSVError.self) { try reader.next() }
        #expect(throws: CSVError.self) { try reader.next() }
    }

    @Test func messagesSayWhereAndHowToFix() {
        let error = CSVError.unterminatedQuotedField(start: .at(13, 7, offset: 200))
        #expect(error.description.hasPrefix("13:7: unterminated quoted field started here"))
        #expect(CSVError.fieldTooLarge(start: .at(1, 1, offset: 0), limit: 1024).reason.contains("1024 bytes"))
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: CSVError.unreadable(path: "/nonexistent/x.csv", reason: "No such file or directory")) {
            try CSVReader(path: "/nonexistent/x.csv")
        }
    }

    @Test func directoryIsUnreadable() {
        #expect(throws: CSVError.unreadable(path: "/tmp", reason: "it is a directory")) {
            try CSVReader(path: "/tmp")
        }
    }
}
