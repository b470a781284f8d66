import Foundation

/// A file in `<state>/processing/<tenant>/<claim>/`, found at start.
struct ProcessingFile: Sendable, Equatable {
    var tenant: String
    var path: String
    var name: String
    var size: Int64
}

/// Lists what lies in the processing folder, so that a file moved there by a run killed before it
/// recorded the claim is found again at the next start instead of being lost.
enum OrphanClaims {
    /// The regular files of known tenants' claim folders, in name order; anything that cannot
    /// be read is reported in `problems` rather than skipped quietly.
    static func scan(processing root: String, tenants: [String]) -> (files: [ProcessingFile], problems: [String]) {
        var files: [ProcessingFile] = []
        var problems: [String] = []
        let manager = FileManager.default
        for tenant in tenants {
            let tenantFolder = "\(root)/\(tenant)"
            guard manager.fileExists(atPath: tenantFolder) else { continue }
            let claims: [String]
            do {
                claims = try manager.contentsOfDirectory(atPath: tenantFolder).sorted()
            } catch {
                problems.append("cannot list \(tenantFolder): \(error.localizedDescription)")
                continue
            }
            for claim in claims {
                let folder = "\(tenantFolder)/\(claim)"
                do {
                    guard try manager.attributesOfItem(atPath: folder)[.type] as? FileAttributeType == .typeDirectory
                    else { continue }
                    for name in try manager.contentsOfDirectory(atPath: folder).sorted() {
                        let path = "\(folder)/\(name)"
                        let attributes = try manager.attributesOfItem(atPath: path)
                        guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
                        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
                        files.append(ProcessingFile(tenant: tenant, path: path, name: name, size: size))
                    }
                } catch {
                    problems.append("cannot read \(folder): \(error.localizedDescription)")
                }
            }
        }
        return (files, problems)
    }
}
