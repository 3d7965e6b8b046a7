package org.diskless.dhcp.codec;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

import org.diskless.api.ClientArchitecture;

/**
 * The options of one DHCP message: an immutable map from option code to value, in the order they
 * were added or received. A value is the whole option, long options of RFC 3396 already joined.
 * Typed getters read the options a boot server uses; a value that does not parse reads as absent,
 * because these values come from the network. Two option sets are equal when they hold the same
 * values, whatever their order.
 */
public final class DhcpOptions {

    public static final int PAD = 0;
    public static final int SUBNET_MASK = 1;
    public static final int ROUTER = 3;
    public static final int DOMAIN_NAME_SERVER = 6;
    public static final int HOST_NAME = 12;
    public static final int DOMAIN_NAME = 15;
    public static final int VENDOR_SPECIFIC = 43;
    public static final int REQUESTED_IP_ADDRESS = 50;
    public static final int LEASE_TIME = 51;
    public static final int OVERLOAD = 52;
    public static final int MESSAGE_TYPE = 53;
    public static final int SERVER_IDENTIFIER = 54;
    public static final int PARAMETER_REQUEST_LIST = 55;
    public static final int MESSAGE = 56;
    public static final int MAX_MESSAGE_SIZE = 57;
    public static final int RENEWAL_TIME = 58;
    public static final int REBINDING_TIME = 59;
    public static final int VENDOR_CLASS_IDENTIFIER = 60;
    public static final int CLIENT_IDENTIFIER = 61;
    public static final int TFTP_SERVER_NAME = 66;
    public static final int BOOTFILE_NAME = 67;
    public static final int USER_CLASS = 77;
    public static final int RAPID_COMMIT = 80;
    public static final int RELAY_AGENT_INFORMATION = 82;
    public static final int CLIENT_ARCHITECTURE = 93;
    public static final int CLIENT_NDI = 94;
    public static final int CLIENT_MACHINE_ID = 97;
    public static final int SUBNET_SELECTION = 118;
    /** iPXE's encapsulated options; its presence says the client is iPXE. */
    public static final int IPXE_ENCAPSULATED = 175;
    public static final int END = 255;

    /** A lease time of all ones means "infinite" (RFC 2132 section 9.2). */
    public static final long INFINITE_LEASE = 0xFFFF_FFFFL;

    private static final DhcpOptions EMPTY = new DhcpOptions(new LinkedHashMap<>());

    private final Map<Integer, byte[]> values;

    private DhcpOptions(LinkedHashMap<Integer, byte[]> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static DhcpOptions empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        values.forEach((code, value) -> builder.values.put(code, value));
        return builder;
    }

    /**
     * Why a value of {@code length} bytes is no valid option {@code code}, or null when it is.
     * Options with a fixed size must have it; options that name something must not be empty;
     * options we do not know may be any length, zero included.
     */
    public static String lengthProblem(int code, int length) {
        String rule = switch (code) {
            case SUBNET_MASK, REQUESTED_IP_ADDRESS, LEASE_TIME, SERVER_IDENTIFIER, RENEWAL_TIME, REBINDING_TIME,
                    SUBNET_SELECTION -> length == 4 ? null : "4 bytes";
            case OVERLOAD, MESSAGE_TYPE -> length == 1 ? null : "1 byte";
            case MAX_MESSAGE_SIZE -> length == 2 ? null : "2 bytes";
            case CLIENT_NDI -> length == 3 ? null : "3 bytes";
            case CLIENT_MACHINE_ID -> length == 17 ? null : "17 bytes (type 0 and a 16-byte UUID)";
            case RAPID_COMMIT -> length == 0 ? null : "no data";
            case ROUTER, DOMAIN_NAME_SERVER, 42 -> length >= 4 && length % 4 == 0 ? null : "one or more IPv4 addresses";
            case CLIENT_ARCHITECTURE -> length >= 2 && length % 2 == 0 ? null : "one or more 16-bit codes";
            case CLIENT_IDENTIFIER, RELAY_AGENT_INFORMATION -> length >= 2 ? null : "at least 2 bytes";
            case HOST_NAME, DOMAIN_NAME, PARAMETER_REQUEST_LIST, VENDOR_CLASS_IDENTIFIER, TFTP_SERVER_NAME,
                    BOOTFILE_NAME, USER_CLASS, MESSAGE -> length >= 1 ? null : "at least 1 byte";
            default -> null;
        };
        return rule == null ? null : "option " + code + " must have " + rule + ", not " + length;
    }

