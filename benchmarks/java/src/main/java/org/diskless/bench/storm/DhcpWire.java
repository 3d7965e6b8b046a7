package org.diskless.bench.storm;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The DHCP messages of a BIOS PXE ROM (RFC 2131, PXE 2.1), written and read here rather than with
 * the server's own codec, so that the benchmark's client does not share a misreading with the
 * server it measures.
 *
 * <p>What the ROM sends is what a PXE 2.1 ROM sends (an Intel-style option list, client system
 * architecture 0, UNDI 2.1, a UUID), with the broadcast flag set: a ROM has no address to take a
 * unicast reply on.
 */
final class DhcpWire {

    static final int DISCOVER = 1;
    static final int OFFER = 2;
    static final int REQUEST = 3;
    static final int ACK = 5;
    static final int NAK = 6;

    static final String PXE_VENDOR_CLASS = "PXEClient:Arch:00000:UNDI:002001";

    private static final int MAGIC_COOKIE = 0x63825363;
    private static final int HEADER = 236;
    private static final int SNAME = 44;
    private static final int FILE = 108;
    private static final int BROADCAST = 0x8000;
    private static final byte[] PARAMETERS = {1, 2, 3, 4, 5, 6, 12, 13, 15, 17, 18, 22, 23, 28, 40, 41, 42, 43, 50, 51,
            54, 58, 59, 60, 66, 67, 97, (byte) 128, (byte) 129, (byte) 130, (byte) 131, (byte) 132, (byte) 133,
            (byte) 134, (byte) 135};

    private DhcpWire() {
    }

    static ByteBuffer discover(int xid, byte[] mac, byte[] uuid, int secs) {
        return message(DISCOVER, xid, mac, uuid, secs, null, null);
    }

    static ByteBuffer request(int xid, byte[] mac, byte[] uuid, int secs, Inet4Address requested, Inet4Address server) {
        return message(REQUEST, xid, mac, uuid, secs, requested, server);
    }

    private static ByteBuffer message(int type, int xid, byte[] mac, byte[] uuid, int secs,
                                      Inet4Address requested, Inet4Address server) {
        ByteBuffer b = ByteBuffer.allocate(548);
        b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0);
        b.putInt(xid);
        b.putShort((short) Math.min(secs, 0xffff)).putShort((short) BROADCAST);
        b.position(28).put(mac);
        b.position(HEADER).putInt(MAGIC_COOKIE);
        option(b, 53, new byte[] {(byte) type});
        if (requested != null) {
            option(b, 50, requested.getAddress());
        }
        if (server != null) {
            option(b, 54, server.getAddress());
        }
        option(b, 57, new byte[] {0x05, (byte) 0xc0}); // 1472, the largest message a PXE ROM takes
        option(b, 55, PARAMETERS);
        option(b, 93, new byte[] {0, 0});              // client system architecture: x86 BIOS
        option(b, 94, new byte[] {1, 2, 1});           // UNDI 2.1
        byte[] guid = new byte[17];
        System.arraycopy(uuid, 0, guid, 1, 16);
        option(b, 97, guid);
        option(b, 60, PXE_VENDOR_CLASS.getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 255);
        // BOOTP relays and old servers expect at least 300 bytes.
        b.limit(Math.max(b.position(), 300)).position(0);
        return b;
    }

    private static void option(ByteBuffer b, int code, byte[] value) {
        b.put((byte) code).put((byte) value.length).put(value);
    }

    /** A server's reply, as far as a PXE ROM reads it. */
    record Reply(int xid, ByteBuffer chaddr, int type, Inet4Address yiaddr, Inet4Address siaddr,
                 Optional<Inet4Address> serverId, Optional<String> bootFile, Optional<String> vendorClass,
                 Optional<MtftpChannel> mtftp) {

        /** The TFTP server: siaddr, as PXE ROMs take it, else the server identifier. */
        Optional<Inet4Address> nextServer() {
            return siaddr.isAnyLocalAddress() || siaddr.getAddress()[0] == 0 ? serverId : Optional.of(siaddr);
        }

        boolean forMac(byte[] mac) {
            return chaddr.equals(ByteBuffer.wrap(mac));
        }
    }

    /** Reads a BOOTREPLY; empty for anything else or anything malformed. */
    static Optional<Reply> parseReply(ByteBuffer datagram) {
        ByteBuffer b = datagram.slice();
        if (b.remaining() < HEADER + 4 || b.get(0) != 2 || b.getInt(HEADER) != MAGIC_COOKIE) {
            return Optional.empty();
        }
        Map<Integer, ByteArrayOutputStream> options = new HashMap<>();
        if (!readOptions(b.duplicate().position(HEADER + 4), options)) {
            return Optional.empty();
        }
        int overload = single(options, 52).orElse(0);
        boolean fileHoldsOptions = (overload & 1) != 0;
        boolean snameHoldsOptions = (overload & 2) != 0;
        // RFC 2131: overloaded fields are read after the options field, file first.
        if (fileHoldsOptions && !readOptions(b.duplicate().position(FILE).limit(FILE + 128), options)) {
            return Optional.empty();
        }
        if (snameHoldsOptions && !readOptions(b.duplicate().position(SNAME).limit(SNAME + 64), options)) {
            return Optional.empty();
        }
        Optional<Integer> type = single(options, 53);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> file = fileHoldsOptions ? Optional.empty() : text(b, FILE, 128);
        if (file.isEmpty()) {
            file = Optional.ofNullable(options.get(67)).map(o -> trimNul(o.toByteArray()));
        }
        return Optional.of(new Reply(b.getInt(4), b.duplicate().position(28).limit(34).slice(), type.get(),
                address(b, 16), address(b, 20),
                Optional.ofNullable(options.get(54)).filter(o -> o.size() == 4).map(o -> address(o.toByteArray())),
                file.filter(f -> !f.isEmpty()),
                Optional.ofNullable(options.get(60)).map(o -> trimNul(o.toByteArray())),
                Optional.ofNullable(options.get(43)).flatMap(o -> MtftpChannel.fromOption43(o.toByteArray()))));
    }

    /** Options until END or the end of the area; instances of one code are joined (RFC 3396). */
    private static boolean readOptions(ByteBuffer area, Map<Integer, ByteArrayOutputStream> into) {
        while (area.hasRemaining()) {
            int code = area.get() & 0xff;
            if (code == 0) {
                continue;
            }
            if (code == 255) {
                return true;
            }
            if (!area.hasRemaining()) {
                return false;
            }
            int length = area.get() & 0xff;
            if (area.remaining() < length) {
                return false;
            }
            byte[] value = new byte[length];
            area.get(value);
            into.computeIfAbsent(code, c -> new ByteArrayOutputStream()).writeBytes(value);
        }
        return true;
    }

    private static Optional<Integer> single(Map<Integer, ByteArrayOutputStream> options, int code) {
        return Optional.ofNullable(options.get(code)).filter(o -> o.size() == 1).map(o -> o.toByteArray()[0] & 0xff);
    }

    private static Optional<String> text(ByteBuffer b, int offset, int length) {
        byte[] raw = new byte[length];
        b.get(offset, raw);
        String s = trimNul(raw);
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static String trimNul(byte[] raw) {
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.US_ASCII);
    }

    private static Inet4Address address(ByteBuffer b, int offset) {
        byte[] raw = new byte[4];
        b.get(offset, raw);
        return address(raw);
    }

    static Inet4Address address(byte[] raw) {
        try {
            return (Inet4Address) InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + raw.length + " bytes", e);
        }
    }
}
