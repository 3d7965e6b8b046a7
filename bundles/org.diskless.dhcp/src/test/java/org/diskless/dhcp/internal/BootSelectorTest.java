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
}
