import Glibc

/// Turns records into CSV text that Excel opens correctly and safely.
///
/// RFC 4180 output: a field is quoted when it holds the separator, a quote or a line break, and
/// quotes inside are doubled; records end with CRLF; a UTF-8 byte order mark comes first by
/// default so Excel reads the text as UTF-8. With formula protection on (the default), a text cell
/// that starts with `=`, `+`, `-`, `@`, tab, CR or LF gets a leading `'`, so a spreadsheet shows
/// it as text instead of running it. The writer only builds bytes; `CSVFileWriter` puts them in a file.
public struct CSVWriter: Sendable {
    /// How records are written.
    public struct Options: Sendable {
        public var delimiter: UInt8
        /// Start the output with a UTF-8 byte order mark (on for outbox files).
        public var byteOrderMark: Bool
        /// Prefix text cells that a spreadsheet would run as a formula with `'`.
        public var formulaProtection: Bool

        public init(delimiter: UInt8 = UInt8(ascii: ","), byteOrderMark: Bool = true, formulaProtection: Bool = true) {
            self.delimiter = delimiter
            self.byteOrderMark = byteOrderMark
            self.formulaProtection = formulaProtection
        }
    }

    public let options: Options
    /// The text written so far and not yet taken.
    public private(set) var bytes: [UInt8] = []
    private var wroteRecord = false
    /// The bytes that make a field need quotes.
    private let quotedBytes: ByteStops

    public init(options: Options = Options()) {
        self.options = options
        quotedBytes = ByteStops(options.delimiter, .quote, .cr, .lf)
        if options.byteOrderMark { bytes = [0xEF, 0xBB, 0xBF] }
    }

    /// Appends a record of text cells.
    public mutating func write(_ fields: some Sequence<String>) {
        write(cells: fields.map(CSVCell.text))
    }

    /// Appends a record of cells.
    public mutating func write(cells: [CSVCell]) {
        let recordStart = bytes.count
        let firstRecord = !wroteRecord
        appendRecord(cells, quoteFirst: firstRecord && cells.first?.content.unicodeScalars.first == "\u{FEFF}")
        // A leading U+FEFF would be taken for a byte order mark, so it is quoted. A first line the
        // reader would take for Excel's `sep=X` (also when the separator completes it, as in `sep`
        // `=` `x`) is checked as the reader checks it, and written again with a quoted first field.
        if firstRecord, !cells.isEmpty,
            bytes[recordStart...].withUnsafeBufferPointer({ CSVPrelude.separatorLine(in: $0) }) != nil
        {
            bytes.removeSubrange(recordStart...)
            appendRecord(cells, quoteFirst: true)
        }
        wroteRecord = true
    }

    private mutating func appendRecord(_ cells: [CSVCell], quoteFirst: Bool) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { bytes.append(options.delimiter) }
            let forceQuotes = quoteFirst && index == 0
            switch cell {
            case .text(let text): appendField(text, guarded: options.formulaProtection, forceQuotes: forceQuotes)
            case .number(let number): appendField(number, guarded: false, forceQuotes: forceQuotes)
            }
        }
        // A record of one empty field would otherwise be an empty line, which readers skip.
        if cells.count == 1, cells[0].content.isEmpty, !quoteFirst {
            bytes.append(.quote)
            bytes.append(.quote)
        }
        bytes.append(.cr)
        bytes.append(.lf)
    }

    /// Hands over the text written so far and starts an empty buffer.
    public mutating func takeBytes() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    private mutating func appendField(_ field: String, guarded: Bool, forceQuotes: Bool) {
        var field = field
        field.withUTF8 { utf8 in
            let guardMark = guarded && Self.startsFormula(utf8.first)
            let needsQuotes = forceQuotes || quotedBytes.firstIndex(in: utf8) < utf8.count
            if needsQuotes { bytes.append(.quote) }
            if guardMark { bytes.append(UInt8(ascii: "'")) }
            guard needsQuotes, let base = utf8.baseAddress else {
                bytes.append(contentsOf: utf8)
                return
            }
            // Runs up to and including each quote, which is then written a second time.
            var start = 0
            while let found = memchr(base + start, Int32(UInt8.quote), utf8.count - start) {
                let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<end]))
                bytes.append(.quote)
                start = end
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
            bytes.append(.quote)
        }
    }

    private static func startsFormula(_ byte: UInt8?) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D, 0x0A: true
        default: false
        }
    }

    /// `cell` without the leading `'` the formula protection adds: `'-abc` is `-abc`, `'=1+1` is
    /// `=1+1`, so a file BulkDrop wrote and a partner dropped again keeps its values. Only a `'`
    /// before one of `formulaStarters` is taken off; any other `'` is part of the value.
    public static func unguarded(_ cell: String) -> String {
        let utf8 = cell.utf8
        guard utf8.count >= 2, utf8.first == UInt8(ascii: "'"),
            formulaStarters.contains(utf8[utf8.index(after: utf8.startIndex)])
        else { return cell }
        return String(cell.dropFirst())
    }

    /// First characters that make a spreadsheet treat a cell as a formula (OWASP's list); a text
    /// cell starting with one gets a leading `'`. Readers of BulkDrop's own files take it off again.
    public static let formulaStarters: Set<UInt8> = Set("=+-@\t\r\n".utf8)
}
