package org.diskless.support.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** One reader for every bundle: typed or plain-text values, refusals that name the key, typos named. */
class ConfigTest {

    @Test
    void typedAndPlainTextValuesReadTheSame() throws Exception {
        Config typed = Config.of(Map.of("port", 69, "allowWrite", true, "timeout", 5L));
        Config text = Config.of(Map.of("port", " 69 ", "allowWrite", "TRUE", "timeout", "5"));

        for (Config config : List.of(typed, text)) {
            assertEquals(69, config.integer("port", 1, 1, 65535));
            assertTrue(config.bool("allowWrite", false));
            assertEquals(Duration.ofSeconds(5), config.seconds("timeout", Duration.ofSeconds(1), 1, 255));
        }
    }

    @Test
    void aMissingOrBlankValueIsTheDefault() throws Exception {
        Config config = Config.of(Map.of("port", "  "));

        assertEquals(69, config.integer("port", 69, 1, 65535));
        assertEquals("x", config.text("name", "x"));
        assertEquals(Optional.empty(), config.ipv4("address"));
    }

    @Test
    void aBlankValueIsWrittenAMissingOneIsNot() {
        Config config = Config.of(Map.of("directory", "  "));

        assertTrue(config.has("directory"));
        assertFalse(config.has("root"));
        assertEquals(List.of(), config.unreadKeys(), "asking counts as reading");
    }

    @Test
    void aRefusalNamesTheKeyTheValueAndWhatWouldDo() {
        Config config = Config.of(Map.of("port", "sixty-nine", "retries", "500", "flag", "yes",
                "address", "192.0.2.300", "mode", "relay"));

        assertEquals("'port = sixty-nine': not a whole number",
                assertThrows(InvalidSettingException.class, () -> config.integer("port", 69, 1, 65535)).getMessage());
        assertEquals("'retries = 500': must be between 0 and 100",
                assertThrows(InvalidSettingException.class, () -> config.integer("retries", 5, 0, 100)).getMessage());
        assertEquals("'flag = yes': must be true or false",
                assertThrows(InvalidSettingException.class, () -> config.bool("flag", false)).getMessage());
        assertEquals("'address = 192.0.2.300': not an IPv4 address (a.b.c.d)",
                assertThrows(InvalidSettingException.class, () -> config.ipv4("address")).getMessage());
        assertEquals("'mode = relay': must be one of server, proxy",
                assertThrows(InvalidSettingException.class,
                        () -> config.choice("mode", "s", Map.of("server", "s", "proxy", "p"))).getMessage()
                        .replace("proxy, server", "server, proxy"));
    }

    @Test
    void aValueWithControlCharactersIsEscapedInTheRefusal() {
        Config config = Config.of(Map.of("port", "6\u001b[2J9"));

        assertEquals("'port = 6\\x1b[2J9': not a whole number",
                assertThrows(InvalidSettingException.class, () -> config.integer("port", 69, 1, 65535)).getMessage());
    }

    @Test
    void aHostNameIsNotAnAddress() {
        Config config = Config.of(Map.of("address", "localhost"));

        assertThrows(InvalidSettingException.class, () -> config.address("address", InetAddress.getLoopbackAddress()));
    }

    @Test
    void listsComeAsArraysCollectionsOrCommaSeparatedText() {
        assertEquals(List.of("a", "b"), Config.of(Map.of("k", new String[] {"a", " b "})).list("k"));
        assertEquals(List.of("0", "7"), Config.of(Map.of("k", new int[] {0, 7})).list("k"), "a service property's int[]");
        assertEquals(List.of("a", "b"), Config.of(Map.of("k", List.of("a", "b"))).list("k"));
        assertEquals(List.of("a", "b"), Config.of(Map.of("k", "a, b,")).list("k"));
    }

    @Test
    void numberedKeysComeInNumericOrderAndABadNumberIsRefused() throws Exception {
        assertEquals(Map.of(1, "one", 2, "two", 10, "ten"),
                Config.of(Map.of("menu.10", "ten", "menu.2", "two", "menu.1", "one")).numbered("menu"));
        assertEquals(List.of(1, 2, 10), List.copyOf(
                Config.of(Map.of("menu.10", "ten", "menu.2", "two", "menu.1", "one")).numbered("menu").keySet()));
        assertThrows(InvalidSettingException.class, () -> Config.of(Map.of("menu.x", "y")).numbered("menu"));
    }

    @Test
    void keysNoGetterReadAreNamedButFrameworkKeysAreNot() throws Exception {
        Config config = Config.of(Map.of("port", "69", "maxBlocksize", "1468", "bootFile.bios", "pxelinux.0",
                "service.pid", "org.diskless.tftp", "felix.fileinstall.filename", "file:/etc/x.cfg",
                "component.name", "x", "oldKey", "1"));

        config.integer("port", 69, 1, 65535);
        config.prefixed("bootFile");
        config.known("oldKey");

        assertEquals(List.of("maxBlocksize"), config.unreadKeys());
    }

    @Test
    void rankingIsReadTypedOrAsText() {
        assertEquals(5, Config.ranking(Map.of("service.ranking", 5)));
        assertEquals(5, Config.ranking(Map.of("service.ranking", " 5")));
        assertEquals(0, Config.ranking(Map.of("service.ranking", "high")));
        assertEquals(0, Config.ranking(Map.of()));
        assertEquals(Integer.MAX_VALUE, Config.ranking(Map.of("service.ranking", Long.MAX_VALUE)));
    }
}
