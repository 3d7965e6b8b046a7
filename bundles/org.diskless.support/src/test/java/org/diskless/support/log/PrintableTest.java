package org.diskless.support.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void cleanShortTextIsKeptAsItIs() {
        String text = "pxelinux.cfg/01-52-54-00-12-34-56 é";
        assertSame(text, Printable.of(text, 100));
    }

    @Test
    void controlCharactersCannotReachATerminal() {
        assertEquals("a\\x1b[31mred\\x07\\n\\x7f\\u009b\\u202e", Printable.of("a\u001b[31mred\u0007\n\u007f\u009b\u202e", 100));
        assertEquals("C:\\\\boot", Printable.of("C:\\boot", 100));
    }

    @Test
    void longTextIsCutAndSaysHowMuchWasLeftOut() {
        String out = Printable.of("x".repeat(8_700), 256);

        assertEquals("x".repeat(256) + "…(8444 more)", out);
    }

    @Test
    void anEscapeIsNeverCutInHalf() {
        String out = Printable.of("abc\u001b", 5);

        assertEquals("abc…(1 more)", out);
        assertTrue(out.length() < 20);
    }
}
