/// One cell as a worksheet stores it, before anyone decides what it means.
public struct SheetCell: Equatable, Sendable {
    /// What the cell holds.
    public enum Value: Equatable, Sendable {
        /// Text: a shared string, an inline string or a formula's text result.
        case text(String)
        /// A number as the sheet writes it (`8.9012600000000006E+19`, `365`).
        case number(String)
        /// A number shown as a date or time: the text is ISO 8601, `2026-12-01` for a whole day
        /// and `2026-12-01T08:30:00Z` with a time of day (Excel keeps no zone).
        case date(String)
        /// TRUE or FALSE.
        case boolean(Bool)
        /// An error value such as `#N/A`.
        case error(String)
    }

    /// 0-based column.
    public var column: Int
    public var value: Value
    /// The cell holds a formula; `value` is the result Excel last calculated.
    public var isFormula: Bool

    public init(column: Int, value: Value, isFormula: Bool = false) {
        self.column = column
        self.value = value
        self.isFormula = isFormula
    }
}

/// One row of a worksheet: its number and its non-empty cells, left to right.
public struct SheetRow: Equatable, Sendable {
    /// 1-based, as Excel numbers rows.
    public var number: Int
    public var cells: [SheetCell]
    /// The row is hidden in Excel (its cells are read all the same).
    public var isHidden: Bool

    public init(number: Int, cells: [SheetCell], isHidden: Bool = false) {
        self.number = number
        self.cells = cells
        self.isHidden = isHidden
    }
}
