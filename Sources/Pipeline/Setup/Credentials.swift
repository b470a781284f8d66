import Foundation
import Store

/// Finds a provider's API key where its record says it is: an environment variable, a file, or
/// the built-in simulator the command layer started. The key itself is never stored or logged.
enum Credentials {
    static func apiKey(for provider: ServiceProviderRecord, builtIn: BuiltInControlCenter?) throws(PreflightFailure)
        -> String
    {
        switch provider.apiKeySource {
        case .environment(let variable):
            guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
                throw .noCredentials(
                    "the API key of \(provider.name) is not set: export \(variable) before starting bulkdrop")
            }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path),
                let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
                !text.isEmpty
            else {
                throw .noCredentials("the API key file of \(provider.name) (\(path)) cannot be read or is empty")
            }
            return text
        case .builtInSimulator:
            guard let builtIn else {
                throw .noCredentials("\(provider.name) uses the built-in simulator, which is not running")
            }
            return builtIn.apiKey
        }
    }
}

/// Why a file cannot be applied at all: every row is FAILED with this reason and no device is touched.
enum PreflightFailure: Error, CustomStringConvertible {
    case noCredentials(String)
    case writesDisabled(provider: String)

    var description: String {
        switch self {
        case .noCredentials(let reason): reason
        case .writesDisabled(let provider):
            "writes are disabled for service provider \(provider); enable them in the configuration "
                + "(writesEnabled) and drop the file again"
        }
    }
}
