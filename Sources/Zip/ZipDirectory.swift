/// Reads an archive's central directory and checks it against the file and the limits, before
/// any entry is inflated: the end record, every central header, every local header, and that no
/// two entries share bytes.
struct ZipDirectory {
    let source: ZipSource
    let limits: ZipLimits

    /// A value that means "see the ZIP64 extra field" in a 32-bit field.
    private static let zip64Marker: UInt32 = 0xFFFF_FFFF

    /// A central header that passed its own checks, with its name.
    private struct CentralEntry {
        let header: CentralHeader
        let name: String
        let nameBytes: [UInt8]
        let method: ZipEntry.Method
    }

    /// The entries in central directory order.
    func entries() throws(ZipError) -> [ZipEntry] {
        let (end, endOffset) = try endRecord()
        let start = Int64(end.directoryOffset)
        let size = Int64(end.directorySize)
        guard start + size <= endOffset else {
            throw .malformed(
                offset: endOffset,
                problem: "the central directory (bytes \(start)..<\(start + size)) does not end before the end record")
        }
        let headers = try centralHeaders(try source.read(at: start, count: Int(size)), start: start, end: end)
        let total = headers.reduce(Int64(0)) { $0 + Int64($1.header.fields.uncompressedSize) }
        if total > limits.maxTotalBytes { throw .totalTooLarge(bytes: total, limit: limits.maxTotalBytes) }
        let entries = try headers.map { (central) throws(ZipError) in try entry(central, directoryStart: start) }
        try checkNoOverlap(entries)
        return entries
    }

    /// The end of central directory record and its offset, checked for ZIP64, several disks and
    /// the entry limit.
    private func endRecord() throws(ZipError) -> (EndRecord, Int64) {
        let size = source.size
        // The record is the last thing in the file but for a comment of up to 64 KiB; the bytes
        // just in front of it tell whether a ZIP64 locator is there.
        let longest = Int64(EndRecord.size + EndRecord.maxCommentLength + EndRecord.zip64LocatorSize)
        let tailStart = max(0, size - longest)
        let tail = try source.read(at: tailStart, count: Int(size - tailStart))
        for start in stride(from: tail.count - EndRecord.size, through: 0, by: -1) {
            guard let end = EndRecord(parsing: tail, at: start),
                start + EndRecord.size + Int(end.commentLength) <= tail.count
            else { continue }
            let locator = start - EndRecord.zip64LocatorSize
            if locator >= 0 && tail.uint32(at: locator) == ZipSignature.zip64EndLocator
                || end.directorySize == Self.zip64Marker || end.directoryOffset == Self.zip64Marker
            {
                throw .zip64(entry: nil)
            }
            if end.disk != 0 || end.directoryDisk != 0 || end.entriesOnDisk != end.entryCount { throw .multiDisk }
            if Int(end.entryCount) > limits.maxEntries {
                throw .tooManyEntries(count: Int(end.entryCount), limit: limits.maxEntries)
            }
            return (end, tailStart + Int64(start))
        }
        throw .notAZipArchive(size: size)
    }

    /// Every central header with its name, checked on its own; together they must fill the
    /// directory exactly.
    private func centralHeaders(_ bytes: [UInt8], start: Int64, end: EndRecord) throws(ZipError) -> [CentralEntry] {
        var headers: [CentralEntry] = []
        var names: Set<String> = []
        var cursor = 0
        for index in 0..<Int(end.entryCount) {
            let offset = start + Int64(cursor)
            let which = "central header \(index + 1) of \(end.entryCount)"
            guard cursor + CentralHeader.size <= bytes.count else {
                throw .malformed(offset: offset, problem: "the central directory ends before \(which)")
            }
            guard let header = CentralHeader(parsing: bytes, at: cursor) else {
                throw .malformed(offset: offset, problem: "\(which) has no central header signature")
            }
            guard cursor + header.recordSize <= bytes.count else {
                throw .malformed(offset: offset, problem: "\(which) runs past the end of the central directory")
            }
            let nameStart = cursor + CentralHeader.size
            let nameBytes = Array(bytes[nameStart..<nameStart + Int(header.fields.nameLength)])
            let name = try entryName(nameBytes, at: offset + Int64(CentralHeader.size))
            guard names.insert(name).inserted else {
                throw .malformed(offset: offset, problem: "the name \"\(name)\" appears twice in the central directory")
            }
            let method = try check(header, name: name)
            headers.append(CentralEntry(header: header, name: name, nameBytes: nameBytes, method: method))
            cursor += header.recordSize
        }
        guard cursor == bytes.count else {
            throw .malformed(
                offset: start + Int64(cursor),
                problem: "\(bytes.count - cursor) bytes of the central directory follow its \(end.entryCount) entries")
        }
        return headers
    }

