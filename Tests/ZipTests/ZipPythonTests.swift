import Foundation
import TestSupport
import Testing
import Zip

/// Python's `zipfile` and this package read each other's archives.
@Suite("Zip and Python's zipfile")
struct ZipPythonTests {
    static let entries: [(name: String, bytes: [UInt8])] = [
        ("[Content_Types].xml", Array("<?xml version=\"1.0\"?><Types/>".utf8)),
        ("xl/worksheets/sheet1.xml", worksheetBytes(rows: 30_000)),
        ("xl/empty.bin", []),
        ("données/été.txt", Array("ünïcödé\n".utf8)),
        ("xl/media/noise.bin", (0..<70_000).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }),
    ]

    /// Prints one JSON line per entry of the archive `argv[1]` after `zipfile` checked its CRC.
    static let describe = #"""
        import json, sys, zipfile, zlib
        with zipfile.ZipFile(sys.argv[1]) as archive:
            assert archive.testzip() is None
            for info in archive.infolist():
                data = archive.read(info)
                assert zlib.crc32(data) == info.CRC
                print(json.dumps([info.filename, info.file_size, info.CRC, info.compress_type,
                                  list(info.date_time), info.flag_bits, data.hex()]))
        """#

    @Test func pythonReadsWhatZipWriterWrites() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("book.xlsx").path
        try writeArchive(Self.entries, to: path)
        let result = try await runPython(Self.describe, [path], in: folder)
        #expect(result.status == 0, "\(result.output)")
        let lines = result.output.split(separator: "\n")
        try #require(lines.count == Self.entries.count, "\(result.output)")
        let reader = try ZipReader(path: path)
        for (line, entry) in zip(lines, Self.entries) {
            let fields = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])
            #expect(fields[0] as? String == entry.name)
            #expect(fields[1] as? Int == entry.bytes.count)
            #expect((fields[2] as? NSNumber)?.uint32Value == reader.entry(named: entry.name)?.crc32)
            #expect(fields[3] as? Int == 8)
            #expect(fields[4] as? [Int] == [2024, 5, 17, 12, 1, 30])
            #expect(fields[5] as? Int == 0x800, "UTF-8 names, no data descriptor")
            #expect(fields[6] as? String == entry.bytes.map { String(format: "%02x", $0) }.joined())
        }
    }

    /// Zips every file under `argv[2]` into `argv[1]` as `argv[3]` says: deflated, stored, or
    /// deflated through a stream that cannot seek, so every entry gets a data descriptor.
    static let archive = #"""
        import os, sys, zipfile
        path, folder, how = sys.argv[1:4]

        class Unseekable:
            def __init__(self, file):
                self.file = file
            def write(self, data):
                return self.file.write(data)
            def flush(self):
                self.file.flush()

        files = sorted(os.path.relpath(os.path.join(root, name), folder)
                       for root, _, names in os.walk(folder) for name in names)
        with open(path, "wb") as raw:
            target = Unseekable(raw) if how == "unseekable" else raw
            method = zipfile.ZIP_STORED if how == "stored" else zipfile.ZIP_DEFLATED
            with zipfile.ZipFile(target, "w", method) as archive:
                archive.comment = b"written by Python's zipfile"
                for name in files:
                    with open(os.path.join(folder, name), "rb") as file:
                        archive.writestr(name, file.read())
        with zipfile.ZipFile(path) as archive:
            print(" ".join(str(info.flag_bits & 8) for info in archive.infolist()))
        """#

    @Test(arguments: ["deflated", "stored", "unseekable"])
    func zipReaderReadsWhatPythonWrites(how: String) async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let source = folder.url.appendingPathComponent("source")
        for entry in Self.entries {
            let file = source.appendingPathComponent(entry.name)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(entry.bytes).write(to: file)
        }
        let path = folder.url.appendingPathComponent("\(how).zip").path
        let result = try await runPython(Self.archive, [path, source.path, how], in: folder)
        #expect(result.status == 0, "\(result.output)")
        let descriptorFlags = how == "unseekable" ? "8" : "0"
        #expect(
            result.output == Array(repeating: descriptorFlags, count: Self.entries.count).joined(separator: " ") + "\n")

        let reader = try ZipReader(path: path)
        let expected = Self.entries.sorted { $0.name < $1.name }
        #expect(reader.entries.map(\.name) == expected.map(\.name))
        #expect(reader.entries.allSatisfy { $0.method == (how == "stored" ? .stored : .deflated) })
        for step in [3, 4096, Int.max] {
            #expect(try readAll(reader, step: step).map(\.bytes) == expected.map(\.bytes), "step \(step)")
        }
    }
}
