#!/usr/bin/env bash
# Boot storm: N diskless nodes powering on at once, each fetching a realistic boot set, served by
# our distribution with unicast TFTP, by ours with MTFTP, by dnsmasq (DHCP and TFTP in one, what
# most clusters run) and by dnsmasq's DHCP beside atftpd's PXE MTFTP, one after the other in one
# run, on the same namespaces, files and generator. A measurement, not a test: the targets (every
# node booted, MTFTP egress near one copy of the files, the storm over much sooner than dnsmasq's)
# are printed beside the figures, never asserted.
#
# The generator (benchmarks/java, org.diskless.bench.storm.BootStorm) plays all N PXE ROMs in one
# process on one thread: DHCP DISCOVER/OFFER/REQUEST/ACK with the PXE options, retransmitted after
# 4, 8, 16 and 32 s as the PXE specification says; the boot file DHCP names, by PXE MTFTP when the
# offer carries option 43's MTFTP sub-options, else by unicast TFTP as iPXE's client does it
# (blksize 1432, tsize, a retransmission timer from a quarter of a second, following the round
# trip, doubling, given up after about 15 s of silence); then the boot loader's configuration by
# unicast TFTP and the kernel and RAM disk it names, by MTFTP when the configuration gives them a
# channel. A node fails where its ROM would give up; every block is checked against the file.
# What the generator models and why, in detail: the javadoc of BootStorm, MtftpFetch and TftpFetch.
#
# The boot set: the loader pxelinux.0 (40 KiB), its configuration pxelinux.cfg/default, the kernel
# vmlinuz (8 MiB) and the RAM disk initrd.img of 32,000,000 bytes: not 32 MiB, because PXE MTFTP
# numbers 512-byte blocks with 16 bits and has no option to change either, so a file needs fewer
# than 65,536 blocks (at most 33,553,919 bytes: the last block must be short); 32 MiB would need
# 65,537. Every server gets the same files.
#
# Usage (as root, from anywhere):
#   benchmarks/storm.sh                           N = 10, 100, 1000 on every server
#   NODES="10 100" SERVERS="ours-mtftp atftpd" benchmarks/storm.sh
#
# Environment overrides:
#   NODES           node counts, each a run per server ("10 100 1000")
#   SERVERS         which, in this order ("ours-tftp ours-mtftp dnsmasq atftpd"):
#                     ours-tftp    our distribution, DHCP and unicast TFTP
#                     ours-mtftp   ours with the loader, kernel and RAM disk also served by MTFTP
#                                  (n/a when the distribution has no MTFTP bundle)
#                     dnsmasq      dnsmasq, DHCP and TFTP in one process
#                     atftpd       dnsmasq for DHCP (sending option 43's MTFTP sub-options) and
#                                  atftpd for TFTP and PXE MTFTP
#   MAX_SECONDS     a run is cut after this long; nodes still busy count as unfinished, and the
#                   table says the run was cut (900)
#   SPREAD          seconds over which the N nodes power on, evenly (0: all at once)
#   OPEN_TIMEOUT, REOPEN_DELAY   the MTFTP listen and reopen times in seconds every MTFTP server
#                   announces (2, 4)
#   DISKLESS_DIST   our distribution (default karaf-assembly/target/karaf-assembly-*.tar.gz; build it
#                   with mvn -B -o -q -DskipTests package -pl karaf-assembly -am)
#   OURS_START_TIMEOUT   seconds ours may take to boot one node after starting (120)
#   KEEP_WORK=1     keep the temporary directory (server logs, generator output, configuration)
#   SRV_CPU, CLI_CPU     the servers' cpu and the generator's (0, 1)
#
# Everything runs in two namespaces this script creates, storm-srv-PID and storm-cli-PID, joined
# by a veth pair in 198.18.32.0/20 (RFC 2544 benchmark range; server 198.18.32.1). The servers lease
# from 198.18.40.0/21, which the client namespace routes to its loopback (a "local" route), so the
# generator can bind a socket to every leased address and the namespace answers ARP for them all;
# the server namespace reaches that pool through the client's own address, so it needs one
# neighbour entry and not one per node. Multicast, and on the client's side the limited broadcast,
# are routed out of the veth. The
# namespaces and every process in them are removed on exit. Servers run on one cpu and the
# generator on the other; each server is started once and serves its runs in the order of NODES,
# after an untimed single node (which also proves it serves), each run with new MACs.
#
# Per run it prints: seconds from the first power-on until every node had every file, nodes failed
# and unfinished, bytes the server's veth sent (and that over one copy of the boot set), the server
# process's cpu (user + system from /proc), and resends: DATA the nodes received twice per unicast
# transfer, ours' own count of retransmissions (tftp:stats), and blocks each MTFTP group carried
# over the blocks of its file.
#
# The table goes to stdout and to benchmarks/results/storm-latest.txt (our Karaf logs to
# benchmarks/results/storm-latest-karaf-ours-tftp.log and -ours-mtftp.log). Progress goes to stderr.

