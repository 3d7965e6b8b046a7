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

Both timing modes print one line: "count p50 p99 max" in milliseconds (echo: "count p50 p99 max
lost"); a probe that timed nothing prints "0 - - -".
"""
import math
import os
import selectors
import socket
import struct
import sys
import time


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


def main(args):
    if len(args) == 5 and args[0] == "disk":
        disk(args[1], float(args[2]), int(args[3]), int(args[4]))
    elif len(args) == 3 and args[0] == "echo-server":
        echo_server(int(args[1]), float(args[2]))
    elif len(args) == 5 and args[0] == "echo-client":
        echo_client(args[1], int(args[2]), float(args[3]), int(args[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
