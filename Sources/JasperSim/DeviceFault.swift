/// A fault on one device's calls (`/devices/{iccid}…`).
public struct DeviceFault: Sendable, Codable, Equatable {
    /// What goes wrong.
    public enum Kind: String, Sendable, Codable {
        /// 400 / 10000028, as when Control Center will not make this change.
        case refuse
        /// 500 / 30000001 on every try.
        case serverError
        /// Answers after `slowDelayMs`, to outlast a client's timeout.
        case slow
        /// Answers an edit with success but changes nothing ("accepted but not applied").
        case ignore
    }

    public var kind: Kind
    /// Only `PUT /devices/{iccid}` is affected; reads behave.
    public var editsOnly: Bool
    public var slowDelayMs: Int

    public init(_ kind: Kind, editsOnly: Bool = true, slowDelayMs: Int = 0) {
        self.kind = kind
        self.editsOnly = editsOnly
        self.slowDelayMs = slowDelayMs
    }
}
