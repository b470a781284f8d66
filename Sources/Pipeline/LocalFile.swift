import Foundation
import Glibc

/// Reads a small local file (an errors CSV to attach, a password file) and, when it cannot, says
/// why in the operating system's words (`No such file or directory`, `Permission denied`, `Is a
/// directory`), which Foundation's errors on Linux leave out.
enum LocalFile {
    /// The whole file.
    ///
    /// - Throws: `LocalFileError` naming the path and the reason.
    static func read(_ path: String) throws(LocalFileError) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw LocalFileError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LocalFileError(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[..<count])
        }
    }
}

/// A local file that could not be read.
struct LocalFileError: Error, Equatable, CustomStringConvertible {
    let path: String
    /// The operating system's reason, e.g. `No such file or directory`.
    let reason: String

    var description: String { "cannot read \(path): \(reason)" }
}
