#!/usr/bin/env bash
# DHCPv4 with leases in PostgreSQL: our server (Diskless) against Kea, both on the same PostgreSQL
# server, in one run, on the same namespaces, with the same client (perfdhcp, Kea's load
# generator), pool, lease time and clients. Four cells, by default in this order:
#
#   pg1      one Diskless, leases in PostgreSQL (feature diskless-leases-postgresql)
#   kea      Kea DHCPv4 with its PostgreSQL lease back end (lease-database type postgresql)
#   pg2      two Diskless on the same PostgreSQL, each naming the other in `peers` (RFC 3074 load
#            balancing: each answers the clients whose hash falls in its buckets); perfdhcp sends to
#            the subnet's broadcast address, so both see every message, as behind a relay that
#            forwards to both
#   pg2split the same pair, each server handing out addresses from its own half of the pool (the
#            database is still shared: a server taking over a client finds its lease there): what
#            two servers cost the store when they do not race for the same free addresses
#   journal  one Diskless on its embedded journal (the default store), for reference
#
# Each cell gets a fresh database (or, for the journal, a fresh server) and runs the same ladder of
# perfdhcp rates (full 4-way exchanges), each step STEP_SECONDS long, after an untimed warm-up of
# WARMUP_SECONDS at WARMUP_RATE, the same for every cell (Kea included, which needs none). A JVM's
# compilers keep working long after its start, longer when two JVMs share one cpu with the
# database: a warm-up of one minute left them a large share of a pair's cpu in the ladder's steps,
# three minutes next to none (docs/benchmarks.md); the warm-up keeps them out of the measured
# steps. The
# ladder stops at the first step with more than MAX_DROP_PCT % of exchanges dropped. Every step
# records exchanges completed per second, drops, perfdhcp's average and maximum delays, and the
# cpu seconds (user + system, from /proc/<pid>/stat) of every server process and of all of
# PostgreSQL's processes. Then one step at LATENCY_RATE runs with per-exchange timestamps (-x t,
# too heavy for perfdhcp at the ladder's top) for the p99 delays.
#
# PostgreSQL (Debian's, /usr/lib/postgresql/<version>/bin) runs on a throwaway data directory
# under the run's temporary directory (a disk, so the WAL flushes are real) with fsync and
# synchronous_commit on, as nobody (it refuses root), in its own namespace; trust authentication,
# reachable only inside the namespaces this script makes.
#
# Usage (as root, from anywhere):
#   benchmarks/dhcp-pg-bench.sh            full run, about 30 minutes
#   QUICK=1 benchmarks/dhcp-pg-bench.sh    smoke run: 4 s steps, a shorter ladder
#
# Environment overrides:
#   DISKLESS_DIST    our distribution tarball (default karaf-assembly/target/karaf-assembly-0.1.0-SNAPSHOT.tar.gz)
#   CELLS            which cells, in order ("pg1 kea pg2 pg2split journal")
#   RATES            the ladder, exchanges/s asked of perfdhcp (full "250 500 1000 2000 4000 8000",
#                    quick "500 1000 4000")
#   STEP_SECONDS     length of one step (full 10, quick 4)
#   WARMUP_SECONDS   length of the untimed warm-up before each cell's ladder (full 180, quick 10)
#   WARMUP_RATE      its rate, exchanges/s asked of perfdhcp (1000)
#   MAX_DROP_PCT     a step passes with at most this % of its DISCOVERs left without an ACK (no
#                    answer in time, or a NAK: perfdhcp counts ACKs only) (1)
#   LATENCY_RATE     rate of the timed step that gives the p99 delays (1000)
#   CLIENTS          distinct simulated clients, perfdhcp -R (full 50000, quick 20000)
#   LEASE_TIME       seconds, every server (3600)
#   KEA_THREADS      Kea's thread pool (8; 0 runs Kea single-threaded), KEA_QUEUE its packet queue (64)
#   POOL_SIZE        ours: etc/org.diskless.leases.postgresql.cfg poolSize (the store's default if unset)
#   CLIENT_RCVBUF    perfdhcp's socket receive buffer in bytes (4194304; 0 leaves it as it is)
#   SRV_CPU, CLI_CPU the cpu of the servers and PostgreSQL (0), and perfdhcp's (1)
#   KEEP_WORK=1      keep the temporary directory (logs, PostgreSQL's log, perfdhcp's output)
#   NS_PREFIX        the namespaces' prefix (dlpg)
#
# Network: namespaces dlpg-cli, dlpg-s1, dlpg-s2 and dlpg-db (NS_PREFIX, default dlpg, names them: two
# runs side by side need two prefixes); a bridge in dlpg-cli joins them in
# 198.18.10.0/24 (RFC 2544 benchmark range): perfdhcp 198.18.10.2 (and the relay address
# 198.19.0.1, giaddr of the pool 198.19.0.0/16), servers 198.18.10.1 and .3, PostgreSQL .5. A
# one-server cell runs in dlpg-s1. Everything is removed on exit.
#
# The table goes to stdout and to benchmarks/results/dhcp-pg-latest.txt. Progress goes to stderr.

