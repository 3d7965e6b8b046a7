#!/usr/bin/env bash
# DHCPv4 capacity benchmark: our server (Diskless) against Kea (kea-dhcp4, memfile) and dnsmasq,
# one after the other in one run, on the same pair of network namespaces, with the same client
# (perfdhcp, Kea's load generator), the same pool, lease time and clients, and durable leases for
# all three.
#
# For each server it searches the highest rate of 4-way exchanges (DISCOVER-OFFER-REQUEST-ACK)
# per second that completes with at most MAX_DROP_PCT % of the exchanges dropped: doubling from
# START_RATE (halving when that already fails), then bisecting, each step one bounded perfdhcp run
# of STEP_SECONDS. At the best passing step it reports the exchanges completed per second and the
# average and maximum delay of DISCOVER->OFFER and REQUEST->ACK; the p99 delays come from one more
# step at half that rate or LATENCY_MAX_RATE, whichever is lower, timed per exchange (perfdhcp -x t
# is too heavy for the client at full rate: see run_step). A failed step tells where its replies
# were lost: at the server's socket buffer (it could not keep up) or at perfdhcp's (it answered in
# bursts faster than perfdhcp read).
# perfdhcp plays every client through one socket, so its receive buffer is raised for all servers
# alike (CLIENT_RCVBUF, see perfdhcp-rcvbuf.c); a fleet of real clients has one socket each. It
# also runs on jemalloc (CLIENT_MALLOC): with glibc's malloc it allocated and freed its way to
# about 23,000 exchanges/s on one cpu of the benchmark VM, the rate our server already answered.
#
# Usage (as root, from anywhere):
#   benchmarks/dhcp-bench.sh            full search, about 10-15 minutes
#   QUICK=1 benchmarks/dhcp-bench.sh    smoke run: 3 s steps, coarse bisection, about 2-4 minutes
#
# Environment overrides:
#   DISKLESS_DIST       our distribution tarball
#                       (default karaf-assembly/target/karaf-assembly-0.1.0-SNAPSHOT.tar.gz)
#   SERVERS             which servers, in order ("ours kea dnsmasq")
#   STEP_SECONDS        length of one perfdhcp step (full 10, quick 3)
#   START_RATE          first rate tried, exchanges/s (full 500, quick 500)
#   MAX_RATE, MIN_RATE  the search stays within these (full 64000, quick 16000; 10)
#   RESOLUTION          bisect until the failing rate is within this fraction of the passing one
#                       (full 0.05, quick 0.25)
#   MAX_DROP_PCT        a step passes with at most this % of exchanges dropped (1)
#   TRIES               runs of a step that fails on drops before the rate counts as failed (2):
#                       on a VM one stall of the host or of the kernel's memory monitor can lose
#                       a few hundred replies in an otherwise clean step; every server gets the
#                       same second chance, and the table lists every run
#   CLIENTS             distinct simulated clients, perfdhcp -R (full 50000, quick 20000); the pool
#                       (POOL_FIRST-POOL_LAST, 65521 addresses) is larger, so it never runs out
#   LEASE_TIME          seconds, every server (3600)
#   DROP_TIME           seconds after which perfdhcp counts an unanswered message as dropped (1)
#   OURS_START_TIMEOUT  seconds our server may take until an exchange succeeds (120)
#   LATENCY_MAX_RATE    the highest rate of the timed p99 step (8000)
#   LATENCY_RATE        the rate of the timed step for every server, whatever its best rate (unset:
#                       half the best rate, at most LATENCY_MAX_RATE)
#   LATENCY_RUNS        timed steps per server (1), each after its own disk and echo probes
#   LATENCY_SECONDS     length of a timed step (STEP_SECONDS): perfdhcp -x t holds about 18 KB per
#                       exchange until it exits, and on a loaded host faulting in that memory made
#                       perfdhcp itself fall behind (it then says "client limit" in the table)
#   SEARCH=0            no capacity search: warm-up at START_RATE and at LATENCY_RATE, then the timed
#                       steps only
#   PROBE_INTERVAL_US   the disk probe syncs once every this many microseconds (2000, the lease
#                       journal's default syncIntervalMicros)
#   PROBE_RECORD_BYTES  bytes of one lease in our journal, for the disk probe's write size (70)
#   CLIENT_RCVBUF       perfdhcp's socket receive buffer in bytes (4194304), set by preloading
#                       perfdhcp-rcvbuf.c, built here with gcc; 0 leaves perfdhcp as it is
#   CLIENT_MALLOC       perfdhcp's memory allocator: jemalloc (default; preloaded, Debian's
#                       libjemalloc2 is installed if missing) or glibc (perfdhcp as it is)
#   OURS_CFG            more settings for ours, "key=value ...", into etc/org.diskless.dhcp.cfg
#   KEEP_WORK=1         keep the temporary directory (logs, lease files, each step's perfdhcp output)
#   SRV_CPU, CLI_CPU    the servers' cpu and perfdhcp's (default: servers on the cpu that takes the
#                       interrupts of the disk holding the lease files, perfdhcp on another one)
#
# Everything runs inside two namespaces this script creates (dlbdhcp-srv, dlbdhcp-cli) joined by
# a veth pair in 198.18.9.0/24 (RFC 2544 benchmark range); they and every process in them are
# removed on exit. perfdhcp always acts as a DHCP relay (it binds port 67 and sets giaddr to its
# own address), so the client namespace also has the relay address 198.19.0.1/16 and the pool is
# 198.19.0.0/16, reached from the server namespace through a route. The servers take turns on
# port 67 (a relay's answers always go to port 67), each on one cpu; perfdhcp runs on another. Lease
# files live in the temporary directory under /tmp (a disk, so syncs are real); perfdhcp's
# output goes to /dev/shm so that it never competes with them.
#
# The table goes to stdout and to benchmarks/results/dhcp-latest.txt (our Karaf log to
# benchmarks/results/dhcp-latest-karaf.log). Progress goes to stderr.

set -uo pipefail   # no -e: a failed step is a result to report, not a reason to stop

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RESULTS_DIR="$SCRIPT_DIR/results"
RESULT_FILE="$RESULTS_DIR/dhcp-latest.txt"
PARSE=(/usr/bin/python3 "$SCRIPT_DIR/dhcp-bench-perfdhcp.py")
PROBE=(/usr/bin/python3 "$SCRIPT_DIR/dhcp-bench-probe.py")
ECHO_PORT=6767

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
    : "${STEP_SECONDS:=3}" "${MAX_RATE:=16000}" "${RESOLUTION:=0.25}" "${CLIENTS:=20000}"
else
    : "${STEP_SECONDS:=10}" "${MAX_RATE:=64000}" "${RESOLUTION:=0.05}" "${CLIENTS:=50000}"
