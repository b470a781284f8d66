/// The service's totals at one moment, across every worker sharing the store: what `/metrics` reports.
public struct ServiceCounts: Sendable, Equatable {
    /// A number for one combination of two labels (tenant and file status, change type and outcome…).
    public struct Count: Sendable, Equatable {
        public var first: String
        public var second: String
        public var count: Int

        public init(first: String, second: String, count: Int) {
            self.first = first
            self.second = second
            self.count = count
        }
    }

    /// Files of the ledger by tenant name and status (CLAIMED, DONE, DUPLICATE, REJECTED).
    public var filesByTenant: [Count]
    /// Rows by change type and outcome (the detail status: PROCESSED, FAILED…).
    public var rowsByChangeType: [Count]
    /// Rows whose accepted edit is still being confirmed.
    public var confirmationBacklog: Int
    /// Notifications by status (PENDING, SENT, DEAD).
    public var notifications: [String: Int]
    /// Unexpired leases by kind (`LeaseKind` raw values).
    public var leases: [String: Int]

    public init(
        filesByTenant: [Count], rowsByChangeType: [Count], confirmationBacklog: Int, notifications: [String: Int],
        leases: [String: Int]
    ) {
        self.filesByTenant = filesByTenant
        self.rowsByChangeType = rowsByChangeType
        self.confirmationBacklog = confirmationBacklog
        self.notifications = notifications
        self.leases = leases
    }
}
