#!/usr/bin/env bash
# HTTP download benchmark: our HTTP server (bundle org.diskless.http) against nginx with sendfile,
# side by side in one run, and against our own TFTP server, all serving the same file to the same
# client namespace: 1, 10 and 100 concurrent downloads of a 64 MiB file.
#
# Usage (as root, from anywhere):
#   benchmarks/http-bench.sh            the full matrix, about 10 minutes
#   QUICK=1 benchmarks/http-bench.sh    smoke run: 16 MiB file, 1 and 10 downloads, 1 repetition
#
# Environment overrides:
#   DISKLESS_DIST       our distribution tarball
#                       (default karaf-assembly/target/karaf-assembly-0.1.0-SNAPSHOT.tar.gz)
#   SIZE_MIB            size of the file (full 64, quick 16)
#   CONCURRENCY         downloads at once per cell ("1 10 100"; quick "1 10")
#   REPS                runs per cell and server, in rotating order; the median counts (full 7, quick 1)
#   SERVERS             which servers to measure ("ours nginx tftp floor"; floor: see FLOOR_SERVER)
#   TFTP_BLKSIZE, TFTP_WINDOWSIZE   what atftp asks our TFTP server for (65464, 8)
#   WARMUP_MIB          untimed downloads from each server before measuring, at least this many MiB (512)
#   WARMUP_REQUESTS     untimed requests for a small file before those, each on a new connection (2000)
#   XFER_TIMEOUT        seconds one cell's downloads may take (300)
#   OURS_START_TIMEOUT  seconds our server may take until it serves a file (120)
#   PIN=0               leave servers and clients unpinned (default: servers on cpu 0, clients on cpu 1)
#   NGINX               the nginx binary (default: the installed one; installed with apt if missing)
#   KEEP_WORK=1         keep the temporary directory (logs, nginx configuration) for inspection
#
# Clients: curl (HTTP, one process per download) and atftp (TFTP, one process per download, with
# blksize and windowsize options). Every download's HTTP status and size are checked, and the
# first download of every run is kept and its SHA-256 compared with the file's, so a server that
# sends wrong bytes or too few cannot look fast; a run with any bad download is marked.
#
# Everything runs inside two namespaces this script creates (dlhttp-srv, dlhttp-cli) joined by a
# veth pair in 198.18.28.0/24 (RFC 2544 benchmark range): ours on .1 (HTTP 8080, TFTP 69), nginx
# on .3 port 8081 and the floor on .3 port 8082, clients on .2. They and every process in them are removed on exit.
#
# The table goes to stdout and to benchmarks/results/http-latest.txt (our Karaf log to
# benchmarks/results/http-latest-karaf.log). Progress goes to stderr.

set -uo pipefail   # no -e: a failed download is a result to report, not a reason to stop

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RESULTS_DIR="$SCRIPT_DIR/results"
RESULT_FILE="$RESULTS_DIR/http-latest.txt"

QUICK=${QUICK:-0}
RUN_KIND=full
[ -z "${SIZE_MIB:-}${CONCURRENCY:-}${REPS:-}${SERVERS:-}${TFTP_BLKSIZE:-}${TFTP_WINDOWSIZE:-}" ] || RUN_KIND=partial
[ "${PIN:-1}" = 1 ] || RUN_KIND="$RUN_KIND unpinned"
[ "$QUICK" = 1 ] && RUN_KIND=QUICK
if [ "$QUICK" = 1 ]; then
    : "${SIZE_MIB:=16}" "${CONCURRENCY:=1 10}" "${REPS:=1}" "${WARMUP_MIB:=64}"
else
    : "${SIZE_MIB:=64}" "${CONCURRENCY:=1 10 100}" "${REPS:=7}" "${WARMUP_MIB:=512}"
fi
: "${SERVERS:=ours nginx tftp floor}" "${TFTP_BLKSIZE:=65464}" "${TFTP_WINDOWSIZE:=8}" "${XFER_TIMEOUT:=300}"
: "${OURS_START_TIMEOUT:=120}" "${KEEP_WORK:=0}" "${PIN:=1}" "${WARMUP_REQUESTS:=2000}"
DIST=${DISKLESS_DIST:-$REPO_ROOT/karaf-assembly/target/karaf-assembly-0.1.0-SNAPSHOT.tar.gz}
read -r -a SERVER_LIST <<<"$SERVERS"

