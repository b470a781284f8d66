/// The SIM statuses Control Center knows, and which of them an account may set.
public enum SIMStatus: String, Codable, Sendable, CaseIterable {
    case activated = "ACTIVATED"
    case activationReady = "ACTIVATION_READY"
    case deactivated = "DEACTIVATED"
    case inventory = "INVENTORY"
    case retired = "RETIRED"
    case testReady = "TEST_READY"
    case purged = "PURGED"
    case replaced = "REPLACED"

    /// Statuses an account (an API user) may set: TEST_READY is the operator's, PURGED and
    /// REPLACED are never set through the API.
    public var isSettableByAccount: Bool {
        switch self {
        case .activated, .activationReady, .deactivated, .inventory, .retired: true
        case .testReady, .purged, .replaced: false
        }
    }

    /// A status no change leaves: RETIRED, PURGED and REPLACED.
    public var isFinal: Bool {
        self == .retired || self == .purged || self == .replaced
    }

    /// Whether an account may move a SIM from this status to `target`.
    public func allowsTransition(to target: SIMStatus) -> Bool {
        target.isSettableByAccount && !isFinal
    }
}
