import CSV
import Glibc
import Testing

/// Rows made on the fly, so the input can be far larger than anything the test keeps in memory.
struct GeneratedRows: ByteSource {
    let rows: Int
    private var produced = 0
    private var pending: [UInt8] = []

    init(rows: Int) {
        self.rows = rows
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        while pending.count < buffer.count, produced < rows {
            pending += Array(
                "8901260000\(produced),ACTIVATED,\"note, with \"\"quotes\"\"\r\nand a break\",plan\r\n".utf8)
            produced += 1
        }
        let count = min(buffer.count, pending.count)
        buffer.copyBytes(from: pending[..<count])
        pending.removeFirst(count)
        return count
    }
}

@Suite("CSVReader streaming")
struct CSVStreamingTests {
    /// The process's current peak resident memory in KiB.
    static func peakResidentKiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss
    }

    @Test func memoryDoesNotGrowWithInputSize() throws {
        let rows = 800_000  // about 64 MB of CSV text
        let before = Self.peakResidentKiB()
        let reader = CSVReader(source: GeneratedRows(rows: rows))
        var record = CSVRecord()
        var count = 0
        var wellFormed = 0
        while try reader.readRecord(into: &record) {
            count += 1
            if record.count == 4, record[2] == "note, with \"quotes\"\r\nand a break" { wellFormed += 1 }
        }
        #expect(count == rows)
        #expect(wellFormed == rows)
        let grownKiB = Self.peakResidentKiB() - before
        #expect(grownKiB < 16 * 1024, "peak memory grew by \(grownKiB) KiB while reading ~64 MB")
    }
}
