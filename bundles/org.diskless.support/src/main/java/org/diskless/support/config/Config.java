package org.diskless.support.config;

import java.lang.reflect.Array;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Typed reads of one configuration as Config Admin hands it over: values arrive as strings from a
 * plain {@code .cfg} file, or as numbers, booleans and arrays from a typed one, and both are
 * accepted. Every refusal names the key, the value and what would do. The reader remembers which
 * keys it was asked for, so {@link #unreadKeys()} can name a typo that would otherwise be
 * ignored without a word.
 *
 * <p>Not thread-safe: one reader parses one configuration, on one thread.
 */
public final class Config {

    /** Keys that Config Admin, File Install, DS or the service registry add, never an operator's setting. */
    private static final List<String> FRAMEWORK_PREFIXES = List.of(
            "service.", "felix.", "component.", "osgi.", "objectClass", "config.");

    private final Map<String, ?> properties;
    private final Set<String> read = new HashSet<>();
    private final List<String> readPrefixes = new ArrayList<>();

    private Config(Map<String, ?> properties) {
        this.properties = properties;
    }

    public static Config of(Map<String, ?> properties) {
        return new Config(properties == null ? Map.of() : properties);
    }

    /** The text of a key, trimmed; empty when missing or blank. */
    public Optional<String> text(String key) {
        Object value = get(key);
        if (value == null) {
            return Optional.empty();
        }
        String text = (value instanceof Object[] array ? String.join(",", Arrays.stream(array)
                .map(String::valueOf).toList()) : value.toString()).trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    public String text(String key, String defaultValue) {
        return text(key).orElse(defaultValue);
    }

    /**
     * Whether the key is written at all, even blank: where a missing key means the default but a
     * blank one is a slip ({@code directory =}), the blank one can be refused.
     */
    public boolean has(String key) {
        return get(key) != null;
    }

    /** A key that must be written: missing or blank is refused with {@code why}. */
    public String requiredText(String key, String why) throws InvalidSettingException {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            throw new InvalidSettingException(key, "", why);
        }
        return text.get();
    }

    /** A whole number in {@code [min, max]}; the default when missing or blank. */
    public long number(String key, long defaultValue, long min, long max) throws InvalidSettingException {
        Object value = get(key);
        if (value == null || value.toString().isBlank()) {
            return defaultValue;
        }
        long parsed;
        if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
            parsed = n.longValue();
        } else {
            try {
                parsed = Long.parseLong(value.toString().trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(key, value, "not a whole number");
            }
        }
        if (parsed < min || parsed > max) {
            throw new InvalidSettingException(key, value, "must be between " + min + " and " + max);
        }
        return parsed;
    }

    public int integer(String key, int defaultValue, int min, int max) throws InvalidSettingException {
        return (int) number(key, defaultValue, min, max);
    }

    /** {@code true} or {@code false}, in any case; the default when missing or blank. */
    public boolean bool(String key, boolean defaultValue) throws InvalidSettingException {
        Object value = get(key);
        if (value == null || value.toString().isBlank()) {
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

    /** A duration written in whole seconds, in {@code [minSeconds, maxSeconds]}. */
    public Duration seconds(String key, Duration defaultValue, long minSeconds, long maxSeconds)
            throws InvalidSettingException {
        return Duration.ofSeconds(number(key, defaultValue.toSeconds(), minSeconds, maxSeconds));
    }

    /** One of the given words, case-insensitive; the default when missing. */
    public <T> T choice(String key, T defaultValue, Map<String, T> words) throws InvalidSettingException {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        for (Map.Entry<String, T> word : words.entrySet()) {
            if (word.getKey().equalsIgnoreCase(text.get())) {
                return word.getValue();
            }
        }
        throw new InvalidSettingException(key, text.get(), "must be one of " + String.join(", ", words.keySet()));
    }

    /** A literal IPv4 address ({@code a.b.c.d}); never a host name, which would need a lookup. */
    public Optional<Inet4Address> ipv4(String key) throws InvalidSettingException {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parseIpv4(key, text.get()));
    }

    public List<Inet4Address> ipv4List(String key) throws InvalidSettingException {
        List<Inet4Address> out = new ArrayList<>();
        for (String text : list(key)) {
            out.add(parseIpv4(key, text));
        }
        return List.copyOf(out);
    }

    /** A literal IPv4 or IPv6 address; the default when missing or blank. */
    public InetAddress address(String key, InetAddress defaultValue) throws InvalidSettingException {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        if (!text.get().matches("[0-9a-fA-F:.%]+")) {
            throw new InvalidSettingException(key, text.get(), "not an IP address (a.b.c.d or an IPv6 address)");
        }
        try {
            return InetAddress.getByName(text.get());
        } catch (UnknownHostException e) {
            throw new InvalidSettingException(key, text.get(), "not an IP address (a.b.c.d or an IPv6 address)");
        }
    }

    /**
     * A list written either as an array (of objects or primitives, as a service property may be) or
     * collection, or as one comma-separated string.
     */
    public List<String> list(String key) {
        Object value = get(key);
        if (value == null) {
            return List.of();
        }
        List<String> raw = new ArrayList<>();
        if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                raw.add(String.valueOf(Array.get(value, i)));
            }
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(v -> raw.add(String.valueOf(v)));
        } else {
            raw.addAll(Arrays.asList(value.toString().split(",")));
        }
        return raw.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Keys {@code prefix.1}, {@code prefix.2}, … in numeric order, with their trimmed values. */
    public Map<Integer, String> numbered(String prefix) throws InvalidSettingException {
        Map<Integer, String> out = new TreeMap<>();
        for (Map.Entry<String, String> entry : prefixed(prefix).entrySet()) {
            try {
                out.put(Integer.parseUnsignedInt(entry.getKey()), entry.getValue());
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(prefix + "." + entry.getKey(), entry.getValue(),
                        "entries are numbered: " + prefix + ".1, " + prefix + ".2, …");
            }
        }
        return out;
    }

    /** Keys {@code prefix.<suffix>}, by suffix in key order, with their trimmed values. */
    public Map<String, String> prefixed(String prefix) {
        String dotted = prefix + ".";
        readPrefixes.add(dotted);
        Map<String, String> out = new LinkedHashMap<>();
        properties.keySet().stream().filter(k -> k.startsWith(dotted)).sorted().forEach(key ->
                out.put(key.substring(dotted.length()), String.valueOf(properties.get(key)).trim()));
        return out;
    }

    /** Marks keys as known although this configuration does not use them (e.g. a key of another mode). */
    public void known(String... keys) {
        read.addAll(Arrays.asList(keys));
    }

    /**
     * The operator's keys no getter asked for, sorted: a typo, or a key an older release read.
     * Keys Config Admin, File Install and DS add ({@code service.pid}, …) are never listed.
     */
    public List<String> unreadKeys() {
        return properties.keySet().stream()
                .filter(key -> !read.contains(key))
                .filter(key -> readPrefixes.stream().noneMatch(key::startsWith))
                .filter(key -> FRAMEWORK_PREFIXES.stream().noneMatch(key::startsWith))
                .sorted()
                .toList();
    }

    /**
     * A service's {@code service.ranking}, typed ({@code Integer}) as the framework sets it or as
     * text as a plain .cfg file writes it; 0 when missing or not a whole number, as the framework
     * itself treats a ranking it cannot read.
     */
    public static int ranking(Map<String, ?> serviceProperties) {
        Object value = serviceProperties.get("service.ranking");
        if (value instanceof Integer i) {
            return i;
        }
        if (value instanceof Number n) {
            long l = n.longValue();
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, l));
        }
        if (value != null) {
            try {
                return Integer.parseInt(value.toString().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    private Object get(String key) {
        read.add(key);
        return properties.get(key);
    }

    private static Inet4Address parseIpv4(String key, String text) throws InvalidSettingException {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new InvalidSettingException(key, text, "not an IPv4 address (a.b.c.d)");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                throw new InvalidSettingException(key, text, "not an IPv4 address (a.b.c.d)");
            }
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                throw new InvalidSettingException(key, text, "not an IPv4 address (a.b.c.d)");
            }
            bytes[i] = (byte) value;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are an IPv4 address", e);
        }
    }
}
