package org.diskless.dhcp.codec;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.diskless.api.HardwareAddress;

/**
 * One DHCP message (RFC 2131 section 2): the fixed BOOTP header and its {@link DhcpOptions}.
 * Immutable and checked when built.
 *
 * <p>{@code sname} and {@code file} are kept as their raw 64 and 128 bytes; read as strings they
 * end at the first NUL. A decoded message whose fields were overloaded with options (option 52)
 * has them empty: their content is in {@link #options()}.
 *
 * <p>A message without the RFC 1048 magic cookie is a plain BOOTP message (RFC 951): its vendor
 * area is opaque, so it carries no options. A reply to it speaks RFC 1048 all the same (cookie and
 * options, as ISC dhcpd and Kea answer BOOTP) unless that vendor area held another vendor's format:
 * klibc's ipconfig, what Debian's initramfs runs for {@code ip=bootp}, sends a bare 236-byte header
 * and reads the options of the reply.
 *
 * <p>A reply made with {@link #replyTo(DhcpMessage)} also remembers what the client asked for in
 * option 55 and 57 (a BOOTP client, which has no option 57, takes a reply as large as the request
 * it sent, as ISC dhcpd reads it), so the encoder can order options and respect its size; these
 * hints are not sent and not part of {@link #equals}.
 */
public final class DhcpMessage {

    public static final int CHADDR_SIZE = 16;
    public static final int SNAME_SIZE = 64;
    public static final int FILE_SIZE = 128;
    /** The flag bit asking the server to broadcast its reply (RFC 2131 figure 2). */
    public static final int BROADCAST_FLAG = 0x8000;

    private static final Inet4Address ANY = DhcpOptions.ANY;
    /**
     * Request options every reply carries back unaltered: the client identifier, by which a
     * client (or a relay serving many) tells a reply meant for it (RFC 6842), and the relay
     * agent information the relay needs to forward the reply (RFC 3046).
     */
    private static final int[] ECHOED_OPTIONS = {DhcpOptions.CLIENT_IDENTIFIER, DhcpOptions.RELAY_AGENT_INFORMATION};
    // All-zero fields shared by every message that leaves them so; no field array is ever written
    // once a builder holds it (setters replace arrays), so builders and messages share them freely.
    private static final byte[] NO_CHADDR = new byte[CHADDR_SIZE];
    private static final byte[] NO_SNAME = new byte[SNAME_SIZE];
    private static final byte[] NO_FILE = new byte[FILE_SIZE];

    private final DhcpOp op;
    private final int htype;
    private final int hlen;
    private final int hops;
    private final int xid;
    private final int secs;
    private final int flags;
    private final Inet4Address ciaddr;
    private final Inet4Address yiaddr;
    private final Inet4Address siaddr;
    private final Inet4Address giaddr;
    private final byte[] chaddr;
    private final byte[] sname;
    private final byte[] file;
    private final boolean magicCookie;
    private final DhcpOptions options;
    private final List<Integer> clientParameterRequestList;
    private final int clientMaxMessageSize;
    private final int receivedSize;
    private final boolean foreignVendorArea;
    private final List<String> decodeNotes;

    private DhcpMessage(Builder b) {
        this.op = Objects.requireNonNull(b.op, "op");
        this.htype = DhcpOptions.checkRange(b.htype, 0, 255, "htype");
        this.hlen = DhcpOptions.checkRange(b.hlen, 0, CHADDR_SIZE, "hlen");
        this.hops = DhcpOptions.checkRange(b.hops, 0, 255, "hops");
        this.xid = b.xid;
        this.secs = DhcpOptions.checkRange(b.secs, 0, 0xFFFF, "secs");
        this.flags = DhcpOptions.checkRange(b.flags, 0, 0xFFFF, "flags");
        this.ciaddr = Objects.requireNonNull(b.ciaddr, "ciaddr");
        this.yiaddr = Objects.requireNonNull(b.yiaddr, "yiaddr");
        this.siaddr = Objects.requireNonNull(b.siaddr, "siaddr");
        this.giaddr = Objects.requireNonNull(b.giaddr, "giaddr");
        this.chaddr = b.chaddr;
        this.sname = b.sname;
        this.file = b.file;
        this.options = b.changedOptions != null ? b.changedOptions.build() : Objects.requireNonNull(b.options, "options");
        this.magicCookie = b.magicCookie;
        if (!magicCookie && options.size() > 0) {
            throw new IllegalArgumentException("a message without the magic cookie has no options (RFC 951 vendor"
                    + " area), but " + options + " were set");
        }
        this.clientParameterRequestList = b.clientParameterRequestList; // set from a request's options only: immutable
        this.clientMaxMessageSize = b.clientMaxMessageSize;
        this.receivedSize = b.receivedSize;
        this.foreignVendorArea = b.foreignVendorArea;
        this.decodeNotes = List.copyOf(b.decodeNotes);
    }

