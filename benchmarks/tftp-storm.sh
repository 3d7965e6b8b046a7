#!/usr/bin/env bash
# TFTP under a storm of slow clients: CLIENTS atftp clients start at once, each fetching the same
# file, from our server (Diskless), atftpd and tftpd-hpa, side by side in one run on the same pair
# of network namespaces. The clients share one cpu, so each waits its turn to read a block and
# answer it: a server whose retransmission timer takes that wait for a loss sends blocks again that
# were only slow to be acknowledged, and atftp says so for each copy it gets ("got wrong block").
#
# Usage (as root, from anywhere):
#   benchmarks/tftp-storm.sh
#
# Environment overrides:
#   DISKLESS_DIST   our distribution tarball (default karaf-assembly/target/karaf-assembly-0.1.0-SNAPSHOT.tar.gz)
#   CLIENTS         clients at once (200)
#   FILE_KIB        size of the file each fetches, KiB (1024)
#   SHAPES          "blksize:windowsize ..." per cell ("512:1 1468:1 1468:8"); 512:1 asks no option
#                   at all (plain RFC 1350), the others blksize and tsize, and windowsize when > 1
#   REPS            storms per cell and server, each a row (1)
#   WARMUP_CLIENTS  clients of one untimed storm per cell and server first, for our JIT and every
#                   server's page cache (50; 0: none)
#   XFER_TIMEOUT    seconds one client may take (120)
#   OURS_CFG        more settings for ours, "key=value ..."
#   NS_PREFIX       prefix of the two namespaces (tftpstorm): NS_PREFIX-srv, NS_PREFIX-cli
#   KEEP_WORK=1     keep the temporary directory (client logs of the last storm, server logs)
#   SERVERS         the servers to run, in this order ("ours atftpd tftpd-hpa")
#   TFTPD_HPA, ATFTPD   peer binaries; by default each is unpacked from its .deb (never installed)
#
# The server runs on cpu 0, the clients on cpu 1 (both on cpu 0 with one cpu). Printed per storm:
# intact files, atftp's lines about blocks it got twice or out of order (the resends it noticed),
# the client timeouts, the datagrams the clients got beyond what a loss-free transfer needs (the
# server's resends as the wire shows them, every server alike), ours also by its own count
# (tftp:stats), wall time and the server's cpu time. The table goes to stdout and to
# benchmarks/results/tftp-storm-latest.txt; progress to stderr.

set -uo pipefail   # no -e: a failed transfer is a result to report, not a reason to stop

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RESULTS_DIR="$SCRIPT_DIR/results"
RESULT_FILE="$RESULTS_DIR/tftp-storm-latest.txt"

: "${CLIENTS:=200}" "${FILE_KIB:=1024}" "${SHAPES:=512:1 1468:1 1468:8}" "${REPS:=1}"
: "${WARMUP_CLIENTS:=50}" "${XFER_TIMEOUT:=120}" "${NS_PREFIX:=tftpstorm}" "${KEEP_WORK:=0}"
: "${OURS_START_TIMEOUT:=240}"
DIST=${DISKLESS_DIST:-$REPO_ROOT/karaf-assembly/target/karaf-assembly-0.1.0-SNAPSHOT.tar.gz}

NS_SRV=$NS_PREFIX-srv
NS_CLI=$NS_PREFIX-cli
SRV_IP=198.18.9.1
CLI_IP=198.18.9.2
SRV_CPU=0
CLI_CPU=1

read -r -a SERVERS <<<"${SERVERS:-ours atftpd tftpd-hpa}"
declare -A PORT=([ours]=6900 [tftpd-hpa]=6901 [atftpd]=6902)
declare -A SERVER_PID=()   # the process whose cpu time is the server's (ours: the java process)
declare -A UP=()
ROWS=()
NOTES=()

WORK=""
OUT_DIR=""
NETNS_MADE=0
OURS_HOME=""
OURS_PID=""
OURS_NOTE=""

BENCH_NAME=tftp-storm
# shellcheck source=bench-lib.sh
. "$SCRIPT_DIR/bench-lib.sh"
use_benchmark_heap

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$OURS_HOME" ]; then
        stop_karaf "$NS_SRV" "$OURS_HOME" "$OURS_PID" "$RESULTS_DIR/tftp-storm-latest-karaf.log"
    fi
    [ "$NETNS_MADE" = 1 ] && remove_namespaces "$NS_SRV" "$NS_CLI"
    [ -n "$OUT_DIR" ] && rm -rf "$OUT_DIR"
    end_work
    exit "$rc"
}

