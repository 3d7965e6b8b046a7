#!/usr/bin/env bash
# Soak run: our distribution under an hour of mixed load, sampled every minute, to show that
# nothing it holds grows while it serves. A measurement with a verdict, not a benchmark.
#
# Load, all at once, for WARMUP seconds and then DURATION seconds more:
#   DHCP   perfdhcp (Kea's load generator, as a relay) at DHCP_RATE DISCOVER-OFFER-REQUEST-ACK
#          exchanges/s from DHCP_CLIENTS distinct clients, in runs of half a sample interval
#          (with a second or two between runs, while perfdhcp waits for late replies and starts
#          again);
#   TFTP   TFTP_CONC atftp transfers at a time, each client starting its next as soon as one
#          ends, of files of TFTP_FILES_MIB MiB, at block sizes 512, 1468 and 8192, lock-step and
#          windowed, every file compared with the original; the server's link to the TFTP
#          clients is limited to TFTP_MBIT Mbit/s (a token bucket), so that the transfers last
#          and overlap as a fleet's do instead of taking both cpus;
#   RMP    HP boot ROMs (itests' rmp_client.py, frames crafted with scapy), one after the other,
#          from two cnodes: identify the server, ask for an RMP_FILE_KIB KiB boot file, read it
#          in lock-step read requests (at most RMP_READS a second) and check it;
#   bad    malformed DHCP datagrams (ports 67 and 4011), TFTP datagrams (port 69) and RMP frames,
#          a third each (noise, truncations, wrong cookies, lengths and opcodes, options without
#          values, bytes flipped: soak-traffic.py), as many as make MALFORMED_PCT % of the packets
#          the server's namespace receives.
# DHCP_RATE defaults to 3,000/s, meant as about half of what the server can carry in this mix on
# a 2-cpu host, which is far below the capacity dhcp-bench.sh reports: that gives the server a cpu
# of its own and perfdhcp the other, while here both cpus also carry the TFTP transfers, RMP, the
# malformed sender and all their clients. The report prints the server's average cpu; on another
# host, set DHCP_RATE so that it stays about half of what the host can give the server.
#
# From the end of the warm-up (t = 0: the JIT has compiled the busy paths and most DHCP clients
# have their lease), every SAMPLE_EVERY seconds, it samples our java process: the heap after a
# full collection (jcmd GC.run; with ZGC, the distribution's collector, the live bytes its
# marking found, from the GC log, and with a stop-the-world collector the "used" figure of jcmd
# GC.heap_info: see heap_after_gc), the resident set (VmRSS), open file descriptors, threads, and
# the size of the lease directory (du), and counts what the load did since the last sample. At
# the end it prints the samples as a table and a verdict per metric.
#
# What "flat" means: a metric is flat when the least-squares line through its samples of the
# second half of the run (from DURATION/2 on: the first half lets the lease population, the boot
# timelines, the JIT and the heap reach their working size) rises across that half by no more
# than its tolerance (below). Anything higher is "growing". A leak shows as a steady rise that
# adds up over the half; the tolerances absorb what a sample catches by chance: requests and
# transfers in flight (each transfer holds a socket), a pool thread more or less, a lease journal
# that was just replaced. They are absolute, not a share of the figure: the resident set counts
# the heap three times over (ZGC maps it at three addresses) and is large, so a share of it would
# hide a leak of a few MiB a minute.
# Fewer than 3 samples in the second half give no verdict for that metric.
#
# The run also fails when the server stops serving: it dies, a TFTP or RMP file comes back
# corrupt, more than MAX_FAIL_PCT % of TFTP transfers or RMP boots fail, or the server leaves more
# than MAX_DROP_PCT % of DHCP exchanges unanswered (a reply perfdhcp's own full socket buffer
# dropped was answered: perfdhcp fell behind on a shared cpu). Exit status: 0 when every metric
# is flat and the server kept serving, 1 otherwise (also when the run could not be set up).
#
# Usage (as root, from anywhere):
#   benchmarks/soak.sh                                   one hour
#   DURATION=300 SAMPLE_EVERY=30 DHCP_RATE=1000 benchmarks/soak.sh    a five-minute check
#
# Environment overrides:
#   DIST                our distribution tarball (default karaf-assembly/target/*.tar.gz)
#   JAVA_HOME           the JDK 17 to run it with and to take jcmd from (default: the java on
#                       PATH if it is a 17, else the first JDK 17 under /usr/lib/jvm)
#   DURATION            seconds of load (3600); SAMPLE_EVERY seconds between samples (60);
#                       WARMUP seconds of load before the first sample, not counted (60)
#   DHCP_RATE           exchanges/s (3000); DHCP_CLIENTS distinct clients (10000, fewer than the
#                       pool's 32,753 addresses; all of them have come by within the first minutes,
#                       so the second half sees a steady lease population); LEASE_TIME s (3600)
#   TFTP_CONC           transfers at a time (50); TFTP_FILES_MIB file sizes ("1 2 4");
#                       TFTP_MBIT the server's rate towards the TFTP clients (100);
#                       XFER_TIMEOUT seconds one transfer may take before it counts as failed (120)
#   RMP_READS           RMP read requests a second (100); RMP_FILE_KIB the boot file's size (1024)
#   MALFORMED_PCT       share of malformed packets, % of what the server receives (1)
#   HEAP_TOL_MIB (8), RSS_TOL_MIB (64), FD_TOL (16), THREAD_TOL (4), LEASES_TOL_MIB (32: two
#                       lease journals, which are created at their full size ahead of time)
#                       how much the fitted line of each metric may rise over the second half
#   MAX_FAIL_PCT (1), MAX_DROP_PCT (1)   service limits, see above
#   OURS_START_TIMEOUT  seconds our server may take until it serves all three protocols (120)
#   KEEP_WORK=1         keep the temporary directory (logs of every worker, GC log, lease files)
#
# Everything runs inside three namespaces this script creates: soak-srv (our server), soak-cli
# (perfdhcp, the RMP boot ROMs and the malformed sender) joined to it by soak-s0/soak-c0 in
# 198.18.20.0/24, and soak-tftp (the TFTP clients) joined by soak-s1/soak-t1 in 198.18.21.0/24
# (RFC 2544 benchmark range). perfdhcp acts as a relay (it binds port 67 and sets giaddr), so
# soak-cli also holds the relay address 198.19.0.1 and the pool is 198.19.0.0/17, reached from
# soak-srv through a route. The namespaces and every process in them are removed on exit. No
# process is pinned to a cpu. Every loop and wait is bounded by the run's end or a timeout.
#
# The report goes to stdout and to benchmarks/results/soak-latest.txt (our Karaf log to
# benchmarks/results/soak-latest-karaf.log). Progress goes to stderr.

