import Glibc

/// Buffered output to a file descriptor (standard output or error), written with `write(2)`.
///
/// `print` formats and locks per call; the `parse` command writes millions of small pieces, so
/// they are gathered here and written in large blocks.
final class FileOutput {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private static let flushThreshold = 64 * 1024

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.flushThreshold * 2)
    }

    func write(_ text: String) {
        buffer += text.utf8
        if buffer.count >= Self.flushThreshold { flush() }
    }

    func write(bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushThreshold { flush() }
    }

    func write(byte: UInt8) {
        buffer.append(byte)
    }

    /// Writes `text` at once with one `write(2)`, unbuffered: for progress lines from concurrent tasks.
    static func writeNow(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }

    /// Writes everything buffered; a closed pipe or full disk loses the output, which the exit status cannot fix.
    func flush() {
        buffer.withUnsafeBytes { bytes in
            var written = 0
            while written < bytes.count {
                let count = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                written += count
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
