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

    /** Parses a configuration that must be valid, such as the defaults: a refusal is a bug. */
    public static <S> S defaults(SettingsParser<S> parser) {
        try {
            return parser.parse(Config.of(Map.of()));
        } catch (InvalidSettingException e) {
            throw new AssertionError("the defaults are valid: " + e.getMessage(), e);
        }
    }
}
