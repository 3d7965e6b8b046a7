package org.diskless.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.nodes.Node;
import org.junit.jupiter.api.Test;

class ConfigLookupChainTest {

    private static final UUID NODE_UUID = UUID.fromString("b8945908-d6a6-41a9-611d-74a6ab80b83d");
    private static final HardwareAddress MAC = HardwareAddress.parse("88:99:AA:BB:CC:DD");
    private static final String UUID_NAME = "b8945908-d6a6-41a9-611d-74a6ab80b83d";
    private static final String MAC_NAME = "01-88-99-aa-bb-cc-dd";

    private static final Node NODE = Node.builder("node01", MAC).uuid(NODE_UUID).address(ip("192.0.2.91")).build();

    /** 192.0.2.91 is C000025B. */
    private static final List<String> FULL_CHAIN = List.of(UUID_NAME, MAC_NAME,
            "C000025B", "C000025", "C00002", "C0000", "C000", "C00", "C0", "C", "default");

    private static BootContext asking(String clientIp, Node node) {
        BootContext context = BootContext.of(BootProtocol.TFTP, new InetSocketAddress(clientIp, 2070));
        return node == null ? context : context.withNode(node);
    }

    private static List<String> candidates(String path, BootContext context) {
        return ConfigLookupChain.forRequest(path, context).map(ConfigLookupChain::candidates).orElse(List.of());
    }

    private static List<String> under(String prefix, List<String> names) {
        return names.stream().map(n -> prefix + n).toList();
    }

    @Test
    void namesArePxelinuxOrderUuidMacThenHexAddressShortenedOneDigitAtATime() throws Exception {
        List<String> names = ConfigLookupChain.names(Optional.of(NODE_UUID), Optional.of(MAC),
                Optional.of((Inet4Address) ip("192.0.2.91")));
        assertEquals(FULL_CHAIN.subList(0, FULL_CHAIN.size() - 1), names);
    }

    @Test
    void theMacNameIsLowerCaseWithTheArpTypeAndDashes() {
        assertEquals(List.of(MAC_NAME), ConfigLookupChain.names(Optional.empty(), Optional.of(MAC), Optional.empty()));
    }

    @Test
    void theHexAddressIsUpperCaseAndZeroPadded() throws Exception {
        List<String> names = ConfigLookupChain.names(Optional.empty(), Optional.empty(),
                Optional.of((Inet4Address) ip("10.0.10.5")));
        assertEquals("0A000A05", names.get(0));
        assertEquals("0", names.get(7));
        assertEquals(8, names.size());
    }

    @Test
    void theFirstNamePxelinuxAsksChainsThroughEveryLaterName() {
        assertEquals(under("pxelinux.cfg/", FULL_CHAIN), candidates("pxelinux.cfg/" + UUID_NAME, asking("192.0.2.91", NODE)));
    }

    @Test
    void aLaterNameChainsOnlyForwardNeverBack() {
        assertEquals(under("pxelinux.cfg/", FULL_CHAIN.subList(4, FULL_CHAIN.size())),
                candidates("pxelinux.cfg/C00002", asking("192.0.2.91", NODE)));
        assertEquals(under("pxelinux.cfg/", FULL_CHAIN.subList(1, FULL_CHAIN.size())),
                candidates("pxelinux.cfg/" + MAC_NAME, asking("192.0.2.91", NODE)));
    }

    @Test
    void defaultIsTheEndOfTheChainAndNeverLeadsToAPerNodeFile() {
        assertTrue(ConfigLookupChain.forRequest("pxelinux.cfg/default", asking("192.0.2.91", NODE)).isEmpty());
    }

    @Test
    void namesOutsideThisClientsChainAreNotChained() {
        BootContext context = asking("192.0.2.91", NODE);
        assertTrue(ConfigLookupChain.forRequest("pxelinux.cfg/menu.cfg", context).isEmpty(), "an included menu");
        assertTrue(ConfigLookupChain.forRequest("pxelinux.cfg/01-52-54-00-12-34-56", context).isEmpty(),
                "another node's MAC file");
        assertTrue(ConfigLookupChain.forRequest("pxelinux.cfg/C0A80001", context).isEmpty(), "another address");
        assertTrue(ConfigLookupChain.forRequest("pxelinux.cfg/c000025b", context).isEmpty(),
                "pxelinux asks hex addresses in upper case only");
        assertTrue(ConfigLookupChain.forRequest("C000025B", context).isEmpty(), "not in a pxelinux.cfg directory");
        assertTrue(ConfigLookupChain.forRequest("other.cfg/C000025B", context).isEmpty());
    }

    @Test
    void theUuidMatchesInEitherCaseAndTheRequestedSpellingIsTriedFirst() {
        String upper = "pxelinux.cfg/" + UUID_NAME.toUpperCase();
        List<String> chain = candidates(upper, asking("192.0.2.91", NODE));
        assertEquals(upper, chain.get(0));
        assertEquals("pxelinux.cfg/" + MAC_NAME, chain.get(1));
    }

    @Test
    void aLoaderInASubdirectoryHasItsConfigDirectoryThere() {
        assertEquals(under("bios/pxelinux.cfg/", FULL_CHAIN.subList(1, FULL_CHAIN.size())),
                candidates("bios/pxelinux.cfg/" + MAC_NAME, asking("192.0.2.91", NODE)));
    }

    @Test
    void anUnknownClientChainsByItsMacAndAddressAlone() {
        BootContext unknown = asking("192.0.2.91", null).withHardwareAddress(MAC);
        assertEquals(under("pxelinux.cfg/", FULL_CHAIN.subList(1, FULL_CHAIN.size())),
                candidates("pxelinux.cfg/" + MAC_NAME, unknown));
        BootContext addressOnly = asking("192.0.2.91", null);
        assertEquals(under("pxelinux.cfg/", FULL_CHAIN.subList(2, FULL_CHAIN.size())),
                candidates("pxelinux.cfg/C000025B", addressOnly));
    }

    @Test
    void withoutAUsableClientAddressTheNodesFixedAddressIsUsed() {
        BootContext context = asking("0.0.0.0", NODE);
        assertEquals(under("pxelinux.cfg/", FULL_CHAIN.subList(2, FULL_CHAIN.size())),
                candidates("pxelinux.cfg/C000025B", context));
    }

    @Test
    void grubNamesFollowTheSameOrderAndFallBackToGrubCfg() {
        assertEquals(List.of("boot/grub/grub.cfg-" + MAC_NAME, "boot/grub/grub.cfg-C000025B", "boot/grub/grub.cfg-C000025",
                "boot/grub/grub.cfg-C00002", "boot/grub/grub.cfg-C0000", "boot/grub/grub.cfg-C000",
                "boot/grub/grub.cfg-C00", "boot/grub/grub.cfg-C0", "boot/grub/grub.cfg-C", "boot/grub/grub.cfg"),
                candidates("boot/grub/grub.cfg-" + MAC_NAME, asking("192.0.2.91", NODE)));
        assertTrue(ConfigLookupChain.forRequest("boot/grub/grub.cfg", asking("192.0.2.91", NODE)).isEmpty());
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
