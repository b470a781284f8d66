import Glibc

/// Where a reader's raw bytes come from: a file, or bytes in memory.
public protocol ByteSource {
    /// Fills the start of `buffer` and returns how many bytes were written; 0 means the end.
    /// A source reports its failures as `CSVError.unreadable`, naming what it reads.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int
}

/// A byte source that can go back (or forward) to an offset, for readers that make a second
/// pass over a file, such as the JSON bulk-change reader.
public protocol SeekableByteSource: ByteSource {
    /// Moves to `offset` bytes from the start (0-based); the next `read` starts there.
    mutating func seek(toOffset offset: Int) throws(CSVError)
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

extension MemoryByteSource: SeekableByteSource {
    /// Moves to `offset`, or to the end when `offset` is past it.
    public mutating func seek(toOffset offset: Int) throws(CSVError) {
        position = min(max(offset, 0), bytes.count)
    }
}

/// A file opened read-only, read with large `read(2)` calls and closed when no longer referenced.
///
/// With a `length`, reading stops after that many bytes, even if the file has grown since: a
/// claimed file is read as far as it was hashed, whatever a late writer adds.
public final class FileByteSource: SeekableByteSource {
    private let descriptor: Int32
    private let path: String
    private let length: Int?
    private var position = 0

    /// - Throws: `CSVError.unreadable` when the file cannot be opened.
    public init(path: String, length: Int? = nil) throws(CSVError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CSVError.unreadable(path: path, reason: Self.errorText()) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw CSVError.unreadable(path: path, reason: "it is a directory")
        }
        self.descriptor = descriptor
        self.path = path
        self.length = length
    }

    deinit {
        close(descriptor)
    }

    /// The bytes that will be read: the file's size as the file system has it now, at most `length`.
    ///
    /// - Throws: `CSVError.unreadable` when it cannot be asked.
    public func byteCount() throws(CSVError) -> Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw CSVError.unreadable(path: path, reason: Self.errorText()) }
        return min(Int(status.st_size), length ?? .max)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        let wanted = min(buffer.count, (length ?? .max) - position)
        guard let base = buffer.baseAddress, wanted > 0 else { return 0 }
        while true {
            let count = Glibc.read(descriptor, base, wanted)
            if count >= 0 {
                position += count
                return count
            }
            if errno != EINTR { throw CSVError.unreadable(path: path, reason: Self.errorText()) }
        }
    }

    /// Moves the file offset to `offset` (`lseek(2)`).
    public func seek(toOffset offset: Int) throws(CSVError) {
        guard lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else {
            throw CSVError.unreadable(path: path, reason: Self.errorText())
        }
        position = offset
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
