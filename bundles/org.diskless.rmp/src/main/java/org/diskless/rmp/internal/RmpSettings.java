package org.diskless.rmp.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/** Checked settings of the RMP server, read through the shared {@link Config}: {@link #from} refuses a value with its key and why. */
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
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    /** A day: longer than any boot, short enough that a dead session is not kept for ever. */
    private static final long MAX_TIMEOUT = 86_400;
    /** Session ids are 16 bits without 0 and 0xFFFF, and each open session needs one. */
    private static final int MAX_SESSIONS = 0xFFFE - 1;

    RmpSettings {
        defaultBootFiles = List.copyOf(defaultBootFiles);
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
        return from(Config.of(properties));
    }

    /** Reads the whole configuration or refuses it, naming the key; what it did not read is {@link Config#unreadKeys()}. */
    static RmpSettings from(Config config) throws InvalidSettingException {
        Optional<String> interfaceName = config.text("interface");
        if (interfaceName.isPresent() && !INTERFACE_NAME.matcher(interfaceName.get()).matches()) {
            throw new InvalidSettingException("interface", interfaceName.get(),
                    "not a network interface name (as ip link shows, e.g. eth1)");
        }
        String bootDirectory = config.text("bootDirectory", "").replace('\\', '/');
        while (bootDirectory.startsWith("/")) {
            bootDirectory = bootDirectory.substring(1);
        }
        while (bootDirectory.endsWith("/")) {
            bootDirectory = bootDirectory.substring(0, bootDirectory.length() - 1);
        }
        if (Arrays.asList(bootDirectory.split("/")).contains("..")) {
            throw new InvalidSettingException("bootDirectory", bootDirectory,
                    "leads out of the boot root; name a directory inside it");
        }
        // rbootd separates file names by blanks too, so "A, B C" is three files.
        List<String> defaultBootFiles = config.list("defaultBootFiles").stream()
                .flatMap(item -> Arrays.stream(BLANKS.split(item))).toList();
        for (String file : defaultBootFiles) {
            if (file.length() > 255) {
                throw new InvalidSettingException("defaultBootFiles", file,
                        "longer than the 255 characters an RMP name can carry");
            }
        }
        return new RmpSettings(
                interfaceName,
                path(config, "clusterconf"),
                path(config, "boottab"),
                path(config, "rbootdConf"),
                bootDirectory,
                defaultBootFiles,
                config.bool("answerAny", false),
                config.bool("inventory", true),
                config.text("hostName"),
                config.seconds("sessionTimeout", Duration.ofSeconds(DEFAULT_SESSION_TIMEOUT_SECONDS), 1, MAX_TIMEOUT),
                config.seconds("unreadSessionTimeout", Duration.ofSeconds(DEFAULT_UNREAD_SESSION_TIMEOUT_SECONDS), 1,
                        MAX_TIMEOUT),
                config.integer("maxSessions", DEFAULT_MAX_SESSIONS, 1, MAX_SESSIONS));
    }

    /** A file name, relative to the Karaf base when not absolute. */
    private static Optional<Path> path(Config config, String key) throws InvalidSettingException {
        Optional<String> text = config.text(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(text.get());
        } catch (RuntimeException e) {
            throw new InvalidSettingException(key, text.get(), "not a file name");
        }
        String base = System.getProperty("karaf.base");
        if (!path.isAbsolute() && base != null) {
            path = Path.of(base).resolve(path);
        }
        return Optional.of(path.toAbsolutePath().normalize());
    }

    @Override
    public String toString() {
        return "interface=" + interfaceName.orElse("(none)") + ", answerAny=" + answerAny + ", inventory="
                + inventory + ", sessionTimeout=" + sessionTimeout.toSeconds() + "s, unreadSessionTimeout="
                + unreadSessionTimeout.toSeconds() + "s, maxSessions=" + maxSessions
                + (bootDirectory.isEmpty() ? "" : ", bootDirectory=" + bootDirectory);
    }
}
