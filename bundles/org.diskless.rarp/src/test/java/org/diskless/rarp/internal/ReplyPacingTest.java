package org.diskless.rarp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;

import org.diskless.api.HardwareAddress;
import org.junit.jupiter.api.Test;

class ReplyPacingTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void aMachineIsAnsweredAgainOnlyOnceTheIntervalHasPassed() {
        ReplyPacing pacing = new ReplyPacing();
        HardwareAddress machine = machine(1);

        assertTrue(pacing.allow(machine, 0, SECOND));
        assertFalse(pacing.allow(machine, SECOND.toNanos() - 1, SECOND));
        assertTrue(pacing.allow(machine, SECOND.toNanos(), SECOND));
        assertTrue(pacing.allow(machine(2), SECOND.toNanos(), SECOND), "machines are paced each on its own");
    }

    @Test
    void itRemembersABoundedNumberOfMachines() {
        ReplyPacing pacing = new ReplyPacing();

        for (int i = 0; i < 3 * ReplyPacing.MAX_MACHINES; i++) {
            pacing.allow(machine(i), i, SECOND);
        }

        assertEquals(ReplyPacing.MAX_MACHINES, pacing.size());
    }

    private static HardwareAddress machine(int n) {
        return HardwareAddress.ethernet(ByteBuffer.allocate(6).putShort((short) 0x0800).putInt(n).array());
    }
}
