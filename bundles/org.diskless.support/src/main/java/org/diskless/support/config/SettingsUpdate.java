package org.diskless.support.config;

import java.util.Map;
import java.util.Optional;

import org.diskless.support.log.Printable;
import org.slf4j.Logger;

/**
 * The house rule for a configuration change: the new configuration is parsed as a whole before
 * anything uses it; refused, it changes nothing and one line says which key, why, and that the
 * settings in force keep serving; accepted, every key it did not read is named, since a typo
 * would otherwise be ignored in silence.
 */
public final class SettingsUpdate {

    private SettingsUpdate() {
    }

    /**
     * @param what       how the operator knows this configuration, e.g. {@code etc/org.diskless.tftp.cfg}
     * @param properties what Config Admin handed over
     * @param parser     the bundle's parser
     * @param log        the bundle's logger
     * @param onRefusal  what keeps serving when refused, e.g. "the previous settings keep serving"
     * @return the new settings, or empty when refused
     */
    public static <S> Optional<S> apply(String what, Map<String, ?> properties, SettingsParser<S> parser,
                                        Logger log, String onRefusal) {
        Config config = Config.of(properties);
        S settings;
        try {
            refuseStrayQuotes(properties);
            settings = parser.parse(config);
        } catch (InvalidSettingException e) {
            log.error("Refused {}: {}; {}", what, e.getMessage(), onRefusal);
            return Optional.empty();
        }
        for (String key : config.unreadKeys()) {
            log.warn("{}: '{}' is not a setting here (a typo, or a key of an older release?); it is ignored",
                    what, Printable.of(key, 100));
        }
        return Optional.of(settings);
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
