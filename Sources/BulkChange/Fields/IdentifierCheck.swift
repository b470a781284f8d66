/// Checks the identifiers a row names devices by, ICCIDs and IMEIs, and recognises the ways Excel
/// mangles long numbers so the message can say how to get them back.
public enum IdentifierCheck {
    /// The fix for every value Excel has turned into a number.
    public static let excelHint = "format the column as Text and export again"

    /// An ICCID: 19 or 20 ASCII digits ending with a Luhn check digit.
    ///
    /// - Throws: `FieldProblem` saying what is wrong, with the Excel hint when Excel did it.
    public static func iccid(_ text: String) throws(FieldProblem) -> String {
        try identifier(text, name: "ICCID", lengths: 19...20)
    }

    /// An IMEI: 15 ASCII digits ending with a Luhn check digit.
    ///
    /// - Throws: `FieldProblem` saying what is wrong, with the Excel hint when Excel did it.
    public static func imei(_ text: String) throws(FieldProblem) -> String {
        try identifier(text, name: "IMEI", lengths: 15...15)
    }

    private static func identifier(_ text: String, name: String, lengths: ClosedRange<Int>) throws(FieldProblem)
        -> String
    {
        // Checked on the UTF-8 bytes: an identifier is ASCII digits, and most rows are right.
        var bytes = text
        if !bytes.withUTF8({ $0.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }) {
            if isScientificNotation(text) {
                throw FieldProblem("Excel turned the \(name) into a number (\(Echo.plain(text)))", hint: excelHint)
            }
            if hasDecimalZeros(text) {
                throw FieldProblem("the \(name) ends in a decimal part, as Excel writes numbers", hint: excelHint)
            }
            throw FieldProblem("an \(name) has digits only", hint: "remove spaces, letters and other signs")
        }
        guard lengths.contains(text.utf8.count) else {
            let expected =
                lengths.count == 1 ? "\(lengths.lowerBound)" : "\(lengths.lowerBound) or \(lengths.upperBound)"
            throw FieldProblem("has \(text.utf8.count) digits; an \(name) has \(expected)")
        }
        guard Luhn.isValid(text) else {
            // Excel keeps 15 significant digits and fills the rest with zeros.
            if text.utf8.count > 15, text.hasSuffix("0000") {
                throw FieldProblem(
                    "the last digits look lost to Excel (it keeps 15 significant digits): "
                        + "the check digit does not match", hint: excelHint)
            }
            throw FieldProblem("the check digit does not match (Luhn)", hint: "look for a mistyped digit")
        }
        return text
    }

    /// `8.90126E+18`, `8,90126E+18`, `89E18`: digits, an optional decimal part, an exponent.
    static func isScientificNotation(_ text: String) -> Bool {
        guard let exponentMark = text.firstIndex(where: { $0 == "E" || $0 == "e" }) else { return false }
        var exponent = text[text.index(after: exponentMark)...]
        if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
        let mantissa = text[..<exponentMark].split(separator: ".", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
        return isDigits(exponent) && (1...2).contains(mantissa.count) && mantissa.allSatisfy(isDigits)
    }

    /// `8901260123456789012.0` or `…,00`: digits with a decimal part of zeros only.
    static func hasDecimalZeros(_ text: String) -> Bool {
        guard let separator = text.firstIndex(where: { $0 == "." || $0 == "," }) else { return false }
        let fraction = text[text.index(after: separator)...]
        return isDigits(text[..<separator]) && !fraction.isEmpty && fraction.allSatisfy { $0 == "0" }
    }

    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy(\.isASCIIDigit)
    }
}
