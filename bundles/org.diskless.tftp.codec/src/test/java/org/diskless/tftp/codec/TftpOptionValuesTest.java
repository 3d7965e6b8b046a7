package org.diskless.tftp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class TftpOptionValuesTest {

    @Test
    void aWholeNumberIsReadWithBlanksAroundAndASign() {
        assertEquals(OptionalLong.of(1428), TftpOptionValues.number("1428"));
        assertEquals(OptionalLong.of(0), TftpOptionValues.number(" 0 "));
        assertEquals(OptionalLong.of(-5), TftpOptionValues.number("-5"));
        assertEquals(OptionalLong.of(8), TftpOptionValues.number("+8"));
    }

    @Test
    void aNumberBeyondALongIsTheLargestOrTheSmallest() {
        assertEquals(OptionalLong.of(Long.MAX_VALUE), TftpOptionValues.number("99999999999999999999999"));
        assertEquals(OptionalLong.of(Long.MIN_VALUE), TftpOptionValues.number("-99999999999999999999999"));
    }

    @Test
    void anythingElseIsNoNumber() {
        for (String value : new String[] {"enable", "", " ", "foo", "1e3", "0x10", "12abc", "1 2", "+", "-"}) {
            assertEquals(OptionalLong.empty(), TftpOptionValues.number(value), "'" + value + "'");
        }
        assertEquals(OptionalLong.empty(), TftpOptionValues.number(null), "an option not asked");
    }
}