set -uo pipefail   # no -e: a failed node is a figure to report, not a reason to stop

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RESULTS_DIR="$SCRIPT_DIR/results"
RESULT_FILE="$RESULTS_DIR/storm-latest.txt"

: "${NODES:=10 100 1000}" "${SERVERS:=ours-tftp ours-mtftp dnsmasq atftpd}" "${MAX_SECONDS:=900}"
: "${SPREAD:=0}" "${OPEN_TIMEOUT:=2}" "${REOPEN_DELAY:=4}" "${OURS_START_TIMEOUT:=120}" "${KEEP_WORK:=0}"
: "${SRV_CPU:=0}" "${CLI_CPU:=1}"
DIST=${DISKLESS_DIST:-$(ls "$REPO_ROOT"/karaf-assembly/target/karaf-assembly-*.tar.gz 2>/dev/null | head -n 1)}

NS_SRV=storm-srv-$$
NS_CLI=storm-cli-$$
VETH_SRV=sts$$
VETH_CLI=stc$$
SRV_IP=198.18.32.1
CLI_IP=198.18.32.2
NET_MASK=255.255.240.0
POOL=198.18.40.0/21
POOL_FIRST=198.18.40.1
POOL_LAST=198.18.47.254
LEASE_TIME=3600
# The most transfers, concurrent, every server is configured for (dnsmasq's default is 50, atftpd's
# 100 threads, ours 1000): a fleet's operator sizes them for the fleet.
MAX_TRANSFERS=4096
# MTFTP: a group per file, one client and one server port for all, as atftpd requires.
LOADER=pxelinux.0
CONFIG=pxelinux.cfg/default
KERNEL=vmlinuz
INITRD=initrd.img
declare -A GROUP=([$LOADER]=233.252.0.1 [$KERNEL]=233.252.0.2 [$INITRD]=233.252.0.3)
MTFTP_CLIENT_PORT=1758
MTFTP_SERVER_PORT=1759
GENERATOR=org.diskless.bench.storm.BootStorm

declare -A LABEL=([ours-tftp]="ours, unicast TFTP" [ours-mtftp]="ours, MTFTP" [dnsmasq]="dnsmasq, TFTP"
                  [atftpd]="dnsmasq + atftpd MTFTP")
declare -A PIDS=()        # server -> the processes whose cpu counts (ours: the java process)
declare -A FIG=()         # "server|N|key" -> figure
declare -A UP=()          # server -> served the warm-up node
NOTES=()
RUN=0                     # generator runs so far: part of every node's MAC

WORK=""
NETNS_MADE=0
OURS_HOME=""
OURS_PID=""
OURS_NOTE=""
OURS_NAME=""              # ours-tftp or ours-mtftp, while one runs

BENCH_NAME=storm
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
    [ "$NETNS_MADE" = 1 ] && remove_namespaces "$NS_SRV" "$NS_CLI"
    end_work
    exit "$rc"
}

