import CSV
import TestSupport
import Testing

/// Property: for any records, writing then reading gives the same records back.
@Suite("CSV round trip")
struct CSVRoundTripTests {
    /// Pieces fields are made of: the characters that make CSV hard, and some that do not.
    static let pieces = [
        "a", "Z", "0", "89012600000000000017", " ", "\"", "\"\"", ",", ";", "\t", "|", "\r", "\n", "\r\n",
        "é", "日本", "🙂", "=", "'", "sep=", "\u{FEFF}", "x\"y",
    ]

    static func randomRecords(_ generator: inout SeededGenerator) -> [[String]] {
        let recordCount = Int.random(in: 0...12, using: &generator)
        let fieldCount = Int.random(in: 1...6, using: &generator)
        return (0..<recordCount).map { _ in
            let fields =
                Int.random(in: 0...3, using: &generator) == 0 ? Int.random(in: 1...8, using: &generator) : fieldCount
            return (0..<fields).map { _ in
                let length = Int.random(in: 0...5, using: &generator)
                return (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
            }
        }
    }

    @Test(arguments: CSVReadOptions.detectableDelimiters)
    func writeThenReadGivesTheSameRecords(delimiter: UInt8) throws {
        for seed in UInt64(0)..<300 {
            var generator = SeededGenerator(state: seed)
            let records = Self.randomRecords(&generator)
            var writer = CSVWriter(options: .init(delimiter: delimiter, formulaProtection: false))
            for record in records { writer.write(record) }
            let chunkSize = [Int.max, 1, 5, 64][Int(seed % 4)]
            let options = CSVReadOptions(delimiter: delimiter, bufferSize: 64)
            let read = try CSVReader(bytes: writer.bytes, options: options, chunkSize: chunkSize).readAll()
            #expect(read.map { Array($0) } == records, "seed \(seed)")
        }
    }

    @Test func formulaProtectionChangesOnlyRiskyTextCells() throws {
        for seed in UInt64(0)..<200 {
            var generator = SeededGenerator(state: seed)
            let records = Self.randomRecords(&generator)
            var writer = CSVWriter()
            for record in records { writer.write(record) }
            let read = try CSVReader(bytes: writer.bytes, options: CSVReadOptions(delimiter: UInt8(ascii: ",")))
                .readAll().map { Array($0) }
            let risky: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\n", "\r\n"]
            let expected = records.map {
                $0.map { field in field.first.map(risky.contains) == true ? "'" + field : field }
            }
            #expect(read == expected, "seed \(seed)")
        }
    }
}
