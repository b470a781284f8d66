extension FieldSpec {
    /// The column every change type starts with: the device the row is about.
    public static let iccid = FieldSpec(
        "iccid", kind: .iccid, required: true, aliases: ["ICCID", "SIM", "SIM Number", "ICCID Number"],
        summary: "The device's ICCID: 19 or 20 digits ending with a Luhn check digit. "
            + "The device must be in this tenant's inventory for the service provider.")

    /// The `effective_date` column, with what it means for one change type.
    public static func effectiveDate(_ summary: String) -> FieldSpec {
        FieldSpec("effective_date", kind: .date, aliases: ["Effective Date", "Effective"], summary: summary)
    }
}

/// The effective dates Control Center takes: from today to 180 days ahead.
enum ControlCenterDates {
    /// Days from today (UTC) an effective date may lie.
    static let daysAhead = 0...180
    /// What to write instead.
    static let hint = "Control Center takes effective dates from today to 180 days ahead; leave it empty for now"
}
