package org.diskless.dhcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.nodes.Node;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which first file a client loads: node, then loader services by rank, then settings; never iPXE twice. */
class BootSelectorTest {

    private static final BootContext CLIENT = BootContext.of(BootProtocol.DHCP,
            new InetSocketAddress(Addresses.ANY, 68)).withHardwareAddress(DhcpFixture.mac(1));

    private static DhcpSettings settings(Object... keysAndValues) {
        try {
            return DhcpSettings.parse(Config.of(DhcpFixture.settings(keysAndValues)));
        } catch (InvalidSettingException e) {
            throw new AssertionError(e);
        }
    }

    private static RankedLoader ranked(StubLoader loader, int ranking, long id, Integer... architectures) {
        return new RankedLoader(loader, ranking, id, Optional.of(Set.of(architectures)));
    }

    private static BootContext bios() {
        return CLIENT.withArchitecture(ClientArchitecture.BIOS);
    }

    @Test
    void highestRankedLoaderServingTheArchitectureWins() {
        List<RankedLoader> loaders = List.of(ranked(StubLoader.naming("low", "low.0"), 1, 1, 0),
                ranked(StubLoader.naming("high", "high.0"), 10, 2, 0),
                ranked(StubLoader.naming("efi", "efi.efi"), 50, 3, 7));

        assertEquals(Optional.of("high.0"), BootSelector.choose(bios(), loaders, settings()));
        assertEquals(Optional.of("efi.efi"), BootSelector.choose(CLIENT.withArchitecture(ClientArchitecture.EFI_X64_ALT),
                loaders, settings()), "a loader for 7 serves 9 as well");
    }

    @Test
    void equalRankGoesToTheOlderService() {
        List<RankedLoader> loaders = List.of(ranked(StubLoader.naming("newer", "newer.0"), 5, 20, 0),
                ranked(StubLoader.naming("older", "older.0"), 5, 10, 0));

        assertEquals(Optional.of("older.0"), BootSelector.choose(bios(), loaders, settings()));
    }

    @Test
    void loaderThatDeclinesOrFailsPassesToTheNext() {
        StubLoader failing = new StubLoader("broken", context -> {
            throw new IllegalStateException("no files");
        });
        List<RankedLoader> loaders = List.of(ranked(failing, 30, 1, 0),
                ranked(new StubLoader("declines", context -> Optional.empty()), 20, 2, 0),
                ranked(StubLoader.naming("works", "works.0"), 10, 3, 0));

        assertEquals(Optional.of("works.0"), BootSelector.choose(bios(), loaders, settings()));
        assertEquals(1, failing.asked.size());
    }

    @Test
    void aLoaderThatFailsOnEveryRequestIsLoggedOnceAMinuteNotOnceARequest() throws Exception {
        StubLoader failing = new StubLoader("always-broken", context -> {
            throw new IllegalStateException("no files");
        });
        List<RankedLoader> loaders = List.of(ranked(failing, 30, 1, 0),
                ranked(StubLoader.naming("works", "works.0"), 10, 3, 0));
        String log;
        try (StandardErrorCapture stderr = new StandardErrorCapture()) {
            for (int i = 0; i < 1000; i++) {
                assertEquals(Optional.of("works.0"), BootSelector.choose(bios(), loaders, settings()));
            }
            log = stderr.text();
        }

        assertEquals(1, log.lines().filter(l -> l.contains("Boot loader 'always-broken' failed")).count(), log);
    }

    @Test
    void configuredFileServesWhenNoLoaderDoes() {
        assertEquals(Optional.of("pxelinux.0"), BootSelector.choose(bios(), List.of(),
                settings("bootFile.bios", "pxelinux.0")));
    }

    @Test
    void clientThatAnnouncesNoArchitectureIsChosenForAsBios() {
        StubLoader bios = StubLoader.naming("bios", "bios.0");
        List<RankedLoader> loaders = List.of(ranked(StubLoader.naming("efi", "efi.efi"), 10, 1, 7), ranked(bios, 1, 2, 0));

        assertEquals(Optional.of("bios.0"), BootSelector.choose(CLIENT, loaders, settings()));
        assertEquals(Optional.of(ClientArchitecture.BIOS), bios.asked.get(0).architecture(),
                "the loader is told the architecture it was chosen for");
        assertEquals(Optional.of("pxelinux.0"), BootSelector.choose(CLIENT, List.of(), settings("bootFile.bios", "pxelinux.0")));
    }

