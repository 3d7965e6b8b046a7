#!/usr/bin/python3
"""What the host itself costs, for dhcp-bench.sh: the floor under the DHCP servers' delays.

  dhcp-bench-probe.py disk DIR SECONDS INTERVAL_US BYTES
      Writes BYTES at the end of what was written so far into a file in DIR, preallocated with
      zeros and synced first (as the lease journal is), and fdatasyncs it, every INTERVAL_US
      microseconds for SECONDS: the syncs a journal makes that groups the leases of INTERVAL_US
      into one sync. Times each write + fdatasync.
  dhcp-bench-probe.py echo-server PORT SECONDS
      Sends every UDP datagram it gets on PORT back to its sender, for SECONDS.
  dhcp-bench-probe.py echo-client HOST PORT SECONDS RATE
      Sends RATE datagrams a second to HOST:PORT for SECONDS and times each until its echo comes
      back: the delay the host's scheduling and network stack add to any request and answer
      between the same namespaces and cpus, with no server work at all.
  dhcp-bench-probe.py wire PCAP
      Reads a capture (classic pcap, Ethernet, as tcpdump -w writes it) taken on a DHCP server's
      side of the link and times DISCOVER->OFFER and REQUEST->ACK, each from the request's arrival
      to the first reply of that type with the same transaction id: what the server (its socket
      queue, its processing, its lease writes) cost, without the time replies then wait for the
      client to read them, which perfdhcp's own timestamps include. Prints two summaries, OFFER's
      then ACK's: "count p50 p99 max count p50 p99 max".

The disk and echo modes print one line: "count p50 p99 max" in milliseconds (echo: "count p50 p99 max
lost"); a probe that timed nothing prints "0 - - -".
"""
import math
import os
import selectors
import socket
import struct
import sys
import time


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
    """Nearest-rank percentile of an ascending list."""
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def summary(delays_ns):
    if not delays_ns:
        return "0 - - -"
    ordered = sorted(delays_ns)
    return "%d %.3f %.3f %.3f" % (len(ordered), percentile(ordered, 0.5) / 1e6, percentile(ordered, 0.99) / 1e6,
                                  ordered[-1] / 1e6)


def disk(directory, seconds, interval_us, size):
    interval = interval_us * 1000
    count = max(1, int(seconds * 1e9 // interval))
    path = os.path.join(directory, "disk-probe.journal")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        # Zeros up to the size the probe writes, synced: its syncs then write data only, like the
        # journal's into its preallocated file.
        os.write(fd, bytes(size * count))
        os.fsync(fd)
        record = os.urandom(size)
        delays = []
        next_due = time.monotonic_ns()
        for i in range(count):
            now = time.monotonic_ns()
            if next_due > now:
                time.sleep((next_due - now) / 1e9)
            start = time.monotonic_ns()
            os.pwrite(fd, record, i * size)
            os.fdatasync(fd)
            delays.append(time.monotonic_ns() - start)
            next_due += interval
        print(summary(delays))
    finally:
        os.close(fd)
        os.unlink(path)


def echo_server(port, seconds):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("0.0.0.0", port))
    sock.settimeout(0.2)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            data, sender = sock.recvfrom(2048)
        except socket.timeout:
            continue
        sock.sendto(data, sender)


def echo_client(host, port, seconds, rate):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.connect((host, port))
    sock.setblocking(False)
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ)
    interval = 1e9 / rate
    count = int(seconds * rate)
    delays = []
    start = time.monotonic_ns()
    sent = 0
    # A second's grace after the last send for the last echoes.
    end = start + int(seconds * 1e9) + 1_000_000_000
    padding = bytes(292)  # a DHCP message's size, about
    while True:
        now = time.monotonic_ns()
        if now >= end or (sent == count and len(delays) == count):
            break
        due = start + int(sent * interval)
        if sent < count and now >= due:
            sock.send(struct.pack("!q", now) + padding)
            sent += 1
            continue
        wait = (due - now) / 1e9 if sent < count else (end - now) / 1e9
        for _ in selector.select(timeout=max(0.0, wait)):
            while True:
                try:
                    data = sock.recv(2048)
                except BlockingIOError:
                    break
                delays.append(time.monotonic_ns() - struct.unpack("!q", data[:8])[0])
    print("%s %d" % (summary(delays), sent - len(delays)))


def wire(path):
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
                delays[kind].append((when - arrived) * 1e9)
    print(summary(delays[OFFER]), summary(delays[ACK]))


def main(args):
    if len(args) == 5 and args[0] == "disk":
        disk(args[1], float(args[2]), int(args[3]), int(args[4]))
    elif len(args) == 3 and args[0] == "echo-server":
        echo_server(int(args[1]), float(args[2]))
    elif len(args) == 2 and args[0] == "wire":
        wire(args[1])
    elif len(args) == 5 and args[0] == "echo-client":
        echo_client(args[1], int(args[2]), float(args[3]), int(args[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
