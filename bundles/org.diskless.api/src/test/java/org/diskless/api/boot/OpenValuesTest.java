package org.diskless.api.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Protocols and event kinds are open: a third party names its own, a known name is the constant. */
class OpenValuesTest {

    @Test
    void aKnownProtocolNameIsTheConstantWhateverItsCase() {
        assertSame(BootProtocol.TFTP, BootProtocol.of("tftp"));
        assertSame(BootProtocol.PROXY_DHCP, BootProtocol.of(" PROXY_DHCP "));
    }

    @Test
    void aThirdPartyProtocolIsEqualByName() {
        assertEquals(BootProtocol.of("iscsi"), BootProtocol.of("ISCSI"));
        assertEquals("ISCSI", BootProtocol.of("iscsi").name());
        assertNotEquals(BootProtocol.HTTP, BootProtocol.of("HTTPS"));
    }

    @Test
    void aProtocolNameThatWouldPrintBadlyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BootProtocol.of(""));
        assertThrows(IllegalArgumentException.class, () -> BootProtocol.of("nfs\u001b[2J"));
        assertThrows(IllegalArgumentException.class, () -> BootProtocol.of("x".repeat(33)));
    }

    @Test
    void aKnownKindIsTheConstantAndANewOneIsOpen() {
        assertSame(BootEvent.Kind.FILE_SENT, BootEvent.Kind.of("file_sent"));
        assertEquals("TARGET_LOGIN", BootEvent.Kind.of("target_login").name());
        assertThrows(IllegalArgumentException.class, () -> BootEvent.Kind.of("a b"));
    }
}
