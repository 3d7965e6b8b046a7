package org.diskless.rmp.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checked settings of the RMP server; {@link #from} refuses a value with its key and why. */
record RmpSettings(
        Optional<String> interfaceName,
        Optional<Path> clusterconf,
        Optional<Path> boottab,
        Optional<Path> rbootdConf,
        String bootDirectory,
        List<String> defaultBootFiles,
        boolean answerAny,
        boolean inventory,
        Optional<String> hostName,
        Duration sessionTimeout,
        Duration unreadSessionTimeout,
        int maxSessions) {

    static final int DEFAULT_SESSION_TIMEOUT_SECONDS = 600; // what rbootd has always used
    /** A boot ROM reads as soon as its session opens; one that has not in this time is not coming. */
    static final int DEFAULT_UNREAD_SESSION_TIMEOUT_SECONDS = 10;
    static final int DEFAULT_MAX_SESSIONS = 64;

    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[\\s,]+");

    RmpSettings {
        defaultBootFiles = List.copyOf(defaultBootFiles);
    }

    static final class InvalidSettingException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSettingException(String message) {
            super(message);
        }
    }

    /** The names of the configuration files to watch. */
    List<Path> files() {
        List<Path> files = new ArrayList<>();
        clusterconf.ifPresent(files::add);
        boottab.ifPresent(files::add);
        rbootdConf.ifPresent(files::add);
        return files;
    }

    static RmpSettings from(Map<String, ?> properties) throws InvalidSettingException {
        Optional<String> interfaceName = text(properties, "interface");
        if (interfaceName.isPresent() && !INTERFACE_NAME.matcher(interfaceName.get()).matches()) {
            throw new InvalidSettingException("interface: '" + interfaceName.get()
                    + "' is not a network interface name (as ip link shows, e.g. eth1)");
        }
        String bootDirectory = text(properties, "bootDirectory").orElse("").replace('\\', '/');
        while (bootDirectory.startsWith("/")) {
            bootDirectory = bootDirectory.substring(1);
        }
        while (bootDirectory.endsWith("/")) {
            bootDirectory = bootDirectory.substring(0, bootDirectory.length() - 1);
        }
        if (Arrays.asList(bootDirectory.split("/")).contains("..")) {
            throw new InvalidSettingException("bootDirectory: '" + bootDirectory
                    + "' leads out of the boot root; name a directory inside it");
        }
        List<String> defaultBootFiles = list(properties.get("defaultBootFiles"));
        for (String file : defaultBootFiles) {
            if (file.length() > 255) {
                throw new InvalidSettingException("defaultBootFiles: '" + file + "' is longer than the 255"
                        + " characters an RMP name can carry");
            }
        }
        Optional<String> hostName = text(properties, "hostName");
        return new RmpSettings(
                interfaceName,
                path(properties, "clusterconf"),
                path(properties, "boottab"),
                path(properties, "rbootdConf"),
                bootDirectory,
                defaultBootFiles,
                bool(properties, "answerAny", false),
                bool(properties, "inventory", true),
                hostName,
                Duration.ofSeconds(positive(properties, "sessionTimeout", DEFAULT_SESSION_TIMEOUT_SECONDS)),
                Duration.ofSeconds(positive(properties, "unreadSessionTimeout", DEFAULT_UNREAD_SESSION_TIMEOUT_SECONDS)),
                positive(properties, "maxSessions", DEFAULT_MAX_SESSIONS));
    }

    private static Optional<String> text(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.toString().trim();
        return trimmed.isEmpty() ? Optional.empty() : Optional.of(trimmed);
    }

    private static Optional<Path> path(Map<String, ?> properties, String key) throws InvalidSettingException {
        Optional<String> text = text(properties, key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(text.get());
        } catch (RuntimeException e) {
            throw new InvalidSettingException(key + ": '" + text.get() + "' is not a file name");
        }
        String base = System.getProperty("karaf.base");
        if (!path.isAbsolute() && base != null) {
            path = Path.of(base).resolve(path);
        }
        return Optional.of(path.toAbsolutePath().normalize());
    }

    private static List<String> list(Object value) {
        List<String> items = new ArrayList<>();
        if (value instanceof String[] array) {
            for (String item : array) {
                items.addAll(split(item));
            }
        } else if (value instanceof Collection<?> collection) {
            for (Object item : collection) {
                items.addAll(split(String.valueOf(item)));
            }
        } else if (value != null) {
            items.addAll(split(value.toString()));
        }
        return items;
    }

    private static List<String> split(String text) {
        return Arrays.stream(LIST_SEPARATOR.split(text.trim())).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean bool(Map<String, ?> properties, String key, boolean fallback)
            throws InvalidSettingException {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "" -> fallback;
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new InvalidSettingException(key + ": '" + value + "' is not true or false");
        };
    }

    private static int positive(Map<String, ?> properties, String key, int fallback) throws InvalidSettingException {
        Object value = properties.get(key);
        if (value == null || value.toString().isBlank()) {
            return fallback;
        }
        int parsed;
        try {
            parsed = value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key + ": '" + value + "' is not a whole number");
        }
        if (parsed < 1) {
            throw new InvalidSettingException(key + ": must be at least 1, not " + parsed);
        }
        return parsed;
    }

    @Override
    public String toString() {
        return "interface=" + interfaceName.orElse("(none)") + ", answerAny=" + answerAny + ", inventory="
                + inventory + ", sessionTimeout=" + sessionTimeout.toSeconds() + "s, unreadSessionTimeout="
                + unreadSessionTimeout.toSeconds() + "s, maxSessions=" + maxSessions
                + (bootDirectory.isEmpty() ? "" : ", bootDirectory=" + bootDirectory);
    }
}
