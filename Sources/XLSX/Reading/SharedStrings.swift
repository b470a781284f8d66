import XMLStream
import Zip

/// The workbook's table of distinct texts (`xl/sharedStrings.xml`), which text cells point into
/// by index. Rich text runs are joined; phonetic guides (`rPh`) are left out.
enum SharedStrings {
    /// Reads the table; an absent part is an empty table.
    ///
    /// - Throws: `XLSXError` when the part is broken, or holds more than `limits.maxSharedStrings`
    ///   texts or `limits.maxSharedStringBytes` bytes of them.
    static func read(_ archive: ZipReader, part: String?, limits: XLSXLimits) throws(XLSXError) -> [String] {
        guard let part, archive.entry(named: part) != nil else { return [] }
        var reader = try XMLPartReader(archive, part: part, limits: limits)
        var strings: [String] = []
        var bytes = 0
        var current = ""
        var inItem = false
        var inText = false
        var phoneticDepth = 0
        while let event = try reader.next() {
            switch event {
            case .startElement("si", _, _):
                inItem = true
                current = ""
            case .startElement("rPh", _, _):
                phoneticDepth += 1
            case .startElement("t", _, _):
                inText = inItem && phoneticDepth == 0
            case .text(let text) where inText:
                bytes += text.utf8.count
                guard bytes <= limits.maxSharedStringBytes else {
                    throw .sharedStringsTooLarge(limit: limits.maxSharedStringBytes)
                }
                current += text
            case .endElement("t", _):
                inText = false
            case .endElement("rPh", _):
                phoneticDepth -= 1
            case .endElement("si", _):
                guard strings.count < limits.maxSharedStrings else {
                    throw .tooManySharedStrings(limit: limits.maxSharedStrings)
                }
                strings.append(ExcelText.decoded(current))
                inItem = false
            default:
                continue
            }
        }
        return strings
    }
}
