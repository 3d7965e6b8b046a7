package org.diskless.loader.grub.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.network.BootNetwork;
import org.diskless.api.network.BootNetworks;
import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.diskless.support.kernel.NetworkValues;
import org.junit.jupiter.api.Test;

class GrubLoaderTest {

    private static final Node NODE = node("node01", "52:54:00:12:34:56",
            Map.of("kernel", "/images/vmlinuz", "initrd", "images/initrd.gz", "append", "console=ttyS0 panic=-1"));
    private static final Node NO_KERNEL = node("bare", "52:54:00:00:00:01", Map.of());
    private static final String CONFIG = "grub/grub.cfg-01-52-54-00-12-34-56";
    private static final BootNetworks LAB = () -> List.of(BootNetwork.builder("lab", ipv4("192.0.2.0"), 24)
            .serverAddress(ipv4("192.0.2.1")).routers(List.of(ipv4("192.0.2.254"))).build());

    private final GrubLoader loader = new GrubLoader(GrubSettings.DEFAULTS, directory(NODE, NO_KERNEL), LAB, null);

    // ---------------------------------------------------------------- which file DHCP names

    @Test
    void anX64UefiClientIsToldToLoadGrubUnderEitherCode() {
        assertEquals(Optional.of("grub/grubnetx64.efi"), loader.bootFile(dhcp(NODE, ClientArchitecture.EFI_X64)));
        assertEquals(Optional.of("grub/grubnetx64.efi"), loader.bootFile(dhcp(NODE, ClientArchitecture.EFI_X64_ALT)));
    }

    @Test
    void withSecureBootTheShimIsNamedAndItLoadsTheSignedGrubBesideIt() throws InvalidSettingException {
        GrubSettings secure = settings(Map.of("shimFile", "/grub/shimx64.efi"));
        GrubLoader shimmed = new GrubLoader(secure, directory(NODE), LAB, null);

        assertEquals(Optional.of("grub/shimx64.efi"), shimmed.bootFile(dhcp(NODE, ClientArchitecture.EFI_X64)));
        assertEquals(Optional.of("grub/grubx64.efi"), secure.shimSecondStage());
    }

    @Test
    void biosAndArm64AreServedOnlyWhereTheOperatorGaveAnImage() throws InvalidSettingException {
        assertEquals(Optional.empty(), loader.bootFile(dhcp(NODE, ClientArchitecture.BIOS)));
        assertEquals(Optional.empty(), loader.bootFile(dhcp(NODE, ClientArchitecture.EFI_ARM64)));
        GrubLoader everywhere = new GrubLoader(settings(Map.of("biosFile", "grub/i386-pc/core.0",
                "arm64File", "grub/grubnetaa64.efi")), directory(NODE), LAB, null);
        assertEquals(Optional.of("grub/i386-pc/core.0"), everywhere.bootFile(dhcp(NODE, ClientArchitecture.BIOS)));
        assertEquals(Optional.of("grub/grubnetaa64.efi"), everywhere.bootFile(dhcp(NODE, ClientArchitecture.EFI_ARM64)));
        assertEquals(Optional.empty(), everywhere.bootFile(dhcp(NODE, ClientArchitecture.HTTP_X64)));
    }

    @Test
    void uefiHttpBootClientsGetTheImageWithHttpOnlyWhereTheOperatorGaveOne() throws InvalidSettingException {
        assertEquals(Optional.empty(), loader.bootFile(dhcp(NODE, ClientArchitecture.HTTP_X64)));
        GrubLoader http = new GrubLoader(settings(Map.of("httpFile", "/grub/grubhttpx64.efi")), directory(NODE), LAB,
                null);
        assertEquals(Optional.of("grub/grubhttpx64.efi"), http.bootFile(dhcp(NODE, ClientArchitecture.HTTP_X64)));
        assertEquals(Optional.of("grub/grubnetx64.efi"), http.bootFile(dhcp(NODE, ClientArchitecture.EFI_X64)));
        assertEquals(Optional.empty(), http.bootFile(dhcp(NO_KERNEL, ClientArchitecture.HTTP_X64)));
    }

