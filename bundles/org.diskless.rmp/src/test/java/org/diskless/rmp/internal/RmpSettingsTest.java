package org.diskless.rmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.rmp.internal.RmpSettings.InvalidSettingException;
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
        assertTrue(assertThrows(InvalidSettingException.class, () -> RmpSettings.from(Map.of("interface", "eth 1")))
                .getMessage().startsWith("interface:"));
        assertTrue(assertThrows(InvalidSettingException.class, () -> RmpSettings.from(Map.of("sessionTimeout", "0")))
                .getMessage().startsWith("sessionTimeout:"));
        assertTrue(assertThrows(InvalidSettingException.class, () -> RmpSettings.from(Map.of("answerAny", "maybe")))
                .getMessage().startsWith("answerAny:"));
        assertTrue(assertThrows(InvalidSettingException.class,
                () -> RmpSettings.from(Map.of("bootDirectory", "../etc"))).getMessage().startsWith("bootDirectory:"));
    }
}
