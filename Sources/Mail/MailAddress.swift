/// A mailbox address such as `ops@example.com`: a plain RFC 5321 addr-spec, ASCII only.
///
/// Only the unquoted dot-atom form is accepted, so an address can go into a header or an SMTP
/// command as it is: no display names, comments, quoted local parts, angle brackets, spaces or
/// line breaks. A domain is dot-separated labels of letters, digits and hyphens, or an
/// address literal such as `[127.0.0.1]`.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address exactly as given, e.g. `ops@example.com`.
    public let address: String

    /// Validates `text` as an addr-spec; `nil` when it is not one.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count <= Self.maximumLength, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        guard Self.isDotAtom(bytes[..<at]), Self.isDomain(bytes[(at + 1)...]) else { return nil }
        address = text
    }

    /// The address, e.g. `ops@example.com`.
    public var description: String { address }

    /// RFC 5321's limit on a path (256 octets, less the two angle brackets).
    static let maximumLength = 254

    private static func isDotAtom(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        var previousWasDot = true  // a leading dot is refused like a doubled one
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if previousWasDot { return false }
                previousWasDot = true
            } else if isAtomText(byte) {
                previousWasDot = false
            } else {
                return false
            }
        }
        return !previousWasDot
    }

    private static func isDomain(_ bytes: ArraySlice<UInt8>) -> Bool {
        if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") {
            let inner = bytes.dropFirst().dropLast()
            return !inner.isEmpty
                && inner.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") }
        }
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        for label in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63, label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                label.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        return true
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// RFC 5322 `atext`: letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
    private static func isAtomText(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(byte)
    }
}
