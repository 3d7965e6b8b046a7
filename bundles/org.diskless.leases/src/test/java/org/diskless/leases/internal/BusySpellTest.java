package org.diskless.leases.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class BusySpellTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aSpellOfManyLeasesEndsWithItsSyncAndCommitDelays() {
        BusySpell spell = new BusySpell();
        assertFalse(spell.isOpen());
        long at = 5_000 * MS;
        for (int group = 0; group < 100; group++) {
            at += 2 * MS;
            spell.synced(at, MS); // each sync 1 ms
            for (int lease = 0; lease < 20; lease++) {
                spell.durable(3 * MS);
            }
        }
        assertTrue(spell.isOpen());
        Optional<String> line = spell.end();
        assertEquals(Optional.of("busy spell of 0.2 s ended: 2000 leases in 100 syncs; sync ms p50 1.000 p99 1.000"
                + " max 1.000; commit to durable ms p50 3.000 p99 3.000 max 3.000"), line);
        assertFalse(spell.isOpen(), "ending forgets the spell");
        assertEquals(Optional.empty(), spell.end());
    }

    @Test
    void aTrickleOfRenewalsIsNotWorthALine() {
        BusySpell spell = new BusySpell();
        for (int i = 0; i < BusySpell.MIN_LEASES - 1; i++) {
            spell.synced(i * MS, MS);
            spell.durable(MS);
        }
        assertEquals(Optional.empty(), spell.end());
        assertFalse(spell.isOpen());
    }
}