fi
: "${SERVERS:=ours kea dnsmasq}" "${START_RATE:=500}" "${MIN_RATE:=10}" "${MAX_DROP_PCT:=1}" "${TRIES:=2}"
: "${LEASE_TIME:=3600}" "${DROP_TIME:=1}" "${OURS_START_TIMEOUT:=120}" "${KEEP_WORK:=0}"
: "${CLIENT_RCVBUF:=4194304}" "${LATENCY_MAX_RATE:=8000}" "${CLIENT_MALLOC:=jemalloc}"
: "${LATENCY_RATE:=}" "${LATENCY_RUNS:=1}" "${LATENCY_SECONDS:=$STEP_SECONDS}" "${SEARCH:=1}" "${PROBE_INTERVAL_US:=2000}" "${PROBE_RECORD_BYTES:=70}"
[ "$SEARCH" = 1 ] || [ -n "$LATENCY_RATE" ] || { echo "SEARCH=0 needs LATENCY_RATE" >&2; exit 2; }
DIST=${DISKLESS_DIST:-$REPO_ROOT/karaf-assembly/target/karaf-assembly-0.1.0-SNAPSHOT.tar.gz}

NS_SRV=dlbdhcp-srv
NS_CLI=dlbdhcp-cli
VETH_SRV=dlbdhcp-s
VETH_CLI=dlbdhcp-c
SRV_IP=198.18.9.1
CLI_IP=198.18.9.2
RELAY_IP=198.19.0.1          # perfdhcp's source address and giaddr
POOL_NET=198.19.0.0/16
POOL_MASK=255.255.0.0
POOL_FIRST=198.19.0.10
POOL_LAST=198.19.255.250
POOL_SIZE=65521
SRV_CPU=${SRV_CPU:-}         # empty: the cpu that takes the lease disk's interrupts (disk_irq_cpu)
CLI_CPU=${CLI_CPU:-}
# One line of the steps table (run_step), and its header (print_table).
STEP_ROW='%-8s %7s %7s %8s %7s %7s %7s %7s %7s %7s %7s %7s %7s %8s  %s'
LAT_ROW='%-9s %6s %6s  %7s %7s %7s  %7s %7s %7s  %6s  %s'
FLOOR_ROW='%-12s %-48s %7s %7s %7s %8s %5s  %s'
SETTLE_SECONDS=2             # between steps: let the server drain its queue and finish syncs

declare -A SERVER_PID=()     # the server process (ours: bin/karaf, the java process is below it)
declare -A UP=()
declare -A BEST=()           # server -> "rate completed/s drop% avgdo maxdo avgra maxra cpu" of the best passing step
declare -A LATENCY=()        # server -> "rate p99do p99ra" of its (last) latency step
LAT_ROWS=()                  # every timed step: delays p50/p99/max, the load
FLOOR_ROWS=()                # every probe beside a timed step: disk syncs, UDP echo, our journal's own syncs
declare -A LIMIT=()          # server -> why the search stopped above BEST
declare -A DURABLE=()        # server -> leases found in its lease file after the run
NOTES=()
STEPS=()

WORK=""
OUT_DIR=""
NETNS_MADE=0
OURS_HOME=""
OURS_NOTE=""
OURS_JAVA=""

BENCH_NAME=dhcp-bench
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
    [ -n "$OUT_DIR" ] && rm -rf "$OUT_DIR"
    if [ -n "$WORK" ]; then
        if [ "$KEEP_WORK" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
    fi
    exit "$rc"
}

# ---------------------------------------------------------------------------------------------
# The cpu that services the interrupts of the disk under /tmp, where the lease files live, or
# nothing when that cannot be told. Completing a sync raises one there: a server that syncs before
# each ACK (ours, dnsmasq) would otherwise charge that work to perfdhcp's cpu and slow the client
# (seen: a virtio disk whose one queue interrupts cpu 1 only, at thousands of syncs a second).
disk_irq_cpu() {
    local source disk device
    source=$(df --output=source /tmp 2>/dev/null | tail -n 1)
    disk=$(basename "$(readlink -f "/sys/class/block/$(basename "$source")" 2>/dev/null)")
    [ -e "/sys/class/block/$disk/partition" ] && disk=$(basename "$(dirname "$(readlink -f "/sys/class/block/$disk")")")
    device=$(basename "$(readlink -f "/sys/block/$disk/device" 2>/dev/null)")
    [ -n "$device" ] || return 0
    # /proc/interrupts: "IRQ: count-per-cpu... chip hwirq name"; the disk's lines name its device.
    awk -v dev="$device" -v ncpu="$(nproc --all)" '
        index($0, dev "-") || $NF == dev {
            for (i = 0; i < ncpu; i++) sum[i] += $(i + 2)
        }
        END {
            best = -1
            for (i = 0; i < ncpu; i++) if (sum[i] > 0 && (best < 0 || sum[i] > sum[best])) best = i
            if (best >= 0) print best
        }' /proc/interrupts
}

choose_cpus() {
    local ncpu
    ncpu=$(nproc --all)
    if [ "$ncpu" -lt 2 ]; then
        log "only one cpu: server and client share cpu 0"
        SRV_CPU=0; CLI_CPU=0
        return
    fi
    [ -n "$SRV_CPU" ] || SRV_CPU=$(disk_irq_cpu)
    [ -n "$SRV_CPU" ] || SRV_CPU=0
    [ -n "$CLI_CPU" ] || CLI_CPU=$(( SRV_CPU == 0 ? 1 : 0 ))
}

