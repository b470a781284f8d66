// libFuzzer target for the hand-written CSV reader (Sources/CSV).
//
// Built by scripts/fuzz-csv.sh, which compiles this file together with every file of
// Sources/CSV into one module (so there is no `import CSV`, and internal API is visible).
//
// Input layout: byte 0 and byte 1 choose the options, the rest is the CSV text.
//   byte 0, bits 0-2: delimiter   0 nil (detect), 1 ",", 2 ";", 3 tab, 4 "|", 5-7 nil
//   byte 0, bits 3-4: bufferSize  64, 100, 4096, 64
//   byte 0, bits 5-7: chunkSize   1, 2, 3, 7, 64, .max, 5, 16
//   byte 1, bits 0-1: maxFieldSize  default (1 MiB), 64, 8, default
//
// Invariants, each a trap (preconditionFailure) when broken:
//   (a) the same bytes read with chunkSize .max, 1 and the chosen chunk size give the same
//       records (bytes and line numbers), the same final error, the same warnings and the same
//       delimiter;
//   (b) when reading succeeded, writing the records with CSVWriter (no byte order mark, no
//       formula protection, the reader's delimiter) and reading that back with the same
//       explicit delimiter gives the same records (bytes), without an error;
//   (c) every field is valid UTF-8 and decodes to a String whose UTF-8 is the field's bytes.
//
// Set CSV_FUZZ_VERBOSE=1 to print both sides of a broken invariant before the trap.

import Glibc

private struct ReadResult: Equatable {
    var records: [[[UInt8]]] = []
    var lines: [Int] = []
    var error: CSVError?
    var warnings: [CSVWarning] = []
    var delimiter: UInt8 = 0
}

private let delimiters: [UInt8?] = [
    nil, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|"), nil, nil, nil,
]
private let bufferSizes = [64, 100, 4096, 64]
private let chunkSizes = [1, 2, 3, 7, 64, Int.max, 5, 16]
private let maxFieldSizes = [CSVReadOptions.defaultMaxFieldSize, 64, 8, CSVReadOptions.defaultMaxFieldSize]

private let invariant = FuzzInvariant(reader: "CSV")

private func readAll(_ bytes: [UInt8], options: CSVReadOptions, chunkSize: Int) -> ReadResult {
    let reader = CSVReader(bytes: bytes, options: options, chunkSize: chunkSize)
    var result = ReadResult()
    var record = CSVRecord()
    do {
        while try reader.readRecord(into: &record) {
            var fields: [[UInt8]] = []
            fields.reserveCapacity(record.count)
            for index in record.indices {
                let raw = record.bytes(ofField: index)
                // (c) the field is UTF-8 and its String holds exactly these bytes.
                let text = record[index]
                if Array(text.utf8) != raw || String(validating: raw, as: UTF8.self) == nil {
                    invariant.fail("field \(index) of record \(result.records.count) is not valid UTF-8: \(hex(raw))")
                }
                fields.append(raw)
            }
            if fields.isEmpty { invariant.fail("record \(result.records.count) has no fields") }
            result.records.append(fields)
            result.lines.append(record.line)
        }
        if !record.isEmpty { invariant.fail("record not emptied at the end of the input") }
        // The end is sticky: asking again still says the input is over.
        if try reader.readRecord(into: &record) { invariant.fail("a record after the end of the input") }
    } catch {
        result.error = error
        // The failure is sticky: asking again throws the same error.
        do {
            _ = try reader.readRecord(into: &record)
            invariant.fail("no error on the call after \(error)")
        } catch let again {
            if again != error { invariant.fail("a different error on the second call: \(again) after \(error)") }
        }
    }
    result.warnings = reader.warnings
    result.delimiter = reader.delimiter
    return result
}

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        .joined(separator: " ")
}

private func describe(_ result: ReadResult) -> String {
    var lines = [
        "delimiter \(hex([result.delimiter])), error \(result.error.map { "\($0)" } ?? "none"), warnings \(result.warnings)"
    ]
    for (index, record) in result.records.enumerated() {
        let line = index < result.lines.count ? result.lines[index] : 0
        lines.append("  line \(line): " + record.map { "[\(hex($0))]" }.joined(separator: " "))
    }
    return lines.joined(separator: "\n")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 2 else { return 0 }
    let control = data[0]
    let control2 = data[1]
    let bytes = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))

    let delimiter = delimiters[Int(control & 0x7)]
    let bufferSize = bufferSizes[Int(control >> 3 & 0x3)]
    let chunkSize = chunkSizes[Int(control >> 5 & 0x7)]
    let maxFieldSize = maxFieldSizes[Int(control2 & 0x3)]
    let options = CSVReadOptions(delimiter: delimiter, maxFieldSize: maxFieldSize, bufferSize: bufferSize)

    // (a) chunking never changes what is read.
    let whole = readAll(bytes, options: options, chunkSize: .max)
    let single = readAll(bytes, options: options, chunkSize: 1)
    invariant.check(
        whole == single, "chunkSize .max and 1 read differently", expected: whole, got: single, describe: describe)
    if chunkSize != 1 && chunkSize != .max {
        let chosen = readAll(bytes, options: options, chunkSize: chunkSize)
        invariant.check(
            whole == chosen, "chunkSize .max and \(chunkSize) read differently", expected: whole, got: chosen,
            describe: describe)
    }

    // (b) what was read is written and read back unchanged. Not for text with NUL bytes: read
    // back, NULs between characters are how the reader recognises UTF-16 without a byte order
    // mark, so such text has no round trip (a lone "\0" line reads as UTF-16BE).
    guard whole.error == nil, !whole.records.contains(where: { $0.contains { $0.contains(0) } }) else { return 0 }
    var writer = CSVWriter(
        options: CSVWriter.Options(delimiter: whole.delimiter, byteOrderMark: false, formulaProtection: false))
    for record in whole.records {
        writer.write(record.map { String(decoding: $0, as: UTF8.self) })
    }
    let written = writer.bytes
    let backOptions = CSVReadOptions(delimiter: whole.delimiter, bufferSize: bufferSize)
    var back = readAll(written, options: backOptions, chunkSize: chunkSize)
    back.lines = whole.lines  // line numbers change with quoting and skipped empty lines
    back.warnings = whole.warnings  // the written text is UTF-8, so no fallback warning
    var expected = whole
    expected.error = nil
    if invariant.verbose && back != expected { fputs("--- written\n\(hex(written))\n", stderr) }
    invariant.check(
        back.error == nil, "reading the writer's output failed: \(back.error.map { "\($0)" } ?? "")",
        expected: expected, got: back, describe: describe)
    invariant.check(
        back.records == expected.records, "write-read round trip changed the records", expected: expected, got: back,
        describe: describe)
    return 0
}
