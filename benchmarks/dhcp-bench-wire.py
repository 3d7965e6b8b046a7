#!/usr/bin/python3
"""The delays of a DHCP server as its own interface sees them, for dhcp-bench.sh.

  dhcp-bench-wire.py PCAP

reads a capture (classic pcap, Ethernet, as tcpdump -w writes it) taken on the server's side of the
link and prints one line:

  do_count p50_do p99_do max_do ra_count p50_ra p99_ra max_ra

DISCOVER->OFFER and REQUEST->ACK in milliseconds, each from the request's arrival to the first
reply of that type with the same transaction id: what the server (its socket queue, its
processing, its lease writes) cost, without the time the replies then wait for the client to read
them, which perfdhcp's own timestamps include. "-" when nothing was paired.
"""
import math
import struct
import sys

DISCOVER, OFFER, REQUEST, ACK = 1, 2, 3, 5
REPLY_TO = {OFFER: DISCOVER, ACK: REQUEST}
COOKIE = b"\x63\x82\x53\x63"


def message_type(dhcp):
    """Option 53 of a DHCP message, or None."""
    if len(dhcp) < 240 or dhcp[236:240] != COOKIE:
        return None
    i = 240
    while i < len(dhcp):
        code = dhcp[i]
        if code == 0:
            i += 1
            continue
        if code == 255 or i + 1 >= len(dhcp):
            return None
        length = dhcp[i + 1]
        if code == 53 and length == 1 and i + 2 < len(dhcp):
            return dhcp[i + 2]
        i += 2 + length
    return None


def packets(path):
    """(seconds, DHCP payload) of every UDP/IPv4 datagram in an Ethernet pcap."""
    with open(path, "rb") as capture:
        header = capture.read(24)
        if len(header) < 24:
            return
        magic = struct.unpack("<I", header[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            endian = "<"
        else:
            endian = ">"
            magic = struct.unpack(">I", header[:4])[0]
        scale = 1e-9 if magic == 0xA1B23C4D else 1e-6
        while True:
            record = capture.read(16)
            if len(record) < 16:
                return
            seconds, fraction, captured, _ = struct.unpack(endian + "IIII", record)
            frame = capture.read(captured)
            if len(frame) < captured or len(frame) < 14 + 20 + 8:
                return
            if frame[12:14] != b"\x08\x00":
                continue
            ihl = (frame[14] & 0x0F) * 4
            if frame[14 + 9] != 17:
                continue
            yield seconds + fraction * scale, frame[14 + ihl + 8:]


def percentile(ordered, fraction):
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def summary(delays):
    if not delays:
        return "0 - - -"
    ordered = sorted(delays)
    return "%d %.3f %.3f %.3f" % (len(ordered), percentile(ordered, 0.5) * 1e3, percentile(ordered, 0.99) * 1e3,
                                  ordered[-1] * 1e3)


def main(path):
    requests = {}  # (type, xid) -> arrival
    delays = {OFFER: [], ACK: []}
    for when, dhcp in packets(path):
        kind = message_type(dhcp)
        if kind is None:
            continue
        xid = dhcp[4:8]
        if kind in (DISCOVER, REQUEST):
            requests.setdefault((kind, xid), when)
        elif kind in REPLY_TO:
            arrived = requests.pop((REPLY_TO[kind], xid), None)
            if arrived is not None:
                delays[kind].append(when - arrived)
    print(summary(delays[OFFER]), summary(delays[ACK]))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