set -uo pipefail   # no -e: a failed step is a result to report, not a reason to stop

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RESULTS_DIR="$SCRIPT_DIR/results"
RESULT_FILE="$RESULTS_DIR/dhcp-pg-latest.txt"
PARSE=(/usr/bin/python3 "$SCRIPT_DIR/dhcp-bench-perfdhcp.py")

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
    : "${STEP_SECONDS:=4}" "${RATES:=500 1000 4000}" "${CLIENTS:=20000}" "${WARMUP_SECONDS:=10}"
else
    : "${STEP_SECONDS:=10}" "${RATES:=250 500 1000 2000 4000 8000}" "${CLIENTS:=50000}" "${WARMUP_SECONDS:=180}"
fi
: "${WARMUP_RATE:=1000}" "${CELLS:=pg1 kea pg2 pg2split journal}" "${MAX_DROP_PCT:=1}" "${LATENCY_RATE:=1000}" "${LEASE_TIME:=3600}"
: "${KEA_THREADS:=8}" "${KEA_QUEUE:=64}" "${POOL_SIZE:=}" "${CLIENT_RCVBUF:=4194304}"
: "${SRV_CPU:=0}" "${CLI_CPU:=1}" "${KEEP_WORK:=0}" "${OURS_START_TIMEOUT:=180}" "${NS_PREFIX:=dlpg}"
DIST=${DISKLESS_DIST:-$REPO_ROOT/karaf-assembly/target/karaf-assembly-0.1.0-SNAPSHOT.tar.gz}
DROP_TIME=1

NS_CLI=$NS_PREFIX-cli
NS_DB=$NS_PREFIX-db
NS_S=("$NS_PREFIX-s1" "$NS_PREFIX-s2")
SRV_IPS=(198.18.10.1 198.18.10.3)
CLI_IP=198.18.10.2
DB_IP=198.18.10.5
BROADCAST=198.18.10.255
RELAY_IP=198.19.0.1
POOL_NET=198.19.0.0/16
POOL_FIRST=198.19.0.10
POOL_LAST=198.19.255.250
POOL_MIDDLE=198.19.127.255   # pg2split: the first server's half ends here,
POOL_SECOND=198.19.128.0     # and the second's begins here
DB_PORT=5432
DB_SUPERUSER=bench
PG_BIN=""
PG_DATA=""

STEP_ROW='%-8s %6s %7s %7s %6s %7s %7s %7s %7s %8s %8s %7s  %s'
declare -A BEST=()        # cell -> "rate done/s drop% server-cpu-s pg-cpu-s" of its best passing step
declare -A AT_RATE=()     # "cell rate" -> "done/s server-cpu-s" of every passing step
declare -A LATENCY=()     # cell -> "p99do p99ra"
declare -A STOPPED=()     # cell -> why the ladder ended
declare -A PEAK=()        # cell -> most exchanges/s completed in any ladder step, passed or not
NOTES=()
STEPS=()
STARTED=()                # per cell: Karaf homes (ours) or "kea"
SERVER_PIDS=()            # the current cell's server processes (java or kea-dhcp4)
KARAF_PIDS=()             # the current cell's bin/karaf processes
KARAF_HOMES=()
KEA_PID=""
NETNS_MADE=0
WORK=""
OUT_DIR=""
OURS_HOME=""
OURS_NOTE=""
TEMPLATE_HOME=""

BENCH_NAME=dhcp-pg-bench
# shellcheck source=bench-lib.sh
. "$SCRIPT_DIR/bench-lib.sh"
use_benchmark_heap

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_cell
    [ -n "$PG_DATA" ] && stop_postgres
    [ "$NETNS_MADE" = 1 ] && remove_namespaces "$NS_CLI" "${NS_S[@]}" "$NS_DB"
    [ -n "$OUT_DIR" ] && rm -rf "$OUT_DIR"
    end_work
    exit "$rc"
}

preflight() {
    [ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
    [ -x /usr/bin/python3 ] || die "/usr/bin/python3 is needed"
    local ns
    for ns in "$NS_CLI" "$NS_DB" "${NS_S[@]}"; do
        [ -e "/run/netns/$ns" ] && die "namespace $ns already exists (another run? remove it with: ip netns del $ns)"
    done
    for ns in $CELLS; do
        case $ns in pg1 | pg2 | pg2split | kea | journal) ;; *) die "unknown cell '$ns' in CELLS (pg1 pg2 pg2split kea journal)" ;; esac
    done
}

