#!/usr/bin/env bash
# What a DHCP server with a peer spends on a broadcast it leaves to the peer, against an exchange
# it answers: cpu time per message of the event loop's work on one thread, from bytes to bytes
# (org.diskless.dhcp.internal.PeerDropCost in benchmarks/java). Cpu time of the measuring thread,
# so a busy host slows it without skewing it. A measurement, not a test; docs/benchmarks.md says
# what it bounds.
#
# Usage (from anywhere): benchmarks/peer-drop-cost.sh
#
# The table goes to stdout and to benchmarks/results/peer-drop-cost-latest.txt.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RESULT_FILE="$SCRIPT_DIR/results/peer-drop-cost-latest.txt"
BENCH_NAME=peer-drop-cost
# shellcheck source=bench-lib.sh
. "$SCRIPT_DIR/bench-lib.sh"

CLASSPATH_FILE=$(mktemp)
trap 'rm -f "$CLASSPATH_FILE"' EXIT
jvm_benchmarks_classpath "$CLASSPATH_FILE"

mkdir -p "$(dirname "$RESULT_FILE")"
{
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -r), $(nproc) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    java -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$(cat "$CLASSPATH_FILE")" org.diskless.dhcp.internal.PeerDropCost
} | tee "$RESULT_FILE"
