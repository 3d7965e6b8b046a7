package org.diskless.dhcp.codec;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The PXE sub-options carried in option 43 (PXE 2.1 specification, table 2-1): MTFTP parameters
 * (1-5), discovery control (6), multicast discovery address (7), boot servers (8), boot menu (9),
 * menu prompt (10) and the boot item (71). Immutable; sub-options keep their order.
 */
public final class PxeVendorOptions {

    public static final int MTFTP_IP = 1;
    public static final int MTFTP_CLIENT_PORT = 2;
    public static final int MTFTP_SERVER_PORT = 3;
    public static final int MTFTP_TIMEOUT = 4;
    public static final int MTFTP_DELAY = 5;
    public static final int DISCOVERY_CONTROL = 6;
    public static final int DISCOVERY_MULTICAST_ADDRESS = 7;
    public static final int BOOT_SERVERS = 8;
    public static final int BOOT_MENU = 9;
    public static final int MENU_PROMPT = 10;
    public static final int BOOT_ITEM = 71;

    /** Discovery control bit: do not broadcast discovery. */
    public static final int DISABLE_BROADCAST = 1;
    /** Discovery control bit: do not multicast discovery. */
    public static final int DISABLE_MULTICAST = 2;
    /** Discovery control bit: accept only servers in the boot server list (8). */
    public static final int ONLY_LISTED_SERVERS = 4;
    /** Discovery control bit: boot the file in the reply at once, no menu and no discovery. */
    public static final int DOWNLOAD_BOOT_FILE = 8;

    /** Boot server type 0: the PXE bootstrap server; the type a plain menu entry names. */
    public static final int BOOTSTRAP_SERVER = 0;

    /** Sub-option 8: the servers of one boot server type. */
    public record BootServer(int type, List<Inet4Address> addresses) {
        public BootServer {
            DhcpOptions.checkRange(type, 0, 0xFFFF, "boot server type");
            addresses = List.copyOf(addresses);
            DhcpOptions.checkRange(addresses.size(), 0, 255, "boot servers per type");
        }
    }

    /** Sub-option 9: one menu line and the boot server type it chooses. */
    public record MenuItem(int type, String description) {
        public MenuItem {
            DhcpOptions.checkRange(type, 0, 0xFFFF, "boot server type");
            DhcpOptions.checkRange(description.getBytes(StandardCharsets.US_ASCII).length, 0, 255,
                    "menu description length");
        }
    }

    /** Sub-option 10: seconds to wait (255 waits for a key, 0 boots the first item) and the prompt. */
    public record MenuPrompt(int timeoutSeconds, String prompt) {
        public MenuPrompt {
            DhcpOptions.checkRange(timeoutSeconds, 0, 255, "menu timeout");
            Objects.requireNonNull(prompt, "prompt");
        }
    }

    /** Sub-option 71: the boot server type and layer a client asks for or is given. */
    public record BootItem(int type, int layer) {
        public BootItem {
            DhcpOptions.checkRange(type, 0, 0xFFFF, "boot server type");
            DhcpOptions.checkRange(layer, 0, 0xFFFF, "boot layer");
        }
    }

    private final Map<Integer, byte[]> values;

    private PxeVendorOptions(LinkedHashMap<Integer, byte[]> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads option 43 as PXE sub-options: pad (0) is skipped, end (255) or the end of the value
     * stops, a repeated sub-option keeps its first value.
     *
     * @throws IllegalArgumentException when a sub-option runs past the end of the value
     */
    public static PxeVendorOptions parse(byte[] option) {
        LinkedHashMap<Integer, byte[]> values = new LinkedHashMap<>();
        int i = 0;
        while (i < option.length) {
            int code = option[i] & 0xFF;
            if (code == 0) {
                i++;
                continue;
            }
            if (code == 255) {
                break;
            }
            if (i + 1 >= option.length || i + 2 + (option[i + 1] & 0xFF) > option.length) {
                throw new IllegalArgumentException("PXE sub-option " + code + " runs past the end of option 43");
            }
            int length = option[i + 1] & 0xFF;
            values.putIfAbsent(code, Arrays.copyOfRange(option, i + 2, i + 2 + length));
            i += 2 + length;
        }
        return new PxeVendorOptions(values);
    }

    /** The option 43 value: the sub-options, then end. */
    public byte[] toByteArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        values.forEach((code, value) -> {
            out.write(code);
            out.write(value.length);
            out.writeBytes(value);
        });
        out.write(255);
        return out.toByteArray();
    }