    @Test
    void nodesOwnFileComesFirst() {
        Node node = Node.builder("n1", DhcpFixture.mac(1))
                .bootFiles(Map.of("loader", "n1/loader.0", "ipxe", "n1/boot.ipxe")).build();
        List<RankedLoader> loaders = List.of(ranked(StubLoader.naming("any", "any.0"), 99, 1, 0));

        assertEquals(Optional.of("n1/loader.0"), BootSelector.choose(bios().withNode(node), loaders, settings()));
        assertEquals(Optional.of("n1/boot.ipxe"), BootSelector.choose(bios().withNode(node).withUserClass("iPXE"),
                loaders, settings()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"undionly.kpxe", "ipxe.efi", "snponly.efi", "ipxe/ipxe.lkrn", "boot/UNDIONLY.KKPXE",
            "snp.efi", "ipxe.pxe"})
    void ipxeClientIsNeverGivenAnIpxeBinary(String binary) {
        BootContext ipxe = bios().withUserClass(BootSelector.IPXE_USER_CLASS);
        Node node = Node.builder("n1", DhcpFixture.mac(1)).bootFiles(Map.of("ipxe", binary)).build();

        assertEquals(Optional.empty(), BootSelector.choose(ipxe, List.of(ranked(StubLoader.naming("l", binary), 1, 1, 0)),
                settings("bootFile.bios", binary)));
        assertEquals(Optional.empty(), BootSelector.choose(ipxe.withNode(node), List.of(), settings()));
        assertEquals(Optional.of(binary), BootSelector.choose(bios(), List.of(), settings("bootFile.bios", binary)),
                "the firmware itself may load iPXE");
    }

    @Test
    void ipxeClientGetsTheIpxeFileOrWhatALoaderNamesForIt() {
        BootContext ipxe = bios().withUserClass(BootSelector.IPXE_USER_CLASS);

        assertEquals(Optional.of("boot.ipxe"), BootSelector.choose(ipxe, List.of(),
                settings("bootFile.ipxe", "boot.ipxe", "bootFile.bios", "undionly.kpxe")));
        assertEquals(Optional.of("http://192.0.2.1/menu.ipxe"), BootSelector.choose(ipxe,
                List.of(ranked(StubLoader.naming("ipxe", "http://192.0.2.1/menu.ipxe"), 1, 1, 0)),
                settings("bootFile.ipxe", "boot.ipxe")));
        assertTrue(BootSelector.choose(ipxe, List.of(), settings("bootFile.bios", "pxelinux.0")).isPresent(),
                "a file that is not iPXE may still go to iPXE");
    }

    // ---------------------------------------------------------------- which loader wins, explicitly

    private static final BootContext UEFI = CLIENT.withArchitecture(ClientArchitecture.EFI_X64);

    private static List<RankedLoader> ipxeAndGrub() {
        return List.of(ranked(StubLoader.naming("ipxe", "ipxe.efi"), 10, 1, 0, 7, 9),
                ranked(StubLoader.naming("grub", "grub/grubnetx64.efi"), -20, 2, 7, 9));
    }

    private static Subnet subnet(Object... keysAndValues) {
        try {
            return Subnet.parse("lab", Config.of(DhcpFixture.settings(keysAndValues)));
        } catch (InvalidSettingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aFileNamedForTheFirmwaresArchitectureWinsOverEveryLoader() {
        assertEquals(Optional.of("grubx64.efi"), BootSelector.choose(UEFI, ipxeAndGrub(),
                settings("bootFile.efi64", "grubx64.efi")));
        assertEquals(Optional.of("ipxe.efi"), BootSelector.choose(UEFI, ipxeAndGrub(),
                settings("bootFile.bios", "pxelinux.0")), "another architecture's file says nothing about this one");
    }

    @Test
    void aLoaderNamedForTheArchitectureIsAskedFirstWhateverItsRanking() {
        assertEquals(Optional.of("grub/grubnetx64.efi"), BootSelector.choose(UEFI, ipxeAndGrub(),
                settings("loader.efi64", "grub", "bootFile.efi64", "other.efi")));
        assertEquals(Optional.of("ipxe.efi"), BootSelector.choose(bios(), ipxeAndGrub(),
                settings("loader.efi64", "grub")), "only for that architecture");
    }

    @Test
    void theNodeNamesItsLoaderBeforeTheSubnetAndTheSubnetBeforeTheServer() {
        DhcpSettings server = settings("loader.efi64", "ipxe");
        Optional<Subnet> lab = Optional.of(subnet("network", "192.0.2.0/24", "loader.efi64", "grub"));
        Node viaIpxe = Node.builder("n1", DhcpFixture.mac(1)).bootFiles(Map.of("bootloader", "ipxe")).build();

        assertEquals(Optional.of("ipxe.efi"), BootSelector.choose(UEFI, ipxeAndGrub(), server, Optional.empty(),
                BootSelector.Trace.NONE));
        assertEquals(Optional.of("grub/grubnetx64.efi"), BootSelector.choose(UEFI, ipxeAndGrub(), server, lab,
                BootSelector.Trace.NONE));
        assertEquals(Optional.of("ipxe.efi"), BootSelector.choose(UEFI.withNode(viaIpxe), ipxeAndGrub(), server, lab,
                BootSelector.Trace.NONE));
    }

    @Test
    void aNamedLoaderThatIsNotRunningOrDeclinesLeavesTheClientToTheNextRules() {
        assertEquals(Optional.of("ipxe.efi"), BootSelector.choose(UEFI, ipxeAndGrub(), settings("loader.efi64", "gone")));
        List<RankedLoader> declining = List.of(ranked(new StubLoader("grub", context -> Optional.empty()), 0, 1, 7),
                ranked(StubLoader.naming("ipxe", "ipxe.efi"), -10, 2, 7));
        assertEquals(Optional.of("fallback.efi"), BootSelector.choose(UEFI, declining,
                settings("loader.efi64", "grub", "bootFile.efi64", "fallback.efi")));
        assertEquals(Optional.of("ipxe.efi"), BootSelector.choose(UEFI, declining, settings("loader.efi64", "grub")));
    }

    @Test
    void aNodesOwnFileStillComesBeforeANamedLoader() {
        Node node = Node.builder("n1", DhcpFixture.mac(1))
                .bootFiles(Map.of("loader", "n1/own.efi", "bootloader", "grub")).build();

        assertEquals(Optional.of("n1/own.efi"), BootSelector.choose(UEFI.withNode(node), ipxeAndGrub(), settings()));
    }

    @Test
    void theTraceNamesEveryRuleConsultedInOrder() {
        List<String> lines = new java.util.ArrayList<>();
        Optional<String> file = BootSelector.choose(UEFI, ipxeAndGrub(), settings("loader.efi64", "gone"),
                Optional.empty(), line -> lines.add(line.get()));

        assertEquals(Optional.of("ipxe.efi"), file);
        assertEquals(5, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("client: architecture 7"), lines::toString);
        assertTrue(lines.get(1).startsWith("1. node's boot file role 'loader': not set"), lines::toString);
        assertTrue(lines.get(2).contains("'gone' is not running (installed loaders: ipxe, grub)"), lines::toString);
        assertEquals("3. bootFile.efi64: not set", lines.get(3));
        assertEquals("4. loader 'ipxe' (ranking 10): names ipxe.efi: chosen", lines.get(4));
    }

    @Test
    void aLoaderNameThatCannotBeOneIsRefusedWithItsKey() {
        InvalidSettingException refused = org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingException.class,
                () -> DhcpSettings.parse(Config.of(DhcpFixture.settings("loader.efi64", "grub loader"))));
        assertEquals("loader.efi64", refused.key());
    }
}