install_packages() {
    local missing=()
    [ -x /usr/sbin/perfdhcp ] || missing+=(kea-admin)
    [ -x /usr/sbin/kea-dhcp4 ] || missing+=(kea-dhcp4-server)
    compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
    command -v psql >/dev/null || missing+=(postgresql-client)
    command -v ssh >/dev/null && command -v ssh-keygen >/dev/null || missing+=(openssh-client)
    command -v gcc >/dev/null || missing+=(gcc libc6-dev)
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
            >"$WORK/apt.log" 2>&1 || { tail -n 20 "$WORK/apt.log" >&2; die "apt-get install failed"; }
    fi
    PG_BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n 1)")
    # Debian builds Kea with its PostgreSQL back end in libkea-pgsql; say so if this one is not.
    if ! ldd /usr/sbin/kea-dhcp4 2>/dev/null | grep -q 'libkea-pgsql'; then
        NOTES+=("kea: this kea-dhcp4 is not linked with libkea-pgsql (no PostgreSQL lease back end)")
    fi
}

# A bridge in the client namespace joins a veth from each other namespace.
setup_net() {
    ip netns add "$NS_CLI" || die "ip netns add $NS_CLI"
    NETNS_MADE=1
    local ns i
    for ns in "${NS_S[@]}" "$NS_DB"; do ip netns add "$ns" || die "ip netns add $ns"; done
    ip -n "$NS_CLI" link add br0 type bridge || die "bridge"
    ip -n "$NS_CLI" addr add "$CLI_IP/24" dev br0
    ip -n "$NS_CLI" addr add "$RELAY_IP/16" dev br0
    ip -n "$NS_CLI" link set lo up
    ip -n "$NS_CLI" link set br0 up
    attach() {   # NS ADDRESS PORT-NAME
        ip link add eth0 netns "$1" type veth peer name "$3" netns "$NS_CLI" || die "veth for $1"
        ip -n "$NS_CLI" link set "$3" master br0 up
        ip -n "$1" addr add "$2/24" dev eth0
        ip -n "$1" link set lo up
        ip -n "$1" link set eth0 up
    }
    for i in 0 1; do
        attach "${NS_S[$i]}" "${SRV_IPS[$i]}" "s$((i + 1))"
        # Answers to the relay (giaddr) go back through the client namespace.
        ip -n "${NS_S[$i]}" route add "$POOL_NET" via "$CLI_IP" || die "route to $POOL_NET"
    done
    attach "$NS_DB" "$DB_IP" db
    OUT_DIR=$(mktemp -d /dev/shm/dlpg.XXXXXX)
    # The preloaded shim: a larger receive buffer for perfdhcp's one socket (all servers alike), and
    # the right to send to the broadcast address (pg2).
    gcc -shared -fPIC -O2 -o "$OUT_DIR/perfdhcp-rcvbuf.so" "$SCRIPT_DIR/perfdhcp-rcvbuf.c" -ldl \
        >"$OUT_DIR/gcc.log" 2>&1 || { cat "$OUT_DIR/gcc.log" >&2; die "cannot build perfdhcp-rcvbuf.so"; }
    PERFDHCP_ENV=(LD_PRELOAD="$OUT_DIR/perfdhcp-rcvbuf.so")
    [ "$CLIENT_RCVBUF" != 0 ] && PERFDHCP_ENV+=(PERFDHCP_RCVBUF="$CLIENT_RCVBUF")
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

pg() { (cd / && runuser -u nobody -- "$PG_BIN/$1" "${@:2}"); }
psql_db() {   # DATABASE SQL-OR-FLAGS...: as the superuser, over TCP inside the database namespace
    local db=$1
    shift
    ip netns exec "$NS_DB" env PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$DB_IP" -p "$DB_PORT" -U "$DB_SUPERUSER" -d "$db" "$@"
}

start_postgres() {
    # nobody's own directory: PostgreSQL writes its data and log there.
    mkdir -p "$WORK/pg" && chown nobody "$WORK/pg" && chmod 711 "$WORK"
    PG_DATA="$WORK/pg/data"
    pg initdb -D "$PG_DATA" -U "$DB_SUPERUSER" -A trust -E UTF8 --locale=C >"$WORK/initdb.log" 2>&1 \
        || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
    # Durability as shipped, said explicitly: every commit waits for its WAL flush.
    cat >>"$PG_DATA/postgresql.conf" <<EOF
listen_addresses = '$DB_IP'
port = $DB_PORT
unix_socket_directories = ''
fsync = on
synchronous_commit = on
max_connections = 100
EOF
    echo "host all all 198.18.10.0/24 trust" >>"$PG_DATA/pg_hba.conf"
    (cd / && ip netns exec "$NS_DB" taskset -c "$SRV_CPU" runuser -u nobody -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 60 \
        -l "$WORK/pg/postgresql.log" start) >"$WORK/pg_ctl.log" 2>&1 \
        || { cat "$WORK/pg_ctl.log" "$WORK/pg/postgresql.log" >&2; die "PostgreSQL did not start"; }
    psql_db postgres -c "CREATE ROLE diskless LOGIN; CREATE ROLE kea LOGIN" || die "could not create roles"
}

stop_postgres() {
    ip netns exec "$NS_DB" runuser -u nobody -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1
    PG_DATA=""
}

# A fresh database for one cell, owned by ROLE.
fresh_database() {
    psql_db postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 OWNER $2" \
        || die "could not create database $1"
}

# Cpu seconds so far of every process in the database namespace (the postmaster and its backends,
# WAL writer, checkpointer...). A backend that ended since the last reading takes its seconds
# with it; the connections of both servers stay open for the whole cell.
postgres_ticks() {
    local pid sum=0 t
    for pid in $(ip netns pids "$NS_DB" 2>/dev/null); do
        t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) && sum=$((sum + t))
    done
    echo "$sum"
}