    /** A new message; op defaults to BOOTREQUEST, htype/hlen to Ethernet, addresses to 0.0.0.0. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A reply to {@code request} (RFC 2131 table 3): BOOTREPLY with the request's xid, flags,
     * giaddr, htype, hlen and chaddr, the client identifier (option 61, RFC 6842) and option 82
     * (RFC 3046) echoed unaltered, and the client's option 55 and 57 kept as encoding hints. The
     * caller sets the message type and the rest. A reply to a request whose vendor area is
     * another vendor's format has no magic cookie, and so no options ({@link #takesVendorExtensions}).
     */
    public static Builder replyTo(DhcpMessage request) {
        Builder reply = new Builder()
                .op(DhcpOp.BOOTREPLY)
                .htype(request.htype)
                .xid(request.xid)
                .flags(request.flags)
                .giaddr(request.giaddr)
                .magicCookie(request.takesVendorExtensions());
        reply.hlen = request.hlen;
        reply.chaddr = request.chaddr;
        reply.clientParameterRequestList = request.options.parameterRequestList();
        reply.clientMaxMessageSize = request.options.maxMessageSize().orElse(
                request.isBootp() && request.receivedSize > 0 ? request.receivedSize + DhcpEncoder.IP_UDP_OVERHEAD : 0);
        for (int code : ECHOED_OPTIONS) {
            byte[] value = request.options.raw(code);
            if (value != null) {
                // Straight into the builder the caller's options(...) calls add to.
                reply.options(o -> o.adopt(code, value));
            }
        }
        return reply;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.op = op;
        b.htype = htype;
        b.hlen = hlen;
        b.hops = hops;
        b.xid = xid;
        b.secs = secs;
        b.flags = flags;
        b.ciaddr = ciaddr;
        b.yiaddr = yiaddr;
        b.siaddr = siaddr;
        b.giaddr = giaddr;
        b.chaddr = chaddr;
        b.sname = sname;
        b.file = file;
        b.magicCookie = magicCookie;
        b.options = options;
        b.clientParameterRequestList = clientParameterRequestList;
        b.clientMaxMessageSize = clientMaxMessageSize;
        b.receivedSize = receivedSize;
        b.foreignVendorArea = foreignVendorArea;
        return b;
    }

    public DhcpOp op() {
        return op;
    }

    public int htype() {
        return htype;
    }

    public int hlen() {
        return hlen;
    }

    public int hops() {
        return hops;
    }

    public int xid() {
        return xid;
    }

    public int secs() {
        return secs;
    }

    public int flags() {
        return flags;
    }

    public boolean isBroadcast() {
        return (flags & BROADCAST_FLAG) != 0;
    }

    public Inet4Address ciaddr() {
        return ciaddr;
    }

    public Inet4Address yiaddr() {
        return yiaddr;
    }

    public Inet4Address siaddr() {
        return siaddr;
    }

    public Inet4Address giaddr() {
        return giaddr;
    }

    /** True when a relay agent forwarded the message (giaddr set). */
    public boolean isRelayed() {
        return !giaddr.equals(ANY);
    }

    /** All 16 bytes of chaddr. */
    public byte[] chaddr() {
        return chaddr.clone();
    }

    /** The first {@code hlen} bytes of chaddr with htype; empty when hlen is 0. */
    public Optional<HardwareAddress> hardwareAddress() {
        return hlen == 0 ? Optional.empty() : Optional.of(HardwareAddress.of(htype, Arrays.copyOf(chaddr, hlen)));
    }

    /** The sname field up to its first NUL. */
    public String serverName() {
        return string(sname);
    }

    /** The file field up to its first NUL. */
    public String bootFileName() {
        return string(file);
    }

    public byte[] snameBytes() {
        return sname.clone();
    }

    public byte[] fileBytes() {
        return file.clone();
    }

    boolean snameEmpty() {
        return isZero(sname);
    }

    boolean fileEmpty() {
        return isZero(file);
    }

    // Without copies, for the encoder.
    byte[] rawChaddr() {
        return chaddr;
    }

    byte[] rawSname() {
        return sname;
    }

    byte[] rawFile() {
        return file;
    }

    public DhcpOptions options() {
        return options;
    }