    public Optional<byte[]> get(int code) {
        byte[] value = values.get(code);
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    public Set<Integer> codes() {
        return values.keySet();
    }

    public OptionalInt discoveryControl() {
        byte[] value = values.get(DISCOVERY_CONTROL);
        return value == null || value.length != 1 ? OptionalInt.empty() : OptionalInt.of(value[0] & 0xFF);
    }

    public Optional<Inet4Address> mtftpAddress() {
        return address(MTFTP_IP);
    }

    public OptionalInt mtftpClientPort() {
        return unsigned16(MTFTP_CLIENT_PORT);
    }

    public OptionalInt mtftpServerPort() {
        return unsigned16(MTFTP_SERVER_PORT);
    }

    public OptionalInt mtftpTimeout() {
        return unsigned8(MTFTP_TIMEOUT);
    }

    public OptionalInt mtftpDelay() {
        return unsigned8(MTFTP_DELAY);
    }

    public Optional<Inet4Address> discoveryMulticastAddress() {
        return address(DISCOVERY_MULTICAST_ADDRESS);
    }

    /** Sub-option 8; empty when absent or malformed. */
    public List<BootServer> bootServers() {
        byte[] value = values.get(BOOT_SERVERS);
        List<BootServer> servers = new ArrayList<>();
        int i = 0;
        while (value != null && i + 3 <= value.length) {
            int type = (value[i] & 0xFF) << 8 | value[i + 1] & 0xFF;
            int count = value[i + 2] & 0xFF;
            if (i + 3 + 4 * count > value.length) {
                return List.of();
            }
            List<Inet4Address> addresses = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                addresses.add(DhcpOptions.toAddress(value, i + 3 + 4 * n));
            }
            servers.add(new BootServer(type, addresses));
            i += 3 + 4 * count;
        }
        return value == null || i != value.length ? List.of() : List.copyOf(servers);
    }

    /** Sub-option 9; empty when absent or malformed. */
    public List<MenuItem> bootMenu() {
        byte[] value = values.get(BOOT_MENU);
        List<MenuItem> items = new ArrayList<>();
        int i = 0;
        while (value != null && i + 3 <= value.length) {
            int type = (value[i] & 0xFF) << 8 | value[i + 1] & 0xFF;
            int length = value[i + 2] & 0xFF;
            if (i + 3 + length > value.length) {
                return List.of();
            }
            items.add(new MenuItem(type, new String(value, i + 3, length, StandardCharsets.US_ASCII)));
            i += 3 + length;
        }
        return value == null || i != value.length ? List.of() : List.copyOf(items);
    }

    public Optional<MenuPrompt> menuPrompt() {
        byte[] value = values.get(MENU_PROMPT);
        return value == null || value.length < 1 ? Optional.empty()
                : Optional.of(new MenuPrompt(value[0] & 0xFF,
                        new String(value, 1, value.length - 1, StandardCharsets.US_ASCII)));
    }

    public Optional<BootItem> bootItem() {
        byte[] value = values.get(BOOT_ITEM);
        return value == null || value.length != 4 ? Optional.empty()
                : Optional.of(new BootItem((value[0] & 0xFF) << 8 | value[1] & 0xFF,
                        (value[2] & 0xFF) << 8 | value[3] & 0xFF));
    }

    private Optional<Inet4Address> address(int code) {
        byte[] value = values.get(code);
        return value == null || value.length != 4 ? Optional.empty() : Optional.of(DhcpOptions.toAddress(value, 0));
    }

    private OptionalInt unsigned16(int code) {
        byte[] value = values.get(code);
        return value == null || value.length != 2 ? OptionalInt.empty()
                : OptionalInt.of((value[0] & 0xFF) << 8 | value[1] & 0xFF);
    }

