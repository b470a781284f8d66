/// A file attached to a `MailMessage`, sent base64-encoded so every byte arrives as it was.
public struct MailAttachment: Sendable, Equatable {
    /// The name the recipient sees, e.g. `fleet.results.csv`; any Unicode is fine.
    ///
    /// Line breaks are replaced with spaces when the message is rendered.
    public var fileName: String
    /// The MIME type, e.g. `text/csv`; anything that is not a plain `type/subtype` with optional
    /// parameters is sent as `application/octet-stream`.
    public var contentType: String
    /// The file's bytes.
    public var data: [UInt8]

    /// An attachment named `fileName` holding `data`.
    public init(fileName: String, contentType: String = "application/octet-stream", data: [UInt8]) {
        self.fileName = fileName
        self.contentType = contentType
        self.data = data
    }
}
