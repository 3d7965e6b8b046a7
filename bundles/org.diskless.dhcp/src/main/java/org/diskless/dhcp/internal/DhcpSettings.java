package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.api.ClientArchitecture;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.diskless.support.config.SettingsUpdate;

/**
 * The DHCP server's own configuration ({@code etc/org.diskless.dhcp.cfg}), checked. Subnets are
 * configured separately, one factory configuration each ({@link Subnet}).
 *
 * @param bootFiles     the boot file per client architecture (option 93 code), used when neither
 *                      the node nor a BootLoader service names one
 * @param loaders       the boot loader ({@code BootLoader.name()}) asked first per client
 *                      architecture (option 93 code), {@code loader.<arch>}
 * @param ipxeBootFile  what a client whose user class is {@code iPXE} gets, so iPXE does not load
 *                      itself again; empty to let loaders and the per-architecture files decide
 * @param pxeMenu       the PXE boot menu shown by BIOS PXE ROMs; empty for none
 * @param bootp         whether BOOTP requests (no option 53) from inventory nodes with a fixed
 *                      address are answered in server mode
 * @param peers         the other Diskless servers sharing the clients and the lease store
 */
record DhcpSettings(DhcpMode mode, InetSocketAddress bindAddress, int proxyPort, int clientPort,
                    Optional<String> interfaceName, Optional<Inet4Address> serverAddress,
                    Optional<Inet4Address> nextServer, boolean allowUnknown, boolean authoritative,
                    Duration leaseTime, Duration maxLeaseTime, Duration offerHold, Duration declineHold,
                    Map<Integer, String> bootFiles, Map<Integer, String> loaders, Optional<String> ipxeBootFile,
                    List<MenuEntry> pxeMenu,
                    Optional<MenuPrompt> pxePrompt, LeaseKey leaseKey, boolean bootp, PeerSettings peers) {

    static final long MAX_LEASE_SECONDS = 0xFFFF_FFFEL;
    static final String PID = "org.diskless.dhcp";

    /** Config keys for the per-architecture boot files, and the option 93 codes each serves. */
    static final Map<String, List<Integer>> BOOT_FILE_KEYS = bootFileKeys();
    /** What a boot loader's name may hold: {@code loader.efi64 = grub}. */
    private static final Pattern LOADER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** One line of the PXE boot menu: what the user sees and the file it boots ({@code local}: boot the disk). */
    record MenuEntry(String description, String bootFile) {
        boolean isLocalBoot() {
            return bootFile.equalsIgnoreCase("local");
        }
    }

    record MenuPrompt(int timeoutSeconds, String text) {
    }

    /** What names a client's lease: what it says it is, or the hardware it says it from. */
    enum LeaseKey {
        /** Option 61 when the client sends one, else its hardware address (RFC 2131 4.2). */
        CLIENT_ID,
        /**
         * The hardware address alone: machines cloned from one image that send the same option 61
         * get an address each.
         */
        MAC
    }

    DhcpSettings {
        bootFiles = Map.copyOf(bootFiles);
        loaders = Map.copyOf(loaders);
        pxeMenu = List.copyOf(pxeMenu);
    }

    private static Map<String, List<Integer>> bootFileKeys() {
        Map<String, List<Integer>> keys = new LinkedHashMap<>();
        keys.put("bootFile.bios", List.of(ClientArchitecture.BIOS.code()));
        keys.put("bootFile.efi32", List.of(ClientArchitecture.EFI_IA32.code()));
        keys.put("bootFile.efi64", List.of(ClientArchitecture.EFI_X64.code(), ClientArchitecture.EFI_X64_ALT.code()));
        keys.put("bootFile.arm32", List.of(ClientArchitecture.EFI_ARM32.code()));
        keys.put("bootFile.arm64", List.of(ClientArchitecture.EFI_ARM64.code()));
        keys.put("bootFile.http32", List.of(ClientArchitecture.HTTP_IA32.code()));
        keys.put("bootFile.http64", List.of(ClientArchitecture.HTTP_X64.code()));
        keys.put("bootFile.httpArm64", List.of(ClientArchitecture.HTTP_ARM64.code()));
        return Map.copyOf(keys);
    }

    static DhcpSettings defaults() {
        return SettingsUpdate.defaults(DhcpSettings::parse);
    }

    /** Reads {@code etc/org.diskless.dhcp.cfg}; refuses it naming the first key that cannot be used. */
    static DhcpSettings parse(Config config) throws InvalidSettingException {
        DhcpMode mode = config.choice("mode", DhcpMode.SERVER,
                words("server", DhcpMode.SERVER, "proxy", DhcpMode.PROXY));
        Inet4Address bind = config.ipv4("address").orElse(Addresses.ANY);
        int port = config.integer("port", 67, 1, 65535);
        int proxyPort = config.integer("proxyPort", 4011, 0, 65535);
        if (proxyPort == port) {
            throw new InvalidSettingException("proxyPort", proxyPort, "must differ from port");
        }
        Duration lease = config.seconds("leaseTime", Duration.ofHours(1), 60, MAX_LEASE_SECONDS);
        Duration maxLease = config.seconds("maxLeaseTime", Duration.ofDays(1), 60, MAX_LEASE_SECONDS);
        if (maxLease.compareTo(lease) < 0) {
            throw new InvalidSettingException("maxLeaseTime", maxLease.toSeconds(), "is shorter than leaseTime "
                    + lease.toSeconds());
        }
        Map<Integer, String> bootFiles = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> key : BOOT_FILE_KEYS.entrySet()) {
            Optional<String> file = config.text(key.getKey());
            if (file.isEmpty()) {
                continue;
            }
            checkBootFile(key.getKey(), file.get(), key.getKey().startsWith("bootFile.http"));
            key.getValue().forEach(code -> bootFiles.put(code, file.get()));
        }
        Map<Integer, String> loaders = loaderNames(config);
        Optional<String> ipxe = config.text("bootFile.ipxe");
        if (ipxe.isPresent()) {
            checkBootFile("bootFile.ipxe", ipxe.get(), false);
        }
        List<MenuEntry> menu = menu(config);
        Optional<MenuPrompt> prompt = prompt(config);
        checkFitsOption43(menu, prompt);
        return new DhcpSettings(mode, new InetSocketAddress(bind, port), proxyPort,
                config.integer("clientPort", 68, 1, 65535), config.text("interface"),
                config.ipv4("serverAddress"), config.ipv4("nextServer"), unknownClients(config, false),
                config.bool("authoritative", true), lease, maxLease,
                config.seconds("offerHold", Duration.ofMinutes(1), 1, 3600),
                config.seconds("declineHold", Duration.ofHours(1), 1, MAX_LEASE_SECONDS),
                bootFiles, loaders, ipxe, menu, prompt,
                config.choice("leaseKey", LeaseKey.CLIENT_ID,
                        words("clientId", LeaseKey.CLIENT_ID, "mac", LeaseKey.MAC)),
                config.bool("bootp", true), PeerSettings.parse(config));
    }

    /**
     * {@code loader.<arch> = <name>} (the architectures of {@code bootFile.<arch>}), in the server's
     * configuration and a subnet's: which boot loader is asked first for that architecture, by the
     * name it gives itself ({@code grub}, {@code ipxe}, {@code pxelinux}, a third party's).
     */
    static Map<Integer, String> loaderNames(Config config) throws InvalidSettingException {
        Map<Integer, String> loaders = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> key : BOOT_FILE_KEYS.entrySet()) {
            String loaderKey = "loader." + key.getKey().substring("bootFile.".length());
            Optional<String> name = config.text(loaderKey).map(String::trim);
            if (name.isEmpty()) {
                continue;
            }
            if (!LOADER_NAME.matcher(name.get()).matches()) {
                throw new InvalidSettingException(loaderKey, name.get(), "the name of a boot loader, e.g. grub, ipxe"
                        + " or pxelinux (the DHCP server logs each loader's name as it binds)");
            }
            key.getValue().forEach(code -> loaders.put(code, name.get()));
        }
        return loaders;
    }

    /**
     * A PXE ROM reads option 43 as one option of at most 255 bytes (it predates the RFC 3396
     * concatenation of longer ones), and a sub-option holds at most 255 bytes: the menu, its
     * prompt and a boot server per entry must fit there beside discovery control, the end byte and
     * the MTFTP sub-options an MTFTP service may add (as {@code BootAnswers.pxeOptions} lays them out).
     */
    private static void checkFitsOption43(List<MenuEntry> menu, Optional<MenuPrompt> prompt)
            throws InvalidSettingException {
        if (menu.isEmpty()) {
            return;
        }
        int menuBytes = menu.stream().mapToInt(e -> 3 + e.description().length()).sum();
        int serverBytes = 7 * (int) menu.stream().filter(e -> !e.isLocalBoot()).count();
        int promptBytes = 1 + prompt.map(MenuPrompt::text).orElse(BootAnswers.DEFAULT_PROMPT).length();
        int mtftpBytes = 6 + 4 + 4 + 3 + 3;
        int total = 3 + (2 + serverBytes) + (2 + menuBytes) + (2 + promptBytes) + mtftpBytes + 1;
        if (total > 255) {
            throw new InvalidSettingException("pxeMenu", menu.size() + " entries", "with its prompt the menu makes"
                    + " PXE option 43 " + total + " bytes long, and PXE ROMs take 255; shorten the descriptions or"
                    + " the prompt, or drop entries");
        }
    }

    /** {@code unknownClients = allow | deny}. */
    static boolean unknownClients(Config config, boolean defaultValue) throws InvalidSettingException {
        return config.choice("unknownClients", defaultValue, words("allow", true, "deny", false));
    }

    /** Two words and what each means, in the order a refusal lists them. */
    private static <T> Map<String, T> words(String first, T firstValue, String second, T secondValue) {
        Map<String, T> words = new LinkedHashMap<>();
        words.put(first, firstValue);
        words.put(second, secondValue);
        return words;
    }

    /** Whether a boot file is named by URL (HTTP boot) rather than by its path in the boot root. */
    static boolean isUrl(String file) {
        return file.startsWith("http://") || file.startsWith("https://");
    }

    private static void checkBootFile(String key, String file, boolean http) throws InvalidSettingException {
        if (http && !isUrl(file) && file.contains("://")) {
            throw new InvalidSettingException(key, file, "HTTP boot clients need a URL (http://… or https://…) or a"
                    + " path in the boot root, which the HTTP boot server (feature diskless-http) serves");
        }
        if (file.length() > 255) {
            throw new InvalidSettingException(key, file, "longer than the 255 bytes DHCP option 67 can carry");
        }
    }

    private static List<MenuEntry> menu(Config config) throws InvalidSettingException {
        List<MenuEntry> entries = new ArrayList<>();
        for (Map.Entry<Integer, String> line : config.numbered("pxeMenu").entrySet()) {
            String key = "pxeMenu." + line.getKey();
            int bar = line.getValue().lastIndexOf('|');
            if (bar <= 0 || bar == line.getValue().length() - 1) {
                throw new InvalidSettingException(key, line.getValue(),
                        "write 'description | boot file' (or '| local' to boot from disk)");
            }
            String description = line.getValue().substring(0, bar).trim();
            if (description.length() > 255) {
                throw new InvalidSettingException(key, line.getValue(), "the description is longer than 255 bytes");
            }
            entries.add(new MenuEntry(description, line.getValue().substring(bar + 1).trim()));
        }
        if (entries.size() > 30) {
            throw new InvalidSettingException("pxeMenu", entries.size() + " entries", "a PXE menu holds at most 30");
        }
        return entries;
    }

    private static Optional<MenuPrompt> prompt(Config config) throws InvalidSettingException {
        int timeout = config.integer("pxePromptTimeout", 10, 0, 255);
        return config.text("pxePrompt").map(text -> new MenuPrompt(timeout, text));
    }

    boolean proxyEnabled() {
        return proxyPort != 0;
    }
}