server_ticks() {
    local pid sum=0 t
    for pid in "${SERVER_PIDS[@]}"; do
        t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) && sum=$((sum + t))
    done
    echo "$sum"
}

# Each server process's own ticks, "a+b" for the table.
server_ticks_each() {
    local pid out=()
    for pid in "${SERVER_PIDS[@]}"; do
        out+=("$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)")
    done
    (IFS=' '; echo "${out[*]}")
}

# ---------------------------------------------------------------------------------------------
# Servers

# start_diskless INDEX STORE [PEER-IP [RANGE]]: a Diskless in dlpg-s<INDEX+1>, STORE pg or journal,
# in a home of its own for the cell, handing out RANGE (the whole pool unless given).
start_diskless() {
    local i=$1 store=$2 peer=${3:-} range=${4:-$POOL_FIRST-$POOL_LAST} home="$WORK/ours-$CELL-$(($1 + 1))"
    cp -a "$TEMPLATE_HOME" "$home" || return 1
    local etc="$home/etc" dhcp="$home/etc/org.diskless.dhcp.cfg"
    set_cfg "$dhcp" unknownClients '"allow"'
    set_cfg "$dhcp" leaseTime "\"$LEASE_TIME\""
    [ -n "$peer" ] && set_cfg "$dhcp" peers "\"$peer\""
    cat >"$etc/org.diskless.dhcp.subnet-bench.cfg" <<EOF
network = "$POOL_NET"
range = "$range"
serverAddress = "${SRV_IPS[$i]}"
leaseTime = "$LEASE_TIME"
EOF
    if [ "$store" = pg ]; then
        # The feature is in system/ but not booted: boot it, and point it at this cell's database.
        sed -i 's/^featuresBoot = \\$/featuresBoot = \\\n    diskless-leases-postgresql, \\/' \
            "$etc/org.apache.karaf.features.cfg"
        grep -q '^    diskless-leases-postgresql, ' "$etc/org.apache.karaf.features.cfg" \
            || { OURS_NOTE="could not add diskless-leases-postgresql to featuresBoot"; return 1; }
        set_cfg "$etc/org.diskless.leases.postgresql.cfg" url "\"jdbc:postgresql://$DB_IP:$DB_PORT/$CELL_DB\""
        set_cfg "$etc/org.diskless.leases.postgresql.cfg" user '"diskless"'
        [ -n "$POOL_SIZE" ] && set_cfg "$etc/org.diskless.leases.postgresql.cfg" poolSize "\"$POOL_SIZE\""
    fi
    allow_console_key_once "$home" || return 1
    EXTRA_JAVA_OPTS="${EXTRA_JAVA_OPTS:-} -Xlog:gc:file=$home/gc.log" \
        ip netns exec "${NS_S[$i]}" "$home/bin/karaf" server </dev/null >"$home/karaf.out" 2>&1 &
    KARAF_PIDS+=($!)
    KARAF_HOMES+=("$home")
}

# allow_console_key makes the key once per run; every home gets the same key.
allow_console_key_once() {
    if [ -f "$WORK/console_key.pub" ]; then
        printf '\nadmin = %s,_g_:admingroup\n' "$(cut -d' ' -f2 "$WORK/console_key.pub")" >>"$1/etc/keys.properties"
    else
        allow_console_key "$1"
    fi
}

