package org.diskless.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class HardwareAddressTest {

    private static final HardwareAddress QEMU = HardwareAddress.ethernet(
            new byte[] {0x52, 0x54, 0x00, 0x12, 0x34, 0x56});

    @Test
    void colonDashDotAndBareSpellingsAreTheSameAddress() {
        assertEquals(QEMU, HardwareAddress.parse("52:54:00:12:34:56"));
        assertEquals(QEMU, HardwareAddress.parse("52-54-00-12-34-56"));
        assertEquals(QEMU, HardwareAddress.parse("5254.0012.3456"));
        assertEquals(QEMU, HardwareAddress.parse("525400123456"));
        assertEquals(QEMU, HardwareAddress.parse("52:54:0:12:34:56"));
    }

    @Test
    void pxelinuxNameCarriesTheHardwareTypeAndDashes() {
        assertEquals("01-52-54-00-12-34-56", QEMU.toPxelinuxName());
        assertEquals(QEMU, HardwareAddress.parse("01-52-54-00-12-34-56"));
    }

    @Test
    void printsLowerCaseColonSeparated() {
        assertEquals("52:54:00:12:34:56", HardwareAddress.parse("52:54:00:12:34:56".toUpperCase()).toString());
    }

    @Test
    void rejectsTextThatIsNoAddress() {
        assertThrows(IllegalArgumentException.class, () -> HardwareAddress.parse("52:54:00:12:34:zz"));
        assertThrows(IllegalArgumentException.class, () -> HardwareAddress.parse("525"));
        assertThrows(IllegalArgumentException.class, () -> HardwareAddress.parse(""));
        assertThrows(IllegalArgumentException.class, () -> HardwareAddress.ethernet(new byte[5]));
    }

    @Test
    void x64UefiCodesSevenAndNineBootAlike() {
        assertEquals(ClientArchitecture.EFI_X64, ClientArchitecture.of(9).canonical());
        assertEquals(ClientArchitecture.EFI_X64, ClientArchitecture.of(7).canonical());
        assertEquals(42, ClientArchitecture.of(42).code());
    }

    @Test
    void macsThatDifferOnlyInTheirLastBytesHashApart() {
        // A cluster's MACs share the vendor prefix; hash maps keyed by them must not pile them up.
        Set<Integer> hashes = new HashSet<>();
        int count = 0;
        for (int high = 0; high < 256; high++) {
            for (int low = 0; low < 256; low++) {
                hashes.add(HardwareAddress.ethernet(new byte[] {0x52, 0x54, 0, 0, (byte) high, (byte) low}).hashCode());
                count++;
            }
        }
        assertTrue(hashes.size() > count * 0.99, "distinct hash codes: " + hashes.size() + " of " + count);
    }
}
