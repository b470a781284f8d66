import Foundation
import Glibc

/// A file whose name is not UTF-8 (a Latin-1 name from an old SFTP client, say): BulkDrop cannot
/// name it in its ledger, outbox or messages, so it is moved aside with an escaped name and a
/// reason, never left in the inbox unseen.
public struct UnreadableName: Equatable, Sendable {
    /// The folder it was found in.
    public var folder: String
    /// The tenant of that folder, when it is a known tenant's.
    public var tenant: String?
    /// The name's bytes as the file system has them.
    public var bytes: [UInt8]

    /// The name with every byte that is not part of valid, printable UTF-8 written as `\xNN`:
    /// `status-update_caf\xE9.csv`.
    public var escaped: String { Self.escape(bytes) }

    public init(folder: String, tenant: String?, bytes: [UInt8]) {
        self.folder = folder
        self.tenant = tenant
        self.bytes = bytes
    }

    /// `bytes` with invalid UTF-8 and control characters escaped as `\xNN`.
    static func escape(_ bytes: [UInt8]) -> String {
        var text = ""
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length =
                lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            if length > 0, index + length <= bytes.count, lead >= 0x20, lead != 0x7F,
                let scalar = String(validating: bytes[index..<index + length], as: UTF8.self)
            {
                text += scalar
                index += length
            } else {
                text += (lead < 0x10 ? "\\x0" : "\\x") + String(lead, radix: 16, uppercase: true)
                index += 1
            }
        }
        return text
    }

    /// Renames the file to `hidden` (a valid name in the same folder, which the scanner skips), so
    /// that the usual moves can take it from there.
    ///
    /// - Throws: `FileMoves.Failure` with the reason.
    func rename(to hidden: String) throws(FileMoves.Failure) {
        let source = (Array(folder.utf8) + [UInt8(ascii: "/")] + bytes).map { CChar(bitPattern: $0) } + [0]
        guard Glibc.rename(source, hidden) == 0 else {
            throw FileMoves.Failure(
                description: "cannot rename \(folder)/\(escaped): \(String(cString: strerror(errno)))")
        }
    }
}