preflight() {
    [ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
    command -v atftp >/dev/null || die "atftp is needed: apt-get install --no-install-recommends atftp"
    command -v ssh >/dev/null && command -v ssh-keygen >/dev/null \
        || die "ssh and ssh-keygen are needed (tftp:stats through our console): apt-get install openssh-client"
    [ "$(nproc --all)" -ge 2 ] || { log "only one cpu: server and clients share cpu 0"; CLI_CPU=0; }
    namespaces_free "$NS_SRV" "$NS_CLI"
}

setup_net() {
    veth_namespaces "$NS_SRV" "$NS_CLI" veth0 veth0
    ip -n "$NS_SRV" addr add "$SRV_IP/24" dev veth0
    ip -n "$NS_CLI" addr add "$CLI_IP/24" dev veth0
}

make_files() {
    ROOT_DIR="$WORK/root"
    mkdir -p "$ROOT_DIR"
    head -c "$((FILE_KIB * 1024))" /dev/urandom >"$ROOT_DIR/storm.bin"
    echo "diskless tftp storm" >"$ROOT_DIR/small.txt"
    SUM=$(sha256sum <"$ROOT_DIR/storm.bin" | cut -d' ' -f1)
    OUT_DIR=$(mktemp -d /dev/shm/tftpstorm.XXXXXX)   # clients write to tmpfs, never waiting for a disk
}

# ---------------------------------------------------------------------------------------------
# Servers, as root so that the 0700 work directory needs no permission changes.
runs() { [[ " ${SERVERS[*]} " == *" $1 "* ]]; }

# The peers' binaries, unpacked from their .debs unless given.
find_peers() {
    if runs atftpd; then
        ATFTPD=${ATFTPD:-$(unpack_deb atftpd)/usr/sbin/atftpd}
        [ -x "$ATFTPD" ] || die "no atftpd binary at $ATFTPD"
    fi
    if runs tftpd-hpa; then
        TFTPD_HPA=${TFTPD_HPA:-$(unpack_deb tftpd-hpa)/usr/sbin/in.tftpd}
        "$TFTPD_HPA" -V 2>&1 | grep -q '^tftp-hpa' || die "no tftpd-hpa binary at $TFTPD_HPA"
    fi
}

# ip netns exec and taskset exec: each $! is the server itself.
start_peer() {
    case $1 in
        atftpd) ip netns exec "$NS_SRV" taskset -c "$SRV_CPU" "$ATFTPD" --daemon --no-fork \
                    --user root --group root --port "${PORT[atftpd]}" --bind-address "$SRV_IP" \
                    --maxthread "$((CLIENTS + 10))" --logfile "$WORK/atftpd.log" "$ROOT_DIR" \
                    </dev/null >"$WORK/atftpd.out" 2>&1 & ;;
        tftpd-hpa) ip netns exec "$NS_SRV" taskset -c "$SRV_CPU" "$TFTPD_HPA" --foreground --secure \
                    --user root --address "$SRV_IP:${PORT[tftpd-hpa]}" "$ROOT_DIR" \
                    </dev/null >"$WORK/tftpd-hpa.log" 2>&1 & ;;
    esac
    SERVER_PID[$1]=$!
}

start_ours() {
    unpack_ours || return 1
    local cfg="$OURS_HOME/etc/org.diskless.tftp.cfg" kv
    set_cfg "$cfg" port "${PORT[ours]}"
    set_cfg "$cfg" maxTransfers "$((CLIENTS + 10))"
    set_cfg "$cfg" maxTransfersPerClient "$((CLIENTS + 10))"   # every client here has one address
    for kv in ${OURS_CFG:-}; do set_cfg "$cfg" "${kv%%=*}" "${kv#*=}"; done
    set_cfg "$OURS_HOME/etc/org.diskless.files.cfg" root "$ROOT_DIR"
    allow_console_key "$OURS_HOME" || { OURS_NOTE="ssh-keygen failed"; return 1; }   # for tftp:stats
    ip netns exec "$NS_SRV" taskset -c "$SRV_CPU" "$OURS_HOME/bin/karaf" server </dev/null >"$WORK/ours.out" 2>&1 &
    OURS_PID=$!
}

