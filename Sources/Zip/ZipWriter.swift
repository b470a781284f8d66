internal import CZlib
import Foundation

/// Writes a zip archive entry by entry, deflating each as it is written.
///
/// A local header goes out first with a zero CRC-32 and sizes, patched in place once the entry
/// ends, so no data descriptors are needed; names are flagged UTF-8. Output is buffered in 64 KiB
/// writes. There is no ZIP64: an entry or archive past 4 GiB, or a 65,536th entry, is refused.
///
/// - Note: Calls out of order (`write` with no entry begun, `finish` with one open) are
///   programming errors and trap. After a thrown error the archive is incomplete: drop the
///   writer and the file.
public final class ZipWriter {
    /// zlib's fastest level: workbooks are deflated as their rows are written, beside the CSV
    /// files, and level 1 takes about a third of level 6's time for some 15% more bytes of XML.
    static let compressionLevel: Int32 = 1
    /// The largest size or offset a 32-bit field holds; 0xFFFF_FFFF itself means ZIP64.
    static let maxSize: Int64 = 0xFFFF_FFFE
    static let maxEntries = 0xFFFF

    /// An entry between `beginEntry` and `endEntry`.
    private struct OpenEntry {
        let name: String
        let nameBytes: [UInt8]
        let headerOffset: Int64
        var fields: EntryFields
        var compressed: Int64 = 0
        var uncompressed: Int64 = 0
    }

    private let output: OutputFile
    /// `maxSize`, lowered only by tests.
    private let sizeLimit: Int64
    /// Made for the first entry and reset for each later one.
    private var deflater: ZStream?
    private var current: OpenEntry?
    private var directory: [UInt8] = []
    private var names: Set<String> = []
    private var finished = false

    /// Creates the archive file at `path`, or empties the one there.
    public convenience init(path: String) throws(ZipError) {
        try self.init(path: path, sizeLimit: Self.maxSize)
    }

    /// As `init(path:)`, refusing sizes and offsets past `sizeLimit`, so tests reach the limit cheaply.
    init(path: String, sizeLimit: Int64) throws(ZipError) {
        output = try OutputFile(path: path)
        self.sizeLimit = sizeLimit
    }

    /// Starts the entry `name` (a path such as `xl/workbook.xml`), stamped with `modified` in UTC.
    ///
    /// - Throws: `ZipError.invalidEntryName` for an empty name, one longer than 65,535 bytes, or
    ///   one already written; `ZipError.overZipLimit` past 65,535 entries or 4 GiB.
    public func beginEntry(_ name: String, modified: Date) throws(ZipError) {
        let nameBytes = try checkNewEntry(name)
        let fields = Self.fields(nameBytes: nameBytes, method: .deflated, modified: modified)
        let headerOffset = output.size
        try output.append(LocalHeader(fields: fields).bytes(name: nameBytes))
        if let deflater {
            try deflater.reset(entry: name)
        } else {
            deflater = try ZStream(.deflate(level: Self.compressionLevel), entry: name)
        }
        names.insert(name)
        current = OpenEntry(name: name, nameBytes: nameBytes, headerOffset: headerOffset, fields: fields)
    }