preflight() {
    [ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
    [ -x /usr/bin/python3 ] || die "/usr/bin/python3 is needed"
    choose_cpus
    local ns
    for ns in "$NS_SRV" "$NS_CLI"; do
        # Not ours to delete: another run may be using it.
        [ -e "/run/netns/$ns" ] && die "namespace $ns already exists (another run? remove it with: ip netns del $ns)"
    done
    if ip link show "$VETH_SRV" >/dev/null 2>&1 || ip link show "$VETH_CLI" >/dev/null 2>&1; then
        die "interface $VETH_SRV/$VETH_CLI already exists in the host namespace"
    fi
}

install_peers() {
    local missing=()
    [ -x /usr/sbin/perfdhcp ] || missing+=(kea-admin)
    [ -x /usr/sbin/kea-dhcp4 ] || missing+=(kea-dhcp4-server)
    [ -x /usr/sbin/dnsmasq ] || missing+=(dnsmasq-base)
    command -v ssh >/dev/null && command -v ssh-keygen >/dev/null || missing+=(openssh-client)
    if [ "$CLIENT_RCVBUF" != 0 ] && ! command -v gcc >/dev/null; then
        missing+=(gcc libc6-dev)
    fi
    if [ "$CLIENT_MALLOC" = jemalloc ] && [ -z "$(jemalloc_library)" ]; then
        missing+=(libjemalloc2)
    fi
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
            >"$WORK/apt.log" 2>&1 || { tail -n 20 "$WORK/apt.log" >&2; die "apt-get install failed"; }
    fi
}

setup_net() {
    ip netns add "$NS_SRV" || die "ip netns add $NS_SRV"
    NETNS_MADE=1
    ip netns add "$NS_CLI" || die "ip netns add $NS_CLI"
    # Create the pair directly inside the namespaces so nothing ever sits in the host namespace.
    ip link add "$VETH_SRV" netns "$NS_SRV" type veth peer name "$VETH_CLI" netns "$NS_CLI" \
        || die "veth"
    ip -n "$NS_SRV" addr add "$SRV_IP/24" dev "$VETH_SRV"
    ip -n "$NS_CLI" addr add "$CLI_IP/24" dev "$VETH_CLI"
    ip -n "$NS_CLI" addr add "$RELAY_IP/16" dev "$VETH_CLI"
    local ns
    for ns in "$NS_SRV" "$NS_CLI"; do ip -n "$ns" link set lo up; done
    ip -n "$NS_SRV" link set "$VETH_SRV" up
    ip -n "$NS_CLI" link set "$VETH_CLI" up
    # Answers to the relay (giaddr) go back through the client namespace's first address.
    ip -n "$NS_SRV" route add "$POOL_NET" via "$CLI_IP" || die "route to $POOL_NET"
    # Received-message output of perfdhcp lands on tmpfs: the disk is for the lease files.
    OUT_DIR=$(mktemp -d /dev/shm/dlbdhcp.XXXXXX)
}

jemalloc_library() {
    ldconfig -p 2>/dev/null | awk '/libjemalloc\.so\.2 / { print $NF; exit }'
}

# PERFDHCP_ENV: the environment every timed perfdhcp step runs with: the receive buffer shim
# (see perfdhcp-rcvbuf.c) and the allocator, both preloaded.
PERFDHCP_ENV=()
prepare_client() {
    local preload=()
    case "$CLIENT_MALLOC" in
        jemalloc) preload+=("$(jemalloc_library)")
                  [ -n "${preload[0]}" ] || die "CLIENT_MALLOC=jemalloc: libjemalloc.so.2 not found" ;;
        glibc) ;;
        *) die "CLIENT_MALLOC must be jemalloc or glibc, not '$CLIENT_MALLOC'" ;;
    esac
    if [ "$CLIENT_RCVBUF" != 0 ]; then
        gcc -shared -fPIC -O2 -o "$OUT_DIR/perfdhcp-rcvbuf.so" "$SCRIPT_DIR/perfdhcp-rcvbuf.c" -ldl \
            >"$OUT_DIR/gcc.log" 2>&1 || { cat "$OUT_DIR/gcc.log" >&2; die "cannot build perfdhcp-rcvbuf.so"; }
        preload+=("$OUT_DIR/perfdhcp-rcvbuf.so")
        PERFDHCP_ENV+=(PERFDHCP_RCVBUF="$CLIENT_RCVBUF")
    fi
    if [ "${#preload[@]}" -gt 0 ]; then PERFDHCP_ENV+=(LD_PRELOAD="${preload[*]}"); fi
}

# ---------------------------------------------------------------------------------------------
# perfdhcp. Every run is bounded three ways: -p (seconds), -n (DISCOVERs), and timeout. No -D
# (abort after so many drops): perfdhcp 2.2 counts the exchanges still in flight as dropped, so
# "-D 10%" ends a healthy run within its first second and a count ends it at the first stall
# of a few hundred ms, leaving a short run that says nothing.

# One exchange at 1/s: DISCOVER and REQUEST both limited to one (-n twice), -W to wait for the ACK.
exchange_ok() {
    ip netns exec "$NS_CLI" timeout 5 perfdhcp -4 -r 1 -n 1 -n 1 -W 2000000 -l "$RELAY_IP" "$SRV_IP" \
        >"$OUT_DIR/ping.out" 2>&1
}

wait_ready() {
    local pid=$1 seconds=$2
    local deadline=$((SECONDS + seconds))
    while ((SECONDS < deadline)); do
        alive "$pid" || return 1
        exchange_ok && return 0
        sleep 1
    done
    return 1
}

# Cpu time (user + system, clock ticks, all threads) the server process has used so far: ours the
# java process, a peer the process itself. Softirq work on its packets is not charged to it, for
# any of them alike.
server_ticks() {
    local pid
    if [ "$1" = ours ]; then pid=$OURS_JAVA; else pid=${SERVER_PID[$1]:-}; fi
    awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0
}