start_kea() {
    local mt='"enable-multi-threading": false'
    [ "$KEA_THREADS" -gt 0 ] && mt="\"enable-multi-threading\": true, \"thread-pool-size\": $KEA_THREADS, \"packet-queue-size\": $KEA_QUEUE"
    start_kea_dhcp4 "${NS_S[0]}" eth0 "{ \"type\": \"postgresql\", \"name\": \"$CELL_DB\", \"host\": \"$DB_IP\",
                        \"port\": $DB_PORT, \"user\": \"kea\" }" "$mt"
}

# Whether a server at TARGET completes an exchange yet: 20 clients in one second, as with peers set
# it answers only the clients that hash into its buckets (about half of them).
exchange_ok() {
    ip netns exec "$NS_CLI" timeout 10 perfdhcp -4 -r 20 -p 1 -n 20 -R 1000 -d 1 -W 1000000 -x e \
        -l "$RELAY_IP" "$1" >"$OUT_DIR/ping.out" 2>&1
    local acks
    acks=$("${PARSE[@]}" "$OUT_DIR/ping.out" | awk '{ print $4 }')
    [ "${acks:-0}" -gt 0 ]
}

# wait_answering TARGET SECONDS PID...: until an exchange completes, every PID still alive.
wait_answering() {
    local target=$1 deadline=$((SECONDS + $2)) pid
    shift 2
    while ((SECONDS < deadline)); do
        for pid in "$@"; do alive "$pid" || return 1; done
        exchange_ok "$target" && return 0
        sleep 1
    done
    return 1
}

stop_cell() {
    local i
    for i in "${!KARAF_PIDS[@]}"; do
        stop_karaf "${NS_S[$i]}" "${KARAF_HOMES[$i]}" "${KARAF_PIDS[$i]}" \
            "$RESULTS_DIR/dhcp-pg-latest-karaf-$(basename "${KARAF_HOMES[$i]}").log"
    done
    KARAF_PIDS=(); KARAF_HOMES=()
    stop_process "$KEA_PID"
    KEA_PID=""
    SERVER_PIDS=()
}

# ---------------------------------------------------------------------------------------------
# Steps

