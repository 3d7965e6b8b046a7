package org.diskless.support.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class SettingsUpdateTest {

    /** A logger that keeps the formatted lines of warn and error. */
    private final List<String> lines = new ArrayList<>();
    private final Logger log = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                if ((method.getName().equals("warn") || method.getName().equals("error")) && args != null
                        && args[0] instanceof String format) {
                    Object[] values = args.length == 2 && args[1] instanceof Object[] a ? a
                            : java.util.Arrays.copyOfRange(args, 1, args.length);
                    String line = format;
                    for (Object value : values) {
                        line = line.replaceFirst("\\{\\}", java.util.regex.Matcher.quoteReplacement(String.valueOf(value)));
                    }
                    lines.add(method.getName() + " " + line);
                }
                return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
            });

    private static final SettingsParser<Integer> PORT = config -> config.integer("port", 69, 1, 65535);

    @Test
    void anAcceptedConfigurationNamesEachKeyItDidNotRead() {
        assertEquals(Optional.of(70), SettingsUpdate.apply("etc/x.cfg", Map.of("port", "70", "prot", "71"), PORT, log,
                "the previous settings keep serving"));

        assertEquals(List.of("warn etc/x.cfg: 'prot' is not a setting here (a typo, or a key of an older release?);"
                + " it is ignored"), lines);
    }

    @Test
    void aRefusedConfigurationChangesNothingAndSaysWhatKeepsServing() {
        assertEquals(Optional.empty(), SettingsUpdate.apply("etc/x.cfg", Map.of("port", "0"), PORT, log,
                "the previous settings keep serving"));

        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("error Refused etc/x.cfg: 'port = 0': must be between 1 and 65535;"
                + " the previous settings keep serving"), lines.get(0));
    }

    @Test
    void quotesLeftInAValueByAFileKarafReadAsPlainTextAreRefusedNamingTheTrap() {
        // One unquoted value ("port = 70") and Karaf reads every value of the file as plain text.
        SettingsParser<String> name = config -> config.text("name", "x") + config.integer("port", 69, 1, 65535);
        assertEquals(Optional.empty(), SettingsUpdate.apply("etc/x.cfg", Map.of("port", "70", "name", "\"pxe\""),
                name, log, "the previous settings keep serving"));

        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("error Refused etc/x.cfg: 'name = \"pxe\"': the quotes are part of the value"),
                lines.get(0));
        assertEquals(Optional.of("a\"b\"70"), SettingsUpdate.apply("etc/x.cfg", Map.of("port", 70, "name", "a\"b\""),
                name, log, "the previous settings keep serving"), "quotes inside a value are the operator's");
    }

    @Test
    void theValueOfAPasswordKeyIsNeverLogged() {
        SettingsParser<String> secret = config -> config.text("secureOnPassword.node07", "") + config.text("port", "");
        assertEquals(Optional.empty(), SettingsUpdate.apply("etc/x.cfg", Map.of("port", "70",
                "secureOnPassword.node07", "\"hunter2\""), secret, log, "the previous settings keep serving"));

        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("error Refused etc/x.cfg: 'secureOnPassword.node07 = (not shown)': the"
                + " quotes are part of the value"), lines.get(0));
    }

    @Test
    void defaultsThatDoNotParseAreABug() {
        assertEquals(69, SettingsUpdate.defaults(PORT));
        assertThrows(AssertionError.class, () -> SettingsUpdate.defaults(config -> {
            throw new InvalidSettingException("p", 0, "must be between 1 and 2");
        }));
    }
}
