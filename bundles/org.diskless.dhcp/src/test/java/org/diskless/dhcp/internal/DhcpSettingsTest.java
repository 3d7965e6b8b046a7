package org.diskless.dhcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.ClientArchitecture;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an operator may write in org.diskless.dhcp.cfg and the subnet configurations, and what is refused. */
class DhcpSettingsTest {

    @Test
    void defaultsAreASafeServer() throws InvalidSettingException {
        DhcpSettings settings = DhcpSettings.parse(Config.of(Map.of()));

        assertEquals(DhcpMode.SERVER, settings.mode());
        assertEquals(new InetSocketAddress(Addresses.ANY, 67), settings.bindAddress());
        assertEquals(4011, settings.proxyPort());
        assertEquals(68, settings.clientPort());
        assertFalse(settings.allowUnknown(), "unknown clients are denied until the operator opens it");
        assertTrue(settings.authoritative());
        assertEquals(Duration.ofHours(1), settings.leaseTime());
        assertEquals(Duration.ofDays(1), settings.maxLeaseTime());
        assertEquals(Duration.ofSeconds(60), settings.offerHold());
        assertEquals(Duration.ofHours(1), settings.declineHold());
        assertTrue(settings.bootFiles().isEmpty());
        assertTrue(settings.pxeMenu().isEmpty());
        assertEquals(DhcpSettings.LeaseKey.CLIENT_ID, settings.leaseKey(), "RFC 2131: option 61 names the lease");
        assertTrue(settings.bootp(), "BOOTP answers only nodes with a fixed address: on unless turned off");
    }

    @Test
    void leasesCanBeKeyedByHardwareAddress() throws InvalidSettingException {
        assertEquals(DhcpSettings.LeaseKey.MAC, DhcpSettings.parse(Config.of(Map.of("leaseKey", "MAC"))).leaseKey());
        assertEquals(DhcpSettings.LeaseKey.CLIENT_ID,
                DhcpSettings.parse(Config.of(Map.of("leaseKey", "clientId"))).leaseKey());
    }

    @Test
    void valuesAreReadAsConfigAdminHandsThemOver() throws InvalidSettingException {
        Map<String, Object> properties = new HashMap<>();
        properties.put("mode", "Proxy");
        properties.put("port", 1067);
        properties.put("proxyPort", "0");
        properties.put("unknownClients", "ALLOW");
        properties.put("authoritative", Boolean.FALSE);
        properties.put("leaseTime", 600L);
        properties.put("maxLeaseTime", " 7200 ");
        properties.put("serverAddress", "192.0.2.1");
        properties.put("bootFile.efi64", "grubx64.efi");

        DhcpSettings settings = DhcpSettings.parse(Config.of(properties));

        assertEquals(DhcpMode.PROXY, settings.mode());
        assertEquals(1067, settings.bindAddress().getPort());
        assertFalse(settings.proxyEnabled());
        assertTrue(settings.allowUnknown());
        assertFalse(settings.authoritative());
        assertEquals(Duration.ofMinutes(10), settings.leaseTime());
        assertEquals(Duration.ofHours(2), settings.maxLeaseTime());
        assertEquals(Optional.of(Addresses.parse("192.0.2.1")), settings.serverAddress());
        assertEquals(Map.of(7, "grubx64.efi", 9, "grubx64.efi"), settings.bootFiles(), "x64 UEFI arrives as 7 or 9");
    }

