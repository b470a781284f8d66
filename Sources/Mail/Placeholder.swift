/// Placeholder until the mail target lands.
enum MailPlaceholder {}
