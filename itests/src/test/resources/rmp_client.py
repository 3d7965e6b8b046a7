#!/usr/bin/python3
"""Plays an HP 9000/300 boot ROM against an RMP (rbootd) server over raw Ethernet.

scenario: identify, file list, boot request, the whole file in read requests at increasing
          offsets, the error cases, boot complete; frames crafted with scapy; optionally captured
          with tshark and checked; prints one `path=value` line per result.
fetch:    reads one file as fast as lock-step read requests allow (plain structs, no scapy), for
          the benchmark; prints seconds, bytes and sha256 as JSON.
flood:    what a hostile machine on the link sends: boot requests from made-up unicast addresses
          that never read, and identify probes from the broadcast address; counts the replies
          that went to the broadcast address and prints `path=value` lines.
Needs root (AF_PACKET). Only sends on the interface it is given.
"""
import argparse
import hashlib
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time

ETH_P_802_2 = 0x0004
MULTICAST = bytes.fromhex("090009000004")
SERVER_SAP, CLIENT_SAP = 0x608, 0x609
BOOT_REQ, BOOT_REPL, READ_REQ, READ_REPL, BOOT_DONE = 1, 129, 2, 130, 3
RETCODES = {0: "OKAY", 2: "EOF", 3: "ABORT", 4: "BUSY", 16: "NOFILE", 17: "OPENFILE", 18: "NODFLT",
            19: "OPENDFLT", 25: "BADSID", 27: "BADPACKET"}


def mac_bytes(text):
    return bytes.fromhex(text.replace(":", "").replace("-", ""))


def mac_text(raw):
    return ":".join("%02x" % b for b in raw)


