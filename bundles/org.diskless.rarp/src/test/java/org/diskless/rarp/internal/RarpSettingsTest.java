package org.diskless.rarp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

class RarpSettingsTest {

    @Test
    void withoutSettingsRarpIsIdleAndPacesOneReplyASecond() throws InvalidSettingException {
        RarpSettings settings = RarpSettings.from(Map.of());

        assertEquals(Optional.empty(), settings.interfaceName());
        assertEquals(Duration.ofSeconds(1), settings.replyInterval());
    }

    @Test
    void settingsAreReadTypedOrAsText() throws InvalidSettingException {
        RarpSettings settings = RarpSettings.from(Map.of("interface", "eth1", "replyIntervalMillis", "250"));

        assertEquals(Optional.of("eth1"), settings.interfaceName());
        assertEquals(Duration.ofMillis(250), settings.replyInterval());
    }

    @Test
    void unusableValuesAreRefusedNamingTheKey() {
        InvalidSettingException name = assertThrows(InvalidSettingException.class,
                () -> RarpSettings.from(Map.of("interface", "eth1; rm -rf /")));
        assertTrue(name.getMessage().contains("interface"), name.getMessage());
        InvalidSettingException interval = assertThrows(InvalidSettingException.class,
                () -> RarpSettings.from(Map.of("replyIntervalMillis", "-1")));
        assertTrue(interval.getMessage().contains("replyIntervalMillis"), interval.getMessage());
    }
}
