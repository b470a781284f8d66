/// Where a relationship's target lives in the archive: targets are relative to the folder of the
/// part that names them (`worksheets/sheet1.xml` from `xl/workbook.xml`), or absolute from the
/// archive's root (`/xl/worksheets/sheet1.xml`); entry names have no leading `/`.
enum PartPath {
    /// `target` resolved against the part `source`.
    static func resolve(_ target: String, from source: String) -> String {
        var segments: [Substring] =
            target.hasPrefix("/") ? [] : source.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        for segment in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        return segments.joined(separator: "/")
    }

    /// The relationships part of `part`: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`.
    static func relationships(of part: String) -> String {
        var segments = part.split(separator: "/", omittingEmptySubsequences: false)
        let name = segments.popLast() ?? ""
        return (segments + ["_rels", name + ".rels"]).joined(separator: "/")
    }
}
