package org.diskless.dhcp.codec;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageEncoder;

/**
 * {@code AddressedEnvelope<DhcpMessage, InetSocketAddress>} to a datagram.
 *
 * <p>A reply's options go out as 53, 54, then those the client asked for in option 55 in its
 * order, then the rest as set, and 82 last (RFC 3046 2.2); a request's in the order they were set. A value longer than 255 bytes is split into several
 * options of the same code (RFC 3396). When the options do not fit the size the receiver takes,
 * they continue in the file and then the sname field if those are empty (option 52); if they
 * still do not fit, options are left out, first those the client did not ask for (last set first),
 * then those it asked for (last asked first). Message type, server identifier, lease times, subnet
 * mask and relay agent information are never left out. The message ends with end and is padded to
 * the 300 bytes of a BOOTP message, which some relays and ROMs insist on.
 *
 * <p>BOOTP replies (no option 53): a BOOTP client reads neither option 52 nor option 57, so its
 * reply never overloads file and sname, and is as large as the request it sent at most (at
 * least 300 bytes), as ISC dhcpd sizes them; options that do not fit are left out as above. A
 * message without the magic cookie goes out with the empty 64-byte vendor area of RFC 951.
 *
 * <p>Sizes: option 57 counts the IP and UDP headers, as RFC 2131's 576 does (20 + 8 + 236 + 312)
 * and ISC dhcpd reads it; so a client that says 1472 gets at most 1444 bytes of DHCP payload.
 */
@Sharable
public final class DhcpEncoder extends MessageToMessageEncoder<AddressedEnvelope<DhcpMessage, InetSocketAddress>> {

    /** Every DHCP client takes 576 bytes of IP datagram (RFC 2131 section 2). */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 576;
    /** IPv4 and UDP headers, which option 57 includes. */
    public static final int IP_UDP_OVERHEAD = 28;
    /** The BOOTP message size (RFC 951) we pad to. */
    public static final int MIN_MESSAGE_SIZE = 300;
    /** What the channel encoder sends at most: an Ethernet frame's UDP payload. */
    public static final int ETHERNET_MAX_PAYLOAD = 1500 - IP_UDP_OVERHEAD;

    private static final Set<Integer> ALWAYS_KEPT = Set.of(DhcpOptions.MESSAGE_TYPE, DhcpOptions.SERVER_IDENTIFIER,
            DhcpOptions.LEASE_TIME, DhcpOptions.RENEWAL_TIME, DhcpOptions.REBINDING_TIME, DhcpOptions.SUBNET_MASK,
            DhcpOptions.CLIENT_IDENTIFIER, DhcpOptions.RELAY_AGENT_INFORMATION);

    private static final int OPTIONS_OFFSET = DhcpDecoder.HEADER_SIZE + 4;

    private final int maxSize;

    /** Sends at most {@link #ETHERNET_MAX_PAYLOAD} bytes, less when the client says so. */
    public DhcpEncoder() {
        this(ETHERNET_MAX_PAYLOAD);
    }

    /** Sends at most {@code maxSize} bytes of UDP payload (the link's), less when the client says so. */
    public DhcpEncoder(int maxSize) {
        this.maxSize = checkMaxSize(maxSize);
    }

