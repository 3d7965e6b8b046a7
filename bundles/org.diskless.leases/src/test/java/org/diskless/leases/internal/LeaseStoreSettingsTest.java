package org.diskless.leases.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

class LeaseStoreSettingsTest {

    private static final Path BASE = Path.of("/opt/diskless");

    @Test
    void defaultsKeepLeasesUnderTheKarafBaseNotUnderData() throws Exception {
        LeaseStoreSettings settings = from(Map.of(), BASE);
        assertEquals(Path.of("/opt/diskless/leases"), settings.directory());
        assertEquals(Duration.ofHours(168), settings.retention());
        assertEquals(16L << 20, settings.compactionMinBytes());
        assertEquals(4, settings.compactionRatio());
        assertEquals(Duration.ofMillis(2), settings.syncInterval());
        assertEquals(16L << 20, settings.journalPreallocation());
    }

    @Test
    void journalsArePreallocatedToTheCompactionThresholdUnlessSet() throws Exception {
        assertEquals(65536L, from(Map.of("compactionMinBytes", "65536"), BASE).journalPreallocation());
        assertEquals(1L << 30, from(Map.of("compactionMinBytes", 1L << 36), BASE).journalPreallocation(),
                "at most 1 GiB");
        assertEquals(0L, from(Map.of("journalPreallocationBytes", " 0 "), BASE).journalPreallocation());
        assertEquals(4096L, from(Map.of("compactionMinBytes", "65536",
                "journalPreallocationBytes", 4096), BASE).journalPreallocation());
    }

    @Test
    void relativeDirectoriesAreTakenFromTheBaseAndAbsoluteOnesKept() throws Exception {
        assertEquals(Path.of("/opt/diskless/state/leases"),
                from(Map.of("directory", " state/./leases "), BASE).directory());
        assertEquals(Path.of("/var/lib/diskless"),
                from(Map.of("directory", "/var/lib/diskless/"), BASE).directory());
    }

    @Test
    void stringsFromAConfigFileAndTypedValuesBothWork() throws Exception {
        LeaseStoreSettings settings = from(Map.of("retentionHours", " 24 ",
                "compactionMinBytes", 65536L, "compactionRatio", 8, "syncIntervalMicros", " 0 "), BASE);
        assertEquals(Duration.ofHours(24), settings.retention());
        assertEquals(65536L, settings.compactionMinBytes());
        assertEquals(8, settings.compactionRatio());
        assertEquals(Duration.ZERO, settings.syncInterval());
        assertEquals(Duration.ofMillis(250),
                from(Map.of("syncIntervalMicros", 250_000), BASE).syncInterval());
    }

    @Test
    void aBadValueIsRefusedNamingTheKeyAndWhy() {
        assertRefused(Map.of("directory", "  "), "'directory' (not set): must name a directory");
        assertRefused(Map.of("directory", "bad\0name"), "'directory = bad\\x00name': not a usable path");
        assertRefused(Map.of("retentionHours", "a week"), "'retentionHours = a week': not a whole number");
        assertRefused(Map.of("retentionHours", "-1"), "'retentionHours = -1': must be between 0 and");
        assertRefused(Map.of("compactionMinBytes", "100"), "'compactionMinBytes = 100': must be between 4096 and");
        assertRefused(Map.of("compactionRatio", "1"), "'compactionRatio = 1': must be between 2 and 1000");
        assertRefused(Map.of("syncIntervalMicros", "2ms"), "'syncIntervalMicros = 2ms': not a whole number");
        assertRefused(Map.of("syncIntervalMicros", "1000001"),
                "'syncIntervalMicros = 1000001': must be between 0 and 1000000");
        assertRefused(Map.of("journalPreallocationBytes", "-1"),
                "'journalPreallocationBytes = -1': must be between 0 and 1073741824");
        assertRefused(Map.of("journalPreallocationBytes", "16M"), "'journalPreallocationBytes = 16M': not a whole number");
    }

    private static void assertRefused(Map<String, ?> properties, String message) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> from(properties, BASE));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    private static LeaseStoreSettings from(Map<String, ?> properties, Path base) throws InvalidSettingException {
        return LeaseStoreSettings.parse(Config.of(properties), base);
    }
}
