import CSV
import Glibc
import Testing

@Suite("CSVWriter")
struct CSVWriterTests {
    static func text(_ records: [[String]], _ options: CSVWriter.Options = CSVWriter.Options()) -> String {
        var writer = CSVWriter(options: options)
        for record in records { writer.write(record) }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static let plain = CSVWriter.Options(byteOrderMark: false, formulaProtection: false)

    @Test func quotesOnlyWhereNeededWithCRLF() {
        let records = [
            ["iccid", "notes"], ["8901", "a,b"], ["8902", "say \"hi\""], ["8903", "two\nlines"], ["", " x "],
        ]
        #expect(
            Self.text(records, Self.plain)
                == "iccid,notes\r\n8901,\"a,b\"\r\n8902,\"say \"\"hi\"\"\"\r\n8903,\"two\nlines\"\r\n, x \r\n")
    }

    @Test func byteOrderMarkFirstByDefault() {
        var writer = CSVWriter()
        writer.write(["a"])
        #expect(writer.bytes == [0xEF, 0xBB, 0xBF, UInt8(ascii: "a"), 0x0D, 0x0A])
    }

    @Test func textThatLooksLikeAPreludeStaysData() throws {
        for first in ["sep=;", "SEP=|", "\u{FEFF}x"] {
            var writer = CSVWriter(options: Self.plain)
            writer.write([first])
            writer.write([first])
            #expect(String(decoding: writer.bytes, as: UTF8.self) == "\"\(first)\"\r\n\(first)\r\n")
            let read = try CSVReader(bytes: writer.bytes, options: .init(delimiter: UInt8(ascii: ","))).readAll()
            #expect(read.map { Array($0) } == [[first], [first]])
        }
    }

    @Test func otherDelimiterIsQuoted() {
        let options = CSVWriter.Options(delimiter: UInt8(ascii: ";"), byteOrderMark: false)
        #expect(Self.text([["a;b", "c,d"]], options) == "\"a;b\";c,d\r\n")
    }

    @Test func singleEmptyFieldIsNotAnEmptyLine() {
        #expect(Self.text([[""]], Self.plain) == "\"\"\r\n")
        #expect(Self.text([["", ""]], Self.plain) == ",\r\n")
    }

    @Test(arguments: [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+1", "'+1"), ("-2", "'-2"), ("@cmd", "'@cmd"),
        ("\tx", "'\tx"), ("\rx", "\"'\rx\""), ("\nx", "\"'\nx\""), ("a=b", "a=b"), ("=\"x\"", "\"'=\"\"x\"\"\""),
    ])
    func formulaInjectionIsDefused(cell: String, written: String) {
        let options = CSVWriter.Options(byteOrderMark: false)
        #expect(Self.text([[cell]], options) == written + "\r\n")
    }

    @Test func numbersAreWrittenAsTheyAre() {
        var writer = CSVWriter(options: .init(byteOrderMark: false))
        writer.write(cells: [.number("-12.5"), .number(42), .text("-12.5"), "=1"])
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "-12.5,42,'-12.5,'=1\r\n")
    }

    @Test func takeBytesEmptiesTheBuffer() {
        var writer = CSVWriter()
        writer.write(["a"])
        #expect(writer.takeBytes().count == 6)
        #expect(writer.bytes.isEmpty)
    }

    @Test func fileWriterWritesWhatTheReaderReads() throws {
        let path = "/tmp/bulkdrop-writer-test-\(UInt64.random(in: 0...UInt64.max)).csv"
        defer { unlink(path) }
        let writer = try CSVFileWriter(path: path)
        let records = (0..<5000).map { ["row \($0)", "=cell \($0)", "multi\r\nline, \"quoted\""] }
        for record in records { try writer.write(record) }
        try writer.close()
        let read = try CSVReader(path: path).readAll().map { Array($0) }
        #expect(read == records.map { [$0[0], "'" + $0[1], $0[2]] })
    }

    @Test func unwritablePathIsNamed() {
        #expect(throws: CSVError.unwritable(path: "/nonexistent/out.csv", reason: "No such file or directory")) {
            try CSVFileWriter(path: "/nonexistent/out.csv")
        }
    }
}