    /** Only envelopes of DHCP messages; anything else passes to the next handler. */
    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof AddressedEnvelope<?, ?> envelope && envelope.content() instanceof DhcpMessage;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, AddressedEnvelope<DhcpMessage, InetSocketAddress> envelope,
                          List<Object> out) {
        out.add(new DatagramPacket(encode(ctx.alloc(), envelope.content(), maxSize), envelope.recipient(),
                envelope.sender()));
    }

    /**
     * The largest UDP payload the receiver of {@code message} takes: for a reply, what the client
     * said in option 57 (kept by {@link DhcpMessage#replyTo}) less the IP and UDP headers, 548
     * when it said nothing or less than the 576 RFC 2132 makes the least; for a request, no limit of its own.
     */
    public static int receiverLimit(DhcpMessage message) {
        if (message.op() == DhcpOp.BOOTREQUEST) {
            return Integer.MAX_VALUE;
        }
        if (message.isBootp()) {
            return Math.max(MIN_MESSAGE_SIZE, message.clientMaxMessageSize() - IP_UDP_OVERHEAD);
        }
        return Math.max(DEFAULT_MAX_MESSAGE_SIZE, message.clientMaxMessageSize()) - IP_UDP_OVERHEAD;
    }

    /**
     * Encodes one message into a new buffer of at most {@code maxSize} bytes and at most
     * {@link #receiverLimit} bytes.
     *
     * @throws IllegalArgumentException when {@code maxSize} is below 300 bytes or the options
     *         that are never left out do not fit
     */
    public static ByteBuf encode(ByteBufAllocator alloc, DhcpMessage message, int maxSize) {
        int limit = Math.min(checkMaxSize(maxSize), receiverLimit(message));
        if (!message.hasMagicCookie()) {
            ByteBuf out = alloc.buffer(MIN_MESSAGE_SIZE);
            writeHeader(out, message);
            out.writeBytes(message.rawSname()).writeBytes(message.rawFile());
            return out.writeZero(MIN_MESSAGE_SIZE - out.writerIndex());
        }
        DhcpOptions options = message.options();
        int[] order = order(message);
        int optionsSize = 0;
        for (int code : order) {
            optionsSize += wireSize(options.raw(code).length);
        }
        if (OPTIONS_OFFSET + optionsSize + 1 <= limit) {
            // The usual case: every option fits the options field, written straight into the datagram.
            ByteBuf out = alloc.buffer(Math.max(MIN_MESSAGE_SIZE, OPTIONS_OFFSET + optionsSize + 1));
            writeHeader(out, message);
            out.writeBytes(message.rawSname()).writeBytes(message.rawFile()).writeInt(DhcpDecoder.MAGIC_COOKIE);
            for (int code : order) {
                writeOption(out, code, options.raw(code));
            }
            return end(out);
        }
        return encodeOverflowing(alloc, message, limit, order);
    }

    /** The options do not fit the options field: overload file and sname, then leave options out. */
    private static ByteBuf encodeOverflowing(ByteBufAllocator alloc, DhcpMessage message, int limit, int[] codes) {
        List<Integer> order = new ArrayList<>(codes.length);
        for (int code : codes) {
            order.add(code);
        }
        List<Integer> droppable = dropOrder(message, order);
        Layout layout;
        while ((layout = layout(message, order, limit)) == null) {
            if (droppable.isEmpty()) {
                throw new IllegalArgumentException("the options of " + message + " do not fit in " + limit
                        + " bytes even without those that may be left out");
            }
            order.remove(droppable.remove(0));
        }
        ByteBuf out = alloc.buffer(Math.max(MIN_MESSAGE_SIZE, layout.size()));
        writeHeader(out, message);
        writeField(out, layout, Layout.SNAME, message.rawSname());
        writeField(out, layout, Layout.FILE, message.rawFile());
        out.writeInt(DhcpDecoder.MAGIC_COOKIE);
        layout.areas.get(Layout.MAIN).forEach(chunk -> chunk.writeTo(out));
        if (layout.overload != 0) {
            out.writeByte(DhcpOptions.OVERLOAD).writeByte(1).writeByte(layout.overload);
        }
        return end(out);
    }

    /** op … chaddr. */
    private static void writeHeader(ByteBuf out, DhcpMessage message) {
        out.writeByte(message.op().code())
                .writeByte(message.htype())
                .writeByte(message.hlen())
                .writeByte(message.hops())
                .writeInt(message.xid())
                .writeShort(message.secs())
                .writeShort(message.flags())
                .writeInt(DhcpOptions.toInt(message.ciaddr()))
                .writeInt(DhcpOptions.toInt(message.yiaddr()))
                .writeInt(DhcpOptions.toInt(message.siaddr()))
                .writeInt(DhcpOptions.toInt(message.giaddr()))
                .writeBytes(message.rawChaddr());
    }

    /** End option and padding to the BOOTP size. */
    private static ByteBuf end(ByteBuf out) {
        out.writeByte(DhcpOptions.END);
        out.writeZero(Math.max(0, MIN_MESSAGE_SIZE - out.writerIndex()));
        return out;
    }

    /** Bytes an option takes on the wire: one code and length per 255 bytes of value (RFC 3396), at least one. */
    private static int wireSize(int length) {
        return length + 2 * Math.max(1, (length + 254) / 255);
    }

    private static void writeOption(ByteBuf out, int code, byte[] value) {
        int offset = 0;
        do {
            int length = Math.min(255, value.length - offset);
            out.writeByte(code).writeByte(length).writeBytes(value, offset, length);
            offset += length;
        } while (offset < value.length);
    }

    private static int checkMaxSize(int maxSize) {
        if (maxSize < MIN_MESSAGE_SIZE) {
            throw new IllegalArgumentException("a DHCP message needs at least " + MIN_MESSAGE_SIZE
                    + " bytes, not " + maxSize);
        }
        return maxSize;
    }

    /** A reply: 53, 54, what the client asked for in its order, the rest, 82. A request: as set. */
    private static int[] order(DhcpMessage message) {
        DhcpOptions options = message.options();
        int[] order = new int[options.size()];
        if (message.op() == DhcpOp.BOOTREQUEST) {
            for (int i = 0; i < order.length; i++) {
                order[i] = options.codeAt(i);
            }
            return order;
        }
        int placed = appendCode(order, 0, options, DhcpOptions.MESSAGE_TYPE);
        placed = appendCode(order, placed, options, DhcpOptions.SERVER_IDENTIFIER);
        for (int code : message.clientParameterRequestList()) {
            placed = appendCode(order, placed, options, code);
        }
        for (int i = 0; i < order.length; i++) {
            placed = appendCode(order, placed, options, options.codeAt(i));
        }
        if (options.contains(DhcpOptions.RELAY_AGENT_INFORMATION)) {
            order[placed] = DhcpOptions.RELAY_AGENT_INFORMATION;
        }
        return order;
    }

    /** Appends {@code code} when the message has it and it is not placed yet; 82 waits for the end. */
    private static int appendCode(int[] order, int placed, DhcpOptions options, int code) {
        if (code == DhcpOptions.RELAY_AGENT_INFORMATION || !options.contains(code)) {
            return placed;
        }
        for (int i = 0; i < placed; i++) {
            if (order[i] == code) {
                return placed;
            }
        }
        order[placed] = code;
        return placed + 1;
    }

    /** Unrequested options last set first, then requested ones last asked first. */
    private static List<Integer> dropOrder(DhcpMessage message, List<Integer> order) {
        List<Integer> requested = message.clientParameterRequestList();
        List<Integer> drop = new ArrayList<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            if (!requested.contains(order.get(i)) && !ALWAYS_KEPT.contains(order.get(i))) {
                drop.add(order.get(i));
            }
        }
        for (int i = requested.size() - 1; i >= 0; i--) {
            int code = requested.get(i);
            if (order.contains(code) && !ALWAYS_KEPT.contains(code) && !drop.contains(code)) {
                drop.add(code);
            }
        }
        return drop;
    }

    private record Chunk(int code, byte[] value, int offset, int length) {
        int size() {
            return 2 + length;
        }

        void writeTo(ByteBuf out) {
            out.writeByte(code).writeByte(length).writeBytes(value, offset, length);
        }
    }

    private static final class Layout {
        static final int MAIN = 0;
        static final int FILE = 1;
        static final int SNAME = 2;

        final List<List<Chunk>> areas = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int overload;
        int mainSize;

        int size() {
            return OPTIONS_OFFSET + mainSize + (overload != 0 ? 3 : 0) + 1;
        }
    }

    /** Places the options, overloading file and sname only when needed; null when they do not fit. */
    private static Layout layout(DhcpMessage message, List<Integer> order, int limit) {
        List<Chunk> chunks = new ArrayList<>();
        for (int code : order) {
            byte[] value = message.options().raw(code);
            int offset = 0;
            do {
                int length = Math.min(255, value.length - offset);
                chunks.add(new Chunk(code, value, offset, length));
                offset += length;
            } while (offset < value.length);
        }
        int mainCapacity = limit - OPTIONS_OFFSET - 1; // end
        Layout plain = place(chunks, new int[] {mainCapacity, 0, 0});
        if (plain != null || message.isBootp()) {
            return plain;
        }
        int file = message.fileEmpty() ? DhcpMessage.FILE_SIZE - 1 : 0; // each field ends with end
        int sname = message.snameEmpty() ? DhcpMessage.SNAME_SIZE - 1 : 0;
        int overloadedMain = mainCapacity - 3; // option 52 itself
        for (int[] capacity : List.of(new int[] {overloadedMain, file, 0}, new int[] {overloadedMain, file, sname})) {
            Layout layout = place(chunks, capacity);
            if (layout != null) {
                layout.overload = (layout.areas.get(Layout.FILE).isEmpty() ? 0 : 1)
                        | (layout.areas.get(Layout.SNAME).isEmpty() ? 0 : 2);
                return layout;
            }
        }
        return null;
    }

    /** First fit, keeping the pieces of one long option in field order (RFC 3396 joins them so). */
    private static Layout place(List<Chunk> chunks, int[] capacity) {
        Layout layout = new Layout();
        int[] free = capacity.clone();
        int lastCode = -1;
        int lastArea = 0;
        for (Chunk chunk : chunks) {
            int area = chunk.code() == lastCode ? lastArea : 0;
            while (area < free.length && free[area] < chunk.size()) {
                area++;
            }
            if (area == free.length) {
                return null;
            }
            free[area] -= chunk.size();
            layout.areas.get(area).add(chunk);
            lastCode = chunk.code();
            lastArea = area;
        }
        layout.mainSize = capacity[Layout.MAIN] - free[Layout.MAIN];
        return layout;
    }

    private static void writeField(ByteBuf out, Layout layout, int area, byte[] raw) {
        List<Chunk> chunks = layout.areas.get(area);
        if (chunks.isEmpty()) {
            out.writeBytes(raw);
            return;
        }
        int start = out.writerIndex();
        chunks.forEach(chunk -> chunk.writeTo(out));
        out.writeByte(DhcpOptions.END);
        out.writeZero(raw.length - (out.writerIndex() - start));
    }
}
