#!/usr/bin/env bash
# Runs the libFuzzer targets that `make fuzz` (release) or `make fuzz-smoke` (debug) built
# for SECONDS each and prints one line per target with its executions per second. Exits
# non-zero if any target found a crash, a leak or a timeout; the input that triggered it is
# kept under Fuzz/.build/artifacts/<TARGET>/ and the full output in Fuzz/.build/logs/.
#
# usage: Fuzz/run.sh smoke|long SECONDS [TARGET...]
#   smoke  start from the committed seeds only, in a fresh temporary corpus (make fuzz-smoke)
#   long   keep what the fuzzer finds in Fuzz/.build/corpus/<TARGET> across runs (make fuzz)
# Either way the committed seeds (Fuzz/Corpus/<TARGET>) are read, never written: libFuzzer
# only adds new inputs to the first corpus directory it is given.
set -uo pipefail

mode=${1:?usage: $0 smoke|long SECONDS [TARGET...]}
seconds=${2:?usage: $0 smoke|long SECONDS [TARGET...]}
shift 2
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(STUN RTP RTCP DTLS)

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
bin_dir="$fuzz_dir/.build/${FUZZ_CONFIGURATION:-release}"
artifacts="$fuzz_dir/.build/artifacts"
logs="$fuzz_dir/.build/logs"
mkdir -p "$artifacts" "$logs"

# Largest input per target: datagrams fit an MTU; a DTLS input holds a whole handshake.
max_len() {
    case $1 in
        DTLS) echo 4096 ;;
        STUN) echo 2048 ;;
        *) echo 1500 ;;
    esac
}

# Let a Swift runtime trap reach libFuzzer's handler: the runtime's own backtracer reads the
# stack in ways AddressSanitizer reports as an overflow, hiding the real failure.
export SWIFT_BACKTRACE=enable=no

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

failed=()
printf '%-6s %12s %10s %8s %8s  %s\n' target executions exec/s cov corpus result
for target in "${targets[@]}"; do
    binary="$bin_dir/Fuzz$target"
    seeds="$fuzz_dir/Corpus/$target"
    [[ -x $binary ]] || { echo "missing $binary: run make fuzz or make fuzz-smoke" >&2; exit 2; }
    if [[ $mode == long ]]; then
        corpus="$fuzz_dir/.build/corpus/$target"
    else
        corpus="$scratch/$target"
    fi
    mkdir -p "$corpus" "$artifacts/$target"
    log="$logs/$target.log"

    "$binary" "$corpus" "$seeds" \
        -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$artifacts/$target/" >"$log" 2>&1
    status=$?

    executions=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
    rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")
    coverage=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}')
    corpus_size=$(grep -Eo 'corp: [0-9]+' "$log" | tail -1 | awk '{print $2}')
    if [[ $status -eq 0 ]]; then
        result=ok
    else
        result="FAILED (exit $status, log $log)"
        failed+=("$target")
    fi
    printf '%-6s %12s %10s %8s %8s  %s\n' "$target" "${executions:-?}" "${rate:-?}" "${coverage:-?}" \
        "${corpus_size:-?}" "$result"
    if [[ $status -ne 0 ]]; then
        grep -E '^(==[0-9]+==ERROR|SUMMARY|Fatal error|artifact_prefix|Test unit written)' "$log" | head -20 | sed 's/^/    /'
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzzing found problems in: ${failed[*]} (inputs in $artifacts)" >&2
    exit 1
fi
