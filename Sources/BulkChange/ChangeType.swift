/// The six kinds of bulk change; a file holds exactly one, named by its slug as the file-name prefix
/// (`status-update_2026-11-26_fleet.csv`).
public enum ChangeType: String, CaseIterable, Codable, Sendable {
    case customerRatePlan = "customer-rate-plan"
    case carrierRatePlan = "carrier-rate-plan"
    case statusUpdate = "status-update"
    case editUsername = "edit-username"
    case changeICCIDOrIMEI = "change-iccid-imei"
    case archival = "archival"

    /// The slug used in file names, schemas and result files.
    public var slug: String { rawValue }

    /// The change type a file name starts with (`status-update_…`, `archival.csv`), matched
    /// case-insensitively; the longest slug wins.
    public init?(fileName: String) {
        let lowered = fileName.lowercased()
        let matches = Self.allCases.filter { type in
            guard lowered.hasPrefix(type.slug) else { return false }
            let rest = lowered.dropFirst(type.slug.count)
            return rest.isEmpty || rest.first.map { "_-. ".contains($0) } == true
        }
        guard let longest = matches.max(by: { $0.slug.count < $1.slug.count }) else { return nil }
        self = longest
    }
}
