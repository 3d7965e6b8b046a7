#!/usr/bin/env bash
# TFTP throughput and memory benchmark: our server (Diskless) against tftpd-hpa and atftpd, side
# by side in one run, on the same pair of network namespaces, with the same client (atftp).
#
# Usage (as root, from anywhere):
#   benchmarks/tftp-bench.sh            full matrix, about 15 minutes
#   QUICK=1 benchmarks/tftp-bench.sh    smoke run: blksize 1468 only, 16 MiB file, 1 repetition
#
# Environment overrides:
#   DISKLESS_DIST       our distribution tarball
#                       (default karaf-assembly/target/karaf-assembly-0.1.0-SNAPSHOT.tar.gz)
#   REPS                repetitions per cell, the best rate counts (full 5, quick 1)
#   BLKSIZES, WINDOWSIZES       single-transfer matrix ("512 1468 8192 65464", "1 8 16")
#   BIG_MIB             size of the single-transfer file (full 64, quick 16)
#   CONC, CONC_MIB, CONC_WINDOWSIZES   concurrent run: transfers, MiB each, windowsizes (50, 8, "1 8")
#   WARMUP_MIB          untimed transfers of the big file before measuring, at least this many MiB
#                       per server at blksize 1468 ws 8 and again lock-step at each of BLKSIZES (64)
#   CELL_WARMUP_BLOCKS  before each single-transfer cell, untimed transfers of that cell's shape
#                       until each server has sent at least this many blocks in it (10000)
#   XFER_TIMEOUT        seconds one client run may take (120)
#   OURS_START_TIMEOUT  seconds our server may take until it answers a RRQ (120)
#   OURS_CFG            more settings for ours, "key=value ...", e.g. "clientReceiveBuffer=1048576"
#   KEEP_WORK=1         keep the temporary directory (server logs, configuration) for inspection
#   TFTPD_HPA, ATFTPD   peer binaries to use; by default the installed in.tftpd if it is tftpd-hpa,
#                       and otherwise each is unpacked from its .deb (the two conflict in apt)
#
# Everything runs inside two namespaces this script creates (dlbench-srv, dlbench-cli) joined by
# a veth pair in 198.18.7.0/24 (RFC 2544 benchmark range); they and every process in them are
# removed on exit. Servers run on cpu 0, clients on cpu 1.
#
# The table goes to stdout and to benchmarks/results/tftp-latest.txt (our Karaf log to
# benchmarks/results/tftp-latest-karaf.log). Progress goes to stderr.

set -uo pipefail   # no -e: a failed transfer is a result to report, not a reason to stop

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RESULTS_DIR="$SCRIPT_DIR/results"
RESULT_FILE="$RESULTS_DIR/tftp-latest.txt"

QUICK=${QUICK:-0}
# What the results header calls the run: the full matrix only with every default kept.
RUN_KIND=full
[ -z "${BLKSIZES:-}${WINDOWSIZES:-}${CONC_WINDOWSIZES:-}${BIG_MIB:-}${CONC:-}${CONC_MIB:-}${REPS:-}${OURS_CFG:-}" ] \
    || RUN_KIND=partial
[ "$QUICK" = 1 ] && RUN_KIND=QUICK
if [ "$QUICK" = 1 ]; then
    : "${BLKSIZES:=1468}" "${BIG_MIB:=16}" "${CONC_MIB:=2}" "${REPS:=1}"
else
    : "${BLKSIZES:=512 1468 8192 65464}" "${BIG_MIB:=64}" "${CONC_MIB:=8}" "${REPS:=5}"
fi
: "${WINDOWSIZES:=1 8 16}" "${CONC:=50}" "${CONC_WINDOWSIZES:=1 8}" "${XFER_TIMEOUT:=120}"
: "${OURS_START_TIMEOUT:=120}" "${KEEP_WORK:=0}" "${WARMUP_MIB:=64}" "${CELL_WARMUP_BLOCKS:=10000}"
CONC_BLKSIZE=1468
DIST=${DISKLESS_DIST:-$REPO_ROOT/karaf-assembly/target/karaf-assembly-0.1.0-SNAPSHOT.tar.gz}

NS_SRV=dlbench-srv
NS_CLI=dlbench-cli
VETH_SRV=dlbench-s
VETH_CLI=dlbench-c
SRV_IP=198.18.7.1
CLI_IP=198.18.7.2
SRV_CPU=0
CLI_CPU=1

