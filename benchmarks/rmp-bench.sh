#!/usr/bin/env bash
# RMP (rbootd) benchmark: the time to serve one 8 MiB boot file through lock-step read requests,
# our server (Diskless) against Debian's rbootd, side by side in one run, on the same pair of
# network namespaces, with the same raw-socket client (itests/src/test/resources/rmp_client.py,
# fetch mode: one 1482-byte read request after another, as a boot ROM reads).
#
# Usage (as root, from anywhere):
#   benchmarks/rmp-bench.sh
#
# Environment overrides:
#   DISKLESS_ASSEMBLY   our unpacked distribution (default karaf-assembly/target/assembly)
#   FILE_MIB            boot file size in MiB (8)
#   RUNS                fetches per server, the fastest counts (3)
#   START_TIMEOUT       seconds our server may take until it serves RMP (120)
#   KEEP_WORK=1         keep the temporary directory (logs, configuration) for inspection
#
# Everything runs inside two namespaces this script creates (dlrmp-srv, dlrmp-cli) joined by a
# veth pair (no IP needed: RMP is raw IEEE 802.3); they and every process in them are removed on
# exit. rbootd reads its boot files from /var/lib/rbootd: it gets a private mount namespace in
# which a temporary directory is bound over that path (and over /run, for its pid file), so the
# host's own directories are never touched. Servers run on cpu 0, the client on cpu 1.
#
# The table goes to stdout and to benchmarks/results/rmp-latest.txt. Progress goes to stderr.

set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RESULT_FILE="$SCRIPT_DIR/results/rmp-latest.txt"
CLIENT_SCRIPT="$REPO_ROOT/itests/src/test/resources/rmp_client.py"
ASSEMBLY=${DISKLESS_ASSEMBLY:-$REPO_ROOT/karaf-assembly/target/assembly}
: "${FILE_MIB:=8}" "${RUNS:=3}" "${START_TIMEOUT:=120}" "${KEEP_WORK:=0}"

NS_SRV=dlrmp-srv
NS_CLI=dlrmp-cli
VETH_SRV=dlrmp-s0
VETH_CLI=dlrmp-c0
SRV_MAC=02:00:00:00:53:01
CLI_MAC=08:00:09:00:53:02
SSH_PORT=18943
TFTP_PORT=16943
FILE=SYSBENCH

WORK=""
OURS_PID=""
NETNS_MADE=0

BENCH_NAME=rmp-bench
# shellcheck source=bench-lib.sh
. "$SCRIPT_DIR/bench-lib.sh"
use_benchmark_heap

cleanup() {
    if [ -n "$OURS_PID" ] && kill -0 "$OURS_PID" 2>/dev/null; then
        ip netns exec "$NS_SRV" "$WORK/ours/bin/stop" >/dev/null 2>&1
        for _ in $(seq 1 30); do kill -0 "$OURS_PID" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$OURS_PID" 2>/dev/null
    fi
    if [ "$NETNS_MADE" = 1 ]; then
        remove_namespaces "$NS_SRV" "$NS_CLI"
    fi
    if [ -n "$WORK" ] && [ "$KEEP_WORK" != 1 ]; then
        rm -rf "$WORK"
    elif [ -n "$WORK" ]; then
        log "kept $WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || die "run as root: the benchmark creates network namespaces and raw sockets"
for tool in ip taskset unshare /usr/sbin/rbootd /usr/bin/python3; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y --no-install-recommends rbootd iproute2 util-linux python3)"
done
[ -x "$ASSEMBLY/bin/karaf" ] || die "no distribution at $ASSEMBLY (mvn -B -DskipTests install first)"
for ns in "$NS_SRV" "$NS_CLI"; do
    ip netns list | grep -qw "$ns" && die "namespace $ns exists already (a previous run still going?)"
done

WORK=$(mktemp -d /tmp/rmp-bench.XXXXXX)
log "work directory $WORK"

# ------------------------------------------------------------------------------------ network
ip netns add "$NS_SRV" && ip netns add "$NS_CLI" && NETNS_MADE=1 || die "cannot create namespaces"
ip link add "$VETH_SRV" netns "$NS_SRV" type veth peer name "$VETH_CLI" netns "$NS_CLI" || die "cannot create veth"
ip -n "$NS_SRV" link set "$VETH_SRV" address "$SRV_MAC" up
ip -n "$NS_CLI" link set "$VETH_CLI" address "$CLI_MAC" up
ip -n "$NS_SRV" link set lo up
ip -n "$NS_CLI" link set lo up

# ------------------------------------------------------------------------------------ boot file
mkdir -p "$WORK/boot" "$WORK/run"
head -c $((FILE_MIB * 1024 * 1024)) /dev/urandom > "$WORK/boot/$FILE"
SHA=$(sha256sum "$WORK/boot/$FILE" | cut -d' ' -f1)
printf '# the benchmark client\n%s %s\n' "$CLI_MAC" "$FILE" > "$WORK/rbootd.conf"

