package org.diskless.dhcp.internal;

import static org.diskless.dhcp.internal.DhcpFixture.LAB;
import static org.diskless.dhcp.internal.DhcpFixture.SERVER;
import static org.diskless.dhcp.internal.DhcpFixture.discover;
import static org.diskless.dhcp.internal.DhcpFixture.initReboot;
import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.diskless.dhcp.internal.DhcpFixture.mac;
import static org.diskless.dhcp.internal.DhcpFixture.message;
import static org.diskless.dhcp.internal.DhcpFixture.renew;
import static org.diskless.dhcp.internal.DhcpFixture.select;
import static org.diskless.dhcp.internal.DhcpFixture.settings;
import static org.diskless.dhcp.internal.Wire.COOKIE;
import static org.diskless.dhcp.internal.Wire.concat;
import static org.diskless.dhcp.internal.Wire.encode;
import static org.diskless.dhcp.internal.Wire.header;
import static org.diskless.dhcp.internal.Wire.hex;
import static org.diskless.dhcp.internal.Wire.malformed;
import static org.diskless.dhcp.internal.Wire.withFile;
import static org.diskless.dhcp.internal.Wire.withSname;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.diskless.api.HardwareAddress;
import org.diskless.dhcp.codec.DhcpDecoder;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.codec.DhcpOp;
import org.diskless.dhcp.codec.DhcpPacketException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.netty.buffer.Unpooled;

/**
 * The triage of raw datagrams against the full path (decode, then the load balancer): we are
 * 192.0.2.1 with buckets 0-127, the peer 192.0.2.2 has 128-255. Whatever the triage leaves to the
 * peer, the full path leaves to it too; for the requests clients send, it leaves exactly those.
 */
class PeerTriageTest {

    private static final Inet4Address PEER = ip("192.0.2.2");
    private static final Inet4Address RELAY = ip("198.51.100.1");

    private final Set<Inet4Address> down = new HashSet<>();
    private LoadBalancer balancer;

