package org.diskless.dhcp.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.net.Inet4Address;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.diskless.api.ClientArchitecture;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.codec.DhcpOptions;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/**
 * One kind of client and what its replies carry differently, as dnsmasq tags and Kea client
 * classes do: {@code etc/org.diskless.dhcp.class-<name>.cfg}. A client belongs to the class when it
 * matches every criterion the class sets (option 93 architecture, option 60 prefix, an option 77
 * user class); then its OFFERs and ACKs leave out the options in {@code remove} and carry the
 * {@code option.<code>} values, put in after everything the server chose (so they replace it).
 * Several classes apply in name order. The options the exchange itself rests on (message type,
 * server identifier, lease times, …) cannot be touched: a class would only break the exchange.
 *
 * <p>The example it was made for: GRUB 2.06 stops at {@code grub>} when its HTTP boot ACK carries
 * option 6, so a class {@code architecture = 16} with {@code remove = 6} lets it boot.
 *
 * @param architectures  option 93 codes (7 and 9 are one: x64 UEFI); empty: any
 * @param vendorClass    a prefix of option 60, e.g. {@code HTTPClient}; empty: any
 * @param userClasses    option 77 user classes, one of which the client must send; empty: any
 * @param remove         option codes left out
 * @param add            option code to the value put in
 */
