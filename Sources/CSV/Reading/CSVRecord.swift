/// One record of a CSV file: its fields, and the line it starts on.
///
/// All fields live in one contiguous buffer; a field becomes a `String` only when asked for, so
/// a caller that checks a few columns pays for those columns only. `withUnsafeBytes(ofField:_:)`
/// reads a field's bytes without any copy. Records are values: keeping one while the reader goes
/// on gives that record its own copy (copy-on-write), never a record that changes underneath.
public struct CSVRecord: RandomAccessCollection, Equatable, Sendable, CustomStringConvertible {
    @usableFromInline var storage: RecordStorage
    /// 1-based line on which the record starts (0 for a record not read from text).
    public internal(set) var line: Int = 0

    /// An empty record, ready to be filled by `CSVReader.readRecord(into:)`.
    public init() {
        storage = RecordStorage()
    }

    /// A record holding `fields`, for writing and for tests.
    public init(_ fields: some Sequence<String>) {
        storage = RecordStorage()
        for field in fields {
            var field = field
            field.withUTF8 { utf8 in
                if let base = utf8.baseAddress { storage.fields.pointee.append(base, count: utf8.count) }
            }
            storage.fields.pointee.endField()
        }
    }

    // Inlinable, so a caller in another module counting fields (`record.count`) makes no call.
    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storage.fields.pointee.fieldCount }
    @inlinable public var count: Int { storage.fields.pointee.fieldCount }

    /// Field `index` decoded as UTF-8 (the reader has already turned every input into UTF-8).
    public subscript(index: Int) -> String {
        withUnsafeBytes(ofField: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of field `index`; the pointer is valid only inside `body`.
    public func withUnsafeBytes<Result>(
        ofField index: Int,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        let fields = storage.fields.pointee
        let range = fields.range(ofField: index)
        return try body(UnsafeBufferPointer(start: fields.bytes + range.lowerBound, count: range.count))
    }

    /// The bytes of field `index`, copied.
    public func bytes(ofField index: Int) -> [UInt8] {
        withUnsafeBytes(ofField: index) { Array($0) }
    }

    /// Empties the record for the reader, taking fresh storage when a copy still shares the old one.
    mutating func storageForReading() -> RecordStorage {
        if !isKnownUniquelyReferenced(&storage) { storage = RecordStorage() }
        storage.fields.pointee.removeAll()
        return storage
    }

    public static func == (lhs: CSVRecord, rhs: CSVRecord) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.indices.allSatisfy { index in
            lhs.withUnsafeBytes(ofField: index) { left in
                rhs.withUnsafeBytes(ofField: index) { right in left.elementsEqual(right) }
            }
        }
    }

    public var description: String { "\(Array(self))" }
}