    @Test
    void aNodeWithoutAKernelOrAnUnknownClientIsLeftToTheNextLoader() {
        assertEquals(Optional.empty(), loader.bootFile(dhcp(NO_KERNEL, ClientArchitecture.EFI_X64)));
        BootContext unknown = BootContext.of(BootProtocol.DHCP, new InetSocketAddress("0.0.0.0", 68))
                .withHardwareAddress(HardwareAddress.parse("52:54:00:99:99:99"))
                .withArchitecture(ClientArchitecture.EFI_X64);
        assertEquals(Optional.empty(), loader.bootFile(unknown));
    }

    // ---------------------------------------------------------------- the configs

    @Test
    void theNodesConfigBootsItsKernelAndInitrdFromTheRootWithTheSharedCommandLine() {
        String config = generated(CONFIG, tftp("192.0.2.150"));

        assertEquals("""
                # Generated by Diskless for node01 (52:54:00:12:34:56). A file of this name in the boot tree replaces it.
                set default=0
                set timeout=0
                menuentry 'node01' {
                \tlinux /images/vmlinuz initrd=images/initrd.gz root=/dev/ram0 rw \
                ip=192.0.2.150:192.0.2.1:192.0.2.254:255.255.255.0:node01::off console=ttyS0 panic=-1
                \tinitrd /images/initrd.gz
                }
                """, config);
    }

    @Test
    void theNodeIsFoundByTheMacInTheNameWhenTheProtocolDoesNotKnowIt() {
        assertTrue(generated(CONFIG, tftp("192.0.2.150")).contains("menuentry 'node01'"));
        assertEquals(Optional.empty(), loader.generate("grub/grub.cfg-01-52-54-00-99-99-99", tftp("192.0.2.151")),
                "a MAC that is no node");
        assertEquals(Optional.empty(), loader.generate("grub/grub.cfg-01-52-54-00-00-00-01", tftp("192.0.2.152")),
                "a node without a kernel has no config, so GRUB's lookup goes on");
        assertEquals(Optional.empty(), loader.generate("pxelinux.cfg/01-52-54-00-12-34-56", tftp("192.0.2.150")));
        assertEquals(Optional.empty(), loader.generate("grub.cfg-01-52-54-00-12-34-56", tftp("192.0.2.150")),
                "outside GRUB's prefix");
    }

    @Test
    void theDefaultConfigSendsEachMachineToItsOwnOnlyOnce() {
        String dispatcher = generated("grub/grub.cfg", tftp("192.0.2.150"));

        assertTrue(dispatcher.contains("'^(..):(..):(..):(..):(..):(..)$' \"$net_default_mac\"\n"), dispatcher);
        assertTrue(dispatcher.contains("configfile \"$prefix/grub.cfg-01-$m1-$m2-$m3-$m4-$m5-$m6\"\n"), dispatcher);
        assertTrue(dispatcher.contains("if [ -z \"$diskless_dispatched\" ]; then\n")
                && dispatcher.contains("export diskless_dispatched\n"), "served again for a machine without a config");
    }

    @Test
    void theConfigFolderFollowsGrubsPrefix() throws InvalidSettingException {
        GrubLoader atRoot = new GrubLoader(settings(Map.of("configDirectory", "/")), directory(NODE), LAB, null);
        assertTrue(atRoot.generate("grub.cfg-01-52-54-00-12-34-56", tftp("192.0.2.150")).isPresent());
        assertTrue(atRoot.generate("grub.cfg", tftp("192.0.2.150")).isPresent());
        assertEquals(Optional.empty(), atRoot.generate(CONFIG, tftp("192.0.2.150")));
    }