record ClientClass(String name, Set<Integer> architectures, Optional<String> vendorClass, Set<String> userClasses,
                   Set<Integer> remove, Map<Integer, byte[]> add) {

    static final String FACTORY_PID = "org.diskless.dhcp.class";

    /** What the server decides for the exchange itself: a class neither removes nor sets them. */
    private static final Set<Integer> PROTOCOL_OPTIONS = Set.of(DhcpOptions.PAD,
            DhcpOptions.REQUESTED_IP_ADDRESS, DhcpOptions.LEASE_TIME, DhcpOptions.OVERLOAD, DhcpOptions.MESSAGE_TYPE,
            DhcpOptions.SERVER_IDENTIFIER, DhcpOptions.PARAMETER_REQUEST_LIST, DhcpOptions.MAX_MESSAGE_SIZE,
            DhcpOptions.RENEWAL_TIME, DhcpOptions.REBINDING_TIME, DhcpOptions.CLIENT_IDENTIFIER,
            DhcpOptions.RELAY_AGENT_INFORMATION, DhcpOptions.END);
    /** Options whose value is a list of IPv4 addresses (RFC 2132), written {@code 192.0.2.1, 192.0.2.2}. */
    private static final Set<Integer> ADDRESS_LISTS = Set.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 41, 42, 44, 45, 48, 49, 65,
            68, 69, 70, 71, 72, 73, 74, 75, 76);
    private static final String HEX = "hex:";

    ClientClass {
        architectures = Set.copyOf(architectures);
        userClasses = Set.copyOf(userClasses);
        remove = Set.copyOf(new TreeSet<>(remove));
        add = Map.copyOf(add);
    }

    static ClientClass parse(String defaultName, Config config) throws InvalidSettingException {
        String name = config.text("name", defaultName);
        Set<Integer> architectures = new TreeSet<>();
        for (String code : config.list("architecture")) {
            architectures.add(ClientArchitecture.of(number("architecture", code, 0, 0xFFFF)).canonical().code());
        }
        Optional<String> vendorClass = config.text("vendorClass").filter(v -> !v.isEmpty());
        Set<String> userClasses = Set.copyOf(config.list("userClass"));
        if (architectures.isEmpty() && vendorClass.isEmpty() && userClasses.isEmpty()) {
            throw new InvalidSettingException("architecture", "", "a class needs at least one of architecture,"
                    + " vendorClass or userClass to say which clients it is for");
        }
        Set<Integer> remove = new TreeSet<>();
        for (String code : config.list("remove")) {
            remove.add(settable("remove", code));
        }
        Map<Integer, byte[]> add = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> option : config.numbered("option").entrySet()) {
            String key = "option." + option.getKey();
            int code = settable(key, String.valueOf(option.getKey()));
            byte[] value = value(config, key, code, option.getValue());
            String problem = DhcpOptions.lengthProblem(code, value.length);
            if (problem != null || value.length > 255) {
                throw new InvalidSettingException(key, option.getValue(), problem != null ? problem
                        : "longer than the 255 bytes one option holds");
            }
            add.put(code, value);
        }
        if (remove.isEmpty() && add.isEmpty()) {
            throw new InvalidSettingException("remove", "", "a class that neither removes (remove = 6, 15) nor sets"
                    + " (option.<code> = value) an option changes nothing");
        }
        return new ClientClass(name, architectures, vendorClass, userClasses, remove, add);
    }

    /** Whether the client asking matches every criterion this class sets. */
    boolean matches(DhcpClient client) {
        DhcpOptions options = client.request().options();
        if (!architectures.isEmpty() && client.context().architecture()
                .map(a -> !architectures.contains(a.canonical().code())).orElse(true)) {
            return false;
        }
        if (vendorClass.isPresent() && options.vendorClassIdentifier()
                .map(v -> !v.startsWith(vendorClass.get())).orElse(true)) {
            return false;
        }
        return userClasses.isEmpty() || options.userClasses().stream().anyMatch(userClasses::contains);
    }

    /**
     * The reply as the classes the client belongs to make it, in their order; the same object
     * when none applies. Only OFFERs, ACKs and BOOTREPLYs are tailored: a NAK carries nothing to leave out.
     */
    static DhcpMessage tailor(List<ClientClass> classes, DhcpClient client, DhcpMessage reply) {
        if (classes.isEmpty() || reply.messageType().filter(DhcpMessageType.NAK::equals).isPresent()) {
            return reply;
        }
        List<ClientClass> matching = classes.stream().filter(c -> c.matches(client)).toList();
        if (matching.isEmpty()) {
            return reply;
        }
        return reply.toBuilder().options(o -> {
            for (ClientClass clientClass : matching) {
                clientClass.remove.forEach(o::remove);
                clientClass.add.forEach(o::put);
            }
        }).build();
    }

    private static int settable(String key, String text) throws InvalidSettingException {
        int code = number(key, text, 1, 254);
        if (PROTOCOL_OPTIONS.contains(code)) {
            throw new InvalidSettingException(key, text, "option " + code + " belongs to the DHCP exchange itself"
                    + " (message type, server identifier, lease times, …); the server sets it");
        }
        return code;
    }

    private static int number(String key, String text, int min, int max) throws InvalidSettingException {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidSettingException(key, text, "a whole number from " + min + " to " + max);
    }

    /** Addresses for the options that hold them, {@code hex:…} bytes, or else the text itself. */
    private static byte[] value(Config config, String key, int code, String text) throws InvalidSettingException {
        if (text.startsWith(HEX)) {
            try {
                return HexFormat.of().parseHex(text.substring(HEX.length()).replace(":", "").trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(key, text, "hex:… holds hex digits, e.g. hex:01:04:c0:00:02:01");
            }
        }
        if (ADDRESS_LISTS.contains(code)) {
            List<Inet4Address> addresses = config.ipv4List(key);
            byte[] value = new byte[4 * addresses.size()];
            for (int i = 0; i < addresses.size(); i++) {
                System.arraycopy(addresses.get(i).getAddress(), 0, value, 4 * i, 4);
            }
            return value;
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new InvalidSettingException(key, text, "printable ASCII text, or hex:… for bytes");
        }
        return text.getBytes(US_ASCII);
    }

    @Override
    public String toString() {
        return name + " (for" + (architectures.isEmpty() ? "" : " architecture " + architectures)
                + vendorClass.map(v -> " vendor class " + v + "…").orElse("")
                + (userClasses.isEmpty() ? "" : " user class " + new TreeSet<>(userClasses))
                + (remove.isEmpty() ? "" : "; leaves out " + remove) + (add.isEmpty() ? "" : "; sets "
                + new TreeSet<>(add.keySet())) + ")";
    }
}
