package org.diskless.dhcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashMap;
import java.util.Map;

import org.diskless.api.HardwareAddress;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.junit.jupiter.api.Test;

/**
 * RFC 3074 gives the hash as code and a table but no test vector: these are worked by hand from
 * the table (T) of its section 6, T[0] = 251, T[1] = 175, T[2] = 119, T[3] = 215, T[118] = 155,
 * T[119] = 150, T[215] = 120, so that a wrong table entry, start value or byte order fails.
 */
class ClientHashTest {

    @Test
    void anEmptyKeyHashesToItsLength() {
        assertEquals(0, ClientHash.hash(new byte[0]));
    }

    @Test
    void oneByteGoesThroughTheTableOnceMixedWithTheLength() {
        assertEquals(175, ClientHash.hash(new byte[] {0x00}), "T[1 ^ 0]");
        assertEquals(251, ClientHash.hash(new byte[] {0x01}), "T[1 ^ 1]");
    }

    @Test
    void bytesAreTakenFromTheLastToTheFirst() {
        assertEquals(150, ClientHash.hash(new byte[] {0x00, 0x00}), "T[T[2 ^ 0] ^ 0]");
        assertEquals(120, ClientHash.hash(new byte[] {0x00, 0x01}), "T[T[2 ^ 1] ^ 0]");
        assertEquals(155, ClientHash.hash(new byte[] {0x01, 0x00}), "T[T[2 ^ 0] ^ 1]");
    }

    @Test
    void theClientIdentifierIsHashedWhenTheClientSendsOne() {
        byte[] id = {0x00, 0x01};
        DhcpMessage request = DhcpFixture.discover(DhcpFixture.mac(1)).options(o -> o.clientIdentifier(id)).build();
        assertEquals(120, ClientHash.bucket(request));
    }

    @Test
    void withoutClientIdentifierTheHardwareAddressUpToHlenIsHashed() {
        HardwareAddress mac = HardwareAddress.ethernet(new byte[] {0x00, 0x0c, 0x29, 0x12, 0x34, 0x56});
        DhcpMessage request = DhcpFixture.discover(mac).build();
        assertEquals(ClientHash.hash(new byte[] {0x00, 0x0c, 0x29, 0x12, 0x34, 0x56}), ClientHash.bucket(request));
        assertNotEquals(ClientHash.hash(request.chaddr()), ClientHash.bucket(request), "not the 16 bytes of chaddr");
    }

    @Test
    void macsOfOneVendorSpreadOverTheBuckets() {
        Map<Integer, Integer> perHalf = new HashMap<>();
        for (int n = 0; n < 1000; n++) {
            DhcpMessage request = DhcpMessage.builder().hardwareAddress(DhcpFixture.mac(n))
                    .options(o -> o.messageType(DhcpMessageType.DISCOVER)).build();
            perHalf.merge(ClientHash.bucket(request) / 128, 1, Integer::sum);
        }
        assertEquals(2, perHalf.size());
        perHalf.values().forEach(count -> assertEquals(500, count, 100, "per half of the buckets: " + perHalf));
    }
}
