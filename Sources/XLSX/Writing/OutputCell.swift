import Foundation

/// One cell a workbook writer puts on a sheet.
public enum OutputCell: Equatable, Sendable {
    /// Text, kept as text whatever it looks like (an ICCID stays twenty digits).
    case text(String, CellLook = .plain)
    /// A number, written as given (`12`, `0.5`).
    case number(String)
    /// A moment, shown as a date and time (`yyyy-mm-dd hh:mm:ss`, UTC).
    case dateTime(Date)
    /// Nothing.
    case empty
}

/// How a text cell looks: plain, bold (headers), or filled to show an outcome at a glance.
public enum CellLook: Int, Sendable, CaseIterable {
    case plain = 0
    case header = 1
    /// Dates use this one; it is not chosen for text.
    case dateTime = 2
    /// Green: done as asked.
    case good = 3
    /// Red: needs someone's attention.
    case bad = 4
    /// Amber: not settled yet.
    case pending = 5
    /// Grey: nothing to do.
    case neutral = 6
}

/// A column of a sheet: its header and its width in characters.
public struct SheetColumn: Equatable, Sendable {
    public var header: String
    public var width: Double

    public init(_ header: String, width: Double) {
        self.header = header
        self.width = width
    }
}
