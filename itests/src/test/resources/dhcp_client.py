#!/usr/bin/python3
"""DHCP test client for the integration tests: plays a PXE ROM with scapy and sends malformed datagrams.

  dhcp_client.py pxe-boot --iface IF --mac MAC --arch N [--wait S] [--proxy-port 4011]
      What a UEFI PXE ROM does on a network with a DHCP server and a ProxyDHCP server: DISCOVER with
      option 60 PXEClient, 93, 94, 97; collect OFFERs for --wait seconds; REQUEST the address from the
      offer that has one; then, with that address on IF, a REQUEST to the port-4011 boot server of the
      offer that has yiaddr 0 and PXEClient. Prints one line per reply: offer ..., ack ..., boot_ack ... (key=value pairs).
  dhcp_client.py discover --iface IF --mac MAC [--arch N] [--wait S]
      One DISCOVER; prints the OFFERs seen within --wait seconds, then 'offers N'.
  dhcp_client.py garbage --server IP [--port 67]
      Sends malformed datagrams (truncated, bad magic cookie, option length past the end, zero-length
      options, overload abuse, an unterminated overload loop), one each; prints how many were sent.

Every wait is bounded; nothing is sent outside the interface or server given.
"""
import argparse
import os
import socket
import struct
import subprocess
import sys
import time

BOOTREQUEST = 1
COOKIE = b"\x63\x82\x53\x63"


def mac_bytes(mac):
    return bytes(int(part, 16) for part in mac.split(":"))


def option(code, value):
    return bytes([code, len(value)]) + value


def bootp(xid, mac, options, ciaddr="0.0.0.0", flags=0x8000):
    header = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", BOOTREQUEST, 1, 6, 0, xid, 0, flags,
                         socket.inet_aton(ciaddr), b"\0" * 4, b"\0" * 4, b"\0" * 4,
                         mac_bytes(mac) + b"\0" * 10, b"\0" * 64, b"\0" * 128)
    return header + COOKIE + options + b"\xff"


def pxe_options(message_type, arch, mac, extra=b""):
    vendor_class = ("PXEClient:Arch:%05d:UNDI:003016" % arch).encode()
    uuid = bytes(range(16))
    return (option(53, bytes([message_type]))
            + option(57, struct.pack("!H", 1472))
            + option(55, bytes([1, 3, 6, 43, 54, 60, 66, 67, 97]))
            + option(60, vendor_class)
            + option(93, struct.pack("!H", arch))
            + option(94, bytes([1, 3, 16]))
            + option(97, b"\0" + uuid)
            + extra)


def parse(payload):
    """The fields and options of a BOOTP reply, for printing."""
    if len(payload) < 240 or payload[236:240] != COOKIE:
        return None
    op, _, _, _, xid = struct.unpack("!BBBBI", payload[:8])
    fields = {
        "op": op,
        "xid": xid,
        "ciaddr": socket.inet_ntoa(payload[12:16]),
        "yiaddr": socket.inet_ntoa(payload[16:20]),
        "siaddr": socket.inet_ntoa(payload[20:24]),
        "giaddr": socket.inet_ntoa(payload[24:28]),
        "file": payload[108:236].split(b"\0")[0].decode("latin-1"),
        "options": {},
    }
    i = 240
    while i < len(payload):
        code = payload[i]
        if code == 255:
            break
        if code == 0:
            i += 1
            continue
        length = payload[i + 1]
        value = payload[i + 2:i + 2 + length]
        fields["options"][str(code)] = value.hex()
        i += 2 + length
    opts = fields["options"]
    if "53" in opts:
        fields["type"] = int(opts["53"], 16)
    if "54" in opts:
        fields["server_id"] = socket.inet_ntoa(bytes.fromhex(opts["54"]))
    if "60" in opts:
        fields["vendor_class"] = bytes.fromhex(opts["60"]).decode("latin-1")
    if "67" in opts:
        fields["bootfile_option"] = bytes.fromhex(opts["67"]).decode("latin-1").rstrip("\0")
    return fields


def report(label, fields):
    """One line per reply, key=value pairs, for the Java tests to read: 'offer yiaddr=... file=... options=1,3,54'."""
    if fields is None:
        print(label + " none")
        return
    pairs = ["%s=%s" % (k, fields[k]) for k in ("type", "from", "yiaddr", "siaddr", "server_id", "file",
                                                 "bootfile_option", "vendor_class") if k in fields]
    pairs.append("options=" + ",".join(sorted(fields["options"], key=int)))
    print(label + " " + " ".join(pairs))


def exchange(iface, mac, packet_bytes, wait, want_types, xid):
    """Broadcasts a BOOTP request at layer 2 on iface and collects replies for this xid within wait seconds."""
    from scapy.all import AsyncSniffer, Ether, IP, UDP, Raw, sendp, conf
    conf.verb = 0
    sniffer = AsyncSniffer(iface=iface, filter="udp and (dst port 68 or dst port 67)", store=True)
    sniffer.start()
    time.sleep(0.5)
    frame = (Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / IP(src="0.0.0.0", dst="255.255.255.255")
             / UDP(sport=68, dport=67) / Raw(packet_bytes))
    sendp(frame, iface=iface)
    time.sleep(wait)
    sniffer.stop()
    replies = []
    for pkt in sniffer.results or []:
        if UDP not in pkt or pkt[UDP].dport != 68:
            continue
        fields = parse(bytes(pkt[UDP].payload))
        if fields and fields["op"] == 2 and fields["xid"] == xid and fields.get("type") in want_types:
            fields["from"] = "%s:%d" % (pkt[IP].src, pkt[UDP].sport)
            replies.append(fields)
    return replies


