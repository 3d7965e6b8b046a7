#!/usr/bin/env bash
# JMH micro-benchmarks of the bundles' hot paths (benchmarks/java), on this machine. A
# measurement, not a test.
#
# Usage (from anywhere; arguments go to JMH, see -h):
#   benchmarks/jmh-bench.sh                         every benchmark
#   benchmarks/jmh-bench.sh DhcpExchange -prof gc   one DHCP DORA exchange: time, and bytes
#                                                   allocated per exchange (gc.alloc.rate.norm)
#   benchmarks/jmh-bench.sh -l                      list the benchmarks
#
# The table goes to stdout and to benchmarks/results/jmh-latest.txt.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RESULT_FILE="$SCRIPT_DIR/results/jmh-latest.txt"
BENCH_NAME=jmh-bench
# shellcheck source=bench-lib.sh
. "$SCRIPT_DIR/bench-lib.sh"

CLASSPATH_FILE=$(mktemp)
trap 'rm -f "$CLASSPATH_FILE"' EXIT
jvm_benchmarks_classpath "$CLASSPATH_FILE"

mkdir -p "$(dirname "$RESULT_FILE")"
{
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -r), $(nproc) cpus, java $(java -version 2>&1 | head -1)"
    java -cp "$(cat "$CLASSPATH_FILE")" org.openjdk.jmh.Main "$@"
} | tee "$RESULT_FILE"