    private OptionalInt unsigned8(int code) {
        byte[] value = values.get(code);
        return value == null || value.length != 1 ? OptionalInt.empty() : OptionalInt.of(value[0] & 0xFF);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PxeVendorOptions other) || values.size() != other.values.size()) {
            return false;
        }
        return values.entrySet().stream()
                .allMatch(entry -> Arrays.equals(entry.getValue(), other.values.get(entry.getKey())));
    }

    @Override
    public int hashCode() {
        return values.entrySet().stream().mapToInt(e -> e.getKey() ^ Arrays.hashCode(e.getValue())).sum();
    }

    @Override
    public String toString() {
        return "PxeVendorOptions" + values.keySet();
    }

    /** Sub-options in the order they are set; each value must fit in 255 bytes. */
    public static final class Builder {

        private final LinkedHashMap<Integer, byte[]> values = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder put(int code, byte[] value) {
            DhcpOptions.checkRange(code, 1, 254, "PXE sub-option code");
            DhcpOptions.checkRange(value.length, 0, 255, "PXE sub-option " + code + " length");
            values.put(code, value.clone());
            return this;
        }

        /** A combination of {@link #DISABLE_BROADCAST}, {@link #DISABLE_MULTICAST}, … */
        public Builder discoveryControl(int bits) {
            return put(DISCOVERY_CONTROL, new byte[] {(byte) DhcpOptions.checkRange(bits, 0, 255, "discovery control")});
        }

        public Builder mtftp(Inet4Address group, int clientPort, int serverPort, int timeoutSeconds, int delaySeconds) {
            put(MTFTP_IP, group.getAddress());
            put(MTFTP_CLIENT_PORT, u16(clientPort, "MTFTP client port"));
            put(MTFTP_SERVER_PORT, u16(serverPort, "MTFTP server port"));
            put(MTFTP_TIMEOUT, new byte[] {(byte) DhcpOptions.checkRange(timeoutSeconds, 0, 255, "MTFTP timeout")});
            return put(MTFTP_DELAY, new byte[] {(byte) DhcpOptions.checkRange(delaySeconds, 0, 255, "MTFTP delay")});
        }

        public Builder discoveryMulticastAddress(Inet4Address group) {
            return put(DISCOVERY_MULTICAST_ADDRESS, group.getAddress());
        }

        public Builder bootServers(List<BootServer> servers) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (BootServer server : servers) {
                out.writeBytes(u16(server.type(), "boot server type"));
                out.write(server.addresses().size());
                server.addresses().forEach(address -> out.writeBytes(address.getAddress()));
            }
            return put(BOOT_SERVERS, out.toByteArray());
        }

        public Builder bootMenu(List<MenuItem> items) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (MenuItem item : items) {
                byte[] description = item.description().getBytes(StandardCharsets.US_ASCII);
                out.writeBytes(u16(item.type(), "boot server type"));
                out.write(description.length);
                out.writeBytes(description);
            }
            return put(BOOT_MENU, out.toByteArray());
        }

        public Builder menuPrompt(MenuPrompt prompt) {
            byte[] text = prompt.prompt().getBytes(StandardCharsets.US_ASCII);
            byte[] value = new byte[1 + text.length];
            value[0] = (byte) prompt.timeoutSeconds();
            System.arraycopy(text, 0, value, 1, text.length);
            return put(MENU_PROMPT, value);
        }

        public Builder bootItem(BootItem item) {
            byte[] type = u16(item.type(), "boot server type");
            byte[] layer = u16(item.layer(), "boot layer");
            return put(BOOT_ITEM, new byte[] {type[0], type[1], layer[0], layer[1]});
        }

        public PxeVendorOptions build() {
            return new PxeVendorOptions(new LinkedHashMap<>(values));
        }

        private static byte[] u16(int value, String what) {
            DhcpOptions.checkRange(value, 0, 0xFFFF, what);
            return new byte[] {(byte) (value >> 8), (byte) value};
        }
    }
}