    /**
     * Whether the vendor area starts with the RFC 1048 magic cookie 99.130.83.99, the options
     * area of every DHCP message and of BOOTP messages with vendor extensions (RFC 1497). Without
     * it the message is plain RFC 951 BOOTP and carries no options.
     */
    public boolean hasMagicCookie() {
        return magicCookie;
    }

    /**
     * Whether a reply may carry RFC 1497 vendor extensions: the message has the magic cookie, or a
     * vendor area that is absent or all zeros. A vendor area that holds something else is a vendor's
     * own format (CMU's, say), which RFC 1048 options would only garble.
     */
    public boolean takesVendorExtensions() {
        return magicCookie || !foreignVendorArea;
    }

    /** BOOTP rather than DHCP: no message type (option 53), whether or not it has the magic cookie. */
    public boolean isBootp() {
        return options.messageType().isEmpty();
    }

    /** Shortcut for {@code options().messageType()}. */
    public Optional<DhcpMessageType> messageType() {
        return options.messageType();
    }

    /** The client's option 55 remembered by {@link #replyTo}; empty otherwise. */
    public List<Integer> clientParameterRequestList() {
        return clientParameterRequestList;
    }

    /**
     * The largest IP datagram the client takes, remembered by {@link #replyTo}: its option 57, or
     * for a BOOTP client the size of its request with the IP and UDP headers; 0 when unknown.
     */
    public int clientMaxMessageSize() {
        return clientMaxMessageSize;
    }

    /**
     * What the decoder left out of this message and why (options of an impossible length), for
     * the log; the message is still served.
     */
    public List<String> decodeNotes() {
        return decodeNotes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpMessage m && op == m.op && htype == m.htype && hlen == m.hlen && hops == m.hops
                && xid == m.xid && secs == m.secs && flags == m.flags && ciaddr.equals(m.ciaddr)
                && yiaddr.equals(m.yiaddr) && siaddr.equals(m.siaddr) && giaddr.equals(m.giaddr)
                && Arrays.equals(chaddr, m.chaddr) && Arrays.equals(sname, m.sname) && Arrays.equals(file, m.file)
                && magicCookie == m.magicCookie && options.equals(m.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, xid, Arrays.hashCode(chaddr), options);
    }

    @Override
    public String toString() {
        return "DhcpMessage[" + op + " " + options.messageType().map(Enum::name).orElse(magicCookie ? "BOOTP" : "BOOTP-plain")
                + String.format(Locale.ROOT, " xid=%08x", xid) + " chaddr=" + hardwareAddress().map(Object::toString).orElse("-")
                + " ciaddr=" + ciaddr.getHostAddress() + " yiaddr=" + yiaddr.getHostAddress()
                + " siaddr=" + siaddr.getHostAddress() + " giaddr=" + giaddr.getHostAddress()
                + (snameEmpty() ? "" : " sname=" + serverName()) + (fileEmpty() ? "" : " file=" + bootFileName())
                + " options=" + options + "]";
    }

