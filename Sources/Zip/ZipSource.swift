import Glibc

/// Where an archive's bytes come from: a file read with `pread`, or an array in memory.
enum ZipSource {
    case file(ReadOnlyFile)
    case memory([UInt8])

    /// The archive's size in bytes.
    var size: Int64 {
        switch self {
        case .file(let file): file.size
        case .memory(let bytes): Int64(bytes.count)
        }
    }

    /// Fills `buffer` with the bytes at `offset`.
    ///
    /// - Throws: `ZipError.cannotRead` when the bytes are not there, which the directory's checks
    ///   rule out unless the file shrank after it was opened.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ZipError) {
        switch self {
        case .file(let file):
            try file.read(at: offset, into: buffer)
        case .memory(let bytes):
            guard offset >= 0, offset <= Int64(bytes.count) - Int64(buffer.count) else {
                throw .cannotRead(path: "archive in memory", offset: offset, reason: "past the end of the bytes")
            }
            bytes.withUnsafeBytes { all in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[Int(offset)..<Int(offset) + buffer.count]))
            }
        }
    }

    /// The `count` bytes at `offset`.
    func read(at offset: Int64, count: Int) throws(ZipError) -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized throws(ZipError) in
            try read(at: offset, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }
}

/// A file open for reading, closed in `deinit`; reads go to an offset with `pread`, so readers of
/// several entries never share a file position.
final class ReadOnlyFile {
    let path: String
    let size: Int64
    private let descriptor: Int32

    init(path: String) throws(ZipError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var status = stat()
        let problem: String? =
            if fstat(descriptor, &status) != 0 {
                String(cString: strerror(errno))
            } else if status.st_mode & S_IFMT != S_IFREG {
                "not a regular file"
            } else {
                nil
            }
        if let problem {
            close(descriptor)
            throw .cannotOpen(path: path, reason: problem)
        }
        self.path = path
        self.size = Int64(status.st_size)
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Fills `buffer` with the bytes at `offset`, going on after short reads and interruptions.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ZipError) {
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if count > 0 {
                done += count
            } else if count == 0 {
                throw .cannotRead(path: path, offset: offset + Int64(done), reason: "the file ends there; it shrank")
            } else if errno != EINTR {
                throw .cannotRead(path: path, offset: offset + Int64(done), reason: String(cString: strerror(errno)))
            }
        }
    }
}