class Port:
    """A raw socket on one interface; frames out as they are, frames in filtered by destination."""

    def __init__(self, iface):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_802_2))
        self.sock.bind((iface, ETH_P_802_2))
        self.mac = self.sock.getsockname()[4]

    def send(self, frame):
        self.sock.send(frame)

    def receive(self, destination, timeout):
        """The RMP payload of the next frame to `destination` from a server, or None on time-out."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.sock], [], [], left)
            if not ready:
                return None
            frame = self.sock.recv(2048)
            if len(frame) < 26 or frame[0:6] != destination or frame[14] != 0xF8:
                continue
            if struct.unpack(">H", frame[20:22])[0] != CLIENT_SAP:
                continue
            length = struct.unpack(">H", frame[12:14])[0]
            return frame[24:14 + length]


def raw_frame(dst, src, rmp):
    body = bytes([0xF8, 0xF8, 0x03, 0, 0, 0]) + struct.pack(">HH", SERVER_SAP, CLIENT_SAP) + rmp
    frame = dst + src + struct.pack(">H", len(body)) + body
    return frame + bytes(max(0, 60 - len(frame)))


def scapy_frame(dst, src, rmp):
    from scapy.all import Dot3, LLC, Raw
    packet = Dot3(dst=mac_text(dst), src=mac_text(src)) / LLC(dsap=0xF8, ssap=0xF8, ctrl=3) / Raw(
        b"\x00\x00\x00" + struct.pack(">HH", SERVER_SAP, CLIENT_SAP) + rmp)
    frame = bytes(packet)
    return frame + bytes(max(0, 60 - len(frame)))


def boot_request(seq, session, name, machine="HPS300"):
    name = name.encode("latin-1")
    return struct.pack(">BBIHH", BOOT_REQ, 0, seq, session, 2) + machine.ljust(20).encode() + bytes([len(name)]) + name


def read_request(offset, session, size):
    return struct.pack(">BBIHH", READ_REQ, 0, offset, session, size)


def boot_done(session):
    return struct.pack(">BBIH", BOOT_DONE, 0, 0, session)


def parse_boot_reply(rmp):
    kind, code, seq, session, version, size = struct.unpack(">BBIHHB", rmp[:11])
    if kind != BOOT_REPL:
        raise ValueError("expected a boot reply, got type %d" % kind)
    return {"retcode": RETCODES.get(code, code), "seq": seq, "session": session, "version": version,
            "name": rmp[11:11 + size].decode("latin-1")}


def parse_read_reply(rmp):
    kind, code, offset, session = struct.unpack(">BBIH", rmp[:8])
    if kind != READ_REPL:
        raise ValueError("expected a read reply, got type %d" % kind)
    return {"retcode": RETCODES.get(code, code), "offset": offset, "session": session}, rmp[8:]


class Client:
    def __init__(self, port, server, build, source=None, timeout=1.0, tries=3, machine="HPS300"):
        self.port, self.server, self.build = port, server, build
        self.source = source or port.mac
        self.machine = machine
        self.timeout, self.tries = timeout, tries
        self.retries = 0

    def exchange(self, dst, rmp):
        for attempt in range(self.tries):
            self.port.send(self.build(dst, self.source, rmp))
            reply = self.port.receive(self.source, self.timeout)
            if reply is not None:
                return reply
            self.retries += 1
        return None

    def boot(self, seq, session, name, dst=MULTICAST):
        reply = self.exchange(dst, boot_request(seq, session, name, self.machine))
        return None if reply is None else parse_boot_reply(reply)

    def read(self, offset, session, size):
        reply = self.exchange(self.server, read_request(offset, session, size))
        return (None, b"") if reply is None else parse_read_reply(reply)

    def fetch(self, session, size):
        digest, offset, replies = hashlib.sha256(), 0, 0
        while True:
            header, data = self.read(offset, session, size)
            if header is None:
                raise RuntimeError("no read reply at offset %d" % offset)
            replies += 1
            if header["retcode"] == "EOF":
                return offset, digest.hexdigest(), replies
            if header["retcode"] != "OKAY" or header["offset"] != offset:
                raise RuntimeError("read at %d answered %s" % (offset, header))
            digest.update(data)
            offset += len(data)


def start_capture(iface, pcap):
    capture = subprocess.Popen(["tshark", "-i", iface, "-w", pcap, "-q"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    seen = ""
    while time.monotonic() < deadline:
        line = capture.stderr.readline()
        seen += line
        if "Capturing on" in line:
            return capture
        if capture.poll() is not None:
            break
    capture.kill()
    raise RuntimeError("tshark did not start capturing: " + seen)


def check_capture(capture, pcap, server_mac):
    time.sleep(0.5)
    capture.send_signal(signal.SIGINT)
    capture.wait(timeout=20)
    # Every IEEE 802.2 frame the server sent (its IPv6 housekeeping is not ours to judge).
    fields = subprocess.run(["tshark", "-r", pcap, "-Y", "eth.src == %s && llc" % server_mac, "-T", "fields",
                             "-e", "_ws.col.Protocol", "-e", "rmp.type", "-e", "_ws.malformed"],
                            capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()
    malformed = subprocess.run(["tshark", "-r", pcap, "-Y", "_ws.malformed || _ws.expert.severity >= warning"],
                               capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()
    protocols = {}
    for line in fields:
        protocol = line.split("\t")[0]
        protocols[protocol] = protocols.get(protocol, 0) + 1
    return {"replies": len(fields), "protocols": protocols, "malformed": len(malformed)}


def scenario(args):
    port = Port(args.iface)
    server = mac_bytes(args.server_mac)
    capture = start_capture(args.iface, args.pcap) if args.pcap else None
    source = mac_bytes(args.source_mac) if args.source_mac else None
    client = Client(port, server, scapy_frame, source=source, machine=args.machine)
    result = {"client": mac_text(client.source)}
    result["identify"] = client.boot(0, 0xFFFF, "")
    files = []
    for number in range(1, 20):
        reply = client.boot(number, 0xFFFF, "")
        if reply is None or reply["retcode"] != "OKAY":
            result["listEnd"] = reply
            break
        files.append(reply["name"])
    result["files"] = files
    boot = client.boot(0x1234, 0, "/usr/mdec/" + args.file, dst=server)
    result["boot"] = boot
    if boot and boot["retcode"] == "OKAY":
        session = boot["session"]
        started = time.monotonic()
        size, sha, replies = client.fetch(session, args.read_size)
        result["fetch"] = {"bytes": size, "sha256": sha, "replies": replies,
                           "seconds": round(time.monotonic() - started, 3)}
        result["pastEnd"] = client.read(size + 10000, session, 512)[0]
        result["wrongSession"] = client.read(0, (session % 0xFFFE) + 1, 512)[0]
        port.send(scapy_frame(server, client.source, boot_done(session)))
        time.sleep(0.3)
        result["afterComplete"] = client.read(0, session, 512)[0]
    result["notAllowed"] = client.boot(7, 0, args.forbidden, dst=server)
    stranger = Client(port, server, scapy_frame, source=mac_bytes(args.stranger_mac), timeout=1.5, tries=1)
    result["stranger"] = {"identify": stranger.boot(0, 0xFFFF, ""), "read": stranger.read(0, 1, 512)[0]}
    result["retries"] = client.retries
    if capture:
        result["capture"] = check_capture(capture, args.pcap, args.server_mac)
    for key, value in flatten(result):
        print("%s=%s" % (key, value))


def flatten(value, prefix=""):
    """`path=value` lines (identify.name=bootsrv, stranger.identify=None) that need no JSON parser to read."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from flatten(item, prefix + key + ".")
    elif isinstance(value, list):
        yield prefix[:-1], ",".join(str(v) for v in value)
    else:
        yield prefix[:-1], value