    private static String string(byte[] field) {
        int end = 0;
        while (end < field.length && field[end] != 0) {
            end++;
        }
        return new String(field, 0, end, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] field) {
        for (byte b : field) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Builds a message; every setter checks its range, {@link #build()} checks the rest. */
    public static final class Builder {

        private DhcpOp op = DhcpOp.BOOTREQUEST;
        private int htype = HardwareAddress.ETHERNET;
        private int hlen = 6;
        private int hops;
        private int xid;
        private int secs;
        private int flags;
        private Inet4Address ciaddr = ANY;
        private Inet4Address yiaddr = ANY;
        private Inet4Address siaddr = ANY;
        private Inet4Address giaddr = ANY;
        private byte[] chaddr = NO_CHADDR;
        private byte[] sname = NO_SNAME;
        private byte[] file = NO_FILE;
        private boolean magicCookie = true;
        private DhcpOptions options = DhcpOptions.empty();
        /** What {@link #options(Consumer)} changed, built once in {@link #build()} rather than once per change. */
        private DhcpOptions.Builder changedOptions;
        private List<Integer> clientParameterRequestList = List.of();
        private int clientMaxMessageSize;
        private int receivedSize;
        private boolean foreignVendorArea;
        private List<String> decodeNotes = List.of();

        private Builder() {
        }

        public Builder op(DhcpOp op) {
            this.op = Objects.requireNonNull(op, "op");
            return this;
        }

        public Builder htype(int htype) {
            this.htype = DhcpOptions.checkRange(htype, 0, 255, "htype");
            return this;
        }

        public Builder hops(int hops) {
            this.hops = DhcpOptions.checkRange(hops, 0, 255, "hops");
            return this;
        }

        public Builder xid(int xid) {
            this.xid = xid;
            return this;
        }

        public Builder secs(int secs) {
            this.secs = DhcpOptions.checkRange(secs, 0, 0xFFFF, "secs");
            return this;
        }

        public Builder flags(int flags) {
            this.flags = DhcpOptions.checkRange(flags, 0, 0xFFFF, "flags");
            return this;
        }

        public Builder broadcast(boolean broadcast) {
            this.flags = broadcast ? flags | BROADCAST_FLAG : flags & ~BROADCAST_FLAG;
            return this;
        }

        public Builder ciaddr(Inet4Address address) {
            this.ciaddr = Objects.requireNonNull(address, "ciaddr");
            return this;
        }

        public Builder yiaddr(Inet4Address address) {
            this.yiaddr = Objects.requireNonNull(address, "yiaddr");
            return this;
        }

        public Builder siaddr(Inet4Address address) {
            this.siaddr = Objects.requireNonNull(address, "siaddr");
            return this;
        }

        public Builder giaddr(Inet4Address address) {
            this.giaddr = Objects.requireNonNull(address, "giaddr");
            return this;
        }

        /** Sets htype, hlen and chaddr from the address. */
        public Builder hardwareAddress(HardwareAddress address) {
            this.htype = address.type();
            this.hlen = address.length();
            this.chaddr = Arrays.copyOf(address.toByteArray(), CHADDR_SIZE);
            return this;
        }

        /** Raw chaddr (up to 16 bytes, zero-padded) and hlen, for what {@link HardwareAddress} cannot say. */
        public Builder chaddr(byte[] chaddr, int hlen) {
            DhcpOptions.checkRange(chaddr.length, 0, CHADDR_SIZE, "chaddr length");
            this.hlen = DhcpOptions.checkRange(hlen, 0, CHADDR_SIZE, "hlen");
            this.chaddr = Arrays.copyOf(chaddr, CHADDR_SIZE);
            return this;
        }

        /** The sname field as a NUL-terminated string of at most 63 bytes. */
        public Builder serverName(String name) {
            this.sname = field(name, SNAME_SIZE, "server name (sname)");
            return this;
        }

        /** The file field as a NUL-terminated string of at most 127 bytes. */
        public Builder bootFileName(String name) {
            this.file = field(name, FILE_SIZE, "boot file name (file)");
            return this;
        }

        /** sname raw, up to 64 bytes, zero-padded. */
        public Builder snameBytes(byte[] raw) {
            DhcpOptions.checkRange(raw.length, 0, SNAME_SIZE, "sname length");
            this.sname = Arrays.copyOf(raw, SNAME_SIZE);
            return this;
        }

        /** file raw, up to 128 bytes, zero-padded. */
        public Builder fileBytes(byte[] raw) {
            DhcpOptions.checkRange(raw.length, 0, FILE_SIZE, "file length");
            this.file = Arrays.copyOf(raw, FILE_SIZE);
            return this;
        }

        /**
         * Whether the vendor area starts with the magic cookie (the default); without it the
         * message is plain RFC 951 BOOTP and may carry no options.
         */
        public Builder magicCookie(boolean present) {
            this.magicCookie = present;
            return this;
        }

        public Builder options(DhcpOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            this.changedOptions = null;
            return this;
        }

        /**
         * Adds to the options already set: {@code builder.options(o -> o.messageType(OFFER))}. Keeps
         * what {@link #replyTo} copied.
         */
        public Builder options(Consumer<DhcpOptions.Builder> change) {
            if (changedOptions == null) {
                changedOptions = options.toBuilder();
            }
            change.accept(changedOptions);
            return this;
        }

        /** The size of the datagram a decoded message came in; a BOOTP client takes replies that large. */
        Builder receivedSize(int size) {
            this.receivedSize = size;
            return this;
        }

        /** A decoded message without the cookie whose vendor area was not all zeros. */
        Builder foreignVendorArea(boolean foreign) {
            this.foreignVendorArea = foreign;
            return this;
        }

        Builder decodeNotes(List<String> notes) {
            this.decodeNotes = notes;
            return this;
        }

        Builder hlen(int hlen) {
            this.hlen = DhcpOptions.checkRange(hlen, 0, CHADDR_SIZE, "hlen");
            return this;
        }

        public DhcpMessage build() {
            return new DhcpMessage(this);
        }

        private static byte[] field(String value, int size, String what) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length >= size) {
                throw new IllegalArgumentException(what + " must fit in " + (size - 1) + " bytes, '"
                        + value + "' has " + bytes.length);
            }
            return Arrays.copyOf(bytes, size);
        }
    }
}
