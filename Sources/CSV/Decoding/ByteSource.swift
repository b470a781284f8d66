import Glibc

/// Where a reader's raw bytes come from: a file, or bytes in memory.
public protocol ByteSource {
    /// Fills the start of `buffer` and returns how many bytes were written; 0 means the end.
    /// A source reports its failures as `CSVError.unreadable`, naming what it reads.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int
}

/// Bytes already in memory, handed out at most `chunkSize` at a time.
///
/// Small chunk sizes make every buffer boundary of the reader happen somewhere in the input,
/// which is how the tests exercise them.
public struct MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private var position = 0

    public init(_ bytes: [UInt8], chunkSize: Int = .max) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        self.bytes = bytes
        self.chunkSize = chunkSize
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        let count = min(buffer.count, chunkSize, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<position + count]))
        }
        position += count
        return count
    }
}

/// A file opened read-only, read with large `read(2)` calls and closed when no longer referenced.
public final class FileByteSource: ByteSource {
    private let descriptor: Int32
    private let path: String

    /// - Throws: `CSVError.unreadable` when the file cannot be opened.
    public init(path: String) throws(CSVError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CSVError.unreadable(path: path, reason: Self.errorText()) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw CSVError.unreadable(path: path, reason: "it is a directory")
        }
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        while true {
            let count = Glibc.read(descriptor, base, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw CSVError.unreadable(path: path, reason: Self.errorText()) }
        }
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
