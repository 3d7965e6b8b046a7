package org.diskless.dhcp.internal;

import static org.diskless.dhcp.codec.DhcpMessageType.ACK;
import static org.diskless.dhcp.codec.DhcpMessageType.OFFER;
import static org.diskless.dhcp.internal.DhcpFixture.BROADCAST;
import static org.diskless.dhcp.internal.DhcpFixture.LAB;
import static org.diskless.dhcp.internal.DhcpFixture.SERVER;
import static org.diskless.dhcp.internal.DhcpFixture.discover;
import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.diskless.dhcp.internal.DhcpFixture.mac;
import static org.diskless.dhcp.internal.DhcpFixture.message;
import static org.diskless.dhcp.internal.DhcpFixture.only;
import static org.diskless.dhcp.internal.DhcpFixture.settings;
import static org.diskless.dhcp.internal.DhcpFixture.to;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.MulticastTftp;
import org.diskless.api.nodes.Node;
import org.diskless.dhcp.codec.DhcpDecoder;
import org.diskless.dhcp.codec.DhcpEncoder;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.codec.DhcpOptions;
import org.diskless.dhcp.codec.PxeVendorOptions;
import org.diskless.dhcp.internal.DhcpFixture.Sent;
import org.diskless.dhcp.internal.DhcpStatistics.Drop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** The boot answer: PXE 2.1, RFC 4578, UEFI HTTP boot, iPXE, boot loader services, ProxyDHCP. */
class DhcpProcessorPxeTest {

    private static final String HTTP_URL = "http://192.0.2.1/boot/grubx64.efi";
    private static final Map<String, Object> BOOT = settings("unknownClients", "allow",
            "bootFile.bios", "pxelinux.0", "bootFile.efi32", "ia32/bootia32.efi", "bootFile.efi64", "grubx64.efi",
            "bootFile.arm64", "grubaa64.efi", "bootFile.http64", HTTP_URL, "bootFile.ipxe", "boot.ipxe");
    private static final MulticastTftp.Channel CHANNEL =
            new MulticastTftp.Channel(ip("239.192.0.1"), 1758, 1759, 2, 4);
    private static final Set<Integer> MTFTP_SUBOPTIONS = Set.of(PxeVendorOptions.MTFTP_IP,
            PxeVendorOptions.MTFTP_CLIENT_PORT, PxeVendorOptions.MTFTP_SERVER_PORT, PxeVendorOptions.MTFTP_TIMEOUT,
            PxeVendorOptions.MTFTP_DELAY);

    /** A PXE ROM's DISCOVER: option 60 with its architecture, option 93, and what PXE ROMs ask for. */
    static DhcpMessage.Builder pxe(DhcpMessageType type, HardwareAddress mac, int architecture) {
        return message(type, mac).options(o -> o
                .vendorClassIdentifier(String.format("PXEClient:Arch:%05d:UNDI:003000", architecture))
                .clientArchitectures(List.of(ClientArchitecture.of(architecture)))
                .parameterRequestList(1, 3, 6, 43, 60, 66, 67));
    }

    static DhcpMessage.Builder pxeDiscover(HardwareAddress mac, int architecture) {
        return pxe(DhcpMessageType.DISCOVER, mac, architecture);
    }

    // ---------------------------------------------------------------- server mode

