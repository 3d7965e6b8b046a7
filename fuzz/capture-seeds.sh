#!/usr/bin/env bash
# Captures real client and server packets as the fuzz targets' seeds: DHCP (dhclient, busybox
# udhcpc, iPXE and EDK2 UEFI firmware under qemu, dnsmasq's offers and ProxyDHCP answers), TFTP
# (atftp, tftp-hpa, busybox, curl, iPXE, EDK2 against dnsmasq's TFTP) and HP RMP (the itests'
# scapy boot ROM against Debian's rbootd). Every packet is kept once, as the raw bytes the decoder
# gets: the UDP payload for DHCP and TFTP, the whole Ethernet frame for RMP.
#
#   sudo bash fuzz/capture-seeds.sh [resources directory]   (default: fuzz/src/test/resources)
#
# KEEP_WORK=1 keeps the captures and logs; SKIP_QEMU=1 leaves out the firmware.
# Needs root (network namespaces, a tap for qemu, raw sockets) and Debian's dnsmasq-base,
# isc-dhcp-client, busybox-static, atftp, tftp-hpa, curl, tcpdump, python3-scapy, rbootd,
# qemu-system-x86, ipxe-qemu and ovmf. All traffic stays between two namespaces it creates and
# removes; qemu runs without KVM (a few minutes of one CPU, niced).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-fuzz/src/test/resources}")
RMP_CLIENT=$PWD/itests/src/test/resources/rmp_client.py
DHCP_CLIENT=$PWD/itests/src/test/resources/dhcp_client.py

NS_S=fzs-$$ NS_C=fzc-$$ VETH_S=vs-$$ VETH_C=vc-$$
SRV_MAC=02:00:00:00:f0:01 CLI_MAC=02:00:00:00:f0:02 VM_MAC=52:54:00:00:f0:03 ROM_MAC=08:00:09:00:f0:04
WORK=""
PIDS=()