preflight() {
    [ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
    local n s
    for n in $NODES; do
        [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 2000 ] || die "NODES: each count 1-2000 (the pool's size), not '$n'"
    done
    for s in $SERVERS; do
        [ -n "${LABEL[$s]:-}" ] || die "SERVERS: unknown server '$s' (ours-tftp ours-mtftp dnsmasq atftpd)"
    done
    [[ $MAX_SECONDS =~ ^[0-9]+$ ]] && [ "$MAX_SECONDS" -gt 0 ] || die "MAX_SECONDS must be a positive whole number"
    [[ $SPREAD =~ ^[0-9]+([.][0-9]+)?$ ]] || die "SPREAD must be a number of seconds"
    if [ "$(nproc --all)" -lt 2 ]; then
        log "only one cpu: servers and generator share cpu 0"
        SRV_CPU=0; CLI_CPU=0
    fi
}

install_peers() {
    local missing=()
    [ -x /usr/sbin/dnsmasq ] || missing+=(dnsmasq-base)
    command -v ssh >/dev/null && command -v ssh-keygen >/dev/null || missing+=(openssh-client)
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
            >"$WORK/apt.log" 2>&1 || { tail -n 20 "$WORK/apt.log" >&2; die "apt-get install failed"; }
    fi
    ATFTPD=${ATFTPD:-}
    if [[ " $SERVERS " == *" atftpd "* ]] && [ -z "$ATFTPD" ]; then
        # atftpd conflicts with tftpd-hpa in apt: unpacked from its .deb, never installed.
        ATFTPD=$(unpack_deb atftpd)/usr/sbin/atftpd
    fi
}

setup_net() {
    veth_namespaces "$NS_SRV" "$NS_CLI" "$VETH_SRV" "$VETH_CLI"
    ip -n "$NS_SRV" addr add "$SRV_IP/20" dev "$VETH_SRV"
    ip -n "$NS_CLI" addr add "$CLI_IP/20" dev "$VETH_CLI"
    ip -n "$NS_CLI" route add local "$POOL" dev lo || die "local route for $POOL"
    ip -n "$NS_SRV" route add "$POOL" via "$CLI_IP" || die "route to $POOL"
    ip -n "$NS_SRV" route add 224.0.0.0/4 dev "$VETH_SRV" || die "multicast route"
    ip -n "$NS_CLI" route add 224.0.0.0/4 dev "$VETH_CLI" || die "multicast route"
    # A ROM broadcasts from no address at all; the generator's DHCP socket needs a route for it.
    ip -n "$NS_CLI" route add 255.255.255.255/32 dev "$VETH_CLI" || die "broadcast route"
}

make_files() {
    ROOT_DIR="$WORK/root"
    mkdir -p "$ROOT_DIR/pxelinux.cfg"
    head -c 40960 /dev/urandom >"$ROOT_DIR/$LOADER"
    head -c 8388608 /dev/urandom >"$ROOT_DIR/$KERNEL"
    head -c 32000000 /dev/urandom >"$ROOT_DIR/$INITRD"
    chmod -R a+rX "$WORK"
}

# The loader's configuration: what it fetches, and the MTFTP channel of each file when the server
# under test serves them by MTFTP (arg: mtftp or unicast).
write_config() {
    {
        echo "# benchmarks/storm.sh: the simulated loader fetches these, in order"
        echo "KERNEL $KERNEL"
        echo "INITRD $INITRD"
        if [ "$1" = mtftp ]; then
            local f
            for f in "$KERNEL" "$INITRD"; do
                echo "MTFTP $f ${GROUP[$f]} $MTFTP_CLIENT_PORT $MTFTP_SERVER_PORT $OPEN_TIMEOUT $REOPEN_DELAY"
            done
        fi
    } >"$ROOT_DIR/$CONFIG"
}

# ---------------------------------------------------------------------------------------------
# Servers, one at a time, on SRV_CPU.

stop_ours() {
    [ -n "$OURS_HOME" ] || return 0
    stop_karaf "$NS_SRV" "$OURS_HOME" "$OURS_PID" "$RESULTS_DIR/storm-latest-karaf-$OURS_NAME.log"
    OURS_HOME=""
}

# start_ours MODE (tftp | mtftp)
start_ours() {
    # A fresh copy each time: configuration and data/ left by the previous start would survive an unpack.
    rm -rf "$WORK/ours"
    unpack_ours || return 1
    local etc="$OURS_HOME/etc" f name
    if [ "$1" = mtftp ] && ! find "$OURS_HOME/system" -path '*org.diskless.mtftp*' -name '*.jar' | grep -q .; then
        OURS_NOTE="this distribution has no MTFTP bundle (org.diskless.mtftp)"
        return 1
    fi
    set_cfg "$etc/org.diskless.files.cfg" root "$ROOT_DIR"
    set_cfg "$etc/org.diskless.dhcp.cfg" unknownClients '"allow"'
    set_cfg "$etc/org.diskless.dhcp.cfg" interface "\"$VETH_SRV\""
    cat >"$etc/org.diskless.dhcp.subnet-storm.cfg" <<EOF
network = "${SRV_IP%.*}.0/20"
range = "$POOL_FIRST-$POOL_LAST"
leaseTime = "$LEASE_TIME"
EOF
    set_cfg "$etc/org.diskless.tftp.cfg" maxTransfers "$MAX_TRANSFERS"
    if [ "$1" = mtftp ]; then
        set_cfg "$etc/org.diskless.mtftp.cfg" interface "$VETH_SRV"
        for f in "$LOADER" "$KERNEL" "$INITRD"; do
            name=${f%%.*}
            cat >"$etc/org.diskless.mtftp.file-$name.cfg" <<EOF
file = $f
group = ${GROUP[$f]}
clientPort = $MTFTP_CLIENT_PORT
serverPort = $MTFTP_SERVER_PORT
openTimeout = $OPEN_TIMEOUT
reopenDelay = $REOPEN_DELAY
EOF
        done
    fi
    rm -f "$WORK/console_key" "$WORK/console_key.pub"   # made again for each start
    allow_console_key "$OURS_HOME" || { OURS_NOTE="ssh-keygen failed"; return 1; }
    # Pinned from the start, as the peers are, so the JVM sizes itself for the one cpu it has.
    ip netns exec "$NS_SRV" taskset -c "$SRV_CPU" "$OURS_HOME/bin/karaf" server </dev/null >"$WORK/ours.out" 2>&1 &
    OURS_PID=$!
}

console() { karaf_console "$NS_SRV" "$@"; }

# Ours' TFTP retransmissions so far (tftp:stats), or "-".
ours_retransmissions() {
    local v
    v=$(console tftp:stats | awk '$1 == "Retransmissions" { print $2 }')
    echo "${v:--}"
}

# start_dnsmasq MODE: "tftp" (DHCP and TFTP) or "mtftp" (DHCP only, naming atftpd's MTFTP channel
# for the loader in option 43, vendor class PXEClient).
start_dnsmasq() {
    local args=(--keep-in-foreground --conf-file=/dev/null --port=0 --user=root
        --pid-file="$WORK/dnsmasq.pid" --log-facility="$WORK/dnsmasq-$1.log" --quiet-dhcp --quiet-tftp
        --no-ping --dhcp-authoritative --interface="$VETH_SRV"
        --dhcp-range="$POOL_FIRST,$POOL_LAST,$NET_MASK,$LEASE_TIME" --dhcp-lease-max=4096
        --dhcp-leasefile="$WORK/dnsmasq-$1.leases")
    if [ "$1" = tftp ]; then
        args+=(--dhcp-boot="$LOADER" --enable-tftp --tftp-root="$ROOT_DIR" --tftp-max="$MAX_TRANSFERS")
    else
        # Ports as two bytes each (dnsmasq writes a small number in as few bytes as it fits).
        args+=(--dhcp-boot="$LOADER,,$SRV_IP"
            --dhcp-option="vendor:PXEClient,1,${GROUP[$LOADER]}"
            --dhcp-option="vendor:PXEClient,2,$(printf '%02x:%02x' $((MTFTP_CLIENT_PORT >> 8)) $((MTFTP_CLIENT_PORT & 255)))"
            --dhcp-option="vendor:PXEClient,3,$(printf '%02x:%02x' $((MTFTP_SERVER_PORT >> 8)) $((MTFTP_SERVER_PORT & 255)))"
            --dhcp-option="vendor:PXEClient,4,$OPEN_TIMEOUT"
            --dhcp-option="vendor:PXEClient,5,$REOPEN_DELAY")
    fi
    ip netns exec "$NS_SRV" taskset -c "$SRV_CPU" dnsmasq "${args[@]}" </dev/null >"$WORK/dnsmasq-$1.out" 2>&1 &
    DNSMASQ_PID=$!   # ip netns exec and taskset exec: dnsmasq itself
}

start_atftpd() {
    local f
    for f in "$LOADER" "$KERNEL" "$INITRD"; do
        echo "$f ${GROUP[$f]} $MTFTP_CLIENT_PORT"
    done >"$WORK/mtftp.conf"
    # atftpd opens the MTFTP files by the names a client asks for, relative to where it runs.
    (cd "$ROOT_DIR" && exec ip netns exec "$NS_SRV" taskset -c "$SRV_CPU" "$ATFTPD" --daemon --no-fork \
        --user root --group root --port 69 --bind-address "$SRV_IP" --maxthread "$MAX_TRANSFERS" \
        --verbose=4 --logfile "$WORK/atftpd.log" --mtftp "$WORK/mtftp.conf" --mtftp-port "$MTFTP_SERVER_PORT" \
        "$ROOT_DIR" </dev/null >"$WORK/atftpd.out" 2>&1) &
    ATFTPD_PID=$!
}

# start_server NAME: starts it; PIDS[NAME] holds what to measure. Returns 1 (with a note) if it
# cannot start.
start_server() {
    local name=$1
    case $name in
        ours-tftp | ours-mtftp)
            write_config "${name#ours-}"
            OURS_NOTE=""
            OURS_NAME=$name
            start_ours "${name#ours-}" || { NOTES+=("$name: n/a - $OURS_NOTE"); return 1; }
            ;;
        dnsmasq)
            write_config unicast
            start_dnsmasq tftp
            ;;
        atftpd)
            write_config mtftp
            start_dnsmasq mtftp
            start_atftpd
            ;;
    esac
}

