package org.diskless.dhcp.internal;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads typed values out of the strings and numbers Config Admin hands over. Every failure names
 * the key and the reason, so a typo in a {@code .cfg} file is refused with a line the operator
 * can act on.
 */
final class ConfigReader {

    private final Map<String, ?> properties;

    ConfigReader(Map<String, ?> properties) {
        this.properties = properties;
    }

    Optional<String> text(String key) {
        Object value = properties.get(key);
        if (value == null) {
            return Optional.empty();
        }
        String text = value.toString().trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    String text(String key, String defaultValue) {
        return text(key).orElse(defaultValue);
    }

    long number(String key, long defaultValue, long min, long max) throws InvalidSettingException {
        Object value = properties.get(key);
        if (value == null || value.toString().isBlank()) {
            return defaultValue;
        }
        long parsed;
        if (value instanceof Number n) {
            parsed = n.longValue();
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

    int integer(String key, int defaultValue, int min, int max) throws InvalidSettingException {
        return (int) number(key, defaultValue, min, max);
    }

    boolean bool(String key, boolean defaultValue) throws InvalidSettingException {
        Object value = properties.get(key);
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

    Optional<Inet4Address> address(String key) throws InvalidSettingException {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Addresses.parse(text.get()));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(key, text.get(), "not an IPv4 address (a.b.c.d)");
        }
    }

    /** A list written either as a Config Admin array or as one comma-separated string. */
    List<String> list(String key) {
        Object value = properties.get(key);
        if (value == null) {
            return List.of();
        }
        List<String> raw = new ArrayList<>();
        if (value instanceof String[] array) {
            raw.addAll(Arrays.asList(array));
        } else if (value instanceof Iterable<?> iterable) {
            iterable.forEach(v -> raw.add(String.valueOf(v)));
        } else {
            raw.addAll(Arrays.asList(value.toString().split(",")));
        }
        return raw.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    List<Inet4Address> addresses(String key) throws InvalidSettingException {
        List<Inet4Address> out = new ArrayList<>();
        for (String text : list(key)) {
            try {
                out.add(Addresses.parse(text));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(key, text, "not an IPv4 address (a.b.c.d)");
            }
        }
        return List.copyOf(out);
    }

    /** Keys {@code prefix.1}, {@code prefix.2}, … in numeric order, with their values. */
    Map<Integer, String> numbered(String prefix) throws InvalidSettingException {
        Map<Integer, String> out = new TreeMap<>();
        for (Map.Entry<String, ?> entry : properties.entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(prefix + ".")) {
                continue;
            }
            String suffix = key.substring(prefix.length() + 1);
            try {
                out.put(Integer.parseInt(suffix), String.valueOf(entry.getValue()).trim());
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(key, entry.getValue(),
                        "entries are numbered: " + prefix + ".1, " + prefix + ".2, …");
            }
        }
        return out;
    }
}