log() { echo "capture-seeds: $*" >&2; }
die() { log "$*"; exit 1; }
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    ip netns del "$NS_S" 2>/dev/null || true
    ip netns del "$NS_C" 2>/dev/null || true
    if [ -n "$WORK" ] && [ "${KEEP_WORK:-0}" = 1 ]; then log "kept $WORK"; elif [ -n "$WORK" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || die "run as root: namespaces, a tap and raw sockets"
for tool in dnsmasq dhclient busybox atftp tftp curl tcpdump rbootd qemu-system-x86_64 /usr/bin/python3; do
    command -v "$tool" >/dev/null || die "$tool is missing (see the packages at the top of $0)"
done
/usr/bin/python3 -c 'import scapy' 2>/dev/null || die "python3-scapy is missing"

WORK=$(mktemp -d /tmp/capture-seeds.XXXXXX)
mkdir -p "$WORK/tftpboot" "$WORK/pcap" "$WORK/mdec" "$WORK/run"

ip netns add "$NS_S"
ip netns add "$NS_C"
ip link add "$VETH_S" netns "$NS_S" type veth peer name "$VETH_C" netns "$NS_C"
ip -n "$NS_S" link set "$VETH_S" address "$SRV_MAC" up
ip -n "$NS_C" link set "$VETH_C" address "$CLI_MAC" up
ip -n "$NS_S" link set lo up
ip -n "$NS_C" link set lo up
ip -n "$NS_S" addr add 192.0.2.1/24 dev "$VETH_S"
ip -n "$NS_C" addr add 192.0.2.2/24 dev "$VETH_C"

# Captures one phase into $WORK/pcap/<name>.pcap while "$@" runs.
phase() {
    local name=$1
    shift
    ip netns exec "$NS_S" tcpdump -i "$VETH_S" --immediate-mode -U -s 0 -w "$WORK/pcap/$name.pcap" 2>"$WORK/$name.tcpdump" &
    local capture=$!
    PIDS+=("$capture")
    for _ in $(seq 1 50); do grep -q "listening on" "$WORK/$name.tcpdump" && break; sleep 0.1; done
    log "$name"
    "$@" >"$WORK/$name.log" 2>&1 || log "$name: exited $? (kept what was captured; see the log below)"
    sleep 1
    kill -INT "$capture" 2>/dev/null || true
    wait "$capture" 2>/dev/null || true
}
in_client() { timeout "$1" ip netns exec "$NS_C" "${@:2}"; }

# ------------------------------------------------------------------ DHCP and TFTP: dnsmasq serves
head -c 300000 /dev/urandom > "$WORK/tftpboot/kernel"
printf 'DEFAULT linux\nLABEL linux\n  KERNEL kernel\n' > "$WORK/tftpboot/default"
# iPXE runs any script it is handed, whatever its name: a second DHCP (with iPXE's options), then
# a TFTP fetch with iPXE's block size.
printf '#!ipxe\ndhcp\nimgfetch tftp://192.0.2.1/kernel\nsleep 30\n' > "$WORK/tftpboot/pxelinux.0"
chmod -R a+rX "$WORK"
ip netns exec "$NS_S" dnsmasq --no-daemon --conf-file=/dev/null --port=0 --user=root \
    --interface="$VETH_S" --bind-interfaces --log-dhcp \
    --dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,1h --dhcp-leasefile="$WORK/dnsmasq.leases" \
    --dhcp-option=option:router,192.0.2.1 --dhcp-option=option:dns-server,192.0.2.1 \
    --dhcp-option=option:domain-name,lab.example --dhcp-boot=pxelinux.0 \
    --pxe-prompt="Diskless seed capture",3 --pxe-service=x86PC,"Network boot",pxelinux \
    --pxe-service=X86-64_EFI,"UEFI network boot",bootx64 \
    --enable-tftp --tftp-root="$WORK/tftpboot" >"$WORK/dnsmasq.log" 2>&1 &
PIDS+=("$!")
sleep 1

cat > "$WORK/dhclient.conf" <<'CONF'
send host-name "node-a1";
send dhcp-client-identifier 1:02:00:00:00:f0:02;
send vendor-class-identifier "PXEClient:Arch:00000:UNDI:002001";
send user-class "iPXE";
request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers, host-name,
        tftp-server-name, bootfile-name, vendor-encapsulated-options;
CONF
dhclient_run() {
    in_client 30 dhclient -4 -1 -v -cf "$1" -sf /bin/true -lf "$WORK/dhclient.leases" \
        -pf "$WORK/dhclient.pid" "$VETH_C"
    in_client 30 dhclient -4 -r -v -cf "$1" -sf /bin/true -lf "$WORK/dhclient.leases" \
        -pf "$WORK/dhclient.pid" "$VETH_C"
}
phase dhclient dhclient_run /dev/null
phase dhclient-pxe dhclient_run "$WORK/dhclient.conf"
phase udhcpc in_client 30 busybox udhcpc -i "$VETH_C" -n -q -f -R -s /bin/true \
    -V "PXEClient:Arch:00007:UNDI:003016" -x hostname:node-b2 -x 0x3d:0102000000f002 -O 66 -O 67 -O 43 -O 150
phase udhcpc-fqdn in_client 30 busybox udhcpc -i "$VETH_C" -n -q -f -s /bin/true -r 192.0.2.120 -F node-c3.lab.example
# The itests' scapy PXE ROM (DISCOVER, REQUEST, then port 4011) and its malformed datagrams.
phase scapy-pxe in_client 30 /usr/bin/python3 "$DHCP_CLIENT" pxe-boot --iface "$VETH_C" --mac "$CLI_MAC" --arch 7 --wait 2
garbage() {
    in_client 30 /usr/bin/python3 "$DHCP_CLIENT" garbage --server 192.0.2.1
    in_client 30 /usr/bin/python3 "$DHCP_CLIENT" garbage --server 192.0.2.1 --port 4011
}
phase garbage garbage

tftp_clients() {
    local server=192.0.2.1
    in_client 20 atftp --get -r kernel -l /dev/null --option "blksize 1468" --option "tsize 0" \
        --option "windowsize 4" "$server"
    in_client 20 atftp --get -r default -l /dev/null --option "blksize 512" --option "timeout 2" "$server"
    in_client 20 atftp --get -r missing -l /dev/null "$server"
    in_client 20 atftp --put -r upload -l "$WORK/tftpboot/default" "$server"
    (cd "$WORK" && in_client 20 tftp -m binary "$server" -c get default "$WORK/hpa.out")
    (cd "$WORK" && in_client 20 tftp -m ascii "$server" -c get default "$WORK/hpa.txt")
    in_client 20 busybox tftp -g -r default -l "$WORK/bb.out" -b 1024 "$server"
    in_client 20 curl -s --tftp-blksize 8192 -o /dev/null "tftp://$server/default"
    in_client 20 curl -s --tftp-no-options -o /dev/null "tftp://$server/default"
}
phase tftp tftp_clients

# ------------------------------------------------------------------ firmware under qemu
# The guest's NIC is a tap bridged with the client's veth.
ip -n "$NS_C" addr flush dev "$VETH_C"
ip -n "$NS_C" link add br0 type bridge
ip -n "$NS_C" link set "$VETH_C" master br0
ip -n "$NS_C" tuntap add tap0 mode tap
ip -n "$NS_C" link set tap0 master br0
ip -n "$NS_C" link set tap0 up
ip -n "$NS_C" link set br0 up
qemu_boot() { # $1 = seconds, then qemu's firmware options
    local seconds=$1
    shift
    in_client "$seconds" nice -n 19 qemu-system-x86_64 -accel tcg -m 256 -display none -machine graphics=off \
        -serial none -no-reboot -netdev tap,id=n0,ifname=tap0,script=no,downscript=no "$@" -boot n
}
[ "${SKIP_QEMU:-0}" = 1 ] || phase ipxe qemu_boot 90 -device "e1000,netdev=n0,mac=$VM_MAC"
[ "${SKIP_QEMU:-0}" = 1 ] || phase edk2 qemu_boot 240 -bios /usr/share/ovmf/OVMF.fd -device "virtio-net-pci,netdev=n0,mac=$VM_MAC,romfile="

# ------------------------------------------------------------------ RMP: rbootd serves the scapy ROM
head -c 5000 /dev/urandom > "$WORK/mdec/SYSHPBSD"
printf '# seed capture\n%s SYSHPBSD\n' "$ROM_MAC" > "$WORK/rbootd.conf"
ip netns exec "$NS_S" unshare --mount --propagation private sh -c "
    mount --bind '$WORK/mdec' /var/lib/rbootd && mount --bind '$WORK/run' /run &&
    exec /usr/sbin/rbootd -d -i '$VETH_S' '$WORK/rbootd.conf'" >"$WORK/rbootd.log" 2>&1 &
PIDS+=("$!")
sleep 1
ip -n "$NS_C" link set "$VETH_C" nomaster
rmp_client() {
    in_client 60 /usr/bin/python3 "$RMP_CLIENT" scenario --iface "$VETH_C" --server-mac "$SRV_MAC" \
        --file SYSHPBSD --source-mac "$ROM_MAC" --read-size 1024
    in_client 60 /usr/bin/python3 "$RMP_CLIENT" scenario --iface "$VETH_C" --server-mac "$SRV_MAC" \
        --file SYSHPBSD --source-mac "$ROM_MAC" --machine HPS400
}
phase rmp rmp_client

# ------------------------------------------------------------------ payloads to seed files
/usr/bin/python3 - "$WORK/pcap" "$OUT" <<'PY'
import hashlib, os, struct, sys
from scapy.all import IP, UDP, rdpcap

pcaps, out = sys.argv[1], sys.argv[2]
targets = {
    "dhcp": os.path.join(out, "org/diskless/dhcp/codec/DhcpDecoderFuzzTestInputs/decode"),
    "tftp": os.path.join(out, "org/diskless/tftp/codec/TftpDecoderFuzzTestInputs/decode"),
    "rmp": os.path.join(out, "org/diskless/rmp/codec/RmpCodecFuzzTestInputs/decode"),
}
DHCP_TYPES = {1: "discover", 2: "offer", 3: "request", 4: "decline", 5: "ack", 6: "nak", 7: "release", 8: "inform"}
TFTP_OPS = {1: "rrq", 2: "wrq", 3: "data", 4: "ack", 5: "error", 6: "oack"}
RMP_TYPES = {1: "bootreq", 2: "readreq", 3: "bootdone", 129: "bootreply", 130: "readreply"}
# A transfer repeats DATA and ACK by the hundred: a few of each per phase say all they can.
PER_PHASE = {"tftp-data": 3, "tftp-ack": 3, "rmp-readreq": 3, "rmp-readreply": 3}
written = {kind: 0 for kind in targets}


def dhcp_type(payload):
    i = 240
    while i + 1 < len(payload) and payload[i] != 255:
        if payload[i] == 0:
            i += 1
            continue
        if payload[i] == 53 and payload[i + 1] == 1 and i + 2 < len(payload):
            return DHCP_TYPES.get(payload[i + 2], "type%d" % payload[i + 2])
        i += 2 + payload[i + 1]
    return "bootp"


def save(kind, name, data):
    directory = targets[kind]
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "%s-%s" % (name, hashlib.sha1(data).hexdigest()[:10]))
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        written[kind] += 1


