import Glibc

/// How a fuzz harness reports a broken invariant: the message on standard error (an `-O` build
/// drops a precondition's own), then a crash libFuzzer records with the input. With
/// `<READER>_FUZZ_VERBOSE` set, what was compared is printed first. Compiled into each harness
/// by its script (`scripts/fuzz-*.sh`).
struct FuzzInvariant {
    /// `CSV`, `XML`, `Zip`: the reader, in messages and in the variable's name.
    let reader: String
    let verbose: Bool

    init(reader: String) {
        self.reader = reader
        verbose = getenv("\(reader.uppercased())_FUZZ_VERBOSE") != nil
    }

    func fail(_ message: String) -> Never {
        fputs("\(reader) fuzz invariant broken: \(message)\n", stderr)
        preconditionFailure("\(reader) fuzz invariant broken: " + message)
    }

    /// Fails with `message` unless `condition` holds; a verbose run prints both sides first.
    func check<Value>(
        _ condition: Bool, _ message: @autoclosure () -> String, expected: Value, got: Value,
        describe: (Value) -> String
    ) {
        guard !condition else { return }
        if verbose { fputs("--- expected\n\(describe(expected))\n--- got\n\(describe(got))\n", stderr) }
        fail(message())
    }
}
