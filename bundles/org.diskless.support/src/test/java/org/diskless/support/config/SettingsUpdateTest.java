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
                if ((method.getName().equals("warn") || method.getName().equals("error") || method.getName().equals("info"))
                        && args != null
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
    void everyRefusalReadsAlikeFileKeyValueWhyAndWhatKeepsServing() {
        SettingsUpdate.apply("etc/org.diskless.tftp.cfg", Map.of("port", "70000"), PORT, log,
                "the previous settings keep serving");
        SettingsUpdate.apply("etc/org.diskless.boot.cfg", Map.of(), config -> config.requiredText("network", "needed"),
                log, "nothing is served until it is fixed");
        SettingsUpdate.refused(log, "etc/org.diskless.dhcp.subnet-lab.cfg", new InvalidSettingException("network",
                "192.0.0.0/16", "overlaps subnet wire (192.0.2.0/24)"), "this subnet is not served until it is fixed");
        SettingsUpdate.refused(log, "etc/org.diskless.dhcp.subnet-lab.cfg", "this host has no address to serve it from",
                "it is served as soon as it has one");

        assertEquals(List.of(
                "error Refused etc/org.diskless.tftp.cfg: 'port = 70000': must be between 1 and 65535; the previous"
                        + " settings keep serving",
                "error Refused etc/org.diskless.boot.cfg: 'network' (not set): needed; nothing is served until it is"
                        + " fixed",
                "error Refused etc/org.diskless.dhcp.subnet-lab.cfg: 'network = 192.0.0.0/16': overlaps subnet wire"
                        + " (192.0.2.0/24); this subnet is not served until it is fixed",
                "error Refused etc/org.diskless.dhcp.subnet-lab.cfg: this host has no address to serve it from; it is"
                        + " served as soon as it has one"), lines);
    }

    @Test
    void aValueIsEscapedAndCappedAndABlankOneIsSaidToBeNotSet() {
        assertEquals("'name = a\\x1b[2Jb': bad", new InvalidSettingException("name", "a\u001b[2Jb", "bad").getMessage());
        String refused = new InvalidSettingException("name", "x".repeat(5000), "too long").getMessage();
        assertTrue(refused.length() < 300 && refused.contains("more)"), refused);
        assertEquals("'root' (not set): empty", new InvalidSettingException("root", "  ", "empty").getMessage());
        assertEquals("'root' (not set): empty", new InvalidSettingException("root", null, "empty").getMessage());
    }

    @Test
    void aChangeInForceIsOneUpdatedLineNamingTheFile() {
        SettingsUpdate.updated(log, "etc/org.diskless.boot.cfg", "TimelineSettings[quietGap=PT10M]");
        assertEquals(List.of("info etc/org.diskless.boot.cfg updated: TimelineSettings[quietGap=PT10M]"), lines);
    }

    @Test
    void theFileIsTheOneFileInstallReadElseTheOneItWouldWrite() {
        assertEquals("etc/org.diskless.dhcp.subnet-lab.cfg", SettingsUpdate.fileOf(Map.of(
                "felix.fileinstall.filename", "file:/opt/diskless/etc/org.diskless.dhcp.subnet-lab.cfg",
                "service.pid", "org.diskless.dhcp.subnet.4f2a", "service.factoryPid", "org.diskless.dhcp.subnet")));
        assertEquals("etc/org.diskless.tftp.cfg", SettingsUpdate.fileOf(Map.of("service.pid", "org.diskless.tftp")));
        assertEquals("etc/org.diskless.node-n01.cfg", SettingsUpdate.fileOf(Map.of(
                "service.pid", "org.diskless.node~n01", "service.factoryPid", "org.diskless.node")));
        assertEquals("configuration org.diskless.node.4f2a (factory org.diskless.node)", SettingsUpdate.fileOf(Map.of(
                "service.pid", "org.diskless.node.4f2a", "service.factoryPid", "org.diskless.node")));
    }

    @Test
    void defaultsThatDoNotParseAreABug() {
        assertEquals(69, SettingsUpdate.defaults(PORT));
        assertThrows(AssertionError.class, () -> SettingsUpdate.defaults(config -> {
            throw new InvalidSettingException("p", 0, "must be between 1 and 2");
        }));
    }
}