stop_server() {
    case $1 in
        ours-*) stop_ours ;;
        dnsmasq) stop_process "${DNSMASQ_PID:-}" ;;
        atftpd) stop_process "${ATFTPD_PID:-}"; stop_process "${DNSMASQ_PID:-}" ;;
    esac
}

# Untimed: one node at a time until one boots, for at most SECONDS (ours needs a while to start;
# the node's DHCP retransmissions wait for it, and a node the server does not serve gives up by
# itself); then the processes to measure are known.
warm_up() {
    local name=$1 deadline=$((SECONDS + $2))
    while ((SECONDS < deadline)); do
        run_generator 1 "$MAX_SECONDS"
        if [ "$(figure done)" = 1 ]; then
            case $name in
                ours-*) PIDS[$name]=$(karaf_java "$OURS_PID") || return 1 ;;
                dnsmasq) PIDS[$name]=$DNSMASQ_PID ;;
                atftpd) PIDS[$name]="$DNSMASQ_PID $ATFTPD_PID" ;;
            esac
            return 0
        fi
        case $name in
            ours-*) alive "$OURS_PID" || return 1 ;;
        esac
        sleep 1
    done
    return 1
}

# ---------------------------------------------------------------------------------------------
# The generator.

# run_generator N MAX-SECONDS: one run; its "key value" lines in $WORK/run.out (figure reads them).
run_generator() {
    RUN=$((RUN + 1))
    ((RUN <= 255)) || die "more than 255 generator runs: the MACs would repeat"
    ip netns exec "$NS_CLI" taskset -c "$CLI_CPU" timeout $(($2 + 60)) \
        java -Xms1g -Xmx1g -XX:+UseSerialGC -cp "$(cat "$WORK/classpath")" "$GENERATOR" \
        --nodes "$1" --root "$ROOT_DIR" --pool "$POOL" --interface "$VETH_CLI" --config "$CONFIG" \
        --run "$RUN" --spread "$SPREAD" --max-seconds "$2" >"$WORK/run.out" 2>"$WORK/run.err"
    local rc=$?
    cat "$WORK/run.out" >>"$WORK/runs.log"
    [ "$rc" = 0 ] || { log "generator exited $rc: $(tail -n 3 "$WORK/run.err" | tr '\n' ' ')"; echo "exit $rc" >>"$WORK/run.out"; }
    return 0
}

