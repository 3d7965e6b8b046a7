#!/usr/bin/env bash
# Durable lease commits per second of the embedded lease store on this disk, with 1, 8 and 64
# committers in flight (each waits for its lease to be synced before the next, as the DHCP server
# waits before its DHCPACK). Group commit is what makes many committers faster than one: they
# share each fsync. A measurement, not a test.
#
# Usage (from anywhere):
#   benchmarks/lease-journal-bench.sh               5 s per concurrency
#   SECONDS_PER_RUN=10 COMMITTERS="1 4 16 64 256" benchmarks/lease-journal-bench.sh
#
# Environment overrides:
#   BENCH_DIR        where the journals go (default: a fresh directory under
#                    benchmarks/java/target, i.e. the disk the repository is on);
#                    point it at the disk the distribution's leases/ directory will live on
#   SECONDS_PER_RUN  measured seconds per concurrency (5), after 1 s of warm-up
#   COMMITTERS       committer counts ("1 8 64")
#   SYNC_INTERVAL_MICROS  least time between two syncs, as syncIntervalMicros in
#                    etc/org.diskless.leases.cfg (default: the store's default, 2000); with one
#                    committer it caps commits/s at 1,000,000 / SYNC_INTERVAL_MICROS
#   JOURNAL_PREALLOCATION_BYTES  size new journals are created with, as journalPreallocationBytes
#                    (default 16 MiB; 0 = header only, every sync also records a new file size)
#
# The table goes to stdout and to benchmarks/results/lease-journal-latest.txt.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RESULT_FILE="$SCRIPT_DIR/results/lease-journal-latest.txt"
: "${SECONDS_PER_RUN:=5}" "${COMMITTERS:=1 8 64}"
BENCH_NAME=lease-journal-bench
# shellcheck source=bench-lib.sh
. "$SCRIPT_DIR/bench-lib.sh"

CLASSPATH_FILE=$(mktemp)
trap 'rm -f "$CLASSPATH_FILE"' EXIT
jvm_benchmarks_classpath "$CLASSPATH_FILE"

WORK=${BENCH_DIR:-$(mktemp -d "$SCRIPT_DIR/java/target/lease-bench.XXXXXX")}
mkdir -p "$WORK"
log "journals in $WORK ($(df -h --output=source,fstype "$WORK" | tail -1 | tr -s ' '))"

mkdir -p "$(dirname "$RESULT_FILE")"
{
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -r), $(nproc) cpus, java $(java -version 2>&1 | head -1)"
    java ${SYNC_INTERVAL_MICROS:+-DsyncIntervalMicros=$SYNC_INTERVAL_MICROS} \
        ${JOURNAL_PREALLOCATION_BYTES:+-DjournalPreallocationBytes=$JOURNAL_PREALLOCATION_BYTES} -cp "$(cat "$CLASSPATH_FILE")" \
        org.diskless.leases.internal.LeaseJournalBench "$WORK" "$SECONDS_PER_RUN" $COMMITTERS
} | tee "$RESULT_FILE"

if [ -z "${BENCH_DIR:-}" ]; then
    rm -rf "$WORK"
fi
