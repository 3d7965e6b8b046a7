package org.diskless.support.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void bytesBelowAKibibyteAreExactAndAboveHaveOneDecimal() {
        assertEquals("435 B", Units.bytes(435));
        assertEquals("1.5 KiB", Units.bytes(1536));
        assertEquals("3.0 MiB", Units.bytes(3 * 1024 * 1024));
    }

    @Test
    void theExactCountComesWithItsUnitsOnlyWhenTheyAddSomething() {
        assertEquals("435 B", Units.bytesWithUnits(435));
        assertEquals("3145728 B (3.0 MiB)", Units.bytesWithUnits(3 * 1024 * 1024));
    }

    @Test
    void durationsGrowTheirUnitWithTheirLength() {
        assertEquals("0.4s", Units.duration(Duration.ofMillis(400)));
        assertEquals("2m05s", Units.duration(Duration.ofSeconds(125)));
        assertEquals("3h07m", Units.duration(Duration.ofMinutes(187)));
        assertEquals("2d04h", Units.duration(Duration.ofHours(52)));
        assertEquals("0.0s", Units.duration(Duration.ofSeconds(-3)));
    }

    @Test
    void percentNeedsATotal() {
        assertEquals("50%", Units.percent(4, 8));
        assertEquals("-", Units.percent(4, 0));
    }

    @Test
    void factsAlignTheirValues() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new Facts().add("Mode", "proxy").add("Listening on", "*:67").print(new PrintStream(printed, true,
                StandardCharsets.UTF_8));
        assertEquals("Mode          proxy\nListening on  *:67\n", printed.toString(StandardCharsets.UTF_8)
                .replace(System.lineSeparator(), "\n"));
    }
}
