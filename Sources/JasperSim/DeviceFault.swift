/// A fault on one device's calls (`/devices/{iccid}…`).
///
/// As JSON: `{"kind": "lateAnswer", "delayMs": 5000}`; `editsOnly` defaults to `true` and
/// `delayMs` to 0 (`slowDelayMs` is read as `delayMs`), and an unknown key is refused.
public struct DeviceFault: Sendable, Codable, Equatable {
    /// What goes wrong.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// 400 / 10000028, as when Control Center will not make this change.
        case refuse
        /// 500 / 30000001 on every try.
        case serverError
        /// Waits `delayMs` before handling the call, to outlast a client's timeout; an edit is
        /// applied only after the wait.
        case slow
        /// Answers an edit with success but changes nothing ("accepted but not applied").
        case ignore
        /// Handles the call at once — an edit is applied, with its audit entries and `dateUpdated` —
        /// and answers only `delayMs` later: "applied, but the answer came after the timeout".
        /// With `editsOnly` false, reads of the device are answered late too.
        case lateAnswer
        /// Answers a valid edit 202 and applies it `delayMs` later on the simulator's clock
        /// (`applyDue`); until then it is a pending change (`scheduledChangesByDevice`). An edit
        /// with a future effective date is held until that date instead, answered 200.
        case applyLater
    }

    public var kind: Kind
    /// Only `PUT /devices/{iccid}` is affected; reads behave. (`ignore` and `applyLater` concern
    /// edits whatever this says.)
    public var editsOnly: Bool
    /// The wait of `slow` and `lateAnswer`, and the delay before an `applyLater` edit lands.
    public var delayMs: Int

    /// The wait of `slow` (the same value as `delayMs`, under the name it had first).
    public var slowDelayMs: Int {
        get { delayMs }
        set { delayMs = newValue }
    }

    public init(_ kind: Kind, editsOnly: Bool = true, delayMs: Int = 0) {
        self.kind = kind
        self.editsOnly = editsOnly
        self.delayMs = delayMs
    }

    /// The first form of the initializer, for a `slow` fault: `slowDelayMs` is `delayMs`.
    public init(_ kind: Kind, editsOnly: Bool = true, slowDelayMs: Int) {
        self.init(kind, editsOnly: editsOnly, delayMs: slowDelayMs)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, editsOnly, delayMs, slowDelayMs
    }

    public init(from decoder: any Decoder) throws {
        try FaultKey.refuseUnknownKeys(in: decoder, known: CodingKeys.self, what: "device fault")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        editsOnly = try container.decodeIfPresent(Bool.self, forKey: .editsOnly) ?? true
        delayMs =
            try container.decodeIfPresent(Int.self, forKey: .delayMs)
            ?? container.decodeIfPresent(Int.self, forKey: .slowDelayMs) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(editsOnly, forKey: .editsOnly)
        try container.encode(delayMs, forKey: .delayMs)
    }
}