    @Test
    void biosPxeClientGetsPxeClientBackTheBootFileAndOption43() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).start();

        DhcpMessage offer = only(OFFER, f.handle(pxeDiscover(mac(1), 0).build())).reply();

        assertEquals(Optional.of("PXEClient"), offer.options().vendorClassIdentifier(), "PXE 2.1: option 60");
        assertEquals("pxelinux.0", offer.bootFileName());
        assertEquals(Optional.of("pxelinux.0"), offer.options().bootfileName());
        assertEquals(SERVER, offer.siaddr());
        assertEquals(Optional.of("192.0.2.1"), offer.options().tftpServerName());
        PxeVendorOptions pxe = offer.options().pxeVendorOptions().orElseThrow();
        assertEquals(OptionalInt.of(PxeVendorOptions.DISABLE_BROADCAST | PxeVendorOptions.DISABLE_MULTICAST
                | PxeVendorOptions.DOWNLOAD_BOOT_FILE), pxe.discoveryControl(), "boot the file in this offer");
        assertTrue(pxe.codes().stream().noneMatch(MTFTP_SUBOPTIONS::contains), pxe.toString());
    }

    @ParameterizedTest(name = "architecture {0} boots {1}")
    @CsvSource({"0, pxelinux.0", "6, ia32/bootia32.efi", "7, grubx64.efi", "9, grubx64.efi", "11, grubaa64.efi"})
    void bootFileFollowsTheClientArchitecture(int architecture, String file) {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).start();

        DhcpMessage offer = only(OFFER, f.handle(pxeDiscover(mac(1), architecture).build())).reply();

        assertEquals(file, offer.bootFileName());
        assertEquals(Optional.of("PXEClient"), offer.options().vendorClassIdentifier());
    }

    @Test
    void architectureIsTakenFromTheVendorClassWhenOption93IsMissing() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).start();

        DhcpMessage offer = only(OFFER, f.handle(discover(mac(1))
                .options(o -> o.vendorClassIdentifier("PXEClient:Arch:00007:UNDI:003016")).build())).reply();

        assertEquals("grubx64.efi", offer.bootFileName());
    }

    @Test
    void pxeClientThatAnnouncesNoArchitectureBootsAsBios() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow"), LAB)
                .withLoader(StubLoader.naming("bios", "bios/lpxelinux.0"), 1, 1, 0).start();

        DhcpMessage offer = only(OFFER, f.handle(discover(mac(1))
                .options(o -> o.vendorClassIdentifier("PXEClient")).build())).reply();

        assertEquals("bios/lpxelinux.0", offer.bootFileName());
        assertTrue(offer.options().pxeVendorOptions().isPresent(), "option 43, as to a BIOS ROM");
    }

    @Test
    void architectureWithoutABootFileGetsNone() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "bootFile.bios", "pxelinux.0"), LAB).start();

        DhcpMessage offer = only(OFFER, f.handle(pxeDiscover(mac(1), 11).build())).reply();

        assertEquals("", offer.bootFileName());
        assertFalse(offer.options().contains(DhcpOptions.BOOTFILE_NAME));
        // No "PXEClient" and no PXE options: a ProxyDHCP on the same network may still answer it.
        assertEquals(Optional.empty(), offer.options().vendorClassIdentifier());
        assertFalse(offer.options().contains(DhcpOptions.VENDOR_SPECIFIC));
    }

    @Test
    void uefiClientsNeverGetOption43EvenWithAnMtftpService() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).withMulticastTftp((file, context) -> Optional.of(CHANNEL)).start();

        for (int architecture : new int[] {6, 7, 9, 11}) {
            DhcpMessage offer = only(OFFER, f.handle(pxeDiscover(mac(architecture), architecture).build())).reply();
            assertFalse(offer.options().contains(DhcpOptions.VENDOR_SPECIFIC), "architecture " + architecture);
        }
    }

    @Test
    void httpBootClientGetsAUrlAndHttpClientBack() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).start();

        DhcpMessage offer = only(OFFER, f.handle(discover(mac(1)).options(o -> o
                .vendorClassIdentifier("HTTPClient:Arch:00016:UNDI:003000")
                .clientArchitectures(List.of(ClientArchitecture.HTTP_X64))
                .parameterRequestList(1, 3, 6, 43, 60, 66, 67)).build())).reply();

        assertEquals(Optional.of("HTTPClient"), offer.options().vendorClassIdentifier(), "UEFI 2.x HTTP boot");
        assertEquals(HTTP_URL, offer.bootFileName());
        assertFalse(offer.options().contains(DhcpOptions.VENDOR_SPECIFIC));
        assertFalse(offer.options().contains(DhcpOptions.TFTP_SERVER_NAME));
    }

    @Test
    void anHttpBootPathBecomesAUrlOnTheHttpBootServerAtTheBootServersAddress() {
        Map<String, Object> path = new java.util.HashMap<>(BOOT);
        path.put("bootFile.http64", "EFI/boot/grub x64.efi");
        DhcpFixture f = new DhcpFixture(path, LAB).withHttpBoot(httpBoot(8080)).start();

        DhcpMessage offer = only(OFFER, f.handle(httpDiscover(mac(1)))).reply();

        String nextServer = offer.siaddr().getHostAddress();
        assertEquals("http://" + nextServer + ":8080/EFI/boot/grub%20x64.efi", offer.bootFileName());
        assertEquals(Optional.of("HTTPClient"), offer.options().vendorClassIdentifier());
    }

    @Test
    void withoutAnHttpBootServerAPathNamesNoFileButAUrlStillDoes() {
        Map<String, Object> path = new java.util.HashMap<>(BOOT);
        path.put("bootFile.http64", "EFI/boot/grubx64.efi");
        DhcpFixture f = new DhcpFixture(path, LAB).start();
        DhcpMessage offer = only(OFFER, f.handle(httpDiscover(mac(1)))).reply();
        assertEquals("", offer.bootFileName());
        assertFalse(offer.options().vendorClassIdentifier().isPresent(), "no HTTPClient without a file to fetch");

        DhcpFixture withUrl = new DhcpFixture(BOOT, LAB).start();
        assertEquals(HTTP_URL, only(OFFER, withUrl.handle(httpDiscover(mac(2)))).reply().bootFileName());
    }

    @Test
    void explainNamesTheUrlAnHttpBootClientIsToldOrWhyItIsToldNone() {
        Map<String, Object> path = new java.util.HashMap<>(BOOT);
        path.put("bootFile.http64", "grub/grubhttpx64.efi");
        DhcpFixture f = new DhcpFixture(path, LAB).withHttpBoot(httpBoot(8080)).start();

        List<String> lines = f.processor().explain(mac(1), Optional.of(ClientArchitecture.HTTP_X64), Optional.empty());

        assertEquals("=> boot file http://192.0.2.1:8080/grub/grubhttpx64.efi", lines.get(lines.size() - 1));
        List<String> without = new DhcpFixture(path, LAB).start().processor()
                .explain(mac(1), Optional.of(ClientArchitecture.HTTP_X64), Optional.empty());
        assertEquals("=> no boot file: 'grub/grubhttpx64.efi' is a path, and no HTTP boot server runs"
                + " (feature:install diskless-http)", without.get(without.size() - 1));
    }

    private static DhcpMessage httpDiscover(HardwareAddress mac) {
        return discover(mac).options(o -> o
                .vendorClassIdentifier("HTTPClient:Arch:00016:UNDI:003000")
                .clientArchitectures(List.of(ClientArchitecture.HTTP_X64))
                .parameterRequestList(1, 3, 6, 43, 60, 66, 67)).build();
    }

    private static org.diskless.api.boot.HttpBootEndpoint httpBoot(int port) {
        return new org.diskless.api.boot.HttpBootEndpoint() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public Optional<java.net.InetAddress> address() {
                return Optional.empty();
            }
        };
    }

    @Test
    void ipxeClientGetsTheIpxeBootFile() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).start();

        for (int architecture : new int[] {0, 7}) {
            DhcpMessage offer = only(OFFER, f.handle(pxeDiscover(mac(architecture), architecture)
                    .options(o -> o.put(DhcpOptions.USER_CLASS, "iPXE".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                    .build())).reply();
            assertEquals("boot.ipxe", offer.bootFileName(), "architecture " + architecture);
        }
    }

    @Test
    void ipxeClientIsNeverHandedAnIpxeBinary() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "bootFile.bios", "undionly.kpxe",
                "bootFile.efi64", "ipxe/snponly.efi"), LAB)
                .withLoader(StubLoader.naming("ipxe", "ipxe.efi"), 100, 1, 7)
                .start();

        for (int architecture : new int[] {0, 7}) {
            DhcpMessage offer = only(OFFER, f.handle(pxeDiscover(mac(architecture), architecture)
                    .options(o -> o.userClasses("iPXE")).build())).reply();
            assertEquals("", offer.bootFileName(), "architecture " + architecture);
            assertFalse(offer.options().contains(DhcpOptions.BOOTFILE_NAME));
        }
        DhcpMessage firmware = only(OFFER, f.handle(pxeDiscover(mac(9), 7).build())).reply();
        assertEquals("ipxe/snponly.efi", firmware.bootFileName(),
                "the firmware itself does get iPXE: the file named for its architecture, before any loader");
    }

    @Test
    void bootLoaderServicesAreAskedByRankingForTheirArchitectures() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "allow", "bootFile.arm64", "grubaa64.efi"), LAB)
                .withLoader(StubLoader.naming("low", "low/pxelinux.0"), 1, 1, 0)
                .withLoader(StubLoader.naming("high", "high/lpxelinux.0"), 10, 2, 0)
                .withLoader(StubLoader.naming("grub", "grub/grubx64.efi"), 100, 3, 7)
                .start();

        assertEquals("high/lpxelinux.0", only(OFFER, f.handle(pxeDiscover(mac(1), 0).build())).reply().bootFileName());
        assertEquals("grub/grubx64.efi", only(OFFER, f.handle(pxeDiscover(mac(2), 9).build())).reply().bootFileName());
        assertEquals("grubaa64.efi", only(OFFER, f.handle(pxeDiscover(mac(3), 11).build())).reply().bootFileName(),
                "no loader serves ARM64: the configured file");
    }

    @Test
    void nodesOwnLoaderComesBeforeServicesAndSettings() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).withLoader(StubLoader.naming("high", "high.0"), 10, 1, 0).start();
        f.inventory.add(Node.builder("n1", mac(1)).bootFiles(Map.of("loader", "nodes/n1/pxelinux.0")).build());

        assertEquals("nodes/n1/pxelinux.0", only(OFFER, f.handle(pxeDiscover(mac(1), 0).build())).reply().bootFileName());
    }

    @Test
    void biosClientGetsTheMtftpSubOptionsWhenAnMtftpServiceServesItsFile() {
        List<String> asked = new ArrayList<>();
        DhcpFixture f = new DhcpFixture(BOOT, LAB).withMulticastTftp((file, context) -> {
            asked.add(file + " for " + context.hardwareAddress().orElseThrow());
            return Optional.of(CHANNEL);
        }).start();

        PxeVendorOptions pxe = only(OFFER, f.handle(pxeDiscover(mac(1), 0).build())).reply().options()
                .pxeVendorOptions().orElseThrow();

        assertEquals(List.of("pxelinux.0 for 52:54:00:00:00:01"), asked);
        assertEquals(Optional.of(ip("239.192.0.1")), pxe.mtftpAddress());
        assertEquals(OptionalInt.of(1758), pxe.mtftpClientPort());
        assertEquals(OptionalInt.of(1759), pxe.mtftpServerPort());
        assertEquals(OptionalInt.of(2), pxe.mtftpTimeout());
        assertEquals(OptionalInt.of(4), pxe.mtftpDelay());
    }

    @Test
    void noMtftpSubOptionsForAFileTheMtftpServiceDoesNotServe() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).withMulticastTftp((file, context) -> Optional.empty()).start();

        PxeVendorOptions pxe = only(OFFER, f.handle(pxeDiscover(mac(1), 0).build())).reply().options()
                .pxeVendorOptions().orElseThrow();

        assertTrue(pxe.codes().stream().noneMatch(MTFTP_SUBOPTIONS::contains), pxe.toString());
    }

    @Test
    void failingMtftpServiceCostsTheClientOnlyTheMulticast() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).withMulticastTftp((file, context) -> {
            throw new IllegalStateException("MTFTP bundle stopping");
        }).start();

        DhcpMessage offer = only(OFFER, f.handle(pxeDiscover(mac(1), 0).build())).reply();

        assertEquals("pxelinux.0", offer.bootFileName());
        PxeVendorOptions pxe = offer.options().pxeVendorOptions().orElseThrow();
        assertTrue(pxe.codes().stream().noneMatch(MTFTP_SUBOPTIONS::contains), pxe.toString());
    }

    @Test
    void configuredMenuIsSentToBiosClientsWithItsPrompt() {
        Map<String, Object> menu = new HashMap<>(BOOT);
        menu.putAll(Map.of("pxeMenu.1", "Install Linux | linux/pxelinux.0", "pxeMenu.2", "Boot from disk | local",
                "pxePrompt", "Choose a boot", "pxePromptTimeout", "5"));
        DhcpFixture f = new DhcpFixture(menu, LAB).start();

        PxeVendorOptions pxe = only(OFFER, f.handle(pxeDiscover(mac(1), 0).build())).reply().options()
                .pxeVendorOptions().orElseThrow();

        assertEquals(OptionalInt.of(PxeVendorOptions.DISABLE_BROADCAST | PxeVendorOptions.DISABLE_MULTICAST),
                pxe.discoveryControl(), "bit 3 would skip the menu");
        assertEquals(List.of(new PxeVendorOptions.MenuItem(BootAnswers.MENU_TYPE_BASE, "Install Linux"),
                new PxeVendorOptions.MenuItem(0, "Boot from disk")), pxe.bootMenu());
        assertEquals(List.of(new PxeVendorOptions.BootServer(BootAnswers.MENU_TYPE_BASE, List.of(SERVER))),
                pxe.bootServers());
        assertEquals(Optional.of(new PxeVendorOptions.MenuPrompt(5, "Choose a boot")), pxe.menuPrompt());
    }

    @Test
    void largestMenuTheSettingsAcceptFitsOneOption43WithTheMtftpSubOptions() {
        Map<String, Object> menu = new HashMap<>(BOOT);
        // 3 (control) + 2 + 7 (servers) + 2 + 2*3 + 83 + 83 (menu) + 2 + 1 + 45 (prompt) + 20 (MTFTP) + 1 (end)
        menu.putAll(Map.of("pxeMenu.1", "x".repeat(83) + " | a.0", "pxeMenu.2", "y".repeat(83) + " | local",
                "pxePrompt", "p".repeat(45)));
        DhcpFixture f = new DhcpFixture(menu, LAB).withMulticastTftp((file, context) -> Optional.of(CHANNEL)).start();

        byte[] option43 = only(OFFER, f.handle(pxeDiscover(mac(1), 0).build())).reply().options()
                .vendorSpecific().orElseThrow();

        assertEquals(255, option43.length);
    }

    @Test
    void clientWithoutPxeOptionsGetsNoBootAnswer() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).start();

        DhcpMessage offer = only(OFFER, f.handle(discover(mac(1)).build())).reply();

        assertFalse(offer.options().contains(DhcpOptions.VENDOR_CLASS_IDENTIFIER));
        assertFalse(offer.options().contains(DhcpOptions.VENDOR_SPECIFIC));
        assertEquals("", offer.bootFileName());
    }

    @Test
    void ackCarriesTheSameBootAnswerAsTheOffer() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).start();
        DhcpMessage offer = only(OFFER, f.handle(pxeDiscover(mac(1), 7).build())).reply();

        f.handle(pxe(DhcpMessageType.REQUEST, mac(1), 7)
                .options(o -> o.requestedIpAddress(offer.yiaddr()).serverIdentifier(SERVER)).build());
        DhcpMessage ack = only(ACK, f.settle()).reply();

        assertEquals("grubx64.efi", ack.bootFileName());
        assertEquals(Optional.of("PXEClient"), ack.options().vendorClassIdentifier());
        assertEquals(SERVER, ack.siaddr());
    }

    @Test
    void largeRepliesRespectTheClientsMaximumMessageSize() {
        Map<String, Object> menu = new HashMap<>(BOOT);
        menu.putAll(Map.of("pxeMenu.1", "x".repeat(83) + " | a.0", "pxeMenu.2", "y".repeat(83) + " | local",
                "pxePrompt", "p".repeat(45)));
        DhcpFixture f = new DhcpFixture(menu, LAB).withMulticastTftp((file, context) -> Optional.of(CHANNEL)).start();

        DhcpMessage roomy = only(OFFER, f.handle(pxeDiscover(mac(1), 0).options(o -> o
                .maxMessageSize(1500).parameterRequestList(1, 3, 6, 12, 15, 28, 43, 60, 66, 67)).build())).reply();
        DhcpMessage small = only(OFFER, f.handle(pxeDiscover(mac(2), 0).options(o -> o
                .parameterRequestList(1, 3, 6, 12, 15, 28, 43, 60, 66, 67)).build())).reply();

        ByteBuf wide = DhcpEncoder.encode(ByteBufAllocator.DEFAULT, roomy, DhcpEncoder.ETHERNET_MAX_PAYLOAD);
        ByteBuf narrow = DhcpEncoder.encode(ByteBufAllocator.DEFAULT, small, DhcpEncoder.ETHERNET_MAX_PAYLOAD);
        try {
            assertTrue(wide.readableBytes() > 576 - 28, "the large reply needs more than 548 bytes");
            assertTrue(wide.readableBytes() <= 1500 - 28);
            assertTrue(narrow.readableBytes() <= 576 - 28, "RFC 2131: 576 bytes unless the client says more");
            DhcpMessage received = DhcpDecoder.decode(wide);
            assertArrayEquals(roomy.options().vendorSpecific().orElseThrow(),
                    received.options().vendorSpecific().orElseThrow());
            assertEquals(roomy.options().codes(), received.options().codes());
            DhcpMessage trimmed = DhcpDecoder.decode(narrow);
            assertTrue(trimmed.options().codes().containsAll(Set.of(DhcpOptions.MESSAGE_TYPE,
                    DhcpOptions.SERVER_IDENTIFIER, DhcpOptions.LEASE_TIME, DhcpOptions.SUBNET_MASK)));
        } finally {
            wide.release();
            narrow.release();
        }
    }

    // ---------------------------------------------------------------- port 4011

    @Test
    void bootServerRequestIsAcknowledgedByUnicastToTheSender() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).start();
        Inet4Address client = ip("192.0.2.55");
        InetSocketAddress sender = new InetSocketAddress(client, 68);

        Sent sent = only(ACK, f.handle(pxe(DhcpMessageType.REQUEST, mac(1), 7).ciaddr(client).build(), sender, true));

        assertEquals(sender, sent.recipient(), "PXE 2.1: the boot server answers where the request came from");
        assertEquals(client, sent.reply().ciaddr());
        assertEquals(ip("0.0.0.0"), sent.reply().yiaddr());
        assertEquals("grubx64.efi", sent.reply().bootFileName());
        assertEquals(Optional.of("PXEClient"), sent.reply().options().vendorClassIdentifier());
        assertEquals(Optional.of(SERVER), sent.reply().options().serverIdentifier());
        assertFalse(sent.reply().options().contains(DhcpOptions.LEASE_TIME));
        assertTrue(f.leases.pending().isEmpty());
    }

    @Test
    void bootServerAnswersTheMenuEntryTheClientChose() {
        Map<String, Object> menu = new HashMap<>(BOOT);
        menu.putAll(Map.of("pxeMenu.1", "Install Linux | linux/pxelinux.0", "pxeMenu.2", "Rescue | rescue/memdisk"));
        DhcpFixture f = new DhcpFixture(menu, LAB).start();
        PxeVendorOptions.BootItem chosen = new PxeVendorOptions.BootItem(BootAnswers.MENU_TYPE_BASE + 1, 0);
        InetSocketAddress sender = to("192.0.2.56", 68);

        Sent sent = only(ACK, f.handle(pxe(DhcpMessageType.REQUEST, mac(1), 0).ciaddr(ip("192.0.2.56"))
                .options(o -> o.vendorSpecific(PxeVendorOptions.builder().bootItem(chosen).build())).build(),
                sender, true));

        assertEquals(sender, sent.recipient());
        assertEquals("rescue/memdisk", sent.reply().bootFileName());
        assertEquals(Optional.of(chosen), sent.reply().options().pxeVendorOptions().orElseThrow().bootItem(),
                "PXE 2.1: the ACK names the boot item it answers");
    }

    @Test
    void bootServerIgnoresAMenuEntryThatDoesNotExist() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).start();
        PxeVendorOptions.BootItem unknown = new PxeVendorOptions.BootItem(BootAnswers.MENU_TYPE_BASE + 7, 0);

        assertTrue(f.handle(pxe(DhcpMessageType.REQUEST, mac(1), 0)
                .options(o -> o.vendorSpecific(PxeVendorOptions.builder().bootItem(unknown).build())).build(),
                to("192.0.2.56", 68), true).isEmpty());
        assertEquals(1, f.dropped(Drop.NO_BOOT_FILE));
    }

    @Test
    void bootServerAnswersOnlyPxeRequests() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).start();

        assertTrue(f.handle(pxeDiscover(mac(1), 0).build(), to("192.0.2.56", 68), true).isEmpty());
        assertTrue(f.handle(message(DhcpMessageType.REQUEST, mac(1)).build(), to("192.0.2.56", 68), true).isEmpty());

        assertEquals(1, f.dropped(Drop.IGNORED));
        assertEquals(1, f.dropped(Drop.NOT_PXE));
    }

    @Test
    void bootServerRefusesUnknownClientsWhenTheyAreDenied() {
        DhcpFixture f = new DhcpFixture(settings("bootFile.bios", "pxelinux.0"), LAB).start();

        assertTrue(f.handle(pxe(DhcpMessageType.REQUEST, mac(1), 0).build(), to("192.0.2.56", 68), true).isEmpty());
        assertEquals(1, f.dropped(Drop.UNKNOWN_CLIENT));
    }

    // ---------------------------------------------------------------- proxy mode

    private static final Map<String, Object> PROXY = settings("mode", "proxy", "unknownClients", "allow",
            "bootFile.bios", "pxelinux.0", "bootFile.efi64", "grubx64.efi");

    @Test
    void proxyOffersThePxeClientTheBootAnswerAndNoAddress() {
        DhcpFixture f = new DhcpFixture(PROXY).start();

        Sent sent = only(OFFER, f.handle(pxeDiscover(mac(1), 0).build()));

        DhcpMessage offer = sent.reply();
        assertEquals(ip("0.0.0.0"), offer.yiaddr(), "PXE 2.1 ProxyDHCP: no address");
        assertEquals(Optional.of("PXEClient"), offer.options().vendorClassIdentifier());
        assertEquals(Optional.of(SERVER), offer.options().serverIdentifier());
        assertEquals(SERVER, offer.siaddr());
        assertEquals("pxelinux.0", offer.bootFileName());
        assertTrue(offer.options().contains(DhcpOptions.VENDOR_SPECIFIC));
        assertFalse(offer.options().contains(DhcpOptions.LEASE_TIME));
        assertFalse(offer.options().contains(DhcpOptions.SUBNET_MASK));
        assertEquals(new InetSocketAddress(BROADCAST, 68), sent.recipient());
        assertTrue(f.leases.pending().isEmpty());
    }

    @Test
    void proxyOffersUefiClientsTheirFileWithoutOption43() {
        DhcpFixture f = new DhcpFixture(PROXY, LAB).withMulticastTftp((file, context) -> Optional.of(CHANNEL)).start();

        DhcpMessage offer = only(OFFER, f.handle(pxeDiscover(mac(1), 7).build())).reply();

        assertEquals(ip("0.0.0.0"), offer.yiaddr());
        assertEquals("grubx64.efi", offer.bootFileName());
        assertFalse(offer.options().contains(DhcpOptions.VENDOR_SPECIFIC));
    }

    @Test
    void proxyLeavesClientsThatAreNotPxeToTheRealServer() {
        DhcpFixture f = new DhcpFixture(PROXY, LAB).start();

        assertTrue(f.handle(discover(mac(1)).build()).isEmpty());
        assertTrue(f.handle(discover(mac(1)).options(o -> o.vendorClassIdentifier("MSFT 5.0")).build()).isEmpty());

        assertEquals(2, f.dropped(Drop.NOT_PXE));
    }

    @Test
    void proxyDoesNotAnswerRequestsOnPort67() {
        DhcpFixture f = new DhcpFixture(PROXY, LAB).start();

        assertTrue(f.handle(pxe(DhcpMessageType.REQUEST, mac(1), 0)
                .options(o -> o.requestedIpAddress(ip("192.0.2.150")).serverIdentifier(ip("192.0.2.2"))).build())
                .isEmpty());
        assertTrue(f.leases.pending().isEmpty());
    }

    @Test
    void proxyRefusesUnknownClientsWhenTheyAreDenied() {
        DhcpFixture f = new DhcpFixture(settings("mode", "proxy", "bootFile.bios", "pxelinux.0")).start();

        assertTrue(f.handle(pxeDiscover(mac(1), 0).build()).isEmpty());
        assertEquals(1, f.dropped(Drop.UNKNOWN_CLIENT));
    }

    @Test
    void proxyWithoutABootFileForTheClientStaysSilent() {
        DhcpFixture f = new DhcpFixture(PROXY).start();

        assertTrue(f.handle(pxeDiscover(mac(1), 11).build()).isEmpty());
        assertEquals(1, f.dropped(Drop.NO_BOOT_FILE));
    }

    @Test
    void proxyBootServerAcknowledgesOnPort4011ByUnicast() {
        DhcpFixture f = new DhcpFixture(PROXY).start();
        InetSocketAddress sender = to("192.0.2.150", 68);

        Sent sent = only(ACK, f.handle(pxe(DhcpMessageType.REQUEST, mac(1), 7).ciaddr(ip("192.0.2.150")).build(),
                sender, true));

        assertEquals(sender, sent.recipient());
        assertEquals("grubx64.efi", sent.reply().bootFileName());
        assertEquals(ip("0.0.0.0"), sent.reply().yiaddr());
    }

    @Test
    void proxyAndItsBootServerNeedNoLeaseStore() {
        DhcpFixture f = new DhcpFixture(PROXY).withoutLeaseStore().start();

        only(OFFER, f.handle(pxeDiscover(mac(1), 0).build()));
        only(ACK, f.handle(pxe(DhcpMessageType.REQUEST, mac(1), 7).ciaddr(ip("192.0.2.150")).build(),
                to("192.0.2.150", 68), true));
    }

    @Test
    void serverModeWithoutALeaseStoreHandsOutNoAddressButAnswersInform() {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).withoutLeaseStore().start();

        assertTrue(f.handle(pxeDiscover(mac(1), 0).build()).isEmpty());
        assertTrue(f.handle(pxe(DhcpMessageType.REQUEST, mac(1), 0)
                .options(o -> o.requestedIpAddress(ip("192.0.2.100"))).build()).isEmpty());

        assertEquals(2, f.dropped(Drop.NO_LEASE_STORE));
        Inet4Address configured = ip("192.0.2.77");
        only(ACK, f.handle(message(DhcpMessageType.INFORM, mac(1)).ciaddr(configured).build(),
                new InetSocketAddress(configured, 68), false));
        only(ACK, f.handle(pxe(DhcpMessageType.REQUEST, mac(1), 7).ciaddr(configured).build(),
                new InetSocketAddress(configured, 68), true));
    }

    @Test
    void contextHandedToLoadersSaysProxyDhcpInProxyMode() {
        StubLoader loader = StubLoader.naming("pxelinux", "pxelinux.0");
        DhcpFixture f = new DhcpFixture(settings("mode", "proxy", "unknownClients", "allow")).withLoader(loader, 0, 1, 0)
                .start();

        f.handle(pxeDiscover(mac(1), 0).build());

        BootContext context = loader.asked.get(0);
        assertEquals(org.diskless.api.boot.BootProtocol.PROXY_DHCP, context.protocol());
        assertEquals(Optional.of(mac(1)), context.hardwareAddress());
        assertEquals(Optional.of(ClientArchitecture.BIOS), context.architecture());
    }

    @Test
    void explainSaysWhichLoaderAUefiNodeGetsAndEveryRuleOnTheWay() {
        DhcpFixture f = new DhcpFixture(settings("unknownClients", "deny", "loader.efi64", "grub"), LAB)
                .withLoader(StubLoader.naming("ipxe", "ipxe.efi"), -10, 1, 0, 7, 9)
                .withLoader(StubLoader.naming("grub", "grub/grubnetx64.efi"), -20, 2, 7, 9)
                .start();
        f.inventory.add(Node.builder("n1", mac(1)).architecture(ClientArchitecture.EFI_X64)
                .bootFiles(Map.of("kernel", "vmlinuz")).build());

        List<String> lines = f.processor().explain(mac(1), Optional.empty(), Optional.empty());

        assertEquals("subnet: lab (192.0.2.0/24)", lines.get(0));
        assertTrue(lines.get(1).startsWith("client: architecture 7, node n1"), lines::toString);
        assertTrue(lines.get(3).startsWith("2. loader named by the server's loader.efi64: 'grub' names"
                + " grub/grubnetx64.efi: chosen"), lines::toString);
        assertEquals("=> boot file grub/grubnetx64.efi from 192.0.2.1", lines.get(lines.size() - 1));
        List<String> unknown = f.processor().explain(mac(2), Optional.of(ClientArchitecture.BIOS), Optional.empty());
        assertTrue(unknown.get(1).contains("unknownClients = deny: it gets no answer at all"), unknown::toString);
    }
}