# run_step CELL TARGET RATE LABEL [timestamps]: one perfdhcp run of STEP_SECONDS (of SECONDS when
# the caller sets it for the call). Sets STEP_OK, STEP_DONE, STEP_CPU (server cpu seconds),
# STEP_P99 and adds a line to STEPS.
run_step() {
    local cell=$1 target=$2 rate=$3 label=$4 diagnostics=e out="$OUT_DIR/step.out" seconds=${SECONDS_OF_STEP:-$STEP_SECONDS}
    [ "${5:-}" = timestamps ] && diagnostics=te
    local s0 s1 p0 p1 each0 each1 cli0 cli1 rc figures
    local do_sent do_rcvd ra_sent ra_rcvd orphans rejected avg_do max_do avg_ra max_ra p99_do p99_ra
    local hz
    hz=$(getconf CLK_TCK)
    cli0=$(rcvbuf_errors "$NS_CLI")
    each0=$(server_ticks_each); s0=$(server_ticks); p0=$(postgres_ticks)
    local broadcast=0
    [ "$target" = "$BROADCAST" ] && broadcast=1
    ip netns exec "$NS_CLI" env "${PERFDHCP_ENV[@]}" PERFDHCP_BROADCAST=$broadcast taskset -c "$CLI_CPU" \
        timeout $((seconds + DROP_TIME + 20)) \
        perfdhcp -4 -g single -r "$rate" -p "$seconds" -n $((rate * seconds)) -R "$CLIENTS" \
        -d "$DROP_TIME" -W $((DROP_TIME * 1000000)) -x "$diagnostics" \
        -l "$RELAY_IP" "$target" >"$out" 2>&1
    rc=$?
    each1=$(server_ticks_each); s1=$(server_ticks); p1=$(postgres_ticks)
    cli1=$(rcvbuf_errors "$NS_CLI")
    figures=$("${PARSE[@]}" "$out")
    read -r do_sent do_rcvd ra_sent ra_rcvd orphans rejected avg_do max_do avg_ra max_ra p99_do p99_ra <<<"$figures"
    # perfdhcp counts ACKs only as answers to REQUESTs: a NAK (a server with peers that lost the
    # race for an address sends one) completes no exchange and shows as a drop here; the servers'
    # dhcp:stats in the notes count the NAKs.
    local drop_pct=100 verdict=pass
    [ "${do_sent:-0}" -gt 0 ] && drop_pct=$(calc "%.2f" "100 * (${do_sent} - ${ra_rcvd:-0}) / $do_sent")
    STEP_DONE=$(calc "%.0f" "${ra_rcvd:-0} / $seconds")
    STEP_CPU=$(calc "%.2f" "($s1 - $s0) / $hz")
    local pg_cpu each=() a b i
    pg_cpu=$(calc "%.2f" "($p1 - $p0) / $hz")
    read -ra a <<<"$each0"; read -ra b <<<"$each1"
    for i in "${!b[@]}"; do each+=("$(calc "%.2f" "(${b[$i]} - ${a[$i]:-0}) / $hz")"); done
    STEP_OK=1
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
        STEP_OK=0; verdict="perfdhcp exit $rc"
    elif [ "$(calc "%d" "$drop_pct > $MAX_DROP_PCT")" = 1 ]; then
        STEP_OK=0; verdict="drops ($((cli1 - cli0)) lost at perfdhcp's buffer)"
    elif [ "${rejected:-0}" -gt 0 ]; then
        STEP_OK=0; verdict="rejected leases (${rejected})"
    elif [ "$(calc "%d" "${do_sent:-0} < 0.95 * $rate * $seconds")" = 1 ]; then
        STEP_OK=0; verdict="client limit (perfdhcp sent $(calc "%.0f" "${do_sent:-0} / $seconds")/s)"
    fi
    STEP_PG_CPU=$pg_cpu
    STEP_P99="$p99_do $p99_ra"
    [ -n "$label" ] && verdict="$label (${verdict%% (*})"
    STEPS+=("$(printf "$STEP_ROW" "$cell" "$rate" "$STEP_DONE" "$drop_pct" "$avg_do" "$max_do" "$avg_ra" "$max_ra" \
        "$p99_do/$p99_ra" "$(IFS=+; echo "${each[*]}")" "$pg_cpu" \
        "$( [ "$STEP_DONE" -gt 0 ] && calc "%.0f" "$STEP_DONE * $seconds / ($STEP_CPU > 0 ? $STEP_CPU : 1)" || echo -)" \
        "$verdict")")
    log "$(printf '%-8s %6s/s: %6s/s done, %6s %% dropped, server cpu %ss, postgres cpu %ss: %s' \
        "$cell" "$rate" "$STEP_DONE" "$drop_pct" "$STEP_CPU" "$pg_cpu" "$verdict")"
    [ "$KEEP_WORK" = 1 ] && cp "$out" "$WORK/perfdhcp-$cell-$rate${label:+-$label}.out"
    sleep 2   # let the servers drain their queues and finish their commits
}

# ladder CELL TARGET: warm-up, then the rates in order until one fails; then the timed step.
ladder() {
    local cell=$1 target=$2 rate
    SECONDS_OF_STEP=$WARMUP_SECONDS run_step "$cell" "$target" "$WARMUP_RATE" warm-up
    for rate in $RATES; do
        run_step "$cell" "$target" "$rate" ""
        [ "$STEP_DONE" -gt "${PEAK[$cell]:-0}" ] && PEAK[$cell]=$STEP_DONE
        if [ "$STEP_OK" != 1 ]; then
            STOPPED[$cell]="$rate/s failed"
            break
        fi
        AT_RATE["$cell $rate"]="$STEP_DONE $STEP_CPU"
        BEST[$cell]="$rate $STEP_DONE $STEP_CPU $STEP_PG_CPU"
    done
    [ -n "${STOPPED[$cell]:-}" ] || STOPPED[$cell]="top of the ladder passed"
    run_step "$cell" "$target" "$LATENCY_RATE" latency timestamps
    LATENCY[$cell]=$STEP_P99
}