# run_step SERVER RATE [LABEL] [timestamps]: one perfdhcp run. Sets STEP_OK (1 pass, 0 fail),
# STEP_WHY (for a failure with drops, where they were lost), STEP_FIG ("completed/s drop% avgdo
# maxdo avgra maxra cpu-us-per-exchange"), STEP_P99 ("p99do p99ra", "- -" without timestamps), and
# adds a line to STEPS; LABEL, when given, replaces the verdict there (warm-up, latency).
#
# Only a step asked for "timestamps" runs perfdhcp with -x t. With it perfdhcp keeps every packet
# until it exits, to print their times: about 18 KB per exchange, 2.3 GB in a 20 s step at
# 7,000/s, touched page by page. Measured on this kind of VM, that made perfdhcp itself the
# bottleneck: against Kea at 9,000/s it sent 7,300 DISCOVERs/s with -x t and all 9,000 without,
# with a resident size of 2.1 GB against 11 MB. So the search runs without it, and the p99 comes
# from one separate step at a rate the client can time (see latency_step).
#
# -g single: perfdhcp's multi-threaded mode adds a receiver thread, and both threads spin. On the
# one client cpu they take turns, so each runs half the time: in a lab run perfdhcp sent at most
# about 17,000 DISCOVERs/s that way, and in single-threaded mode all 20,000/s asked for.
run_step() {
    local name=$1 rate=$2 label=${3:-} diagnostics=e out="$OUT_DIR/step.out"
    [ "${4:-}" = timestamps ] && diagnostics=te
    local cli0 srv0 cli1 srv1 rc figures
    local do_sent do_rcvd ra_sent ra_rcvd orphans rejected avg_do max_do avg_ra max_ra p99_do p99_ra p50_do p50_ra
    cli0=$(rcvbuf_errors "$NS_CLI"); srv0=$(rcvbuf_errors "$NS_SRV")
    local ticks0 ticks1 cpu_us=-
    [ "${4:-}" = timestamps ] && wire_start
    ticks0=$(server_ticks "$name")
    ip netns exec "$NS_CLI" env "${PERFDHCP_ENV[@]}" taskset -c "$CLI_CPU" \
        timeout $((STEP_SECONDS + DROP_TIME + 20)) \
        perfdhcp -4 -g single -r "$rate" -p "$STEP_SECONDS" -n $((rate * STEP_SECONDS)) -R "$CLIENTS" \
        -d "$DROP_TIME" -W $((DROP_TIME * 1000000)) -x "$diagnostics" \
        -l "$RELAY_IP" "$SRV_IP" >"$out" 2>&1
    rc=$?
    ticks1=$(server_ticks "$name")
    [ "${4:-}" = timestamps ] && wire_stop
    cli1=$(rcvbuf_errors "$NS_CLI"); srv1=$(rcvbuf_errors "$NS_SRV")
    figures=$("${PARSE[@]}" "$out")
    read -r do_sent do_rcvd ra_sent ra_rcvd orphans rejected avg_do max_do avg_ra max_ra p99_do p99_ra p50_do p50_ra \
        <<<"$figures"
    local cli_lost=$((cli1 - cli0)) srv_lost=$((srv1 - srv0))
    local dropped=$(( ${do_sent:-0} - ${ra_rcvd:-0} )) drop_pct completed sent_rate
    if [ "${do_sent:-0}" -gt 0 ]; then
        drop_pct=$(calc "%.2f" "100 * $dropped / $do_sent")
    else
        drop_pct=100
    fi
    completed=$(calc "%.0f" "${ra_rcvd:-0} / $STEP_SECONDS")
    if [ "${ra_rcvd:-0}" -gt 0 ]; then
        cpu_us=$(calc "%.0f" "($ticks1 - $ticks0) * 1000000 / $(getconf CLK_TCK) / $ra_rcvd")
    fi
    sent_rate=$(calc "%.0f" "${do_sent:-0} / $STEP_SECONDS")
    STEP_OK=1; STEP_WHY="pass"
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
        # 3 = some exchanges did not complete, judged below; anything else is perfdhcp failing.
        STEP_OK=0; STEP_WHY="perfdhcp exit $rc"
    elif [ "$(calc "%d" "$drop_pct > $MAX_DROP_PCT")" = 1 ]; then
        # Each reply lost at a full socket buffer is one exchange lost: says whether the server
        # could not keep up (its buffer) or sent faster than perfdhcp reads (the client's).
        STEP_OK=0; STEP_WHY="drops ($dropped: $srv_lost at server buffer, $cli_lost at client buffer)"
    elif [ "${rejected:-0}" -gt 0 ]; then
        STEP_OK=0; STEP_WHY="rejected leases"
    fi
    # perfdhcp could not send at the asked rate (its own cpu is the limit): not the server's fault.
    STEP_SENT=$sent_rate
    if [ "$(calc "%d" "$sent_rate < 0.95 * $rate")" = 1 ] && [ "$STEP_WHY" = pass ]; then
        STEP_OK=0; STEP_WHY="client limit"
        # -x e: why perfdhcp stopped ("Reached test-period." for a run that simply sent too little).
        local reason
        reason=$(grep -m 1 -E '^(Reached|Interrupted)' "$out" | tr -d '.')
        [ -n "$reason" ] && STEP_WHY="client limit, perfdhcp: $reason"
    fi
    STEP_FIG="$completed $drop_pct $avg_do $max_do $avg_ra $max_ra $cpu_us"
    STEP_P99="$p99_do $p99_ra"
    STEP_DELAYS="$p50_do $p99_do $max_do $p50_ra $p99_ra $max_ra"
    [ -n "$label" ] && STEP_WHY="$label (${STEP_WHY%% (*})"
    STEPS+=("$(printf "$STEP_ROW" "$name" "$rate" \
        "$sent_rate" "$completed" "$drop_pct" "$cli_lost" "$srv_lost" "$avg_do" "$max_do" "$avg_ra" \
        "$max_ra" "$p99_do" "$p99_ra" "$cpu_us" "$STEP_WHY")")
    log "$(printf '%-8s %6s/s: %6s/s done, %6s %% dropped (client buffer %s, server buffer %s), avg DO %s RA %s ms: %s' \
        "$name" "$rate" "$completed" "$drop_pct" "$cli_lost" "$srv_lost" "$avg_do" "$avg_ra" "$STEP_WHY")"
    # Kept only on request: at high rates the output is tens of MB, written to the lease disk.
    [ "$KEEP_WORK" = 1 ] && cp "$out" "$WORK/perfdhcp-$name-$rate.out" 2>/dev/null
    sleep "$SETTLE_SECONDS"
}

# wire_start, wire_stop: a capture of the DHCP datagrams on the server's side of the link during a
# timed step, and from it (dhcp-bench-probe.py wire) the delays as the server's interface saw them:
# request in to reply out, without the time a reply then waits for perfdhcp to read it, which
# perfdhcp's timestamps include (on a loaded host, most of their tail). Sets STEP_WIRE ("p50do p99do
# maxdo p50ra p99ra maxra dropped", dropped = datagrams the capture itself lost, "-" without tcpdump).
WIRE_PID=""
wire_start() {
    STEP_WIRE="- - - - - - -"
    command -v tcpdump >/dev/null || return 0
    rm -f "$OUT_DIR/wire.pcap"
    ip netns exec "$NS_SRV" tcpdump -i "$VETH_SRV" -n -s 400 -B 65536 -w "$OUT_DIR/wire.pcap" 'udp port 67' \
        2>"$OUT_DIR/wire.err" &
    WIRE_PID=$!
    # tcpdump says "listening on" once its socket is open: nothing of the step is missed.
    for _ in $(seq 1 50); do grep -q 'listening on' "$OUT_DIR/wire.err" 2>/dev/null && break; sleep 0.1; done
}
wire_stop() {
    [ -n "$WIRE_PID" ] || return 0
    kill -INT "$WIRE_PID" 2>/dev/null
    wait "$WIRE_PID" 2>/dev/null
    WIRE_PID=""
    local dropped figures
    dropped=$(awk '/dropped by kernel/ { print $1 }' "$OUT_DIR/wire.err")
    figures=$("${PROBE[@]}" wire "$OUT_DIR/wire.pcap" 2>/dev/null)
    rm -f "$OUT_DIR/wire.pcap"
    # "count p50 p99 max count p50 p99 max" -> the six delays and the capture's losses
    STEP_WIRE="$(awk '{ print $2, $3, $4, $6, $7, $8 }' <<<"$figures") ${dropped:--}"
}

