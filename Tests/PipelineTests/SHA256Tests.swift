import Foundation
import Testing

@testable import Pipeline

/// The content hash that identifies a dropped file: FIPS 180-4's own examples, and a file read in
/// chunks gives the digest of its bytes whatever the chunk edges.
@Suite("SHA-256")
struct SHA256Tests {
    /// The NIST example messages (FIPS 180-4 and its "SHA-256 examples" document).
    static let vectors: [(message: String, digest: String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ]

    @Test func nistExampleMessages() {
        for (message, digest) in Self.vectors {
            #expect(SHA256.hex(of: Array(message.utf8)) == digest, "\"\(message)\"")
        }
    }

    @Test func oneMillionTimesA() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(of: message) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func updatesInAnySizesGiveTheWholeMessagesDigest() {
        let message = Array(Self.vectors[3].message.utf8)
        for size in [1, 3, 63, 64, 65, 100] {
            var whole = SHA256()
            message.withUnsafeBytes { whole.update($0) }
            var pieces = SHA256()
            for start in stride(from: 0, to: message.count, by: size) {
                message[start..<min(start + size, message.count)].withUnsafeBytes { pieces.update($0) }
            }
            #expect(pieces.finish() == whole.finish(), "updates of \(size) bytes")
        }
    }

    @Test func fileLargerThanOneChunkIsHashedAsItsBytes() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = (0..<(SHA256.chunkSize * 2 + 77)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try SHA256.hex(ofFile: path) == SHA256.hex(of: bytes))
    }

    @Test func unreadableFileSaysWhichAndWhy() {
        let error = #expect(throws: SHA256.FileError.self) { try SHA256.hex(ofFile: "/nonexistent/bulkdrop.csv") }
        #expect(
            error?.description
                == "cannot read /nonexistent/bulkdrop.csv to compute its SHA-256: No such file or directory")
    }
}
