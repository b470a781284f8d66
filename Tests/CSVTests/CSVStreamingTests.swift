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

/// Memory stays flat in file size: `bulkdrop bench csv` reports the peak (a process-wide peak
/// measured here would count the tests running beside this one).
@Suite("CSVReader streaming")
struct CSVStreamingTests {
    @Test func readsAGeneratedStreamLongerThanAnyBuffer() throws {
        let rows = 200_000  // about 16 MB of CSV text, many buffer refills
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
    }
}