    /// Adds `bytes` to the open entry.
    ///
    /// - Throws: `ZipError.overZipLimit` once the entry passes 4 GiB; `ZipError.cannotWrite`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(ZipError) {
        guard var entry = current else { preconditionFailure("write(_:) before beginEntry(_:modified:)") }
        entry.fields.crc32 = CRC32.update(entry.fields.crc32, bytes)
        entry.uncompressed += Int64(bytes.count)
        current = entry
        if entry.uncompressed > sizeLimit { throw .overZipLimit(entry: entry.name, limit: sizeLimitText) }
        try deflate(bytes, finish: false)
    }

    /// Adds `bytes` to the open entry.
    ///
    /// - Throws: as `write(_:)` for a buffer.
    public func write(_ bytes: [UInt8]) throws(ZipError) {
        try bytes.withUnsafeBufferPointer { buffer throws(ZipError) in try write(UnsafeRawBufferPointer(buffer)) }
    }

    /// Ends the open entry: the rest of its deflate stream, then its CRC-32 and sizes patched into
    /// its local header.
    ///
    /// - Throws: `ZipError.overZipLimit` when the compressed data passed 4 GiB; `ZipError.cannotWrite`.
    public func endEntry() throws(ZipError) {
        precondition(current != nil, "endEntry() before beginEntry(_:modified:)")
        try deflate(UnsafeRawBufferPointer(start: nil, count: 0), finish: true)
        guard let entry = current else { preconditionFailure("the open entry went away") }
        if entry.compressed > sizeLimit { throw .overZipLimit(entry: entry.name, limit: sizeLimitText) }
        var fields = entry.fields
        fields.compressedSize = UInt32(entry.compressed)
        fields.uncompressedSize = UInt32(entry.uncompressed)
        let patchOffset = entry.headerOffset + Int64(LocalHeader.fieldsOffset + EntryFields.crc32Offset)
        try output.overwrite(fields.crcAndSizes, at: patchOffset)
        CentralHeader(fields: fields, localHeaderOffset: UInt32(entry.headerOffset))
            .append(to: &directory, name: entry.nameBytes)
        current = nil
    }

    /// Adds `entry` of the archive `reader` reads as the entry `name`, its compressed bytes copied
    /// as they are: no inflating and deflating again. An entry of another archive written beside
    /// this one (a second sheet) joins it in the time a file copy takes.
    ///
    /// - Throws: as `beginEntry(_:modified:)` for the name and limits; `ZipError.cannotRead` or
    ///   `.cannotWrite` for the bytes.
    public func copyEntry(_ entry: ZipEntry, of reader: ZipReader, as name: String, modified: Date) throws(ZipError) {
        let nameBytes = try checkNewEntry(name)
        var fields = Self.fields(nameBytes: nameBytes, method: entry.method, modified: modified)
        fields.crc32 = entry.crc32
        fields.compressedSize = UInt32(entry.compressedSize)
        fields.uncompressedSize = UInt32(entry.uncompressedSize)
        let headerOffset = output.size
        if headerOffset + entry.compressedSize > sizeLimit { throw .overZipLimit(entry: name, limit: sizeLimitText) }
        try output.append(LocalHeader(fields: fields).bytes(name: nameBytes))
        var copied: Int64 = 0
        while copied < entry.compressedSize {
            let count = Int(min(entry.compressedSize - copied, 1 << 16))
            try output.append(try reader.rawBytes(of: entry, from: copied, count: count))
            copied += Int64(count)
        }
        names.insert(name)
        CentralHeader(fields: fields, localHeaderOffset: UInt32(headerOffset)).append(to: &directory, name: nameBytes)
    }

    /// The UTF-8 of `name`, once it is known a new entry of that name may begin.
    private func checkNewEntry(_ name: String) throws(ZipError) -> [UInt8] {
        precondition(!finished, "a new entry after finish()")
        precondition(current == nil, "a new entry before endEntry() of \(current?.name ?? "")")
        let nameBytes = Array(name.utf8)
        if nameBytes.isEmpty { throw .invalidEntryName(name: name, problem: "an entry needs a name") }
        if nameBytes.count > Int(UInt16.max) {
            throw .invalidEntryName(name: name, problem: "longer than the 65,535 bytes a zip name can have")
        }
        if names.contains(name) { throw .invalidEntryName(name: name, problem: "an entry of this name was written") }
        if names.count == Self.maxEntries { throw .overZipLimit(entry: name, limit: "65,535 entries") }
        if output.size > sizeLimit { throw .overZipLimit(entry: name, limit: sizeLimitText) }
        return nameBytes
    }

    /// The header fields of a new entry, its CRC-32 and sizes still 0.
    private static func fields(nameBytes: [UInt8], method: ZipEntry.Method, modified: Date) -> EntryFields {
        let stamp = DOSTimestamp(modified)
        var fields = EntryFields()
        fields.flags = ZipFlag.utf8Name
        fields.method = method.rawValue
        fields.time = stamp.time
        fields.date = stamp.date
        fields.nameLength = UInt16(nameBytes.count)
        return fields
    }

    /// Writes the central directory and the end record, and closes the file.
    ///
    /// - Throws: `ZipError.overZipLimit` when the archive passed 4 GiB; `ZipError.cannotWrite`.
    public func finish() throws(ZipError) {
        precondition(!finished, "finish() called twice")
        precondition(current == nil, "finish() before endEntry() of \(current?.name ?? "")")
        let directoryOffset = output.size
        if directoryOffset + Int64(directory.count) > sizeLimit {
            throw .overZipLimit(entry: nil, limit: sizeLimitText)
        }
        try output.append(directory)
        let end = EndRecord(
            entryCount: UInt16(names.count), directorySize: UInt32(directory.count),
            directoryOffset: UInt32(directoryOffset))
        try output.append(end.bytes)
        try output.close()
        finished = true
    }

    private var sizeLimitText: String { "\(sizeLimit) bytes" }

    /// Deflates `input` into the output until zlib has taken all of it, and with `finish` until
    /// the stream has ended.
    private func deflate(_ input: UnsafeRawBufferPointer, finish: Bool) throws(ZipError) {
        guard let deflater, var entry = current else { preconditionFailure("deflating with no entry open") }
        defer { current = entry }
        var rest = input
        while true {
            var step = ZStream.Step(code: Z_OK, consumed: 0, produced: 0)
            var outputFull = false
            try output.appendProduced { space in
                step = deflater.step(rest, space, finish: finish)
                outputFull = step.produced == space.count
                return step.produced
            }
            rest = UnsafeRawBufferPointer(rebasing: rest[step.consumed...])
            entry.compressed += Int64(step.produced)
            if finish ? step.code == Z_STREAM_END : rest.isEmpty && !outputFull { return }
            // Z_BUF_ERROR only says this call could not go on; the next one has fresh room.
            if step.code != Z_BUF_ERROR { try deflater.check(step.code, "deflating") }
        }
    }
}
