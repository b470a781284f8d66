import Foundation
import TestSupport
import Testing

@testable import Zip

@Suite("ZipWriter")
struct ZipWriterTests {
    @Test func namesMustBeNonEmptyShortEnoughAndUnique() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let writer = try ZipWriter(path: folder.url.appendingPathComponent("names.zip").path)
        #expect(throws: ZipError.invalidEntryName(name: "", problem: "an entry needs a name")) {
            try writer.beginEntry("", modified: sampleDate)
        }
        let long = String(repeating: "x", count: 65_536)
        #expect(
            throws: ZipError.invalidEntryName(name: long, problem: "longer than the 65,535 bytes a zip name can have")
        ) {
            try writer.beginEntry(long, modified: sampleDate)
        }
        try writer.beginEntry("a.xml", modified: sampleDate)
        try writer.endEntry()
        let duplicate = ZipError.invalidEntryName(name: "a.xml", problem: "an entry of this name was written")
        #expect(throws: duplicate) { try writer.beginEntry("a.xml", modified: sampleDate) }
        #expect(duplicate.description == "entry name \"a.xml\": an entry of this name was written")
        try writer.finish()
    }

    @Test func refusesTheEntryThatNeedsZIP64() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("full.zip").path
        let writer = try ZipWriter(path: path)
        for index in 0..<ZipWriter.maxEntries {
            try writer.beginEntry("\(index)", modified: sampleDate)
            try writer.endEntry()
        }
        let error = ZipError.overZipLimit(entry: "65535", limit: "65,535 entries")
        #expect(throws: error) { try writer.beginEntry("65535", modified: sampleDate) }
        #expect(
            error.description
                == "65535: more than 65,535 entries, the most a zip archive holds without ZIP64, which is not "
                + "written; split the data over several files")
        try writer.finish()
        let reader = try ZipReader(path: path, limits: ZipLimits(maxEntries: 65_535))
        #expect(reader.entries.count == 65_535)
        #expect(reader.entries.last?.name == "65534")
    }

    @Test func refusesEntriesAndArchivesPastTheSizeLimit() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let writer = try ZipWriter(path: folder.url.appendingPathComponent("big.zip").path, sizeLimit: 1_000)
        try writer.beginEntry("big", modified: sampleDate)
        #expect(throws: ZipError.overZipLimit(entry: "big", limit: "1000 bytes")) {
            try writer.write([UInt8](repeating: 7, count: 1_001))
        }

        // Empty entries of 59 bytes, then 60 from the tenth on; the directory adds 73 or 74 for each.
        let wide = try ZipWriter(path: folder.url.appendingPathComponent("wide.zip").path, sizeLimit: 1_000)
        for index in 0..<10 {
            try wide.beginEntry("part-with-a-long-name-\(index).xml", modified: sampleDate)
            try wide.endEntry()
        }
        #expect(throws: ZipError.overZipLimit(entry: nil, limit: "1000 bytes")) { try wide.finish() }

        let long = try ZipWriter(path: folder.url.appendingPathComponent("long.zip").path, sizeLimit: 1_000)
        for index in 0..<17 {
            try long.beginEntry("part-with-a-long-name-\(index).xml", modified: sampleDate)
            try long.endEntry()
        }
        #expect(throws: ZipError.overZipLimit(entry: "part-with-a-long-name-17.xml", limit: "1000 bytes")) {
            try long.beginEntry("part-with-a-long-name-17.xml", modified: sampleDate)
        }
    }

    @Test(arguments: [
        (1_715_947_291, 0x58B1, 0x602F),  // 2024-05-17 12:01:31 → :30
        (315_532_800, 0x0021, 0x0000),  // 1980-01-01 00:00:00, the first moment there is
        (0, 0x0021, 0x0000),  // 1970, clamped to 1980
        (4_354_819_200, 0xFF9F, 0xBF7D),  // 2108, clamped to 2107-12-31 23:59:58
    ])
    func dosTimestampInUTC(seconds: Double, date: Int, time: Int) {
        let stamp = DOSTimestamp(Date(timeIntervalSince1970: seconds))
        #expect(stamp.date == UInt16(date))
        #expect(stamp.time == UInt16(time))
    }

    @Test func cannotCreateTheFile() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("missing/book.xlsx").path
        #expect(throws: ZipError.cannotWrite(path: path, reason: "No such file or directory")) {
            try ZipWriter(path: path)
        }
    }
}
