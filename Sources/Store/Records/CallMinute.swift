/// A worker's Control Center calls to one provider in one minute.
public struct CallMinute: Sendable, Equatable {
    public var provider: String
    /// Minutes since 1970, UTC.
    public var minute: Int64
    public var calls: Int

    public init(provider: String, minute: Int64, calls: Int) {
        self.provider = provider
        self.minute = minute
        self.calls = calls
    }
}