    /// A name as UTF-8 text, never empty.
    private func entryName(_ bytes: [UInt8], at offset: Int64) throws(ZipError) -> String {
        guard !bytes.isEmpty else { throw .malformed(offset: offset, problem: "an entry has an empty name") }
        guard let name = String(validating: bytes, as: UTF8.self) else {
            throw .malformed(offset: offset, problem: "an entry's name is not UTF-8 text")
        }
        return name
    }

    /// The entry's method, once what this reader does not support is refused: encryption, other
    /// methods, ZIP64, several disks.
    private func check(_ header: CentralHeader, name: String) throws(ZipError) -> ZipEntry.Method {
        let fields = header.fields
        if fields.flags & (ZipFlag.encrypted | ZipFlag.strongEncryption) != 0 { throw .encrypted(entry: name) }
        guard let method = ZipEntry.Method(rawValue: fields.method) else {
            throw .unsupportedMethod(entry: name, method: fields.method)
        }
        if [fields.compressedSize, fields.uncompressedSize, header.localHeaderOffset].contains(Self.zip64Marker) {
            throw .zip64(entry: name)
        }
        if header.diskStart != 0 { throw .multiDisk }
        return method
    }

    /// The entry of `header`, once its local header is found where the central one says, under
    /// the same name, with its data ending before the central directory starts.
    private func entry(_ central: CentralEntry, directoryStart: Int64) throws(ZipError) -> ZipEntry {
        let name = central.name
        let offset = Int64(central.header.localHeaderOffset)
        let fields = central.header.fields
        guard offset + Int64(LocalHeader.size) <= directoryStart else {
            throw .malformed(
                offset: offset,
                problem: "\(name): its local header is not before the central directory (byte \(directoryStart))")
        }
        guard let local = LocalHeader(parsing: try source.read(at: offset, count: LocalHeader.size)) else {
            throw .malformed(offset: offset, problem: "\(name): no local header signature where the directory says")
        }
        let nameOffset = offset + Int64(LocalHeader.size)
        let dataOffset = nameOffset + Int64(local.fields.nameLength) + Int64(local.fields.extraLength)
        let dataEnd = dataOffset + Int64(fields.compressedSize)
        guard dataEnd <= directoryStart else {
            throw .malformed(
                offset: dataOffset,
                problem: "\(name): its data (bytes \(dataOffset)..<\(dataEnd)) runs into the central directory "
                    + "at byte \(directoryStart)")
        }
        guard try source.read(at: nameOffset, count: Int(local.fields.nameLength)) == central.nameBytes else {
            throw .malformed(offset: nameOffset, problem: "\(name): the local header gives another name")
        }
        return ZipEntry(
            name: name, method: central.method,
            compressedSize: Int64(fields.compressedSize), uncompressedSize: Int64(fields.uncompressedSize),
            crc32: fields.crc32, localHeaderOffset: offset, dataOffset: dataOffset)
    }

    /// Refuses entries whose local headers or data share bytes, the trick behind zip bombs that
    /// point many entries at one highly compressed stream.
    private func checkNoOverlap(_ entries: [ZipEntry]) throws(ZipError) {
        let ordered = entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        for (previous, next) in zip(ordered, ordered.dropFirst()) {
            let previousEnd = previous.dataOffset + previous.compressedSize
            if next.localHeaderOffset < previousEnd {
                throw .malformed(
                    offset: next.localHeaderOffset,
                    problem: "\(next.name): its local header lies inside \(previous.name) "
                        + "(bytes \(previous.localHeaderOffset)..<\(previousEnd))")
            }
        }
    }
}