def fetch(args):
    port = Port(args.iface)
    client = Client(port, mac_bytes(args.server_mac), raw_frame, timeout=args.timeout, tries=10)
    if client.boot(0, 0xFFFF, "") is None:
        raise SystemExit("no server answered the identify probe on " + args.iface)
    results = []
    for run in range(args.runs):
        boot = client.boot(run + 1, 0, args.file, dst=mac_bytes(args.server_mac))
        if boot is None or boot["retcode"] != "OKAY":
            raise SystemExit("boot request refused: %s" % boot)
        started = time.monotonic()
        size, sha, replies = client.fetch(boot["session"], args.read_size)
        seconds = time.monotonic() - started
        port.send(raw_frame(mac_bytes(args.server_mac), port.mac, boot_done(boot["session"])))
        results.append({"seconds": round(seconds, 4), "bytes": size, "sha256": sha, "replies": replies})
        time.sleep(0.2)
    print(json.dumps({"runs": results, "retries": client.retries}))


def flood(args):
    port = Port(args.iface)
    server = mac_bytes(args.server_mac)
    broadcast = bytes.fromhex("ffffffffffff")
    for _ in range(args.boots):
        source = bytearray(os.urandom(6))
        source[0] &= 0xFE  # unicast, as a forged source must be to be answered at all
        port.send(raw_frame(server, bytes(source), boot_request(1, 0, args.file)))
    for number in range(args.probes):
        port.send(raw_frame(MULTICAST, broadcast, boot_request(number, 0xFFFF, "")))
    broadcast_replies = 0
    while port.receive(broadcast, 1.5) is not None:
        broadcast_replies += 1
    print("sent.boots=%d" % args.boots)
    print("sent.probes=%d" % args.probes)
    print("broadcastReplies=%d" % broadcast_replies)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="mode", required=True)
    for name in ("scenario", "fetch", "flood"):
        p = sub.add_parser(name)
        p.add_argument("--iface", required=True)
        p.add_argument("--server-mac", required=True)
        p.add_argument("--file", required=True)
        p.add_argument("--read-size", type=int, default=1482)
    sub.choices["scenario"].add_argument("--forbidden", default="vmunix")
    sub.choices["scenario"].add_argument("--stranger-mac", default="08:00:09:ee:ee:ee")
    sub.choices["scenario"].add_argument("--pcap")
    sub.choices["scenario"].add_argument("--source-mac", help="act as another machine (frames to it are seen on a veth)")
    sub.choices["scenario"].add_argument("--machine", default="HPS300", help="machine type the boot ROM announces")
    sub.choices["fetch"].add_argument("--runs", type=int, default=1)
    sub.choices["fetch"].add_argument("--timeout", type=float, default=0.5)
    sub.choices["flood"].add_argument("--boots", type=int, default=200)
    sub.choices["flood"].add_argument("--probes", type=int, default=25)
    args = parser.parse_args()
    {"scenario": scenario, "fetch": fetch, "flood": flood}[args.mode](args)


if __name__ == "__main__":
    main()
