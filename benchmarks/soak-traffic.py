#!/usr/bin/python3
"""The soak run's traffic besides perfdhcp and atftp (soak.sh starts it inside its client namespace).

  soak-traffic.py rmp --iface IF --server-mac MAC --cnodes MAC,... --file NAME --sha256 HEX
                      --reads-per-second N --until EPOCH --log FILE
      HP boot ROMs, one after the other: each identifies the server, asks for FILE, reads it
      through lock-step read requests (at most N a second, all cnodes together), checks its
      sha256 and says boot complete; frames crafted with scapy by itests' rmp_client.py. One log
      line per boot: "EPOCH ok|fail cnode what".

  soak-traffic.py malformed --iface IF --server-ip IP --server-mac MAC --cnode MAC --tftp-file NAME
                      --server-pid PID --percent P --until EPOCH --status FILE
      Malformed DHCP datagrams (ports 67 and 4011), TFTP datagrams (port 69) and RMP frames, a
      third each, as many as make P % of the packets the server's namespace receives: its
      interfaces' receive counters, read through /proc/PID/net/dev, count the malformed ones
      too. Every second FILE is replaced by one line "sent dhcp tftp rmp received".

Needs root (AF_PACKET). Sends only on the interface and to the server it is given. Every loop
ends at --until.
"""
import argparse
import hashlib
import os
import random
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "itests", "src", "test",
                                "resources"))
import rmp_client  # noqa: E402  (the boot ROM the integration tests play)

READ_SIZE = 1482


# ------------------------------------------------------------------------------------------ RMP
def rmp(args):
    port = rmp_client.Port(args.iface)
    server = rmp_client.mac_bytes(args.server_mac)
    cnodes = [rmp_client.mac_bytes(m) for m in args.cnodes.split(",")]
    interval = 1.0 / args.reads_per_second
    next_read = time.monotonic()
    boots = 0
    with open(args.log, "a", buffering=1) as log:
        while time.time() < args.until:
            source = cnodes[boots % len(cnodes)]
            boots += 1
            client = rmp_client.Client(port, server, rmp_client.scapy_frame, source=source, timeout=1.0, tries=3)
            try:
                size, next_read = boot(client, server, args, interval, next_read)
                log.write("%d ok %s %d bytes, %d retries\n" % (time.time(), rmp_client.mac_text(source), size,
                                                               client.retries))
            except Deadline:
                break
            except (RuntimeError, ValueError, struct.error, OSError) as failure:
                log.write("%d fail %s %s\n" % (time.time(), rmp_client.mac_text(source),
                                               str(failure).replace("\n", " ")[:200]))
                time.sleep(1)
                next_read = time.monotonic()


class Deadline(Exception):
    """The run ended in the middle of a boot: neither a success nor a failure."""


def boot(client, server, args, interval, next_read):
    """One boot ROM's session; returns the bytes read and when the next read may go out."""
    identify = client.boot(0, 0xFFFF, "")
    if identify is None or identify["retcode"] != "OKAY":
        raise RuntimeError("identify: %s" % identify)
    reply = client.boot(1, 0, args.file, dst=server)
    if reply is None or reply["retcode"] != "OKAY":
        raise RuntimeError("boot request: %s" % reply)
    session, offset, digest = reply["session"], 0, hashlib.sha256()
    while True:
        if time.time() >= args.until:
            raise Deadline()
        now = time.monotonic()
        if next_read > now:
            time.sleep(next_read - now)
        next_read = max(next_read + interval, time.monotonic() - 1)
        header, data = client.read(offset, session, READ_SIZE)
        if header is None:
            raise RuntimeError("no read reply at offset %d" % offset)
        if header["retcode"] == "EOF":
            break
        if header["retcode"] != "OKAY" or header["offset"] != offset:
            raise RuntimeError("read at %d answered %s" % (offset, header))
        digest.update(data)
        offset += len(data)
    if digest.hexdigest() != args.sha256:
        raise RuntimeError("corrupt: %d bytes with sha256 %s" % (offset, digest.hexdigest()))
    client.port.send(rmp_client.scapy_frame(server, client.source, rmp_client.boot_done(session)))
    return offset, next_read