NS_SRV=dlhttp-srv
NS_CLI=dlhttp-cli
VETH_SRV=dlhttp-s
VETH_CLI=dlhttp-c
OURS_IP=198.18.28.1
CLI_IP=198.18.28.2
NGINX_IP=198.18.28.3
SRV_CPU=0
CLI_CPU=1
declare -A URL=([ours]="http://$OURS_IP:8080" [nginx]="http://$NGINX_IP:8081" [tftp]="$OURS_IP 69"
               [floor]="http://$NGINX_IP:8082")
declare -A LABEL=([ours]="diskless http" [nginx]=nginx [tftp]="diskless tftp" [floor]="floor")
declare -A ROOT_PID=()   # process whose tree is the server, for its cpu (ours and tftp: the java process)
declare -A UP=()
declare -A ROWS=()       # "conc|server" -> one line per run: "MiB/s wall cpu load ok"
NOTES=()

WORK=""
OUT_DIR=""
NETNS_MADE=0
OURS_HOME=""
OURS_PID=""
OURS_NOTE=""
TRANSPORT=""
OACK=""
NGINX_PID=""
FLOOR_PID=""
CLK_TCK=$(getconf CLK_TCK)

BENCH_NAME=http-bench
# shellcheck source=bench-lib.sh
. "$SCRIPT_DIR/bench-lib.sh"
use_benchmark_heap

# Runs a command on cpu $1 when pinning, else as it is.
on_cpu() {
    local cpu=$1
    shift
    if [ "$PIN" = 1 ]; then taskset -c "$cpu" "$@"; else "$@"; fi
}

# ---------------------------------------------------------------------------------------------
# Teardown: every process in our namespaces was started by this script.
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_ours
    stop_process "$NGINX_PID"
    stop_process "$FLOOR_PID"
    if [ "$NETNS_MADE" = 1 ]; then
        remove_namespaces "$NS_CLI" "$NS_SRV"
    fi
    [ -n "$OUT_DIR" ] && rm -rf "$OUT_DIR"
    end_work
    exit "$rc"
}

preflight() {
    [ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
    [ -x /usr/bin/python3 ] || die "/usr/bin/python3 is needed"
    if [ "$(nproc --all)" -lt 2 ]; then
        log "only one cpu: servers and clients share cpu 0"
        CLI_CPU=0
    fi
    namespaces_free "$NS_SRV" "$NS_CLI"
    local name
    for name in "${SERVER_LIST[@]}"; do
        [ -n "${LABEL[$name]:-}" ] || die "unknown server '$name' in SERVERS (ours, nginx, tftp, floor)"
    done
}

install_tools() {
    local want=() pkg
    command -v curl >/dev/null || want+=(curl)
    command -v atftp >/dev/null || want+=(atftp)
    NGINX=${NGINX:-$(command -v nginx || true)}
    [ -n "$NGINX" ] || want+=(nginx)
    if [ "${#want[@]}" -gt 0 ]; then
        log "installing ${want[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${want[@]}" \
            >"$WORK/apt.log" 2>&1 || { tail -n 20 "$WORK/apt.log" >&2; die "apt-get install ${want[*]} failed"; }
    fi
    NGINX=${NGINX:-$(command -v nginx)}
    for pkg in curl atftp "$NGINX"; do command -v "$pkg" >/dev/null || die "no $pkg"; done
}

setup_net() {
    veth_namespaces "$NS_SRV" "$NS_CLI" "$VETH_SRV" "$VETH_CLI"
    ip -n "$NS_SRV" addr add "$OURS_IP/24" dev "$VETH_SRV"
    ip -n "$NS_SRV" addr add "$NGINX_IP/24" dev "$VETH_SRV"
    ip -n "$NS_CLI" addr add "$CLI_IP/24" dev "$VETH_CLI"
}

make_files() {
    ROOT_DIR="$WORK/root"
    mkdir -p "$ROOT_DIR"
    head -c "${SIZE_MIB}M" /dev/urandom >"$ROOT_DIR/big.bin"
    echo "diskless http benchmark" >"$ROOT_DIR/small.txt"
    SIZE_BYTES=$(stat -c %s "$ROOT_DIR/big.bin")
    SUM=$(sha256sum <"$ROOT_DIR/big.bin" | cut -d' ' -f1)
    # The one kept download per run lands on tmpfs: the client never waits for a disk.
    OUT_DIR=$(mktemp -d /dev/shm/dlhttp.XXXXXX)
}

# ---------------------------------------------------------------------------------------------
# Servers, all on the server cpu from their start: a JVM sizes its event loops and GC threads
# for the cpus it may use, and nginx gets as many workers (one) as that cpu allows.
start_nginx() {
    local dir="$WORK/nginx"
    mkdir -p "$dir/logs" "$dir/tmp"
    cat >"$dir/nginx.conf" <<EOF
# Written by benchmarks/http-bench.sh: a static file server for the benchmark's file, nothing else.
user root;
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log $dir/logs/access.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 60;
    server {
        listen $NGINX_IP:8081;
        root $ROOT_DIR;
    }
}
EOF
    on_cpu "$SRV_CPU" ip netns exec "$NS_SRV" "$NGINX" -p "$dir" -c "$dir/nginx.conf" \
        </dev/null >"$dir/nginx.out" 2>&1 &
    NGINX_PID=$!
}

