// The three records of a zip archive this package reads and writes (PKWARE APPNOTE 6.3.10,
// sections 4.3.7, 4.3.12 and 4.3.16), each parsed from and serialized to little-endian bytes.
// Parsing takes bytes the caller has checked are long enough; the record's own signature is
// checked here.

/// The four bytes each record starts with: "PK" and two more.
enum ZipSignature {
    static let localHeader: UInt32 = 0x0403_4B50
    static let centralHeader: UInt32 = 0x0201_4B50
    static let endRecord: UInt32 = 0x0605_4B50
    static let zip64EndLocator: UInt32 = 0x0706_4B50
}

/// A general purpose flag (APPNOTE 4.4.4).
enum ZipFlag {
    /// Bit 0: the data is encrypted.
    static let encrypted: UInt16 = 1 << 0
    /// Bit 6: strong encryption, which also sets bit 0 in a well-formed header.
    static let strongEncryption: UInt16 = 1 << 6
    /// Bit 11: the name is UTF-8.
    static let utf8Name: UInt16 = 1 << 11
}

/// The fields a local header and a central directory header share, laid out alike in both: from
/// "version needed to extract" to "extra field length", 26 bytes.
struct EntryFields: Equatable {
    var versionNeeded: UInt16 = 20
    var flags: UInt16 = 0
    var method: UInt16 = 0
    var time: UInt16 = 0
    var date: UInt16 = 0
    var crc32: UInt32 = 0
    var compressedSize: UInt32 = 0
    var uncompressedSize: UInt32 = 0
    var nameLength: UInt16 = 0
    var extraLength: UInt16 = 0

    /// Where the CRC-32 starts, counted from the start of these fields; the two sizes follow it.
    static let crc32Offset = 10

    init() {}

    init(_ bytes: [UInt8], at start: Int) {
        versionNeeded = bytes.uint16(at: start)
        flags = bytes.uint16(at: start + 2)
        method = bytes.uint16(at: start + 4)
        time = bytes.uint16(at: start + 6)
        date = bytes.uint16(at: start + 8)
        crc32 = bytes.uint32(at: start + 10)
        compressedSize = bytes.uint32(at: start + 14)
        uncompressedSize = bytes.uint32(at: start + 18)
        nameLength = bytes.uint16(at: start + 22)
        extraLength = bytes.uint16(at: start + 24)
    }

    func append(to bytes: inout [UInt8]) {
        for value in [versionNeeded, flags, method, time, date] { bytes.appendLittleEndian(value) }
        bytes.append(contentsOf: crcAndSizes)
        bytes.appendLittleEndian(nameLength)
        bytes.appendLittleEndian(extraLength)
    }

    /// The CRC-32 and the two sizes, 12 bytes, as the writer patches them into a local header.
    var crcAndSizes: [UInt8] {
        var bytes: [UInt8] = []
        for value in [crc32, compressedSize, uncompressedSize] { bytes.appendLittleEndian(value) }
        return bytes
    }
}

/// The header in front of each entry's data.
struct LocalHeader {
    static let size = 30
    /// Where `EntryFields` start inside the header.
    static let fieldsOffset = 4

    var fields: EntryFields

    init(fields: EntryFields) { self.fields = fields }

    /// `nil` when `bytes` (at least `size` long) do not start with the local header signature.
    init?(parsing bytes: [UInt8]) {
        guard bytes.uint32(at: 0) == ZipSignature.localHeader else { return nil }
        fields = EntryFields(bytes, at: Self.fieldsOffset)
    }

    func bytes(name: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendLittleEndian(ZipSignature.localHeader)
        fields.append(to: &bytes)
        return bytes + name
    }
}

/// One entry's record in the central directory.
struct CentralHeader {
    static let size = 46
    /// Made by: Unix (3) in the high byte, so readers apply the permission bits; spec 2.0.
    static let versionMadeBy: UInt16 = 3 << 8 | 20
    /// A regular file, rw-r--r--, in the high half as Unix tools expect it.
    static let regularFileAttributes: UInt32 = 0o100644 << 16

