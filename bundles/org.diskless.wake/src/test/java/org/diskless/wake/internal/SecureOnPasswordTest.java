package org.diskless.wake.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

class SecureOnPasswordTest {

    @Test
    void theFormsToolsWriteAreRead() {
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, (byte) 0xab}, SecureOnPassword.parse("01:02:03:04:05:AB").toByteArray());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, (byte) 0xab}, SecureOnPassword.parse("1-2-3-4-5-ab").toByteArray());
        assertArrayEquals(new byte[] {10, 0, 0, (byte) 255}, SecureOnPassword.parse(" 10.0.0.255 ").toByteArray());
        assertArrayEquals(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef},
                SecureOnPassword.parse("de:ad:be:ef").toByteArray());
    }

    @Test
    void otherLengthsAndBadDigitsAreRefusedWithoutRepeatingTheText() {
        for (String bad : new String[] {"0a:0b:0c:0d:0e", "0a:0b:0c:0d:0e:0f:10", "1.2.3.456", "zz:02:03:04",
                "secret", "", "01::02:03:04:05"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecureOnPassword.parse(bad),
                    bad);
            assertFalse(!bad.isEmpty() && e.getMessage().contains(bad), () -> "the message repeats " + bad);
        }
    }

    @Test
    void noTextShowsThePassword() {
        SecureOnPassword password = SecureOnPassword.parse("a1:b2:c3:d4:e5:f6");
        assertEquals("SecureOn password (6 bytes)", password.toString());
        WakeSettings settings = settings(Map.of("secureOnPassword", "a1:b2:c3:d4:e5:f6", "secureOnPassword.node07", "1.2.3.4"));
        assertFalse(settings.toString().toLowerCase().contains("a1"), settings::toString);
        assertFalse(settings.toString().contains("1.2.3.4"), settings::toString);
    }

    @Test
    void aNodesOwnPasswordWinsOverTheGlobalOne() {
        WakeSettings settings = settings(Map.of("secureOnPassword", "a1:b2:c3:d4:e5:f6", "secureOnPassword.node07", "1.2.3.4"));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, settings.passwordOf("node07").orElseThrow().toByteArray());
        assertEquals(6, settings.passwordOf("node08").orElseThrow().length());
        assertTrue(settings(Map.of()).passwordOf("node07").isEmpty());
    }

    @Test
    void aMistypedPasswordIsRefusedWithItsKeyButNotItsValue() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> WakeSettings.parse(Config.of(Map.of("secureOnPassword.node07", "hunter2:secret"))));
        assertEquals("secureOnPassword.node07", e.key());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    static WakeSettings settings(Map<String, ?> properties) {
        try {
            return WakeSettings.parse(Config.of(properties));
        } catch (InvalidSettingException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
