extension StoreConnection {
    /// The columns of a device that validation judges it by, read from the database row when they
    /// are asked for: no `DeviceRecord` is built, no timestamp parsed. Valid only inside the
    /// `deviceStates` call that hands it out.
    public struct DeviceStateColumns {
        fileprivate let row: Row

        public var iccid: String { row.text(0) }
        public var imei: String? { row.optionalText(1) }
        public var status: String? { row.optionalText(2) }
        public var carrierRatePlan: String? { row.optionalText(3) }
        public var communicationPlan: String? { row.optionalText(4) }
        public var customerRatePlan: String? { row.optionalText(5) }
        public var customerPool: String? { row.optionalText(6) }
        public var username: String? { row.optionalText(7) }
        public var isArchived: Bool { !row.isNull(8) }
    }

    /// `read` of each of the tenant's devices at the provider among `iccids`; other tenants' are
    /// left out. The cheap lookup of a large file's devices, a chunk of rows at a time.
    public func deviceStates<State>(
        tenantID: Int64, providerID: Int64, iccids: [String], _ read: (DeviceStateColumns) -> State
    ) throws(StoreError) -> [State] {
        var states: [State] = []
        states.reserveCapacity(iccids.count)
        try forEachDevice(tenantID: tenantID, providerID: providerID, iccids: iccids, select: Self.selectState) {
            row throws(StoreError) in states.append(read(DeviceStateColumns(row: row)))
        }
        return states
    }

    private static let selectState = """
        SELECT iccid, imei, status, carrier_rate_plan, communication_plan, customer_rate_plan, customer_pool,
            username, archived_at
        FROM device
        """
}