    var fields: EntryFields
    var commentLength: UInt16 = 0
    var diskStart: UInt16 = 0
    var externalAttributes: UInt32 = regularFileAttributes
    var localHeaderOffset: UInt32 = 0

    init(fields: EntryFields, localHeaderOffset: UInt32) {
        self.fields = fields
        self.localHeaderOffset = localHeaderOffset
    }

    /// `nil` when the `size` bytes at `start` do not start with the central header signature.
    init?(parsing bytes: [UInt8], at start: Int) {
        guard bytes.uint32(at: start) == ZipSignature.centralHeader else { return nil }
        fields = EntryFields(bytes, at: start + 6)
        commentLength = bytes.uint16(at: start + 32)
        diskStart = bytes.uint16(at: start + 34)
        externalAttributes = bytes.uint32(at: start + 38)
        localHeaderOffset = bytes.uint32(at: start + 42)
    }

    /// Bytes from this header's start to the next one's.
    var recordSize: Int {
        Self.size + Int(fields.nameLength) + Int(fields.extraLength) + Int(commentLength)
    }

    func append(to bytes: inout [UInt8], name: [UInt8]) {
        bytes.appendLittleEndian(ZipSignature.centralHeader)
        bytes.appendLittleEndian(Self.versionMadeBy)
        fields.append(to: &bytes)
        for value in [commentLength, diskStart, 0] { bytes.appendLittleEndian(value) }
        bytes.appendLittleEndian(externalAttributes)
        bytes.appendLittleEndian(localHeaderOffset)
        bytes.append(contentsOf: name)
    }
}

/// The end of central directory record, the last record in the file save for its comment.
struct EndRecord {
    static let size = 22
    /// The ZIP64 end of central directory locator, found just in front of this record when the
    /// archive uses ZIP64.
    static let zip64LocatorSize = 20
    /// The longest comment the record's 16-bit length allows.
    static let maxCommentLength = 0xFFFF

    var disk: UInt16 = 0
    var directoryDisk: UInt16 = 0
    var entriesOnDisk: UInt16 = 0
    var entryCount: UInt16 = 0
    var directorySize: UInt32 = 0
    var directoryOffset: UInt32 = 0
    var commentLength: UInt16 = 0

    init(entryCount: UInt16, directorySize: UInt32, directoryOffset: UInt32) {
        entriesOnDisk = entryCount
        self.entryCount = entryCount
        self.directorySize = directorySize
        self.directoryOffset = directoryOffset
    }

    /// `nil` when the `size` bytes at `start` do not start with the end record signature.
    init?(parsing bytes: [UInt8], at start: Int) {
        guard bytes.uint32(at: start) == ZipSignature.endRecord else { return nil }
        disk = bytes.uint16(at: start + 4)
        directoryDisk = bytes.uint16(at: start + 6)
        entriesOnDisk = bytes.uint16(at: start + 8)
        entryCount = bytes.uint16(at: start + 10)
        directorySize = bytes.uint32(at: start + 12)
        directoryOffset = bytes.uint32(at: start + 16)
        commentLength = bytes.uint16(at: start + 20)
    }

    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendLittleEndian(ZipSignature.endRecord)
        for value in [disk, directoryDisk, entriesOnDisk, entryCount] { bytes.appendLittleEndian(value) }
        bytes.appendLittleEndian(directorySize)
        bytes.appendLittleEndian(directoryOffset)
        bytes.appendLittleEndian(commentLength)
        return bytes
    }
}

extension [UInt8] {
    /// The little-endian `UInt16` at `offset`; the caller checked the bounds.
    func uint16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    /// The little-endian `UInt32` at `offset`; the caller checked the bounds.
    func uint32(at offset: Int) -> UInt32 {
        UInt32(uint16(at: offset)) | UInt32(uint16(at: offset + 2)) << 16
    }

    mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        for shift in stride(from: 0, to: Value.bitWidth, by: 8) { append(UInt8(truncatingIfNeeded: value >> shift)) }
    }
}
