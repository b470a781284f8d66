/// Small helpers for messages people read.
enum Wording {
    /// `1 day`, `3 days`.
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
