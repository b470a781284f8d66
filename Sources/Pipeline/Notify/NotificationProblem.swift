/// Why a spooled notification cannot become an email with the settings in force. Waiting does not
/// cure any of them, so the notification is given up at once instead of being retried.
enum NotificationProblem: Error, Equatable, CustomStringConvertible {
    /// `notifications.from` is not an email address.
    case badAddress(String)
    /// None of the notification's recipients is an email address (its key is given).
    case noRecipients(String)
    /// The SMTP password the settings name cannot be had: the reason says where it was looked
    /// for, never what it is.
    case passwordUnavailable(String)

    var description: String {
        switch self {
        case .badAddress(let text): "the sender address \"\(text)\" is not an email address; fix notifications.from"
        case .noRecipients(let key): "notification \(key) has no valid recipient; check notifications.tenantContacts"
        case .passwordUnavailable(let reason): reason
        }
    }
}