# Our retransmissions so far, from tftp:stats (kept whole in the work directory); empty if the
# console did not answer.
ours_resends() {
    karaf_console "$NS_SRV" tftp:stats >"$WORK/ours-stats.txt"
    awk '$1 == "Retransmissions" { print $2 }' "$WORK/ours-stats.txt"
}

rrq_ok() {
    local name=$1 out="$OUT_DIR/ready.$1"
    rm -f "$out"
    ip netns exec "$NS_CLI" timeout 3 atftp -g -r small.txt -l "$out" "$SRV_IP" "${PORT[$name]}" \
        >/dev/null 2>&1 && cmp -s "$out" "$ROOT_DIR/small.txt"
}

wait_ready() {
    local name=$1 pid=$2 deadline=$((SECONDS + $3))
    while ((SECONDS < deadline)); do
        alive "$pid" || return 1
        rrq_ok "$name" && return 0
        sleep 1
    done
    return 1
}

bring_up_servers() {
    local name java=""
    for name in atftpd tftpd-hpa; do
        runs "$name" || continue
        start_peer "$name"
        if wait_ready "$name" "${SERVER_PID[$name]}" 10; then UP[$name]=1
        else NOTES+=("$name did not answer on port ${PORT[$name]}; rerun with KEEP_WORK=1 for its log"); fi
    done
    if runs ours && start_ours; then
        log "waiting up to ${OURS_START_TIMEOUT}s for our server on port ${PORT[ours]}"
        local deadline=$((SECONDS + OURS_START_TIMEOUT))
        if wait_ready ours "$OURS_PID" "$OURS_START_TIMEOUT" && java=$(karaf_java "$OURS_PID"); then
            # The console may come up a little after TFTP.
            while ((SECONDS < deadline)) && [ -z "$(ours_resends)" ]; do sleep 1; done
        fi
        if [ -n "$java" ] && [ -n "$(ours_resends)" ]; then
            SERVER_PID[ours]=$java
            UP[ours]=1
        else
            OURS_NOTE="our server did not serve small.txt and answer tftp:stats within ${OURS_START_TIMEOUT}s"
        fi
    fi
    [ -n "$OURS_NOTE" ] && NOTES+=("ours: n/a - $OURS_NOTE")
}

# ---------------------------------------------------------------------------------------------
# One bash inside the client namespace starts N clients at once and times them itself.
# Args: n host port blksize windowsize out-prefix timeout. Prints "start end".
CLIENT_SNIPPET='
n=$1 host=$2 port=$3 blk=$4 ws=$5 out=$6 tmo=$7
opts=()
if [ "$blk" != 512 ] || [ "$ws" -gt 1 ]; then opts=(--option "blksize $blk" --option "tsize 0"); fi
[ "$ws" -gt 1 ] && opts+=(--option "windowsize $ws")
pids=()
start=$(date +%s.%N)
for ((i = 1; i <= n; i++)); do
    timeout "$tmo" atftp "${opts[@]}" -g -r storm.bin -l "$out.$i" "$host" "$port" >"$out.$i.log" 2>&1 &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
echo "$start $(date +%s.%N)"
'

# Namespace-wide "datagrams that reached a socket, of them dropped there (receive buffer full)".
udp_in() {
    ip netns exec "$1" awk '
        $1 == "Udp:" { if (hdr++) { for (i = 2; i <= NF; i++) v[key[i]] = $i } else { for (i = 2; i <= NF; i++) key[i] = $i } }
        END { print v["InDatagrams"] + v["RcvbufErrors"], v["RcvbufErrors"] + 0 }
    ' /proc/net/snmp
}

