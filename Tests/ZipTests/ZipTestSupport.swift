import Foundation
import TestSupport
import Zip

/// One minute past noon on 2024-05-17, UTC, with odd seconds so the two-second rounding shows.
let sampleDate = Date(timeIntervalSince1970: 1_715_947_291)

/// Bytes that compress like a worksheet: rows of XML with numbers that change.
func worksheetBytes(rows: Int, seed: Int = 0) -> [UInt8] {
    var text = ""
    for row in 0..<rows {
        text += "<row r=\"\(row + 1)\"><c t=\"s\"><v>\((row &* 7919 &+ seed) % 10_007)</v></c></row>\n"
    }
    return Array(text.utf8)
}

/// Writes `entries` with `ZipWriter`, each in one `write`, and returns the archive's bytes.
@discardableResult
func writeArchive(_ entries: [(name: String, bytes: [UInt8])], to path: String, modified: Date = sampleDate) throws
    -> [UInt8]
{
    let writer = try ZipWriter(path: path)
    for entry in entries {
        try writer.beginEntry(entry.name, modified: modified)
        try writer.write(entry.bytes)
        try writer.endEntry()
    }
    try writer.finish()
    return try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Every entry of `reader` read through its stream `step` bytes at a time.
func readAll(_ reader: ZipReader, step: Int) throws -> [(name: String, bytes: [UInt8])] {
    try reader.entries.map { entry in
        let stream = try reader.stream(entry)
        var bytes: [UInt8] = []
        while case let chunk = try stream.read(upTo: step), !chunk.isEmpty {
            precondition(chunk.count <= step, "a read returned more than asked for")
            bytes += chunk
        }
        return (entry.name, bytes)
    }
}

/// The error reading every entry of `bytes` stops with (opening included), or `nil`.
func readError(_ bytes: [UInt8], limits: ZipLimits = ZipLimits()) -> ZipError? {
    do {
        _ = try readAll(ZipReader(bytes: bytes, limits: limits), step: 4096)
        return nil
    } catch let error as ZipError {
        return error
    } catch {
        return nil
    }
}

/// Runs `/usr/bin/python3 -c script arguments…` to its end; its exit status and what it printed
/// (standard output and error together).
func runPython(_ script: String, _ arguments: [String], in folder: TestFolder) async throws -> (
    status: Int32, output: String
) {
    let outputFile = folder.url.appendingPathComponent("python-\(UUID().uuidString).out")
    _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
    let handle = try FileHandle(forWritingTo: outputFile)
    let process = try SpawnedProcess(
        "/usr/bin/python3", ["-c", script] + arguments, output: handle.fileDescriptor, errors: handle.fileDescriptor)
    try handle.close()
    let ending = await process.ending()
    let output = try String(contentsOf: outputFile, encoding: .utf8)
    return (ending.bySignal ? 128 + ending.status : ending.status, output)
}

/// Byte surgery on an archive written by `ZipWriter` (so with no comment), for hostile cases.
struct ArchiveBytes {
    var bytes: [UInt8]

    /// The end of central directory record's offset.
    var endRecord: Int { bytes.count - 22 }

    /// Central header fields, counted from the header's signature (APPNOTE 4.3.12).
    enum Central: Int {
        case flags = 8
        case method = 10
        case crc32 = 16
        case compressedSize = 20
        case uncompressedSize = 24
        case localHeaderOffset = 42
        case name = 46
    }

    /// The offset of `field` in the central header of entry `index` (0-based).
    func central(_ field: Central, entry index: Int = 0) -> Int {
        var offset = Int(get32(at: endRecord + 16))
        for _ in 0..<index {
            offset += 46 + Int(get16(at: offset + 28)) + Int(get16(at: offset + 30)) + Int(get16(at: offset + 32))
        }
        return offset + field.rawValue
    }

    /// The offset of entry `index`'s data, after its local header.
    func data(entry index: Int = 0) -> Int {
        let local = Int(get32(at: central(.localHeaderOffset, entry: index)))
        return local + 30 + Int(get16(at: local + 26)) + Int(get16(at: local + 28))
    }

    func get16(at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func get32(at offset: Int) -> UInt32 {
        UInt32(get16(at: offset)) | UInt32(get16(at: offset + 2)) << 16
    }

    mutating func set16(_ value: UInt16, at offset: Int) {
        bytes[offset] = UInt8(value & 0xFF)
        bytes[offset + 1] = UInt8(value >> 8)
    }

    mutating func set32(_ value: UInt32, at offset: Int) {
        set16(UInt16(value & 0xFFFF), at: offset)
        set16(UInt16(value >> 16), at: offset + 2)
    }
}
