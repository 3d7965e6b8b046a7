# Shared by the benchmark scripts (sourced, not run): logging, small helpers, and the teardown of
# the network namespaces a script made. Set BENCH_NAME before sourcing; it prefixes log lines.

log() { echo "[$BENCH_NAME] $*" >&2; }
die() { log "error: $*"; exit 1; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
# The expression is parenthesised: a bare "a > b" inside printf would be an awk redirection.
calc() { awk "BEGIN { printf \"$1\", ($2) }"; }

# stop_process PID: TERM to a process the script started, KILL if it is still there after 5 s;
# waited for.
stop_process() {
    local pid=$1
    alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

# end_processes NS...: ends every process inside the namespaces (TERM, then KILL, each waited for
# at most 5 s) and leaves the namespaces and their interfaces in place. Only for namespaces the
# script itself made: everything running in them was started by the script, so
# "ip netns pids" is exactly the set it may kill.
end_processes() {
    local signal ns pids=()
    for signal in TERM KILL; do
        mapfile -t pids < <(for ns in "$@"; do ip netns pids "$ns" 2>/dev/null; done)
        [ "${#pids[@]}" -gt 0 ] || break
        kill -"$signal" "${pids[@]}" 2>/dev/null
        for _ in $(seq 1 50); do
            [ -z "$(for ns in "$@"; do ip netns pids "$ns" 2>/dev/null; done)" ] && break
            sleep 0.1
        done
    done
}

# remove_namespaces NS...: end_processes, then deletes the namespaces, which also destroys the
# veth pairs inside.
remove_namespaces() {
    local ns
    end_processes "$@"
    for ns in "$@"; do
        ip netns del "$ns" 2>/dev/null
    done
}

# namespaces_free NS...: dies when one of the namespaces exists already: another run's, most
# likely, and not the script's to delete.
namespaces_free() {
    local ns
    for ns in "$@"; do
        [ -e "/run/netns/$ns" ] && die "namespace $ns already exists (another run? remove it with: ip netns del $ns)"
    done
    return 0
}

# veth_namespaces NS-A NS-B VETH-A VETH-B: makes namespaces NS-A and NS-B joined by a veth pair
# created inside them (nothing ever sits in the host namespace), with the pair and loopback up;
# sets NETNS_MADE=1 as soon as NS-A exists, for the script's cleanup (remove_namespaces).
# Addresses and routes are the caller's.
veth_namespaces() {
    local a=$1 b=$2 veth_a=$3 veth_b=$4 ns
    ip netns add "$a" || die "ip netns add $a"
    NETNS_MADE=1
    ip netns add "$b" || die "ip netns add $b"
    ip link add "$veth_a" netns "$a" type veth peer name "$veth_b" netns "$b" || die "veth"
    for ns in "$a" "$b"; do ip -n "$ns" link set lo up; done
    ip -n "$a" link set "$veth_a" up
    ip -n "$b" link set "$veth_b" up
}

# Process trees (pids, memory) from /proc, for the helpers below and the scripts.
PROC=(/usr/bin/python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tftp-bench-proc.py")

# karaf_java PID: the java process below bin/karaf PID (the karaf script loops around java, it
# does not exec it); fails when there is none.
karaf_java() {
    local p
    for p in $("${PROC[@]}" pids "$1"); do
        [ "$(cat "/proc/$p/comm" 2>/dev/null)" = java ] && { echo "$p"; return 0; }
    done
    return 1
}

# stop_karaf NS HOME PID LOG-COPY: stops the Karaf that bin/karaf PID runs from HOME inside
# namespace NS: gracefully through its shutdown port (localhost inside NS), then, if it is still
# there, TERM and KILL to bin/karaf and its java child (started by the script, in its namespace);
# every step bounded. Karaf's log is copied to LOG-COPY: the first thing to read when ours misbehaves.
stop_karaf() {
    local ns=$1 home=$2 pid=$3 copy=$4
    if alive "$pid"; then
        log "stopping our server"
        if ip netns exec "$ns" timeout 30 "$home/bin/stop" >/dev/null 2>&1; then
            for _ in $(seq 1 60); do alive "$pid" || break; sleep 0.5; done
        fi
    fi
    if alive "$pid"; then
        local pids=()
        mapfile -t pids < <("${PROC[@]}" pids "$pid")
        kill -TERM "${pids[@]}" 2>/dev/null
        for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
        kill -KILL "${pids[@]}" 2>/dev/null
    fi
    [ -f "$home/data/log/karaf.log" ] && cp "$home/data/log/karaf.log" "$copy"
}

# rcvbuf_errors NS: namespace-wide "Udp:RcvbufErrors", datagrams dropped because a socket's
# receive buffer was full.
rcvbuf_errors() {
    ip netns exec "$1" awk '
        $1 == "Udp:" { if (hdr++) { for (i = 2; i <= NF; i++) v[key[i]] = $i } else { for (i = 2; i <= NF; i++) key[i] = $i } }
        END { print v["RcvbufErrors"] + 0 }
    ' /proc/net/snmp
}

# begin_run PREFIX: what every script does once its preflight checks pass: the script's cleanup
# runs on exit, ^C and kill alike, and WORK is a fresh directory /tmp/PREFIX.XXXXXX.
begin_run() {
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    WORK=$(mktemp -d "/tmp/$1.XXXXXX")
    mkdir -p "$RESULTS_DIR"
}

# Downloads a package's .deb and unpacks it under $WORK; prints where. What it depends on (the
# shared libraries: libwrap0 for both servers, not on a fresh machine) is installed with apt; of
# each "a | b" alternative the first.
unpack_deb() {
    local pkg=$1 dir="$WORK/$1-deb" deps
    mkdir -p "$dir"
    (cd "$dir" && apt-get download "$pkg" && dpkg-deb -x "$pkg"_*.deb x) >"$dir.log" 2>&1 \
        || { tail -n 20 "$dir.log" >&2; die "could not fetch $pkg"; }
    deps=$(dpkg-deb -f "$dir/$pkg"_*.deb Depends | tr ',' '\n' | sed -e 's/|.*//' -e 's/(.*)//' -e 's/ //g' | grep .)
    # shellcheck disable=SC2086  # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $deps >>"$dir.log" 2>&1 \
        || { tail -n 20 "$dir.log" >&2; die "could not install what $pkg needs: $(echo $deps)"; }
    echo "$dir/x"
}

# end_work: what every script's cleanup does last with WORK: removes it, or with KEEP_WORK=1 keeps
# it and says where.
end_work() {
    [ -n "$WORK" ] || return 0
    if [ "${KEEP_WORK:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}

# allow_console_key HOME: lets the key $WORK/console_key (made here) into the SSH console of the
# Karaf unpacked at HOME, as admin. RSA: Karaf's sshd has no ed25519, and its check of an ECDSA key
# refuses about one in 256 (README, "The console"). Fails if ssh-keygen does.
allow_console_key() {
    ssh-keygen -q -t rsa -b 3072 -N "" -C "$BENCH_NAME" -f "$WORK/console_key" >/dev/null || return 1
    printf '\nadmin = %s,_g_:admingroup\n' "$(cut -d' ' -f2 "$WORK/console_key.pub")" >>"$1/etc/keys.properties"
}

# karaf_console NS COMMAND...: a console command of the Karaf in namespace NS (its SSH port 8101
# on localhost there, with the key allow_console_key let in), bounded, colours removed, and the
# tables' column bars too, so that awk reads a row's cells as fields ($1, $2, ...).
karaf_console() {
    local ns=$1
    shift
    ip netns exec "$ns" timeout 30 ssh -q -n -i "$WORK/console_key" -p 8101 \
        -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes \
        -o ConnectTimeout=10 -o LogLevel=ERROR -o IdentitiesOnly=yes admin@127.0.0.1 "$@" 2>/dev/null \
        | sed -e 's/\x1b\[[0-9;]*m//g' -e 's/ [|│] / /g' -e 's/ [|│]$//'
}

# Set KEY = VALUE in a Karaf .cfg file, keeping any other lines it already has.
set_cfg() {
    local file=$1 key=$2 value=$3
    if [ -f "$file" ]; then
        grep -v -E "^[[:space:]]*${key}[[:space:]]*[=:]" "$file" >"$file.tmp"
        mv "$file.tmp" "$file"
    fi
    echo "$key = $value" >>"$file"
}

# use_benchmark_heap: our server runs with the fixed heap bin/setenv reserves and touches at start
# when DISKLESS_HEAP names its size, 1g unless the caller set DISKLESS_HEAP (empty: the shipped
# default, a heap that follows the load and gives memory back, which moves cpu and memory figures
# from run to run). heap_line: the result header's line saying which ran.
use_benchmark_heap() {
    DISKLESS_HEAP=${DISKLESS_HEAP-1g}
    export DISKLESS_HEAP
}
heap_line() {
    if [ -n "${DISKLESS_HEAP:-}" ]; then
        echo "our heap: DISKLESS_HEAP=$DISKLESS_HEAP (reserved and touched at start, bin/setenv)"
    else
        echo "our heap: the default (DISKLESS_HEAP unset: grows with the load, given back after it)"
    fi
}

# unpack_ours: unpacks our distribution ($DIST) into $WORK/ours and sets OURS_HOME to its Karaf
# base; on failure sets OURS_NOTE to why and returns 1.
unpack_ours() {
    if [ ! -f "$DIST" ]; then
        OURS_NOTE="our distribution not found: $DIST"
        return 1
    fi
    log "unpacking $DIST"
    mkdir -p "$WORK/ours"
    tar -xzf "$DIST" -C "$WORK/ours" || { OURS_NOTE="could not unpack $DIST"; return 1; }
    local karaf
    karaf=$(find "$WORK/ours" -maxdepth 3 -path '*/bin/karaf' -type f | head -n 1)
    [ -n "$karaf" ] || { OURS_NOTE="no bin/karaf in $DIST"; return 1; }
    OURS_HOME=$(dirname "$(dirname "$karaf")")
}

# memory_monitor: one line on the kernel's DAMON (data access monitoring) contexts that are
# running, for the result header. A DAMON pass clears the accessed bits of pages all over memory.
# Measured on a PVM guest with one (paddr, every 500 ms): our DHCP server answered nothing for
# 20-120 ms after each pass, its cpu's timer samples missing meanwhile, while Kea on the same cpu
# showed no such gap; with DAMON paused, ours had none either. Our guess at why: with shadow page
# tables, the pass costs a process in proportion to the 4 KiB pages it uses, and a JVM uses many
# more than a small C server (ours allocates through a 512 MiB heap mapped three times).
memory_monitor() {
    local dir=/sys/kernel/mm/damon/admin/kdamonds line="" k ctx actions
    for k in "$dir"/[0-9]*; do
        [ "$(cat "$k/state" 2>/dev/null)" = on ] || continue
        for ctx in "$k"/contexts/[0-9]*; do
            [ -d "$ctx" ] || continue
            actions=$(cat "$ctx"/schemes/[0-9]*/action 2>/dev/null | sort -u | paste -sd, -)
            line+="${line:+; }kdamond ${k##*/}: $(cat "$ctx/operations" 2>/dev/null) monitoring, a sampling pass every"
            line+=" $(( $(cat "$ctx/monitoring_attrs/intervals/sample_us" 2>/dev/null || echo 0) / 1000 )) ms"
            line+="${actions:+, schemes: $actions}"
        done
    done
    for k in damon_reclaim damon_lru_sort damon_stat; do
        [ "$(cat "/sys/module/$k/parameters/enabled" 2>/dev/null)" = Y ] && line+="${line:+; }module $k enabled"
    done
    echo "${line:-none running}"
}

# jvm_benchmarks_classpath FILE: builds benchmarks/java and the bundles it drives (no tests, nothing
# installed into the local repository) and writes its run-time class path to FILE. Offline first;
# online only when a dependency is missing.
jvm_benchmarks_classpath() {
    local file=$1 repo
    repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    local build=(mvn -q -B -f "$repo/pom.xml" -pl benchmarks/java -am -DskipTests
                 package dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench-classpath.txt)
    log "building benchmarks/java and the bundles it drives (tests not run)"
    "${build[@]}" -o >&2 || "${build[@]}" >&2 || die "could not build benchmarks/java"
    { cat "$repo/benchmarks/java/target/bench-classpath.txt"; echo ":$repo/benchmarks/java/target/classes"; } \
        | tr -d '\n' >"$file"
}

# dhcp_stats_line NS: the non-zero counters of dhcp:stats of our server in namespace NS on one line
# ("received DISCOVER 123, ..., dropped peer-bucket 4"), why it dropped or refused anything in its
# own words. Needs allow_console_key.
dhcp_stats_line() {
    karaf_console "$1" dhcp:stats | awk '
        ($1 == "received" || $1 == "sent" || $1 == "dropped") && $3 + 0 > 0 {
            line = line (line == "" ? "" : ", ") $1 " " $2 " " $3
        }
        END { print line }'
}

# start_kea_dhcp4 NS INTERFACE LEASE-DATABASE [MULTI-THREADING]: Kea DHCPv4 in namespace NS on cpu
# SRV_CPU, answering on INTERFACE from POOL_FIRST-POOL_LAST of POOL_NET (subnet id 1) with
# authoritative leases of LEASE_TIME seconds, kept in LEASE-DATABASE (the JSON object of its
# "lease-database"); MULTI-THREADING is the inside of its "multi-threading" object (none given:
# Kea's default). Logging at WARN to $WORK/kea/kea.log: INFO writes a line per lease. Sets KEA_PID,
# kea-dhcp4 itself (ip netns exec and taskset exec).
start_kea_dhcp4() {
    local ns=$1 interface=$2 leases=$3 threads=""
    [ -n "${4:-}" ] && threads=$'\n'"    \"multi-threading\": { $4 },"
    mkdir -p "$WORK/kea"
    cat >"$WORK/kea/kea-dhcp4.json" <<EOF
{ "Dhcp4": {
    "interfaces-config": { "interfaces": [ "$interface" ], "dhcp-socket-type": "udp" },
    "lease-database": $leases,$threads
    "valid-lifetime": $LEASE_TIME,
    "authoritative": true,
    "subnet4": [ { "id": 1, "subnet": "$POOL_NET",
                   "pools": [ { "pool": "$POOL_FIRST - $POOL_LAST" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "severity": "WARN",
                   "output_options": [ { "output": "$WORK/kea/kea.log" } ] } ]
} }
EOF
    KEA_PIDFILE_DIR="$WORK/kea" KEA_LOCKFILE_DIR="$WORK/kea" \
        ip netns exec "$ns" taskset -c "$SRV_CPU" kea-dhcp4 -c "$WORK/kea/kea-dhcp4.json" \
        </dev/null >"$WORK/kea/kea.out" 2>&1 &
    KEA_PID=$!
}

# kea_log_summary FILE: which messages a Kea log ("date time SEVERITY [logger] MESSAGE_ID text")
# holds and how often, on one line.
kea_log_summary() {
    awk '{ n[$3 " " $5]++ } END { for (m in n) printf "%s%dx %s", (s++ ? ", " : ""), n[m], m }' "$1" 2>/dev/null
}
