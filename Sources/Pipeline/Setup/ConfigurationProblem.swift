import Foundation

/// One thing wrong with a configuration: what, where (the path of the key, such as
/// `serviceProviders[0].callsPerSecond`; indexes are 0-based) and how to put it right.
///
/// A configuration is refused with every problem found, so one edit can fix them all.
public enum ConfigurationProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be read, or is not a JSON object.
    case unreadable(String)
    /// A key the configuration does not have; `suggestion` is the allowed key nearest to it, when
    /// one is close enough to be a typo, and `allowed` every key allowed there.
    case unknownKey(path: String, suggestion: String?, allowed: [String])
    /// A required key is absent.
    case missingKey(path: String)
    /// The value is of the wrong JSON type.
    case wrongType(path: String, detail: String)
    /// A number outside what works; `allowed` says what does (`1 or more`).
    case outOfRange(path: String, value: String, allowed: String)
    /// A value that is not one of those accepted, or not well formed; `expected` says what is.
    case invalidValue(path: String, value: String, expected: String)
    /// Keys that do not go together, or one that needs another; `fix` says what to do.
    case conflict(path: String, fix: String)
    /// A name that must be unique is used again.
    case duplicateName(path: String, name: String, firstPath: String)
    /// A secret the configuration names cannot be had (the reason says where it was looked for
    /// and how to fix it, never the secret).
    case secretUnavailable(String)

    /// One line, e.g. `unknown key "serviceProviders[0].callsPerSecnd"; did you mean "callsPerSecond"?`.
    public var description: String {
        switch self {
        case .unreadable(let reason): reason
        case .unknownKey(let path, let suggestion?, _): "unknown key \"\(path)\"; did you mean \"\(suggestion)\"?"
        case .unknownKey(let path, nil, let allowed):
            "unknown key \"\(path)\"; the keys allowed there are \(allowed.joined(separator: ", "))"
        case .missingKey(let path): "missing key \"\(path)\"; add it"
        case .wrongType(let path, let detail): "\(path): \(detail)"
        case .outOfRange(let path, let value, let allowed): "\(path) is \(value); allowed: \(allowed)"
        case .invalidValue(let path, let value, let expected): "\(path) is \(value); expected \(expected)"
        case .conflict(let path, let fix): "\(path): \(fix)"
        case .duplicateName(let path, let name, let firstPath):
            "\(path) is \"\(name)\", the name of \(firstPath) already; give each its own name"
        case .secretUnavailable(let reason): reason
        }
    }

    /// The problem a JSON decoding error stands for, with the path of the key it concerns.
    static func decoding(_ error: DecodingError) -> ConfigurationProblem {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce("") { path, key in
                key.intValue.map { ConfigurationPath.index($0, in: path) }
                    ?? ConfigurationPath.key(key.stringValue, in: path)
            }
        }
        switch error {
        case .keyNotFound(let key, let context): return .missingKey(path: path(context.codingPath + [key]))
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return .wrongType(path: path(context.codingPath), detail: context.debugDescription)
        case .dataCorrupted(let context):
            return .wrongType(path: path(context.codingPath), detail: context.debugDescription)
        @unknown default: return .unreadable("\(error)")
        }
    }
}

/// Paths of keys in the configuration: `fanOutWidth`, `serviceProviders[0].callsPerSecond`.
enum ConfigurationPath {
    /// `key` inside the object at `parent` (the top level when `parent` is empty).
    static func key(_ key: String, in parent: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    /// Element `index` (0-based) of the list at `parent`.
    static func index(_ index: Int, in parent: String) -> String {
        "\(parent)[\(index)]"
    }
}
