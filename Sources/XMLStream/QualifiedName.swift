/// An element or attribute name as events report it, split at its colon.
struct QualifiedName {
    let local: String
    let prefix: String?
    /// The bytes as written, when there are at most 16 of them.
    let packed: PackedName?

    /// `prefix:local` as written.
    var written: String { prefix.map { "\($0):\(local)" } ?? local }

    /// Whether `bytes` are this name as written, as the name of an end tag must be.
    func isWritten(as bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let packed { return PackedName(bytes) == packed }
        return bytes.elementsEqual(written.utf8)
    }
}

/// The bytes of a name of at most 16 bytes in two words, compared in two instructions.
struct PackedName: Equatable {
    private let low: UInt64
    private let high: UInt64
    private let count: Int

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 16 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
        low = words.0
        high = words.1
        count = bytes.count
    }
}

extension QualifiedName {
    /// The name spelled by `bytes`, which start at `start`.
    ///
    /// - Throws: `malformedName` when `bytes` have an empty prefix or local part, or more than
    ///   one colon.
    init(_ bytes: UnsafeBufferPointer<UInt8>, start: XMLPosition) throws(XMLError) {
        let packed = PackedName(bytes)
        guard let colon = bytes.firstIndex(of: .colon) else {
            self.init(local: String(decoding: bytes, as: UTF8.self), prefix: nil, packed: packed)
            return
        }
        let local = UnsafeBufferPointer(rebasing: bytes[(colon + 1)...])
        guard colon > 0, let first = local.first, first.isNameStartByte, !local.contains(.colon) else {
            throw .malformedName(String(decoding: bytes, as: UTF8.self), at: start)
        }
        self.init(
            local: String(decoding: local, as: UTF8.self), prefix: String(decoding: bytes[..<colon], as: UTF8.self),
            packed: packed)
    }
}
