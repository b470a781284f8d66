/// A secret the configuration names by environment variable (a database password, the listener's
/// token), read when the process starts.
enum SecretVariable {
    /// The value of `variable`.
    ///
    /// - Parameters:
    ///   - key: the configuration key naming the variable, such as `database.passwordEnvironment`.
    ///   - secret: what the variable holds, for the message: `database password`.
    /// - Throws: `ConfigurationProblem.secretUnavailable` when it is not set or empty.
    static func value(of variable: String, key: String, secret: String, in environment: [String: String])
        throws(ConfigurationProblem) -> String
    {
        guard let value = environment[variable], !value.isEmpty else {
            throw .secretUnavailable(
                "the \(secret) variable \(variable) (\(key)) is not set or empty; export it before starting bulkdrop")
        }
        return value
    }
}
