package org.diskless.api.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class PoolUsageTest {

    @Test
    void countsDefaultToZeroAndKeepTheirValues() {
        PoolUsage lab = PoolUsage.builder("lab", "192.0.2.0/24", 10).ranges(List.of("192.0.2.100-192.0.2.109"))
                .bound(3).offered(1).declined(2).free(4).build();

        assertEquals(List.of(3, 1, 2, 4), List.of(lab.bound(), lab.offered(), lab.declined(), lab.free()));
        assertEquals(0, PoolUsage.builder("far", "198.18.20.0/24", 0).build().free());
        assertEquals(lab, PoolUsage.builder("lab", "192.0.2.0/24", 10).ranges(List.of("192.0.2.100-192.0.2.109"))
                .bound(3).offered(1).declined(2).free(4).build());
    }

    @Test
    void negativeCountsAndMoreFreeThanTheSizeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PoolUsage.builder("lab", "192.0.2.0/24", -1).build());
        assertThrows(IllegalArgumentException.class, () -> PoolUsage.builder("lab", "192.0.2.0/24", 4).bound(-1).build());
        assertThrows(IllegalArgumentException.class, () -> PoolUsage.builder("lab", "192.0.2.0/24", 4).free(5).build());
    }
}
