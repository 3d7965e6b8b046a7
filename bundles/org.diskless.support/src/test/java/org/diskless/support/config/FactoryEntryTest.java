package org.diskless.support.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A factory configuration handed to the table that holds them: checked first, the table's refusal kept apart. */
class FactoryEntryTest {

    private final List<String> table = new ArrayList<>();

    private FactoryEntry<String> entry(String pid) {
        return new FactoryEntry<>(Map.of("service.pid", pid), LoggerFactory.getLogger(FactoryEntryTest.class));
    }

    private static String parse(Config config) throws InvalidSettingException {
        return config.requiredText("value", "every entry needs a value");
    }

    @Test
    void theNameIsWhatFollowsTheFactoryPid() {
        assertEquals("boot", entry("org.diskless.dhcp.subnet~boot").name());
        assertEquals("boot", entry("org.diskless.dhcp.subnet.boot").name());
        assertEquals("org.diskless.dhcp.subnet~boot", entry("org.diskless.dhcp.subnet~boot").pid());
    }

    @Test
    void onlyCheckedSettingsReachTheTable() {
        FactoryEntry<String> entry = entry("x~a");

        entry.apply(Map.of("value", "one"), FactoryEntryTest::parse, (pid, value) -> {
            table.add(pid + "=" + value);
            return Optional.empty();
        });
        entry.apply(Map.of(), FactoryEntryTest::parse, (pid, value) -> {
            table.add(pid + "=" + value);
            return Optional.empty();
        });
        entry.apply(Map.of("value", "two"), FactoryEntryTest::parse, (pid, value) -> Optional.of(FactoryEntry.Refusal.of("does not fit")));

        assertEquals(List.of("x~a=one"), table, "the refused ones never replaced the first");
    }
}