figure() { awk -v k="$1" '$1 == k { print $2; exit }' "$WORK/run.out"; }

tx_bytes() { ip netns exec "$NS_SRV" cat "/sys/class/net/$VETH_SRV/statistics/tx_bytes"; }

# Cpu seconds (user + system, all threads) of the given processes so far.
cpu_seconds() {
    local pid ticks=0 t
    for pid in "$@"; do
        t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || t=0
        ticks=$((ticks + ${t:-0}))
    done
    calc "%.2f" "$ticks / $(getconf CLK_TCK)"
}

# measure SERVER N: one timed run; its figures into FIG.
measure() {
    local name=$1 n=$2 key tx0 tx1 cpu0 cpu1 re0=- re1=- lost0 lost1
    log "$name: $n nodes"
    # shellcheck disable=SC2086  # one pid a word
    cpu0=$(cpu_seconds ${PIDS[$name]})
    [[ $name == ours-* ]] && re0=$(ours_retransmissions)
    lost0=$(rcvbuf_errors "$NS_CLI")
    tx0=$(tx_bytes)
    run_generator "$n" "$MAX_SECONDS"
    tx1=$(tx_bytes)
    lost1=$(rcvbuf_errors "$NS_CLI")
    # shellcheck disable=SC2086
    cpu1=$(cpu_seconds ${PIDS[$name]})
    [[ $name == ours-* ]] && re1=$(ours_retransmissions)
    for key in done failed unfinished all_done_seconds last_done_seconds run_seconds node_median_seconds \
        node_max_seconds dhcp_max_seconds bytes_one_copy unicast_fetches mtftp_fetches duplicate_data \
        client_retransmissions dhcp_retransmissions group_blocks group_repeats sends_lost client_cpu_seconds; do
        FIG["$name|$n|$key"]=$(figure "$key")
    done
    FIG["$name|$n|egress"]=$((tx1 - tx0))
    FIG["$name|$n|cpu"]=$(calc "%.1f" "$cpu1 - $cpu0")
    FIG["$name|$n|rcvbuf"]=$((lost1 - lost0))
    if [ "$re0" != - ] && [ "$re1" != - ]; then FIG["$name|$n|srv_resends"]=$((re1 - re0)); fi
    local why
    why=$(awk '$1 == "why" { $1 = ""; print substr($0, 2) }' "$WORK/run.out" | head -n 5 | paste -sd ';' -)
    [ -n "$why" ] && NOTES+=("$name, $n nodes, why nodes did not finish (count, an example): $why")
    grep -q '^send_error ' "$WORK/run.out" && NOTES+=("$name, $n nodes: the kernel refused datagrams the nodes sent ($(figure sends_lost)), the first $(grep -m 1 '^send_error ' "$WORK/run.out" | cut -d' ' -f2-)")
    grep -q '^exit ' "$WORK/run.out" && NOTES+=("$name, $n nodes: the generator $(grep '^exit ' "$WORK/run.out"), see KEEP_WORK=1 run.err")
    [ "$((lost1 - lost0))" -gt 0 ] && NOTES+=("$name, $n nodes: $((lost1 - lost0)) datagrams dropped at a full receive buffer in the client namespace (the generator fell behind)")
    log "$name: $n nodes: done ${FIG["$name|$n|done"]:-?}, failed ${FIG["$name|$n|failed"]:-?}, unfinished ${FIG["$name|$n|unfinished"]:-?}, all done at ${FIG["$name|$n|all_done_seconds"]:-?} s, egress $(calc "%.1f" "($tx1 - $tx0) / 1e6") MB"
}

