import CSV
import Testing

/// Cases the fuzzer (scripts/fuzz-csv.sh) found, kept as ordinary tests.
@Suite("CSV fuzz regressions")
struct CSVFuzzRegressionTests {
    @Test func windows1252WarningAtTheVeryEndOfABufferIsKept() throws {
        // The first invalid byte lands in the last bytes of a 100-byte buffer.
        var input = Array(repeating: UInt8(ascii: "a"), count: 98) + [UInt8(ascii: "\n")]
        input += [0xB0, UInt8(ascii: "\n")]
        for chunkSize in chunkSizes {
            let reader = CSVReader(bytes: input, options: CSVReadOptions(bufferSize: 100), chunkSize: chunkSize)
            #expect(try reader.readAll().count == 2)
            #expect(reader.warnings.count == 1, "chunk \(chunkSize)")
        }
    }

    @Test func detectionDoesNotDependOnChunking() throws {
        let header = String(repeating: "x", count: 58) + "|y,z\n"
        for chunkSize in chunkSizes {
            let reader = CSVReader(bytes: Array(header.utf8), options: tinyBuffer, chunkSize: chunkSize)
            _ = try reader.next()
            #expect(
                try reader.delimiter == CSVReader(bytes: Array(header.utf8), options: tinyBuffer).delimiterAfterRead())
        }
    }

    @Test func groupSeparatorIsNotAnEqualsSign() throws {
        #expect(try readFields(Array("sep\u{1D}x\nb\n".utf8)) == [["sep\u{1D}x"], ["b"]])
    }

    @Test(arguments: [UInt8(ascii: "="), UInt8(ascii: "s")])
    func writerNeverProducesASepLineThroughItsSeparator(delimiter: UInt8) throws {
        let records = delimiter == UInt8(ascii: "=") ? [["sep", "x"]] : [["", "ep=x"]]
        var writer = CSVWriter(options: .init(delimiter: delimiter, byteOrderMark: false, formulaProtection: false))
        for record in records { writer.write(record) }
        let read = try CSVReader(bytes: writer.bytes, options: CSVReadOptions(delimiter: delimiter)).readAll()
        #expect(read.map { Array($0) } == records)
    }
}

extension CSVReader {
    /// The separator once the first record has been read.
    fileprivate func delimiterAfterRead() throws -> UInt8 {
        _ = try next()
        return delimiter
    }
}