# The floor: the least any HTTP server can do per download here, to tell what bounds a cell. It
# reads the request head, writes a fixed response head and hands the whole file to one
# sendfile(2) call, a thread per connection (from a pool that keeps its threads, so that their
# scheduler statistics stay readable); no validation, no keep-alive, no limits (a measuring
# stick, not a server). When nginx and ours come near it, what is left is the kernel's
# and the clients' work on these two cpus.
FLOOR_SERVER='
import os, socket, sys
from concurrent.futures import ThreadPoolExecutor
addr, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
size = os.path.getsize(path)
head = ("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % size).encode()
def serve(conn):
    with conn, open(path, "rb") as f:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
        conn.sendall(head)
        sent = 0
        while sent < size:
            sent += os.sendfile(conn.fileno(), f.fileno(), sent, size - sent)
listener = socket.create_server((addr, port), backlog=1024)
pool = ThreadPoolExecutor(max_workers=1024)
while True:
    conn, _ = listener.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    pool.submit(serve, conn)
'

start_floor() {
    on_cpu "$SRV_CPU" ip netns exec "$NS_SRV" /usr/bin/python3 -c "$FLOOR_SERVER" "$NGINX_IP" 8082 "$ROOT_DIR/big.bin" \
        </dev/null >"$WORK/floor.out" 2>&1 &
    FLOOR_PID=$!
}

stop_ours() {
    [ -n "$OURS_HOME" ] || return 0
    stop_karaf "$NS_SRV" "$OURS_HOME" "$OURS_PID" "$RESULTS_DIR/http-latest-karaf.log"
}

start_ours() {
    unpack_ours || return 1
    local http="$OURS_HOME/etc/org.diskless.http.cfg" tftp="$OURS_HOME/etc/org.diskless.tftp.cfg"
    set_cfg "$http" address "$OURS_IP"
    set_cfg "$http" port 8080
    # Every download here comes from one client address; nginx has no per-client limit either.
    set_cfg "$http" maxConnectionsPerClient 1000
    set_cfg "$tftp" address "$OURS_IP"
    set_cfg "$tftp" maxTransfers 200
    set_cfg "$tftp" maxTransfersPerClient 200
    set_cfg "$OURS_HOME/etc/org.diskless.files.cfg" root "$ROOT_DIR"
    on_cpu "$SRV_CPU" ip netns exec "$NS_SRV" "$OURS_HOME/bin/karaf" server </dev/null >"$WORK/ours.out" 2>&1 &
    OURS_PID=$!
}

# small.txt must come back intact from server $1.
serves() {
    local name=$1 out="$OUT_DIR/ready.$1"
    rm -f "$out"
    if [ "$name" = tftp ]; then
        ip netns exec "$NS_CLI" timeout 3 atftp -g -r small.txt -l "$out" ${URL[tftp]} >/dev/null 2>&1
    elif [ "$name" = floor ]; then
        # It serves the big file whatever the path.
        ip netns exec "$NS_CLI" timeout 10 curl -s -f -o "$out" "${URL[$name]}/big.bin" && cmp -s "$out" "$ROOT_DIR/big.bin"
        return
    else
        ip netns exec "$NS_CLI" timeout 3 curl -s -f -o "$out" "${URL[$name]}/small.txt"
    fi && cmp -s "$out" "$ROOT_DIR/small.txt"
}

wait_serving() {
    local name=$1 pid=$2 deadline=$((SECONDS + $3))
    while ((SECONDS < deadline)); do
        alive "$pid" || return 1
        serves "$name" && return 0
        sleep 1
    done
    return 1
}

bring_up_servers() {
    local name java
    if [[ " ${SERVER_LIST[*]} " == *" nginx "* ]]; then
        start_nginx
        if wait_serving nginx "$NGINX_PID" 10; then
            UP[nginx]=1
            ROOT_PID[nginx]=$NGINX_PID   # ip netns exec and taskset exec: nginx's master itself
        else
            NOTES+=("nginx did not serve on ${URL[nginx]}: $(tail -n 3 "$WORK/nginx/logs/error.log" "$WORK/nginx/nginx.out" 2>/dev/null | tr '\n' ' ')")
        fi
    fi
    if [[ " ${SERVER_LIST[*]} " == *" floor "* ]]; then
        start_floor
        if wait_serving floor "$FLOOR_PID" 10; then
            UP[floor]=1
            ROOT_PID[floor]=$FLOOR_PID
        else
            NOTES+=("floor did not serve on ${URL[floor]}: $(tail -n 3 "$WORK/floor.out" | tr '\n' ' ')")
        fi
    fi
    if [[ " ${SERVER_LIST[*]} " == *" ours "* || " ${SERVER_LIST[*]} " == *" tftp "* ]] && start_ours; then
        log "waiting up to ${OURS_START_TIMEOUT}s for our server"
        for name in ours tftp; do
            [[ " ${SERVER_LIST[*]} " == *" $name "* ]] || continue
            if wait_serving "$name" "$OURS_PID" "$OURS_START_TIMEOUT" && java=$(karaf_java "$OURS_PID"); then
                UP[$name]=1
                ROOT_PID[$name]=$java
            else
                NOTES+=("${LABEL[$name]}: n/a - did not serve small.txt within ${OURS_START_TIMEOUT}s (see results/http-latest-karaf.log)")
            fi
        done
        if [ "${UP[ours]:-0}${UP[tftp]:-0}" = 00 ]; then stop_ours; fi
    elif [ -n "$OURS_NOTE" ]; then
        NOTES+=("ours: n/a - $OURS_NOTE")
    fi
    TRANSPORT=$( [ "${UP[ours]:-0}" = 1 ] && grep -o 'HTTP transport: .*' "$OURS_HOME/data/log/karaf.log" | head -n 1)
    # What our TFTP server grants of what atftp asks (it grants as many blocks as fit a client's
    # receive buffer); atftp --trace shows the OACK, its list ended by ", " erased with backspaces.
    if [ "${UP[tftp]:-0}" = 1 ]; then
        OACK=$(ip netns exec "$NS_CLI" timeout 10 atftp --trace --option "blksize $TFTP_BLKSIZE" \
            --option "windowsize $TFTP_WINDOWSIZE" --option "tsize 0" -g -r small.txt -l "$OUT_DIR/probe" \
            ${URL[tftp]} 2>&1 | grep -m 1 'received OACK' | tr -d '\b' \
            | sed -e 's/.*received OACK <//' -e 's/[, ]*>[[:space:]]*$//')
    fi
}

# cpu_seconds PID: user + system cpu of PID and its descendants so far (threads included), from
# /proc/PID/stat: fields 14 and 15 in clock ticks, counted after the command name's last ')'.
cpu_seconds() {
    local p ticks=0 stat rest
    for p in $("${PROC[@]}" pids "$1"); do
        stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
        rest=${stat##*) }
        read -r -a f <<<"$rest"
        ticks=$((ticks + f[11] + f[12]))
    done
    calc "%.2f" "$ticks / $CLK_TCK"
}

# runq_wait PID: seconds the threads of PID and its descendants have so far spent runnable but
# waiting for a cpu (/proc/PID/task/TID/schedstat, second field, ns). Threads that ended are not
# counted.
runq_wait() {
    local p
    for p in $("${PROC[@]}" pids "$1"); do
        cat /proc/"$p"/task/*/schedstat 2>/dev/null
    done | awk '{ ns += $2 } END { printf "%.2f", ns / 1e9 }'
}

# cpu_ticks CPU: "busy total" clock ticks of cpu CPU so far, from /proc/stat (busy: all but idle
# and iowait; softirq included, where a veth runs the receiving side's TCP).
cpu_ticks() {
    awk -v c="cpu$1" '$1 == c { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat
}

# busy_share BEFORE AFTER: percent of the ticks between two cpu_ticks readings the cpu was busy.
busy_share() {
    local b0 t0 b1 t1
    read -r b0 t0 <<<"$1"
    read -r b1 t1 <<<"$2"
    calc "%.0f" "($t1 > $t0) ? 100 * ($b1 - $b0) / ($t1 - $t0) : 0"
}

# ---------------------------------------------------------------------------------------------
# Clients. One bash inside the client namespace starts N downloads at once and times them itself,
# so "ip netns exec" start-up is not part of the measured time. Download 1 is kept (to be
# checksummed), the others go to /dev/null. Prints the start and end times, then one line per
# download: "status bytes" (curl: HTTP status and bytes received; atftp: exit code and, for the
# kept download, its size, else -).
# Args: kind(http|tftp) n url-or-"host port" out timeout blksize windowsize
CLIENT_SNIPPET='
kind=$1 n=$2 url=$3 out=$4 tmo=$5 blk=$6 ws=$7
pids=()
start=$(date +%s.%N)
for ((i = 1; i <= n; i++)); do
    dest=/dev/null
    [ "$i" = 1 ] && dest=$out
    if [ "$kind" = http ]; then
        timeout "$tmo" curl -s -o "$dest" -w "%{http_code} %{size_download}\n" "$url/big.bin" >"$out.$i.res" 2>&1 &
    else
        ( timeout "$tmo" atftp --option "blksize $blk" --option "windowsize $ws" --option "tsize 0" \
              -g -r big.bin -l "$dest" $url >/dev/null 2>&1
          echo "$? -" >"$out.$i.res" ) &
    fi
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
end=$(date +%s.%N)
echo "$start $end"
for ((i = 1; i <= n; i++)); do cat "$out.$i.res" 2>/dev/null || echo "none -"; rm -f "$out.$i.res"; done
'

# run_cell NAME N: N downloads at once from server NAME. Sets WALL (s), MIBS, CPU (server cpu s),
# WAIT (s the server's threads waited for a cpu),
# LOAD (1-minute load average at the end), SRV_BUSY and CLI_BUSY (% the server's and the clients'
# cpu were busy, with whatever else ran there), OK (downloads intact) and BAD (what was wrong).
run_cell() {
    local name=$1 n=$2 kind=http out="$OUT_DIR/got" cpu0 cpu1 wait0 srv0 srv1 cli0 cli1 result start end status bytes i=0 lines
    [ "$name" = tftp ] && kind=tftp
    rm -f "$out"
    cpu0=$(cpu_seconds "${ROOT_PID[$name]}")
    wait0=$(runq_wait "${ROOT_PID[$name]}")
    srv0=$(cpu_ticks "$SRV_CPU")
    cli0=$(cpu_ticks "$CLI_CPU")
    result=$(on_cpu "$CLI_CPU" ip netns exec "$NS_CLI" timeout $((XFER_TIMEOUT + 30)) bash -c "$CLIENT_SNIPPET" \
        client "$kind" "$n" "${URL[$name]}" "$out" "$XFER_TIMEOUT" "$TFTP_BLKSIZE" "$TFTP_WINDOWSIZE")
    srv1=$(cpu_ticks "$SRV_CPU")
    cli1=$(cpu_ticks "$CLI_CPU")
    cpu1=$(cpu_seconds "${ROOT_PID[$name]}")
    WAIT=$(calc "%.2f" "$(runq_wait "${ROOT_PID[$name]}") - $wait0")
    SRV_BUSY=$(busy_share "$srv0" "$srv1")
    CLI_BUSY=$(busy_share "$cli0" "$cli1")
    LOAD=$(cut -d' ' -f1 /proc/loadavg)
    CPU=$(calc "%.2f" "$cpu1 - $cpu0")
    read -r start end <<<"$(head -n 1 <<<"$result")"
    WALL=$(calc "%.3f" "${end:-0} - ${start:-0}")
    OK=0
    BAD=""
    mapfile -t lines < <(tail -n +2 <<<"$result")
    for line in "${lines[@]}"; do
        i=$((i + 1))
        read -r status bytes <<<"$line"
        if [ "$kind" = http ]; then
            [ "$status" = 200 ] && [ "$bytes" = "$SIZE_BYTES" ] && OK=$((OK + 1)) || BAD="download $i: status $status, $bytes bytes"
        else
            [ "$status" = 0 ] && OK=$((OK + 1)) || BAD="download $i: atftp exit $status"
        fi
    done
    # The kept download: size and checksum. A server that sent it wrong bytes may have sent the
    # others wrong bytes of the right size too: then none counts.
    if [ ! -f "$out" ] || [ "$(stat -c %s "$out")" != "$SIZE_BYTES" ] \
        || [ "$(sha256sum <"$out" | cut -d' ' -f1)" != "$SUM" ]; then
        OK=0
        BAD="download 1: $( [ -f "$out" ] && stat -c %s "$out" || echo no) bytes, checksum wrong or missing: no download of the run counts"
    fi
    rm -f "$out"
    [ "$i" = "$n" ] || BAD="${BAD:+$BAD; }$i of $n downloads reported"
    MIBS=$(calc "%.1f" "$OK * $SIZE_MIB / ($WALL > 0 ? $WALL : 1)")
}

# Untimed, for every server alike: WARMUP_REQUESTS requests for the small file, each on a new
# connection as every download of a cell opens one, then downloads of the big file. Ours runs
# compiled code that the JIT specialises to what it has seen: warmed with eight downloads only,
# its requests took several milliseconds to answer where nginx took well under one (measured
# with curl's time_starttransfer), a few percent of a one-download cell.
warm_up() {
    local name done_mib args i
    for name in "${SERVER_LIST[@]}"; do
        [ "${UP[$name]:-0}" = 1 ] || continue
        if [ "$name" = ours ] || [ "$name" = nginx ]; then
            log "warming up ${LABEL[$name]} ($WARMUP_REQUESTS requests, untimed)"
            args=()
            for ((i = 0; i < WARMUP_REQUESTS; i++)); do args+=(-o /dev/null "${URL[$name]}/small.txt"); done
            on_cpu "$CLI_CPU" ip netns exec "$NS_CLI" timeout 300 curl -s -f -H "Connection: close" "${args[@]}" \
                || NOTES+=("${LABEL[$name]}: the warm-up requests failed")
        fi
        done_mib=0
        log "warming up ${LABEL[$name]} (${WARMUP_MIB} MiB, untimed)"
        while [ "$done_mib" -lt "$WARMUP_MIB" ]; do
            run_cell "$name" 4
            done_mib=$((done_mib + 4 * SIZE_MIB))
            [ "$OK" = 4 ] || { NOTES+=("${LABEL[$name]}: a warm-up run failed: $BAD"); break; }
        done
    done
}

# Every cell runs REPS times per server, the servers in a rotated order each time, so that none
# always runs first (after a pause) or right after the same other one.
bench() {
    local n rep k name order
    for n in $CONCURRENCY; do
        for ((rep = 0; rep < REPS; rep++)); do
            order=()
            for ((k = 0; k < ${#SERVER_LIST[@]}; k++)); do
                order+=("${SERVER_LIST[(k + rep) % ${#SERVER_LIST[@]}]}")
            done
            for name in "${order[@]}"; do
                [ "${UP[$name]:-0}" = 1 ] || continue
                sleep 1   # the previous run's connections close
                run_cell "$name" "$n"
                ROWS["$n|$name"]+="$MIBS $WALL $CPU $LOAD $OK $SRV_BUSY $CLI_BUSY $WAIT"$'\n'
                [ -z "$BAD" ] || NOTES+=("${LABEL[$name]}, $n at once, run $((rep + 1)): $BAD")
                log "$(printf '%3d at once  %-13s %7.1f MiB/s  %7.2f s  cpu %6.2f s  wait %s s  load %s  busy %s/%s %%  intact %d/%d' \
                    "$n" "${LABEL[$name]}" "$MIBS" "$WALL" "$CPU" "$WAIT" "$LOAD" "$SRV_BUSY" "$CLI_BUSY" "$OK" "$n")"
            done
        done
    done
}

# median NAME N: the run of cell (N, NAME) with the median MiB/s (the lower middle one of an even
# count), as "MiB/s wall cpu load ok server-busy client-busy wait".
median() {
    local rows=${ROWS["$2|$1"]:-}
    [ -n "$rows" ] || return 1
    local count
    count=$(grep -c . <<<"$rows")
    sort -n -k1,1 <<<"$rows" | grep . | sed -n "$(((count + 1) / 2))p"
}

print_table() {
    local n name m mibs wall cpu load ok sbusy cbusy wait nginx_mibs ratio all
    {
        echo "HTTP benchmark $(date -u '+%Y-%m-%d %H:%M UTC'), $RUN_KIND run: ${SIZE_MIB} MiB file, median of $REPS runs per cell"
        echo "host: $(uname -r), $(nproc --all) cpus ($(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), veth MTU 1500,"
        if [ "$PIN" = 1 ]; then
            echo "  servers on cpu $SRV_CPU, clients on cpu $CLI_CPU; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
        else
            echo "  nothing pinned; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
        fi
        heap_line
        echo "servers: diskless http ${URL[ours]} (${TRANSPORT:-n/a}), $("$NGINX" -v 2>&1 | cut -d' ' -f3) ${URL[nginx]}"
        echo "  (1 worker, sendfile on, tcp_nopush on), diskless tftp $OURS_IP:69, floor ${URL[floor]}"
        echo "clients: $(curl --version | head -n 1 | cut -d' ' -f1-2) (HTTP), $(atftp -V 2>&1 | head -n 1) (TFTP, blksize $TFTP_BLKSIZE windowsize $TFTP_WINDOWSIZE asked;"
        echo "  our TFTP server's OACK: ${OACK:-n/a})"
        echo
        printf '%5s %-14s %8s %9s %8s %7s %7s %6s %7s %7s  %s\n' "at" "server" "wall s" "MiB/s" "/nginx" \
            "cpu s" "wait s" "load" "busy %" "intact" "MiB/s of every run"
        for n in $CONCURRENCY; do
            nginx_mibs=$(median nginx "$n" | cut -d' ' -f1)
            for name in "${SERVER_LIST[@]}"; do
                if ! m=$(median "$name" "$n"); then
                    printf '%5s %-14s %8s\n' "$n" "${LABEL[$name]}" "n/a"
                    continue
                fi
                read -r mibs wall cpu load ok sbusy cbusy wait <<<"$m"
                ratio=""
                if [ "$name" != nginx ] && [ -n "$nginx_mibs" ] && [ "$(calc "%d" "$nginx_mibs > 0")" = 1 ]; then
                    ratio=$(calc "%.2f" "$mibs / $nginx_mibs")
                fi
                all=$(grep . <<<"${ROWS["$n|$name"]}" | cut -d' ' -f1 | paste -sd' ' -)
                printf '%5s %-14s %8s %9s %8s %7s %7s %6s %7s %7s  %s\n' "$n" "${LABEL[$name]}" "$wall" "$mibs" \
                    "$ratio" "$cpu" "$wait" "$load" "$sbusy/$cbusy" "$ok/$n" "$all"
            done
        done
        echo
        echo "at: downloads at once, each of the whole file. wall s: first start to last end. MiB/s: intact"
        echo "  bytes / wall (aggregate). /nginx: that figure over nginx's (median over median)."
        echo "cpu s: user + system cpu of the server's processes during the run (/proc/PID/stat; ours: the"
        echo "  JVM, which runs HTTP and TFTP alike; nginx: master and worker), kernel work done in their"
        echo "  system calls included: sending on a veth also runs the receiving side's TCP there."
        echo "wait s: how long the server's threads were runnable but waited for a cpu during the run"
        echo "  (/proc/PID/task/TID/schedstat, summed over threads: more than wall s when several wait)."
        echo "load: the 1-minute load average when the run ended: other work on the host, and the run's own"
        echo "  clients (100 downloads at once are 100 runnable processes)."
        if [ "$PIN" = 1 ]; then
            echo "busy %: how busy the servers' cpu $SRV_CPU / the clients' cpu $CLI_CPU were during the run"
            echo "  (/proc/stat, 10 ms ticks: rough for runs under a second), whatever ran there."
        else
            echo "busy %: how busy cpu $SRV_CPU / cpu $CLI_CPU were during the run (nothing pinned)."
        fi
        echo "intact: downloads with the right status and size (curl) or exit code (atftp); download 1 of"
        echo "  each run is also checksummed (SHA-256), and when it is wrong no download of the run counts."
        echo "floor: the least an HTTP server can do per download (python3, a thread per connection, one"
        echo "  sendfile of the whole file): near it, what is left is the kernel's and the clients' work."
        local note
        for note in "${NOTES[@]}"; do echo "note: $note"; done
    } | tee "$RESULT_FILE"
}

main() {
    preflight
    begin_run dlhttp
    install_tools
    setup_net
    make_files
    bring_up_servers
    warm_up
    bench
    print_table
}

main "$@"
