import BulkChange
import Foundation
import Glibc

/// A claimed file that changed after it was hashed: a writer that paused longer than the settle
/// time goes on writing into the file it had open, now in its claim folder.
///
/// Only the bytes hashed at the claim are ever read, so what was applied is known exactly. When a
/// CSV file only grew, the rows added are dropped into the inbox again as a file of their own
/// (`<stem>.continued-<ledger id>.csv`, with the header), and applied like any drop. Any other
/// change is reported: the new content is not applied, because some of it already was.
struct LateWrite: Sendable, Equatable {
    /// The bytes hashed at the claim, and the size found at the end.
    var claimedSize: Int64
    var size: Int64
    /// Whether the bytes hashed at the claim are still the file's first bytes.
    var onlyGrew: Bool
    /// The name the added rows were dropped under, when they were.
    var continuation: String?

    /// How the file changed, for summary.json and the email.
    func warning(name: String) -> String {
        let sizes =
            "\(name) changed after it was claimed: \(Wording.count(Int(claimedSize), "byte")) were read, "
            + "it has \(Wording.number(Int(size))) now (a writer was still at it)"
        if let continuation {
            return sizes
                + "; only the bytes read were applied, and what was added was dropped into the inbox as "
                + "\(continuation) with the header, to be applied as a file of its own"
        }
        return sizes
            + "; only the bytes read were applied, the new content was not; check it and drop what is "
            + "missing as a new file"
    }

    /// What became of the claimed file at `path`, hashed as `hash` over its first `claimedSize`
    /// bytes: `nil` when it is unchanged or gone.
    static func inspect(path: String, claimedSize: Int64, hash: String) -> LateWrite? {
        var status = stat()
        guard !hash.isEmpty, stat(path, &status) == 0 else { return nil }
        let size = Int64(status.st_size)
        guard size != claimedSize || (try? SHA256.hex(ofFile: path)) != hash else { return nil }
        let prefix = size > claimedSize ? try? SHA256.digest(ofFile: path, upTo: claimedSize) : nil
        return LateWrite(claimedSize: claimedSize, size: size, onlyGrew: prefix?.hex == hash, continuation: nil)
    }

    /// Writes the rows added to a grown CSV file at `path` into `folder` as a file of their own:
    /// the header line, then everything after the last whole line read at the claim (a line the
    /// claim cut is in both; in the first it was incomplete). The name written.
    static func dropContinuation(
        of path: String, name: String, claimedSize: Int64, ledgerID: Int64, into folder: String
    )
        throws(FileMoves.Failure) -> String
    {
        let stem = OutboxWriter.stem(of: name)
        var continuation = "\(stem).continued-\(ledgerID).csv"
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw FileMoves.Failure(description: "cannot open \(path) to copy the rows added to it")
        }
        defer { try? input.close() }
        do {
            let header = try headerLine(input)
            let start = max(Int64(header.count), try startOfCutLine(input, claimedSize: claimedSize))
            try input.seek(toOffset: UInt64(start))
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let temporary = "\(folder)/.\(continuation).part"
            _ = FileManager.default.createFile(atPath: temporary, contents: header)
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            try output.seekToEnd()
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try output.write(contentsOf: chunk) }
            try output.close()
            let moved = try FileMoves.move(temporary, to: "\(folder)/\(continuation)")
            continuation = URL(fileURLWithPath: moved).lastPathComponent
        } catch let failure as FileMoves.Failure {
            throw failure
        } catch {
            throw FileMoves.Failure(description: "cannot write \(folder)/\(continuation): \(error)")
        }
        return continuation
    }

    /// The file's first line with its line break (at most 1 MiB).
    private static func headerLine(_ input: FileHandle) throws -> Data {
        try input.seek(toOffset: 0)
        let head = try input.read(upToCount: 1 << 20) ?? Data()
        guard let end = head.firstIndex(of: 10) else { return head + Data([13, 10]) }
        return head[...end]
    }

    /// Where the rows added start: at `claimedSize` when the bytes read ended with a line break
    /// (or the added bytes start with one), else at the start of the line the claim cut.
    private static func startOfCutLine(_ input: FileHandle, claimedSize: Int64) throws -> Int64 {
        let window = min(claimedSize, 1 << 20)
        try input.seek(toOffset: UInt64(claimedSize - window))
        let tail = try input.read(upToCount: Int(window) + 1) ?? Data()
        let read = tail.prefix(Int(window))
        guard let last = read.last, last != 10, last != 13, tail.count > read.count, tail.last != 10, tail.last != 13
        else { return claimedSize }
        guard let lineBreak = read.lastIndex(where: { $0 == 10 || $0 == 13 }) else { return claimedSize - window }
        return claimedSize - window + Int64(read.distance(from: read.startIndex, to: lineBreak) + 1)
    }
}