# storm SERVER N BLKSIZE WINDOWSIZE: sets INTACT, DUPS (atftp's "got wrong block" lines) and
# DUPS_MAX (the most one client printed), TIMEOUTS (its "timeout: retrying" lines), EXTRA (datagrams
# the clients got beyond a loss-free transfer's), DROPS (datagrams dropped at a full socket buffer,
# either side), OWN (ours: retransmissions by tftp:stats, else -), WALL (s) and CPU (server cpu s).
storm() {
    local name=$1 n=$2 blk=$3 ws=$4 out="$OUT_DIR/x" in0 in1 drops0 drops1 sampler own0="" own1 result start end i
    local blocks=$((FILE_KIB * 1024 / blk + 1)) oack=1
    [ "$blk" = 512 ] && [ "$ws" = 1 ] && oack=0
    rm -f "$out".*
    [ "$name" = ours ] && own0=$(ours_resends)
    read -r in0 drops0 < <(udp_in "$NS_CLI")
    drops0=$((drops0 + $(udp_in "$NS_SRV" | cut -d' ' -f2)))
    rm -f "$WORK/stop-sampler"
    "${PROC[@]}" cpu "$WORK/stop-sampler" $((XFER_TIMEOUT + 60)) "${SERVER_PID[$name]}" >"$WORK/cpu" &
    sampler=$!
    result=$(ip netns exec "$NS_CLI" taskset -c "$CLI_CPU" timeout $((XFER_TIMEOUT + 30)) \
        bash -c "$CLIENT_SNIPPET" client "$n" "$SRV_IP" "${PORT[$name]}" "$blk" "$ws" "$out" "$XFER_TIMEOUT")
    touch "$WORK/stop-sampler"
    wait "$sampler"
    read -r in1 drops1 < <(udp_in "$NS_CLI")
    drops1=$((drops1 + $(udp_in "$NS_SRV" | cut -d' ' -f2)))
    read -r start end <<<"$result"
    WALL=$(calc "%.1f" "${end:-0} - ${start:-0}")
    CPU=$(cat "$WORK/cpu")
    DROPS=$((drops1 - drops0))
    EXTRA=$((in1 - in0 - n * (blocks + oack)))
    OWN=-
    if [ "$name" = ours ]; then
        own1=$(ours_resends)
        [ -n "$own0" ] && [ -n "$own1" ] && OWN=$((own1 - own0))
    fi
    INTACT=0
    for ((i = 1; i <= n; i++)); do
        [ -f "$out.$i" ] && [ "$(sha256sum <"$out.$i" | cut -d' ' -f1)" = "$SUM" ] && INTACT=$((INTACT + 1))
    done
    DUPS=$(cat "$out".*.log 2>/dev/null | grep -c 'got wrong block')
    DUPS_MAX=$(awk 'FNR == 1 { c = 0 } /got wrong block/ && ++c > m { m = c } END { print m + 0 }' "$out".*.log)
    TIMEOUTS=$(cat "$out".*.log 2>/dev/null | grep -c 'timeout: retrying')
    # What the clients made of the server's last storm, for a look afterwards (KEEP_WORK=1).
    rm -rf "$WORK/clients-$name-$blk-$ws"
    mkdir -p "$WORK/clients-$name-$blk-$ws"
    cp "$out".*.log "$WORK/clients-$name-$blk-$ws/" 2>/dev/null
    rm -f "$out".*
}

row() { printf '%-15s %-10s %3s %8s %9s %7s %8s %9s %7s %8s %6s %6s %6s\n' "$@"; }

declare -A BEST_WALL=() BEST_CPU=()   # "cell|server" -> the least over the runs

# keep_best CELL SERVER: remembers this storm's wall and cpu time if they are the least so far.
keep_best() {
    local key="$1|$2"
    if [ -z "${BEST_WALL[$key]:-}" ] || [ "$(calc "%d" "$WALL < ${BEST_WALL[$key]}")" = 1 ]; then
        BEST_WALL[$key]=$WALL
    fi
    if [ -z "${BEST_CPU[$key]:-}" ] || [ "$(calc "%d" "$CPU < ${BEST_CPU[$key]}")" = 1 ]; then
        BEST_CPU[$key]=$CPU
    fi
}

# ratio CELL TABLE PEER...: ours divided by the best of the PEERs' figures in TABLE (BEST_WALL or
# BEST_CPU).
ratio() {
    local -n table=$2
    local cell=$1 ours=${table["$1|ours"]:-} best="" name v
    shift 2
    for name in "$@"; do
        v=${table["$cell|$name"]:-}
        [ -n "$v" ] || continue
        if [ -z "$best" ] || [ "$(calc "%d" "$v < $best")" = 1 ]; then best=$v; fi
    done
    if [ -z "$ours" ] || [ -z "$best" ] || [ "$(calc "%d" "$best <= 0")" = 1 ]; then echo n/a
    else calc "%.2f" "$ours / $best"; fi
}