bench_server() {
    local name=$1 n
    start_server "$name" || return
    local limit=15
    [[ $name == ours-* ]] && limit=$OURS_START_TIMEOUT
    log "$name: booting one node, untimed (new attempts for up to ${limit}s after the start)"
    if ! warm_up "$name" "$limit"; then
        NOTES+=("$name: n/a - no single node booted in attempts for ${limit}s after the start; the last: $(awk '$1 == "why" { $1 = ""; $2 = ""; print substr($0, 3); exit }' "$WORK/run.out")")
        stop_server "$name"
        return
    fi
    UP[$name]=1
    for n in $NODES; do
        measure "$name" "$n"
    done
    if [[ $name == ours-* ]]; then
        local problems
        # pax-url's complaint that the namespace has no host name to resolve is not ours.
        problems=$(grep -E '\| (WARN|ERROR) ' "$OURS_HOME/data/log/karaf.log" 2>/dev/null | grep -v 'Failed to get hostname')
        [ -n "$problems" ] && NOTES+=("$name: $(grep -c . <<<"$problems") WARN/ERROR lines in karaf.log (storm-latest-karaf-$name.log), most frequent: $(awk -F'|' '{ print $NF }' <<<"$problems" | sort | uniq -c | sort -rn | head -n 3 | sed 's/^ *//' | paste -sd ';' -)")
    fi
    stop_server "$name"
}