# try_step SERVER RATE: run_step up to TRIES times while it fails on drops; the last run's verdict
# stands. A client limit or a perfdhcp failure is not retried: the next run would hit it again.
# Every run is offered to served_step.
try_step() {
    local try
    for ((try = 1; try <= TRIES; try++)); do
        run_step "$1" "$2"
        served_step "$2"
        [ "$STEP_OK" = 1 ] || [[ $STEP_WHY != drops* ]] && return
        ((try < TRIES)) && log "$1 ${2}/s failed on drops; running it again (TRIES=$TRIES)"
    done
}

# A step perfdhcp could not send at the rate asked, where the server still answered all but at
# most MAX_DROP_PCT % of what was sent, measured the server at the rate sent. served_step keeps
# the one of these that completed the most exchanges (SERVED_FIG, SERVED_SENT, SERVED_ASKED);
# search reports it when it beats every passing step.
served_step() {
    [[ $STEP_WHY == "client limit"* ]] || return 0
    local done=${STEP_FIG%% *}
    if [ -z "$SERVED_FIG" ] || [ "$done" -gt "${SERVED_FIG%% *}" ]; then
        SERVED_FIG=$STEP_FIG; SERVED_SENT=$STEP_SENT; SERVED_ASKED=$1
    fi
}

# Doubling (or halving) until the first change of verdict, then bisecting. Sets BEST[name].
search() {
    local name=$1 rate pass=0 fail=0 pass_fig="" fail_why=""
    SERVED_FIG=""; SERVED_SENT=""; SERVED_ASKED=""
    rate=$START_RATE
    try_step "$name" "$rate"
    if [ "$STEP_OK" = 1 ]; then
        pass=$rate; pass_fig=$STEP_FIG
        # Doubling, but a step past MAX_RATE runs at MAX_RATE itself, so that it can be reached.
        while ((pass < MAX_RATE)); do
            rate=$((pass * 2 < MAX_RATE ? pass * 2 : MAX_RATE))
            try_step "$name" "$rate"
            if [ "$STEP_OK" = 1 ]; then pass=$rate; pass_fig=$STEP_FIG; else fail=$rate; fail_why=$STEP_WHY; break; fi
        done
    else
        fail=$rate; fail_why=$STEP_WHY
        while ((fail / 2 >= MIN_RATE)); do
            rate=$((fail / 2))
            try_step "$name" "$rate"
            if [ "$STEP_OK" = 1 ]; then pass=$rate; pass_fig=$STEP_FIG; break; else fail=$rate; fail_why=$STEP_WHY; fi
        done
    fi
    # A rate perfdhcp cannot send says nothing about the server, but the rates below it can still
    # be measured: bisect against it like against a failure. The result is then only a lower
    # bound of the server's capacity (see ratio).
    while ((pass > 0 && fail > 0)) && [ "$(calc "%d" "$fail - $pass > $pass * $RESOLUTION")" = 1 ]; do
        rate=$(((pass + fail) / 2))
        ((rate == pass || rate == fail)) && break
        try_step "$name" "$rate"
        if [ "$STEP_OK" = 1 ]; then pass=$rate; pass_fig=$STEP_FIG; else fail=$rate; fail_why=$STEP_WHY; fi
    done
    if ((pass > 0)); then BEST[$name]="$pass $pass_fig"; fi
    if [ -n "$SERVED_FIG" ] && { ((pass == 0)) || [ "${SERVED_FIG%% *}" -gt "${pass_fig%% *}" ]; }; then
        BEST[$name]="$SERVED_SENT $SERVED_FIG"
        NOTES+=("$name: figure from the step asked at ${SERVED_ASKED}/s, which perfdhcp could send at only ${SERVED_SENT}/s; $(awk '{ print $2 }' <<<"$SERVED_FIG") % of those exchanges went unanswered")
    fi
    if ((fail == 0)); then
        LIMIT[$name]="MAX_RATE $MAX_RATE reached"
    else
        LIMIT[$name]="$fail/s: $fail_why"
    fi
}