# ------------------------------------------------------------------------------------ malformed
def dhcp_templates():
    """A PXE DISCOVER and a REQUEST as firmware sends them, built once with scapy."""
    from scapy.all import BOOTP, DHCP
    mac = bytes([0x02, 0x5A, 0xBA, 0xD0, 0, 1])
    options = [("vendor_class_id", b"PXEClient:Arch:00000:UNDI:002001"), ("client_id", b"\x01" + mac)]
    discover = BOOTP(op=1, chaddr=mac + bytes(10), xid=0x5A5A5A5A, flags=0x8000) / DHCP(
        options=[("message-type", "discover")] + options + ["end"])
    request = BOOTP(op=1, chaddr=mac + bytes(10), xid=0x5A5A5A5B) / DHCP(
        options=[("message-type", "request"), ("requested_addr", "192.0.2.77")] + options + ["end"])
    return bytes(discover), bytes(request)


def new_mac():
    """A random unicast, locally administered MAC (never a group address)."""
    return bytes([(random.randrange(256) & 0xFC) | 0x02] + [random.randrange(256) for _ in range(5)])


def bad_dhcp(discover, request):
    """A datagram no DHCP server should act on."""
    base = bytearray(random.choice((discover, request)))
    base[28:34] = new_mac()                       # chaddr, so no two look alike
    kind = random.randrange(8)
    if kind == 0:                                  # noise
        return os.urandom(random.randrange(0, 700))
    if kind == 1:                                  # cut short, in the fixed header or the options
        return bytes(base[:random.randrange(1, len(base))])
    if kind == 2:                                  # wrong magic cookie
        base[236:240] = os.urandom(4)
        return bytes(base)
    if kind == 3:                                  # last option's length runs past the end
        return bytes(base[:-1]) + bytes([random.choice((43, 60, 77, 97)), 255]) + os.urandom(random.randrange(0, 8))
    if kind == 4:                                  # a reply (op 2) sent to the server
        base[0] = 2
        return bytes(base)
    if kind == 5:                                  # impossible hardware address length
        base[2] = random.choice((0, 17, 255))
        return bytes(base)
    if kind == 6:                                  # message type missing or out of range
        cut = base.index(53, 240)
        base[cut + 2] = random.choice((0, 19, 200, 255))
        return bytes(base)
    for _ in range(random.randrange(1, 12)):       # bytes flipped anywhere
        base[random.randrange(len(base))] ^= 1 << random.randrange(8)
    return bytes(base)


def bad_tftp(existing):
    """A datagram to port 69 that must not start a transfer of anything it should not."""
    kind = random.randrange(9)
    if kind == 0:
        return os.urandom(random.randrange(0, 600))
    if kind == 1:
        return b""
    if kind == 2:                                  # RRQ cut before its terminators
        whole = b"\x00\x01" + existing.encode() + b"\x00octet\x00"
        return whole[:random.randrange(2, len(whole) - 1)]
    if kind == 3:
        return b"\x00\x01" + existing.encode() + b"\x00bogus\x00"
    if kind == 4:                                  # unknown opcodes
        return struct.pack(">H", random.choice((0, 7, 8, 255, 65535))) + os.urandom(random.randrange(0, 40))
    if kind == 5:                                  # DATA, ACK, ERROR, OACK where a request belongs
        return struct.pack(">HH", random.choice((3, 4, 5, 6)), random.randrange(65536)) + os.urandom(
            random.randrange(0, 512))
    if kind == 6:                                  # options without values, or with nonsense ones
        options = random.choice((b"blksize\x00abc\x00", b"blksize\x00\x00", b"blksize\x00",
                                 b"windowsize\x000\x00", b"tsize\x00-1\x00", b"timeout\x000\x00",
                                 b"blksize\x0099999999999999999999\x00", b"blksize\x007\x00",
                                 b"\x00\x00\x00\x00"))
        return b"\x00\x01" + existing.encode() + b"\x00octet\x00" + options
    if kind == 7:                                  # names that lead nowhere
        name = random.choice((b"../../../../etc/passwd", b"/etc/shadow", b"missing-" + os.urandom(4).hex().encode(),
                              b"A" * 600, b"\x1b[2J\x1b]0;pwned\x07"))
        return b"\x00\x01" + name + b"\x00octet\x00"
    whole = bytearray(b"\x00\x01" + existing.encode() + b"\x00octet\x00blksize\x001468\x00")
    for _ in range(random.randrange(1, 6)):
        whole[random.randrange(len(whole))] = random.randrange(256)
    return bytes(whole)


