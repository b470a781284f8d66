import CSV
import Testing

@Suite("CSVReader encodings")
struct CSVEncodingTests {
    static let text = "iccid;name\n8901;Zoë 🙂\n"

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let high = UInt8(unit >> 8)
            let low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }

    @Test(arguments: [false, true])
    func utf16WithBOM(bigEndian: Bool) throws {
        let input = Self.utf16(Self.text, bigEndian: bigEndian)
        for chunkSize in chunkSizes {
            let reader = CSVReader(bytes: input, options: tinyBuffer, chunkSize: chunkSize)
            #expect(try reader.readAll().map { Array($0) } == [["iccid", "name"], ["8901", "Zoë 🙂"]])
            #expect(reader.warnings.isEmpty)
        }
    }

    @Test func brokenUTF16BecomesReplacementCharacters() throws {
        // A lone low surrogate, a high surrogate followed by a letter, and an odd last byte.
        let input: [UInt8] = [0xFF, 0xFE, 0x00, 0xDC, 0x3D, 0xD8, 0x41, 0x00, 0x0A, 0x00, 0x42]
        #expect(try readFields(input) == [["\u{FFFD}\u{FFFD}A"], ["\u{FFFD}"]])
    }

    @Test func windows1252FallbackWithWarning() throws {
        // "café" and "€5" as Excel on Windows saves them.
        let input: [UInt8] = Array("name,price\n".utf8) + [0x63, 0x61, 0x66, 0xE9, 0x2C, 0x80, 0x35, 0x0A]
        for chunkSize in chunkSizes {
            let reader = CSVReader(bytes: input, options: tinyBuffer, chunkSize: chunkSize)
            #expect(try reader.readAll().map { Array($0) } == [["name", "price"], ["café", "€5"]])
            #expect(reader.warnings == [.decodedAsWindows1252(from: .at(2, 4, offset: 14))])
        }
    }

    @Test func fallbackLaterInABigFileNamesItsLine() throws {
        var input: [UInt8] = []
        for index in 0..<5000 { input += Array("row \(index),ok ✓\n".utf8) }
        input += [0x96, 0x0A]  // an en dash in Windows-1252
        let reader = CSVReader(bytes: input, chunkSize: 4096)
        let records = try reader.readAll()
        #expect(records.count == 5001)
        #expect(Array(records[5000]) == ["\u{2013}"])
        #expect(
            reader.warnings.map(\.description) == [
                "5001:1: warning: text is not valid UTF-8 from here on; read it as Windows-1252. "
                    + "Save the file as \"CSV UTF-8\" to avoid guessing"
            ])
    }

    @Test func utf8SequenceCutByEveryChunkBoundaryStaysUTF8() throws {
        let input = Array("€,🙂,ü\n".utf8)
        for chunkSize in 1...5 {
            let reader = CSVReader(bytes: input, options: tinyBuffer, chunkSize: chunkSize)
            #expect(try reader.readAll().map { Array($0) } == [["€", "🙂", "ü"]])
            #expect(reader.warnings.isEmpty)
        }
    }

    @Test func truncatedSequenceAtTheEndFallsBack() throws {
        let input: [UInt8] = Array("a,b\n".utf8) + [0xE2, 0x82]
        let reader = CSVReader(bytes: input)
        #expect(try reader.readAll().map { Array($0) } == [["a", "b"], ["\u{E2}\u{201A}"]])
        #expect(reader.warnings.count == 1)
    }
}

@Suite("CSVReader: UTF-16 without a byte order mark")
struct CSVUTF16WithoutMarkTests {
    @Test(arguments: [false, true])
    func readAsUTF16WithAWarning(bigEndian: Bool) throws {
        let input = Array(CSVEncodingTests.utf16(CSVEncodingTests.text, bigEndian: bigEndian).dropFirst(2))
        for chunkSize in chunkSizes {
            for options in [CSVReadOptions(), tinyBuffer] {
                let reader = CSVReader(bytes: input, options: options, chunkSize: chunkSize)
                #expect(try reader.readAll().map { Array($0) } == [["iccid", "name"], ["8901", "Zoë 🙂"]])
                #expect(reader.warnings == [.decodedAsUTF16WithoutByteOrderMark(bigEndian: bigEndian)])
            }
        }
    }

    @Test func utf8WithAFewZeroBytesStaysUTF8() throws {
        let input = Array("a,b\n".utf8) + [0] + Array(",c\nd,e\n".utf8)
        let reader = CSVReader(bytes: input)
        #expect(try reader.readAll().map { Array($0) } == [["a", "b"], ["\0", "c"], ["d", "e"]])
        #expect(reader.warnings.isEmpty)
    }
}