    /** The raw value, a copy. */
    public Optional<byte[]> get(int code) {
        byte[] value = values.get(code);
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    public boolean contains(int code) {
        return values.containsKey(code);
    }

    /** The option codes in order. */
    public Set<Integer> codes() {
        return values.keySet();
    }

    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    // The value itself, not a copy; for the encoder.
    byte[] raw(int code) {
        return values.get(code);
    }

    /** Option 53; empty when absent or a type outside 1-8 (see {@link #messageTypeCode()}). */
    public Optional<DhcpMessageType> messageType() {
        OptionalInt code = messageTypeCode();
        if (code.isEmpty() || code.getAsInt() < 1 || code.getAsInt() > 8) {
            return Optional.empty();
        }
        return Optional.of(DhcpMessageType.valueOf(code.getAsInt()));
    }

    public OptionalInt messageTypeCode() {
        byte[] value = values.get(MESSAGE_TYPE);
        return value == null || value.length != 1 ? OptionalInt.empty() : OptionalInt.of(value[0] & 0xFF);
    }

    public Optional<Inet4Address> subnetMask() {
        return address(SUBNET_MASK);
    }

    public List<Inet4Address> routers() {
        return addresses(ROUTER);
    }

    public List<Inet4Address> domainNameServers() {
        return addresses(DOMAIN_NAME_SERVER);
    }

    public Optional<String> hostName() {
        return string(HOST_NAME);
    }

    public Optional<String> domainName() {
        return string(DOMAIN_NAME);
    }

    /** Option 50, the address a client asks for in DISCOVER and REQUEST. */
    public Optional<Inet4Address> requestedIpAddress() {
        return address(REQUESTED_IP_ADDRESS);
    }

    /** Option 54. */
    public Optional<Inet4Address> serverIdentifier() {
        return address(SERVER_IDENTIFIER);
    }

    /** Option 51 in seconds; {@link #INFINITE_LEASE} for a lease that never ends. */
    public OptionalLong leaseTime() {
        return seconds(LEASE_TIME);
    }

    /** Option 58 (T1) in seconds. */
    public OptionalLong renewalTime() {
        return seconds(RENEWAL_TIME);
    }

    /** Option 59 (T2) in seconds. */
    public OptionalLong rebindingTime() {
        return seconds(REBINDING_TIME);
    }

    /** Option 55: the codes the client wants, most wanted first; empty when absent. */
    public List<Integer> parameterRequestList() {
        byte[] value = values.get(PARAMETER_REQUEST_LIST);
        if (value == null) {
            return List.of();
        }
        List<Integer> codes = new ArrayList<>(value.length);
        for (byte b : value) {
            codes.add(b & 0xFF);
        }
        return List.copyOf(codes);
    }

    /** Option 57 as the client sent it (RFC 2132 makes 576 the least legal value). */
    public OptionalInt maxMessageSize() {
        byte[] value = values.get(MAX_MESSAGE_SIZE);
        return value == null || value.length != 2 ? OptionalInt.empty()
                : OptionalInt.of((value[0] & 0xFF) << 8 | value[1] & 0xFF);
    }

    /** Option 61: type byte and identifier, as sent. */
    public Optional<byte[]> clientIdentifier() {
        return get(CLIENT_IDENTIFIER);
    }

    /** Option 60, such as {@code PXEClient:Arch:00007:UNDI:003000}. */
    public Optional<String> vendorClassIdentifier() {
        return string(VENDOR_CLASS_IDENTIFIER);
    }

    /** Option 60 read as a PXE or HTTP-boot client class. */
    public Optional<PxeClientClass> pxeClientClass() {
        return vendorClassIdentifier().flatMap(PxeClientClass::parse);
    }

    /** Option 93: the architectures the client can boot, in its order of preference. */
    public List<ClientArchitecture> clientArchitectures() {
        byte[] value = values.get(CLIENT_ARCHITECTURE);
        if (value == null || value.length % 2 != 0) {
            return List.of();
        }
        List<ClientArchitecture> architectures = new ArrayList<>();
        for (int i = 0; i < value.length; i += 2) {
            architectures.add(ClientArchitecture.of((value[i] & 0xFF) << 8 | value[i + 1] & 0xFF));
        }
        return List.copyOf(architectures);
    }

    /** Option 94, the network interface identifier. */
    public Optional<ClientNdi> clientNdi() {
        byte[] value = values.get(CLIENT_NDI);
        return value == null || value.length != 3 ? Optional.empty()
                : Optional.of(new ClientNdi(value[0] & 0xFF, value[1] & 0xFF, value[2] & 0xFF));
    }

    /**
     * Option 97 read as firmware prints it. Neither the PXE specification nor RFC 4578 names a
     * byte order; clients use the EFI GUID layout, whose first three fields are little-endian:
     * PXE ROMs and EDK2 copy the SMBIOS system UUID as stored (SMBIOS 2.6+ stores it so), and
     * iPXE swaps its UUID into that layout before sending (its {@code uuid_mangle}). So the first
     * three fields are swapped here, giving the UUID {@code dmidecode}, the firmware setup screen,
     * iPXE's {@code ${uuid}} and Wireshark show. Empty when the option is absent or not type 0.
     */
    public Optional<UUID> clientMachineUuid() {
        return machineIdBytes().map(bytes -> {
            swap(bytes, 0, 3);
            swap(bytes, 1, 2);
            swap(bytes, 4, 5);
            swap(bytes, 6, 7);
            return toUuid(bytes);
        });
    }

    /**
     * Option 97 read byte by byte in wire order, without the SMBIOS swap: the name pxelinux looks
     * up in {@code pxelinux.cfg/} for this client.
     */
    public Optional<UUID> clientMachineUuidInWireOrder() {
        return machineIdBytes().map(DhcpOptions::toUuid);
    }

    private Optional<byte[]> machineIdBytes() {
        byte[] value = values.get(CLIENT_MACHINE_ID);
        if (value == null || value.length != 17 || value[0] != 0) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(value, 1, 17));
    }

