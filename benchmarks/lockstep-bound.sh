#!/usr/bin/env bash
# The floor of a PXE MTFTP boot storm on this host: how fast any program can run a lock-step
# multicast transfer (a block to the group, the master's ACK, the next block) between the two
# namespaces and cpus storm.sh uses, with the ideal sender and master of benchmarks/lockstep.c
# (a few lines of C around sendto and recvfrom, nothing of Diskless). From the round trip it
# prints the storm's floor: the ROM's open timeouts plus every MTFTP block of storm.sh's boot set
# at that round trip, and, given dnsmasq's time (DNSMASQ_SECONDS, from storm.sh at the same N),
# how far that floor is from "3 times sooner than dnsmasq".
#
# A PXE MTFTP transfer cannot beat blocks x round trip: the specification fixes 512-byte blocks
# and one outstanding block, and a ROM listens for its open timeout before it opens each file.
#
# Usage (as root): benchmarks/lockstep-bound.sh
#   DNSMASQ_SECONDS=19.4 benchmarks/lockstep-bound.sh
#
# Environment overrides:
#   BLOCKS           blocks per transfer (78967: storm.sh's loader, kernel and RAM disk at 512 bytes)
#   BLOCK_SIZE       bytes per block, the 4-byte TFTP header included (516)
#   OPEN_TIMEOUTS    MTFTP files a node listens for before opening (3) ...
#   OPEN_TIMEOUT     ... and the seconds of each listen (2, as storm.sh announces)
#   DNSMASQ_SECONDS  dnsmasq's all-done time at the same N, from storm.sh (none: no target line)
#   SRV_CPU, CLI_CPU the sender's cpu and the master's (0, 1, as storm.sh)
#   RUNS             runs per mode; the best is kept (3)
#
# Two namespaces, lsb-srv-PID and lsb-cli-PID, joined by a veth pair in 198.18.48.0/24 (RFC 2544
# range), made here and removed on exit, with every process in them.

set -euo pipefail

BENCH_NAME=lockstep-bound
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench-lib.sh
. "$SCRIPT_DIR/bench-lib.sh"
RESULTS_DIR="$SCRIPT_DIR/results"
RESULT_FILE="$RESULTS_DIR/lockstep-bound-latest.txt"

BLOCKS=${BLOCKS:-78967}
BLOCK_SIZE=${BLOCK_SIZE:-516}
OPEN_TIMEOUTS=${OPEN_TIMEOUTS:-3}
OPEN_TIMEOUT=${OPEN_TIMEOUT:-2}
DNSMASQ_SECONDS=${DNSMASQ_SECONDS:-}
SRV_CPU=${SRV_CPU:-0}
CLI_CPU=${CLI_CPU:-1}
RUNS=${RUNS:-3}

NS_SRV=lsb-srv-$$
NS_CLI=lsb-cli-$$
SRV_IP=198.18.48.1
CLI_IP=198.18.48.2
GROUP=239.255.48.1
GROUP_PORT=1758
SERVER_PORT=1759

[ "$(id -u)" = 0 ] || die "run as root (network namespaces)"
for value in BLOCKS BLOCK_SIZE OPEN_TIMEOUTS OPEN_TIMEOUT RUNS; do
    [[ ${!value} =~ ^[0-9]+$ ]] || die "$value must be a whole number, not '${!value}'"
done
command -v gcc >/dev/null || die "gcc is needed to build benchmarks/lockstep.c"

cleanup() {
    remove_namespaces "$NS_SRV" "$NS_CLI"
    end_work
}
begin_run lockstep-bound