# The p99 delays of a server, timed per exchange (-x t) at half its best rate: a load every server
# carries with room to spare. At most LATENCY_MAX_RATE, a rate at which perfdhcp (on one cpu,
# keeping every packet) still keeps up and its own queueing does not swamp what is measured: in a
# run where ours was timed at 10,500/s, its p99 came out at 91 ms, above the largest delay of any
# untimed step at twice that rate (79 ms), while Kea timed at 8,000/s gave 1.1 ms. Servers that
# both reach twice the cap are timed at the same rate. Sets LATENCY[name].
latency_step() {
    local name=$1 best rate run load wire
    if [ -n "$LATENCY_RATE" ]; then
        rate=$LATENCY_RATE
    else
        best=$(field "$name" 1)
        [[ $best =~ ^[0-9]+$ ]] || return 0
        rate=$((best / 2 > MIN_RATE ? best / 2 : MIN_RATE))
        rate=$((rate < LATENCY_MAX_RATE ? rate : LATENCY_MAX_RATE))
    fi
    for ((run = 1; run <= LATENCY_RUNS; run++)); do
        host_floor "$name" "$rate"
        load=$(cut -d' ' -f1 /proc/loadavg)
        [ "$name" = ours ] && SPELLS_BEFORE=$(journal_spells | wc -l)
        STEP_SECONDS=$LATENCY_SECONDS run_step "$name" "$rate" "latency" timestamps
        LATENCY[$name]="$rate $STEP_P99"
        # shellcheck disable=SC2086  # six figures
        LAT_ROWS+=("$(printf "$LAT_ROW" "$name" "$rate" "$STEP_SENT" $STEP_DELAYS "$load" "${STEP_WHY#latency }")")
        read -r -a wire <<<"$STEP_WIRE"
        LAT_ROWS+=("$(printf "$LAT_ROW" "  on wire" "" "" "${wire[@]:0:6}" "" "capture lost ${wire[6]}")")
        [ "$name" = ours ] && journal_spell
    done
}

# host_floor SERVER RATE: what the host costs without any DHCP server, measured just before a timed
# step of SERVER, while that server idles: (1) the disk under the lease files, write + fdatasync of
# the bytes our journal writes in one group at RATE (PROBE_INTERVAL_US of leases), once every
# PROBE_INTERVAL_US, in a file preallocated as the journal's is, on the server's cpu; (2) the host's
# scheduling and network stack: UDP datagrams at RATE from the client namespace and cpu to an echo
# on the server's, timed until they come back. Adds two lines to FLOOR_ROWS.
host_floor() {
    local name=$1 rate=$2 bytes load figures
    bytes=$(( rate * PROBE_INTERVAL_US / 1000000 * PROBE_RECORD_BYTES ))
    ((bytes > 0)) || bytes=$PROBE_RECORD_BYTES
    load=$(cut -d' ' -f1 /proc/loadavg)
    figures=$(ip netns exec "$NS_SRV" taskset -c "$SRV_CPU" timeout $((LATENCY_SECONDS + 60)) \
        "${PROBE[@]}" disk "$WORK" "$LATENCY_SECONDS" "$PROBE_INTERVAL_US" "$bytes" 2>&1 | tail -n 1)
    # shellcheck disable=SC2086  # four figures
    FLOOR_ROWS+=("$(printf "$FLOOR_ROW" "before $name" "disk: write $bytes B + fdatasync every $PROBE_INTERVAL_US us" \
        $figures - "$load")")
    log "disk probe before $name: $figures (count p50 p99 max ms)"
    load=$(cut -d' ' -f1 /proc/loadavg)
    ip netns exec "$NS_SRV" taskset -c "$SRV_CPU" timeout $((LATENCY_SECONDS + 10)) \
        "${PROBE[@]}" echo-server "$ECHO_PORT" $((LATENCY_SECONDS + 3)) >/dev/null 2>&1 &
    local echo_pid=$!
    sleep 0.5
    figures=$(ip netns exec "$NS_CLI" taskset -c "$CLI_CPU" timeout $((LATENCY_SECONDS + 10)) \
        "${PROBE[@]}" echo-client "$SRV_IP" "$ECHO_PORT" "$LATENCY_SECONDS" "$rate" 2>&1 | tail -n 1)
    wait "$echo_pid" 2>/dev/null
    # shellcheck disable=SC2086  # five figures
    FLOOR_ROWS+=("$(printf "$FLOOR_ROW" "before $name" "UDP echo at $rate/s, client cpu -> server cpu" $figures "$load")")
    log "UDP echo before $name: $figures (count p50 p99 max ms lost)"
}

# journal_spell: our lease journal's own account of the step just timed: the line it logs when a
# busy spell of commits ends (a second without one; the steps are SETTLE_SECONDS apart), with its
# sync times and the time from commit to durable. Adds them to FLOOR_ROWS.
journal_spells() { grep 'Lease journal: busy spell' "$OURS_HOME/data/log/karaf.log" 2>/dev/null; }
journal_spell() {
    local line sync commit
    sleep 1
    line=$(journal_spells | tail -n +$((SPELLS_BEFORE + 1)) | tail -n 1)
    if [ -z "$line" ]; then
        FLOOR_ROWS+=("$(printf "$FLOOR_ROW" "ours" "journal: no busy-spell line in karaf.log" - - - - -)")
        return
    fi
    # "... N syncs ... sync ms p50 A p99 B max C ...; commit to durable ms p50 D p99 E max F ..."
    sync=$(sed -n 's/.* \([0-9]*\) syncs.*sync ms p50 \([0-9.]*\) p99 \([0-9.]*\) max \([0-9.]*\).*/\1 \2 \3 \4/p' <<<"$line")
    commit=$(sed -n 's/.* \([0-9]*\) leases.*commit to durable ms p50 \([0-9.]*\) p99 \([0-9.]*\) max \([0-9.]*\).*/\1 \2 \3 \4/p' <<<"$line")
    # shellcheck disable=SC2086  # four figures each
    FLOOR_ROWS+=("$(printf "$FLOOR_ROW" "ours" "journal's own syncs (write + fdatasync)" ${sync:-- - - -} - -)")
    # shellcheck disable=SC2086
    FLOOR_ROWS+=("$(printf "$FLOOR_ROW" "ours" "journal: commit -> durable" ${commit:-- - - -} - -)")
}

# ---------------------------------------------------------------------------------------------
# Servers. They run as root so the 0700 temp directory needs no permission changes, one at a
# time: port 67 is the only port a relay's answers go to.

start_kea() {
    # memfile with persist: every lease change is appended to the CSV file (lfc-interval 0: the
    # file is never compacted during the run).
    start_kea_dhcp4 "$NS_SRV" "$VETH_SRV" "{ \"type\": \"memfile\", \"persist\": true, \"lfc-interval\": 0,
                        \"name\": \"$WORK/kea/dhcp4.leases\" }"
    SERVER_PID[kea]=$KEA_PID
}

start_dnsmasq() {
    mkdir -p "$WORK/dnsmasq"
    # --port=0: DHCP only. --no-ping: no ICMP probe (blocking up to 3 s) before each new address;
    # neither of the others probes. --quiet-dhcp: no log line per message, like the others.
    ip netns exec "$NS_SRV" taskset -c "$SRV_CPU" dnsmasq --keep-in-foreground --conf-file=/dev/null \
        --port=0 --user=root --pid-file="$WORK/dnsmasq/dnsmasq.pid" \
        --log-facility="$WORK/dnsmasq/dnsmasq.log" --quiet-dhcp --no-ping --dhcp-authoritative \
        --dhcp-range="$POOL_FIRST,$POOL_LAST,$POOL_MASK,$LEASE_TIME" \
        --dhcp-lease-max="$POOL_SIZE" --dhcp-leasefile="$WORK/dnsmasq/dnsmasq.leases" \
        </dev/null >"$WORK/dnsmasq/dnsmasq.out" 2>&1 &
    SERVER_PID[dnsmasq]=$!
}

start_ours() {
    unpack_ours || return 1
    local etc="$OURS_HOME/etc"
    # perfdhcp's clients are not in the node inventory.
    set_cfg "$etc/org.diskless.dhcp.cfg" unknownClients '"allow"'
    set_cfg "$etc/org.diskless.dhcp.cfg" leaseTime "\"$LEASE_TIME\""
    for kv in ${OURS_CFG:-}; do
        set_cfg "$etc/org.diskless.dhcp.cfg" "${kv%%=*}" "${kv#*=}"
    done
    # The relay's subnet is not attached to the server namespace: serverAddress names the
    # address its clients reach us on (option 54).
    cat >"$etc/org.diskless.dhcp.subnet-bench.cfg" <<EOF
network = "$POOL_NET"
range = "$POOL_FIRST-$POOL_LAST"
serverAddress = "$SRV_IP"
leaseTime = "$LEASE_TIME"
EOF
    # The SSH console, for dhcp:stats after the run.
    allow_console_key "$OURS_HOME" || { OURS_NOTE="ssh-keygen failed"; return 1; }
    # Started on all cpus so Karaf boots quickly; pinned to the server cpu once it answers. The GC
    # log tells whether a delay tail is the collector's.
    EXTRA_JAVA_OPTS="${EXTRA_JAVA_OPTS:-} -Xlog:gc:file=$WORK/ours-gc.log" \
        ip netns exec "$NS_SRV" "$OURS_HOME/bin/karaf" server </dev/null >"$WORK/ours.out" 2>&1 &
    SERVER_PID[ours]=$!
}

console() { karaf_console "$NS_SRV" "$@"; }

stop_ours() {
    [ -n "$OURS_HOME" ] || return 0
    stop_karaf "$NS_SRV" "$OURS_HOME" "${SERVER_PID[ours]:-}" "$RESULTS_DIR/dhcp-latest-karaf.log"
    OURS_HOME=""
}

stop_peer() { stop_process "${SERVER_PID[$1]:-}"; }

# start, wait until one exchange completes, search, record what the server kept, stop.
bench_server() {
    local name=$1
    case $name in
        ours)
            if ! start_ours; then NOTES+=("ours: n/a - $OURS_NOTE"); return; fi
            log "waiting up to ${OURS_START_TIMEOUT}s for our server"
            if ! wait_ready "${SERVER_PID[ours]}" "$OURS_START_TIMEOUT"; then
                NOTES+=("ours: n/a - no exchange completed within ${OURS_START_TIMEOUT}s (see dhcp-latest-karaf.log)")
                stop_ours; return
            fi
            if ! OURS_JAVA=$(karaf_java "${SERVER_PID[ours]}"); then
                NOTES+=("ours: n/a - it answers but no java process found below PID ${SERVER_PID[ours]}")
                stop_ours; return
            fi
            taskset -a -c -p "$SRV_CPU" "$OURS_JAVA" >/dev/null   # -a: every existing thread
            ;;
        kea | dnsmasq)
            "start_$name"
            if ! wait_ready "${SERVER_PID[$name]}" 15; then
                NOTES+=("$name: n/a - no exchange completed within 15 s; rerun with KEEP_WORK=1 for its log")
                stop_peer "$name"; return
            fi
            ;;
        *) NOTES+=("$name: unknown server name, skipped"); return ;;
    esac
    UP[$name]=1
    local gc_lines=0
    [ "$name" = ours ] && gc_lines=$(wc -l <"$WORK/ours-gc.log" 2>/dev/null || echo 0)
    # Untimed warm-up at the first rate: the JIT for ours, caches and allocator for all.
    log "$name is answering; warming up at ${START_RATE}/s, then searching from there"
    run_step "$name" "$START_RATE" "warm-up"
    if [ "$SEARCH" = 1 ]; then
        search "$name"
    else
        # Without the search's steps to warm it, a server meets the timed rate for the first time
        # in a timed step: the JIT, the lease store and the pool grow into it first, untimed.
        run_step "$name" "$LATENCY_RATE" "warm-up"
        LIMIT[$name]="no search (SEARCH=0)"
    fi
    latency_step "$name"
    case $name in
        ours)
            # Why the server dropped or refused anything, in its own words.
            local stats
            # "received DISCOVER 123" / "dropped pool-exhausted 0 (why)": the non-zero counters on one line.
            stats=$(console dhcp:stats | awk '
                ($1 == "received" || $1 == "sent" || $1 == "dropped") && $3 + 0 > 0 {
                    line = line (line == "" ? "" : ", ") $1 " " $2 " " $3
                }
                END { print line }')
            NOTES+=("ours dhcp:stats: ${stats:-(the console gave nothing)}")
            DURABLE[ours]=$(console dhcp:pools | awk '$1 == "bench" { print $4 " bound (dhcp:pools)" }')
            # Stop-the-world pauses during the search (lines like "... Pause Young (Normal) ... 12.345ms").
            local pauses
            pauses=$(tail -n +$((gc_lines + 1)) "$WORK/ours-gc.log" 2>/dev/null | awk '
                / Pause / && match($NF, /^[0-9.]+ms$/) { ms = substr($NF, 1, length($NF) - 2) + 0; n++; sum += ms; if (ms > max) max = ms }
                END { if (n) printf "%d pauses, %.0f ms in all, longest %.1f ms", n, sum, max }')
            NOTES+=("ours GC during warm-up and search: ${pauses:-no pause logged}")
            local problems
            problems=$(grep -cE '\| (WARN|ERROR) ' "$OURS_HOME/data/log/karaf.log" 2>/dev/null)
            [ "${problems:-0}" -gt 0 ] && NOTES+=("ours: $problems WARN/ERROR lines in karaf.log, see dhcp-latest-karaf.log")
            stop_ours
            ;;
        kea)
            DURABLE[kea]="$(awk -F, 'NR > 1 { seen[$1] = 1 } END { print length(seen) }' "$WORK/kea/dhcp4.leases" 2>/dev/null) addresses in the CSV"
            # "date time SEVERITY [logger] MESSAGE_ID text": which messages, how often.
            local messages
            messages=$(awk '{ n[$3 " " $5]++ } END { for (m in n) printf "%s%dx %s", (s++ ? ", " : ""), n[m], m }' \
                "$WORK/kea/kea.log" 2>/dev/null)
            [ -n "$messages" ] && NOTES+=("kea log (WARN and above): $messages")
            stop_peer kea
            ;;
        dnsmasq)
            DURABLE[dnsmasq]="$(wc -l <"$WORK/dnsmasq/dnsmasq.leases" 2>/dev/null) leases in the file"
            # Without a lease held between OFFER and REQUEST, two clients offered the same address
            # race for it and the later REQUEST is refused (logged even with --quiet-dhcp).
            local naks
            naks=$(grep -c 'DHCPNAK' "$WORK/dnsmasq/dnsmasq.log" 2>/dev/null)
            [ "${naks:-0}" -gt 0 ] && NOTES+=("dnsmasq: $naks DHCPNAKs in its log ($(grep -m 1 -o 'DHCPNAK.*' "$WORK/dnsmasq/dnsmasq.log" | awk '{ $1 = ""; $2 = ""; $3 = ""; print }' | sed 's/^ *//' ))")
            stop_peer dnsmasq
            ;;
    esac
}