SERVERS=(ours tftpd-hpa atftpd)
declare -A PORT=([ours]=6900 [tftpd-hpa]=6901 [atftpd]=6902)
declare -A ROOT_PID=()     # process whose tree is the server, for memory (ours: the java process)
declare -A UP=()           # server answered a RRQ
declare -A GRANTED_WS=()   # "server|blksize" -> windowsize in its OACK to the largest one asked (1: none)
declare -A OACK=()         # that OACK as atftp traced it
declare -A RES=()          # "cell|server" -> figure as printed
declare -A NUM=()          # "cell|server" -> plain number, for the ratio
declare -A BUSY=()         # "cell|server" -> server cpu busy % in the run NUM came from
NOTES=()

WORK=""
OUT_DIR=""
SAMPLER_PID=""
NETNS_MADE=0
OURS_HOME=""
OURS_PID=""
OURS_NOTE=""

BENCH_NAME=tftp-bench
# shellcheck source=bench-lib.sh
. "$SCRIPT_DIR/bench-lib.sh"
use_benchmark_heap

# ---------------------------------------------------------------------------------------------
# Teardown. Every process that runs in our namespaces was started by this script (they did not
# exist before it), so "ip netns pids" is exactly the set we may kill.
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_ours
    if [ "$NETNS_MADE" = 1 ]; then
        remove_namespaces "$NS_SRV" "$NS_CLI"
    fi
    # The memory sampler is the one process of ours outside the namespaces.
    if alive "$SAMPLER_PID" && grep -qs tftp-bench-proc "/proc/$SAMPLER_PID/cmdline"; then
        kill -TERM "$SAMPLER_PID" 2>/dev/null
    fi
    [ -n "$OUT_DIR" ] && rm -rf "$OUT_DIR"
    if [ -n "$WORK" ]; then
        if [ "$KEEP_WORK" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
    fi
    exit "$rc"
}

