/// Small helpers for messages people read.
public enum Wording {
    /// `1 day`, `3 days`, `1,200 rows`.
    public static func count(_ number: Int, _ noun: String) -> String {
        "\(Self.number(number)) \(noun)\(number == 1 ? "" : "s")"
    }

    /// `999`, `1,000`, `-12,345,678`: whole numbers with a comma between groups of three digits,
    /// whatever the machine's locale.
    public static func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }
}
