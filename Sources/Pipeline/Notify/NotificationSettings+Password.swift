import Foundation

extension NotificationSettings {
    /// Why the SMTP password the settings name cannot be had now; `nil` when it can, or when no
    /// mail server or no password is configured. Commands that send mail check it at start, so
    /// a password missing from their environment stops them before any work is done.
    public func unavailablePassword(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> ConfigurationProblem?
    {
        guard smtpURL != nil else { return nil }
        do {
            _ = try password(environment: environment)
            return nil
        } catch {
            return .secretUnavailable(error.description)
        }
    }

    /// The SMTP password from `passwordEnvironment` or `passwordFile` (trimmed of surrounding
    /// white space); `nil` when neither is configured.
    ///
    /// - Throws: `NotificationProblem.passwordUnavailable` when the variable is not set or empty,
    ///   or the file cannot be read or holds nothing. The message names the variable or file and
    ///   how to fix it, never the password.
    func password(environment: [String: String]) throws(NotificationProblem) -> String? {
        if let variable = passwordEnvironment {
            do {
                return try SecretVariable.value(
                    of: variable, key: "notifications.passwordEnvironment", secret: "SMTP password", in: environment)
            } catch {
                throw .passwordUnavailable(error.description)
            }
        }
        guard let path = passwordFile else { return nil }
        let data: Data
        do {
            data = try LocalFile.read(path)
        } catch {
            throw .passwordUnavailable(
                "the SMTP password file \(path) (notifications.passwordFile) cannot be read: \(error.reason); "
                    + "check the path and that bulkdrop may read it")
        }
        guard let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !text.isEmpty
        else {
            throw .passwordUnavailable(
                "the SMTP password file \(path) (notifications.passwordFile) is empty or not UTF-8 text; "
                    + "put the password in it")
        }
        return text
    }
}
