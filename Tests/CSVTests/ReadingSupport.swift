import CSV

/// Chunk sizes every table case is fed in, so each buffer boundary lands somewhere in the input.
let chunkSizes = [Int.max, 1, 2, 3, 7, 64]

/// Reads `bytes` completely and returns the fields of every record.
func readFields(_ bytes: [UInt8], options: CSVReadOptions = CSVReadOptions(), chunkSize: Int = .max) throws
    -> [[String]]
{
    try CSVReader(bytes: bytes, options: options, chunkSize: chunkSize).readAll().map { Array($0) }
}

/// The error reading `bytes` stops with, or `nil` when it reads cleanly.
func readError(_ bytes: [UInt8], options: CSVReadOptions = CSVReadOptions(), chunkSize: Int = .max) -> CSVError? {
    do {
        _ = try readFields(bytes, options: options, chunkSize: chunkSize)
        return nil
    } catch let error as CSVError {
        return error
    } catch {
        return nil
    }
}

/// Options with the smallest buffer, so the reader refills often even on short inputs.
let tinyBuffer = CSVReadOptions(bufferSize: 64)

extension CSVPosition {
    static func at(_ line: Int, _ column: Int, offset: Int) -> CSVPosition {
        CSVPosition(line: line, column: column, byteOffset: offset)
    }
}