fetch() { # $1 = server label; prints the fastest seconds, checks every run's sha256
    local out
    out=$(ip netns exec "$NS_CLI" taskset -c 1 /usr/bin/python3 "$CLIENT_SCRIPT" fetch --iface "$VETH_CLI" \
        --server-mac "$SRV_MAC" --file "$FILE" --runs "$RUNS" 2>&1) || { log "$1: client failed: $out"; return 1; }
    echo "$out" > "$WORK/$1-client.json"
    /usr/bin/python3 - "$SHA" "$out" <<'PY'
import json, sys
expected, result = sys.argv[1], json.loads(sys.argv[2])
for run in result["runs"]:
    if run["sha256"] != expected:
        sys.exit("wrong content: %s" % run)
print(min(run["seconds"] for run in result["runs"]), result["runs"][0]["replies"], result["retries"])
PY
}

# ------------------------------------------------------------------------------------ ours
log "starting Diskless (a copy of $ASSEMBLY)"
cp -a "$ASSEMBLY" "$WORK/ours"
rm -rf "$WORK/ours/data"
sed -i "s/^sshPort *=.*/sshPort = $SSH_PORT/" "$WORK/ours/etc/org.apache.karaf.shell.cfg"
if grep -q '^port' "$WORK/ours/etc/org.diskless.tftp.cfg"; then
    sed -i "s/^port *=.*/port = $TFTP_PORT/" "$WORK/ours/etc/org.diskless.tftp.cfg"
else
    echo "port = $TFTP_PORT" >> "$WORK/ours/etc/org.diskless.tftp.cfg"
fi
mkdir -p "$WORK/ours/tftpboot/rbootd"
cp "$WORK/boot/$FILE" "$WORK/ours/tftpboot/rbootd/$FILE"
cat > "$WORK/ours/etc/org.diskless.rmp.cfg" <<CFG
interface = $VETH_SRV
rbootdConf = $WORK/rbootd.conf
bootDirectory = rbootd
CFG
ip netns exec "$NS_SRV" taskset -c 0 "$WORK/ours/bin/karaf" server > "$WORK/ours-console.log" 2>&1 &
OURS_PID=$!
ready=0
for _ in $(seq 1 $((START_TIMEOUT * 2))); do
    if grep -q "RMP serving on $VETH_SRV" "$WORK/ours/data/log/karaf.log" 2>/dev/null; then ready=1; break; fi
    kill -0 "$OURS_PID" 2>/dev/null || break
    sleep 0.5
done
[ "$ready" = 1 ] || { tail -20 "$WORK/ours/data/log/karaf.log" >&2; die "Diskless did not serve RMP within ${START_TIMEOUT}s"; }
sleep 2   # let the rest of the boot features settle before timing
log "Diskless serves RMP; fetching $FILE_MIB MiB x $RUNS"
OURS=$(fetch ours) || die "fetch from Diskless failed"
ip netns exec "$NS_SRV" "$WORK/ours/bin/stop" >/dev/null 2>&1
for _ in $(seq 1 60); do kill -0 "$OURS_PID" 2>/dev/null || break; sleep 0.5; done
kill -9 "$OURS_PID" 2>/dev/null
OURS_PID=""

# ------------------------------------------------------------------------------------ rbootd
log "starting Debian rbootd ($(dpkg-query -W -f='${Version}' rbootd 2>/dev/null))"
ip netns exec "$NS_SRV" unshare --mount --propagation private sh -c "
    mount --bind '$WORK/boot' /var/lib/rbootd && mount --bind '$WORK/run' /run &&
    exec taskset -c 0 /usr/sbin/rbootd -i '$VETH_SRV' '$WORK/rbootd.conf'" > "$WORK/rbootd.log" 2>&1
sleep 1
[ -n "$(ip netns pids "$NS_SRV")" ] || { cat "$WORK/rbootd.log" >&2; die "rbootd did not start"; }
log "rbootd runs (pid $(ip netns pids "$NS_SRV" | tr '\n' ' ')); fetching $FILE_MIB MiB x $RUNS"
PEER=$(fetch rbootd) || die "fetch from rbootd failed"

# ------------------------------------------------------------------------------------ report
read -r OURS_S OURS_REPLIES OURS_RETRIES <<<"$OURS"
read -r PEER_S PEER_REPLIES PEER_RETRIES <<<"$PEER"
{
    echo "RMP: $FILE_MIB MiB boot file in 1482-byte read requests, one at a time (best of $RUNS), $(date -u +%F)"
    heap_line
    printf '%-10s %9s %9s %9s %8s\n' server seconds "MiB/s" replies retries
    printf '%-10s %9.3f %9.2f %9s %8s\n' diskless "$OURS_S" "$(awk "BEGIN{print $FILE_MIB/$OURS_S}")" "$OURS_REPLIES" "$OURS_RETRIES"
    printf '%-10s %9.3f %9.2f %9s %8s\n' rbootd "$PEER_S" "$(awk "BEGIN{print $FILE_MIB/$PEER_S}")" "$PEER_REPLIES" "$PEER_RETRIES"
    printf 'ratio (rbootd time / diskless time): %.2f  (above 1: Diskless is faster)\n' \
        "$(awk "BEGIN{print $PEER_S/$OURS_S}")"
} | tee "$RESULT_FILE"
