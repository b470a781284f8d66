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
# reproduces the run ends at once.
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

seconds=${1:-60}
work=${FUZZ_WORK:-/tmp/bulkdrop-fuzz-xml}
opt=${FUZZ_OPT:--O}
binary="$work/xml-fuzz"
corpus="$work/corpus"
artifacts=fuzz-artifacts
mkdir -p "$work" "$corpus" "$artifacts"

echo "fuzz-xml: building $binary (swiftc -sanitize=fuzzer,address $opt)" >&2
mapfile -t sources < <(find "${FUZZ_SOURCES:-Sources/XMLStream}" -name '*.swift' | sort)
# ld.gold warns about every sanitizer-local symbol it cannot export; those lines are noise.
if ! swiftc -sanitize=fuzzer,address -parse-as-library "$opt" -module-name XMLFuzz \
    "${sources[@]}" scripts/fuzz/XMLPullParserFuzz.swift -o "$binary" 2>"$work/build.log"; then
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

# Swift's own crash backtracer would take the trap before libFuzzer saves the input.
export SWIFT_BACKTRACE=enable=no
# Inputs that once broke an invariant (see scripts/fuzz/xml-regressions/README.md) are kept as seeds.
for regression in scripts/fuzz/xml-regressions/*; do
    [[ -e "$regression" && "$regression" != *.md ]] || continue
    cp "$regression" "$corpus/regression-$(basename "$regression")"
done

marker="$work/run-started"
touch "$marker"
echo "fuzz-xml: running for ${seconds}s on $(find "$corpus" -type f | wc -l) corpus inputs; findings go to $artifacts/" >&2
flags=(-max_total_time="$seconds" -max_len=4096 -timeout=10 -dict=scripts/fuzz/xml.dict
    -artifact_prefix="$artifacts/" -print_final_stats=1)
status=0
if [[ "${FUZZ_KEEP_GOING:-0}" == 1 ]]; then
    "$binary" "$corpus" "${flags[@]}" -fork="${FUZZ_JOBS:-1}" \
        -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 || status=$?
else
    "$binary" "$corpus" "${flags[@]}" || status=$?
fi

mapfile -t found < <(find "$artifacts" -maxdepth 1 -type f -newer "$marker" | sort)
if ((${#found[@]} > 0)); then
    echo "fuzz-xml: ${#found[@]} finding(s):" >&2
    printf '  %s\n' "${found[@]}" >&2
    echo "fuzz-xml: replay with SWIFT_BACKTRACE=enable=no XML_FUZZ_VERBOSE=1 $binary FILE" >&2
    exit 1
fi
if ((status != 0)); then
    echo "fuzz-xml: the fuzzer exited with status $status" >&2
    exit "$status"
fi
echo "fuzz-xml: no findings" >&2
