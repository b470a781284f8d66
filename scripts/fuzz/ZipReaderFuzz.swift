// libFuzzer target for the zip reader (Sources/Zip).
//
// Built by scripts/fuzz-zip.sh, which compiles this file together with every file of Sources/Zip
// into one module (so there is no `import Zip`, and internal API is visible), with the CZlib
// module map on the include path.
//
// Input: the archive's bytes, all of them, opened with ZipReader(bytes:) under small limits.
// Every entry is read to its end through its stream, in reads of 7, 61 or 1024 bytes (chosen by
// the input's length), and again with contents(of:).
//
// Invariants, each a trap (preconditionFailure) when broken; no crash, no hang and bounded
// memory are libFuzzer's own (-timeout, -rss_limit_mb):
//   (a) a read returns at most the bytes asked for;
//   (b) an entry read to its end has exactly its declared uncompressed size and CRC-32;
//   (c) once a stream has ended it stays ended, and once it has failed it throws the same error;
//   (d) contents(of:) gives the same bytes, or the same error, as the stream read in small steps.
//
// Set ZIP_FUZZ_VERBOSE=1 to print what each entry gave.

import Glibc

private let limits = ZipLimits(
    maxEntries: 1_000, maxEntryBytes: 4 << 20, maxTotalBytes: 16 << 20, maxCompressionRatio: 200)
private let steps = [7, 61, 1024]
private let invariant = FuzzInvariant(reader: "Zip")

/// The entry's bytes read `step` at a time, or the error that stopped them.
private func streamed(_ reader: ZipReader, _ entry: ZipEntry, step: Int) -> Result<[UInt8], ZipError> {
    let stream: ZipEntryStream
    do {
        stream = try reader.stream(entry)
    } catch {
        return .failure(error)
    }
    var bytes: [UInt8] = []
    do {
        while case let chunk = try stream.read(upTo: step), !chunk.isEmpty {
            // (a)
            if chunk.count > step { invariant.fail("\(entry.name): a read of \(step) gave \(chunk.count) bytes") }
            bytes += chunk
        }
    } catch {
        // (c) the failure is sticky.
        do {
            _ = try stream.read(upTo: step)
            invariant.fail("\(entry.name): no error on the read after \(error)")
        } catch let again {
            if again != error { invariant.fail("\(entry.name): \(again) on the read after \(error)") }
        }
        return .failure(error)
    }
    // (b) the declared size and CRC-32 hold.
    if Int64(bytes.count) != entry.uncompressedSize {
        invariant.fail("\(entry.name): \(bytes.count) bytes read, \(entry.uncompressedSize) declared")
    }
    let crc = bytes.withUnsafeBytes { CRC32.update(0, $0) }
    if crc != entry.crc32 { invariant.fail("\(entry.name): CRC-32 \(crc) read, \(entry.crc32) declared") }
    // (c) the end is sticky.
    do {
        if try !stream.read(upTo: step).isEmpty { invariant.fail("\(entry.name): bytes after the end") }
    } catch {
        invariant.fail("\(entry.name): \(error) after the end")
    }
    return .success(bytes)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let reader: ZipReader
    do {
        reader = try ZipReader(bytes: bytes, limits: limits)
    } catch {
        if invariant.verbose { fputs("refused: \(error)\n", stderr) }
        return 0
    }
    let step = steps[size % steps.count]
    for entry in reader.entries {
        let stream = streamed(reader, entry, step: step)
        let whole = Result { () throws(ZipError) in try reader.contents(of: entry) }
        if invariant.verbose { fputs("\(entry.name): \(stream.map(\.count))\n", stderr) }
        // (d)
        if stream != whole {
            invariant.fail("\(entry.name): read \(step) at a time gives \(stream), contents(of:) \(whole)")
        }
    }
    return 0
}
