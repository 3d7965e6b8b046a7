package org.diskless.tftp.internal;

import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The TFTP server's configuration, checked. Config Admin hands over strings or numbers; every
 * value is checked here so an operator's typo is refused with the key and the reason, and the
 * settings in force keep serving.
 */
record TftpSettings(InetSocketAddress bindAddress, int maxBlockSize, int maxWindowSize, int clientReceiveBuffer,
                    Duration timeout,
                    int retries, int maxTransfers, int maxTransfersPerClient, boolean allowWrite, boolean allowOverwrite,
                    long maxUploadSize, int busyPollMicros) {

    static final String DEFAULT_ADDRESS = "0.0.0.0";
    static final int DEFAULT_PORT = 69;
    static final int DEFAULT_MAX_BLOCK_SIZE = 65464;
    static final int DEFAULT_MAX_WINDOW_SIZE = 64;
    /** Linux's default socket receive buffer (net.core.rmem_default): what a client has unless it asks for more. */
    static final int DEFAULT_CLIENT_RECEIVE_BUFFER = 212_992;
    static final int DEFAULT_TIMEOUT_SECONDS = 1;
    static final int DEFAULT_RETRIES = 5;
    static final int DEFAULT_MAX_TRANSFERS = 1000;
    /** A PXE client runs one or two transfers at once; a few more leave room for clients behind one NAT address. */
    static final int DEFAULT_MAX_TRANSFERS_PER_CLIENT = 16;
    static final long DEFAULT_MAX_UPLOAD_SIZE = 1L << 30;
    /** About a round trip to a busy client on a LAN: an ACK is usually back within it. */
    static final int DEFAULT_BUSY_POLL_MICROS = 200;
    static final int MAX_BUSY_POLL_MICROS = 10_000;

    static final int MIN_BLOCK_SIZE = 8;
    static final int MAX_BLOCK_SIZE = 65464;

    /** A value an operator wrote that cannot be used, with the key and why. */
    static final class InvalidSettingException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSettingException(String key, Object value, String why) {
            super("'" + key + " = " + value + "': " + why);
        }
    }

    static TftpSettings defaults() {
        try {
            return from(Map.of());
        } catch (InvalidSettingException e) {
            throw new AssertionError("defaults are valid", e);
        }
    }

    static TftpSettings from(Map<String, ?> properties) throws InvalidSettingException {
        String address = string(properties, "address", DEFAULT_ADDRESS);
        InetAddress host;
        try {
            host = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new InvalidSettingException("address", address, "not an IP address of this host");
        }
        int port = integer(properties, "port", DEFAULT_PORT, 1, 65535);
        return new TftpSettings(
                new InetSocketAddress(host, port),
                integer(properties, "maxBlockSize", DEFAULT_MAX_BLOCK_SIZE, MIN_BLOCK_SIZE, MAX_BLOCK_SIZE),
                integer(properties, "maxWindowSize", DEFAULT_MAX_WINDOW_SIZE, 1, 65535),
                integer(properties, "clientReceiveBuffer", DEFAULT_CLIENT_RECEIVE_BUFFER, 1, Integer.MAX_VALUE),
                Duration.ofSeconds(integer(properties, "timeout", DEFAULT_TIMEOUT_SECONDS, 1, 255)),
                integer(properties, "retries", DEFAULT_RETRIES, 0, 100),
                integer(properties, "maxTransfers", DEFAULT_MAX_TRANSFERS, 1, 1_000_000),
                integer(properties, "maxTransfersPerClient", DEFAULT_MAX_TRANSFERS_PER_CLIENT, 1, 1_000_000),
                bool(properties, "allowWrite", false),
                bool(properties, "allowOverwrite", false),
                longInteger(properties, "maxUploadSize", DEFAULT_MAX_UPLOAD_SIZE, 0, Long.MAX_VALUE),
                integer(properties, "busyPollMicros", DEFAULT_BUSY_POLL_MICROS, 0, MAX_BUSY_POLL_MICROS));
    }

    /** The keys the metatype describes: every one this class reads. */
    private static final Set<String> KNOWN_KEYS = Arrays.stream(TftpConfig.class.getDeclaredMethods())
            .map(Method::getName).collect(Collectors.toUnmodifiableSet());
    /** Keys an earlier release read, with what took their place. */
    private static final Map<String, String> REPLACED_KEYS = Map.of("maxWindowBytes",
            "clientReceiveBuffer, the client's socket receive buffer in bytes that a window must fit");

    /**
     * The keys of a configuration that no setting reads, each with a hint when a newer key took
     * its place: a typo or a key from an older release would otherwise be ignored without a word.
     * Keys with a dot belong to Config Admin and File Install ({@code service.pid},
     * {@code felix.fileinstall.filename}).
     */
    static List<String> unreadKeys(Map<String, ?> properties) {
        return properties.keySet().stream()
                .filter(key -> !key.contains(".") && !KNOWN_KEYS.contains(key))
                .sorted()
                .map(key -> REPLACED_KEYS.containsKey(key) ? key + " (replaced by " + REPLACED_KEYS.get(key) + ")" : key)
                .toList();
    }

    private static String string(Map<String, ?> properties, String key, String defaultValue) {
        Object value = properties.get(key);
        return value == null ? defaultValue : value.toString().trim();
    }

    private static int integer(Map<String, ?> properties, String key, int defaultValue, int min, int max)
            throws InvalidSettingException {
        return (int) longInteger(properties, key, defaultValue, min, max);
    }

    private static long longInteger(Map<String, ?> properties, String key, long defaultValue, long min, long max)
            throws InvalidSettingException {
        Object value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        if (value instanceof Number number) {
            parsed = number.longValue();
        } else {
            try {
                parsed = Long.parseLong(value.toString().trim());
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(key, value, "not a whole number");
            }
        }
        if (parsed < min || parsed > max) {
            throw new InvalidSettingException(key, value, "must be between " + min + " and " + max);
        }
        return parsed;
    }

    private static boolean bool(Map<String, ?> properties, String key, boolean defaultValue)
            throws InvalidSettingException {
        Object value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new InvalidSettingException(key, value, "must be true or false");
    }
}