# ---------------------------------------------------------------------------------------------
# "best" field N of a server: 1 rate, 2 completed/s, 3 drop%, 4 avg DO, 5 max DO, 6 avg RA, 7 max RA,
# 8 cpu us per exchange
field() {
    local v=${BEST[$1]:-}
    if [ -z "$v" ] && [ "$SEARCH" != 1 ]; then echo "-"; return; fi
    if [ -z "$v" ]; then
        if [ "${UP[$1]:-0}" = 1 ]; then echo "FAIL"; else echo "n/a"; fi
        return
    fi
    awk -v n="$2" '{ print $n }' <<<"$v"
}

# Whether a server's search ended at perfdhcp's own limit: its figure is then a lower bound.
client_bound() { [[ ${LIMIT[$1]:-} == *"client limit"* ]]; }

ratio() {
    local ours peer value
    ours=$(field ours 2); peer=$(field "$1" 2)
    if ! [[ $ours =~ ^[0-9]+$ && $peer =~ ^[0-9]+$ ]] || [ "$peer" -eq 0 ]; then
        echo "n/a"
        return
    fi
    value=$(calc "%.2f" "$ours / $peer")
    if client_bound ours && client_bound "$1"; then
        echo "$value (both stopped at perfdhcp's limit, not their own: no verdict)"
    elif client_bound "$1"; then
        echo "<= $value ($1 stopped at perfdhcp's limit, not its own)"
    elif client_bound ours; then
        echo ">= $value (ours stopped at perfdhcp's limit, not its own)"
    else
        echo "$value"
    fi
}

