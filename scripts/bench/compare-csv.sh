#!/usr/bin/env bash
# Compare CSV read throughput: BurntSushi's Rust csv crate (baseline) vs `bulkdrop bench csv`.
#
#   bash scripts/bench/compare-csv.sh            # uses /tmp/bulkdrop-bench/devices-1m.csv (generated if missing)
#   bash scripts/bench/compare-csv.sh FILE       # uses an existing CSV file instead
#
# Run from the repository root. The Rust side builds offline from Debian's crate sources
# (apt-get install librust-csv-dev); see scripts/bench/README.md.
set -euo pipefail

RUNS=3
BENCH_DIR="scripts/bench"
DEFAULT_FILE="/tmp/bulkdrop-bench/devices-1m.csv"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/rust-csv-bench-target}"

if [[ ! -f Package.swift || ! -d "$BENCH_DIR/rust-csv" ]]; then
    echo "compare-csv.sh: run this from the repository root (bash scripts/bench/compare-csv.sh [FILE])" >&2
    exit 2
fi
if [[ $# -gt 1 ]]; then
    echo "usage: bash scripts/bench/compare-csv.sh [FILE]" >&2
    exit 2
fi

if [[ $# -eq 1 ]]; then
    FILE="$1"
    if [[ ! -f "$FILE" ]]; then
        echo "compare-csv.sh: no such file: $FILE" >&2
        exit 1
    fi
else
    FILE="$DEFAULT_FILE"
    if [[ ! -f "$FILE" ]]; then
        echo "== generating $FILE (1,000,000 rows)"
        python3 "$BENCH_DIR/make-devices-csv.py" "$FILE" --rows 1000000
    fi
fi
FILE="$(cd "$(dirname "$FILE")" && pwd)/$(basename "$FILE")"
echo "== file: $FILE ($(stat -c %s "$FILE") bytes)"

# --- Rust baseline -------------------------------------------------------------------------
if [[ ! -d /usr/share/cargo/registry ]] || ! compgen -G "/usr/share/cargo/registry/csv-1.*" > /dev/null; then
    echo "compare-csv.sh: Debian's csv crate sources are missing;" \
        "run: DEBIAN_FRONTEND=noninteractive apt-get install -y librust-csv-dev" >&2
    exit 1
fi
echo "== building rust-csv-bench (release, offline, target dir $CARGO_TARGET_DIR)"
# The .cargo/config.toml in rust-csv/ points crates-io at /usr/share/cargo/registry; cargo
# only reads it when run from inside that directory, hence the subshell.
(cd "$BENCH_DIR/rust-csv" && cargo build --release --offline --quiet)
RUST_BIN="$CARGO_TARGET_DIR/release/rust-csv-bench"

# The median of a run's `seconds=` values, read from stdin.
median_seconds() {
    grep -o 'seconds=[0-9.]*' | cut -d= -f2 | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

echo "== rust csv crate, $RUNS runs"
RUST_OUT=""
for _ in $(seq "$RUNS"); do
    line="$("$RUST_BIN" "$FILE")"
    echo "$line"
    RUST_OUT+="$line"$'\n'
done

# --- Swift (bulkdrop) ----------------------------------------------------------------------
echo "== building bulkdrop (swift build -c release --product bulkdrop)"
SWIFT_LOG="$(mktemp -t bulkdrop-build.XXXXXX)"
if swift build -c release --product bulkdrop > "$SWIFT_LOG" 2>&1; then
    rm -f "$SWIFT_LOG"
    echo "== swift bulkdrop bench csv, $RUNS runs"
    SWIFT_OUT=""
    for _ in $(seq "$RUNS"); do
        line="$(swift run -c release --skip-build --quiet bulkdrop bench csv "$FILE")"
        echo "$line"
        SWIFT_OUT+="$line"$'\n'
    done
    rust_median="$(printf '%s' "$RUST_OUT" | median_seconds)"
    swift_median="$(printf '%s' "$SWIFT_OUT" | median_seconds)"
    # At most 1.00 means the Swift reader is at least as fast as the csv crate on this file.
    awk -v s="$swift_median" -v r="$rust_median" \
        'BEGIN { printf "== time ratio swift/rust (median seconds %s / %s): %.2f\n", s, r, s / r }'
else
    echo "== SKIPPED swift side: 'swift build -c release --product bulkdrop' failed" \
        "(bulkdrop not buildable yet?); last lines of the build log ($SWIFT_LOG):"
    tail -n 15 "$SWIFT_LOG" | sed 's/^/   | /'
fi
