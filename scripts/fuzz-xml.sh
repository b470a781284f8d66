#!/usr/bin/env bash
# Fuzzes the streaming XML reader (Sources/XMLStream) with libFuzzer:
#
#   bash scripts/fuzz-xml.sh [SECONDS]      # default 60
#
# Builds scripts/fuzz/XMLPullParserFuzz.swift together with every file of Sources/XMLStream into
# one executable (swiftc -sanitize=fuzzer,address), seeds a corpus outside git with
# scripts/fuzz/xml-seeds/ and scripts/fuzz/xml-regressions/, runs for SECONDS with the token
# dictionary scripts/fuzz/xml.dict, and writes crashing, hanging or leaking inputs to
# fuzz-artifacts/ (git-ignored). Exits non-zero when this run left an artifact there. Without
# FUZZ_KEEP_GOING libFuzzer stops at the first finding, so while a regression input still
# reproduces the run ends at once. The run and its report are scripts/fuzz/run-libfuzzer.sh,
# shared with fuzz-csv.sh and fuzz-zip.sh.
#
# Environment:
#   FUZZ_WORK=DIR        build and corpus directory (default /tmp/bulkdrop-fuzz-xml)
#   FUZZ_OPT=-Onone      optimisation level (default -O)
#   FUZZ_KEEP_GOING=1    fork mode that goes on after a crash, to collect more than one finding
#   FUZZ_JOBS=N          worker processes in keep-going mode (default 1)
#   FUZZ_SOURCES=DIR     the reader's sources (default Sources/XMLStream), e.g. a patched copy
#
# Replay one input, printing both sides of a broken invariant:
#   SWIFT_BACKTRACE=enable=no XML_FUZZ_VERBOSE=1 /tmp/bulkdrop-fuzz-xml/xml-fuzz fuzz-artifacts/crash-...
# The first byte of an input chooses the chunk size and the limits; see the harness header.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/fuzz/run-libfuzzer.sh
source scripts/fuzz/run-libfuzzer.sh

seconds=${1:-60}
work=${FUZZ_WORK:-/tmp/bulkdrop-fuzz-xml}
opt=${FUZZ_OPT:--O}
binary="$work/xml-fuzz"
corpus="$work/corpus"
artifacts=fuzz-artifacts
mkdir -p "$work" "$corpus" "$artifacts"

echo "fuzz-xml: building $binary (swiftc -sanitize=fuzzer,address $opt)" >&2
mapfile -t sources < <(find "${FUZZ_SOURCES:-Sources/XMLStream}" -name '*.swift' | sort)
sources+=(Sources/UTF8Rules/*.swift) # the UTF-8 rules the reader shares, compiled into the same module
# ld.gold warns about every sanitizer-local symbol it cannot export; those lines are noise.
if ! swiftc -sanitize=fuzzer,address -parse-as-library "$opt" -module-name XMLFuzz \
    "${sources[@]}" scripts/fuzz/XMLPullParserFuzz.swift scripts/fuzz/FuzzInvariant.swift -o "$binary" 2>"$work/build.log"; then
    grep -v "Cannot export local symbol" "$work/build.log" >&2
    exit 1
fi

# Seeds: every seed document behind a few control bytes (see the harness header): chunks of
# 1, 3 and 7 with default limits, 2 with tight limits, 64 fed up front, 4096 with small limits.
prefixes=('\x00' '\x02' '\x03' '\x09' '\x24' '\x1f')
for seed_file in scripts/fuzz/xml-seeds/*.xml; do
    name=$(basename "$seed_file" .xml)
    for index in "${!prefixes[@]}"; do
        seed="$corpus/seed-$name-$index"
        [[ -e "$seed" ]] || { printf "${prefixes[$index]}"; cat "$seed_file"; } >"$seed"
    done
done

# Inputs that once broke an invariant (see scripts/fuzz/xml-regressions/README.md) are kept as seeds;
# run_libfuzzer copies them into the corpus, runs, and reports what this run found.
run_libfuzzer fuzz-xml "$binary" "$corpus" "$artifacts" "$work" "$seconds" \
    scripts/fuzz/xml-regressions XML_FUZZ_VERBOSE --empty-regressions-ok -- \
    -max_len=4096 -timeout=10 -dict=scripts/fuzz/xml.dict