main() {
    preflight
    begin_run "$NS_PREFIX"
    find_peers
    setup_net
    make_files
    bring_up_servers
    local shape blk ws name rep cell cells=()
    for shape in $SHAPES; do
        blk=${shape%:*} ws=${shape#*:}
        if [ "$blk" = 512 ] && [ "$ws" = 1 ]; then cell="512 no options"
        elif [ "$ws" = 1 ]; then cell="$blk lock-step"
        else cell="$blk window $ws"; fi
        cells+=("$cell")
        if [ "$WARMUP_CLIENTS" -gt 0 ]; then
            for name in "${SERVERS[@]}"; do
                [ "${UP[$name]:-0}" = 1 ] && storm "$name" "$WARMUP_CLIENTS" "$blk" "$ws"
            done
        fi
        for ((rep = 1; rep <= REPS; rep++)); do
            for name in "${SERVERS[@]}"; do
                if [ "${UP[$name]:-0}" != 1 ]; then
                    ROWS+=("$(row "$cell" "$name" "$rep" n/a "" "" "" "" "" "" "" "" "")")
                    continue
                fi
                sleep 1   # the previous storm's stragglers (tftpd-hpa children) finish
                storm "$name" "$CLIENTS" "$blk" "$ws"
                ROWS+=("$(row "$cell" "$name" "$rep" "$INTACT/$CLIENTS" "$DUPS" "$DUPS_MAX" "$TIMEOUTS" "$EXTRA" \
                    "$(calc "%.2f" "$EXTRA / $CLIENTS")" "$OWN" "$DROPS" "$WALL" "$CPU")")
                keep_best "$cell" "$name"
                log "${ROWS[-1]}"
            done
        done
    done
    {
        echo "TFTP storm $(date -u '+%Y-%m-%d %H:%M UTC'): $CLIENTS atftp clients at once, each fetching $FILE_KIB KiB${OURS_CFG:+ (ours with $OURS_CFG)}"
        echo "host: $(uname -r), $(nproc --all) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; server cpu $SRV_CPU, clients cpu $CLI_CPU"
        heap_line
        local versions=()
        runs ours && versions+=("ours $( [ "${UP[ours]:-0}" = 1 ] && basename "$DIST" || echo n/a)")
        runs atftpd && versions+=("$("$ATFTPD" -V 2>&1 | head -n 1)")
        runs tftpd-hpa && versions+=("$("$TFTPD_HPA" -V 2>&1 | head -n 1 | cut -d, -f1)")
        echo "client: $(atftp -V 2>&1 | head -n 1); servers: $(IFS=,; echo "${versions[*]}" | sed 's/,/, /g')"
        echo
        row "cell" "server" "run" "intact" "dup-block" "most" "client" "extra" "extra" "own" "drops" "wall" "cpu"
        row "" "" "" "files" "lines" "1 xfer" "timeouts" "datagrams" "/xfer" "resends" "" "s" "s"
        printf '%s\n' "${ROWS[@]}"
        echo
        for cell in "${cells[@]}"; do
            printf '%-15s ours/best peer: wall %s, server cpu (against atftpd) %s\n' "$cell" \
                "$(ratio "$cell" BEST_WALL atftpd tftpd-hpa)" "$(ratio "$cell" BEST_CPU atftpd)"
        done
        echo
        echo "dup-block lines: atftp's 'got wrong block' lines, summed over the clients: a block it held"
        echo "  already (a resend it did not need) or one past a gap (a loss). Each answered with one"
        echo "  extra ACK at most until the next block in order. most 1 xfer: the most of one client."
        echo "client timeouts: atftp's 'timeout: retrying' lines (it waited 5 s for a block)."
        echo "extra datagrams: datagrams that reached the clients' sockets beyond what loss-free"
        echo "  transfers need (an OACK when options were asked, then every block): the server's"
        echo "  resends as the wire counts them, the same for every server; /xfer: per transfer."
        echo "drops: datagrams dropped at a full socket receive buffer, in either namespace."
        echo "own resends: ours, tftp:stats Retransmissions during the storm, in packets (tftp:transfers"
        echo "  shows each transfer's while it runs)."
        echo "cpu: cpu time of the server's processes and threads, in seconds. tftpd-hpa's is sampled"
        echo "  every 50 ms from its children, one per transfer, and comes out far too low: it is left"
        echo "  out of the ratio. ours/best peer: the least wall and cpu time of each over the runs."
        local note
        for note in "${NOTES[@]}"; do echo "note: $note"; done
    } | tee "$RESULT_FILE"
}

main "$@"
