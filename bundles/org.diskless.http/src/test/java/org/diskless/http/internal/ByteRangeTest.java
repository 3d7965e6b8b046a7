package org.diskless.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {

    private static final long SIZE = 1000;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "bytes=0-99; 0-99",
            "bytes=990-2000; 990-999",
            "bytes=500-; 500-999",
            "bytes=-100; 900-999",
            "bytes=-5000; 0-999",
            "BYTES=1-1; 1-1",
            "bytes=999-999; 999-999"})
    void aSingleRangeInsideTheFileIsAPart(String header, String expected) {
        ByteRange.Outcome outcome = ByteRange.of(Optional.of(header), SIZE);
        String[] bounds = expected.split("-");
        assertEquals(new ByteRange.Part(new ByteRange(Long.parseLong(bounds[0]), Long.parseLong(bounds[1]))), outcome);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {"bytes=1000-", "bytes=5000-6000", "bytes=-0"})
    void aRangeStartingPastTheEndIsUnsatisfiable(String header) {
        assertEquals(new ByteRange.Unsatisfiable(), ByteRange.of(Optional.of(header), SIZE));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {"bytes=0-9,20-29", "items=0-9", "bytes=9-0", "bytes=a-b", "bytes=-",
            "bytes=0-99999999999999999999", "bytes=+1-2", "bytes 0-9", "bytes=1"})
    void severalRangesOrAMalformedOneGetTheWholeFile(String header) {
        assertEquals(new ByteRange.Whole(), ByteRange.of(Optional.of(header), SIZE));
    }

    @org.junit.jupiter.api.Test
    void anEmptyFileHasNoRangeToSend() {
        assertEquals(new ByteRange.Unsatisfiable(), ByteRange.of(Optional.of("bytes=0-"), 0));
        assertEquals(new ByteRange.Unsatisfiable(), ByteRange.of(Optional.of("bytes=-10"), 0));
        assertEquals(new ByteRange.Whole(), ByteRange.of(Optional.empty(), 0));
    }
}