# ---------------------------------------------------------------------------------------------
preflight() {
    [ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
    [ -x /usr/bin/python3 ] || die "/usr/bin/python3 is needed"
    if [ "$(nproc --all)" -lt 2 ]; then
        log "only one cpu: server and client share cpu 0"
        CLI_CPU=0
    fi
    namespaces_free "$NS_SRV" "$NS_CLI"
    if ip link show "$VETH_SRV" >/dev/null 2>&1 || ip link show "$VETH_CLI" >/dev/null 2>&1; then
        die "interface $VETH_SRV/$VETH_CLI already exists in the host namespace"
    fi
}

install_peers() {
    if ! command -v atftp >/dev/null; then
        log "installing atftp"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends atftp \
            >"$WORK/apt.log" 2>&1 || { tail -n 20 "$WORK/apt.log" >&2; die "apt-get install failed"; }
    fi
    # tftpd-hpa and atftpd conflict in apt (both ship in.tftpd, and /usr/sbin/in.tftpd may well be
    # atftpd), so whichever is not the installed in.tftpd is unpacked from its .deb instead.
    TFTPD_HPA=${TFTPD_HPA:-}
    if [ -z "$TFTPD_HPA" ]; then
        if in.tftpd -V 2>&1 | grep -q '^tftp-hpa'; then
            TFTPD_HPA=$(command -v in.tftpd)
        else
            TFTPD_HPA=$(unpack_deb tftpd-hpa)/usr/sbin/in.tftpd
        fi
    fi
    "$TFTPD_HPA" -V 2>&1 | grep -q '^tftp-hpa' || die "no tftpd-hpa binary at $TFTPD_HPA"
    ATFTPD=${ATFTPD:-}
    if [ -z "$ATFTPD" ]; then
        ATFTPD=$(unpack_deb atftpd)/usr/sbin/atftpd
    fi
    [ -x "$ATFTPD" ] || die "no atftpd binary at $ATFTPD"
}

setup_net() {
    veth_namespaces "$NS_SRV" "$NS_CLI" "$VETH_SRV" "$VETH_CLI"
    ip -n "$NS_SRV" addr add "$SRV_IP/24" dev "$VETH_SRV"
    ip -n "$NS_CLI" addr add "$CLI_IP/24" dev "$VETH_CLI"
}

make_files() {
    ROOT_DIR="$WORK/root"
    mkdir -p "$ROOT_DIR"
    head -c "${BIG_MIB}M" /dev/urandom >"$ROOT_DIR/big.bin"
    head -c "${CONC_MIB}M" /dev/urandom >"$ROOT_DIR/conc.bin"
    echo "diskless tftp benchmark" >"$ROOT_DIR/small.txt"
    SUM_BIG=$(sha256sum <"$ROOT_DIR/big.bin" | cut -d' ' -f1)
    SUM_CONC=$(sha256sum <"$ROOT_DIR/conc.bin" | cut -d' ' -f1)
    # Received files land on tmpfs so the client never waits for a disk.
    OUT_DIR=$(mktemp -d /dev/shm/dlbench.XXXXXX)
}

# ---------------------------------------------------------------------------------------------
# Servers. They run as root so the 0700 temp directory needs no permission changes.
start_peers() {
    ip netns exec "$NS_SRV" taskset -c "$SRV_CPU" "$TFTPD_HPA" --foreground --secure --user root \
        --address "$SRV_IP:${PORT[tftpd-hpa]}" "$ROOT_DIR" </dev/null >"$WORK/tftpd-hpa.log" 2>&1 &
    ROOT_PID[tftpd-hpa]=$!   # ip netns exec and taskset exec, so this is in.tftpd itself
    ip netns exec "$NS_SRV" taskset -c "$SRV_CPU" "$ATFTPD" --daemon --no-fork \
        --user root --group root --port "${PORT[atftpd]}" --bind-address "$SRV_IP" \
        --maxthread 100 --logfile "$WORK/atftpd.log" "$ROOT_DIR" \
        </dev/null >"$WORK/atftpd.out" 2>&1 &
    ROOT_PID[atftpd]=$!
}

stop_ours() {
    [ -n "$OURS_HOME" ] || return 0
    stop_karaf "$NS_SRV" "$OURS_HOME" "$OURS_PID" "$RESULTS_DIR/tftp-latest-karaf.log"
}

start_ours() {
    unpack_ours || return 1
    set_cfg "$OURS_HOME/etc/org.diskless.tftp.cfg" port "${PORT[ours]}"
    set_cfg "$OURS_HOME/etc/org.diskless.tftp.cfg" address 0.0.0.0
    set_cfg "$OURS_HOME/etc/org.diskless.tftp.cfg" maxTransfers 200
    # Every client here shares one address; the peers have no per-client limit either.
    set_cfg "$OURS_HOME/etc/org.diskless.tftp.cfg" maxTransfersPerClient 200
    # OURS_CFG="key=value ..." overrides more settings, e.g. OURS_CFG="clientReceiveBuffer=1048576".
    for kv in ${OURS_CFG:-}; do
        set_cfg "$OURS_HOME/etc/org.diskless.tftp.cfg" "${kv%%=*}" "${kv#*=}"
    done
    set_cfg "$OURS_HOME/etc/org.diskless.files.cfg" root "$ROOT_DIR"
    # Pinned from the start, as the peers are: the JVM then sizes itself (our event loops, GC
    # threads) for the one cpu it has. Pinned only after boot, it kept two TFTP event loops on
    # one cpu, where a loop polling for its next ACK held the cpu the other loop's transfers
    # waited for (50 concurrent ws8 in the lab: 88-92 MiB/s against 105-121 pinned from start).
    ip netns exec "$NS_SRV" taskset -c "$SRV_CPU" "$OURS_HOME/bin/karaf" server </dev/null >"$WORK/ours.out" 2>&1 &
    OURS_PID=$!
}

# A RRQ for small.txt must come back intact.
rrq_ok() {
    local name=$1 out="$OUT_DIR/ready.$1"
    rm -f "$out"
    ip netns exec "$NS_CLI" timeout 3 atftp -g -r small.txt -l "$out" "$SRV_IP" "${PORT[$name]}" \
        >/dev/null 2>&1 && cmp -s "$out" "$ROOT_DIR/small.txt"
}

wait_ready() {
    local name=$1 pid=$2 seconds=$3
    local deadline=$((SECONDS + seconds))
    while ((SECONDS < deadline)); do
        alive "$pid" || return 1
        rrq_ok "$name" && return 0
        sleep 1
    done
    return 1
}

bring_up_servers() {
    start_peers
    local name
    for name in tftpd-hpa atftpd; do
        if wait_ready "$name" "${ROOT_PID[$name]}" 10; then
            UP[$name]=1
        else
            NOTES+=("$name did not answer on port ${PORT[$name]}; rerun with KEEP_WORK=1 for its log")
        fi
    done
    if start_ours; then
        log "waiting up to ${OURS_START_TIMEOUT}s for our server on port ${PORT[ours]}"
        if wait_ready ours "$OURS_PID" "$OURS_START_TIMEOUT"; then
            local java
            if java=$(karaf_java "$OURS_PID"); then
                ROOT_PID[ours]=$java
                UP[ours]=1
            else
                OURS_NOTE="our server answers but no java process found below PID $OURS_PID"
            fi
        else
            OURS_NOTE="our server did not serve small.txt on port ${PORT[ours]} within ${OURS_START_TIMEOUT}s"
        fi
        # A Karaf that does not serve must not eat cpu while the peers are measured.
        [ "${UP[ours]:-0}" = 1 ] || stop_ours
    fi
    [ -n "$OURS_NOTE" ] && NOTES+=("ours: n/a - $OURS_NOTE")
    for name in "${SERVERS[@]}"; do
        [ "${UP[$name]:-0}" = 1 ] && probe_options "$name"
    done
}

# The largest windowsize any cell asks for, and the block sizes the cells use.
PROBE_WS=$(printf '%s\n' $WINDOWSIZES $CONC_WINDOWSIZES | sort -n | tail -n 1)
PROBE_BLKSIZES=$(printf '%s\n' $BLKSIZES $CONC_BLKSIZE | sort -nu)

# What does the server grant at each block size to windowsize PROBE_WS? (Ours grants as many
# blocks as fit the client's buffer, so it depends on the block size.) atftp --trace shows the
# OACK; the one for the largest block size goes into the legend.
probe_options() {
    local name=$1 blk line
    for blk in $PROBE_BLKSIZES; do
        line=$(ip netns exec "$NS_CLI" timeout 10 atftp --trace --option "blksize $blk" \
            --option "windowsize $PROBE_WS" --option "tsize 0" -g -r small.txt -l "$OUT_DIR/probe.$name" \
            "$SRV_IP" "${PORT[$name]}" 2>&1 | grep -m 1 'received OACK')
        # atftp ends the list with ", " erased by two backspaces, then ">".
        OACK[$name]=$(tr -d '\b' <<<"$line" | sed -e 's/.*received OACK <//' -e 's/[, ]*>[[:space:]]*$//')
        [ -n "${OACK[$name]}" ] || OACK[$name]="(no OACK)"
        GRANTED_WS["$name|$blk"]=$(grep -o 'windowsize: [0-9]*' <<<"$line" | grep -o '[0-9]*$')
        : "${GRANTED_WS["$name|$blk"]:=1}"
    done
}

# ---------------------------------------------------------------------------------------------
# Client side. One bash inside the client namespace starts N atftp transfers at once and times
# them itself, so "ip netns exec" start-up is not part of the measured time.
# Args: n host port file blksize windowsize out-prefix timeout. Prints "start end failed".
# windowsize 1 sends no windowsize option at all: plain lock-step RFC 1350 + blksize.
# "tsize 0" and not "tsize enable": atftp puts the value on the wire verbatim, and tftpd-hpa
# answers no tsize to "enable".
CLIENT_SNIPPET='
n=$1 host=$2 port=$3 file=$4 blk=$5 ws=$6 out=$7 tmo=$8
opts=(--option "blksize $blk" --option "tsize 0")
[ "$ws" -gt 1 ] && opts+=(--option "windowsize $ws")
pids=()
start=$(date +%s.%N)
for ((i = 1; i <= n; i++)); do
    timeout "$tmo" atftp "${opts[@]}" -g -r "$file" -l "$out.$i" "$host" "$port" \
        >"$out.$i.log" 2>&1 &
    pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
end=$(date +%s.%N)
echo "$start $end $failed"
'

# Namespace-wide counters from /proc/net/snmp (per network namespace):
# "Udp:OutDatagrams Udp:RcvbufErrors Ip:ReasmFails". The first tells how many datagrams the
# server really sent (retransmissions included), the other two how many were lost on the way in
# (socket buffer full, or a fragment of a large block missing).
netns_counters() {
    ip netns exec "$1" awk '
        $1 == "Ip:" || $1 == "Udp:" {
            if (hdr[$1]++) { for (i = 2; i <= NF; i++) v[$1 key[$1, i]] = $i }
            else { for (i = 2; i <= NF; i++) key[$1, i] = $i }
        }
        END { print v["Udp:OutDatagrams"] + 0, v["Udp:RcvbufErrors"] + 0, v["Ip:ReasmFails"] + 0 }
    ' /proc/net/snmp
}

# "wall idle" in microseconds: now, and how long cpu $1 has idled so far, from cpuidle's per-state
# times (/proc/stat counts in 10 ms ticks, a tenth of a transfer at 65464-byte blocks). Without
# cpuidle, no figure.
cpu_idle_us() {
    local state idle=0
    for state in /sys/devices/system/cpu/cpu"$1"/cpuidle/state*/time; do
        [ -r "$state" ] || { echo "${EPOCHREALTIME/./} -"; return; }
        idle=$((idle + $(<"$state")))
    done
    echo "${EPOCHREALTIME/./} $idle"
}

# run_clients SERVER N FILE BLKSIZE WINDOWSIZE
# Sets ELAPSED, OK (transfers intact), RESENT (datagrams the server sent per datagram a loss-free
# transfer needs), LOST (datagrams dropped in either namespace) and SRV_BUSY (how busy the
# server's cpu was meanwhile, %; whatever ran there, kernel work for the client included).
run_clients() {
    local name=$1 n=$2 file=$3 blk=$4 ws=$5
    local sum bytes out="$OUT_DIR/x" result start end failed i
    local s_out0 s_rb0 s_rf0 c_rb0 c_rf0 s_out1 s_rb1 s_rf1 c_rb1 c_rf1 wall0 idle0 wall1 idle1
    [ "$file" = big.bin ] && sum=$SUM_BIG || sum=$SUM_CONC
    bytes=$(stat -c %s "$ROOT_DIR/$file")
    rm -f "$out".*
    read -r s_out0 s_rb0 s_rf0 < <(netns_counters "$NS_SRV")
    read -r _ c_rb0 c_rf0 < <(netns_counters "$NS_CLI")
    read -r wall0 idle0 < <(cpu_idle_us "$SRV_CPU")
    result=$(ip netns exec "$NS_CLI" taskset -c "$CLI_CPU" timeout $((XFER_TIMEOUT + 30)) \
        bash -c "$CLIENT_SNIPPET" client "$n" "$SRV_IP" "${PORT[$name]}" "$file" "$blk" "$ws" \
        "$out" "$XFER_TIMEOUT")
    read -r wall1 idle1 < <(cpu_idle_us "$SRV_CPU")
    read -r s_out1 s_rb1 s_rf1 < <(netns_counters "$NS_SRV")
    read -r _ c_rb1 c_rf1 < <(netns_counters "$NS_CLI")
    SRV_BUSY=-
    [ "$idle0" = - ] || SRV_BUSY=$(calc "%.0f" "100 - 100 * ($idle1 - $idle0) / ($wall1 - $wall0)")
    # Needed per transfer: OACK + every block + the final short (maybe empty) block.
    RESENT=$(calc "%.2f" "($s_out1 - $s_out0) / ($n * (int($bytes / $blk) + 2))")
    LOST=$(( (s_rb1 - s_rb0) + (s_rf1 - s_rf0) + (c_rb1 - c_rb0) + (c_rf1 - c_rf0) ))
    read -r start end failed <<<"$result"
    if [ -z "${end:-}" ]; then ELAPSED=0; OK=0; return; fi
    ELAPSED=$(calc "%.6f" "$end - $start")
    # A transfer counts only if the bytes are right: a broken server must not look fast.
    OK=0
    for ((i = 1; i <= n; i++)); do
        [ -f "$out.$i" ] && [ "$(sha256sum <"$out.$i" | cut -d' ' -f1)" = "$sum" ] && OK=$((OK + 1))
    done
    rm -f "$out".*
}

# Remember runs that lost datagrams or needed retransmissions (> 2 % extra). Args: server cell.
LOSS_NOTES=()
declare -A LOSSY=()
loss_note() {
    [ "$LOST" -gt 0 ] && LOSSY["$2|$1"]=1
    if [ "$LOST" -gt 0 ] || [ "$(calc "%d" "$RESENT > 1.02")" = 1 ]; then
        LOSS_NOTES+=("$(printf '%-10s %-26s %6.1f s  sent %sx the datagrams needed, %s dropped' \
            "$1" "${2% MiB/s}" "$ELAPSED" "$RESENT" "$LOST")")
    fi
}

# The figure as printed: number, then markers (see the legend under the table).
mark() {
    local name=$1 cell=$2 ws=$3 blk=$4
    if [ "$ws" -gt 1 ] && [ "${GRANTED_WS["$name|$blk"]:-1}" -lt "$ws" ]; then echo -n "*"; fi
    if [ "${LOSSY["$cell|$name"]:-0}" = 1 ]; then echo -n "~"; fi
}

# Untimed transfers of one cell's shape, for every server alike, until each has sent
# CELL_WARMUP_BLOCKS blocks in it. Ours runs compiled code that the JIT specialises to what it has
# seen: in a lab run after the global warm-up, 64 MiB at blksize 65464 windowsize 2 took 0.23-0.26 s
# in its first three transfers and 0.11-0.12 s after fifteen more (1,025 blocks each); lock-step,
# it came down from 0.32 s to 0.13 s at the ninth; and moving to another shape slowed the next
# few transfers again. A fleet booting takes one shape many times over; the peers, compiled
# ahead of time, only have the file in the page cache already.
warm_up_cell() {
    local blk=$1 ws=$2 name i blocks rounds
    blocks=$(( $(stat -c %s "$ROOT_DIR/big.bin") / blk + 1 ))
    rounds=$(( (CELL_WARMUP_BLOCKS + blocks - 1) / blocks ))
    for ((i = 0; i < rounds; i++)); do
        for name in "${SERVERS[@]}"; do
            [ "${UP[$name]:-0}" = 1 ] || continue
            run_clients "$name" 1 big.bin "$blk" "$ws"
        done
    done
}

bench_single() {
    local blk ws name rep mibs best cell
    for blk in $BLKSIZES; do
        for ws in $WINDOWSIZES; do
            cell="${BIG_MIB}MiB bs=$blk ws=$ws"
            for name in "${SERVERS[@]}"; do NUM["$cell|$name"]=""; done
            warm_up_cell "$blk" "$ws"
            for ((rep = 1; rep <= REPS; rep++)); do
                for name in "${SERVERS[@]}"; do
                    [ "${UP[$name]:-0}" = 1 ] || continue
                    run_clients "$name" 1 big.bin "$blk" "$ws"
                    loss_note "$name" "$cell"
                    if [ "$OK" = 1 ]; then
                        mibs=$(calc "%.1f" "$BIG_MIB / $ELAPSED")
                        best=${NUM["$cell|$name"]}
                        if [ -z "$best" ] || [ "$(calc "%d" "$mibs > $best")" = 1 ]; then
                            NUM["$cell|$name"]=$mibs
                            BUSY["$cell|$name"]=$SRV_BUSY
                        fi
                    fi
                done
            done
            for name in "${SERVERS[@]}"; do
                if [ "${UP[$name]:-0}" != 1 ]; then
                    RES["$cell|$name"]="n/a"
                elif [ -z "${NUM["$cell|$name"]}" ]; then
                    RES["$cell|$name"]="FAIL"
                else
                    RES["$cell|$name"]="${NUM["$cell|$name"]}$(mark "$name" "$cell" "$ws" "$blk")"
                fi
            done
            log "$(printf '%-24s' "$cell") ours ${RES["$cell|ours"]}  tftpd-hpa ${RES["$cell|tftpd-hpa"]}  atftpd ${RES["$cell|atftpd"]} MiB/s"
        done
    done
}

# Concurrent transfers: best rate over REPS, and the largest memory growth seen (a single
# sample of a garbage-collected heap can look better than it is).
bench_concurrent() {
    local ws name rep cell_rate cell_mem idle peak mibs per
    for ws in $CONC_WINDOWSIZES; do
        cell_rate="${CONC}x${CONC_MIB}MiB bs=$CONC_BLKSIZE ws=$ws MiB/s"
        cell_mem="${CONC}x${CONC_MIB}MiB bs=$CONC_BLKSIZE ws=$ws KiB/xfer"
        CONC_CELLS+=("$cell_rate" "$cell_mem")
        declare -A failed=()
        for name in "${SERVERS[@]}"; do
            NUM["$cell_rate|$name"]=""; NUM["$cell_mem|$name"]=""; failed[$name]=0
        done
        for ((rep = 1; rep <= REPS; rep++)); do
            for name in "${SERVERS[@]}"; do
                [ "${UP[$name]:-0}" = 1 ] || continue
                sleep 1   # let the previous run's stragglers (tftpd-hpa children) finish
                idle=$("${PROC[@]}" mem "${ROOT_PID[$name]}")
                rm -f "$WORK/stop-sampler"
                taskset -c "$CLI_CPU" "${PROC[@]}" peak "$WORK/stop-sampler" \
                    $((XFER_TIMEOUT + 60)) "${ROOT_PID[$name]}" >"$WORK/peak" &
                SAMPLER_PID=$!
                run_clients "$name" "$CONC" conc.bin "$CONC_BLKSIZE" "$ws"
                touch "$WORK/stop-sampler"
                wait "$SAMPLER_PID"
                SAMPLER_PID=""
                loss_note "$name" "$cell_rate"
                peak=$(cat "$WORK/peak")
                failed[$name]=$((failed[$name] + CONC - OK))
                if [ "$OK" -gt 0 ]; then
                    mibs=$(calc "%.1f" "$OK * $CONC_MIB / $ELAPSED")
                    if [ -z "${NUM["$cell_rate|$name"]}" ] \
                        || [ "$(calc "%d" "$mibs > ${NUM["$cell_rate|$name"]}")" = 1 ]; then
                        NUM["$cell_rate|$name"]=$mibs
                    fi
                fi
                per=$(calc "%.0f" "($peak - $idle) / $CONC")
                if [ -z "${NUM["$cell_mem|$name"]}" ] || [ "$per" -gt "${NUM["$cell_mem|$name"]}" ]; then
                    NUM["$cell_mem|$name"]=$per
                fi
                NOTES+=("$name, ${cell_rate% MiB/s} run $rep: PSS idle $idle KiB, peak $peak KiB")
            done
        done
        for name in "${SERVERS[@]}"; do
            if [ "${UP[$name]:-0}" != 1 ]; then
                RES["$cell_rate|$name"]="n/a"; RES["$cell_mem|$name"]="n/a"
                continue
            fi
            if [ -n "${NUM["$cell_rate|$name"]}" ]; then
                RES["$cell_rate|$name"]="${NUM["$cell_rate|$name"]}$(mark "$name" "$cell_rate" "$ws" "$CONC_BLKSIZE")"
            else
                RES["$cell_rate|$name"]="FAIL"
            fi
            if [ "${failed[$name]}" -gt 0 ]; then
                RES["$cell_rate|$name"]="${RES["$cell_rate|$name"]}!"
                NOTES+=("$name, ${cell_rate% MiB/s}: ${failed[$name]} of $((CONC * REPS)) transfers failed or were corrupt")
            fi
            RES["$cell_mem|$name"]=${NUM["$cell_mem|$name"]}
        done
        log "$(printf '%-34s' "$cell_rate") ours ${RES["$cell_rate|ours"]}  tftpd-hpa ${RES["$cell_rate|tftpd-hpa"]}  atftpd ${RES["$cell_rate|atftpd"]}"
        log "$(printf '%-34s' "$cell_mem") ours ${RES["$cell_mem|ours"]}  tftpd-hpa ${RES["$cell_mem|tftpd-hpa"]}  atftpd ${RES["$cell_mem|atftpd"]}"
    done
}

# ours / best peer; for memory the best peer is the smallest.
ratio() {
    local cell=$1 lower_better=$2 ours=${NUM["$1|ours"]:-} best="" v name
    for name in tftpd-hpa atftpd; do
        v=${NUM["$cell|$name"]:-}
        [ -n "$v" ] || continue
        if [ -z "$best" ]; then best=$v
        elif [ "$lower_better" = 1 ] && [ "$(calc "%d" "$v < $best")" = 1 ]; then best=$v
        elif [ "$lower_better" = 0 ] && [ "$(calc "%d" "$v > $best")" = 1 ]; then best=$v
        fi
    done
    if [ -z "$ours" ] || [ -z "$best" ] || [ "$(calc "%d" "$best <= 0")" = 1 ]; then
        echo "n/a"
    else
        calc "%.2f" "$ours / $best"
    fi
}

row() { printf '%-38s %10s %10s %10s %10s\n' "$@"; }

print_table() {
    local cell blk ws
    {
        echo "TFTP benchmark $(date -u '+%Y-%m-%d %H:%M UTC'), $RUN_KIND run${OURS_CFG:+ (ours with $OURS_CFG)}"
        echo "host: $(uname -r), $(nproc --all) cpus ($(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), veth MTU 1500, server cpu $SRV_CPU, client cpu $CLI_CPU"
        heap_line
        echo "kernel memory monitor (DAMON): $(memory_monitor) (its passes can stall ours: see bench-lib.sh)"
        echo "client: $(atftp -V 2>&1 | head -n 1) for every server"
        echo "servers: ours (${PORT[ours]}) $( [ "${UP[ours]:-0}" = 1 ] && basename "$DIST" || echo 'n/a'), $("$TFTPD_HPA" -V 2>&1 | head -n 1 | cut -d, -f1) (${PORT[tftpd-hpa]}), $("$ATFTPD" -V 2>&1 | head -n 1) (${PORT[atftpd]})"
        echo
        row "cell" "ours" "tftpd-hpa" "atftpd" "ours/best"
        row "--------------------------------------" "----------" "----------" "----------" "----------"
        for blk in $BLKSIZES; do
            for ws in $WINDOWSIZES; do
                cell="${BIG_MIB}MiB bs=$blk ws=$ws"
                row "$cell MiB/s" "${RES["$cell|ours"]}" "${RES["$cell|tftpd-hpa"]}" \
                    "${RES["$cell|atftpd"]}" "$(ratio "$cell" 0)"
            done
        done
        for cell in "${CONC_CELLS[@]}"; do
            if [[ $cell == *KiB/xfer ]]; then
                row "$cell" "${RES["$cell|ours"]}" "${RES["$cell|tftpd-hpa"]}" \
                    "${RES["$cell|atftpd"]}" "$(ratio "$cell" 1)"
            else
                row "$cell" "${RES["$cell|ours"]}" "${RES["$cell|tftpd-hpa"]}" \
                    "${RES["$cell|atftpd"]}" "$(ratio "$cell" 0)"
            fi
        done
        echo
        row "server cpu busy in that best run, %" "ours" "tftpd-hpa" "atftpd" ""
        for blk in $BLKSIZES; do
            for ws in $WINDOWSIZES; do
                cell="${BIG_MIB}MiB bs=$blk ws=$ws"
                row "$cell" "${BUSY["$cell|ours"]:-}" "${BUSY["$cell|tftpd-hpa"]:-}" \
                    "${BUSY["$cell|atftpd"]:-}" ""
            done
        done
        echo
        echo "MiB/s: higher is better, best of $REPS. KiB/xfer = (peak - idle server memory) / $CONC,"
        echo "  sampled every 100 ms, worst of $REPS; lower is better. Memory is the proportional set"
        echo "  size (Pss) summed over the server's processes: a page shared by tftpd-hpa's forked"
        echo "  children, or mapped thrice by ZGC's heap views, counts once. Ours: the java process,"
        echo "  whose heap bin/setenv reserves and touches at start: the idle figure (notes) holds it."
        echo "ours/best: ours divided by the best peer (for MiB/s the fastest, for KiB/xfer the smallest)."
        echo "* server granted a smaller windowsize than asked (tftpd-hpa: none, lock-step; ours: as many
  blocks as fit clientReceiveBuffer)."
        echo "~ datagrams were dropped in a run of this cell, mostly at the client: atftp keeps the"
        echo "  default socket receive buffer ($(cat /proc/sys/net/core/rmem_default) bytes), smaller than a window of"
        echo "  large (fragmented) blocks; the figure then measures loss recovery, not throughput."
        echo "server cpu busy: the share of the run cpu $SRV_CPU did not idle (cpuidle), the kernel's work for"
        echo "  every datagram included: cutting large blocks into fragments and, as a veth delivers on the"
        echo "  sending cpu, the client's reassembly and wake-up. The run starts and ends the client too."
        echo "  Ours polls its sockets up to busyPollMicros between windows, counted as busy; the peers"
        echo "  sleep. If a block costs any server's cpu at least what it cost a peer at R MiB/s and B %"
        echo "  busy, none gets beyond R x 100 / B here; at 8192 and 65464 bytes the kernel's part of that"
        echo "  cost, the same for every server, is nearly all of it (docs/benchmarks.md)."
        echo "! some concurrent transfers failed or were corrupt; the rate counts intact ones only."
        echo "FAIL: no transfer came back intact within ${XFER_TIMEOUT}s."
        echo "OACK to RRQ blksize=$(tail -n 1 <<<"$PROBE_BLKSIZES") windowsize=$PROBE_WS tsize=0:"
        local name
        for name in "${SERVERS[@]}"; do
            echo "  $name: ${OACK[$name]:-n/a}"
        done
        local note
        for note in "${NOTES[@]}"; do echo "note: $note"; done
        if [ "${#LOSS_NOTES[@]}" -gt 0 ]; then
            echo "Runs with loss or retransmissions (dropped = receive buffer full or IP reassembly"
            echo "failed, in either namespace):"
            for note in "${LOSS_NOTES[@]}"; do echo "  $note"; done
        fi
    } | tee "$RESULT_FILE"
}