    /**
     * Option 77. The RFC 3004 form (length-prefixed classes) when the value is exactly that;
     * otherwise the whole value as one class, the plain form iPXE ({@code iPXE}) and older
     * clients send.
     */
    public List<String> userClasses() {
        byte[] value = values.get(USER_CLASS);
        if (value == null) {
            return List.of();
        }
        List<String> classes = new ArrayList<>();
        int i = 0;
        while (i < value.length) {
            int length = value[i] & 0xFF;
            if (length == 0 || i + 1 + length > value.length) {
                return List.of(new String(value, StandardCharsets.UTF_8));
            }
            classes.add(new String(value, i + 1, length, StandardCharsets.UTF_8));
            i += 1 + length;
        }
        return List.copyOf(classes);
    }

    /** True when option 77 names the class, in either form. */
    public boolean hasUserClass(String userClass) {
        return userClasses().contains(userClass);
    }

    /** Option 82 as received, to be echoed in the reply (RFC 3046). */
    public Optional<byte[]> relayAgentInformation() {
        return get(RELAY_AGENT_INFORMATION);
    }

    /** Option 66. */
    public Optional<String> tftpServerName() {
        return string(TFTP_SERVER_NAME);
    }

    /** Option 67. */
    public Optional<String> bootfileName() {
        return string(BOOTFILE_NAME);
    }

    /** Option 43 raw. */
    public Optional<byte[]> vendorSpecific() {
        return get(VENDOR_SPECIFIC);
    }

