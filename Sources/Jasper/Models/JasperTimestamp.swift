import CivilDate
import Foundation

/// Control Center's timestamps: `2016-06-29 00:21:33.339+0000` and `2016-06-29T00:21:33.339Z`
/// both appear in responses; both are read, and the second form is written.
///
/// Read and written by hand (`UTCTimestamp`): a device listing carries one per device, and a date
/// formatter costs far more than the rest of the listing.
public enum JasperTimestamp {
    /// Parses either form (fractional seconds and the offset optional, a day alone too); `nil` for
    /// anything else.
    public static func parse(_ text: String) -> Date? {
        UTCTimestamp.date(from: text, missingZone: .utc)
    }

    /// `2016-06-29T00:21:33.339Z`, in UTC.
    public static func format(_ date: Date) -> String {
        UTCTimestamp.text(date)
    }
}
