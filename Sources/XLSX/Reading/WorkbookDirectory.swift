import XMLStream
import Zip

/// What a workbook says about itself before any cell is read: its worksheets (name, part,
/// hidden), where its shared strings and styles are, and which date system it counts in.
struct WorkbookDirectory {
    /// One worksheet, in workbook order.
    struct Sheet: Equatable {
        var name: String
        var part: String
        var isHidden: Bool
    }

    var sheets: [Sheet] = []
    var sharedStringsPart: String?
    var stylesPart: String?
    /// Serial numbers count days from 1904-01-01 instead of 1899-12-30 (old Mac workbooks).
    var uses1904Dates = false

    /// Reads the package relationships, the workbook part and its relationships.
    ///
    /// - Throws: `XLSXError` when a part is missing or broken.
    init(_ archive: ZipReader, limits: XLSXLimits) throws(XLSXError) {
        let packageRelations = try Self.relationships(of: "", in: archive, limits: limits)
        let workbook =
            packageRelations.first { $0.type.hasSuffix("/officeDocument") }?.target ?? "xl/workbook.xml"
        let relations = try Self.relationships(of: workbook, in: archive, limits: limits)
        let targets = Dictionary(relations.map { ($0.id, $0.target) }) { first, _ in first }
        sharedStringsPart = relations.first { $0.type.hasSuffix("/sharedStrings") }?.target
        stylesPart = relations.first { $0.type.hasSuffix("/styles") }?.target
        var reader = try XMLPartReader(archive, part: workbook, limits: limits)
        while let event = try reader.next() {
            guard case .startElement(let name, _, let attributes) = event else { continue }
            if name == "workbookPr" {
                let value = attributes.value(of: "date1904")
                uses1904Dates = value == "1" || value == "true"
            } else if name == "sheet", let id = attributes.value(of: "id"), let part = targets[id] {
                sheets.append(
                    Sheet(
                        name: attributes.value(of: "name") ?? "", part: part,
                        isHidden: attributes.value(of: "state").map { $0 != "visible" } ?? false))
            }
        }
        guard !sheets.isEmpty else { throw .noWorksheet }
    }

    /// The sheet rows are read from: the first whose name is one of `preferredNames` (in that
    /// order of preference, compared without case), else the first sheet.
    func sheet(preferring preferredNames: [String]) -> Sheet {
        for wanted in preferredNames {
            if let sheet = sheets.first(where: { $0.name.lowercased() == wanted.lowercased() }) { return sheet }
        }
        return sheets[0]
    }

    private struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    /// The relationships of `part` (`""` for the package's own), targets resolved to entry names.
    private static func relationships(of part: String, in archive: ZipReader, limits: XLSXLimits)
        throws(XLSXError) -> [Relationship]
    {
        let relationsPart = part.isEmpty ? "_rels/.rels" : PartPath.relationships(of: part)
        guard archive.entry(named: relationsPart) != nil else {
            if part.isEmpty { return [] }  // a bare package: the usual names are tried
            throw .missingPart(relationsPart)
        }
        var reader = try XMLPartReader(archive, part: relationsPart, limits: limits)
        var relations: [Relationship] = []
        while let event = try reader.next() {
            guard case .startElement("Relationship", _, let attributes) = event,
                let id = attributes.value(of: "Id"), let target = attributes.value(of: "Target"),
                attributes.value(of: "TargetMode") != "External"
            else { continue }
            relations.append(
                Relationship(
                    id: id, type: attributes.value(of: "Type") ?? "", target: PartPath.resolve(target, from: part)))
        }
        return relations
    }
}

extension [XMLAttribute] {
    /// The value of the attribute with local name `name`, if the element has one.
    func value(of name: String) -> String? {
        first { $0.name == name }?.value
    }
}