    @BeforeEach
    void start() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "peers", "192.0.2.2"), LAB).start();
        f.processor().peersDown(() -> Set.copyOf(down));
        balancer = f.processor().balancer();
    }

    @Test
    void leavesToThePeerExactlyWhatTheFullPathLeavesForManyClients() {
        Random random = new Random(3074);
        int peers = 0;
        int ours = 0;
        for (int n = 0; n < 1_000; n++) {
            HardwareAddress mac = mac(n);
            DhcpMessage.Builder request = switch (n % 5) {
                case 0, 1 -> discover(mac);
                case 2 -> initReboot(mac, ip("192.0.2.105"));
                case 3 -> message(DhcpMessageType.INFORM, mac).ciaddr(ip("192.0.2.106"));
                default -> renew(mac, ip("192.0.2.107"));
            };
            if (n % 3 == 0) {
                byte[] id = new byte[1 + random.nextInt(20)];
                random.nextBytes(id);
                id[0] = (byte) (n % 2);
                if (id.length >= 2) {
                    request.options(o -> o.clientIdentifier(id));
                }
            }
            request.secs(random.nextInt(6));
            if (n % 4 == 0) {
                request.giaddr(RELAY);
            }
            byte[] wire = encode(request);
            boolean toBroadcast = n % 7 != 0;
            DhcpMessageType full = fullPath(wire, toBroadcast);
            assertEquals(full, triage(wire, toBroadcast), () -> "client " + mac + ": " + DhcpDecoder.decode(
                    Unpooled.wrappedBuffer(wire)));
            if (full == null) {
                ours++;
            } else {
                peers++;
            }
        }
        assertTrue(peers > 200 && ours > 200, peers + " left to the peer, " + ours + " ours");
    }

    @Test
    void theClientIdentifierDecidesWhenThereIsOneElseTheHardwareAddress() {
        // Found among the first clients: a MAC in our buckets whose client identifier is in the peer's.
        HardwareAddress mac = LoadBalancerTest.ours();
        byte[] id = identifierIn(128, 256);
        assertNull(triage(encode(discover(mac)), true));
        assertEquals(DhcpMessageType.DISCOVER, triage(encode(discover(mac).options(o -> o.clientIdentifier(id))), true));
        assertNull(triage(encode(discover(LoadBalancerTest.peers()).options(o -> o.clientIdentifier(identifierIn(0, 128)))),
                true));
    }

    @Test
    void aClientWhoWaitedTheTakeoverSecondsOrWhosePeerIsDownIsOurs() {
        HardwareAddress mac = LoadBalancerTest.peers();
        assertEquals(DhcpMessageType.DISCOVER, triage(encode(discover(mac).secs(2)), true), "2 s: the peer's still");
        assertNull(triage(encode(discover(mac).secs(3)), true), "3 s, peers.takeoverSeconds: taken over");
        assertNull(triage(encode(discover(mac).secs(0xFFFF)), true));
        down.add(PEER);
        assertNull(triage(encode(discover(mac)), true), "the peer is down: its buckets are ours");
    }

    @Test
    void requestsAddressedToOneServerAreNotTriaged() {
        HardwareAddress mac = LoadBalancerTest.peers();
        assertNull(triage(encode(select(mac, ip("192.0.2.105"), PEER)), true), "SELECTING: the named server decides");
        assertNull(triage(encode(select(mac, ip("192.0.2.105"), SERVER)), true));
        assertNull(triage(encode(renew(mac, ip("192.0.2.105"))), false), "RENEWING, unicast to us");
        assertEquals(DhcpMessageType.REQUEST, triage(encode(renew(mac, ip("192.0.2.105"))), true),
                "REBINDING, broadcast: the buckets decide");
        assertNull(triage(encode(message(DhcpMessageType.DECLINE, mac)), true));
        assertNull(triage(encode(message(DhcpMessageType.RELEASE, mac)), true));
        assertNull(triage(encode(message(DhcpMessageType.OFFER, mac)), true), "not from a client");
    }

    @Test
    void optionsInOverloadedFieldsCountAsTheDecoderCountsThem() {
        HardwareAddress mac = LoadBalancerTest.ours();
        byte[] peersId = identifierIn(128, 256);
        byte[] id = concat(hex("3d"), new byte[] {(byte) peersId.length}, peersId, hex("ff"));
        byte[] inFile = concat(withFile(headerOf(mac), id), COOKIE, hex("35 01 01 34 01 01 ff"));
        byte[] inSname = concat(withSname(headerOf(mac), id), COOKIE, hex("35 01 01 34 01 02 ff"));
        byte[] typeInSname = concat(withSname(headerOf(mac), hex("35 01 01 ff")), COOKIE,
                concat(hex("34 01 02"), Arrays.copyOf(id, id.length - 1), hex("ff")));
        byte[] notOverloaded = concat(withFile(headerOf(mac), id), COOKIE, hex("35 01 01 ff"));
        for (byte[] wire : new byte[][] {inFile, inSname, typeInSname}) {
            assertEquals(DhcpMessageType.DISCOVER, fullPath(wire, true));
            assertEquals(DhcpMessageType.DISCOVER, triage(wire, true));
        }
        assertNull(fullPath(notOverloaded, true), "a file field that is not overloaded holds a file name");
        assertNull(triage(notOverloaded, true));
    }

    @Test
    void optionsOfImpossibleLengthsAreLeftOutAsTheDecoderLeavesThemOut() {
        HardwareAddress mac = LoadBalancerTest.peers();
        // A one-byte client identifier is left out: the MAC decides. A 3-byte server identifier too.
        byte[] shortId = concat(headerOf(mac), COOKIE, hex("35 01 01 3d 01 07 ff"));
        byte[] oddServerId = concat(headerOf(mac), COOKIE, hex("35 01 03 36 03 c0 00 02 ff"));
        for (byte[] wire : new byte[][] {shortId, oddServerId}) {
            assertEquals(fullPath(wire, true), triage(wire, true));
            assertTrue(triage(wire, true) != null);
        }
    }

    @Test
    void repeatedOptionsThatTheDecoderJoinsGoTheFullWay() {
        HardwareAddress mac = LoadBalancerTest.peers();
        byte[] twoTypes = concat(headerOf(mac), COOKIE, hex("35 01 01 35 01 01 ff"));
        byte[] splitId = concat(headerOf(mac), COOKIE, hex("35 01 01 3d 01 01 3d 06"), mac.toByteArray(), hex("ff"));
        byte[] twoServerIds = concat(headerOf(mac), COOKIE, hex("35 01 03 36 02 c0 00 36 02 02 02 ff"));
        assertThrows(DhcpPacketException.class, () -> fullPath(twoTypes, true), "a joined type of two bytes");
        for (byte[] wire : new byte[][] {twoTypes, splitId, twoServerIds}) {
            assertNull(triage(wire, true));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.diskless.dhcp.internal.Wire#malformedKinds")
    void whatTheDecoderRefusesIsLeftToIt(String kind) {
        byte[] wire = malformed(peersClient(), kind);
        assertThrows(DhcpPacketException.class, () -> DhcpDecoder.decode(Unpooled.wrappedBuffer(wire)));
        assertNull(triage(wire, true));
    }

    @Test
    void aRequestCutAnywhereGetsTheFullPathsVerdictOrNone() {
        byte[] whole = encode(discover(LoadBalancerTest.peers()).options(o -> o.clientIdentifier(identifierIn(128, 256))
                .hostName("node-1")));
        for (int size = 0; size <= whole.length; size++) {
            byte[] cut = Arrays.copyOf(whole, size);
            assertAgreesOrAbstains(cut);
        }
        assertEquals(DhcpMessageType.DISCOVER, triage(whole, true));
    }

    @Test
    void randomDamageNeverGetsAVerdictTheFullPathWouldNotGive() {
        Random random = new Random(52);
        byte[] whole = encode(discover(LoadBalancerTest.peers()).options(o -> o.clientIdentifier(identifierIn(128, 256))
                .hostName("node-1")));
        int agreed = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] damaged = whole.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                // Mostly the options and the header's few fields that matter, sometimes anywhere.
                int at = random.nextBoolean() ? 236 + random.nextInt(damaged.length - 236) : random.nextInt(damaged.length);
                damaged[at] = (byte) random.nextInt(256);
            }
            if (assertAgreesOrAbstains(damaged)) {
                agreed++;
            }
        }
        assertTrue(agreed > 1_000, agreed + " damaged datagrams triaged");
    }

    @Test
    void theDatagramIsReadInPlace() {
        byte[] wire = encode(discover(LoadBalancerTest.peers()));
        var buffer = Unpooled.wrappedBuffer(new byte[7], wire).skipBytes(7);
        assertEquals(DhcpMessageType.DISCOVER, PeerTriage.leftToPeer(buffer, balancer, SERVER, true),
                "read from the reader index");
        assertEquals(7, buffer.readerIndex(), "not moved");
        assertEquals(wire.length, buffer.readableBytes());
    }

    // ---------------------------------------------------------------- the two paths

    /** Whether the triage abstained, or gave the full path's verdict (asserted); true when it gave one. */
    private boolean assertAgreesOrAbstains(byte[] wire) {
        DhcpMessageType early = triage(wire, true);
        if (early == null) {
            return false;
        }
        DhcpMessageType full;
        try {
            full = fullPath(wire, true);
        } catch (DhcpPacketException e) {
            throw new AssertionError("triaged " + early + " what the decoder refuses: " + e.getMessage()
                    + "\n" + java.util.HexFormat.of().formatHex(wire));
        }
        assertEquals(full, early, () -> java.util.HexFormat.of().formatHex(wire));
        return true;
    }

    private DhcpMessageType triage(byte[] wire, boolean toBroadcast) {
        return PeerTriage.leftToPeer(Unpooled.wrappedBuffer(wire), balancer, SERVER, toBroadcast);
    }

    /**
     * What {@link DhcpChannelHandler} and {@link DhcpProcessor#handle} decide of the datagram: the
     * type of a request left to the peer, else null; a datagram the decoder refuses throws.
     */
    private DhcpMessageType fullPath(byte[] wire, boolean toBroadcast) {
        DhcpMessage request = DhcpDecoder.decode(Unpooled.wrappedBuffer(wire));
        Optional<DhcpMessageType> type = request.messageType();
        if (request.op() != DhcpOp.BOOTREQUEST || request.hardwareAddress().isEmpty() || type.isEmpty()
                || !type.get().fromClient()) {
            return null;
        }
        return balancer.decide(request, type.get(), Optional.of(SERVER), toBroadcast).answered() ? null : type.get();
    }

    private static byte[] headerOf(HardwareAddress mac) {
        byte[] header = header(0);
        System.arraycopy(mac.toByteArray(), 0, header, 28, 6);
        return header;
    }

    private static int peersClient() {
        for (int n = 0; n < 1000; n++) {
            if (mac(n).equals(LoadBalancerTest.peers())) {
                return n;
            }
        }
        throw new AssertionError("no client of the peer among the first 1000");
    }

    /** A client identifier (type 1 and six bytes) whose hash falls in [from, to). */
    private static byte[] identifierIn(int from, int to) {
        for (int n = 0; n < 1000; n++) {
            byte[] id = concat(hex("01 aa bb cc dd"), new byte[] {(byte) (n >> 8), (byte) n});
            int bucket = ClientHash.hash(id);
            if (bucket >= from && bucket < to) {
                return id;
            }
        }
        throw new AssertionError("no identifier in buckets " + from + "-" + (to - 1));
    }
}
