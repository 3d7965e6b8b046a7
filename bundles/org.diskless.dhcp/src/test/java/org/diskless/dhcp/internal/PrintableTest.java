package org.diskless.dhcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What a client's text becomes before we keep or print it. */
class PrintableTest {

    @Test
    void plainTextIsKeptAsItIs() {
        assertEquals("PXEClient:Arch:00000 é", Printable.of("PXEClient:Arch:00000 é", 64));
    }

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("\\x1b[2J\\x07 \\u009b \\\\x41 \\x7f", Printable.of("\u001b[2J\u0007 \u009b \\x41 \u007f", 64));
    }

    @Test
    void longTextIsCutWithAMark() {
        assertEquals("abcd…", Printable.of("abcdef", 5));
        assertEquals("abcde", Printable.of("abcde", 5));
    }

    @Test
    void anEscapeIsNeverCutInHalf() {
        assertEquals("ab…", Printable.of("ab\u001bcd", 5));
    }
}
