import Foundation
import Glibc

/// Moving files between the inbox, the state directory and the outbox.
enum FileMoves {
    /// Why a move failed.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Renames `source` to `destination` (creating its folder), without replacing an existing
    /// file: a name already taken gets a numbered prefix. Returns the path used.
    ///
    /// A rename is atomic only within one file system; across file systems (`EXDEV`) the file is
    /// copied and then removed, which a reader of the destination may see half done.
    static func move(_ source: String, to destination: String) throws(Failure) -> String {
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create \(folder): \(error.localizedDescription)")
        }
        var target = destination
        var number = 1
        while FileManager.default.fileExists(atPath: target) {
            number += 1
            target = folder + "/\(number)-" + url.lastPathComponent
        }
        if rename(source, target) == 0 { return target }
        let reason = errno
        guard reason == EXDEV else {
            throw Failure(description: "cannot move \(source) to \(target): \(String(cString: strerror(reason)))")
        }
        do {
            try FileManager.default.copyItem(atPath: source, toPath: target)
            try FileManager.default.removeItem(atPath: source)
            return target
        } catch {
            throw Failure(description: "cannot move \(source) to \(target): \(error.localizedDescription)")
        }
    }

    /// Writes a short text file (a reason or a duplicate notice) whole, or not at all.
    static func writeNote(_ text: String, to path: String) throws(Failure) {
        do {
            try AtomicFile.write(Data(text.utf8), to: path)
        } catch {
            throw Failure(description: error.description)
        }
    }
}
