import Foundation
import TestSupport
import Testing
import Zip

/// Archives made to hurt a reader: each is refused with an error that says what and where.
@Suite("ZipReader and hostile archives")
struct ZipReaderHostileTests {
    /// `entries` as `ZipWriter` writes them, ready for surgery.
    func zipped(_ entries: [(name: String, bytes: [UInt8])]) throws -> ArchiveBytes {
        let folder = try TestFolder()
        defer { folder.remove() }
        return ArchiveBytes(bytes: try writeArchive(entries, to: folder.url.appendingPathComponent("a.zip").path))
    }

    let sheet = ("xl/worksheets/sheet1.xml", worksheetBytes(rows: 200))

    @Test func zipBombIsRefusedBeforeInflating() throws {
        let archive = try zipped([("xl/worksheets/sheet1.xml", [UInt8](repeating: 0, count: 10 << 20))])
        let reader = try ZipReader(bytes: archive.bytes)
        let entry = reader.entries[0]
        let ratio = entry.uncompressedSize / entry.compressedSize
        #expect(ratio > 200, "above the limit, whatever level the writer deflates at")
        let error = ZipError.compressionRatioTooHigh(entry: entry.name, ratio: ratio, limit: 200)
        #expect(throws: error) { try reader.stream(entry) }
        #expect(throws: error) { try reader.contents(of: entry) }
        #expect(
            error.description
                == "xl/worksheets/sheet1.xml: expands \(ratio) times its compressed size, more than the 200 allowed; "
                + "this looks like a zip bomb")
    }

    @Test func smallEntriesMayExpandAnyAmount() throws {
        let zeros = [UInt8](repeating: 0, count: (1 << 20) - 1)
        let reader = try ZipReader(bytes: zipped([("zeros", zeros)]).bytes)
        #expect(reader.entries[0].uncompressedSize / reader.entries[0].compressedSize > 200)
        #expect(try reader.contents(of: reader.entries[0]) == zeros)
    }

    @Test func bombThatUnderstatesItsSizeStopsAtTheDeclaredSize() throws {
        var archive = try zipped([("xl/sharedStrings.xml", [UInt8](repeating: 0, count: 10 << 20))])
        archive.set32(100_000, at: archive.central(.uncompressedSize))
        let error = ZipError.longerThanDeclared(entry: "xl/sharedStrings.xml", declared: 100_000)
        for step in [1, 4096, Int.max] {
            let reader = try ZipReader(bytes: archive.bytes)
            #expect(throws: error) { try readAll(reader, step: step) }
        }
        #expect(
            error.description
                == "xl/sharedStrings.xml: inflates to more than the 100000 bytes its header declares; the archive is "
                + "damaged or crafted")
    }

    @Test func tooManyEntries() throws {
        let archive = try zipped((0..<6).map { ("\($0).xml", [UInt8]()) })
        let error = ZipError.tooManyEntries(count: 6, limit: 5)
        #expect(readError(archive.bytes, limits: ZipLimits(maxEntries: 5)) == error)
        #expect(
            error.description == "the archive has 6 entries, more than the 5 allowed; this looks like a crafted archive"
        )
        #expect(readError(archive.bytes, limits: ZipLimits(maxEntries: 6)) == nil)
    }

    @Test func entriesAddingUpToTooMuch() throws {
        let archive = try zipped([("a", [UInt8](repeating: 1, count: 600)), ("b", [UInt8](repeating: 2, count: 600))])
        let error = ZipError.totalTooLarge(bytes: 1_200, limit: 1_000)
        #expect(readError(archive.bytes, limits: ZipLimits(maxTotalBytes: 1_000)) == error)
        #expect(
            error.description
                == "the entries add up to 1200 bytes uncompressed, more than the 1000 allowed; split the data over "
                + "smaller files")
    }

    @Test func entryTooLarge() throws {
        let archive = try zipped([sheet])
        let reader = try ZipReader(bytes: archive.bytes, limits: ZipLimits(maxEntryBytes: 1_000))
        let error = ZipError.entryTooLarge(entry: sheet.0, bytes: Int64(sheet.1.count), limit: 1_000)
        #expect(throws: error) { try reader.stream(reader.entries[0]) }
        #expect(error.description.hasPrefix("xl/worksheets/sheet1.xml: \(sheet.1.count) bytes uncompressed"))
    }

    @Test func declaredSizeLargerThanTheData() throws {
        var archive = try zipped([sheet])
        archive.set32(UInt32(sheet.1.count + 10), at: archive.central(.uncompressedSize))
        let error = ZipError.shorterThanDeclared(
            entry: sheet.0, declared: Int64(sheet.1.count + 10), actual: Int64(sheet.1.count))
        #expect(readError(archive.bytes) == error)
        #expect(error.description.contains("inflates to \(sheet.1.count) bytes, fewer than the"))
    }

    @Test func truncatedArchive() throws {
        let archive = try zipped([sheet])
        for size in [archive.bytes.count - 1, archive.bytes.count / 2, 21, 0] {
            #expect(readError(Array(archive.bytes[..<size])) == .notAZipArchive(size: Int64(size)))
        }
        #expect(
            ZipError.notAZipArchive(size: 10).description
                == "no end of central directory record in the 10 bytes of the file; this is not a zip archive "
                + "(an .xlsx workbook is one) or it was cut short: save or download it again")
    }

    @Test func fileThatShrinksAfterOpening() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("shrinks.zip").path
        try writeArchive([sheet], to: path)
        let reader = try ZipReader(path: path)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(reader.entries[0].dataOffset + 10))
        try handle.close()
        let end = reader.entries[0].dataOffset + 10
        let error = ZipError.cannotRead(path: path, offset: end, reason: "the file ends there; it shrank")
        #expect(throws: error) { try reader.contents(of: reader.entries[0]) }
        #expect(error.description == "cannot read \(path) at byte \(end): the file ends there; it shrank")
    }

    @Test func badCRC() throws {
        var archive = try zipped([sheet])
        let crc = archive.get32(at: archive.central(.crc32))
        archive.set32(crc ^ 0x8000_0001, at: archive.central(.crc32))
        let error = ZipError.checksumMismatch(entry: sheet.0, declared: crc ^ 0x8000_0001, actual: crc)
        for step in [1, 4096, Int.max] {
            #expect(throws: error) { try readAll(ZipReader(bytes: archive.bytes), step: step) }
        }
        #expect(
            ZipError.checksumMismatch(entry: "a", declared: 0xAB, actual: 0xDEAD_BEEF).description
                == "a: CRC-32 of the data is 0xdeadbeef, not the 0x000000ab its header declares; the archive is damaged"
        )
    }

    @Test func encryptedEntry() throws {
        var archive = try zipped([sheet])
        archive.set16(archive.get16(at: archive.central(.flags)) | 1, at: archive.central(.flags))
        #expect(readError(archive.bytes) == .encrypted(entry: sheet.0))
        #expect(
            ZipError.encrypted(entry: sheet.0).description
                == "xl/worksheets/sheet1.xml: is encrypted; save the file without a password and try again")
    }

    @Test func zip64SizeInAnEntry() throws {
        var archive = try zipped([sheet])
        archive.set32(0xFFFF_FFFF, at: archive.central(.compressedSize))
        #expect(readError(archive.bytes) == .zip64(entry: sheet.0))
        #expect(
            ZipError.zip64(entry: sheet.0).description
                == "xl/worksheets/sheet1.xml: uses ZIP64 (made for more than 4 GiB or 65,535 entries), which is not "
                + "supported; split the data over smaller files")
    }

    @Test func zip64EndLocator() throws {
        var archive = try zipped([sheet])
        let locator: [UInt8] = [0x50, 0x4B, 0x06, 0x07] + [UInt8](repeating: 0, count: 16)
        archive.bytes.insert(contentsOf: locator, at: archive.endRecord)
        #expect(readError(archive.bytes) == .zip64(entry: nil))
        #expect(ZipError.zip64(entry: nil).description.hasPrefix("the archive: uses ZIP64"))
    }

    @Test func localHeaderOffsetPastTheEnd() throws {
        var archive = try zipped([sheet])
        let directory = Int64(archive.get32(at: archive.endRecord + 16))
        archive.set32(0x7FFF_FFFF, at: archive.central(.localHeaderOffset))
        let error = ZipError.malformed(
            offset: 0x7FFF_FFFF,
            problem: "xl/worksheets/sheet1.xml: its local header is not before the central directory "
                + "(byte \(directory))")
        #expect(readError(archive.bytes) == error)
        #expect(
            error.description
                == "byte 2147483647: xl/worksheets/sheet1.xml: its local header is not before the central directory "
                + "(byte \(directory)); the archive is damaged: save it again from the application that made it")
    }

    @Test func garbage() {
        var generator = SeededGenerator(state: 42)
        let noise = (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(readError(noise) == .notAZipArchive(size: 10_000))
        #expect(readError(Array("PK\u{5}\u{6} not quite".utf8)) == .notAZipArchive(size: 14))
    }

    @Test func entryWhoseDataRunsOverTheNextLocalHeader() throws {
        var archive = try zipped([("a.xml", worksheetBytes(rows: 20)), ("b.xml", worksheetBytes(rows: 30))])
        let second = Int(archive.get32(at: archive.central(.localHeaderOffset, entry: 1)))
        archive.set32(UInt32(second - archive.data(entry: 0) + 10), at: archive.central(.compressedSize))
        #expect(
            readError(archive.bytes)
                == .malformed(
                    offset: Int64(second),
                    problem: "b.xml: its local header lies inside a.xml (bytes 0..<\(second + 10))"))
    }

    @Test func centralDirectoryPastTheEndRecord() throws {
        var archive = try zipped([sheet])
        let size = archive.get32(at: archive.endRecord + 12)
        archive.set32(UInt32(archive.endRecord), at: archive.endRecord + 16)
        let end = archive.endRecord
        #expect(
            readError(archive.bytes)
                == .malformed(
                    offset: Int64(end),
                    problem: "the central directory (bytes \(end)..<\(end + Int(size))) does not end before the end "
                        + "record"))
    }

    @Test func entryCountLargerThanTheDirectory() throws {
        var archive = try zipped([sheet])
        archive.set16(2, at: archive.endRecord + 8)
        archive.set16(2, at: archive.endRecord + 10)
        let directoryEnd = Int64(archive.endRecord)
        #expect(
            readError(archive.bytes)
                == .malformed(offset: directoryEnd, problem: "the central directory ends before central header 2 of 2"))
    }

    @Test func multiDisk() throws {
        var archive = try zipped([sheet])
        archive.set16(1, at: archive.endRecord + 4)
        #expect(readError(archive.bytes) == .multiDisk)
        #expect(
            ZipError.multiDisk.description
                == "the archive is split over several disks, which is not supported; join the parts into one file")
    }

    @Test func unsupportedMethod() throws {
        var archive = try zipped([sheet])
        archive.set16(12, at: archive.central(.method))
        #expect(readError(archive.bytes) == .unsupportedMethod(entry: sheet.0, method: 12))
        #expect(
            ZipError.unsupportedMethod(entry: "a", method: 12).description
                == "a: compressed with method 12, but only stored (0) and deflate (8) are supported; save the file "
                + "again with ordinary compression")
    }

    @Test func duplicateNames() throws {
        var archive = try zipped([("a.xml", [1]), ("b.xml", [2])])
        archive.bytes[archive.central(.name, entry: 1)] = UInt8(ascii: "a")
        #expect(
            readError(archive.bytes)
                == .malformed(
                    offset: Int64(archive.central(.flags, entry: 1) - 8),
                    problem: "the name \"a.xml\" appears twice in the central directory"))
    }

    @Test func namesThatAreNotUTF8OrDifferFromTheLocalHeader() throws {
        var archive = try zipped([sheet])
        let name = archive.central(.name)
        archive.bytes[name] = 0xFF
        #expect(
            readError(archive.bytes) == .malformed(offset: Int64(name), problem: "an entry's name is not UTF-8 text"))

        var renamed = try zipped([sheet])
        renamed.bytes[30] = UInt8(ascii: "X")
        #expect(
            readError(renamed.bytes)
                == .malformed(offset: 30, problem: "xl/worksheets/sheet1.xml: the local header gives another name"))
    }

    @Test func compressedDataCutShort() throws {
        var archive = try zipped([sheet])
        let size = archive.get32(at: archive.central(.compressedSize))
        archive.set32(size / 2, at: archive.central(.compressedSize))
        #expect(readError(archive.bytes) == .compressedDataTruncated(entry: sheet.0))
        #expect(
            ZipError.compressedDataTruncated(entry: sheet.0).description
                == "xl/worksheets/sheet1.xml: the compressed data ends before the deflate stream does; the archive is "
                + "damaged")
    }

    @Test func corruptDeflateData() throws {
        var archive = try zipped([sheet])
        archive.bytes[archive.data()] = 0x07  // final block of the reserved type 3
        let error = ZipError.zlib(operation: "inflating", entry: sheet.0, code: -3, message: "invalid block type")
        #expect(readError(archive.bytes) == error)
        #expect(
            error.description
                == "xl/worksheets/sheet1.xml: inflating failed: invalid block type (zlib code -3); the archive is "
                + "damaged")
    }

    @Test func aFailureIsRepeatedOnLaterReads() throws {
        var archive = try zipped([sheet])
        archive.set32(10, at: archive.central(.uncompressedSize))
        let reader = try ZipReader(bytes: archive.bytes)
        let stream = try reader.stream(reader.entries[0])
        let error = ZipError.longerThanDeclared(entry: sheet.0, declared: 10)
        #expect(throws: error) { try stream.read(upTo: 100) }
        #expect(throws: error) { try stream.read(upTo: 100) }
    }

    @Test func filesThatCannotBeOpened() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        #expect(throws: ZipError.cannotOpen(path: folder.url.path, reason: "not a regular file")) {
            try ZipReader(path: folder.url.path)
        }
        let missing = folder.url.appendingPathComponent("missing.xlsx").path
        let error = ZipError.cannotOpen(path: missing, reason: "No such file or directory")
        #expect(throws: error) { try ZipReader(path: missing) }
        #expect(error.description == "cannot open \(missing): No such file or directory")
    }
}
