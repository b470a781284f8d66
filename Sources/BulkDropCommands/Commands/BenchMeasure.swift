import BulkChange
import CMalloc
import Foundation
import Glibc

/// What the bench commands measure and how they print it: peak resident memory, CPU time and
/// fixed-decimal figures.
enum BenchMeasure {
    /// The process's peak resident memory in KiB: `VmHWM` from `/proc/self/status`.
    ///
    /// Not `getrusage`: its maximum survives `exec`, so under `swift run` it reports the
    /// memory of the build tool that started us.
    static func peakResidentKiB() -> Int {
        guard let file = fopen("/proc/self/status", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmHWM:") {
                return Int(text.dropFirst(6).filter(\.isNumber)) ?? 0
            }
        }
        return 0
    }

    /// The peak resident memory in MiB, with one decimal.
    static func peakResidentMiB() -> String {
        format(Double(peakResidentKiB()) / 1024, 1)
    }

    /// Starts the peak-memory count (`VmHWM`) afresh from the current size, so the figure covers the
    /// run and not the set-up before it: the memory the set-up freed goes back to the system first,
    /// then 5 is written to `/proc/self/clear_refs` (Linux 4.0 and later).
    static func resetPeakResident() {
        cmalloc_release_free_memory()
        guard let file = fopen("/proc/self/clear_refs", "w") else { return }
        fputs("5", file)
        fclose(file)
    }

    /// User plus system CPU time of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// `value` with exactly `decimals` digits after the point.
    static func format(_ value: Double, _ decimals: Int) -> String {
        precondition(decimals > 0, "format needs at least one decimal")
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * Double(scale)).rounded())
        let fraction = String(scaled % scale)
        return "\(scaled / scale)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// The size of the file at `path` in bytes; 0 when it cannot be read.
    static func fileSize(_ path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : 0
    }

    /// A valid 20-digit ICCID numbered `number` (`8901260…` and a Luhn check digit).
    static func iccid(_ number: Int) -> String {
        let digits = String(number)
        let body = "8901260" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
        return body + String(Luhn.checkDigit(for: body))
    }

    /// The size option a benchmark cannot run without (`--rows N`, `--devices N`), 1 to 10 million.
    ///
    /// - Throws: `UsageError` when it is missing or out of range.
    static func requiredCount(_ option: String, in values: OptionValues, spec: CommandSpec) throws -> Int {
        guard let count = try values.integer(option, in: 1...10_000_000) else {
            throw UsageError.missingArgument("\(option) N", command: spec.displayName)
        }
        return count
    }

    /// A new folder of this process's own under the temporary directory, for a benchmark's files;
    /// the caller removes it.
    static func scratchFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulkdrop-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}