gcc -O2 -Wall -o "$WORK/lockstep" "$SCRIPT_DIR/lockstep.c" || die "gcc failed on lockstep.c"
ip netns add "$NS_SRV"
ip netns add "$NS_CLI"
ip link add veth-lsb-s netns "$NS_SRV" type veth peer name veth-lsb-c netns "$NS_CLI"
ip -n "$NS_SRV" addr add "$SRV_IP/24" dev veth-lsb-s
ip -n "$NS_CLI" addr add "$CLI_IP/24" dev veth-lsb-c
for ns in "$NS_SRV" "$NS_CLI"; do ip -n "$ns" link set lo up; done
ip -n "$NS_SRV" link set veth-lsb-s up
ip -n "$NS_CLI" link set veth-lsb-c up
ip -n "$NS_SRV" route add 224.0.0.0/4 dev veth-lsb-s
ip -n "$NS_CLI" route add 224.0.0.0/4 dev veth-lsb-c

# run_once SPIN: one transfer; prints "blocks seconds microseconds-per-round-trip".
run_once() {
    local spin=$1 master_pid out
    ip netns exec "$NS_SRV" taskset -c "$SRV_CPU" "$WORK/lockstep" sender "$GROUP" "$GROUP_PORT" "$SERVER_PORT" \
        "$BLOCKS" "$BLOCK_SIZE" "$spin" >"$WORK/sender.out" &
    local sender_pid=$!
    sleep 0.3
    ip netns exec "$NS_CLI" taskset -c "$CLI_CPU" "$WORK/lockstep" master "$GROUP" "$GROUP_PORT" "$SRV_IP" \
        "$SERVER_PORT" "$CLI_IP" "$spin" &
    master_pid=$!
    # Bounded: the sender gives up after 5 s without an ACK, the master after 5 s without a block.
    wait "$sender_pid" || { stop_process "$master_pid"; die "the sender failed (spin $spin)"; }
    wait "$master_pid" || die "the master failed (spin $spin)"
    out=$(cat "$WORK/sender.out")
    [ -n "$out" ] || die "the sender printed nothing (spin $spin)"
    echo "$out"
}

{
    echo "Lock-step multicast floor $(date -u '+%F %H:%M') UTC: $BLOCKS blocks of $BLOCK_SIZE bytes, best of $RUNS"
    echo "host: $(uname -r), $(nproc) cpus ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), load average $(cut -d' ' -f1-3 /proc/loadavg); sender on cpu $SRV_CPU, master on cpu $CLI_CPU"
    echo
    printf '%-34s %8s %10s %12s\n' mode blocks seconds "us/round"
    best_blocking=""
    for spin in 0 1; do
        best=""
        for _ in $(seq 1 "$RUNS"); do
            read -r blocks seconds micros < <(run_once "$spin")
            if [ -z "$best" ] || awk "BEGIN { exit !($seconds < ${best%% *}) }"; then best="$seconds $micros"; fi
        done
        mode=$([ "$spin" = 1 ] && echo "both polling (no wake-ups)" || echo "both blocking in recvfrom")
        printf '%-34s %8s %10s %12s\n' "$mode" "$BLOCKS" "${best%% *}" "${best##* }"
        [ "$spin" = 1 ] && best_spin=$best || best_blocking=$best
    done
    floor_spin=$(calc '%.1f' "$OPEN_TIMEOUTS * $OPEN_TIMEOUT + ${best_spin%% *}")
    floor_blocking=$(calc '%.1f' "$OPEN_TIMEOUTS * $OPEN_TIMEOUT + ${best_blocking%% *}")
    echo
    echo "storm floor (no DHCP, no unicast configuration file, no generator work): $OPEN_TIMEOUTS listens of"
    echo "  $OPEN_TIMEOUT s + the blocks at the round trip: ${floor_spin} s polling, ${floor_blocking} s blocking"
    if [ -n "$DNSMASQ_SECONDS" ]; then
        target=$(calc '%.1f' "$DNSMASQ_SECONDS / 3")
        echo "3x sooner than dnsmasq's $DNSMASQ_SECONDS s is $target s: at best $(calc '%.2f' "$DNSMASQ_SECONDS / $floor_spin")x for any"
        echo "  program here (polling), $(calc '%.2f' "$DNSMASQ_SECONDS / $floor_blocking")x for one that sleeps between blocks"
    fi
} | tee "$RESULT_FILE"
