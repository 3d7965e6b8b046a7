package org.diskless.tftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.diskless.support.config.InvalidSettingException;
import org.diskless.support.config.Config;
import org.junit.jupiter.api.Test;

class TftpSettingsTest {

    @Test
    void defaultsAreSafe() {
        TftpSettings settings = TftpSettings.defaults();
        assertEquals(69, settings.bindAddress().getPort());
        assertTrue(settings.bindAddress().getAddress().isAnyLocalAddress());
        assertFalse(settings.allowWrite(), "uploads must be off unless the operator allows them");
        assertFalse(settings.allowOverwrite());
        assertEquals(65464, settings.maxBlockSize());
    }

    @Test
    void keysNoSettingReadsAreLeftUnread() throws Exception {
        Config config = Config.of(Map.of("maxBlocksize", "1024", "maxWindowBytes", "65536", "port", "69",
                "busyPollMicros", "0", "maxTransfersPerClient", "4", "service.pid", "org.diskless.tftp",
                "felix.fileinstall.filename", "file:/opt/diskless/etc/org.diskless.tftp.cfg"));
        TftpSettings.parse(config);
        assertEquals(List.of("maxBlocksize", "maxWindowBytes"), config.unreadKeys());
    }

    @Test
    void stringsFromAConfigFileAndTypedValuesBothWork() throws Exception {
        TftpSettings settings = TftpSettings.parse(Config.of(Map.of("port", " 6969 ", "allowWrite", "TRUE", "timeout", 3,
                "maxUploadSize", 10L, "address", "127.0.0.1")));
        assertEquals(6969, settings.bindAddress().getPort());
        assertTrue(settings.allowWrite());
        assertEquals(Duration.ofSeconds(3), settings.timeout());
        assertEquals(10L, settings.maxUploadSize());
        assertEquals("127.0.0.1", settings.bindAddress().getAddress().getHostAddress());
    }

    @Test
    void anEmptyAddressIsEveryInterfaceNotLoopback() throws Exception {
        TftpSettings settings = TftpSettings.parse(Config.of(Map.of("address", "")));
        assertTrue(settings.bindAddress().getAddress().isAnyLocalAddress(), settings.bindAddress().toString());
    }

    @Test
    void aBadValueIsRefusedNamingTheKeyAndWhy() {
        assertRefused(Map.of("port", "abc"), "'port = abc': not a whole number");
        assertRefused(Map.of("port", "70000"), "'port = 70000': must be between 1 and 65535");
        assertRefused(Map.of("maxBlockSize", "7"), "'maxBlockSize = 7': must be between 8 and 65464");
        assertRefused(Map.of("allowWrite", "yes"), "'allowWrite = yes': must be true or false");
        assertRefused(Map.of("address", "not an address!"), "'address = not an address!'");
        assertRefused(Map.of("maxTransfers", "0"), "'maxTransfers = 0'");
        assertRefused(Map.of("maxTransfersPerClient", "0"), "'maxTransfersPerClient = 0'");
        assertRefused(Map.of("busyPollMicros", "-1"), "'busyPollMicros = -1': must be between 0 and 10000");
    }

    private static void assertRefused(Map<String, ?> properties, String message) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> TftpSettings.parse(Config.of(properties)));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