def bad_rmp(server, cnode):
    """An 802.3 frame to the RMP server that no boot ROM would send."""
    source = cnode if random.random() < 0.5 else new_mac()
    kind = random.randrange(8)
    if kind == 0:                                  # boot request cut short
        rmp = rmp_client.boot_request(random.randrange(1 << 32), 0, "SOAKRMP")
        rmp = rmp[:random.randrange(1, len(rmp))]
    elif kind == 1:                                # file name length past the end
        rmp = rmp_client.boot_request(7, 0, "SOAK")
        rmp = rmp[:30] + bytes([255]) + rmp[31:]
    elif kind == 2:                                # unknown packet type
        rmp = bytes([random.choice((0, 4, 5, 64, 128, 131, 255))]) + os.urandom(random.randrange(0, 40))
    elif kind == 3:                                # read from a session nobody opened, or of silly sizes
        rmp = rmp_client.read_request(random.randrange(1 << 32), random.randrange(1, 0xFFFF),
                                      random.choice((0, 1, 1500, 0xFFFF)))
    elif kind == 4:                                # boot complete for a session nobody opened
        rmp = rmp_client.boot_done(random.randrange(0xFFFF))
    elif kind == 5:                                # noise after the headers
        rmp = os.urandom(random.randrange(0, 1480))
    else:
        rmp = rmp_client.boot_request(3, 0xFFFF, "")
    frame = bytearray(rmp_client.raw_frame(server, source, rmp))
    if kind == 6:                                  # not the HP SAPs, or not LLC UI
        position = random.choice((14, 15, 16, 20, 21, 22, 23))
        frame[position] ^= 0xFF
    if kind == 7:                                  # 802.3 length field that lies
        frame[12:14] = struct.pack(">H", random.choice((0, 3, 9, 1500, 0x05FF)))
    return bytes(frame)


def received(server_pid):
    """Packets received on the server namespace's interfaces (not loopback) so far."""
    total = 0
    with open("/proc/%d/net/dev" % server_pid) as dev:
        for line in dev.readlines()[2:]:
            name, counters = line.split(":", 1)
            if name.strip() != "lo":
                total += int(counters.split()[1])
    return total


def malformed(args):
    discover, request = dhcp_templates()
    server_mac = rmp_client.mac_bytes(args.server_mac)
    cnode = rmp_client.mac_bytes(args.cnode)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.setblocking(False)
    raw = rmp_client.Port(args.iface).sock
    raw.setblocking(False)
    sent = {"dhcp": 0, "tftp": 0, "rmp": 0}
    start = received(args.server_pid)
    next_status = 0.0
    while time.time() < args.until:
        now = time.monotonic()
        seen = received(args.server_pid) - start
        owed = min(int(seen * args.percent / 100) - sum(sent.values()), 50)
        for _ in range(max(owed, 0)):
            kind = random.choice(("dhcp", "tftp", "rmp"))
            try:
                if kind == "dhcp":
                    udp.sendto(bad_dhcp(discover, request), (args.server_ip, random.choice((67, 4011))))
                elif kind == "tftp":
                    udp.sendto(bad_tftp(args.tftp_file), (args.server_ip, 69))
                else:
                    raw.send(bad_rmp(server_mac, cnode))
                sent[kind] += 1
            except (BlockingIOError, ConnectionRefusedError):
                pass                               # a full buffer or an ICMP error: the next tick sends
        drain(udp)
        drain(raw)
        if now >= next_status:
            next_status = now + 1
            write_status(args.status, sent, seen)
        time.sleep(0.02)
    write_status(args.status, sent, received(args.server_pid) - start)


def drain(sock):
    """Throw away what the server answered (TFTP errors, RMP replies) so buffers never fill."""
    for _ in range(1000):
        try:
            sock.recv(65536)
        except (BlockingIOError, ConnectionRefusedError):
            return


def write_status(path, sent, seen):
    with open(path + ".tmp", "w") as status:
        status.write("%d %d %d %d %d\n" % (sum(sent.values()), sent["dhcp"], sent["tftp"], sent["rmp"], seen))
    os.replace(path + ".tmp", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    for mode in ("rmp", "malformed"):
        p = sub.add_parser(mode)
        p.add_argument("--iface", required=True)
        p.add_argument("--server-mac", required=True)
        p.add_argument("--until", type=float, required=True)
    p = sub.choices["rmp"]
    p.add_argument("--cnodes", required=True)
    p.add_argument("--file", required=True)
    p.add_argument("--sha256", required=True)
    p.add_argument("--reads-per-second", type=float, required=True)
    p.add_argument("--log", required=True)
    p = sub.choices["malformed"]
    p.add_argument("--server-ip", required=True)
    p.add_argument("--cnode", required=True)
    p.add_argument("--tftp-file", required=True)
    p.add_argument("--server-pid", type=int, required=True)
    p.add_argument("--percent", type=float, required=True)
    p.add_argument("--status", required=True)
    args = parser.parse_args()
    rmp(args) if args.mode == "rmp" else malformed(args)


if __name__ == "__main__":
    main()
