/// The fixed parts of a workbook BulkDrop writes: content types, relationships, the workbook
/// with its sheet list and filter ranges, and the stylesheet behind `CellLook`.
enum WorkbookParts {
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    private static let relationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

    /// A finished sheet, as the workbook part lists it.
    struct Sheet {
        var name: String
        /// The filtered range (`A1:H200`), when the sheet has an autofilter.
        var filterRange: String?
    }

    static func sheetPart(_ number: Int) -> String { "xl/worksheets/sheet\(number).xml" }

    static func contentTypes(sheetCount: Int) -> String {
        let sheets = (0..<sheetCount).map {
            "<Override PartName=\"/\(sheetPart($0 + 1))\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        let parts: [String] = [
            declaration, "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
            "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>",
            "<Default Extension=\"xml\" ContentType=\"application/xml\"/>",
            "<Override PartName=\"/xl/workbook.xml\" ",
            "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>",
            "<Override PartName=\"/xl/styles.xml\" ",
            "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
            sheets.joined(), "</Types>",
        ]
        return parts.joined()
    }

    static let packageRelationships =
        declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"\(relationshipType)officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "</Relationships>"

    static func workbookRelationships(sheetCount: Int) -> String {
        let sheets = (0..<sheetCount).map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(relationshipType)worksheet\" "
                + "Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }
        return declaration
            + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + sheets.joined()
            + "<Relationship Id=\"rId\(sheetCount + 1)\" Type=\"\(relationshipType)styles\" Target=\"styles.xml\"/>"
            + "</Relationships>"
    }

    static func workbook(_ sheets: [Sheet]) -> String {
        let list = sheets.enumerated().map { index, sheet in
            "<sheet name=\"\(XMLText.escaped(sheet.name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }
        let filters = sheets.enumerated().compactMap { index, sheet -> String? in
            guard let range = sheet.filterRange else { return nil }
            let absolute = range.split(separator: ":").map { corner in
                let letters = String(corner.prefix { $0.isLetter })
                return "$" + letters + "$" + String(corner.dropFirst(letters.count))
            }
            let quotedName = "'" + sheet.name.replacingOccurrences(of: "'", with: "''") + "'"
            return "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(index)\" hidden=\"1\">"
                + XMLText.escaped(quotedName + "!" + absolute.joined(separator: ":")) + "</definedName>"
        }
        return declaration + "<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
            + "<sheets>" + list.joined() + "</sheets>"
            + (filters.isEmpty ? "" : "<definedNames>" + filters.joined() + "</definedNames>") + "</workbook>"
    }

    /// Fonts (regular, bold), fills (the two Excel requires, then green, red, amber, grey), one
    /// date-time number format, and one cell format per `CellLook`, in its raw-value order.
    static let styles: String = {
        let cellFormats: [String] =
            [
                "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>",
                "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>",
                "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>",
            ]
            + (2...5).map {
                "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"\($0)\" borderId=\"0\" xfId=\"0\" applyFill=\"1\"/>"
            }
        let parts: [String] = [
            declaration, "<styleSheet xmlns=\"\(mainNamespace)\">",
            "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd hh:mm:ss\"/></numFmts>",
            "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>",
            "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>",
            "<fills count=\"6\"><fill><patternFill patternType=\"none\"/></fill>",
            "<fill><patternFill patternType=\"gray125\"/></fill>",
            fill("FFC6EFCE"), fill("FFFFC7CE"), fill("FFFFEB9C"), fill("FFD9D9D9"), "</fills>",
            "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>",
            "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>",
            "<cellXfs count=\"\(cellFormats.count)\">", cellFormats.joined(), "</cellXfs>",
            "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>",
            "</styleSheet>",
        ]
        return parts.joined()
    }()

    private static func fill(_ color: String) -> String {
        "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"\(color)\"/><bgColor indexed=\"64\"/></patternFill></fill>"
    }
}

/// Text as XML holds it: `&`, `<`, `>` and `"` as entities, and the characters XML cannot hold
/// (control characters other than tab, line feed and carriage return; U+FFFE, U+FFFF) written the
/// way Excel writes them, `_xHHHH_`, with a literal `_x` guarded as `_x005F_x` (`ExcelText`
/// reads them back).
enum XMLText {
    static func escaped(_ text: String) -> String {
        var bytes: [UInt8] = []
        var text = text
        text.withUTF8 { appendEscaped($0, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let ampersand = Array("&amp;".utf8)
    private static let lessThan = Array("&lt;".utf8)
    private static let greaterThan = Array("&gt;".utf8)
    private static let quote = Array("&quot;".utf8)
    private static let underscore = Array("_x005F_".utf8)

    /// `utf8` as XML text, escaped as the type says, appended to `buffer`.
    static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        var runStart = 0
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            let replacement: [UInt8]?
            switch byte {
            case UInt8(ascii: "&"): replacement = ampersand
            case UInt8(ascii: "<"): replacement = lessThan
            case UInt8(ascii: ">"): replacement = greaterThan
            case UInt8(ascii: "\""): replacement = quote
            case UInt8(ascii: "_") where index + 1 < utf8.count && utf8[index + 1] == UInt8(ascii: "x"):
                replacement = underscore
            case 0x00..<0x20 where !RowEncoder.isSpace(byte):
                replacement = Array(("_x" + hex4(UInt32(byte)) + "_").utf8)
            case 0xEF where index + 2 < utf8.count && utf8[index + 1] == 0xBF && (utf8[index + 2] & 0xFE) == 0xBE:
                // U+FFFE and U+FFFF, which XML cannot hold either.
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                buffer.append(contentsOf: ("_x" + (utf8[index + 2] == 0xBE ? "FFFE" : "FFFF") + "_").utf8)
                index += 3
                runStart = index
                continue
            default: replacement = nil
            }
            if let replacement {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                buffer.append(contentsOf: replacement)
                runStart = index + 1
            }
            index += 1
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
