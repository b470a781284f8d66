/// A tenant's own rate plan, which BulkDrop assigns to devices without calling the carrier.
public struct CustomerRatePlanRecord: Sendable, Equatable {
    /// Unique per tenant; what a bulk change file names.
    public var code: String
    public var name: String
    /// The data allocation that comes with the plan, when it has one.
    public var dataAllocationMB: Double?

    /// A customer rate plan.
    public init(code: String, name: String, dataAllocationMB: Double? = nil) {
        self.code = code
        self.name = name
        self.dataAllocationMB = dataAllocationMB
    }
}

/// A tenant's data pool that devices can be put into.
public struct CustomerPoolRecord: Sendable, Equatable {
    /// Unique per tenant; what a bulk change file names.
    public var code: String
    public var name: String

    /// A customer pool.
    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}
