package org.diskless.dhcp.codec;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.RandomAccess;
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

    private static final DhcpOptions EMPTY = new DhcpOptions(new int[0], new byte[0][], 0);
    private static final HexFormat HEX = HexFormat.of();
    /** Option 53's one-byte values, shared by every message: values are never written once set. */
    private static final byte[][] MESSAGE_TYPE_VALUES = messageTypeValues();
    static final Inet4Address ANY = anyAddress();

    // Codes and values in order, in arrays a builder may share: neither is ever written once a
    // message holds them (a builder copies before it changes shared arrays). Messages carry a
    // dozen options or so, which a scan finds faster than a map is built.
    private final int[] codes;
    private final byte[][] values;
    private final int size;

    private DhcpOptions(int[] codes, byte[][] values, int size) {
        this.codes = codes;
        this.values = values;
        this.size = size;
    }

    public static DhcpOptions empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(codes, values, size);
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
        byte[] value = raw(code);
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    public boolean contains(int code) {
        return indexOf(codes, size, code) >= 0;
    }

    /** The option codes in order. */
    public Set<Integer> codes() {
        return Collections.unmodifiableSet(new AbstractSet<>() {
            @Override
            public Iterator<Integer> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Integer next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        return codes[next++];
                    }
                };
            }

            @Override
            public boolean contains(Object o) {
                return o instanceof Integer code && DhcpOptions.this.contains(code);
            }

            @Override
            public int size() {
                return size;
            }
        });
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    // The value itself, not a copy, and the options by position; for the codec.
    byte[] raw(int code) {
        int i = indexOf(codes, size, code);
        return i < 0 ? null : values[i];
    }

    int codeAt(int index) {
        return codes[index];
    }

    byte[] valueAt(int index) {
        return values[index];
    }

    private static int indexOf(int[] codes, int size, int code) {
        for (int i = 0; i < size; i++) {
            if (codes[i] == code) {
                return i;
            }
        }
        return -1;
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
        byte[] value = raw(MESSAGE_TYPE);
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
        byte[] value = raw(PARAMETER_REQUEST_LIST);
        return value == null ? List.of() : new CodeList(value);
    }

    /** Codes read from the option's bytes as asked for, without a list built from them. */
    private static final class CodeList extends AbstractList<Integer> implements RandomAccess {
        private final byte[] codes;

        CodeList(byte[] codes) {
            this.codes = codes;
        }

        @Override
        public Integer get(int index) {
            return codes[index] & 0xFF;
        }

        @Override
        public int size() {
            return codes.length;
        }

        @Override
        public int indexOf(Object o) {
            if (o instanceof Integer code) {
                for (int i = 0; i < codes.length; i++) {
                    if ((codes[i] & 0xFF) == code) {
                        return i;
                    }
                }
            }
            return -1;
        }

        @Override
        public boolean contains(Object o) {
            return indexOf(o) >= 0;
        }
    }

    /** Option 57 as the client sent it (RFC 2132 makes 576 the least legal value). */
    public OptionalInt maxMessageSize() {
        byte[] value = raw(MAX_MESSAGE_SIZE);
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
        byte[] value = raw(CLIENT_ARCHITECTURE);
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
        byte[] value = raw(CLIENT_NDI);
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
        byte[] value = raw(CLIENT_MACHINE_ID);
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
        byte[] value = raw(USER_CLASS);
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
        byte[] value = raw(VENDOR_SPECIFIC);
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
        byte[] value = raw(code);
        return value == null || value.length != 4 ? Optional.empty() : Optional.of(toAddress(value, 0));
    }

    private List<Inet4Address> addresses(int code) {
        byte[] value = raw(code);
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
        byte[] value = raw(code);
        return value == null || value.length != 4 ? OptionalLong.empty()
                : OptionalLong.of(toInt(value, 0) & 0xFFFF_FFFFL);
    }

    private Optional<String> string(int code) {
        byte[] value = raw(code);
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
        return toAddress(toInt(bytes, offset));
    }

    private static byte[][] messageTypeValues() {
        DhcpMessageType[] types = DhcpMessageType.values();
        byte[][] values = new byte[types.length][];
        for (DhcpMessageType type : types) {
            values[type.ordinal()] = new byte[] {(byte) type.code()};
        }
        return values;
    }

    private static Inet4Address anyAddress() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    static int toInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16 | (bytes[offset + 2] & 0xFF) << 8
                | bytes[offset + 3] & 0xFF;
    }

    /** 0.0.0.0 is shared: it fills most address fields of most messages. */
    static Inet4Address toAddress(int address) {
        if (address == 0) {
            return ANY;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(
                    new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    /** The address as the 32-bit number the wire carries, without the copy {@code getAddress()} makes. */
    static int toInt(Inet4Address address) {
        return toInt(address.getAddress(), 0);
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
        if (!(o instanceof DhcpOptions other) || size != other.size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!Arrays.equals(values[i], other.raw(codes[i]))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 0;
        for (int i = 0; i < size; i++) {
            hash += codes[i] ^ Arrays.hashCode(values[i]);
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(codes[i]).append('=').append(HEX.formatHex(values[i]));
        }
        return text.append('}').toString();
    }

    /** Collects options in order; setting a code again replaces its value in place. */
    public static final class Builder {

        private int[] codes;
        private byte[][] values;
        private int size;
        /** The arrays are also held by a built {@link DhcpOptions}: copy them before changing them. */
        private boolean shared;

        private Builder() {
            this.codes = new int[8];
            this.values = new byte[8][];
        }

        private Builder(int[] codes, byte[][] values, int size) {
            this.codes = codes;
            this.values = values;
            this.size = size;
            this.shared = true;
        }

        /**
         * Any option but pad, end and overload (52, which only the encoder chooses).
         *
         * @throws IllegalArgumentException for such a code or a value of the wrong length
         */
        public Builder put(int code, byte[] value) {
            return adopt(code, value.clone());
        }

        /**
         * {@link #put} without the copy: for values made for this option that nobody changes
         * afterwards, or shared from another message's options (values are never written).
         */
        Builder adopt(int code, byte[] value) {
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
            store(code, value);
            return this;
        }

        /**
         * Adds a value read from the wire without checking it: a code seen before gets the value
         * appended (RFC 3396), so a long option arrives whole. The decoder checks lengths once the
         * whole message is read.
         */
        void append(int code, byte[] value) {
            int i = indexOf(codes, size, code);
            if (i < 0) {
                store(code, value);
                return;
            }
            byte[] joined = Arrays.copyOf(values[i], values[i].length + value.length);
            System.arraycopy(value, 0, joined, values[i].length, value.length);
            own();
            values[i] = joined;
        }

        int size() {
            return size;
        }

        int codeAt(int index) {
            return codes[index];
        }

        byte[] valueAt(int index) {
            return values[index];
        }

        void removeAt(int index) {
            own();
            System.arraycopy(codes, index + 1, codes, index, size - index - 1);
            System.arraycopy(values, index + 1, values, index, size - index - 1);
            values[--size] = null;
        }

        private void store(int code, byte[] value) {
            own();
            int i = indexOf(codes, size, code);
            if (i >= 0) {
                values[i] = value;
                return;
            }
            if (size == codes.length) {
                codes = Arrays.copyOf(codes, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            codes[size] = code;
            values[size] = value;
            size++;
        }

        private void own() {
            if (shared) {
                codes = Arrays.copyOf(codes, Math.max(size + 4, 8));
                values = Arrays.copyOf(values, codes.length);
                shared = false;
            }
        }

        public Builder remove(int code) {
            int i = indexOf(codes, size, code);
            if (i >= 0) {
                removeAt(i);
            }
            return this;
        }

        public Builder messageType(DhcpMessageType type) {
            return adopt(MESSAGE_TYPE, MESSAGE_TYPE_VALUES[type.ordinal()]);
        }

        public Builder subnetMask(Inet4Address mask) {
            return adopt(SUBNET_MASK, mask.getAddress());
        }

        public Builder routers(List<Inet4Address> routers) {
            return adopt(ROUTER, join(routers));
        }

        public Builder domainNameServers(List<Inet4Address> servers) {
            return adopt(DOMAIN_NAME_SERVER, join(servers));
        }

        public Builder hostName(String name) {
            return adopt(HOST_NAME, name.getBytes(StandardCharsets.UTF_8));
        }

        public Builder domainName(String name) {
            return adopt(DOMAIN_NAME, name.getBytes(StandardCharsets.UTF_8));
        }

        public Builder requestedIpAddress(Inet4Address address) {
            return adopt(REQUESTED_IP_ADDRESS, address.getAddress());
        }

        public Builder serverIdentifier(Inet4Address address) {
            return adopt(SERVER_IDENTIFIER, address.getAddress());
        }

        public Builder leaseTime(long seconds) {
            return adopt(LEASE_TIME, seconds(seconds));
        }

        public Builder renewalTime(long seconds) {
            return adopt(RENEWAL_TIME, seconds(seconds));
        }

        public Builder rebindingTime(long seconds) {
            return adopt(REBINDING_TIME, seconds(seconds));
        }

        public Builder parameterRequestList(int... codes) {
            byte[] value = new byte[codes.length];
            for (int i = 0; i < codes.length; i++) {
                value[i] = (byte) checkRange(codes[i], 1, 254, "requested option code");
            }
            return adopt(PARAMETER_REQUEST_LIST, value);
        }

        public Builder maxMessageSize(int size) {
            checkRange(size, 576, 0xFFFF, "maximum DHCP message size");
            return adopt(MAX_MESSAGE_SIZE, new byte[] {(byte) (size >> 8), (byte) size});
        }

        public Builder clientIdentifier(byte[] identifier) {
            return put(CLIENT_IDENTIFIER, identifier);
        }

        public Builder vendorClassIdentifier(String vendorClass) {
            return adopt(VENDOR_CLASS_IDENTIFIER, vendorClass.getBytes(StandardCharsets.US_ASCII));
        }

        public Builder clientArchitectures(List<ClientArchitecture> architectures) {
            byte[] value = new byte[architectures.size() * 2];
            for (int i = 0; i < architectures.size(); i++) {
                int code = architectures.get(i).code();
                value[2 * i] = (byte) (code >> 8);
                value[2 * i + 1] = (byte) code;
            }
            return adopt(CLIENT_ARCHITECTURE, value);
        }

        public Builder clientNdi(ClientNdi ndi) {
            return adopt(CLIENT_NDI, new byte[] {(byte) ndi.type(), (byte) ndi.major(), (byte) ndi.minor()});
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
            return adopt(CLIENT_MACHINE_ID, value);
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
            return adopt(USER_CLASS, value.toByteArray());
        }

        public Builder relayAgentInformation(byte[] information) {
            return put(RELAY_AGENT_INFORMATION, information);
        }

        public Builder tftpServerName(String name) {
            return adopt(TFTP_SERVER_NAME, name.getBytes(StandardCharsets.UTF_8));
        }

        public Builder bootfileName(String name) {
            return adopt(BOOTFILE_NAME, name.getBytes(StandardCharsets.UTF_8));
        }

        public Builder vendorSpecific(PxeVendorOptions pxe) {
            return adopt(VENDOR_SPECIFIC, pxe.toByteArray());
        }

        /** The options as set so far; the builder may go on, without changing what it built. */
        public DhcpOptions build() {
            shared = true;
            return new DhcpOptions(codes, values, size);
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
            return new byte[] {(byte) (seconds >>> 24), (byte) (seconds >>> 16), (byte) (seconds >>> 8), (byte) seconds};
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
