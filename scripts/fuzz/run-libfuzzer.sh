# Sourced by scripts/fuzz-csv.sh, fuzz-xml.sh and fuzz-zip.sh after each has built its fuzzer and
# seeded its corpus (from the repository root, under their set -euo pipefail): the run they share.
#
#   run_libfuzzer NAME BINARY CORPUS ARTIFACTS WORK SECONDS REGRESSIONS VERBOSE_VARIABLE \
#       [--empty-regressions-ok] -- FLAG...
#
# Copies REGRESSIONS/* but *.md into CORPUS, runs BINARY for SECONDS with FLAG... (the target's own
# -max_len, -dict, ...), with FUZZ_KEEP_GOING=1 in fork mode past crashes (FUZZ_JOBS workers), then
# exits the script: 1 when ARTIFACTS gained a file (listed, with a VERBOSE_VARIABLE=1 replay line),
# else the fuzzer's status if not 0; else it says "NAME: no findings" and returns 0.
# --empty-regressions-ok: a REGRESSIONS glob that matches no file is skipped, not a failing cp.

run_libfuzzer() {
    local usage="bad arguments; see scripts/fuzz/run-libfuzzer.sh"
    if (($# < 9)); then
        echo "run_libfuzzer: $usage" >&2
        return 2
    fi
    local name=$1 binary=$2 corpus=$3 artifacts=$4 work=$5 seconds=$6 regressions=$7 verbose=$8
    shift 8
    local empty_regressions_ok=0
    if [[ "$1" == --empty-regressions-ok ]]; then
        empty_regressions_ok=1
        shift
    fi
    if [[ "${1:-}" != -- ]]; then
        echo "run_libfuzzer: $usage" >&2
        return 2
    fi
    shift
    local -a extra_flags=("$@")

    # Swift's own crash backtracer would take the trap before libFuzzer saves the input.
    export SWIFT_BACKTRACE=enable=no
    # Inputs that once broke an invariant (see REGRESSIONS/README.md) are kept as seeds.
    local regression
    for regression in "$regressions"/*; do
        if ((empty_regressions_ok)); then
            [[ -e "$regression" && "$regression" != *.md ]] || continue
            cp "$regression" "$corpus/regression-$(basename "$regression")"
        else
            [[ "$regression" == *.md ]] || cp "$regression" "$corpus/regression-$(basename "$regression")"
        fi
    done

    local marker="$work/run-started"
    touch "$marker"
    echo "$name: running for ${seconds}s on $(find "$corpus" -type f | wc -l) corpus inputs; findings go to $artifacts/" >&2
    local -a flags=(-max_total_time="$seconds" "${extra_flags[@]}"
        -artifact_prefix="$artifacts/" -print_final_stats=1)
    local status=0
    if [[ "${FUZZ_KEEP_GOING:-0}" == 1 ]]; then
        "$binary" "$corpus" "${flags[@]}" -fork="${FUZZ_JOBS:-1}" \
            -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 || status=$?
    else
        "$binary" "$corpus" "${flags[@]}" || status=$?
    fi

    local -a found
    mapfile -t found < <(find "$artifacts" -maxdepth 1 -type f -newer "$marker" | sort)
    if ((${#found[@]} > 0)); then
        echo "$name: ${#found[@]} finding(s):" >&2
        printf '  %s\n' "${found[@]}" >&2
        echo "$name: replay with SWIFT_BACKTRACE=enable=no $verbose=1 $binary FILE" >&2
        exit 1
    fi
    if ((status != 0)); then
        echo "$name: the fuzzer exited with status $status" >&2
        exit "$status"
    fi
    echo "$name: no findings" >&2
}
