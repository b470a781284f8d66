import Foundation

/// Looks for an API key in every file under a folder, nested folders included, in each form it
/// could leak in: the key itself, `user:key`, and the base64 of `user:key` that an HTTP Basic
/// Authorization header carries.
public struct SecretScan {
    public let forms: [String]

    public init(username: String, apiKey: String) {
        let pair = "\(username):\(apiKey)"
        forms = [apiKey, pair, Data(pair.utf8).base64EncodedString()]
    }

    /// `file: form` for each file under `folder` that holds one of the forms; files are read
    /// whole, as bytes, whatever their type (a SQLite database, a WAL file, a CSV, a log).
    ///
    /// - Throws: when the folder or a file in it cannot be read: a scan that saw nothing proves nothing.
    public func leaks(under folder: String) throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: folder])
        }
        var found: [String] = []
        for relative in try FileManager.default.subpathsOfDirectory(atPath: folder) {
            let path = folder + "/" + relative
            guard try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType == .typeRegular
            else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            for form in forms where bytes.range(of: Data(form.utf8)) != nil { found.append("\(relative): \(form)") }
        }
        return found
    }

    /// `name: form` for each form `text` holds (a database dump, a log).
    public func leaks(in text: String, named name: String) -> [String] {
        forms.filter { text.contains($0) }.map { "\(name): \($0)" }
    }
}
