extension SIMStatus {
    /// The status a person wrote: `ACTIVATED`, `Activated`, `activation ready`, `Activation-Ready`.
    ///
    /// Case is ignored, and runs of spaces, hyphens and underscores all mean one underscore.
    public init?(name: String) {
        // Most files write the canonical name already.
        if let exact = SIMStatus(rawValue: name) {
            self = exact
            return
        }
        let words = name.uppercased().split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" })
        self.init(rawValue: words.joined(separator: "_"))
    }
}