    @Test
    void menuEntriesAreReadInNumericOrder() throws InvalidSettingException {
        DhcpSettings settings = DhcpSettings.parse(Config.of(Map.of("pxeMenu.10", "Rescue | rescue.0", "pxeMenu.2",
                "Install | install.0", "pxeMenu.1", "Disk | LOCAL", "pxePrompt", "Boot?")));

        assertEquals(List.of(new DhcpSettings.MenuEntry("Disk", "LOCAL"), new DhcpSettings.MenuEntry("Install",
                "install.0"), new DhcpSettings.MenuEntry("Rescue", "rescue.0")), settings.pxeMenu());
        assertTrue(settings.pxeMenu().get(0).isLocalBoot());
        assertEquals(Optional.of(new DhcpSettings.MenuPrompt(10, "Boot?")), settings.pxePrompt());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', value = {
            "mode; bridge",
            "port; 0",
            "port; 65536",
            "port; sixty-seven",
            "proxyPort; 67",
            "proxyPort; -1",
            "clientPort; 0",
            "address; 192.0.2",
            "serverAddress; dhcp.example.org",
            "nextServer; 192.0.2.256",
            "unknownClients; maybe",
            "authoritative; yes",
            "leaseTime; 59",
            "leaseTime; 4294967295",
            "maxLeaseTime; 1800",
            "offerHold; 0",
            "offerHold; 3601",
            "declineHold; 0",
            "bootFile.http64; ftp://192.0.2.1/grubx64.efi",
            "bootFile.httpArm64; tftp://192.0.2.1/grubaa64.efi",
            "pxeMenu.1; no separator",
            "pxeMenu.1; | file.0",
            "pxeMenu.1; Linux |",
            "pxeMenu.first; Linux | linux.0",
            "pxePromptTimeout; 256",
            "leaseKey; chaddr"})
    void badValueIsRefusedNamingItsKey(String key, String value) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(key, value);
        if (key.equals("pxePromptTimeout")) {
            properties.put("pxePrompt", "Boot?");
        }

        InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                () -> DhcpSettings.parse(Config.of(properties)));

        assertTrue(refused.getMessage().startsWith(value == null ? "'" + key + "' (not set)" : "'" + key + " = "),
                refused.getMessage());
    }

    @Test
    void bootFileLongerThanOption67CanCarryIsRefused() {
        InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                () -> DhcpSettings.parse(Config.of(Map.of("bootFile.bios", "b".repeat(256)))));

        assertTrue(refused.getMessage().startsWith("'bootFile.bios = "), refused.getMessage());
    }

    @Test
    void menuOfMoreThanThirtyEntriesIsRefused() {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 1; i <= 31; i++) {
            properties.put("pxeMenu." + i, i + "|f");
        }

        InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                () -> DhcpSettings.parse(Config.of(properties)));

        assertTrue(refused.getMessage().startsWith("'pxeMenu = "), refused.getMessage());
    }

    @Test
    void menuThatDoesNotFitOneOption43IsRefused() throws InvalidSettingException {
        // 255 bytes of option 43 exactly (see DhcpProcessorPxeTest), then one byte more.
        Map<String, Object> fits = new HashMap<>(Map.of("pxeMenu.1", "x".repeat(83) + " | a.0",
                "pxeMenu.2", "y".repeat(83) + " | local", "pxePrompt", "p".repeat(45)));
        assertEquals(2, DhcpSettings.parse(Config.of(fits)).pxeMenu().size());

        fits.put("pxePrompt", "p".repeat(46));
        InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                () -> DhcpSettings.parse(Config.of(fits)));

        assertTrue(refused.getMessage().startsWith("'pxeMenu = "), refused.getMessage());
    }

    @Test
    void manyShortMenuEntriesThatOverflowOption43AreRefused() {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 1; i <= 20; i++) {
            properties.put("pxeMenu." + i, "Entry " + i + " | entry" + i + ".0");
        }

        assertThrows(InvalidSettingException.class, () -> DhcpSettings.parse(Config.of(properties)));
    }

    // ---------------------------------------------------------------- subnets

    @Test
    void subnetIsReadWithItsRangesInAddressOrder() throws InvalidSettingException {
        Subnet subnet = Subnet.parse("pid-name", Config.of(Map.of("network", "192.0.2.0/24",
                "range", new String[] {"192.0.2.200-192.0.2.209", "192.0.2.100-192.0.2.109", "192.0.2.150"},
                "routers", "192.0.2.254", "dnsServers", "192.0.2.53, 192.0.2.54", "leaseTime", "600",
                "unknownClients", "allow")));

        assertEquals("pid-name", subnet.name());
        assertEquals("192.0.2.0/24", subnet.cidr());
        assertEquals(List.of(AddressRange.parse("192.0.2.100-192.0.2.109"), AddressRange.parse("192.0.2.150"),
                AddressRange.parse("192.0.2.200-192.0.2.209")), subnet.ranges());
        assertEquals(List.of(Addresses.parse("192.0.2.53"), Addresses.parse("192.0.2.54")), subnet.dnsServers());
        assertEquals(Optional.of(Duration.ofMinutes(10)), subnet.leaseTime());
        assertEquals(Optional.of(true), subnet.unknownClients());
        assertEquals(Addresses.parse("255.255.255.0"), subnet.subnetMask());
        assertEquals(Addresses.parse("192.0.2.255"), subnet.broadcastAddress());
    }

    @Test
    void subnetWithoutRangesServesOnlyFixedAddresses() throws InvalidSettingException {
        Subnet subnet = Subnet.parse("fixed", Config.of(Map.of("network", "198.18.0.0/15")));

        assertTrue(subnet.ranges().isEmpty());
        assertEquals(Optional.empty(), subnet.unknownClients(), "the server's rule applies");
        assertTrue(subnet.contains(Addresses.parse("198.19.255.254")));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', value = {
            "network; ",
            "network; 192.0.2.0",
            "network; 192.0.2.0/31",
            "network; 10.0.0.0/7",
            "network; 192.0.2.1/24",
            "network; 192.0.2.0/abc",
            "network; lab.example/24",
            "range; 198.18.0.10-198.18.0.20",
            "range; 192.0.2.0-192.0.2.10",
            "range; 192.0.2.250-192.0.2.255",
            "range; 192.0.2.20-192.0.2.10",
            "range; 192.0.2.10-192.0.2.x",
            "range; 192.0.2.10-192.0.2.20, 192.0.2.15-192.0.2.30",
            "routers; 192.0.2.254, gateway",
            "dnsServers; 192.0.2.300",
            "leaseTime; -5",
            "leaseTime; forever",
            "serverAddress; 192.0.2.1.5",
            "nextServer; tftp.example",
            "unknownClients; sometimes"})
    void badSubnetValueIsRefusedNamingItsKey(String key, String value) {
        Map<String, Object> properties = new HashMap<>(Map.of("network", "192.0.2.0/24"));
        if (value == null) {
            properties.remove(key);
        } else {
            properties.put(key, value);
        }

        InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                () -> Subnet.parse("lab", Config.of(properties)));

        assertTrue(refused.getMessage().startsWith(value == null ? "'" + key + "' (not set)" : "'" + key + " = "),
                refused.getMessage());
    }

    @Test
    void everyArchitectureKeyServesItsOption93Codes() throws InvalidSettingException {
        DhcpSettings settings = DhcpSettings.parse(Config.of(Map.of("bootFile.bios", "bios", "bootFile.efi32", "efi32",
                "bootFile.arm64", "arm64", "bootFile.http64", "http://192.0.2.1/x64")));

        assertEquals("bios", settings.bootFiles().get(ClientArchitecture.BIOS.code()));
        assertEquals("efi32", settings.bootFiles().get(ClientArchitecture.EFI_IA32.code()));
        assertEquals("arm64", settings.bootFiles().get(ClientArchitecture.EFI_ARM64.code()));
        assertEquals("http://192.0.2.1/x64", settings.bootFiles().get(ClientArchitecture.HTTP_X64.code()));
    }

    // ---------------------------------------------------------------- keys nobody reads

    /** A value that parses for each key an operator may write, by key. */
    private static final Map<String, String> VALID = Map.ofEntries(Map.entry("mode", "proxy"),
            Map.entry("address", "0.0.0.0"), Map.entry("port", "1067"), Map.entry("proxyPort", "4011"),
            Map.entry("clientPort", "68"), Map.entry("interface", "eth0"), Map.entry("serverAddress", "192.0.2.1"),
            Map.entry("nextServer", "192.0.2.2"), Map.entry("unknownClients", "allow"),
            Map.entry("authoritative", "false"), Map.entry("bootp", "false"), Map.entry("leaseKey", "mac"),
            Map.entry("leaseTime", "600"),
            Map.entry("maxLeaseTime", "7200"), Map.entry("offerHold", "30"), Map.entry("declineHold", "600"),
            Map.entry("bootFile.bios", "pxelinux.0"), Map.entry("bootFile.efi32", "ia32.efi"),
            Map.entry("bootFile.efi64", "x64.efi"), Map.entry("bootFile.arm32", "arm.efi"),
            Map.entry("bootFile.arm64", "aa64.efi"), Map.entry("bootFile.http32", "http://192.0.2.1/ia32.efi"),
            Map.entry("bootFile.http64", "http://192.0.2.1/x64.efi"),
            Map.entry("bootFile.httpArm64", "http://192.0.2.1/aa64.efi"), Map.entry("bootFile.ipxe", "boot.ipxe"),
            Map.entry("pxePrompt", "Boot?"), Map.entry("pxePromptTimeout", "5"), Map.entry("name", "lab"),
            Map.entry("network", "192.0.2.0/24"), Map.entry("range", "192.0.2.100-192.0.2.199"),
            Map.entry("routers", "192.0.2.254"), Map.entry("dnsServers", "192.0.2.53"),
            Map.entry("domainName", "lab.example"), Map.entry("loader.bios", "pxelinux"),
            Map.entry("loader.efi64", "grub"), Map.entry("loader.http64", "grub"),
            Map.entry("architecture", "16"), Map.entry("vendorClass", "HTTPClient"), Map.entry("userClass", "GRUB2"),
            Map.entry("remove", "6"), Map.entry("peers", "192.0.2.2"), Map.entry("peers.takeoverSeconds", "3"),
            Map.entry("peers.port", "647"));

    @Test
    void everyServerKeyTheMetatypeDeclaresIsRead() throws InvalidSettingException {
        Config config = Config.of(valuesFor(DhcpConfig.class));

        DhcpSettings.parse(config);

        assertEquals(List.of(), config.unreadKeys(), "a declared key the server ignores would be warned as unknown");
    }

    @Test
    void everySubnetKeyTheMetatypeDeclaresIsRead() throws InvalidSettingException {
        Config config = Config.of(valuesFor(SubnetConfig.class));

        Subnet.parse("lab", config);

        assertEquals(List.of(), config.unreadKeys(), "a declared key the server ignores would be warned as unknown");
    }

    @Test
    void everyClientClassKeyTheMetatypeDeclaresIsRead() throws InvalidSettingException {
        Config config = Config.of(valuesFor(ClientClassConfig.class));

        ClientClass.parse("grub", config);

        assertEquals(List.of(), config.unreadKeys(), "a declared key the server ignores would be warned as unknown");
    }

    @Test
    void aMistypedKeyIsNamedAsUnread() throws InvalidSettingException {
        Config server = Config.of(Map.of("unknownClient", "allow", "pxeMenu.1", "Linux | linux.0", "pxePrompt", "Boot?"));
        Config subnet = Config.of(Map.of("network", "192.0.2.0/24", "ranges", "192.0.2.100-192.0.2.199"));

        DhcpSettings.parse(server);
        Subnet.parse("lab", subnet);

        assertEquals(List.of("unknownClient"), server.unreadKeys());
        assertEquals(List.of("ranges"), subnet.unreadKeys());
    }

    /** Each attribute of a metatype interface under its configuration key (OSGi R7 name mapping), with a value. */
    private static Map<String, String> valuesFor(Class<?> metatype) {
        Map<String, String> values = new HashMap<>();
        for (java.lang.reflect.Method attribute : metatype.getDeclaredMethods()) {
            String key = attribute.getName().replaceAll("\\$$", "").replace('_', '.');
            assertTrue(VALID.containsKey(key), () -> "no test value for " + key);
            values.put(key, VALID.get(key));
        }
        return values;
    }
}