set -uo pipefail   # no -e: a failed transfer is a figure to report, not a reason to stop

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RESULTS_DIR="$SCRIPT_DIR/results"
RESULT_FILE="$RESULTS_DIR/soak-latest.txt"
PARSE=(/usr/bin/python3 "$SCRIPT_DIR/dhcp-bench-perfdhcp.py")
TRAFFIC=(/usr/bin/python3 "$SCRIPT_DIR/soak-traffic.py")

: "${DURATION:=3600}" "${SAMPLE_EVERY:=60}" "${WARMUP:=60}"
: "${DHCP_RATE:=3000}" "${DHCP_CLIENTS:=10000}" "${LEASE_TIME:=3600}"
: "${TFTP_CONC:=50}" "${TFTP_FILES_MIB:=1 2 4}" "${TFTP_MBIT:=100}" "${XFER_TIMEOUT:=120}"
: "${RMP_READS:=100}" "${RMP_FILE_KIB:=1024}" "${MALFORMED_PCT:=1}"
: "${HEAP_TOL_MIB:=8}" "${RSS_TOL_MIB:=64}" "${FD_TOL:=16}" "${THREAD_TOL:=4}"
: "${LEASES_TOL_MIB:=32}" "${MAX_FAIL_PCT:=1}" "${MAX_DROP_PCT:=1}"
: "${OURS_START_TIMEOUT:=120}" "${KEEP_WORK:=0}"
DIST=${DIST:-$(ls "$REPO_ROOT"/karaf-assembly/target/*.tar.gz 2>/dev/null | head -n 1)}

NS_SRV=soak-srv
NS_CLI=soak-cli
NS_TFTP=soak-tftp
VETH_SRV=soak-s0         # soak-srv <-> soak-cli: DHCP, RMP, malformed
VETH_CLI=soak-c0
VETH_SRV_T=soak-s1       # soak-srv <-> soak-tftp: TFTP
VETH_TFTP=soak-t1
SRV_IP=198.18.20.1
CLI_IP=198.18.20.2
SRV_T_IP=198.18.21.1
TFTP_IP=198.18.21.2
RELAY_IP=198.19.0.1      # perfdhcp's source address and giaddr
POOL_NET=198.19.0.0/17
POOL_FIRST=198.19.0.10
POOL_LAST=198.19.127.250
POOL_SIZE=32753
SRV_MAC=02:00:00:00:5a:01
CNODES=08:00:09:5a:00:01,08:00:09:5a:00:02   # the RMP boot ROMs
BAD_CNODE=08:00:09:5a:00:ff                  # a cnode too, so that bad frames from it get past admission
RMP_FILE=SOAKRMP
TFTP_SHAPES=("512 1" "1468 1" "1468 8" "8192 4")   # "blksize windowsize", windowsize 1 = lock-step

WORK=""
OUT_DIR=""
NETNS_MADE=0
OURS_HOME=""
OURS_NOTE=""
OURS_PID=""              # bin/karaf
OURS_JAVA=""             # the java process below it, which is sampled
DHCP_WORKER=""           # the loop of perfdhcp runs (a subshell of this script, in the host namespace)
LOAD_STOPPED=0
T0=0                     # the end of the warm-up, t = 0 of the samples (epoch seconds)
SAMPLES=()               # "t heap rss fds threads leases" per sample, "-" where a figure was missing
ROWS=()                  # the table's lines
NOTES=()
FAILED=()                # why the run fails, one reason a line

BENCH_NAME=soak
# shellcheck source=bench-lib.sh
. "$SCRIPT_DIR/bench-lib.sh"
use_benchmark_heap

# ---------------------------------------------------------------------------------------------
# Teardown. Every process that runs in our namespaces was started by this script (they did not
# exist before it), so "ip netns pids" is exactly the set we may kill.
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_load
    stop_ours
    [ "$NETNS_MADE" = 1 ] && remove_namespaces "$NS_SRV" "$NS_CLI" "$NS_TFTP"
    [ -n "$OUT_DIR" ] && rm -rf "$OUT_DIR"
    if [ -n "$WORK" ]; then
        if [ "$KEEP_WORK" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
    fi
    exit "$rc"
}

# The clients first, so that none of them counts the server's stop as a failure, and a transfer
# cut short here is not logged as one either (the stop file). The namespaces stay until the
# server has stopped: deleting a client's namespace destroys its veth pair, the server's end too.
stop_load() {
    [ "$LOAD_STOPPED" = 1 ] && return 0
    LOAD_STOPPED=1
    [ -n "$WORK" ] && touch "$WORK/stop"
    if alive "$DHCP_WORKER"; then
        kill -TERM "$DHCP_WORKER" 2>/dev/null
        wait "$DHCP_WORKER" 2>/dev/null
    fi
    [ "$NETNS_MADE" = 1 ] && end_processes "$NS_CLI" "$NS_TFTP"
}

stop_ours() {
    [ -n "$OURS_HOME" ] || return 0
    stop_karaf "$NS_SRV" "$OURS_HOME" "$OURS_PID" "$RESULTS_DIR/soak-latest-karaf.log"
    OURS_HOME=""
}

# ---------------------------------------------------------------------------------------------
preflight() {
    [ "$(id -u)" = 0 ] || die "must run as root (network namespaces, raw sockets)"
    [ -x /usr/bin/python3 ] || die "/usr/bin/python3 is needed"
    local name
    for name in DURATION SAMPLE_EVERY DHCP_RATE DHCP_CLIENTS LEASE_TIME TFTP_CONC TFTP_MBIT XFER_TIMEOUT \
        RMP_READS RMP_FILE_KIB OURS_START_TIMEOUT HEAP_TOL_MIB RSS_TOL_MIB FD_TOL THREAD_TOL LEASES_TOL_MIB; do
        [[ ${!name} =~ ^[0-9]+$ ]] && [ "${!name}" -gt 0 ] || die "$name must be a positive whole number, not '${!name}'"
    done
    for name in MALFORMED_PCT MAX_FAIL_PCT MAX_DROP_PCT; do
        [[ ${!name} =~ ^[0-9]+([.][0-9]+)?$ ]] || die "$name must be a number (percent), not '${!name}'"
    done
    for name in $TFTP_FILES_MIB; do
        [[ $name =~ ^[0-9]+$ ]] && [ "$name" -gt 0 ] || die "TFTP_FILES_MIB must list sizes in whole MiB, not '$TFTP_FILES_MIB'"
    done
    [ "$DHCP_CLIENTS" -lt "$POOL_SIZE" ] || die "DHCP_CLIENTS must be below the pool's $POOL_SIZE addresses"
    [[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be a whole number of seconds, not '$WARMUP'"
    [ "$SAMPLE_EVERY" -le "$DURATION" ] || die "SAMPLE_EVERY ($SAMPLE_EVERY) is longer than DURATION ($DURATION)"
    [ -n "$DIST" ] && [ -f "$DIST" ] || die "no distribution: build it (mvn -B -o -q verify -pl karaf-assembly -am -DskipTests) or set DIST"
    local ns
    for ns in "$NS_SRV" "$NS_CLI" "$NS_TFTP"; do
        # Not ours to delete: another run may be using it.
        [ -e "/run/netns/$ns" ] && die "namespace $ns already exists (another run? remove it with: ip netns del $ns)"
    done
}

install_tools() {
    local missing=()
    [ -x /usr/sbin/perfdhcp ] || missing+=(kea-admin)
    command -v atftp >/dev/null || missing+=(atftp)
    command -v tc >/dev/null || missing+=(iproute2)
    /usr/bin/python3 -c 'import scapy.all' 2>/dev/null || missing+=(python3-scapy)
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
            >"$WORK/apt.log" 2>&1 || { tail -n 20 "$WORK/apt.log" >&2; die "apt-get install failed"; }
    fi
}

# The JDK 17 that runs the server and whose jcmd samples it (a jcmd of another version may fail to
# attach or print another format): JAVA_HOME's, else the one the java on PATH belongs to, else the
# first Java 17 under /usr/lib/jvm, as bin/setenv would choose. Exported, so bin/setenv keeps it.
choose_jdk() {
    local home candidate java
    for candidate in "${JAVA_HOME:-}" \
        "$(java=$(command -v java) && dirname "$(dirname "$(readlink -f "$java")")")" /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
        if "$candidate/bin/java" -version 2>&1 | grep -q 'version "17[."]'; then home=$candidate; break; fi
    done
    [ -n "${home:-}" ] || die "no Java 17 found (JAVA_HOME, PATH, /usr/lib/jvm); set JAVA_HOME to a JDK 17"
    [ -x "$home/bin/jcmd" ] || die "$home has no bin/jcmd (a JRE?); set JAVA_HOME to a JDK 17"
    [ -n "${JAVA_HOME:-}" ] && [ "$JAVA_HOME" != "$home" ] && log "JAVA_HOME $JAVA_HOME is not a Java 17: using $home"
    JAVA_HOME=$home
    export JAVA_HOME
}

setup_net() {
    ip netns add "$NS_SRV" || die "ip netns add $NS_SRV"
    NETNS_MADE=1
    ip netns add "$NS_CLI" || die "ip netns add $NS_CLI"
    ip netns add "$NS_TFTP" || die "ip netns add $NS_TFTP"
    # Created directly inside the namespaces so that nothing ever sits in the host namespace.
    ip link add "$VETH_SRV" netns "$NS_SRV" type veth peer name "$VETH_CLI" netns "$NS_CLI" || die "veth $VETH_SRV"
    ip link add "$VETH_SRV_T" netns "$NS_SRV" type veth peer name "$VETH_TFTP" netns "$NS_TFTP" || die "veth $VETH_SRV_T"
    ip -n "$NS_SRV" link set "$VETH_SRV" address "$SRV_MAC"
    ip -n "$NS_SRV" addr add "$SRV_IP/24" dev "$VETH_SRV"
    ip -n "$NS_SRV" addr add "$SRV_T_IP/24" dev "$VETH_SRV_T"
    ip -n "$NS_CLI" addr add "$CLI_IP/24" dev "$VETH_CLI"
    ip -n "$NS_CLI" addr add "$RELAY_IP/17" dev "$VETH_CLI"
    ip -n "$NS_TFTP" addr add "$TFTP_IP/24" dev "$VETH_TFTP"
    local ns
    for ns in "$NS_SRV" "$NS_CLI" "$NS_TFTP"; do ip -n "$ns" link set lo up; done
    ip -n "$NS_SRV" link set "$VETH_SRV" up
    ip -n "$NS_SRV" link set "$VETH_SRV_T" up
    ip -n "$NS_CLI" link set "$VETH_CLI" up
    ip -n "$NS_TFTP" link set "$VETH_TFTP" up
    # Answers to the relay (giaddr) go back through the client namespace's first address.
    ip -n "$NS_SRV" route add "$POOL_NET" via "$CLI_IP" || die "route to $POOL_NET"
    # The token bucket: burst and queue large enough for a window of 8192-byte blocks from every
    # client at once (nothing is dropped, the queue only delays), and for a whole segmented train.
    ip netns exec "$NS_SRV" tc qdisc add dev "$VETH_SRV_T" root tbf rate "${TFTP_MBIT}mbit" burst 256kb limit 16mb \
        || die "tc tbf on $VETH_SRV_T"
}

make_files() {
    ROOT_DIR="$WORK/root"
    mkdir -p "$ROOT_DIR/rbootd"
    TFTP_FILES=()
    local mib
    for mib in $TFTP_FILES_MIB; do
        head -c "${mib}M" /dev/urandom >"$ROOT_DIR/soak-$mib.bin"
        TFTP_FILES+=("soak-$mib.bin")
    done
    echo "diskless soak" >"$ROOT_DIR/small.txt"
    head -c "${RMP_FILE_KIB}K" /dev/urandom >"$ROOT_DIR/rbootd/$RMP_FILE"
    RMP_SHA=$(sha256sum <"$ROOT_DIR/rbootd/$RMP_FILE" | cut -d' ' -f1)
    {
        echo "# the soak run's boot ROMs, and the cnode the malformed frames come from"
        local mac
        for mac in ${CNODES//,/ } "$BAD_CNODE"; do echo "$mac $RMP_FILE"; done
    } >"$WORK/rbootd.conf"
    # Received files and perfdhcp's output land on tmpfs: the disk is for the lease journal.
    OUT_DIR=$(mktemp -d /dev/shm/soak.XXXXXX)
    mkdir -p "$OUT_DIR/tftp"
}

start_ours() {
    unpack_ours || die "$OURS_NOTE"
    local etc="$OURS_HOME/etc"
    # perfdhcp's clients are not in the node inventory.
    set_cfg "$etc/org.diskless.dhcp.cfg" unknownClients '"allow"'
    set_cfg "$etc/org.diskless.dhcp.cfg" leaseTime "\"$LEASE_TIME\""
    # The relay's subnet is not attached to the server namespace: serverAddress names the
    # address its clients reach us on (option 54).
    cat >"$etc/org.diskless.dhcp.subnet-soak.cfg" <<EOF
network = "$POOL_NET"
range = "$POOL_FIRST-$POOL_LAST"
serverAddress = "$SRV_IP"
leaseTime = "$LEASE_TIME"
EOF
    set_cfg "$etc/org.diskless.tftp.cfg" address 0.0.0.0
    # The TFTP clients all come from one address, more of them at once than a PXE client runs.
    set_cfg "$etc/org.diskless.tftp.cfg" maxTransfersPerClient 1000
    set_cfg "$etc/org.diskless.files.cfg" root "$ROOT_DIR"
    cat >"$etc/org.diskless.rmp.cfg" <<EOF
interface = $VETH_SRV
rbootdConf = $WORK/rbootd.conf
bootDirectory = rbootd
EOF
    # The GC log: ZGC's live bytes after each sample's collection (heap_after_gc), and whether the
    # collector ever stalled an allocation (the heap ran short).
    EXTRA_JAVA_OPTS="${EXTRA_JAVA_OPTS:-} -Xlog:gc,gc+heap:file=$WORK/gc.log" \
        ip netns exec "$NS_SRV" "$OURS_HOME/bin/karaf" server </dev/null >"$WORK/ours.out" 2>&1 &
    OURS_PID=$!
}

tftp_ok() {
    rm -f "$OUT_DIR/ready"
    ip netns exec "$NS_TFTP" timeout 3 atftp -g -r small.txt -l "$OUT_DIR/ready" "$SRV_T_IP" 69 >/dev/null 2>&1 \
        && cmp -s "$OUT_DIR/ready" "$ROOT_DIR/small.txt"
}

# One exchange at 1/s: DISCOVER and REQUEST both limited to one (-n twice), -W to wait for the ACK.
dhcp_ok() {
    ip netns exec "$NS_CLI" timeout 5 perfdhcp -4 -r 1 -n 1 -n 1 -W 2000000 -l "$RELAY_IP" "$SRV_IP" \
        >"$OUT_DIR/ping.out" 2>&1
}

rmp_ok() { grep -q "RMP serving on $VETH_SRV" "$OURS_HOME/data/log/karaf.log" 2>/dev/null; }

wait_ready() {
    local deadline=$((SECONDS + OURS_START_TIMEOUT)) what
    log "waiting up to ${OURS_START_TIMEOUT}s for our server to serve DHCP, TFTP and RMP"
    for what in rmp tftp dhcp; do
        until "${what}_ok"; do
            alive "$OURS_PID" || die "our server exited while starting (see $RESULTS_DIR/soak-latest-karaf.log)"
            ((SECONDS < deadline)) || die "our server did not serve $what within ${OURS_START_TIMEOUT}s (see $RESULTS_DIR/soak-latest-karaf.log)"
            sleep 1
        done
    done
    OURS_JAVA=$(karaf_java "$OURS_PID") || die "our server answers but no java process found below PID $OURS_PID"
}

# ---------------------------------------------------------------------------------------------
# Load. Each worker ends by itself at UNTIL, a little after the last sample, and is stopped right
# after that sample in any case. Every worker logs one line per finished unit of work; a sample
# counts the lines since the previous one.

# perfdhcp in runs of half a sample interval, so that every interval sees at least one end, each
# bounded by -p, -n and timeout; a line per run: "end seconds do_sent do_rcvd ra_sent ra_rcvd ..."
# (the fields of dhcp-bench-perfdhcp.py).
dhcp_worker() {
    local chunk run=$(((SAMPLE_EVERY + 1) / 2)) out="$OUT_DIR/perfdhcp.out"
    while ((EPOCHSECONDS < UNTIL)); do
        chunk=$((UNTIL - EPOCHSECONDS < run ? UNTIL - EPOCHSECONDS : run))
        ip netns exec "$NS_CLI" timeout $((chunk + 30)) perfdhcp -4 -g single -r "$DHCP_RATE" -p "$chunk" \
            -n $((DHCP_RATE * chunk)) -R "$DHCP_CLIENTS" -d 1 -W 1000000 -x e -l "$RELAY_IP" "$SRV_IP" \
            >"$out" 2>&1
        echo "$EPOCHSECONDS $chunk $("${PARSE[@]}" "$out")" >>"$WORK/dhcp.log"
    done
}

# TFTP_CONC client loops in one bash inside soak-tftp; a line per transfer:
# "end slot file blksize windowsize ok|fail|corrupt atftp-exit-status", none once the stop file
# exists (stop_load is ending the transfers). Slot s takes, at its i-th
# transfer, combination (s + i) of files x shapes, so that every combination is always in flight.
TFTP_SNIPPET='
until=$1 conc=$2 host=$3 root=$4 out=$5 log=$6 tmo=$7 stop=$8 nfiles=$9
shift 9
files=("${@:1:nfiles}")
shapes=("${@:nfiles+1}")
slot() {
    local s=$1 i=0 c file blk ws opts rc result
    while ((EPOCHSECONDS < until)); do
        c=$(( (s + i) % (nfiles * ${#shapes[@]}) ))
        file=${files[c % nfiles]}
        read -r blk ws <<<"${shapes[c / nfiles]}"
        opts=(--option "blksize $blk" --option "tsize 0")
        [ "$ws" -gt 1 ] && opts+=(--option "windowsize $ws")
        timeout "$tmo" atftp "${opts[@]}" -g -r "$file" -l "$out/$s" "$host" 69 >/dev/null 2>&1
        rc=$?
        if [ "$rc" -ne 0 ]; then result=fail
        elif cmp -s "$out/$s" "$root/$file"; then result=ok
        else result=corrupt
        fi
        [ -e "$stop" ] && break
        echo "$EPOCHSECONDS $s $file $blk $ws $result $rc" >>"$log"
        rm -f "$out/$s"
        i=$((i + 1))
    done
}
for ((s = 0; s < conc; s++)); do
    slot "$s" &
    sleep 0.05
done
wait
'

start_load() {
    T0=$((EPOCHSECONDS + WARMUP))
    UNTIL=$((T0 + DURATION + SAMPLE_EVERY))
    log "load for ${WARMUP}s of warm-up and ${DURATION}s of soak: DHCP ${DHCP_RATE}/s, $TFTP_CONC TFTP transfers, RMP ${RMP_READS} reads/s, ${MALFORMED_PCT} % malformed"
    : >"$WORK/dhcp.log"; : >"$WORK/tftp.log"; : >"$WORK/rmp.log"
    dhcp_worker &
    DHCP_WORKER=$!
    ip netns exec "$NS_TFTP" timeout $((UNTIL - EPOCHSECONDS + XFER_TIMEOUT + 30)) bash -c "$TFTP_SNIPPET" tftp-soak \
        "$UNTIL" "$TFTP_CONC" "$SRV_T_IP" "$ROOT_DIR" "$OUT_DIR/tftp" "$WORK/tftp.log" "$XFER_TIMEOUT" "$WORK/stop" \
        "${#TFTP_FILES[@]}" "${TFTP_FILES[@]}" "${TFTP_SHAPES[@]}" </dev/null >"$WORK/tftp.out" 2>&1 &
    ip netns exec "$NS_CLI" timeout $((UNTIL - EPOCHSECONDS + 30)) "${TRAFFIC[@]}" rmp --iface "$VETH_CLI" \
        --server-mac "$SRV_MAC" --cnodes "$CNODES" --file "$RMP_FILE" --sha256 "$RMP_SHA" \
        --reads-per-second "$RMP_READS" --until "$UNTIL" --log "$WORK/rmp.log" </dev/null >"$WORK/rmp.out" 2>&1 &
    ip netns exec "$NS_CLI" timeout $((UNTIL - EPOCHSECONDS + 30)) "${TRAFFIC[@]}" malformed --iface "$VETH_CLI" \
        --server-ip "$SRV_IP" --server-mac "$SRV_MAC" --cnode "$BAD_CNODE" --tftp-file small.txt \
        --server-pid "$OURS_JAVA" --percent "$MALFORMED_PCT" --until "$UNTIL" --status "$WORK/malformed.status" \
        </dev/null >"$WORK/malformed.out" 2>&1 &
}

# ---------------------------------------------------------------------------------------------
# Sampling.

# MiB of heap in use after a full collection, and where the figure comes from (HEAP_SOURCE).
# jcmd GC.run returns when the collection is done (System.gc() is synchronous, under ZGC too).
# ZGC collects while the server runs, so the heap it leaves holds, besides the live objects, all
# that was allocated during the collection: under this load that swung the "used" figure of
# GC.heap_info by tens of MiB from one sample to the next. ZGC's log of the collection (gc+heap)
# gives the live bytes its marking found, which is the figure wanted. With any other collector
# (EXTRA_JAVA_OPTS) System.gc() stops the world and GC.heap_info's "used" is exact: for G1
# "garbage-first heap total 262144K, used 23614K", for ZGC " ZHeap used 94M, capacity 1024M".
LAST_GC=""
HEAP_SOURCE=""
heap_after_gc() {
    timeout 60 "$JAVA_HOME/bin/jcmd" "$OURS_JAVA" GC.run >/dev/null 2>&1 || { echo -; return; }
    local gc="" live="" tries
    # "[..][info][gc] GC(12) Garbage Collection (Diagnostic Command) 174M(3%)->92M(2%)", and before
    # it "[..][info][gc,heap] GC(12)      Live:         -     71M (7%)     71M (7%) ..." (mark end first).
    for tries in 1 2 3 4 5; do
        gc=$(grep 'Garbage Collection (Diagnostic Command)' "$WORK/gc.log" 2>/dev/null | tail -n 1 | grep -o 'GC([0-9]*)')
        [ -n "$gc" ] && [ "$gc" != "$LAST_GC" ] && break
        gc=""
        sleep 0.2
    done
    if [ -n "$gc" ]; then
        LAST_GC=$gc
        live=$(grep -F "$gc " "$WORK/gc.log" | awk '{ for (i = 1; i < NF; i++) if ($i == "Live:" && $(i + 2) ~ /^[0-9]+M$/) { print $(i + 2) + 0; exit } }')
    fi
    if [ -n "$live" ]; then
        HEAP_SOURCE="live bytes ZGC's marking found in the collection jcmd GC.run asked for (gc+heap log)"
        echo "$live"
        return
    fi
    HEAP_SOURCE="used after jcmd GC.run (GC.heap_info)"
    timeout 30 "$JAVA_HOME/bin/jcmd" "$OURS_JAVA" GC.heap_info 2>/dev/null | awk '
        match($0, /used [0-9]+[KMG]/) {
            n = substr($0, RSTART + 5, RLENGTH - 6) + 0; unit = substr($0, RSTART + RLENGTH - 1, 1)
            printf "%.1f", (unit == "K" ? n / 1024 : unit == "G" ? n * 1024 : n); found = 1; exit
        }
        END { if (!found) print "-" }'
}

status_field() { awk -v k="$1:" '$1 == k { print $2; exit }' "/proc/$OURS_JAVA/status" 2>/dev/null; }

# count FILE FROM TO AWK-CONDITION: lines whose first field (epoch) lies in (FROM, TO] and match.
count() { awk -v a="$2" -v b="$3" "\$1 > a && \$1 <= b && ($4) { n++ } END { print n + 0 }" "$1"; }

PREV_EPOCH=0             # when the last sample was taken (the first counts nothing)
LAST_EPOCH=0             # the last sample, where the run's totals end
BAD_FIRST=""             # the malformed sender's status line at the first sample ...
BAD_PREV=""              # ... at the previous one
BAD_LAST=""              # ... at the last one
RCVBUF_FIRST=""          # "server client": rcvbuf_errors of both namespaces at the first sample
RCVBUF_LAST=""           # ... at the last one
TICKS_FIRST=""           # "epoch ticks": cpu time of our java process (user + system) at the first sample
TICKS_LAST=""            # ... at the last one
sample() {
    local now t heap rss fds threads leases
    now=$EPOCHSECONDS
    t=$((now - T0))
    heap_after_gc >"$WORK/heap"    # not $(...): HEAP_SOURCE and LAST_GC must stay set in this shell
    heap=$(cat "$WORK/heap")
    rss=$(status_field VmRSS); [ -n "$rss" ] && rss=$(calc "%.1f" "$rss / 1024") || rss=-
    threads=$(status_field Threads); [ -n "$threads" ] || threads=-
    fds=$(find "/proc/$OURS_JAVA/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    leases=$(du -sk "$OURS_HOME/leases" 2>/dev/null | awk '{ printf "%.1f", $1 / 1024 }'); [ -n "$leases" ] || leases=-
    SAMPLES+=("$t $heap $rss $fds $threads $leases")
    # What the load did since the last sample.
    local dhcp=- drop=- tftp=- mibs=- rmp=- bad=-
    if ((PREV_EPOCH > 0)); then
        local span=$((now - PREV_EPOCH)) sent done seconds
        # The rate while perfdhcp ran: its runs that ended since the last sample, over their own length.
        read -r sent done seconds < <(awk -v a="$PREV_EPOCH" -v b="$now" '$1 > a && $1 <= b { s += $3; d += $6; t += $2 } END { print s + 0, d + 0, t + 0 }' "$WORK/dhcp.log")
        if ((sent > 0 && seconds > 0)); then
            dhcp=$(calc "%.0f" "$done / $seconds"); drop=$(calc "%.2f" "100 * ($sent - $done) / $sent")
        fi
        tftp="$(count "$WORK/tftp.log" "$PREV_EPOCH" "$now" '$6 == "ok"')/$(count "$WORK/tftp.log" "$PREV_EPOCH" "$now" '$6 != "ok"')"
        mibs=$(awk -v a="$PREV_EPOCH" -v b="$now" -v span="$span" '$1 > a && $1 <= b && $6 == "ok" { split($3, p, /[-.]/); m += p[2] } END { printf "%.1f", m / span }' "$WORK/tftp.log")
        rmp="$(count "$WORK/rmp.log" "$PREV_EPOCH" "$now" '$2 == "ok"')/$(count "$WORK/rmp.log" "$PREV_EPOCH" "$now" '$2 != "ok"')"
    fi
    # "sent dhcp tftp rmp received" (soak-traffic.py), cumulative.
    BAD_LAST=$(cat "$WORK/malformed.status" 2>/dev/null)
    [ -n "$BAD_FIRST" ] || BAD_FIRST=$BAD_LAST
    if [ -n "$BAD_PREV" ] && [ -n "$BAD_LAST" ]; then
        local total seen total0 seen0
        read -r total _ _ _ seen <<<"$BAD_LAST"
        read -r total0 _ _ _ seen0 <<<"$BAD_PREV"
        ((seen > seen0)) && bad="$((total - total0)) ($(calc "%.2f" "100 * ($total - $total0) / ($seen - $seen0)") %)"
    fi
    BAD_PREV=$BAD_LAST
    RCVBUF_LAST="$(rcvbuf_errors "$NS_SRV") $(rcvbuf_errors "$NS_CLI")"
    [ -n "$RCVBUF_FIRST" ] || RCVBUF_FIRST=$RCVBUF_LAST
    TICKS_LAST="$now $(awk '{ print $14 + $15 }' "/proc/$OURS_JAVA/stat" 2>/dev/null)"
    [ -n "$TICKS_FIRST" ] || TICKS_FIRST=$TICKS_LAST
    PREV_EPOCH=$now
    LAST_EPOCH=$now
    ROWS+=("$(row "$t" "$heap" "$rss" "$fds" "$threads" "$leases" "$dhcp" "$drop" "$tftp" "$mibs" "$rmp" "$bad")")
    log "t=${t}s heap ${heap} MiB, rss ${rss} MiB, ${fds} fds, ${threads} threads, leases ${leases} MiB; DHCP ${dhcp}/s (${drop} % dropped), TFTP ok/failed ${tftp}, RMP ok/failed ${rmp}, malformed ${bad}"
}

row() { printf '%6s %9s %9s %6s %8s %10s %8s %7s %11s %7s %8s %16s\n' "$@"; }

run_samples() {
    local i next
    for ((i = 0; i * SAMPLE_EVERY <= DURATION; i++)); do
        next=$((T0 + i * SAMPLE_EVERY))
        while ((EPOCHSECONDS < next)); do
            sleep 1
            alive "$OURS_JAVA" || break
        done
        if ! alive "$OURS_JAVA"; then
            FAILED+=("our server exited $((EPOCHSECONDS - T0)) s into the run (see soak-latest-karaf.log)")
            return
        fi
        sample
    done
}

# ---------------------------------------------------------------------------------------------
# Verdicts.

# verdict COLUMN NAME UNIT TOLERANCE: the line for one metric (see "flat" in the header).
verdict() {
    local col=$1 name=$2 unit=$3 tol=$4 half=$((DURATION / 2)) values n median line
    values=$(printf '%s\n' "${SAMPLES[@]}" | awk -v c="$col" -v h="$half" '$1 >= h && $c != "-" { print $1, $c }')
    n=$(grep -c . <<<"$values")
    if ((n < 3)); then
        printf '%-16s n/a      (%d samples in the second half; 3 are needed)\n' "$name" "$n"
        return
    fi
    median=$(cut -d' ' -f2 <<<"$values" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    line=$(awk -v name="$name" -v unit="$unit" -v tol="$tol" -v median="$median" '
        { n++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2; if (n == 1) first = $1; last = $1 }
        END {
            slope = (n * sxy - sx * sy) / (n * sxx - sx * sx)
            rise = slope * (last - first)
            printf "%-16s %-8s (second half: %d samples, median %g%s; the fitted line %s %.1f%s over %d s; tolerance %g%s)\n",
                name, (rise > tol ? "GROWING" : "flat"), n, median, unit, (rise >= 0 ? "rises" : "falls"),
                (rise >= 0 ? rise : -rise), unit, last - first, tol, unit
        }' <<<"$values")
    [[ $line == *" GROWING "* ]] && FAILED+=("$name grew")
    echo "$line"
}

# Totals of the whole run, and the service verdicts (FAILED).
service() {
    local from=$T0 to=$LAST_EPOCH
    local ok fail corrupt total rmp_ok rmp_fail sent done drop
    ok=$(count "$WORK/tftp.log" "$from" "$to" '$6 == "ok"')
    fail=$(count "$WORK/tftp.log" "$from" "$to" '$6 == "fail"')
    corrupt=$(count "$WORK/tftp.log" "$from" "$to" '$6 == "corrupt"')
    total=$((ok + fail + corrupt))
    echo "TFTP: $total transfers, $ok intact, $fail failed, $corrupt corrupt"
    ((corrupt > 0)) && FAILED+=("$corrupt TFTP transfers came back corrupt")
    ((ok == 0)) && FAILED+=("no TFTP transfer completed")
    if ((total > 0)) && [ "$(calc "%d" "100 * $fail / $total > $MAX_FAIL_PCT")" = 1 ]; then
        FAILED+=("$fail of $total TFTP transfers failed (more than $MAX_FAIL_PCT %)")
    fi
    if ((fail + corrupt > 0)); then
        echo "  failed by shape (file blksize windowsize atftp-status: count):"
        awk -v a="$from" -v b="$to" '$1 > a && $1 <= b && $6 != "ok" { n[$3 " " $4 " " $5 " " $6 "/" $7]++ } END { for (k in n) printf "    %s: %d\n", k, n[k] }' "$WORK/tftp.log" | sort
    fi
    rmp_ok=$(count "$WORK/rmp.log" "$from" "$to" '$2 == "ok"')
    rmp_fail=$(count "$WORK/rmp.log" "$from" "$to" '$2 != "ok"')
    echo "RMP: $((rmp_ok + rmp_fail)) boots of $RMP_FILE_KIB KiB, $rmp_ok intact, $rmp_fail failed"
    awk -v a="$from" -v b="$to" '$1 > a && $1 <= b && $2 != "ok"' "$WORK/rmp.log" | head -n 3 | sed 's/^/  e.g. /'
    awk -v a="$from" -v b="$to" '$1 > a && $1 <= b && $2 != "ok" && /corrupt/ { n++ } END { exit !n }' "$WORK/rmp.log" \
        && FAILED+=("an RMP boot file came back corrupt")
    ((rmp_ok == 0)) && FAILED+=("no RMP boot completed")
    if ((rmp_ok + rmp_fail > 0)) && [ "$(calc "%d" "100 * $rmp_fail / ($rmp_ok + $rmp_fail) > $MAX_FAIL_PCT")" = 1 ]; then
        FAILED+=("$rmp_fail of $((rmp_ok + rmp_fail)) RMP boots failed (more than $MAX_FAIL_PCT %)")
    fi
    read -r sent done < <(awk -v a="$from" -v b="$to" '$1 > a && $1 <= b { s += $3; d += $6 } END { print s + 0, d + 0 }' "$WORK/dhcp.log")
    if ((sent > 0)); then
        drop=$(calc "%.2f" "100 * ($sent - $done) / $sent")
        # A reply that perfdhcp's own full socket buffer dropped was sent: the client fell behind
        # (perfdhcp reads every client's replies through one socket, on a shared cpu here).
        local srv0 cli0 srv1 cli1 late ours
        read -r srv0 cli0 <<<"$RCVBUF_FIRST"
        read -r srv1 cli1 <<<"$RCVBUF_LAST"
        late=$((cli1 - cli0))
        ours=$((sent - done > late ? sent - done - late : 0))
        echo "DHCP: $sent DISCOVERs, $done exchanges completed ($drop % unanswered); datagrams dropped at a full"
        echo "  socket receive buffer meanwhile: $((srv1 - srv0)) in the server's namespace, $late in perfdhcp's;"
        echo "  not answered by the server: $ours ($(calc "%.2f" "100 * $ours / $sent") %)"
        [ "$(calc "%d" "100 * $ours / $sent > $MAX_DROP_PCT")" = 1 ] \
            && FAILED+=("the server left $(calc "%.2f" "100 * $ours / $sent") % of DHCP exchanges unanswered (more than $MAX_DROP_PCT %)")
    else
        echo "DHCP: perfdhcp sent nothing (see KEEP_WORK=1, dhcp.log)"
        FAILED+=("no DHCP exchange")
    fi
    local bad bad_dhcp bad_tftp bad_rmp received
    read -r bad bad_dhcp bad_tftp bad_rmp received < <(printf '%s\n%s\n' "$BAD_FIRST" "$BAD_LAST" \
        | awk 'NF == 5 { for (i = 1; i <= 5; i++) { d[i] = $i - (NR == 1 ? 0 : d[i]) } } END { print d[1] + 0, d[2] + 0, d[3] + 0, d[4] + 0, d[5] + 0 }')
    if ((received > 0)); then
        echo "malformed: $bad sent ($bad_dhcp DHCP, $bad_tftp TFTP, $bad_rmp RMP frames), $(calc "%.2f" "100 * $bad / $received") % of the $received packets the server received"
    else
        echo "malformed: the sender left no figures (see KEEP_WORK=1, malformed.out)"
    fi
    local e0 k0 e1 k1
    read -r e0 k0 <<<"$TICKS_FIRST"
    read -r e1 k1 <<<"$TICKS_LAST"
    if [ -n "${k1:-}" ] && ((e1 > e0)); then
        echo "server cpu: $(calc "%.0f" "100 * ($k1 - $k0) / $(getconf CLK_TCK) / ($e1 - $e0)") % of one cpu on average (user + system, all threads)"
    fi
    # Karaf's log and what it rolled over; -a: a line may carry bytes from the network.
    local problems control stalls
    problems=$(cat "$OURS_HOME"/data/log/karaf.log* 2>/dev/null | grep -acE '\| (WARN|ERROR) ')
    control=$(cat "$OURS_HOME"/data/log/karaf.log* 2>/dev/null | LC_ALL=C grep -acP '[\x00-\x08\x0b-\x1f\x7f]')
    echo "karaf.log: ${problems:-0} WARN/ERROR lines (soak-latest-karaf.log), ${control:-0} lines with control characters; most frequent:"
    cat "$OURS_HOME"/data/log/karaf.log* 2>/dev/null | grep -aE '\| (WARN|ERROR) ' | awk -F'|' '{ print $2 "|" $4 }' \
        | sort | uniq -c | sort -rn | head -n 5 | sed 's/^/  /'
    stalls=$(grep -c 'Allocation Stall' "$WORK"/gc.log* 2>/dev/null | awk -F: '{ n += $NF } END { print n + 0 }')
    echo "GC: $(grep -c 'Garbage Collection' "$WORK"/gc.log* 2>/dev/null | awk -F: '{ n += $NF } END { print n + 0 }') collections, $stalls allocation stalls"
}

report() {
    {
        echo "Soak run $(date -u '+%Y-%m-%d %H:%M UTC'): $DURATION s, a sample every $SAMPLE_EVERY s"
        echo "host: $(uname -r), $(nproc --all) cpus ($(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
        heap_line
        echo "kernel memory monitor (DAMON): $(memory_monitor)"
        echo "server: $(basename "$DIST") on $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
        echo "load: DHCP $DHCP_RATE/s from $DHCP_CLIENTS clients (perfdhcp $(perfdhcp -v 2>&1 | grep -o '[0-9][0-9.]*' | head -n 1), relay), $TFTP_CONC TFTP transfers at a time of ${TFTP_FILES_MIB// /, } MiB (atftp, server's link $TFTP_MBIT Mbit/s), RMP $RMP_READS reads/s of a $RMP_FILE_KIB KiB file, $MALFORMED_PCT % malformed"
        echo
        row "t s" "heap MiB" "RSS MiB" "fds" "threads" "leases MiB" "DHCP/s" "drop %" "TFTP ok/bad" "MiB/s" "RMP ok/bad" "malformed (%)"
        local line
        for line in "${ROWS[@]}"; do echo "$line"; done
        echo
        echo "heap: ${HEAP_SOURCE:-n/a}"
        echo "RSS: VmRSS (ZGC maps the heap at three addresses: it counts up to three times); leases: du"
        echo "of the lease directory (journals are created at full size ahead of time); the other columns"
        echo "count what finished since the last sample."
        echo "Verdicts (flat: the least-squares line through the second half's samples rises by at most"
        echo "the tolerance):"
        verdict 2 "heap after GC" " MiB" "$HEAP_TOL_MIB"
        verdict 3 "RSS" " MiB" "$RSS_TOL_MIB"
        verdict 4 "file descriptors" "" "$FD_TOL"
        verdict 5 "threads" "" "$THREAD_TOL"
        verdict 6 "lease directory" " MiB" "$LEASES_TOL_MIB"
        echo
        service
        local note
        for note in "${NOTES[@]}"; do echo "note: $note"; done
    } >"$WORK/report.txt"
    # verdict and service add to FAILED: they run in this shell (a redirected group), not in a
    # pipeline's subshell, hence the file.
    {
        cat "$WORK/report.txt"
        echo
        if [ "${#FAILED[@]}" -eq 0 ]; then
            echo "verdict: PASS - every metric flat, the server kept serving"
        else
            local reason
            for reason in "${FAILED[@]}"; do echo "verdict: FAIL - $reason"; done
        fi
    } | tee "$RESULT_FILE"
}

# ---------------------------------------------------------------------------------------------
main() {
    preflight
    begin_run soak
    install_tools
    choose_jdk
    setup_net
    make_files
    start_ours
    wait_ready
    start_load
    run_samples
    stop_load
    report
    [ "${#FAILED[@]}" -eq 0 ]
}

main "$@"
