#!/usr/bin/env bash
# Fuzzes the zip reader (Sources/Zip) with libFuzzer:
#
#   bash scripts/fuzz-zip.sh [SECONDS]      # default 60
#
# Builds scripts/fuzz/ZipReaderFuzz.swift together with every file of Sources/Zip into one
# executable (swiftc -sanitize=fuzzer,address, the CZlib module map on the include path), seeds a
# corpus outside git with small archives Python's zipfile writes (stored, deflated, with data
# descriptors, with a comment, empty) and scripts/fuzz/zip-regressions/, runs for SECONDS with the
# record signatures in scripts/fuzz/zip.dict, and writes crashing, hanging, leaking or
# memory-hungry inputs to fuzz-artifacts/ (git-ignored). Exits non-zero when this run left an
# artifact there. Without FUZZ_KEEP_GOING libFuzzer stops at the first finding. The run and its
# report are scripts/fuzz/run-libfuzzer.sh, shared with fuzz-csv.sh and fuzz-xml.sh.
#
# Environment:
#   FUZZ_WORK=DIR        build and corpus directory (default /tmp/bulkdrop-fuzz-zip)
#   FUZZ_OPT=-Onone      optimisation level (default -O)
#   FUZZ_KEEP_GOING=1    fork mode that goes on after a crash, to collect more than one finding
#   FUZZ_JOBS=N          worker processes in keep-going mode (default 1)
#
# Replay one input, printing what each entry gave:
#   SWIFT_BACKTRACE=enable=no ZIP_FUZZ_VERBOSE=1 /tmp/bulkdrop-fuzz-zip/zip-fuzz fuzz-artifacts/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/fuzz/run-libfuzzer.sh
source scripts/fuzz/run-libfuzzer.sh

seconds=${1:-60}
work=${FUZZ_WORK:-/tmp/bulkdrop-fuzz-zip}
opt=${FUZZ_OPT:--O}
binary="$work/zip-fuzz"
corpus="$work/corpus"
artifacts=fuzz-artifacts
mkdir -p "$work" "$corpus" "$artifacts"

echo "fuzz-zip: building $binary (swiftc -sanitize=fuzzer,address $opt)" >&2
mapfile -t sources < <(find Sources/Zip -name '*.swift' | sort)
# ld.gold warns about every sanitizer-local symbol it cannot export; those lines are noise.
if ! swiftc -sanitize=fuzzer,address -parse-as-library "$opt" -module-name ZipFuzz -I Sources/CZlib \
    "${sources[@]}" scripts/fuzz/ZipReaderFuzz.swift scripts/fuzz/FuzzInvariant.swift -o "$binary" 2>"$work/build.log"; then
    grep -v "Cannot export local symbol" "$work/build.log" >&2
    exit 1
fi

# Seeds: small archives of a few worksheet-like parts, each way Python's zipfile writes them.
/usr/bin/python3 - "$corpus" <<'PYTHON'
import io, os, sys, zipfile

class Unseekable:
    def __init__(self, file):
        self.file = file
    def write(self, data):
        return self.file.write(data)
    def flush(self):
        pass

parts = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
    "xl/worksheets/sheet1.xml": b"".join(b'<row r="%d"><c><v>%d</v></c></row>' % (i, i * 7) for i in range(40)),
    "xl/empty.xml": b"",
    "xl/zeros.bin": bytes(3000),
}
for name, method, seekable, comment in [
    ("deflated", zipfile.ZIP_DEFLATED, True, b""),
    ("stored", zipfile.ZIP_STORED, True, b""),
    ("descriptors", zipfile.ZIP_DEFLATED, False, b""),
    ("comment", zipfile.ZIP_DEFLATED, True, b"a comment PK\x05\x06"),
]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer if seekable else Unseekable(buffer), "w", method) as archive:
        archive.comment = comment
        for part, data in parts.items():
            archive.writestr(part, data)
    with open(os.path.join(sys.argv[1], "seed-" + name), "wb") as file:
        file.write(buffer.getvalue())
with zipfile.ZipFile(os.path.join(sys.argv[1], "seed-empty"), "w"):
    pass
PYTHON

# Inputs that once broke an invariant (see scripts/fuzz/zip-regressions/README.md) are kept as seeds;
# run_libfuzzer copies them into the corpus, runs, and reports what this run found.
run_libfuzzer fuzz-zip "$binary" "$corpus" "$artifacts" "$work" "$seconds" \
    scripts/fuzz/zip-regressions ZIP_FUZZ_VERBOSE -- \
    -max_len=8192 -timeout=10 -rss_limit_mb=1024 -dict=scripts/fuzz/zip.dict
