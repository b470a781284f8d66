import Glibc

/// Writes CSV records to a file through a `CSVWriter`, in large writes.
///
/// The file is created (or truncated) when the writer opens and is complete only after `close()`.
public final class CSVFileWriter {
    private var writer: CSVWriter
    private var descriptor: Int32
    private let path: String
    private static let flushThreshold = 64 * 1024

    /// - Throws: `CSVError.unwritable` naming the file when it cannot be created.
    public init(path: String, options: CSVWriter.Options = CSVWriter.Options()) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CSVError.unwritable(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
        writer = CSVWriter(options: options)
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Appends a record of text cells.
    public func write(_ fields: some Sequence<String>) throws {
        writer.write(fields)
        if writer.bytes.count >= Self.flushThreshold { try flush() }
    }

    /// Appends a record of cells.
    public func write(cells: [CSVCell]) throws {
        writer.write(cells: cells)
        if writer.bytes.count >= Self.flushThreshold { try flush() }
    }

    /// Writes what is buffered and closes the file.
    public func close() throws {
        try flush()
        let result = Glibc.close(descriptor)
        descriptor = -1
        if result != 0 { throw CSVError.unwritable(path: path, reason: String(cString: strerror(errno))) }
    }

    private func flush() throws {
        let bytes = writer.takeBytes()
        try bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { throw CSVError.unwritable(path: path, reason: String(cString: strerror(errno))) }
                written += count
            }
        }
    }
}
