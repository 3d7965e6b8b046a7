#!/usr/bin/env bash
# A fuzzing campaign: runs each Jazzer fuzz target of the fuzz/ module for a number of inputs
# (after its seeds), one JVM per target, and prints per target the inputs executed, inputs per
# second, the distinct findings and the size of the corpus it built. Not a test: CI fuzzes each
# target for a few seconds only (fuzz/pom.xml).
#
# Usage (from anywhere; no root needed):
#   nice -n 19 benchmarks/fuzz.sh                       10,000,000 inputs per target, every target
#   nice -n 19 benchmarks/fuzz.sh -n 200000 DhcpDecoderFuzzTest TftpDecoderFuzzTest
#
# Options:
#   -n RUNS      inputs per target (default 10000000)
#   -s SECONDS   stop a target after this long whatever its count (default 0: no limit)
#   -k FINDINGS  distinct findings after which a target stops (default 100)
#   TARGET...    class names of fuzz targets (default: every *FuzzTest under fuzz/src/test/java)
#
# A finding's input lands where Jazzer puts it, next to the seeds in
# fuzz/src/test/resources/<package>/<Target>Inputs/<method>/ (crash-…, timeout-…), so the next
# build replays it; the corpus Jazzer grows stays in fuzz/.cifuzz-corpus/ and seeds the next
# campaign. Each target's whole output: fuzz/target/fuzz-campaign/<Target>.log.
# The table goes to stdout and to benchmarks/results/fuzz-latest.txt.

set -euo pipefail

BENCH_NAME=fuzz
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
# shellcheck source=bench-lib.sh
. "$SCRIPT_DIR/bench-lib.sh"
MODULE="$REPO_ROOT/fuzz"
RESULT_FILE="$SCRIPT_DIR/results/fuzz-latest.txt"

RUNS=10000000
SECONDS_LIMIT=0
KEEP_GOING=100
while getopts "n:s:k:h" option; do
    case $option in
        n) RUNS=$OPTARG ;;
        s) SECONDS_LIMIT=$OPTARG ;;
        k) KEEP_GOING=$OPTARG ;;
        *) sed -n '2,20p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "-n takes a positive number of inputs, not '$RUNS'"
[[ $SECONDS_LIMIT =~ ^[0-9]+$ ]] || die "-s takes whole seconds, not '$SECONDS_LIMIT'"

if [ $# -gt 0 ]; then
    TARGETS=("$@")
else
    mapfile -t TARGETS < <(find "$MODULE/src/test/java" -name '*FuzzTest.java' -printf '%f\n' | sed 's/\.java$//' | sort)
fi
[ "${#TARGETS[@]}" -gt 0 ] || die "no fuzz targets found under $MODULE/src/test/java"
declare -A CLASS
for target in "${TARGETS[@]}"; do
    file=$(find "$MODULE/src/test/java" -name "$target.java" | head -1)
    [ -n "$file" ] || die "no fuzz target $target under $MODULE/src/test/java"
    CLASS[$target]=$(realpath --relative-to="$MODULE/src/test/java" "$file" | sed 's/\.java$//; s|/|.|g')
done

log "$RUNS inputs per target$([ "$SECONDS_LIMIT" != 0 ] && echo ", at most ${SECONDS_LIMIT}s each"): ${TARGETS[*]}"
mkdir -p "$MODULE/target/fuzz-campaign"
started=$(date +%s)
for target in "${TARGETS[@]}"; do
    # A build per target: Jazzer fuzzes one target per JVM, and libFuzzer's own lines (the counts)
    # reach only the build's output, not surefire's report. A target with findings fails its
    # test; the campaign goes on and the table says what each found.
    log "$target"
    (cd "$REPO_ROOT" && mvn -B -o verify -pl fuzz -am \
        -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.test.failure.ignore=true \
        -Dfuzz.mode=1 -Dfuzz.runs="$RUNS" -Dfuzz.seconds="$SECONDS_LIMIT" -Dfuzz.keepGoing="$KEEP_GOING") \
        >"$MODULE/target/fuzz-campaign/$target.log" 2>&1 \
        || { tail -30 "$MODULE/target/fuzz-campaign/$target.log" >&2; die "the build failed (log: fuzz/target/fuzz-campaign/$target.log)"; }
done
elapsed=$(($(date +%s) - started))

mkdir -p "$(dirname "$RESULT_FILE")"
{
    echo "Fuzzing campaign, $(date -u +%F), $RUNS inputs per target asked, ${elapsed}s in all, Jazzer $(sed -n 's:.*<jazzer.version>\(.*\)</jazzer.version>.*:\1:p' "$MODULE/pom.xml")"
    printf '%-24s %12s %9s %9s %8s  %s\n' target inputs "exec/s" findings corpus "finding inputs"
    for target in "${TARGETS[@]}"; do
        class=${CLASS[$target]}
        output="$MODULE/target/fuzz-campaign/$target.log"
        inputs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$output" | tail -1)
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$output" | tail -1)
        findings=$(grep -c '^== Java Exception' "$output" || true)
        files=$(grep -o 'Test unit written to [^ ]*' "$output" | sed 's|.*/||' | sort -u | tr '\n' ' ' || true)
        corpus=0
        corpus_dir=$(find "$MODULE/.cifuzz-corpus/$class" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -1)
        [ -n "$corpus_dir" ] && corpus=$(find "$corpus_dir" -type f | wc -l)
        printf '%-24s %12s %9s %9s %8s  %s\n' "$target" "${inputs:--}" "${rate:--}" "$findings" "$corpus" "$files"
    done
} | tee "$RESULT_FILE"