# ---------------------------------------------------------------------------------------------
main() {
    preflight
    begin_run dlbench
    CONC_CELLS=()
    install_peers
    setup_net
    make_files
    bring_up_servers
    # Untimed warm-up (JIT for ours, page cache for all), WARMUP_MIB whatever the file size: after
    # one 16 MiB transfer ours still ran its first cell at a quarter to a half of its warm speed.
    # Windows at 1468, then lock-step at every block size of the matrix: blocks of 16 KiB and more
    # take another path (read straight into the packet), and warmed at 1468 only, ours ran 65464
    # ws1 at 213-313 MiB/s while the JIT still compiled it (C2 took 14 % of the server cpu in the
    # third such transfer); after twelve, 331-393 MiB/s with the compilers at 3 %. Lock-step, as
    # a window of 65464-byte blocks can make a peer's transfer collapse (see the ~ mark).
    local name shape blk i rounds=$(( (WARMUP_MIB + BIG_MIB - 1) / BIG_MIB ))
    [ "$rounds" -ge 1 ] || rounds=1
    local shapes=("1468 8")   # "blksize windowsize"
    for blk in $BLKSIZES; do shapes+=("$blk 1"); done
    for name in "${SERVERS[@]}"; do
        [ "${UP[$name]:-0}" = 1 ] || continue
        for shape in "${shapes[@]}"; do
            for ((i = 0; i < rounds; i++)); do
                run_clients "$name" 1 big.bin "${shape% *}" "${shape#* }"
                [ "$OK" = 1 ] || NOTES+=("$name: warm-up transfer of big.bin at blksize ${shape% *}, windowsize ${shape#* } failed or was corrupt")
            done
        done
    done
    bench_single
    bench_concurrent
    print_table
}

main "$@"