    @Test
    void wordsGrubWouldExpandAreQuotedAndWhatCannotBeQuotedIsRefused() throws InvalidSettingException {
        Node odd = node("odd", "52:54:00:00:00:02", Map.of("kernel", "vmlinuz", "append", "x=$y a|b ok=1"));
        String text = GrubMenu.forNode(odd, NetworkValues.NONE, GrubSettings.DEFAULTS, path -> OptionalLong.empty())
                .orElseThrow();
        assertTrue(text.contains("\tlinux /vmlinuz 'x=$y' 'a|b' ok=1\n"), text);

        Node quote = node("q", "52:54:00:00:00:03", Map.of("kernel", "vmlinuz", "append", "x='1'"));
        assertThrows(IllegalArgumentException.class,
                () -> GrubMenu.forNode(quote, NetworkValues.NONE, GrubSettings.DEFAULTS, path -> OptionalLong.empty()));
        Node dollarPath = node("d", "52:54:00:00:00:04", Map.of("kernel", "images/$kernel"));
        assertThrows(IllegalArgumentException.class,
                () -> GrubMenu.forNode(dollarPath, NetworkValues.NONE, GrubSettings.DEFAULTS, path -> OptionalLong.empty()));
        assertEquals(Optional.empty(), new GrubLoader(GrubSettings.DEFAULTS, directory(dollarPath), LAB, null)
                .generate("grub/grub.cfg-01-52-54-00-00-00-04", tftp("192.0.2.150")), "logged, and no config");
    }

    // ---------------------------------------------------------------- settings

    @Test
    void badSettingsAreRefusedWithTheirKey() {
        for (Map.Entry<String, String> bad : List.of(Map.entry("efiFile", "/"), Map.entry("shimFile", "../shim.efi"),
                Map.entry("biosFile", "a b"), Map.entry("httpFile", "../grub.efi"),
                Map.entry("device", "eth0:1"), Map.entry("append", "x='1'"),
                Map.entry("service.ranking", "high"))) {
            InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                    () -> settings(Map.of(bad.getKey(), bad.getValue())), bad::toString);
            assertEquals(bad.getKey(), refused.key());
        }
    }

    @Test
    void aMistypedKeyIsLeftUnreadForTheLogToName() throws InvalidSettingException {
        Config config = Config.of(Map.of("efifile", "x.efi", "service.ranking", "3"));
        GrubSettings.parse(config);
        assertEquals(List.of("efifile"), config.unreadKeys());
    }

    // ---------------------------------------------------------------- helpers

    private String generated(String path, BootContext context) {
        return new String(loader.generate(path, context).orElseThrow(() -> new AssertionError(path)), US_ASCII);
    }

    private static GrubSettings settings(Map<String, String> properties) throws InvalidSettingException {
        return GrubSettings.parse(Config.of(properties));
    }

    private static Node node(String name, String mac, Map<String, String> bootFiles) {
        return Node.builder(name, HardwareAddress.parse(mac)).bootFiles(bootFiles).build();
    }

    private static BootContext dhcp(Node node, ClientArchitecture architecture) {
        return BootContext.of(BootProtocol.DHCP, new InetSocketAddress("0.0.0.0", 68)).withNode(node)
                .withArchitecture(architecture);
    }

    private static BootContext tftp(String address) {
        return BootContext.of(BootProtocol.TFTP, new InetSocketAddress(address, 2070));
    }

    private static Inet4Address ipv4(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static NodeDirectory directory(Node... nodes) {
        return new NodeDirectory() {
            @Override
            public Optional<Node> byHardwareAddress(HardwareAddress address) {
                return List.of(nodes).stream().filter(n -> n.hardwareAddress().equals(address)).findFirst();
            }

            @Override
            public Optional<Node> byUuid(UUID uuid) {
                return Optional.empty();
            }

            @Override
            public Optional<Node> byAddress(InetAddress address) {
                return Optional.empty();
            }

            @Override
            public Optional<Node> byName(String name) {
                return Optional.empty();
            }

            @Override
            public Collection<Node> nodes() {
                return List.of(nodes);
            }
        };
    }
}
