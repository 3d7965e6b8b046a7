package org.diskless.dhcp.codec;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.DecoderException;

/** Vectors as real clients send them, round trips through two channels, and what must be refused. */
class DhcpCodecTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("0.0.0.0", 68);
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.1", 67);
    private static final byte[] COOKIE = hex("63825363");
    private static final HardwareAddress MAC = HardwareAddress.parse("52:54:00:12:34:56");

    /** EDK2's PXE DISCOVER (x64 UEFI, UNDI 3.0), as NetworkPkg/UefiPxeBcDxe builds it. */
    private static final byte[] EDK2_DISCOVER = concat(
            header("01 01 06 00", "a1b2c3d4", "0004 8000", "00000000 00000000 00000000 00000000", "525400123456"),
            COOKIE,
            hex("35 01 01"),
            hex("39 02 05c0"),
            hex("37 23 01020304 05060c0d 0f111216 171c2829 2a2b3233 363a3b3c 42436180 81828384 858687"),
            hex("61 11 00 33221100 55447766 8899aabb ccddeeff"),
            hex("5e 03 010300"),
            hex("5d 02 0007"),
            hex("3c 20"), ascii("PXEClient:Arch:00007:UNDI:003000"),
            hex("ff"));

    /** iPXE's DISCOVER: user class "iPXE" in the plain form, its option 175 feature list. */
    private static final byte[] IPXE_DISCOVER = concat(
            header("01 01 06 00", "0badcafe", "0000 0000", "00000000 00000000 00000000 00000000", "525400123456"),
            COOKIE,
            hex("35 01 01"),
            hex("39 02 05c0"),
            hex("5d 02 0000"),
            hex("5e 03 010201"),
            hex("3c 20"), ascii("PXEClient:Arch:00000:UNDI:002001"),
            hex("4d 04"), ascii("iPXE"),
            hex("37 17 0103060c 0f111a2b 3c424377 80818283 84858687 afcb3d"),
            hex("af 0c 130101 110101 190101 210101"),
            hex("3d 07 01525400123456"),
            hex("61 11 00 33221100 55447766 8899aabb ccddeeff"),
            hex("ff"));

    /** dhclient's REQUEST in SELECTING state, padded to the 300 bytes of BOOTP. */
    private static final byte[] DHCLIENT_REQUEST = pad(concat(
            header("01 01 06 00", "5e1f0a2b", "0000 0000", "00000000 00000000 00000000 00000000", "525400123456"),
            COOKIE,
            hex("35 01 03"),
            hex("32 04 c0000237"),
            hex("36 04 c0000201"),
            hex("0c 06"), ascii("node07"),
            hex("37 0d 011c0203 0f06770c 2c2f1a79 2a"),
            hex("ff")), 300);

    private final EmbeddedChannel encoder = new EmbeddedChannel(new DhcpEncoder());
    private final EmbeddedChannel decoder = new EmbeddedChannel(new DhcpDecoder());

    @AfterEach
    void nothingLeftBehind() {
        assertFalse(encoder.finishAndReleaseAll());
        assertFalse(decoder.finishAndReleaseAll());
    }

    @Test
    void edk2PxeDiscoverReadsEveryPxeOption() {
        DhcpMessage discover = decode(EDK2_DISCOVER);
        assertEquals(DhcpOp.BOOTREQUEST, discover.op());
        assertEquals(0xa1b2c3d4, discover.xid());
        assertEquals(4, discover.secs());
        assertTrue(discover.isBroadcast());
        assertEquals(Optional.of(MAC), discover.hardwareAddress());
        DhcpOptions options = discover.options();
        assertEquals(Optional.of(DhcpMessageType.DISCOVER), options.messageType());
        assertEquals(1472, options.maxMessageSize().getAsInt());
        assertEquals(35, options.parameterRequestList().size());
        assertEquals(List.of(1, 2, 3, 4), options.parameterRequestList().subList(0, 4));
        assertEquals(List.of(ClientArchitecture.EFI_X64), options.clientArchitectures());
        assertEquals(Optional.of(ClientNdi.undi(3, 0)), options.clientNdi());
        assertEquals(Optional.of("PXEClient:Arch:00007:UNDI:003000"), options.vendorClassIdentifier());
        PxeClientClass pxe = options.pxeClientClass().orElseThrow();
        assertEquals(Optional.of(ClientArchitecture.EFI_X64), pxe.architecture());
        assertEquals(3, pxe.undiMajor());
        assertEquals(0, pxe.undiMinor());
        assertTrue(discover.decodeNotes().isEmpty());
    }

    @Test
    void optionNinetySevenReadsAsFirmwarePrintsItAndAsPxelinuxNamesIt() {
        DhcpOptions options = decode(EDK2_DISCOVER).options();
        assertEquals(Optional.of(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff")), options.clientMachineUuid());
        assertEquals(Optional.of(UUID.fromString("33221100-5544-7766-8899-aabbccddeeff")),
                options.clientMachineUuidInWireOrder());
        DhcpOptions built = DhcpOptions.builder()
                .clientMachineUuid(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff")).build();
        assertArrayEquals(hex("00 33221100 55447766 8899aabb ccddeeff"), built.get(97).orElseThrow());
    }

    @Test
    void aRequestIsEncodedBackByteForByte() {
        assertArrayEquals(EDK2_DISCOVER, encode(decode(EDK2_DISCOVER)));
        assertArrayEquals(IPXE_DISCOVER, encode(decode(IPXE_DISCOVER)));
        assertArrayEquals(DHCLIENT_REQUEST, encode(decode(DHCLIENT_REQUEST)));
    }

    @Test
    void ipxeIsKnownByItsPlainUserClassAndOption175() {
        DhcpOptions options = decode(IPXE_DISCOVER).options();
        assertEquals(List.of("iPXE"), options.userClasses());
        assertTrue(options.hasUserClass("iPXE"));
        assertTrue(options.contains(DhcpOptions.IPXE_ENCAPSULATED));
        assertEquals(List.of(ClientArchitecture.BIOS), options.clientArchitectures());
        assertEquals(2, options.pxeClientClass().orElseThrow().undiMajor());
        assertEquals(1, options.pxeClientClass().orElseThrow().undiMinor());
        assertArrayEquals(hex("01525400123456"), options.clientIdentifier().orElseThrow());
    }

    @Test
    void userClassesInTheRfc3004FormAreSplit() {
        DhcpOptions options = DhcpOptions.builder().userClasses("gpxe", "diskless-node").build();
        assertArrayEquals(concat(hex("04"), ascii("gpxe"), hex("0d"), ascii("diskless-node")), options.get(77).orElseThrow());
        assertEquals(List.of("gpxe", "diskless-node"), options.userClasses());
    }

    @Test
    void dhclientRequestReadsItsChoiceAndIgnoresThePadding() {
        DhcpMessage request = decode(DHCLIENT_REQUEST);
        DhcpOptions options = request.options();
        assertEquals(Optional.of(DhcpMessageType.REQUEST), request.messageType());
        assertEquals(Optional.of(ip("192.0.2.55")), options.requestedIpAddress());
        assertEquals(Optional.of(ip("192.0.2.1")), options.serverIdentifier());
        assertEquals(Optional.of("node07"), options.hostName());
        assertEquals(List.of(1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42), options.parameterRequestList());
        assertEquals(5, options.size());
        assertFalse(request.isBroadcast());
    }

    @Test
    void pxeOfferWithVendorOptionsRoundTrips() {
        DhcpMessage offer = pxeOffer(decode(EDK2_DISCOVER));
        DhcpMessage received = roundTrip(offer);
        assertEquals(offer, received);
        PxeVendorOptions pxe = received.options().pxeVendorOptions().orElseThrow();
        assertEquals(PxeVendorOptions.DISABLE_MULTICAST | PxeVendorOptions.DOWNLOAD_BOOT_FILE,
                pxe.discoveryControl().getAsInt());
        assertEquals(List.of(new PxeVendorOptions.BootServer(0, List.of(ip("192.0.2.1")))), pxe.bootServers());
        assertEquals(List.of(new PxeVendorOptions.MenuItem(0, "Diskless Linux"),
                new PxeVendorOptions.MenuItem(0x8000, "Local disk")), pxe.bootMenu());
        assertEquals(Optional.of(new PxeVendorOptions.MenuPrompt(5, "Press F8 for menu")), pxe.menuPrompt());
        assertEquals(Optional.of(new PxeVendorOptions.BootItem(0, 0)), pxe.bootItem());
        assertEquals(Optional.of(ip("224.1.5.1")), pxe.mtftpAddress());
        assertEquals(1758, pxe.mtftpClientPort().getAsInt());
        assertEquals(1759, pxe.mtftpServerPort().getAsInt());
        assertEquals(1, pxe.mtftpTimeout().getAsInt());
        assertEquals(2, pxe.mtftpDelay().getAsInt());
        assertEquals("bootx64.efi", received.bootFileName());
        assertEquals(ip("192.0.2.1"), received.siaddr());
    }

    @Test
    void aReplyCopiesWhatTheClientMustRecognise() {
        DhcpMessage request = decode(concat(
                header("01 01 06 01", "11223344", "0000 8000", "00000000 00000000 00000000 c6336401", "525400123456"),
                COOKIE, hex("35 01 01"), hex("52 06 0104 0a0b0c0d"), hex("ff")));
        DhcpMessage reply = DhcpMessage.replyTo(request).build();
        assertEquals(DhcpOp.BOOTREPLY, reply.op());
        assertEquals(0x11223344, reply.xid());
        assertTrue(reply.isBroadcast());
        assertEquals(ip("198.51.100.1"), reply.giaddr());
        assertTrue(reply.isRelayed());
        assertEquals(0, reply.hops());
        assertEquals(request.hardwareAddress(), reply.hardwareAddress());
        assertArrayEquals(hex("0104 0a0b0c0d"), reply.options().relayAgentInformation().orElseThrow());
    }

    @Test
    void replyOptionsFollowTheClientsRequestListWithRelayInformationLast() {
        DhcpMessage request = decode(concat(
                header("01 01 06 00", "11223344", "0000 0000", "00000000 00000000 00000000 c6336401", "525400123456"),
                COOKIE, hex("35 01 01"), hex("37 03 06 03 01"), hex("52 04 0102 abcd"), hex("ff")));
        DhcpMessage offer = DhcpMessage.replyTo(request).options(o -> o
                .subnetMask(ip("255.255.255.0"))
                .leaseTime(3600)
                .routers(List.of(ip("192.0.2.254")))
                .domainNameServers(List.of(ip("192.0.2.53")))
                .serverIdentifier(ip("192.0.2.1"))
                .messageType(DhcpMessageType.OFFER)).build();
        byte[] wire = encode(offer);
        assertArrayEquals(concat(hex("35 01 02"), hex("36 04 c0000201"), hex("06 04 c0000235"), hex("03 04 c00002fe"),
                hex("01 04 ffffff00"), hex("33 04 00000e10"), hex("52 04 0102abcd"), hex("ff")),
                Arrays.copyOfRange(wire, 240, 240 + 40));
        assertEquals(300, wire.length);
    }

    @Test
    void aReplyNeverExceedsWhatTheClientTakes() {
        DhcpMessage request = decode(concat(
                header("01 01 06 00", "01020304", "0000 0000", "00000000 00000000 00000000 00000000", "525400123456"),
                COOKIE, hex("35 01 01"), hex("39 02 0240"), hex("37 02 0c 0f"), hex("ff")));
        DhcpMessage offer = bigOffer(request).serverName("boot.example").bootFileName("pxelinux.0").build();
        ByteBuf wire = DhcpEncoder.encode(ByteBufAllocator.DEFAULT, offer, 1472);
        try {
            assertTrue(wire.readableBytes() <= 576 - 28, "sent " + wire.readableBytes());
            DhcpOptions received = DhcpDecoder.decode(wire).options();
            assertTrue(received.contains(12) && received.contains(15), "requested options are kept");
            for (int code : List.of(53, 54, 51, 58, 59, 1)) {
                assertTrue(received.contains(code), "option " + code + " is always kept");
            }
            assertFalse(received.contains(224), "the last unrequested option goes first");
        } finally {
            wire.release();
        }
    }

    @Test
    void theClientsOwnLimitIsHonouredAboveTheMinimumButNeverExceeded() {
        DhcpMessage request = decode(EDK2_DISCOVER);
        DhcpMessage offer = bigOffer(request).build();
        assertEquals(1472 - 28, DhcpEncoder.receiverLimit(offer));
        ByteBuf wire = DhcpEncoder.encode(ByteBufAllocator.DEFAULT, offer, 4000);
        try {
            assertTrue(wire.readableBytes() <= 1444, "sent " + wire.readableBytes());
            assertEquals(offer.options(), DhcpDecoder.decode(wire).options(), "everything fits in 1444 bytes");
        } finally {
            wire.release();
        }
    }

    @Test
    void emptyFileAndSnameFieldsCarryOptionsBeforeAnyIsLeftOut() {
        DhcpMessage request = decode(DHCLIENT_REQUEST); // no option 57: 576 bytes
        DhcpMessage offer = DhcpMessage.replyTo(request).options(o -> o
                .messageType(DhcpMessageType.ACK)
                .serverIdentifier(ip("192.0.2.1"))
                .put(224, filled(200, 'a'))
                .put(225, filled(120, 'b'))
                .put(226, filled(50, 'c'))).build();
        byte[] wire = encode(offer);
        assertTrue(wire.length <= 548, "sent " + wire.length);
        DhcpMessage received = decode(wire);
        assertEquals(offer.options(), received.options());
        assertEquals("", received.bootFileName());
        assertEquals(0xe1, wire[108] & 0xFF, "what does not fit after the options starts the file field");
        assertEquals(DhcpOptions.OVERLOAD, wire[240 + 3 + 6 + 202 + 52] & 0xFF, "option 52 closes the options");
    }

    @Test
    void whenNoFieldIsFreeRequestedOptionsGoLastAskedFirstAndEssentialsStay() {
        DhcpMessage request = decode(concat(discoverHeader(), COOKIE, hex("35 01 01"), hex("37 03 c8 c9 ca"), hex("ff")));
        DhcpMessage offer = bigOffer(request).serverName("boot.example").bootFileName("pxelinux.0").build();
        DhcpMessage received = decode(encode(offer));
        assertTrue(received.options().contains(200), "the first asked for stays");
        assertFalse(received.options().contains(224) || received.options().contains(12), "unrequested go first");
        assertFalse(received.options().contains(202) || received.options().contains(201), "then the last asked for");
        assertTrue(wireLength(offer) <= 548);
        assertEquals(Optional.of(ip("255.255.255.0")), received.options().subnetMask());
        assertEquals("pxelinux.0", received.bootFileName());
    }

    @Test
    void theClientIdentifierGoesBackUnalteredEvenWhenOtherOptionsMustBeLeftOut() {
        byte[] id = hex("ff 00000001 0001 2a");
        DhcpMessage request = decode(concat(discoverHeader(), COOKIE, hex("35 01 01"), hex("3d 08 ff000000010001 2a"),
                hex("37 03 c8 c9 ca"), hex("ff")));
        DhcpMessage offer = bigOffer(request).serverName("boot.example").bootFileName("pxelinux.0").build();
        DhcpMessage received = decode(encode(offer));
        assertFalse(received.options().contains(224), "the reply is too large for everything");
        assertArrayEquals(id, received.options().clientIdentifier().orElseThrow(), "RFC 6842");
    }

    @Test
    void optionValuesCannotBeChangedFromOutside() {
        byte[] value = hex("c0000201");
        DhcpOptions options = DhcpOptions.builder().put(54, value).build();
        value[0] = 0;
        options.get(54).orElseThrow()[1] = 0;
        assertEquals(Optional.of(ip("192.0.2.1")), options.serverIdentifier());
        assertThrows(UnsupportedOperationException.class, () -> options.codes().clear());
    }

    @Test
    void valuesLongerThan255BytesAreSplitAndJoined() {
        byte[] long600 = filled(600, 'x');
        DhcpMessage message = DhcpMessage.builder().hardwareAddress(MAC)
                .options(DhcpOptions.builder().messageType(DhcpMessageType.INFORM).put(224, long600).build()).build();
        byte[] wire = encode(message);
        int at = 240 + 3;
        assertEquals(224, wire[at] & 0xFF);
        assertEquals(255, wire[at + 1] & 0xFF);
        assertEquals(224, wire[at + 2 + 255] & 0xFF);
        assertEquals(255, wire[at + 2 + 255 + 1] & 0xFF);
        assertEquals(224, wire[at + 4 + 510] & 0xFF);
        assertEquals(90, wire[at + 4 + 510 + 1] & 0xFF);
        assertEquals(255, wire[at + 6 + 600] & 0xFF, "end");
        assertArrayEquals(long600, decode(wire).options().get(224).orElseThrow());
    }

    @Test
    void overloadedFieldsAreReadAfterTheOptionsFileFirst() {
        byte[] file = pad(concat(hex("43 0a"), ascii("pxelinux.0"), hex("0c 02"), ascii("07"), hex("ff")), 128);
        byte[] sname = pad(concat(hex("42 0c"), ascii("tftp.example"), hex("ff")), 64);
        byte[] packet = concat(
                hex("02 01 06 00 01020304 0000 0000 00000000 c0000237 c0000201 00000000"),
                pad(hex("525400123456"), 16), sname, file, COOKIE,
                hex("35 01 02"), hex("34 01 03"), hex("0c 04"), ascii("node"), hex("ff"));
        DhcpMessage offer = decode(packet);
        assertEquals(Optional.of("pxelinux.0"), offer.options().bootfileName());
        assertEquals(Optional.of("tftp.example"), offer.options().tftpServerName());
        assertEquals(Optional.of("node07"), offer.options().hostName(), "RFC 3396 joins across fields");
        assertEquals("", offer.bootFileName());
        assertEquals("", offer.serverName());
        assertFalse(offer.options().contains(DhcpOptions.OVERLOAD));
    }

    @Test
    void aMissingEndIsForgivenWhenTheOptionsStopExactly() {
        byte[] packet = concat(header("01 01 06 00", "01020304", "0000 0000", "00000000 00000000 00000000 00000000",
                "525400123456"), COOKIE, hex("35 01 01"), hex("3d 07 01525400123456"));
        assertEquals(Optional.of(DhcpMessageType.DISCOVER), decode(packet).messageType());
    }

    @Test
    void optionsOfAnImpossibleLengthAreLeftOutWithANote() {
        DhcpMessage request = decode(concat(discoverHeader(), COOKIE, hex("35 01 01"), hex("33 03 000e10"),
                hex("0c 00"), hex("50 00"), hex("e0 00"), hex("ff")));
        assertTrue(request.options().leaseTime().isEmpty());
        assertFalse(request.options().contains(DhcpOptions.HOST_NAME));
        assertTrue(request.options().contains(DhcpOptions.RAPID_COMMIT), "rapid commit has no data");
        assertTrue(request.options().contains(224), "unknown options may be empty");
        assertEquals(2, request.decodeNotes().size());
        assertTrue(request.decodeNotes().get(0).contains("option 51 must have 4 bytes, not 3"), request.decodeNotes().toString());
    }

    @Test
    void lengthsAreCheckedOnceThePiecesOfAnOptionAreJoined() {
        DhcpMessage request = decode(concat(discoverHeader(), COOKIE, hex("35 01 03"), hex("36 02 c000"),
                hex("0c 04"), ascii("node"), hex("33 02 0000"), hex("36 02 0201"), hex("33 01 0e"),
                hex("3d 07 01525400123456"), hex("ff")));
        assertEquals(Optional.of(ip("192.0.2.1")), request.options().serverIdentifier(), "2 + 2 bytes make an address");
        assertFalse(request.options().contains(DhcpOptions.LEASE_TIME), "2 + 1 bytes make no lease time");
        assertEquals(List.of("left out option 51 must have 4 bytes, not 3"), request.decodeNotes());
        assertEquals(List.of(DhcpOptions.MESSAGE_TYPE, DhcpOptions.SERVER_IDENTIFIER, DhcpOptions.HOST_NAME,
                DhcpOptions.CLIENT_IDENTIFIER), List.copyOf(request.options().codes()), "first-seen order, gap closed");
    }

    @Test
    void fieldsThatCarryNoOptionsAreKeptAsSentAndTheDatagramIsReadToItsEnd() {
        byte[] sname = pad(ascii("boot.example"), 64);
        byte[] file = pad(ascii("pxelinux.0"), 128);
        byte[] packet = concat(hex("02 01 06 00 01020304 0000 0000 00000000 c0000237 c0000201 00000000"),
                pad(hex("525400123456"), 16), sname, file, COOKIE, hex("35 01 02"), hex("ff 00 00 00"));
        ByteBuf in = Unpooled.wrappedBuffer(packet);
        DhcpMessage offer = DhcpDecoder.decode(in);
        assertEquals(0, in.readableBytes());
        in.release();
        assertEquals("boot.example", offer.serverName());
        assertEquals("pxelinux.0", offer.bootFileName());
        assertArrayEquals(file, offer.fileBytes());
        assertEquals(ip("0.0.0.0"), offer.ciaddr());
        assertEquals(ip("192.0.2.55"), offer.yiaddr());
        assertEquals("", decode(EDK2_DISCOVER).serverName());
        assertArrayEquals(new byte[128], decode(EDK2_DISCOVER).fileBytes());
    }

    @Test
    void aReplyNamesEachOptionOnceWhateverTheRequestListRepeats() {
        DhcpMessage request = decode(concat(
                header("01 01 06 00", "11223344", "0000 0000", "00000000 00000000 00000000 c6336401", "525400123456"),
                COOKIE, hex("35 01 01"), hex("37 06 03 35 52 03 01 36"), hex("52 04 0102 abcd"), hex("ff")));
        DhcpMessage offer = DhcpMessage.replyTo(request).options(o -> o
                .subnetMask(ip("255.255.255.0"))
                .routers(List.of(ip("192.0.2.254")))
                .serverIdentifier(ip("192.0.2.1"))
                .messageType(DhcpMessageType.OFFER)).build();
        assertArrayEquals(concat(hex("35 01 02"), hex("36 04 c0000201"), hex("03 04 c00002fe"), hex("01 04 ffffff00"),
                hex("52 04 0102abcd"), hex("ff")), Arrays.copyOfRange(encode(offer), 240, 240 + 28));
    }

    @Test
    void aBuilderGoesOnAfterBuildingWithoutChangingWhatItBuilt() {
        DhcpOptions.Builder builder = DhcpOptions.builder().messageType(DhcpMessageType.OFFER).leaseTime(60)
                .hostName("a");
        DhcpOptions first = builder.build();
        builder.leaseTime(120).remove(DhcpOptions.HOST_NAME).domainName("lab.example");
        DhcpOptions second = builder.build();
        DhcpOptions third = second.toBuilder().remove(DhcpOptions.MESSAGE_TYPE).build();

        assertEquals(List.of(53, 51, 12), List.copyOf(first.codes()));
        assertEquals(60, first.leaseTime().getAsLong());
        assertEquals(List.of(53, 51, 15), List.copyOf(second.codes()), "a value set again keeps its place");
        assertEquals(120, second.leaseTime().getAsLong());
        assertEquals(List.of(51, 15), List.copyOf(third.codes()));
        assertEquals(Optional.of(DhcpMessageType.OFFER), second.messageType());
    }

    @Test
    void aMessageBuilderCollectsOptionChangesAndKeepsWhatItBuilt() {
        DhcpMessage.Builder builder = DhcpMessage.builder().hardwareAddress(MAC)
                .options(o -> o.messageType(DhcpMessageType.DISCOVER))
                .options(o -> o.hostName("node07"));
        DhcpMessage first = builder.build();
        DhcpMessage second = builder.options(o -> o.remove(DhcpOptions.HOST_NAME)).build();
        DhcpMessage third = builder.options(DhcpOptions.empty()).options(o -> o.domainName("lab.example")).build();

        assertEquals(Optional.of("node07"), first.options().hostName());
        assertEquals(Set.of(DhcpOptions.MESSAGE_TYPE), second.options().codes());
        assertEquals(Set.of(DhcpOptions.DOMAIN_NAME), third.options().codes());
    }

    @Test
    void theRequestListReadsAsAnUnchangeableListOfCodes() {
        List<Integer> requested = decode(IPXE_DISCOVER).options().parameterRequestList();
        assertEquals(List.of(1, 3, 6, 12, 15, 17, 26, 43, 60, 66, 67, 119, 128, 129, 130, 131, 132, 133, 134, 135,
                175, 203, 61), requested);
        assertTrue(requested.contains(175));
        assertFalse(requested.contains(176));
        assertEquals(20, requested.indexOf(175));
        assertThrows(UnsupportedOperationException.class, () -> requested.add(1));
        assertEquals(List.of(), DhcpOptions.empty().parameterRequestList());
    }

    @Test
    void truncatedHeaderIsRefused() {
        assertRefused(Arrays.copyOf(EDK2_DISCOVER, 235), "truncated header");
        assertRefused(new byte[0], "truncated header");
    }

    // --- BOOTP (RFC 951, 1497)

    /**
     * What klibc's ipconfig (Debian's initramfs for ip=bootp) sends: the RFC 1048 cookie, empty
     * subnet mask, gateway, name server, host name, NIS domain and root path fields for the
     * server to fill in, no option 53, 548 bytes in all.
     */
    private static final byte[] KLIBC_BOOTP_REQUEST = pad(concat(
            header("01 01 06 00", "1b2c3d4e", "0003 0000", "00000000 00000000 00000000 00000000", "525400123456"),
            COOKIE, hex("01 04 00000000"), hex("03 04 00000000"), hex("05 08 0000000000000000"), hex("0c 20"),
            new byte[32], hex("28 20"), new byte[32], hex("11 28"), new byte[40], hex("ff")), 548);

    @Test
    void bootpRequestWithTheCookieReadsItsVendorExtensionsAndNoMessageType() {
        DhcpMessage request = decode(KLIBC_BOOTP_REQUEST);

        assertTrue(request.hasMagicCookie());
        assertTrue(request.isBootp());
        assertEquals(Optional.empty(), request.messageType());
        assertEquals(Optional.of(MAC), request.hardwareAddress());
        assertEquals(Optional.of(ip("0.0.0.0")), request.options().subnetMask());
        assertEquals(List.of(), request.options().parameterRequestList());
    }

    @Test
    void vendorAreaWithoutTheCookieIsPlainBootpAndHasNoOptions() {
        byte[] cmu = pad(concat(discoverHeader(), ascii("CMU"), hex("00 00000000 ff")), 300);
        byte[] headerOnly = Arrays.copyOf(EDK2_DISCOVER, DhcpDecoder.HEADER_SIZE);
        byte[] nearCookie = EDK2_DISCOVER.clone();
        nearCookie[236] = 0;

        for (byte[] packet : List.of(cmu, headerOnly, nearCookie)) {
            DhcpMessage plain = decode(packet);
            assertFalse(plain.hasMagicCookie());
            assertTrue(plain.isBootp());
            assertEquals(0, plain.options().size(), "the vendor area is the vendor's, not options");
            assertEquals(Optional.of(MAC), plain.hardwareAddress());
        }
        assertFalse(decode(cmu).takesVendorExtensions(), "CMU's own format");
        assertFalse(decode(nearCookie).takesVendorExtensions());
        assertTrue(decode(headerOnly).takesVendorExtensions(), "no vendor area: RFC 1048 is the default");
        assertTrue(decode(pad(discoverHeader(), 300)).takesVendorExtensions(), "an empty vendor area too");
    }

    /**
     * klibc's ipconfig (Debian's initramfs, ip=bootp) sends the bare 236-byte header, no vendor area,
     * and reads RFC 1048 options from the reply: the reply has the cookie, and options fit.
     */
    @Test
    void replyToABareBootpHeaderSpeaksRfc1048() {
        DhcpMessage request = decode(discoverHeader());
        DhcpMessage reply = DhcpMessage.replyTo(request).yiaddr(ip("192.0.2.20"))
                .options(o -> o.subnetMask(ip("255.255.255.0")).hostName("node07")).build();

        byte[] wire = encode(reply);

        assertEquals(300, wire.length);
        assertArrayEquals(COOKIE, Arrays.copyOfRange(wire, DhcpDecoder.HEADER_SIZE, DhcpDecoder.HEADER_SIZE + 4));
        assertEquals(Optional.of("node07"), roundTrip(reply).options().hostName());
    }

    @Test
    void replyToARequestInAnotherVendorsFormatHasAnEmptyVendorAreaOf64Bytes() {
        DhcpMessage request = decode(pad(concat(discoverHeader(), ascii("CMU"), hex("00 00000000 ff")), 300));
        DhcpMessage reply = DhcpMessage.replyTo(request).yiaddr(ip("192.0.2.20")).siaddr(ip("192.0.2.1"))
                .bootFileName("xterm/Xncd19r").build();

        byte[] wire = encode(reply);

        assertEquals(300, wire.length);
        assertArrayEquals(new byte[64], Arrays.copyOfRange(wire, DhcpDecoder.HEADER_SIZE, 300));
        DhcpMessage back = roundTrip(reply);
        assertEquals(reply, back);
        assertFalse(back.hasMagicCookie());
        assertEquals("xterm/Xncd19r", back.bootFileName());
    }

    @Test
    void aMessageWithoutTheCookieCannotCarryOptions() {
        assertThrows(IllegalArgumentException.class, () -> DhcpMessage.builder().magicCookie(false)
                .options(o -> o.subnetMask(ip("255.255.255.0"))).build());
    }

    @Test
    void bootpReplyIsNoLargerThanItsRequestNeverOverloadsAndKeepsTheMask() {
        DhcpMessage rfc951 = decode(pad(concat(discoverHeader(), COOKIE, hex("ff")), 300));
        DhcpMessage klibc = decode(KLIBC_BOOTP_REQUEST);

        for (DhcpMessage request : List.of(rfc951, klibc)) {
            DhcpMessage reply = DhcpMessage.replyTo(request).yiaddr(ip("192.0.2.20")).options(o -> o
                    .subnetMask(ip("255.255.255.0"))
                    .routers(List.of(ip("192.0.2.254")))
                    .hostName("node07")
                    .domainName("cluster.example")
                    .put(200, filled(150, 'p'))
                    .put(201, filled(250, 'q'))).build();

            byte[] wire = encode(reply);
            DhcpMessage back = roundTrip(reply);

            int requestSize = request == rfc951 ? 300 : 548;
            assertTrue(wire.length <= requestSize, wire.length + " bytes for a request of " + requestSize);
            assertFalse(back.options().contains(DhcpOptions.OVERLOAD), "BOOTP clients do not read option 52");
            assertEquals(Optional.of(ip("255.255.255.0")), back.options().subnetMask());
            assertEquals(Optional.of("node07"), back.options().hostName());
            assertFalse(back.options().contains(201), "what does not fit is left out");
            assertEquals(Optional.empty(), back.messageType());
        }
    }

    @Test
    void anOptionRunningPastTheEndIsRefused() {
        assertRefused(concat(discoverHeader(), COOKIE, hex("35 01 01"), hex("3c 20"), ascii("PXEClient")),
                "option 60 of length 32 runs past the end of the options");
        assertRefused(concat(discoverHeader(), COOKIE, hex("35 01 01 3c")), "option 60 has no length byte");
    }

    @Test
    void overloadAbuseIsRefused() {
        byte[] fileWithOverload = pad(hex("34 01 01 ff"), 128);
        assertRefused(concat(hex("02 01 06 00 01020304 0000 0000"), new byte[16], pad(hex("525400123456"), 16),
                new byte[64], fileWithOverload, COOKIE, hex("35 01 02 34 01 01 ff")), "inside the overloaded file field");
        assertRefused(concat(discoverHeader(), COOKIE, hex("35 01 01 34 01 01 34 01 02 ff")), "option 52 (overload) repeated");
        assertRefused(concat(discoverHeader(), COOKIE, hex("35 01 01 34 01 04 ff")), "must be one byte 1-3");
        assertRefused(concat(discoverHeader(), COOKIE, hex("35 01 01 34 00 ff")), "must be one byte 1-3");
        // A zero-length option 52 as the datagram's last two bytes: there is no value byte to look at.
        assertRefused(concat(discoverHeader(), COOKIE, hex("35 01 01 34 00")), "must be one byte 1-3");
    }

    @Test
    void aMessageTypeThatIsNotOneByteIsRefused() {
        assertRefused(concat(discoverHeader(), COOKIE, hex("35 00 ff")), "bad message type: option 53 must have 1 byte, not 0");
        assertRefused(concat(discoverHeader(), COOKIE, hex("35 01 01 35 01 03 ff")), "not 2");
    }

    @Test
    void badOpAndOversizedHlenAreRefused() {
        byte[] badOp = EDK2_DISCOVER.clone();
        badOp[0] = 3;
        assertRefused(badOp, "bad op 3");
        byte[] badHlen = EDK2_DISCOVER.clone();
        badHlen[2] = 17;
        assertRefused(badHlen, "hlen 17");
    }

    @Test
    void theDecoderKeepsWorkingAfterABadDatagram() {
        assertRefused(new byte[10], "truncated header");
        assertEquals(Optional.of(DhcpMessageType.DISCOVER), decode(EDK2_DISCOVER).messageType());
    }

    @Test
    void valuesRefuseWhatCannotBeSent() {
        DhcpOptions.Builder options = DhcpOptions.builder();
        assertThrows(IllegalArgumentException.class, () -> options.put(52, new byte[] {1}));
        assertThrows(IllegalArgumentException.class, () -> options.put(0, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> options.put(255, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> options.put(51, new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> options.maxMessageSize(575));
        assertThrows(IllegalArgumentException.class, () -> DhcpMessage.builder().serverName("x".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> DhcpMessage.builder().bootFileName("x".repeat(128)));
        assertThrows(IllegalArgumentException.class, () -> DhcpMessage.builder().chaddr(new byte[6], 17));
        assertThrows(IllegalArgumentException.class, () -> DhcpMessage.builder().secs(65536));
        assertThrows(IllegalArgumentException.class, () -> DhcpMessageType.valueOf(9));
        assertThrows(IllegalArgumentException.class, () -> DhcpOp.valueOf(0));
        assertThrows(IllegalArgumentException.class, () -> DhcpEncoder.encode(ByteBufAllocator.DEFAULT,
                DhcpMessage.builder().build(), 299));
        assertEquals(DhcpMessageType.INFORM, DhcpMessageType.valueOf(8));
        assertEquals("a", new String(DhcpMessage.builder().bootFileName("a").build().fileBytes(), 0, 1, US_ASCII));
    }

    @Test
    void pxeClientClassesParseAndPrint() {
        PxeClientClass http = PxeClientClass.parse("HTTPClient:Arch:00016:UNDI:003001").orElseThrow();
        assertTrue(http.isHttpClient());
        assertEquals(Optional.of(ClientArchitecture.HTTP_X64), http.architecture());
        assertEquals("HTTPClient:Arch:00016:UNDI:003001", http.toString());
        PxeClientClass bare = PxeClientClass.parse("PXEClient").orElseThrow();
        assertEquals(Optional.empty(), bare.architecture());
        assertEquals("PXEClient", bare.toString());
        assertEquals(Optional.empty(), PxeClientClass.parse("MSFT 5.0"));
        assertEquals(Optional.empty(), PxeClientClass.parse("PXEClient:Arch:0x007:UNDI:003000").orElseThrow().architecture());
    }

    @Test
    void aVendorClassOfOnlyColonsIsNoPxeClientClass() {
        // String.split drops every empty field: ":" splits into nothing at all (found by fuzzing).
        assertEquals(Optional.empty(), PxeClientClass.parse(":"));
        assertEquals(Optional.empty(), PxeClientClass.parse(":::::"));
        assertEquals(Optional.empty(), PxeClientClass.parse(""));
    }

    @Test
    void pxeVendorOptionsParseWhatTheBuilderWrites() {
        PxeVendorOptions pxe = PxeVendorOptions.builder()
                .discoveryControl(PxeVendorOptions.DOWNLOAD_BOOT_FILE)
                .bootItem(new PxeVendorOptions.BootItem(0x8000, 0))
                .build();
        assertArrayEquals(hex("06 01 08 47 04 80000000 ff"), pxe.toByteArray());
        assertEquals(pxe, PxeVendorOptions.parse(hex("00 06 01 08 47 04 80000000 ff 0000")));
        assertThrows(IllegalArgumentException.class, () -> PxeVendorOptions.parse(hex("06 05 08")));
        assertEquals(Optional.empty(),
                DhcpOptions.builder().put(43, hex("06 05 08")).build().pxeVendorOptions(), "malformed reads as absent");
    }

    // --- helpers

    private static DhcpMessage pxeOffer(DhcpMessage discover) {
        PxeVendorOptions pxe = PxeVendorOptions.builder()
                .mtftp(ip("224.1.5.1"), 1758, 1759, 1, 2)
                .discoveryControl(PxeVendorOptions.DISABLE_MULTICAST | PxeVendorOptions.DOWNLOAD_BOOT_FILE)
                .bootServers(List.of(new PxeVendorOptions.BootServer(0, List.of(ip("192.0.2.1")))))
                .bootMenu(List.of(new PxeVendorOptions.MenuItem(0, "Diskless Linux"),
                        new PxeVendorOptions.MenuItem(0x8000, "Local disk")))
                .menuPrompt(new PxeVendorOptions.MenuPrompt(5, "Press F8 for menu"))
                .bootItem(new PxeVendorOptions.BootItem(0, 0))
                .build();
        return DhcpMessage.replyTo(discover)
                .yiaddr(ip("192.0.2.55"))
                .siaddr(ip("192.0.2.1"))
                .bootFileName("bootx64.efi")
                .options(o -> o
                        .messageType(DhcpMessageType.OFFER)
                        .serverIdentifier(ip("192.0.2.1"))
                        .leaseTime(3600).renewalTime(1800).rebindingTime(3150)
                        .subnetMask(ip("255.255.255.0"))
                        .routers(List.of(ip("192.0.2.254")))
                        .vendorClassIdentifier("PXEClient")
                        .vendorSpecific(pxe))
                .build();
    }

    /** An offer of about 700 bytes of options: the essentials, two requested, many others. */
    private static DhcpMessage.Builder bigOffer(DhcpMessage request) {
        return DhcpMessage.replyTo(request).options(o -> o
                .messageType(DhcpMessageType.OFFER)
                .serverIdentifier(ip("192.0.2.1"))
                .leaseTime(3600).renewalTime(1800).rebindingTime(3150)
                .subnetMask(ip("255.255.255.0"))
                .hostName("node07")
                .domainName("cluster.example")
                .put(200, filled(150, 'p'))
                .put(201, filled(150, 'q'))
                .put(202, filled(150, 'r'))
                .put(224, filled(200, 's')));
    }

    private DhcpMessage roundTrip(DhcpMessage message) {
        assertTrue(encoder.writeOutbound(new DefaultAddressedEnvelope<DhcpMessage, InetSocketAddress>(message, CLIENT, SERVER)));
        DatagramPacket datagram = encoder.readOutbound();
        assertEquals(CLIENT, datagram.recipient());
        assertTrue(decoder.writeInbound(new DatagramPacket(datagram.content(), CLIENT, SERVER)));
        AddressedEnvelope<DhcpMessage, InetSocketAddress> envelope = decoder.readInbound();
        assertEquals(SERVER, envelope.sender());
        assertNull(decoder.readInbound());
        return envelope.content();
    }

    private byte[] encode(DhcpMessage message) {
        assertTrue(encoder.writeOutbound(new DefaultAddressedEnvelope<DhcpMessage, InetSocketAddress>(message, CLIENT, SERVER)));
        DatagramPacket datagram = encoder.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(datagram.content());
        datagram.release();
        return bytes;
    }

    private int wireLength(DhcpMessage message) {
        return encode(message).length;
    }

    private DhcpMessage decode(byte[] packet) {
        assertTrue(decoder.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(packet), SERVER, CLIENT)));
        AddressedEnvelope<DhcpMessage, InetSocketAddress> envelope = decoder.readInbound();
        assertEquals(CLIENT, envelope.sender());
        return envelope.content();
    }

    private void assertRefused(byte[] packet, String reason) {
        DecoderException e = assertThrows(DecoderException.class,
                () -> decoder.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(packet), SERVER, CLIENT)));
        DhcpPacketException bad = assertInstanceOf(DhcpPacketException.class, e);
        assertEquals(CLIENT, bad.sender());
        assertTrue(bad.getMessage().contains(reason), bad.getMessage());
        assertTrue(bad.getMessage().contains(CLIENT.toString()), bad.getMessage());
        assertTrue(decoder.isOpen());
        assertNull(decoder.readInbound());
    }

    private static byte[] discoverHeader() {
        return header("01 01 06 00", "01020304", "0000 0000", "00000000 00000000 00000000 00000000", "525400123456");
    }

    /** op htype hlen hops, xid, secs flags, ciaddr yiaddr siaddr giaddr, chaddr; sname and file empty. */
    private static byte[] header(String first, String xid, String secsFlags, String addresses, String chaddr) {
        return concat(hex(first), hex(xid), hex(secsFlags), hex(addresses), pad(hex(chaddr), 16), new byte[64],
                new byte[128]);
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(US_ASCII);
    }

    private static byte[] filled(int length, char c) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }

    private static byte[] pad(byte[] bytes, int length) {
        return Arrays.copyOf(bytes, length);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
