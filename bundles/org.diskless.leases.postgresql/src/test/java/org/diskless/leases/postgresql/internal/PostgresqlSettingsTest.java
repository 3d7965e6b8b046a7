package org.diskless.leases.postgresql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresqlSettingsTest {

    private static final String URL = "jdbc:postgresql://db.example:5432/diskless";

    @TempDir
    Path base;

    private PostgresqlSettings parse(Map<String, Object> properties, Map<String, String> environment)
            throws InvalidSettingException {
        return PostgresqlSettings.parse(Config.of(properties), environment::get, base);
    }

    private static Map<String, Object> minimal() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("url", URL);
        properties.put("user", "diskless");
        return properties;
    }

    @Test
    void urlAndUserAloneGiveTheDefaultsAndNoPassword() throws Exception {
        PostgresqlSettings settings = parse(minimal(), Map.of());
        assertEquals(new PostgresqlSettings(URL, "diskless", Optional.empty(), PostgresqlSettings.DEFAULT_POOL_SIZE,
                Duration.ofSeconds(PostgresqlSettings.DEFAULT_CONNECT_TIMEOUT_SECONDS),
                Duration.ofHours(PostgresqlSettings.DEFAULT_RETENTION_HOURS)), settings);
    }

    @Test
    void thePasswordIsTheFirstLineOfItsFileTakenFromTheKarafBase() throws Exception {
        Files.writeString(base.resolve("db.password"), "s3cret-value\nsecond line\n");
        Map<String, Object> properties = minimal();
        properties.put("passwordFile", "db.password");

        PostgresqlSettings settings = parse(properties, Map.of());

        assertEquals("s3cret-value", settings.password().orElseThrow().value());
        assertFalse(settings.toString().contains("s3cret"), settings.toString());
    }

    @Test
    void thePasswordMayComeFromAnEnvironmentVariable() throws Exception {
        Map<String, Object> properties = minimal();
        properties.put("passwordVariable", "DISKLESS_DB_PASSWORD");

        PostgresqlSettings settings = parse(properties, Map.of("DISKLESS_DB_PASSWORD", "from-env"));

        assertEquals("from-env", settings.password().orElseThrow().value());
        assertFalse(settings.toString().contains("from-env"), settings.toString());
    }

    @Test
    void aMissingVariableOrFileIsRefusedByName() {
        Map<String, Object> properties = minimal();
        properties.put("passwordVariable", "NOT_SET_ANYWHERE");
        assertEquals("passwordVariable", assertThrows(InvalidSettingException.class,
                () -> parse(properties, Map.of())).key());

        Map<String, Object> withFile = minimal();
        withFile.put("passwordFile", "missing.password");
        assertEquals("passwordFile", assertThrows(InvalidSettingException.class,
                () -> parse(withFile, Map.of())).key());
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutRepeatingIt() {
        Map<String, Object> properties = minimal();
        properties.put("url", URL + "?password=hunter2");

        InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                () -> parse(properties, Map.of()));

        assertEquals("url", refused.key());
        assertFalse(refused.getMessage().contains("hunter2"), refused.getMessage());
    }

    @Test
    void refusesWhatCannotBeMeant() {
        Map<String, Object> notPostgres = minimal();
        notPostgres.put("url", "jdbc:mysql://db/diskless");
        assertEquals("url", assertThrows(InvalidSettingException.class, () -> parse(notPostgres, Map.of())).key());

        Map<String, Object> noUser = minimal();
        noUser.remove("user");
        assertEquals("user", assertThrows(InvalidSettingException.class, () -> parse(noUser, Map.of())).key());

        Map<String, Object> both = minimal();
        both.put("passwordFile", "a");
        both.put("passwordVariable", "B");
        assertTrue(assertThrows(InvalidSettingException.class, () -> parse(both, Map.of())).getMessage()
                .contains("not both"));

        Map<String, Object> pool = minimal();
        pool.put("poolSize", "0");
        assertEquals("poolSize", assertThrows(InvalidSettingException.class, () -> parse(pool, Map.of())).key());
    }
}