row() { printf '%-9s %8s %8s %6s %7s %7s %7s %7s %8s %17s  %s\n' "$@"; }

# "p99 DO / p99 RA @ rate" of a server's latency step.
latency() {
    local rate p99_do p99_ra
    read -r rate p99_do p99_ra <<<"${LATENCY[$1]:-}"
    if [ -z "$rate" ]; then echo "n/a"; else echo "$p99_do / $p99_ra @$rate"; fi
}

print_table() {
    local name note
    {
        echo "DHCPv4 benchmark $(date -u '+%Y-%m-%d %H:%M UTC'), $( [ "$QUICK" = 1 ] && echo 'QUICK' || echo 'full') run"
        echo "host: $(uname -r), $(nproc --all) cpus ($(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
        heap_line
        echo "kernel memory monitor (DAMON): $(memory_monitor) (its passes can stall ours: see bench-lib.sh)"
        echo "client: perfdhcp $(perfdhcp -v 2>&1 | grep -o '[0-9][0-9.]*' | head -n 1) as relay $RELAY_IP -> $SRV_IP, $CLIENTS clients (-R), single-threaded (-g single), cpu $CLI_CPU, socket receive buffer $(client_rcvbuf_note), allocator $CLIENT_MALLOC (CLIENT_MALLOC); servers on cpu $SRV_CPU, one at a time"
        echo "pool $POOL_FIRST-$POOL_LAST ($POOL_SIZE), lease $LEASE_TIME s, steps of $STEP_SECONDS s, drop time $DROP_TIME s, pass: <= $MAX_DROP_PCT % of 4-way exchanges dropped, in one of up to $TRIES runs of the step"
        echo "servers: ours $( [ "${UP[ours]:-0}" = 1 ] && basename "$DIST" || echo 'n/a'), $(kea-dhcp4 -v 2>&1 | head -n 1 | sed 's/^/Kea /'), $(dnsmasq --version 2>&1 | head -n 1 | cut -d' ' -f1-3)"
        echo
        row "server" "rate/s" "done/s" "drop%" "avg DO" "max DO" "avg RA" "max RA" "cpu us/x" "p99 DO/RA @rate" \
            "search stopped at"
        row "---------" "--------" "--------" "------" "-------" "-------" "-------" "-------" "--------" \
            "-----------------" "-----------------"
        for name in $SERVERS; do
            row "$name" "$(field "$name" 1)" "$(field "$name" 2)" "$(field "$name" 3)" "$(field "$name" 4)" \
                "$(field "$name" 5)" "$(field "$name" 6)" "$(field "$name" 7)" "$(field "$name" 8)" \
                "$(latency "$name")" "${LIMIT[$name]:-}"
        done
        echo
        echo "Timed steps (ms, from perfdhcp's per-exchange timestamps; load = 1-minute load average at the"
        echo "start of the step; \"on wire\": the same step as the server's interface saw it, request in to"
        echo "reply out, without the time replies wait for perfdhcp to read them):"
        printf "$LAT_ROW\n" server rate sent/s "p50 DO" "p99 DO" "max DO" "p50 RA" "p99 RA" "max RA" load verdict
        for note in "${LAT_ROWS[@]}"; do echo "$note"; done
        echo
        echo "The host's floor, measured just before each timed step (ms; n = syncs or datagrams timed):"
        printf "$FLOOR_ROW\n" when what n p50 p99 max lost load
        for note in "${FLOOR_ROWS[@]}"; do echo "$note"; done
        echo
        echo "ours/kea     $(ratio kea)   (target >= 1.5)"
        echo "ours/dnsmasq $(ratio dnsmasq)   (target >= 5)"
        echo
        echo "rate/s: highest perfdhcp -r rate that passed, or the rate perfdhcp really sent in a step where"
        echo "  it could not send the rate asked and at most $MAX_DROP_PCT % went unanswered, if that step completed"
        echo "  more (a note says so); done/s: 4-way exchanges completed per second"
        echo "  in that step (the ratios use it); drop%: exchanges without ACK; delays in ms as perfdhcp"
        echo "  reports them: DO = DISCOVER->OFFER, RA = REQUEST->ACK (the lease write). They include the"
        echo "  time replies wait in perfdhcp's socket, which near the client's own limit is most of it."
        echo "p99 DO/RA @rate: from perfdhcp's per-exchange timestamps (-x t) in one step at half the"
        echo "  best rate, at most $LATENCY_MAX_RATE/s (LATENCY_MAX_RATE); -x t costs the client too much"
        echo "  to time the search steps themselves."
        echo "cpu us/x: the server process's cpu time (user + system, all threads) over the step, per"
        echo "  exchange completed; work the kernel does for its packets in softirq is not in it."
        echo "Durable leases: ours syncs its lease journal (fdatasync, group commit) before each ACK;"
        echo "  Kea memfile appends each lease to a CSV file (written, not synced, before the ACK);"
        echo "  dnsmasq rewrites its whole lease file and fsyncs it after each change."
        for name in $SERVERS; do
            [ -n "${DURABLE[$name]:-}" ] && echo "  after the run, $name: ${DURABLE[$name]}"
        done
        for note in "${NOTES[@]}"; do echo "note: $note"; done
        echo
        echo "Steps (cli/srv buf = datagrams dropped at a full socket receive buffer in the client/server"
        echo "namespace; perfdhcp's buffer: $(client_rcvbuf_note)):"
        printf "$STEP_ROW\n" server rate sent/s done/s drop% \
            "cli buf" "srv buf" "avg DO" "max DO" "avg RA" "max RA" "p99 DO" "p99 RA" "cpu us/x" verdict
        for note in "${STEPS[@]}"; do echo "$note"; done
    } | tee "$RESULT_FILE"
}

client_rcvbuf_note() {
    if [ "$CLIENT_RCVBUF" = 0 ]; then
        echo "the default, $(cat /proc/sys/net/core/rmem_default) bytes"
    else
        echo "$CLIENT_RCVBUF bytes, CLIENT_RCVBUF"
    fi
}

# ---------------------------------------------------------------------------------------------
main() {
    preflight
    begin_run dlbdhcp
    install_peers
    setup_net
    prepare_client
    local name
    for name in $SERVERS; do
        bench_server "$name"
    done
    print_table
}

main "$@"
