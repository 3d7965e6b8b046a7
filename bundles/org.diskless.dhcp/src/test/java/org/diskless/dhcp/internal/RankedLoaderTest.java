package org.diskless.dhcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.boot.BootLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.Constants;

/** What a loader's registration means to the DHCP server: never a loader skipped or misranked without a word. */
class RankedLoaderTest {

    private static final StubLoader LOADER = StubLoader.naming("grub", "grub/grubx64.efi");

    private static RankedLoader registered(Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>(Map.of(Constants.SERVICE_ID, 42L));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return RankedLoader.of(LOADER, properties);
    }

    @Test
    void loaderThatNamesNoArchitectureIsAskedAboutEveryOne() {
        RankedLoader loader = registered();

        for (int code : new int[] {0, 7, 9, 11, 16, 4242}) {
            assertTrue(loader.serves(ClientArchitecture.of(code)), "architecture " + code);
        }
        assertEquals("'grub' (service 42, ranking 0): asked about every architecture (it names none in"
                + " diskless.loader.architectures)", loader.describe());
        assertTrue(registered(BootLoader.ARCHITECTURES, new Integer[0]).serves(ClientArchitecture.EFI_ARM64),
                "an empty list names none either");
    }

    static Stream<Arguments> architecturesAsDsOrACfgGiveThem() {
        return Stream.of(new Integer[] {0, 7}, new int[] {0, 7}, List.of(0, 7), List.of("0", " 7"), "0, 7",
                new String[] {"0", "7"}, new Long[] {0L, 7L}).map(value -> Arguments.of(value));
    }

    @ParameterizedTest
    @MethodSource
    void architecturesAsDsOrACfgGiveThem(Object value) {
        RankedLoader loader = registered(BootLoader.ARCHITECTURES, value);

        assertTrue(loader.serves(ClientArchitecture.BIOS));
        assertTrue(loader.serves(ClientArchitecture.EFI_X64_ALT), "7 serves x64 UEFI sent as 9");
        assertFalse(loader.serves(ClientArchitecture.EFI_ARM64));
        assertEquals("'grub' (service 42, ranking 0): asked about architectures [0, 7]", loader.describe());
    }

    @Test
    void oneArchitectureAsASingleNumber() {
        RankedLoader loader = registered(BootLoader.ARCHITECTURES, 11);

        assertTrue(loader.serves(ClientArchitecture.EFI_ARM64));
        assertFalse(loader.serves(ClientArchitecture.BIOS));
        assertTrue(loader.describe().endsWith("asked about architecture [11]"), loader.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bios", "0, x64", "-1", "65536", "7.5"})
    void unreadableArchitecturesLeaveTheLoaderAskedAboutNothing(String value) {
        RankedLoader loader = registered(BootLoader.ARCHITECTURES, value);

        assertFalse(loader.serves(ClientArchitecture.BIOS));
        assertFalse(loader.serves(ClientArchitecture.EFI_X64));
        assertTrue(loader.describe().endsWith("asked about no architecture"), loader.describe());
    }

    @Test
    void rankingIsReadTypedOrAsTheTextOfAPlainCfg() {
        assertEquals(10, registered(Constants.SERVICE_RANKING, 10).ranking());
        assertEquals(10, registered(Constants.SERVICE_RANKING, "10").ranking());
        assertEquals(-5, registered(Constants.SERVICE_RANKING, " -5 ").ranking());
        assertEquals(0, registered().ranking());
        assertEquals(0, registered(Constants.SERVICE_RANKING, "high").ranking(), "unreadable ranks as OSGi ranks it");
    }
}
