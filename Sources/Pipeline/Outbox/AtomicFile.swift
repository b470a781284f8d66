import Foundation
import Synchronization

/// Writes a file under a temporary name in the same folder and renames it into place, so a
/// reader sees either no file or the whole file, never half of one.
enum AtomicFile {
    /// Writes `produce`'s output to `path` atomically; `produce` writes to the temporary path it is given.
    static func write(to path: String, _ produce: (String) throws -> Void) throws(OutboxError) {
        let temporary = try temporaryPath(for: path)
        do {
            try produce(temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .unwritable(path: path, reason: "\(error)")
        }
        try commit(temporary, to: path)
    }

    /// A temporary name beside `path` (its folder is created), unique per process and per write,
    /// so concurrent writers of one path never share a temporary file.
    static func temporaryPath(for path: String) throws(OutboxError) -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: path, reason: "\(error)")
        }
        return folder + "/." + url.lastPathComponent + ".\(getpid())-\(nextNumber()).tmp"
    }

    /// Renames the finished `temporary` file into place at `path`.
    static func commit(_ temporary: String, to path: String) throws(OutboxError) {
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw .unwritable(path: path, reason: reason)
        }
    }

    private static let counter = Atomic<Int>(0)

    private static func nextNumber() -> Int {
        counter.add(1, ordering: .relaxed).newValue
    }

    /// Writes `bytes` to `path` atomically.
    static func write(_ bytes: Data, to path: String) throws(OutboxError) {
        try write(to: path) { temporary in try bytes.write(to: URL(fileURLWithPath: temporary)) }
    }
}

/// An outbox file that could not be written.
public enum OutboxError: Error, CustomStringConvertible, Equatable {
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unwritable(let path, let reason):
            "cannot write \(path): \(reason); check that the outbox folder exists and is writable"
        }
    }
}
