#!/usr/bin/python3
"""Plays a machine that asks for its IPv4 address by RARP (RFC 903), as Sun and NetBSD netboot ROMs do.

ask:   one broadcast "request reverse" crafted with scapy (from --source, about --mac), retried a few
       times, optionally captured with tshark; prints `path=value` lines: the reply's fields, or
       reply=None, and what tshark made of the server's frames.
flood: what a hostile machine on the link sends: requests from made-up unicast sources about
       made-up machines and about --mac, and requests from group sources; counts the replies that
       went to a group address and those about --mac.
Needs root (AF_PACKET). Only sends on the interface it is given.
"""
import argparse
import os
import select
import signal
import socket
import struct
import subprocess
import time

from rmp_client import flatten, mac_bytes, mac_text, start_capture

ETH_P_RARP = 0x8035
BROADCAST = bytes.fromhex("ffffffffffff")
REQUEST_REVERSE, REPLY_REVERSE = 3, 4


class Port:
    """A raw socket for EtherType 0x8035 on one interface."""

    def __init__(self, iface):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_RARP))
        self.sock.bind((iface, ETH_P_RARP))

    def send(self, frame):
        self.sock.send(frame)

    def replies(self, timeout):
        """Every RARP reply seen until `timeout` seconds pass, as (destination, fields) pairs."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select([self.sock], [], [], left)
            if not ready:
                return
            frame = self.sock.recv(2048)
            if len(frame) >= 42 and struct.unpack(">H", frame[20:22])[0] == REPLY_REVERSE:
                yield frame[0:6], parse(frame)


def parse(frame):
    return {"op": struct.unpack(">H", frame[20:22])[0],
            "sender_mac": mac_text(frame[22:28]), "sender_ip": socket.inet_ntoa(frame[28:32]),
            "target_mac": mac_text(frame[32:38]), "target_ip": socket.inet_ntoa(frame[38:42])}


def request(source, machine):
    """A broadcast request reverse, built by scapy as a boot ROM lays it out, padded to 60 bytes."""
    from scapy.all import ARP, Ether
    packet = Ether(dst="ff:ff:ff:ff:ff:ff", src=mac_text(source), type=ETH_P_RARP) / ARP(
        op=REQUEST_REVERSE, hwsrc=mac_text(source), psrc="0.0.0.0", hwdst=mac_text(machine), pdst="0.0.0.0")
    frame = bytes(packet)
    return frame + bytes(max(0, 60 - len(frame)))


def ask(args):
    port = Port(args.iface)
    source, machine = mac_bytes(args.source), mac_bytes(args.mac)
    capture = start_capture(args.iface, args.pcap) if args.pcap else None
    result = {"reply": None, "tries": 0}
    for attempt in range(args.tries):
        result["tries"] = attempt + 1
        port.send(request(source, machine))
        answer = next((fields for destination, fields in port.replies(args.timeout)
                       if destination == source and fields["target_mac"] == mac_text(machine)), None)
        if answer is not None:
            result["reply"] = answer
            break
    if capture:
        result["capture"] = check_capture(capture, args.pcap, args.server_mac)
    for key, value in flatten(result):
        print("%s=%s" % (key, value))


def check_capture(capture, pcap, server_mac):
    """What tshark makes of the RARP frames the server sent: protocol, operation, addresses, malformed ones."""
    time.sleep(0.5)
    capture.send_signal(signal.SIGINT)
    capture.wait(timeout=20)
    lines = subprocess.run(["tshark", "-r", pcap, "-Y", "eth.src == %s && eth.type == 0x8035" % server_mac,
                            "-T", "fields", "-e", "_ws.col.Protocol", "-e", "arp.opcode", "-e", "arp.dst.proto_ipv4",
                            "-e", "frame.len"],
                           capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()
    malformed = subprocess.run(["tshark", "-r", pcap, "-Y", "eth.type == 0x8035 && (_ws.malformed"
                                " || _ws.expert.severity >= warning)"],
                               capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()
    first = lines[0].split("\t") if lines else ["", "", "", ""]
    return {"frames": len(lines), "protocol": first[0], "opcode": first[1], "target_ip": first[2],
            "length": first[3], "malformed": len(malformed)}


def flood(args):
    port = Port(args.iface)
    known = mac_bytes(args.mac)
    for _ in range(args.count):
        source = bytearray(os.urandom(6))
        source[0] &= 0xFE
        machine = bytearray(os.urandom(6))
        machine[0] &= 0xFE
        port.send(request(bytes(source), bytes(machine)))
        port.send(request(bytes(source), known))
        group = bytearray(os.urandom(6))
        group[0] |= 0x01
        port.send(request(bytes(group), known))
    to_groups, about_known = 0, 0
    for destination, fields in port.replies(args.listen):
        if destination[0] & 1:
            to_groups += 1
        if fields["target_mac"] == mac_text(known):
            about_known += 1
    print("sent=%d" % (3 * args.count))
    print("groupReplies=%d" % to_groups)
    print("repliesAboutKnown=%d" % about_known)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="mode", required=True)
    for name in ("ask", "flood"):
        p = sub.add_parser(name)
        p.add_argument("--iface", required=True)
        p.add_argument("--mac", required=True, help="the machine whose address is asked for")
    sub.choices["ask"].add_argument("--source", required=True, help="the Ethernet source that asks")
    sub.choices["ask"].add_argument("--server-mac", help="the server's MAC, to pick its frames from the capture")
    sub.choices["ask"].add_argument("--pcap")
    sub.choices["ask"].add_argument("--timeout", type=float, default=1.5)
    sub.choices["ask"].add_argument("--tries", type=int, default=3)
    sub.choices["flood"].add_argument("--count", type=int, default=300)
    sub.choices["flood"].add_argument("--listen", type=float, default=2.0)
    args = parser.parse_args()
    {"ask": ask, "flood": flood}[args.mode](args)


if __name__ == "__main__":
    main()