    /** Option 43 read as PXE sub-options; empty when absent or not in that form. */
    public Optional<PxeVendorOptions> pxeVendorOptions() {
        byte[] value = values.get(VENDOR_SPECIFIC);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(PxeVendorOptions.parse(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<Inet4Address> address(int code) {
        byte[] value = values.get(code);
        return value == null || value.length != 4 ? Optional.empty() : Optional.of(toAddress(value, 0));
    }

    private List<Inet4Address> addresses(int code) {
        byte[] value = values.get(code);
        if (value == null || value.length % 4 != 0) {
            return List.of();
        }
        List<Inet4Address> addresses = new ArrayList<>();
        for (int i = 0; i < value.length; i += 4) {
            addresses.add(toAddress(value, i));
        }
        return List.copyOf(addresses);
    }

    private OptionalLong seconds(int code) {
        byte[] value = values.get(code);
        return value == null || value.length != 4 ? OptionalLong.empty()
                : OptionalLong.of(ByteBuffer.wrap(value).getInt() & 0xFFFF_FFFFL);
    }

    private Optional<String> string(int code) {
        byte[] value = values.get(code);
        if (value == null) {
            return Optional.empty();
        }
        int end = 0;
        while (end < value.length && value[end] != 0) {
            end++; // some clients count a terminating NUL in the length
        }
        return Optional.of(new String(value, 0, end, StandardCharsets.UTF_8));
    }

    static Inet4Address toAddress(byte[] bytes, int offset) {
        try {
            return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(bytes, offset, offset + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static UUID toUuid(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static void swap(byte[] bytes, int i, int j) {
        byte b = bytes[i];
        bytes[i] = bytes[j];
        bytes[j] = b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DhcpOptions other) || values.size() != other.values.size()) {
            return false;
        }
        for (Map.Entry<Integer, byte[]> entry : values.entrySet()) {
            if (!Arrays.equals(entry.getValue(), other.values.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 0;
        for (Map.Entry<Integer, byte[]> entry : values.entrySet()) {
            hash += entry.getKey() ^ Arrays.hashCode(entry.getValue());
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        values.forEach((code, value) -> {
            if (text.length() > 1) {
                text.append(", ");
            }
            text.append(code).append('=').append(HexFormat.of().formatHex(value));
        });
        return text.append('}').toString();
    }

    /** Collects options in order; setting a code again replaces its value in place. */
    public static final class Builder {

        private final LinkedHashMap<Integer, byte[]> values = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Any option but pad, end and overload (52, which only the encoder chooses).
         *
         * @throws IllegalArgumentException for such a code or a value of the wrong length
         */
        public Builder put(int code, byte[] value) {
            if (code <= PAD || code >= END) {
                throw new IllegalArgumentException("option code must be 1-254, not " + code);
            }
            if (code == OVERLOAD) {
                throw new IllegalArgumentException("option 52 (overload) is chosen by the encoder, not set");
            }
            String problem = lengthProblem(code, value.length);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            values.put(code, value.clone());
            return this;
        }

        public Builder remove(int code) {
            values.remove(code);
            return this;
        }

        public Builder messageType(DhcpMessageType type) {
            return put(MESSAGE_TYPE, new byte[] {(byte) type.code()});
        }

        public Builder subnetMask(Inet4Address mask) {
            return put(SUBNET_MASK, mask.getAddress());
        }

        public Builder routers(List<Inet4Address> routers) {
            return put(ROUTER, join(routers));
        }

        public Builder domainNameServers(List<Inet4Address> servers) {
            return put(DOMAIN_NAME_SERVER, join(servers));
        }

        public Builder hostName(String name) {
            return put(HOST_NAME, name.getBytes(StandardCharsets.UTF_8));
        }

        public Builder domainName(String name) {
            return put(DOMAIN_NAME, name.getBytes(StandardCharsets.UTF_8));
        }

        public Builder requestedIpAddress(Inet4Address address) {
            return put(REQUESTED_IP_ADDRESS, address.getAddress());
        }

        public Builder serverIdentifier(Inet4Address address) {
            return put(SERVER_IDENTIFIER, address.getAddress());
        }

        public Builder leaseTime(long seconds) {
            return put(LEASE_TIME, seconds(seconds));
        }

        public Builder renewalTime(long seconds) {
            return put(RENEWAL_TIME, seconds(seconds));
        }

        public Builder rebindingTime(long seconds) {
            return put(REBINDING_TIME, seconds(seconds));
        }

        public Builder parameterRequestList(int... codes) {
            byte[] value = new byte[codes.length];
            for (int i = 0; i < codes.length; i++) {
                value[i] = (byte) checkRange(codes[i], 1, 254, "requested option code");
            }
            return put(PARAMETER_REQUEST_LIST, value);
        }

        public Builder maxMessageSize(int size) {
            checkRange(size, 576, 0xFFFF, "maximum DHCP message size");
            return put(MAX_MESSAGE_SIZE, new byte[] {(byte) (size >> 8), (byte) size});
        }

        public Builder clientIdentifier(byte[] identifier) {
            return put(CLIENT_IDENTIFIER, identifier);
        }

        public Builder vendorClassIdentifier(String vendorClass) {
            return put(VENDOR_CLASS_IDENTIFIER, vendorClass.getBytes(StandardCharsets.US_ASCII));
        }

        public Builder clientArchitectures(List<ClientArchitecture> architectures) {
            byte[] value = new byte[architectures.size() * 2];
            for (int i = 0; i < architectures.size(); i++) {
                int code = architectures.get(i).code();
                value[2 * i] = (byte) (code >> 8);
                value[2 * i + 1] = (byte) code;
            }
            return put(CLIENT_ARCHITECTURE, value);
        }

        public Builder clientNdi(ClientNdi ndi) {
            return put(CLIENT_NDI, new byte[] {(byte) ndi.type(), (byte) ndi.major(), (byte) ndi.minor()});
        }

        /**
         * Option 97 for a UUID as firmware prints it; written in the SMBIOS byte order PXE
         * clients use (see {@link DhcpOptions#clientMachineUuid()}).
         */
        public Builder clientMachineUuid(UUID uuid) {
            byte[] bytes = ByteBuffer.allocate(16)
                    .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
            swap(bytes, 0, 3);
            swap(bytes, 1, 2);
            swap(bytes, 4, 5);
            swap(bytes, 6, 7);
            byte[] value = new byte[17];
            System.arraycopy(bytes, 0, value, 1, 16);
            return put(CLIENT_MACHINE_ID, value);
        }

        /** Option 77 in the RFC 3004 form. */
        public Builder userClasses(String... classes) {
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            for (String userClass : classes) {
                byte[] bytes = userClass.getBytes(StandardCharsets.UTF_8);
                checkRange(bytes.length, 1, 255, "user class length");
                value.write(bytes.length);
                value.writeBytes(bytes);
            }
            return put(USER_CLASS, value.toByteArray());
        }

        public Builder relayAgentInformation(byte[] information) {
            return put(RELAY_AGENT_INFORMATION, information);
        }

        public Builder tftpServerName(String name) {
            return put(TFTP_SERVER_NAME, name.getBytes(StandardCharsets.UTF_8));
        }

        public Builder bootfileName(String name) {
            return put(BOOTFILE_NAME, name.getBytes(StandardCharsets.UTF_8));
        }

        public Builder vendorSpecific(PxeVendorOptions pxe) {
            return put(VENDOR_SPECIFIC, pxe.toByteArray());
        }

        public DhcpOptions build() {
            return new DhcpOptions(new LinkedHashMap<>(values));
        }

        private static byte[] join(List<Inet4Address> addresses) {
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("at least one address is needed");
            }
            ByteBuffer value = ByteBuffer.allocate(4 * addresses.size());
            addresses.forEach(address -> value.put(address.getAddress()));
            return value.array();
        }

        private static byte[] seconds(long seconds) {
            checkRange(seconds, 0, INFINITE_LEASE, "time in seconds");
            return ByteBuffer.allocate(4).putInt((int) seconds).array();
        }
    }

    static long checkRange(long value, long min, long max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be " + min + "-" + max + ", not " + value);
        }
        return value;
    }

    static int checkRange(int value, int min, int max, String what) {
        return (int) checkRange((long) value, min, max, what);
    }
}