for pcap in sorted(os.listdir(pcaps)):
    phase = pcap[:-len(".pcap")]
    counts = {}
    for packet in rdpcap(os.path.join(pcaps, pcap)):
        frame = bytes(packet)
        if IP in packet and UDP in packet:
            payload = bytes(packet[UDP].payload)
            ports = {packet[UDP].sport, packet[UDP].dport}
            if ports & {67, 68, 4011}:
                save("dhcp", "%s-%s" % (phase, dhcp_type(payload)), payload)
            elif len(payload) >= 2 and payload[0] == 0 and payload[1] in TFTP_OPS and not ports & {53, 5353, 67, 68}:
                what = "tftp-" + TFTP_OPS[payload[1]]
                counts[what] = counts.get(what, 0) + 1
                if counts[what] <= PER_PHASE.get(what, 1000):
                    save("tftp", "%s-%s" % (phase, TFTP_OPS[payload[1]]), payload)
        elif len(frame) >= 26 and struct.unpack(">H", frame[12:14])[0] <= 1500 and frame[14] == 0xF8:
            what = "rmp-" + RMP_TYPES.get(frame[24], "type%d" % frame[24])
            counts[what] = counts.get(what, 0) + 1
            if counts[what] <= PER_PHASE.get(what, 1000):
                save("rmp", "%s-%s" % (phase, what[4:]), frame)
for kind, count in written.items():
    print("%s: %d new seeds in %s" % (kind, count, targets[kind]))
PY
for name in dnsmasq rbootd; do [ -s "$WORK/$name.log" ] && tail -3 "$WORK/$name.log" | sed "s/^/$name: /" >&2; done
for log_file in "$WORK"/*.log; do
    case $(basename "$log_file") in dnsmasq.log|rbootd.log) ;; *) tail -2 "$log_file" | sed "s|^|$(basename "$log_file" .log): |" >&2 ;; esac
done