# ---------------------------------------------------------------------------------------------
# The table.

f() { echo "${FIG["$1|$2|$3"]:-}"; }

# The figure, or 0 where the run left none (for arithmetic).
num() { local v=${FIG["$1|$2|$3"]:-}; [[ $v =~ ^[0-9]+([.][0-9]+)?$ ]] && echo "$v" || echo 0; }

row() { printf '%-24s %5s %9s %6s %6s %8s %9s %7s %8s %7s %8s %8s %7s %7s\n' "$@"; }

cell_done() {
    local name=$1 n=$2 v
    if [ "${UP[$name]:-0}" != 1 ]; then echo n/a; return; fi
    v=$(f "$name" "$n" all_done_seconds)
    if [ "$v" = - ]; then
        echo "(${MAX_SECONDS}+)"
    else
        echo "${v:-?}"
    fi
}

print_table() {
    local name n one
    {
        echo "Boot storm $(date -u '+%Y-%m-%d %H:%M UTC'): NODES \"$NODES\", nodes powering on over ${SPREAD} s, runs cut at $MAX_SECONDS s"
        echo "host: $(uname -r), $(nproc --all) cpus ($(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average at the end $(cut -d' ' -f1-3 /proc/loadavg); servers on cpu $SRV_CPU, generator on cpu $CLI_CPU"
        heap_line
        echo "kernel memory monitor (DAMON): $(memory_monitor)"
        echo "boot set: $LOADER 40960, $CONFIG $(stat -c %s "$ROOT_DIR/$CONFIG" 2>/dev/null || echo '?'), $KERNEL 8388608, $INITRD 32000000 bytes; MTFTP open timeout $OPEN_TIMEOUT s, reopen delay $REOPEN_DELAY s"
        echo "servers: ours $(basename "${DIST:-none}"), $(dnsmasq --version 2>&1 | head -n 1 | cut -d' ' -f1-3), $( [ -n "${ATFTPD:-}" ] && "$ATFTPD" -V 2>&1 | head -n 1 || echo 'atftpd n/a')"
        echo
        row "server" "N" "all done" "failed" "unfin." "node p50" "egress" "x copy" "srv cpu" "cpu/run" "dup/xfer" "srv re/x" "mc copy" "gen cpu"
        row "------------------------" "-----" "---------" "------" "------" "--------" "---------" "-------" "--------" "-------" "--------" "--------" "-------" "-------"
        for n in $NODES; do
            for name in $SERVERS; do
                if [ "${UP[$name]:-0}" != 1 ]; then
                    row "${LABEL[$name]}" "$n" "n/a" "" "" "" "" "" "" "" "" "" "" ""
                    continue
                fi
                one=$(f "$name" "$n" bytes_one_copy)
                row "${LABEL[$name]}" "$n" "$(cell_done "$name" "$n")" "$(f "$name" "$n" failed)" \
                    "$(f "$name" "$n" unfinished)" "$(f "$name" "$n" node_median_seconds)" \
                    "$(calc "%.1f MB" "$(num "$name" "$n" egress) / 1e6")" \
                    "$( [ "${one:-0}" -gt 0 ] && calc "%.2f" "$(num "$name" "$n" egress) / $one" || echo -)" \
                    "$(f "$name" "$n" cpu) s" \
                    "$(calc "%.0f %%" "100 * $(num "$name" "$n" cpu) / ($(num "$name" "$n" run_seconds) + 0.001)")" \
                    "$(per "$(f "$name" "$n" duplicate_data)" "$(f "$name" "$n" unicast_fetches)")" \
                    "$(per "$(f "$name" "$n" srv_resends)" "$(f "$name" "$n" unicast_fetches)")" \
                    "$(mc_copies "$name" "$n")" "$(f "$name" "$n" client_cpu_seconds) s"
            done
            ratio_line "$n"
        done
        echo
        echo "all done: seconds from the first node's power-on until every node had every file intact;"
        echo "  (S+): the run was cut at S s with nodes unfinished. failed: nodes whose ROM or loader gave up"
        echo "  (DHCP after a minute, TFTP after about 15 s of silence, an ERROR, a wrong block);"
        echo "  unfin.: still fetching at the cut. node p50: the median node, from its own power-on."
        echo "egress: bytes the server's veth sent during the run (Ethernet frames: DHCP, TFTP and"
        echo "  MTFTP, headers included; a 512-byte MTFTP block is a 558-byte frame, 1.09 times its"
        echo "  data). x copy: egress over one copy of the boot set (loader, configuration, kernel, RAM"
        echo "  disk): about N for unicast, 1 at best for multicast (target for MTFTP: <= 1.2 for any N)."
        echo "srv cpu: user + system time of the server's processes over the run (ours: the java"
        echo "  process; dnsmasq + atftpd: both), from /proc/PID/stat; cpu/run: that over the run's length."
        echo "dup/xfer: DATA the nodes received for a block they already held, per unicast transfer."
        echo "srv re/x: ours' own retransmissions (tftp:stats, each a block or window sent again) per"
        echo "  unicast transfer. mc copy: blocks the MTFTP groups carried over the blocks of their files"
        echo "  (1.00: each block sent once). gen cpu: the generator's own cpu time over the run (all N"
        echo "  nodes, one process); near the run's length it was the bottleneck, not the server."
        local note
        for note in "${NOTES[@]}"; do echo "note: $note"; done
    } | tee "$RESULT_FILE"
}

