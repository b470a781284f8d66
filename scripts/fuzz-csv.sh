#!/usr/bin/env bash
# Fuzzes the CSV reader (Sources/CSV) with libFuzzer:
#
#   bash scripts/fuzz-csv.sh [SECONDS]      # default 60
#
# Builds scripts/fuzz/CSVReaderFuzz.swift together with every file of Sources/CSV into one
# executable (swiftc -sanitize=fuzzer,address), seeds a corpus outside git with the parse
# fixtures and scripts/fuzz/regressions/, runs for SECONDS with the token dictionary
# scripts/fuzz/csv.dict, and writes crashing, hanging or leaking inputs to fuzz-artifacts/
# (git-ignored). Exits non-zero when this run left an artifact there. Without FUZZ_KEEP_GOING
# libFuzzer stops at the first finding, so while a regression input still reproduces the run
# ends at once. The run and its report are scripts/fuzz/run-libfuzzer.sh, shared with
# fuzz-xml.sh and fuzz-zip.sh.
#
# Environment:
#   FUZZ_WORK=DIR        build and corpus directory (default /tmp/bulkdrop-fuzz)
#   FUZZ_OPT=-Onone      optimisation level (default -O)
#   FUZZ_KEEP_GOING=1    fork mode that goes on after a crash, to collect more than one finding
#   FUZZ_JOBS=N          worker processes in keep-going mode (default 1)
#   FUZZ_SOURCES=DIR     the reader's sources (default Sources/CSV), e.g. a patched copy to try a fix
#
# Replay one input, printing both sides of a broken invariant:
#   SWIFT_BACKTRACE=enable=no CSV_FUZZ_VERBOSE=1 /tmp/bulkdrop-fuzz/csv-fuzz fuzz-artifacts/crash-...
# The first two bytes of an input choose the reader options; see the harness header.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/fuzz/run-libfuzzer.sh
source scripts/fuzz/run-libfuzzer.sh

seconds=${1:-60}
work=${FUZZ_WORK:-/tmp/bulkdrop-fuzz}
opt=${FUZZ_OPT:--O}
binary="$work/csv-fuzz"
corpus="$work/corpus"
artifacts=fuzz-artifacts
mkdir -p "$work" "$corpus" "$artifacts"

echo "fuzz-csv: building $binary (swiftc -sanitize=fuzzer,address $opt)" >&2
mapfile -t sources < <(find "${FUZZ_SOURCES:-Sources/CSV}" -name '*.swift' | sort)
sources+=(Sources/UTF8Rules/*.swift) # the UTF-8 rules the reader shares, compiled into the same module
# ld.gold warns about every sanitizer-local symbol it cannot export; those lines are noise.
if ! swiftc -sanitize=fuzzer,address -parse-as-library "$opt" -module-name CSVFuzz \
    "${sources[@]}" scripts/fuzz/CSVReaderFuzz.swift scripts/fuzz/FuzzInvariant.swift -o "$binary" 2>"$work/build.log"; then
    grep -v "Cannot export local symbol" "$work/build.log" >&2
    exit 1
fi

# Seeds: every parse fixture behind a few option prefixes (byte 0: delimiter, buffer size and
# chunk size; byte 1: field size cap). Detect/64/1, comma/100/3, semicolon/4096/max, tab/64/7,
# pipe/100/64 with a 64-byte cap, detect/4096/2 with an 8-byte cap.
prefixes=('\x00\x00' '\x49\x00' '\xb2\x00' '\x63\x00' '\x8c\x01' '\x30\x02')
for fixture in Tests/BulkDropCommandsTests/Fixtures/parse/*.csv; do
    name=$(basename "$fixture" .csv)
    for index in "${!prefixes[@]}"; do
        seed="$corpus/seed-$name-$index"
        [[ -e "$seed" ]] || { printf "${prefixes[$index]}"; cat "$fixture"; } >"$seed"
    done
done

# Inputs that once broke an invariant (see scripts/fuzz/regressions/README.md) are kept as seeds;
# run_libfuzzer copies them into the corpus, runs, and reports what this run found.
run_libfuzzer fuzz-csv "$binary" "$corpus" "$artifacts" "$work" "$seconds" \
    scripts/fuzz/regressions CSV_FUZZ_VERBOSE -- \
    -max_len=4096 -timeout=10 -dict=scripts/fuzz/csv.dict
