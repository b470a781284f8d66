/// The bytes of one record's fields, one after another, and where each field ends.
///
/// Grown in place and reused from record to record, so reading a file allocates only while
/// records keep getting bigger. A plain struct of pointers that `RecordStorage` keeps behind a
/// pointer and the parser takes `inout`, so the hot loop pays no class-property access checks.
/// `appendRun` stores whole 16-byte vectors, so the bytes past `byteCount` are scratch space.
@usableFromInline struct FieldBuffer {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var byteCapacity: Int
    private(set) var byteCount = 0
    private(set) var ends: UnsafeMutablePointer<Int>
    private var endCapacity: Int
    @usableFromInline private(set) var fieldCount = 0

    init(byteCapacity: Int = 256, fieldCapacity: Int = 16) {
        self.byteCapacity = max(byteCapacity, 16)
        self.endCapacity = max(fieldCapacity, 4)
        bytes = .allocate(capacity: self.byteCapacity)
        ends = .allocate(capacity: self.endCapacity)
    }

    func deallocate() {
        bytes.deallocate()
        ends.deallocate()
    }

    mutating func removeAll() {
        byteCount = 0
        fieldCount = 0
    }

    /// Appends field content; the current field is the bytes since the last `endField()`.
    @inline(__always)
    mutating func append(_ source: UnsafePointer<UInt8>, count: Int) {
        if byteCount + count > byteCapacity { growBytes(toHold: byteCount + count) }
        (bytes + byteCount).update(from: source, count: count)
        byteCount += count
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if byteCount == byteCapacity { growBytes(toHold: byteCount + 1) }
        bytes[byteCount] = byte
        byteCount += 1
    }

    @inline(__always)
    mutating func endField() {
        if fieldCount == endCapacity { growEnds() }
        ends[fieldCount] = byteCount
        fieldCount += 1
    }

    /// Appends `base[start..<end]` up to the first stop byte and returns that byte's index, or `end`.
    ///
    /// Copying and scanning are one pass: each 16-byte vector is stored whole past the field's
    /// end (the buffer keeps that much room) and only the bytes before the stop are counted.
    @inline(__always)
    mutating func appendRun(
        from base: UnsafePointer<UInt8>, _ start: Int, to end: Int, stoppingAt stops: ByteStops
    ) -> Int {
        var index = start
        var count = byteCount
        while index &+ 16 <= end {
            if byteCapacity &- count < 16 {
                byteCount = count
                growBytes(toHold: count &+ 16)
            }
            let vector = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD16<UInt8>.self)
            UnsafeMutableRawPointer(bytes + count).storeBytes(of: vector, as: SIMD16<UInt8>.self)
            let found = stops.firstIndex(in: vector)
            count &+= found
            index &+= found
            if found < 16 {
                byteCount = count
                return index
            }
        }
        while index < end {
            let byte = base[index]
            if stops.contains(byte) { break }
            if count == byteCapacity {
                byteCount = count
                growBytes(toHold: count &+ 1)
            }
            bytes[count] = byte
            count &+= 1
            index &+= 1
        }
        byteCount = count
        return index
    }

    /// The start and end (exclusive) of field `index` within `bytes`.
    @inline(__always)
    func range(ofField index: Int) -> Range<Int> {
        precondition(index >= 0 && index < fieldCount, "field index \(index) out of range 0..<\(fieldCount)")
        let start = index == 0 ? 0 : ends[index - 1]
        return start..<ends[index]
    }

    private mutating func growBytes(toHold needed: Int) {
        var capacity = byteCapacity * 2
        while capacity < needed { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = grown
        byteCapacity = capacity
    }

    private mutating func growEnds() {
        let capacity = endCapacity * 2
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        grown.update(from: ends, count: fieldCount)
        ends.deallocate()
        ends = grown
        endCapacity = capacity
    }
}

/// The owner of a `FieldBuffer`, which frees it.
///
/// The buffer sits behind a pointer rather than in a `var`: Swift checks exclusive access to a
/// class's `var` at run time on every use, which cost a quarter of the reading time. `CSVRecord`
/// holds the storage copy-on-write, so it is only written while a single record references it;
/// that is what makes the unchecked `Sendable` sound.
@usableFromInline final class RecordStorage: @unchecked Sendable {
    @usableFromInline let fields: UnsafeMutablePointer<FieldBuffer>

    init() {
        fields = .allocate(capacity: 1)
        fields.initialize(to: FieldBuffer())
    }

    deinit {
        fields.pointee.deallocate()
        fields.deinitialize(count: 1)
        fields.deallocate()
    }
}