# per COUNT TRANSFERS: COUNT / TRANSFERS, or "-".
per() {
    if [ -z "$1" ] || [ -z "$2" ] || [ "$2" = 0 ]; then echo -; else calc "%.2f" "$1 / $2"; fi
}

# Multicast blocks carried over the blocks of the MTFTP files (loader, kernel, RAM disk at 512).
mc_copies() {
    local blocks
    blocks=$(f "$1" "$2" group_blocks)
    if [ -z "$blocks" ] || [ "$blocks" = 0 ]; then echo -; return; fi
    calc "%.2f" "$blocks / ((40960 / 512 + 1) + (8388608 / 512 + 1) + (32000000 / 512 + 1))"
}

# The storm over dnsmasq's, for each of ours, when both finished.
ratio_line() {
    local n=$1 ours peer mine
    peer=$(f dnsmasq "$n" all_done_seconds)
    [ "${UP[dnsmasq]:-0}" = 1 ] && [ -n "$peer" ] && [ "$peer" != - ] || return 0
    local line=""
    for ours in ours-tftp ours-mtftp atftpd; do
        [ "${UP[$ours]:-0}" = 1 ] || continue
        mine=$(f "$ours" "$n" all_done_seconds)
        [ -n "$mine" ] && [ "$mine" != - ] || continue
        line+="${line:+; }${LABEL[$ours]} $(calc "%.2f" "$peer / $mine")"
    done
    [ -n "$line" ] && echo "  N=$n, dnsmasq's all-done time over: $line (target for ours' MTFTP at N >= 100: >= 3)"
}

# ---------------------------------------------------------------------------------------------
main() {
    preflight
    begin_run storm
    install_peers
    if [[ " $SERVERS " == *" ours-"* ]] && [ ! -f "${DIST:-}" ]; then
        log "no distribution found: ours will be n/a (build it: mvn -B -o -q -DskipTests package -pl karaf-assembly -am)"
    fi
    jvm_benchmarks_classpath "$WORK/classpath"
    setup_net
    make_files
    local name
    for name in $SERVERS; do
        bench_server "$name"
    done
    print_table
}

main "$@"
