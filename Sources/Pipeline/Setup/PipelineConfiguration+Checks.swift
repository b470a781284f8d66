extension PipelineConfiguration {
    /// Every value that cannot work, each with its path and what is allowed; empty when the
    /// configuration can be used. `load` and `Workspace.open` refuse a configuration with any.
    ///
    /// Counts and widths must be at least 1, rates more than 0 and waits not negative (and at
    /// most a day, so they fit the clocks that take them); provider names must be unique; tenant names
    /// must be safe as folder names.
    public func problems() -> [ConfigurationProblem] {
        typealias Check = ConfigurationCheck
        var problems: [ConfigurationProblem?] = [
            Check.notEmpty(stateDirectory, "stateDirectory", expected: "a folder"),
            Check.notEmpty(inbox, "inbox", expected: "a folder"),
            Check.notEmpty(outbox, "outbox", expected: "a folder"),
        ]
        for (index, tenant) in tenants.enumerated() {
            problems.append(Check.fileName(tenant, ConfigurationPath.index(index, in: "tenants"), of: "a tenant"))
        }
        var firstPath: [String: String] = [:]
        for (index, provider) in serviceProviders.enumerated() {
            let path = ConfigurationPath.index(index, in: "serviceProviders")
            problems += provider.problems(at: path).map { $0 }
            if let first = firstPath[provider.name] {
                problems.append(
                    .duplicateName(path: ConfigurationPath.key("name", in: path), name: provider.name, firstPath: first)
                )
            } else {
                firstPath[provider.name] = path
            }
        }
        problems += [
            Check.atLeast(1, fanOutWidth, "fanOutWidth"),
            Check.atLeast(1, verificationChecks, "verificationChecks"),
            Check.within(verificationIntervalSeconds, "verificationIntervalSeconds", maximum: Self.longestWait),
            Check.positive(requestTimeoutSeconds, "requestTimeoutSeconds", maximum: Self.longestWait),
            Check.atLeast(1, retryAttempts, "retryAttempts"),
            Check.within(retryBaseDelaySeconds, "retryBaseDelaySeconds", maximum: Self.longestWait),
            Check.positive(throttleRetrySeconds, "throttleRetrySeconds", maximum: Self.longestWait),
            Check.positive(confirmationWindowHours, "confirmationWindowHours", maximum: Self.longestWindowHours),
            Check.positive(leaseSeconds, "leaseSeconds", maximum: 3600),
            Check.atLeast(1, maxJSONFileMegabytes, "maxJSONFileMegabytes", maximum: Self.largestJSONMegabytes),
            Check.atLeast(0, inventorySyncMinutes, "inventorySyncMinutes", maximum: Self.longestSyncMinutes),
        ]
        return problems.compactMap { $0 } + notifications.problems(at: "notifications")
            + (database?.problems(at: "database") ?? []) + listenProblems()
    }

    /// The longest wait in seconds a configuration may ask for: a day.
    static let longestWait: Double = 86_400

    /// The largest JSON file a configuration may allow, in megabytes: 16 GB.
    static let largestJSONMegabytes = 16_384

    /// The longest time between two inventory syncs in minutes: a week.
    static let longestSyncMinutes = 10_080

    /// The longest confirmation window in hours: a week.
    static let longestWindowHours: Double = 168
}