# bench_cell CELL: start its servers on a fresh database, wait until they answer, run the ladder, stop.
bench_cell() {
    local cell=$1 target=${SRV_IPS[0]} i
    CELL=$cell
    CELL_DB="bench_$cell"
    log "cell $cell"
    NOTES+=("$cell: load average at its start $(cut -d' ' -f1-3 /proc/loadavg)")
    case $cell in
        pg1 | pg2 | pg2split | kea)
            fresh_database "$CELL_DB" "$( [ "$cell" = kea ] && echo kea || echo diskless)" ;;
    esac
    case $cell in
        kea)
            psql_db "$CELL_DB" -U kea -f /usr/share/kea/scripts/pgsql/dhcpdb_create.pgsql >"$WORK/kea-schema.log" 2>&1 \
                || { NOTES+=("kea: n/a - its schema could not be created (dhcpdb_create.pgsql)"); return; }
            start_kea
            if ! wait_answering "$target" 30 "$KEA_PID"; then
                NOTES+=("kea: n/a - no exchange completed within 30 s; rerun with KEEP_WORK=1 for its log")
                stop_cell; return
            fi
            SERVER_PIDS=("$KEA_PID")
            ;;
        pg1 | journal | pg2 | pg2split)
            local store=pg
            [ "$cell" = journal ] && store=journal
            case $cell in
                pg2) start_diskless 0 pg "${SRV_IPS[1]}" && start_diskless 1 pg "${SRV_IPS[0]}" ;;
                pg2split) start_diskless 0 pg "${SRV_IPS[1]}" "$POOL_FIRST-$POOL_MIDDLE" \
                              && start_diskless 1 pg "${SRV_IPS[0]}" "$POOL_SECOND-$POOL_LAST" ;;
                *) start_diskless 0 "$store" ;;
            esac || { NOTES+=("$cell: n/a - ${OURS_NOTE:-could not prepare our server}"); stop_cell; return; }
            log "waiting up to ${OURS_START_TIMEOUT}s for our server(s)"
            # Each server must answer on its own before the pair is measured.
            for i in "${!KARAF_PIDS[@]}"; do
                if ! wait_answering "${SRV_IPS[$i]}" "$OURS_START_TIMEOUT" "${KARAF_PIDS[$i]}"; then
                    NOTES+=("$cell: n/a - server ${SRV_IPS[$i]} completed no exchange within ${OURS_START_TIMEOUT}s (see dhcp-pg-latest-karaf-*.log)")
                    stop_cell; return
                fi
                local java
                java=$(karaf_java "${KARAF_PIDS[$i]}") || { NOTES+=("$cell: n/a - no java process"); stop_cell; return; }
                taskset -a -c -p "$SRV_CPU" "$java" >/dev/null
                SERVER_PIDS+=("$java")
            done
            ;;
    esac
    case $cell in pg2 | pg2split) target=$BROADCAST ;; esac
    ladder "$cell" "$target"
    cell_notes "$cell"
    stop_cell
}

# What the servers said about the run, in their own words.
cell_notes() {
    local cell=$1 i home stats problems
    case $cell in
        kea)
            NOTES+=("kea: $(psql_db "$CELL_DB" -At -c 'SELECT count(*) FROM lease4') leases in its table after the run")
            local messages
            messages=$(kea_log_summary "$WORK/kea/kea.log")
            [ -n "$messages" ] && NOTES+=("kea log (WARN and above): $messages")
            ;;
        *)
            for i in "${!KARAF_HOMES[@]}"; do
                stats=$(dhcp_stats_line "${NS_S[$i]}")
                NOTES+=("$cell server ${SRV_IPS[$i]} dhcp:stats: ${stats:-(the console gave nothing)}")
                problems=$(grep -cE '\| (WARN|ERROR) ' "${KARAF_HOMES[$i]}/data/log/karaf.log" 2>/dev/null)
                [ "${problems:-0}" -gt 0 ] && NOTES+=("$cell server ${SRV_IPS[$i]}: $problems WARN/ERROR lines in karaf.log")
            done
            [ "$cell" != journal ] && NOTES+=("$cell: $(psql_db "$CELL_DB" -At -c 'SELECT count(*) FROM lease') leases in its table after the run")
            ;;
    esac
}

# ---------------------------------------------------------------------------------------------
# Table

best() {   # CELL FIELD: 1 rate, 2 done/s, 3 server cpu s, 4 postgres cpu s of the best passing step
    local v=${BEST[$1]:-}
    [ -n "$v" ] || { echo "n/a"; return; }
    awk -v n="$2" '{ print $n }' <<<"$v"
}

# Exchanges per server cpu-second at the highest rate both cells passed.
per_cpu_ratio() {
    local a=$1 b=$2 rate common="" da ca db cb
    for rate in $RATES; do
        [ -n "${AT_RATE["$a $rate"]:-}" ] && [ -n "${AT_RATE["$b $rate"]:-}" ] && common=$rate
    done
    [ -n "$common" ] || { echo "n/a (no rate both passed)"; return; }
    read -r da ca <<<"${AT_RATE["$a $common"]}"
    read -r db cb <<<"${AT_RATE["$b $common"]}"
    echo "$(calc "%.2f" "($da / $ca) / ($db / $cb)") at ${common}/s ($a $(calc "%.0f" "$da * $STEP_SECONDS / $ca"), $b $(calc "%.0f" "$db * $STEP_SECONDS / $cb") exchanges per server cpu-second)"
}

done_ratio() {
    local a b
    a=$(best "$1" 2); b=$(best "$2" 2)
    if [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]] && [ "$b" -gt 0 ]; then calc "%.2f" "$a / $b"; else echo "n/a"; fi
}

