import XMLStream
import Zip

/// Which cell styles show numbers as dates or times (`xl/styles.xml`): a style (`s` on a cell)
/// points at a number format, built in (14–22, 27–36, 45–47, 50–58) or written out.
struct CellStyles {
    private var dateStyles: Set<Int> = []

    /// No styles: every number is a number.
    init() {}

    /// Reads the styles part; an absent part means no date styles.
    ///
    /// - Throws: `XLSXError` when the part is broken.
    init(_ archive: ZipReader, part: String?, limits: XLSXLimits) throws(XLSXError) {
        guard let part, archive.entry(named: part) != nil else { return }
        var reader = try XMLPartReader(archive, part: part, limits: limits)
        var customFormats: [Int: String] = [:]
        var inCellFormats = false
        var styleIndex = 0
        while let event = try reader.next() {
            switch event {
            case .startElement("numFmt", _, let attributes):
                if let id = attributes.value(of: "numFmtId").flatMap(Int.init) {
                    customFormats[id] = attributes.value(of: "formatCode") ?? ""
                }
            case .startElement("cellXfs", _, _):
                inCellFormats = true
            case .endElement("cellXfs", _):
                inCellFormats = false
            case .startElement("xf", _, let attributes) where inCellFormats:
                let format = attributes.value(of: "numFmtId").flatMap(Int.init) ?? 0
                if Self.isDateFormat(format, code: customFormats[format]) { dateStyles.insert(styleIndex) }
                styleIndex += 1
            default:
                continue
            }
        }
    }

    /// Whether a cell with style `index` shows its number as a date or time.
    func isDate(style index: Int) -> Bool {
        dateStyles.contains(index)
    }

    /// Built-in date formats by id, or a format code with day, month, year, hour or second
    /// parts outside quoted text, `[…]` sections and escaped characters.
    static func isDateFormat(_ id: Int, code: String?) -> Bool {
        if (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id) {
            return true
        }
        guard let code else { return false }
        var quoted = false
        var bracketed = false
        var escaped = false
        for character in code.lowercased() {
            if escaped {
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true
            case "\"": quoted.toggle()
            case "[" where !quoted: bracketed = true
            case "]" where !quoted: bracketed = false
            case "d", "m", "y", "h", "s": if !quoted && !bracketed { return true }
            default: continue
            }
        }
        return false
    }
}