def discover(args):
    xid = int.from_bytes(os.urandom(4), "big")
    options = pxe_options(1, args.arch, args.mac)
    offers = exchange(args.iface, args.mac, bootp(xid, args.mac, options), args.wait, {2}, xid)
    for offer in offers:
        report("offer", offer)
    print("offers %d" % len(offers))


def pxe_boot(args):
    xid = int.from_bytes(os.urandom(4), "big")
    offers = exchange(args.iface, args.mac, bootp(xid, args.mac, pxe_options(1, args.arch, args.mac)),
                      args.wait, {2}, xid)
    for offer in offers:
        report("offer", offer)
    address_offer = next((o for o in offers if o["yiaddr"] != "0.0.0.0"), None)
    proxy_offer = next((o for o in offers if o["yiaddr"] == "0.0.0.0"
                        and o.get("vendor_class", "").startswith("PXEClient")), None)
    if address_offer is None or proxy_offer is None:
        print("error missing offer: address %s, proxy %s" % (address_offer is not None, proxy_offer is not None))
        return 2
    request = pxe_options(3, args.arch, args.mac,
                          option(50, socket.inet_aton(address_offer["yiaddr"]))
                          + option(54, socket.inet_aton(address_offer["server_id"])))
    replies = exchange(args.iface, args.mac, bootp(xid, args.mac, request), args.wait, {5, 6}, xid)
    for nak in (r for r in replies if r["type"] == 6):
        report("nak", nak)
    acks = [r for r in replies if r["type"] == 5 and r["yiaddr"] != "0.0.0.0"]
    report("ack", acks[0] if acks else None)
    if not acks:
        print("error no ACK from the address server")
        return 2
    address = acks[0]["yiaddr"]
    # The ROM now has its address and asks the boot server directly, from port 68 (PXE 2.1, 2.2.4).
    subprocess.run(["ip", "addr", "add", address + "/24", "dev", args.iface], check=True)
    reply = None
    try:
        boot_xid = int.from_bytes(os.urandom(4), "big")
        boot_request = bootp(boot_xid, args.mac, pxe_options(3, args.arch, args.mac), ciaddr=address, flags=0)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((address, 68))
            s.settimeout(1.0)
            deadline = time.monotonic() + args.wait + 4
            server = proxy_offer["server_id"] if "server_id" in proxy_offer else proxy_offer["from"].split(":")[0]
            while reply is None and time.monotonic() < deadline:
                s.sendto(boot_request, (server, args.proxy_port))
                try:
                    data, sender = s.recvfrom(4096)
                except socket.timeout:
                    continue
                fields = parse(data)
                if fields and fields["xid"] == boot_xid:
                    fields["from"] = "%s:%d" % sender
                    reply = fields
            report("boot_ack", reply)
    finally:
        subprocess.run(["ip", "addr", "del", address + "/24", "dev", args.iface], check=False)
    return 0 if reply else 3


def garbage(args):
    mac = "52:54:00:66:00:01"
    good = bootp(0x1234, mac, option(53, b"\x01"))
    samples = [
        good[:100],                                                  # truncated inside the fixed header
        good[:236] + b"\x01\x02\x03\x04" + good[240:],               # bad magic cookie
        bootp(0x1235, mac, option(53, b"\x01") + bytes([12, 200]) + b"abc")[:-1],  # option length past the end
        bootp(0x1236, mac, option(53, b"\x01") + bytes([12, 0, 15, 0, 61, 0])),   # zero-length options
        bootp(0x1237, mac, option(53, b"\x01") + option(52, b"\x03")),            # overload: empty file/sname
        bootp(0x1238, mac, option(52, b"\x07") + option(53, b"\x01")),            # overload value out of range
        b"",                                                         # empty datagram
        os.urandom(300),                                             # noise
    ]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for sample in samples:
            s.sendto(sample, (args.server, args.port))
    print("sent %d" % len(samples))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("pxe-boot", "discover"):
        p = sub.add_parser(name)
        p.add_argument("--iface", required=True)
        p.add_argument("--mac", required=True)
        p.add_argument("--arch", type=int, default=7)
        p.add_argument("--wait", type=float, default=3.0)
        p.add_argument("--proxy-port", type=int, default=4011)
    g = sub.add_parser("garbage")
    g.add_argument("--server", required=True)
    g.add_argument("--port", type=int, default=67)
    args = parser.parse_args()
    if args.command == "pxe-boot":
        return pxe_boot(args)
    if args.command == "discover":
        return discover(args)
    return garbage(args)


if __name__ == "__main__":
    sys.exit(main())