peak_ratio() {
    local a=${PEAK[$1]:-} b=${PEAK[$2]:-}
    if [ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt 0 ]; then calc "%.2f" "$a / $b"; else echo "n/a"; fi
}

print_table() {
    local cell note
    {
        echo "DHCPv4 on PostgreSQL $(date -u '+%Y-%m-%d %H:%M UTC'), $( [ "$QUICK" = 1 ] && echo QUICK || echo full) run"
        echo "host: $(uname -r), $(nproc --all) cpus ($(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average at the start $LOAD_START, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
        heap_line
        echo "kernel memory monitor (DAMON): $(memory_monitor)"
        echo "database: PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $NF }') on $(df --output=source "$WORK" | tail -n 1) (fsync on, synchronous_commit on), cpu $SRV_CPU, a fresh database per cell"
        echo "client: perfdhcp $(perfdhcp -v 2>&1 | grep -o '[0-9][0-9.]*' | head -n 1) as relay $RELAY_IP, $CLIENTS clients, cpu $CLI_CPU; servers on cpu $SRV_CPU; steps of $STEP_SECONDS s after a warm-up of $WARMUP_SECONDS s at ${WARMUP_RATE}/s (every cell); pass: <= $MAX_DROP_PCT % of exchanges dropped"
        echo "servers: ours $(basename "$DIST") (poolSize ${POOL_SIZE:-default}), $(kea-dhcp4 -v 2>&1 | head -n 1 | sed 's/^/Kea /') ($( [ "$KEA_THREADS" -gt 0 ] && echo "multi-threaded, $KEA_THREADS threads, queue $KEA_QUEUE" || echo single-threaded))"
        echo
        printf '%-8s %8s %8s %11s %11s %8s %15s  %s\n' cell "rate/s" "done/s" "server cpu" "pg cpu" "peak/s" "p99 DO/RA ms" "ladder"
        for cell in $CELLS; do
            printf '%-8s %8s %8s %11s %11s %8s %15s  %s\n' "$cell" "$(best "$cell" 1)" "$(best "$cell" 2)" \
                "$(best "$cell" 3)" "$(best "$cell" 4)" "${PEAK[$cell]:-n/a}" "${LATENCY[$cell]:-n/a}" "${STOPPED[$cell]:-not run}"
        done
        echo
        echo "pg1/kea      $(done_ratio pg1 kea)   (exchanges/s at <= $MAX_DROP_PCT % drops, target >= 1.5; at the peak: $(peak_ratio pg1 kea))"
        echo "pg2/pg1      $(done_ratio pg2 pg1)   (exchanges/s of the pair / of one, at the peak $(peak_ratio pg2 pg1); servers and database share cpu $SRV_CPU, which bounds the pair)"
        echo "pg2 per cpu  $(per_cpu_ratio pg2 pg1)   (target >= 0.9)"
        echo "pg2split/pg1 $(done_ratio pg2split pg1)   (at the peak $(peak_ratio pg2split pg1))"
        echo "pg2split per cpu $(per_cpu_ratio pg2split pg1)"
        echo "pg1/journal  $(done_ratio pg1 journal)"
        echo
        echo "rate/s: highest ladder rate passed; done/s: 4-way exchanges completed per second in that step;"
        echo "  peak/s: most completed per second in any ladder step, the failed one included (what the server"
        echo "  does when offered more than it can take);"
        echo "  server cpu, pg cpu: cpu seconds (user + system) in that $STEP_SECONDS s step of the server processes"
        echo "  (both, for pg2 and pg2split) and of all PostgreSQL processes; p99 DO/RA: DISCOVER->OFFER and REQUEST->ACK"
        echo "  from per-exchange timestamps in one step at ${LATENCY_RATE}/s."
        for note in "${NOTES[@]}"; do echo "note: $note"; done
        echo
        echo "Steps (cpu s: each server process, then PostgreSQL; x/cpu-s: exchanges per server cpu-second):"
        printf "$STEP_ROW\n" cell rate done/s drop% "avg DO" "max DO" "avg RA" "max RA" "p99 DO/RA" "srv cpu" "pg cpu" "x/cpu-s" verdict
        for note in "${STEPS[@]}"; do echo "$note"; done
    } | tee "$RESULT_FILE"
}

# ---------------------------------------------------------------------------------------------
main() {
    preflight
    LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
    begin_run dlpg
    install_packages
    unpack_ours || die "$OURS_NOTE"
    TEMPLATE_HOME=$OURS_HOME
    OURS_HOME=""
    setup_net
    start_postgres
    local cell
    for cell in $CELLS; do
        bench_cell "$cell"
    done
    print_table
}

main "$@"
