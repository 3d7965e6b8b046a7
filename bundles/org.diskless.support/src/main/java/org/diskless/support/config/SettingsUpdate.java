package org.diskless.support.config;

import java.util.Map;
import java.util.Optional;

import org.diskless.support.log.Printable;
import org.slf4j.Logger;

/**
 * The house rule for a configuration change, and the one place its log lines are written: the new
 * configuration is parsed as a whole before anything uses it; refused, it changes nothing and one
 * line says which file, which key and value, why, and what keeps serving; accepted, every key it
 * did not read is named, since a typo would otherwise be ignored in silence, and once the bundle
 * has put it in force, one line says the file was updated. Every bundle's lines read alike:
 * <pre>
 * Refused etc/org.diskless.tftp.cfg: 'maxBlockSize = 4': must be between 8 and 65464; the previous settings keep serving
 * etc/org.diskless.tftp.cfg: 'maxBlokSize' is not a setting here (a typo, or a key of an older release?); it is ignored
 * etc/org.diskless.tftp.cfg updated: ...
 * </pre>
 */
public final class SettingsUpdate {

    private SettingsUpdate() {
    }

    /**
     * @param file       the configuration's file as the operator knows it, e.g.
     *                   {@code etc/org.diskless.tftp.cfg}; {@link #fileOf} for a factory configuration
     * @param properties what Config Admin handed over
     * @param parser     the bundle's parser
     * @param log        the bundle's logger
     * @param onRefusal  what keeps serving when refused, e.g. "the previous settings keep serving"
     * @return the new settings, or empty when refused
     */
    public static <S> Optional<S> apply(String file, Map<String, ?> properties, SettingsParser<S> parser,
                                        Logger log, String onRefusal) {
        Config config = Config.of(properties);
        S settings;
        try {
            refuseStrayQuotes(properties);
            settings = parser.parse(config);
        } catch (InvalidSettingException e) {
            refused(log, file, e, onRefusal);
            return Optional.empty();
        }
        for (String key : config.unreadKeys()) {
            log.warn(unknownKey(file, key));
        }
        return Optional.of(settings);
    }

    /** Logs the refusal of {@code file} for a value found wrong after parsing (a port held, an overlap). */
    public static void refused(Logger log, String file, InvalidSettingException e, String keepsServing) {
        log.error(refusal(file, e.getMessage(), keepsServing));
    }

    /** Logs the refusal of {@code file} for a reason that is no one key's value (no address to serve from). */
    public static void refused(Logger log, String file, String why, String keepsServing) {
        log.error(refusal(file, why, keepsServing));
    }

    /** The warning for a key no setting reads, for a bundle that logs each distinct one once. */
    public static String unknownKey(String file, String key) {
        return file + ": '" + Printable.of(key, 100) + "' is not a setting here (a typo, or a key of an older"
                + " release?); it is ignored";
    }

    /** The refusal line itself, for a bundle that logs each distinct one once. */
    public static String refusal(String file, String why, String keepsServing) {
        return "Refused " + file + ": " + why + "; " + keepsServing;
    }

    /**
     * The one line that says a changed configuration is in force, logged by the bundle once it is
     * (sockets bound, files read), never on the first start.
     *
     * @param summary what is in force now, e.g. the settings record
     */
    public static void updated(Logger log, String file, Object summary) {
        log.info("{} updated: {}", file, summary);
    }

    /**
     * The file a configuration came from, as the operator knows it: {@code etc/} and the name
     * File Install read it from ({@code felix.fileinstall.filename}); else, for a configuration
     * made through Config Admin, the name File Install would give it:
     * {@code etc/<pid>.cfg}, or {@code etc/<factory pid>-<name>.cfg} for a factory configuration.
     */
    public static String fileOf(Map<String, ?> properties) {
        Object filename = properties.get("felix.fileinstall.filename");
        if (filename != null) {
            String text = filename.toString();
            String name = text.substring(Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\')) + 1);
            if (!name.isBlank()) {
                return "etc/" + Printable.of(name, 200);
            }
        }
        Object pid = properties.get("service.pid");
        Object factoryPid = properties.get("service.factoryPid");
        if (pid == null) {
            return "a configuration without a pid";
        }
        String text = pid.toString();
        if (factoryPid != null && text.startsWith(factoryPid + "~")) {
            text = factoryPid + "-" + text.substring(factoryPid.toString().length() + 1);
        } else if (factoryPid != null) {
            return "configuration " + Printable.of(text, 200) + " (factory " + Printable.of(factoryPid.toString(), 200)
                    + ")";
        }
        return "etc/" + Printable.of(text, 200) + ".cfg";
    }

    /**
     * Karaf reads a {@code .cfg} typed only when every value in it is quoted ({@code key = "x"},
     * {@code n = I"5"}); one unquoted value makes it read the whole file as plain text, and the
     * quotes of the others become part of their values ({@code bootFile} = {@code "pxelinux.0"},
     * quotes included). Such a value is refused before it is used: it names the trap, not a path
     * that does not exist.
     */
    private static void refuseStrayQuotes(Map<String, ?> properties) throws InvalidSettingException {
        for (Map.Entry<String, ?> entry : properties.entrySet()) {
            if (entry.getValue() instanceof String text && text.length() >= 2 && text.startsWith("\"")
                    && text.endsWith("\"")) {
                throw new InvalidSettingException(entry.getKey(), text, "the quotes are part of the value, because"
                        + " Karaf read the file as plain text, which it does when any value in it is not quoted;"
                        + " quote every value (numbers as I\"5\") or none");
            }
        }
    }

    /** Parses a configuration that must be valid, such as the defaults: a refusal is a bug. */
    public static <S> S defaults(SettingsParser<S> parser) {
        try {
            return parser.parse(Config.of(Map.of()));
        } catch (InvalidSettingException e) {
            throw new AssertionError("the defaults are valid: " + e.getMessage(), e);
        }
    }
}
