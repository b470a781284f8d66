import Glibc

/// A file written through a 64 KiB buffer, closed in `deinit` unless `close()` came first.
/// `overwrite` patches bytes already appended: in the buffer while they are there, else with
/// `pwrite`.
final class OutputFile {
    static let bufferSize = 64 << 10

    let path: String
    /// Bytes appended so far, written or buffered: the offset the next byte goes to.
    private(set) var size: Int64 = 0
    private var descriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: bufferSize)
    private var buffered = 0

    /// Creates the file at `path`, or empties the one there.
    init(path: String) throws(ZipError) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    func append(_ bytes: [UInt8]) throws(ZipError) {
        var rest = bytes[...]
        while !rest.isEmpty {
            try appendProduced { space in
                let count = min(space.count, rest.count)
                rest.withUnsafeBytes { space.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                rest = rest.dropFirst(count)
                return count
            }
        }
    }

    /// Lets `produce` write into the buffer's free space (never empty) and keeps as many bytes as
    /// it says it wrote, so deflate writes straight into the buffer.
    func appendProduced(_ produce: (UnsafeMutableRawBufferPointer) throws(ZipError) -> Int) throws(ZipError) {
        if buffered == buffer.count { try flush() }
        let count = try buffer.withUnsafeMutableBufferPointer { all throws(ZipError) in
            try produce(UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: all[buffered...])))
        }
        buffered += count
        size += Int64(count)
    }

    /// Replaces the bytes at `offset`, which were appended before, with `bytes`.
    func overwrite(_ bytes: [UInt8], at offset: Int64) throws(ZipError) {
        let bufferStart = size - Int64(buffered)
        if offset >= bufferStart {
            let start = Int(offset - bufferStart)
            buffer.replaceSubrange(start..<start + bytes.count, with: bytes)
        } else {
            try flush()
            try bytes.withUnsafeBufferPointer { bytes throws(ZipError) in
                try writeAll(UnsafeRawBufferPointer(bytes), at: offset)
            }
        }
    }

    /// Writes what is buffered.
    func flush() throws(ZipError) {
        try buffer.withUnsafeBufferPointer { all throws(ZipError) in
            try writeAll(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: all[..<buffered])), at: nil)
        }
        buffered = 0
    }

    /// Writes what is buffered and closes the file.
    func close() throws(ZipError) {
        try flush()
        let result = Glibc.close(descriptor)
        descriptor = -1
        guard result == 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Writes all of `bytes` at the file position, or at `offset` when given, going on after short
    /// writes and interruptions.
    private func writeAll(_ bytes: UnsafeRawBufferPointer, at offset: Int64?) throws(ZipError) {
        var done = 0
        while done < bytes.count {
            let start = bytes.baseAddress! + done
            let count =
                if let offset {
                    pwrite(descriptor, start, bytes.count - done, off_t(offset) + off_t(done))
                } else {
                    write(descriptor, start, bytes.count - done)
                }
            if count >= 0 {
                done += count
            } else if errno != EINTR {
                throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }
}
