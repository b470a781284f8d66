/// Writes one sheet row's XML straight into a byte buffer: no intermediate strings, each text
/// escaped in one pass over its UTF-8 (`XMLText`). A million-row results sheet goes through here.
struct RowEncoder {
    /// Column letters by 0-based column, made once.
    private var columnNames: [[UInt8]] = []

    /// Appends `<row r="N">…</row>` for `cells` to `buffer`.
    mutating func append(_ cells: [OutputCell], row: Int, to buffer: inout [UInt8]) {
        let rowDigits = Array(String(row).utf8)
        buffer.append(contentsOf: #"<row r=""#.utf8)
        buffer.append(contentsOf: rowDigits)
        buffer.append(contentsOf: #"">"#.utf8)
        for (column, cell) in cells.enumerated() {
            if case .empty = cell { continue }
            buffer.append(contentsOf: #"<c r=""#.utf8)
            buffer.append(contentsOf: columnName(column))
            buffer.append(contentsOf: rowDigits)
            buffer.append(UInt8(ascii: "\""))
            switch cell {
            case .empty:
                continue
            case .text(let text, let look):
                buffer.append(contentsOf: #" t="inlineStr""#.utf8)
                if look != .plain { Self.appendStyle(look, to: &buffer) }
                buffer.append(contentsOf: "><is><t".utf8)
                var text = text
                text.withUTF8 { utf8 in
                    if let first = utf8.first, let last = utf8.last, Self.isSpace(first) || Self.isSpace(last) {
                        buffer.append(contentsOf: #" xml:space="preserve""#.utf8)
                    }
                    buffer.append(UInt8(ascii: ">"))
                    XMLText.appendEscaped(utf8, to: &buffer)
                }
                buffer.append(contentsOf: "</t></is></c>".utf8)
            case .number(let number):
                buffer.append(contentsOf: "><v>".utf8)
                buffer.append(contentsOf: number.utf8)
                buffer.append(contentsOf: "</v></c>".utf8)
            case .dateTime(let date):
                Self.appendStyle(.dateTime, to: &buffer)
                buffer.append(contentsOf: "><v>".utf8)
                buffer.append(contentsOf: String(ExcelDate.serial(secondsSince1970: date.timeIntervalSince1970)).utf8)
                buffer.append(contentsOf: "</v></c>".utf8)
            }
        }
        buffer.append(contentsOf: "</row>".utf8)
    }

    private mutating func columnName(_ column: Int) -> [UInt8] {
        while columnNames.count <= column {
            columnNames.append(Array(CellReference.columnName(columnNames.count).utf8))
        }
        return columnNames[column]
    }

    private static func appendStyle(_ look: CellLook, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: #" s=""#.utf8)
        buffer.append(contentsOf: String(look.rawValue).utf8)
        buffer.append(UInt8(ascii: "\""))
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
