import Foundation
import TestSupport
import Testing
import Zip

/// What `ZipWriter` writes, `ZipReader` reads back unchanged.
@Suite("Zip round trip")
struct ZipRoundTripTests {
    /// Read sizes every case is read with, so entries end at every kind of boundary.
    static let steps = [1, 7, 4096, 65_537, Int.max]

    @Test func deflatedEntriesComeBackInOrder() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("book.xlsx").path
        let entries: [(name: String, bytes: [UInt8])] = [
            ("[Content_Types].xml", Array("<Types/>".utf8)),
            ("xl/worksheets/sheet1.xml", worksheetBytes(rows: 5_000)),
            ("données/été.txt", Array("ünïcödé\n".utf8)),
            ("one byte", [0x42]),
        ]
        try writeArchive(entries, to: path)
        let reader = try ZipReader(path: path)
        #expect(reader.entries.map(\.name) == entries.map(\.name))
        #expect(reader.entries.allSatisfy { $0.method == .deflated })
        let sheet = try #require(reader.entry(named: "xl/worksheets/sheet1.xml"))
        #expect(sheet.uncompressedSize == Int64(entries[1].bytes.count))
        #expect(sheet.compressedSize < sheet.uncompressedSize / 4)
        for step in Self.steps {
            let read = try readAll(reader, step: step)
            #expect(read.map(\.bytes) == entries.map(\.bytes), "step \(step)")
        }
        for entry in entries {
            #expect(try reader.contents(of: #require(reader.entry(named: entry.name))) == entry.bytes)
        }
        #expect(reader.entry(named: "missing.xml") == nil)
    }

    @Test func anEntryCopiedFromAnotherArchiveReadsTheSame() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let side = folder.url.appendingPathComponent("side.zip").path
        let sheet = worksheetBytes(rows: 3_000)
        try writeArchive([("xl/worksheets/sheet1.xml", sheet)], to: side)
        let sideReader = try ZipReader(path: side)
        let path = folder.url.appendingPathComponent("book.xlsx").path
        let writer = try ZipWriter(path: path)
        try writer.beginEntry("first.xml", modified: Date())
        try writer.write(Array("<a/>".utf8))
        try writer.endEntry()
        try writer.copyEntry(sideReader.entries[0], of: sideReader, as: "xl/worksheets/sheet2.xml", modified: Date())
        try writer.finish()
        let reader = try ZipReader(path: path)
        #expect(reader.entries.map(\.name) == ["first.xml", "xl/worksheets/sheet2.xml"])
        let copied = try #require(reader.entry(named: "xl/worksheets/sheet2.xml"))
        #expect(copied.crc32 == sideReader.entries[0].crc32)
        #expect(try reader.contents(of: copied) == sheet, "inflated and its CRC-32 checked")
        #expect(try reader.contents(of: reader.entries[0]) == Array("<a/>".utf8))
    }

    @Test func emptyEntry() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("empty.zip").path
        let writer = try ZipWriter(path: path)
        try writer.beginEntry("empty.txt", modified: sampleDate)
        try writer.endEntry()
        try writer.beginEntry("written empty.txt", modified: sampleDate)
        try writer.write([])
        try writer.endEntry()
        try writer.finish()
        let reader = try ZipReader(path: path)
        #expect(reader.entries.map(\.uncompressedSize) == [0, 0])
        #expect(reader.entries.map(\.crc32) == [0, 0])
        for step in Self.steps {
            #expect(try readAll(reader, step: step).map(\.bytes) == [[], []])
        }
    }

    @Test func archiveWithNoEntries() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("none.zip").path
        let bytes = try writeArchive([], to: path)
        #expect(bytes.count == 22)
        #expect(try ZipReader(path: path).entries.isEmpty)
    }

    @Test func manyEntries() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("many.zip").path
        let entries = (0..<2_000).map { index in
            (name: "parts/part\(index).xml", bytes: worksheetBytes(rows: index % 13, seed: index))
        }
        try writeArchive(entries, to: path)
        let reader = try ZipReader(path: path)
        #expect(reader.entries.count == 2_000)
        #expect(try readAll(reader, step: 100).map(\.bytes) == entries.map(\.bytes))
        #expect(try reader.contents(of: #require(reader.entry(named: "parts/part1999.xml"))) == entries[1999].bytes)
    }

    @Test func tenMegabytesWrittenInPiecesAndReadInSmallSteps() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("big.zip").path
        let sheet = worksheetBytes(rows: 230_000)
        #expect(sheet.count > 10_000_000)
        let writer = try ZipWriter(path: path)
        try writer.beginEntry("xl/worksheets/sheet1.xml", modified: sampleDate)
        var start = 0
        var piece = 1
        try sheet.withUnsafeBytes { all in
            while start < all.count {
                let end = min(start + piece, all.count)
                try writer.write(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                start = end
                piece = piece * 3 + 1
            }
        }
        try writer.endEntry()
        try writer.finish()

        let reader = try ZipReader(path: path)
        let stream = try reader.stream(reader.entries[0])
        var read: [UInt8] = []
        read.reserveCapacity(sheet.count)
        var reads = 0
        while case let chunk = try stream.read(upTo: 1_000), !chunk.isEmpty {
            #expect(chunk.count <= 1_000)
            read += chunk
            reads += 1
        }
        #expect(read == sheet)
        #expect(reads == (sheet.count + 999) / 1_000)
        #expect(try stream.read(upTo: 1_000).isEmpty)
    }

    @Test func readerOpensFilesAndBytesAlike() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("same.zip").path
        let bytes = try writeArchive([("a.xml", worksheetBytes(rows: 10))], to: path)
        #expect(try ZipReader(path: path).entries == ZipReader(bytes: bytes).entries)
    }
}
