package org.diskless.rmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

class RmpSettingsTest {

    @Test
    void noConfigurationMeansIdleWithRbootdDefaults() throws Exception {
        RmpSettings settings = RmpSettings.from(Map.of());
        assertEquals(Optional.empty(), settings.interfaceName());
        assertTrue(settings.files().isEmpty());
        assertFalse(settings.answerAny());
        assertTrue(settings.inventory());
        assertEquals(Duration.ofMinutes(10), settings.sessionTimeout());
    }

    @Test
    void blankValuesFromACommentedFileAreDefaults() throws Exception {
        RmpSettings settings = RmpSettings.from(Map.of("interface", " ", "sessionTimeout", ""));
        assertEquals(Optional.empty(), settings.interfaceName());
        assertEquals(Duration.ofMinutes(10), settings.sessionTimeout());
    }

    @Test
    void listsAcceptCommasAndBlanks() throws Exception {
        assertEquals(List.of("A", "B", "C"), RmpSettings.from(Map.of("defaultBootFiles", "A, B C")).defaultBootFiles());
        assertEquals(List.of("A", "B"),
                RmpSettings.from(Map.of("defaultBootFiles", new String[] {"A", "B"})).defaultBootFiles());
    }

    @Test
    void badValuesNameTheirKey() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("interface", "eth 1"),
                Map.of("sessionTimeout", "0"), Map.of("unreadSessionTimeout", "-5"), Map.of("answerAny", "maybe"),
                Map.of("bootDirectory", "../etc"), Map.of("maxSessions", "70000"))) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> RmpSettings.from(bad));
            assertEquals(bad.keySet().iterator().next(), e.key(), e.getMessage());
        }
    }

    @Test
    void everyKeyOfTheShippedFileIsReadAndATypoIsNot() throws Exception {
        Config config = Config.of(Map.ofEntries(Map.entry("interface", "eth1"), Map.entry("clusterconf", "/etc/cc"),
                Map.entry("boottab", "/etc/bt"), Map.entry("rbootdConf", "/etc/rc"), Map.entry("bootDirectory", "rbootd"),
                Map.entry("defaultBootFiles", "SYS_UBOOT"), Map.entry("answerAny", "false"),
                Map.entry("inventory", "true"), Map.entry("hostName", "srv"), Map.entry("sessionTimeout", "600"),
                Map.entry("unreadSessionTimeout", "10"), Map.entry("maxSessions", "64"),
                Map.entry("maxSesions", "8"), Map.entry("service.pid", "org.diskless.rmp")));
        RmpSettings.from(config);
        assertEquals(List.of("maxSesions"), config.unreadKeys());
    }
}
